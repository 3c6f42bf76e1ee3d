package shipshape_test

import (
	"archive/tar"
	"bytes"
	"cmp"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/internal/testkit"
	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/layer/layertest"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/secrets"
	"github.com/shipshape-dev/shipshape/source"
)

// memoryCeiling is the peak resident set size every hostile image must stay
// under with the default budgets: what a CI runner can give a step.
const memoryCeiling = 512 << 20

// plantedKey is the one secret of the good layer: it must still be found
// next to every attack.
const plantedKey = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"

// memoryBase is the good part of every hostile image: a Debian release,
// two packages and one leaked key, which every run must still report.
func memoryBase(t testing.TB) []v1.Layer {
	stanza := func(name, version string) string {
		return "Package: " + name + "\nStatus: install ok installed\nVersion: " + version + "\nArchitecture: all\n\n"
	}
	return []v1.Layer{layertest.Layer(t,
		layertest.File("etc/os-release", "ID=debian\nVERSION_ID=12\n"),
		layertest.File("var/lib/dpkg/status", stanza("good-one", "1.0")+stanza("good-two", "2.0")),
		layertest.File("app/.env", "STRIPE_KEY="+plantedKey+"\n"),
	)}
}

// hostileCase is one attack: the layer, the errors a read of the SBOM
// must report (beyond the made-up diff_id every attack layer claims), and
// the peak RSS the child may reach.
type hostileCase struct {
	layer   func() layertest.StreamLayer
	wantErr []string
	ceiling int64
	// reads are the ways of reading the image to measure (default all
	// three); the slowest attacks skip the secrets read, which walks as
	// Inspect does with fewer visitors.
	reads []string
}

// hostileCases are the attacks whose memory the operating system must see
// bounded, at full size, with the default budgets.
func hostileCases(t testing.TB) map[string]hostileCase {
	jarLayer := func(name string, jar []byte) layertest.StreamLayer {
		return layertest.StreamLayer{Open: layertest.TarStream(func(tw *tar.Writer) error {
			if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(jar)), Typeflag: tar.TypeReg}); err != nil {
				return err
			}
			_, err := tw.Write(jar)
			return err
		})}
	}
	return map[string]hostileCase{
		// Two million entries are within the default entry budgets (3
		// million a layer, 5 million an image). The walk's per-file
		// records still cost more than the ceiling: issue 17 bounds them;
		// until then these ceilings hold today's figures against
		// regressions.
		"two-million-entries": {layer: func() layertest.StreamLayer { return layertest.ManyFiles(2_000_000) }, ceiling: 3 << 30},
		"gzip-bomb": {layer: func() layertest.StreamLayer {
			return layertest.StreamLayer{Open: layertest.GzipZeroBomb(t, "bomb.bin", 20<<30)}
		}, reads: []string{"sbom", "inspect"}},
		"package-json-500MB": {layer: func() layertest.StreamLayer {
			return layertest.BigFile("usr/lib/node_modules/evil/package.json", 500<<20, `{"name":"evil","version":"1.0.0","description":"`, 'a', `"}`)
		}, wantErr: []string{"usr/lib/node_modules/evil/package.json", "8388608"}, reads: []string{"sbom", "inspect"}},
		"line-2GB": {layer: func() layertest.StreamLayer {
			return layertest.BigFile("usr/lib/python3/dist-packages/evil-1.0.dist-info/METADATA", 2<<30, "Metadata-Version: 2.1\nName: evil\nVersion: 1.0\nSummary: ", 'x', "")
		}, wantErr: []string{"evil-1.0.dist-info/METADATA"}},
		"sparse-elf-5GB": {layer: func() layertest.StreamLayer {
			return layertest.StreamLayer{Open: func() (io.ReadCloser, error) {
				return io.NopCloser(bytes.NewReader(layertest.SparseTar(t, "usr/bin/evil", 5<<30, []byte("\x7fELF\x02\x01\x01")))), nil
			}}
		}},
		// 42.zip within the nesting budget: sixteen entries at each of four
		// levels share one compressed copy of the level below; the leaves
		// are 64 MiB each, so the expansion budget, not the file, stops it.
		"overlapping-jars": {layer: func() layertest.StreamLayer { return jarLayer("app/bomb.jar", overlappingJar(t, 4, 16, 64<<20)) },
			wantErr: []string{"app/bomb.jar", "sbom.Limits.MaxArchiveBytes"}},
		// One compressed nested jar that inflates to 480 MiB, inside the
		// expansion budget but past the memory budget for nested archives.
		"nested-jar-480MB": {layer: func() layertest.StreamLayer { return jarLayer("app/big.jar", overlappingJar(t, 1, 1, 480<<20)) },
			wantErr: []string{"app/big.jar", "lib/l1-0.jar", "sbom.Limits.MaxArchiveMemory"}},
	}
}

// overlappingJar builds levels of zip archives: the innermost entries are
// leaf bytes of zeros (not an archive), each level above has fan entries
// named lib/lN-i.jar that all point at one deflated copy of the level
// below (an overlapping zip: small on disk, fan-fold in its listing).
func overlappingJar(t testing.TB, levels, fan, leaf int) []byte {
	t.Helper()
	zeros := make([]byte, 1<<20)
	inner := func(w io.Writer) {
		for left := leaf; left > 0; left -= len(zeros) {
			if _, err := w.Write(zeros[:min(left, len(zeros))]); err != nil {
				t.Fatal(err)
			}
		}
	}
	for l := levels; l >= 1; l-- {
		b := overlappingZip(t, fan, func(i int) string { return fmt.Sprintf("lib/l%d-%d.jar", l, i) }, inner)
		inner = func(w io.Writer) {
			if _, err := w.Write(b); err != nil {
				t.Fatal(err)
			}
		}
	}
	var out bytes.Buffer
	inner(&out)
	return out.Bytes()
}

// overlappingZip writes one deflated entry of the bytes write produces and
// fan central-directory entries, named by name, that all point at it.
func overlappingZip(t testing.TB, fan int, name func(int) string, write func(io.Writer)) []byte {
	t.Helper()
	var comp bytes.Buffer
	fw, err := flate.NewWriter(&comp, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	sum, size := crc32.NewIEEE(), &countWriter{}
	write(io.MultiWriter(fw, sum, size))
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	crc, n := sum.Sum32(), uint32(size.n)
	le := binary.LittleEndian
	var out bytes.Buffer
	w := func(vs ...any) {
		for _, v := range vs {
			if err := binary.Write(&out, le, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	// One local entry, under the first name.
	n0 := name(0)
	w(uint32(0x04034b50), uint16(20), uint16(0), uint16(8), uint16(0), uint16(0x21), crc,
		uint32(comp.Len()), n, uint16(len(n0)), uint16(0))
	out.WriteString(n0)
	out.Write(comp.Bytes())
	cdStart := out.Len()
	for i := range fan {
		ni := name(i)
		w(uint32(0x02014b50), uint16(20), uint16(20), uint16(0), uint16(8), uint16(0), uint16(0x21), crc,
			uint32(comp.Len()), n, uint16(len(ni)), uint16(0), uint16(0), uint16(0), uint16(0), uint32(0), uint32(0))
		out.WriteString(ni)
	}
	cdEnd := out.Len()
	w(uint32(0x06054b50), uint16(0), uint16(0), uint16(fan), uint16(fan), uint32(cdEnd-cdStart), uint32(cdStart), uint16(0))
	return out.Bytes()
}

type countWriter struct{ n int }

func (c *countWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

// TestHostileMemory runs every attack at full size, in a child process per
// attack and per way of reading an image (the SBOM alone, secrets with
// their owners as `shipshape secrets` reads them, and Inspect), and holds
// the child's peak resident set size, as the operating system counts it,
// under memoryCeiling. Each child also checks that what the image does
// contain is still reported. It streams tens of gigabytes, so it runs with
// SHIPSHAPE_INTEGRATION=1 and without the race detector.
func TestHostileMemory(t *testing.T) {
	if os.Getenv("SHIPSHAPE_INTEGRATION") == "" {
		t.Skip("set SHIPSHAPE_INTEGRATION=1 to stream the full-size attacks")
	}
	if raceEnabled {
		t.Skip("full-size attacks take minutes under -race, and the race detector's own memory is not a user's")
	}
	if os.Getenv(testkit.ChildEnv) != "" {
		t.Skip("in a child")
	}
	cases := hostileCases(t)
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	if only := os.Getenv("SHIPSHAPE_HOSTILE"); only != "" {
		names = strings.Split(only, ",")
	}
	slices.Sort(names)
	for _, n := range names {
		ceiling := cmp.Or(cases[n].ceiling, memoryCeiling)
		reads := cases[n].reads
		if reads == nil {
			reads = []string{"sbom", "secrets", "inspect"}
		}
		for _, read := range reads {
			t.Run(n+"/"+read, func(t *testing.T) {
				rss, out := testkit.RunChild(t, "TestHostileMemoryChild", n+"/"+read)
				t.Logf("%s/%s: peak RSS %d MiB\n%s", n, read, rss>>20, lastLines(out, 3))
				if rss > ceiling {
					t.Errorf("%s/%s: peak RSS %d MiB, over the %d MiB ceiling", n, read, rss>>20, ceiling>>20)
				}
			})
		}
	}
}

func lastLines(b []byte, n int) string {
	ls := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(ls[max(0, len(ls)-n):], "\n")
}

// TestHostileMemoryChild is one run of TestHostileMemory, in its own
// process.
func TestHostileMemoryChild(t *testing.T) {
	c := testkit.ChildCase(t)
	attack, read, _ := strings.Cut(c, "/")
	tc, ok := hostileCases(t)[attack]
	if !ok {
		t.Fatalf("no attack %q", attack)
	}
	ctx := context.Background()
	src, err := source.FromImage(layertest.StreamImage(t, memoryBase(t), tc.layer()), attack)
	if err != nil {
		t.Fatal(err)
	}
	lopts := shipshape.WithLayerOptions(layer.WithoutManifest())
	var s *sbom.SBOM
	var sec *secrets.Report
	switch read {
	case "sbom":
		s, err = sbom.FromImage(ctx, src.Image, sbom.WithLayerOptions(layer.WithoutManifest()))
	case "secrets":
		var in *shipshape.Inspection
		in, err = shipshape.Inspect(ctx, src, shipshape.WithoutHardening(), lopts,
			shipshape.WithSBOMOptions(sbom.WithCatalogers("dpkg", "apk", "rpm", "go", "python", "npm", "ruby", "php")))
		if in != nil {
			sec = in.Evidence.Secrets
		}
	case "inspect":
		var in *shipshape.Inspection
		in, err = shipshape.Inspect(ctx, src, lopts)
		if in != nil {
			s, sec = in.Evidence.SBOM, in.Evidence.Secrets
		}
	default:
		t.Fatalf("no way of reading %q", read)
	}
	if err != nil {
		t.Fatal(err)
	}
	var errs []result.FileError
	if s != nil {
		good := 0
		for _, p := range s.Packages {
			if p.Name == "good-one" || p.Name == "good-two" {
				good++
			}
		}
		if good != 2 {
			t.Errorf("the good packages were not all found")
		}
		errs = s.Errors
	}
	if sec != nil {
		found := false
		for _, f := range sec.Findings {
			found = found || f.File == "app/.env"
		}
		if !found {
			t.Errorf("the planted key was not found: %d findings", len(sec.Findings))
		}
		errs = append(errs, sec.Errors...)
	}
	// Every attack layer claims a made-up diff_id, so that is reported;
	// a budget that cut says which, and where.
	integrity, budget := false, len(tc.wantErr) == 0 || s == nil
	for _, e := range errs {
		integrity = integrity || errors.Is(e.Err, layer.ErrIntegrity)
		msg := e.Error()
		all := true
		for _, w := range tc.wantErr {
			all = all && strings.Contains(msg, w)
		}
		budget = budget || all
	}
	if !integrity || !budget {
		t.Errorf("errors %v: want the integrity error and one naming %q", errs, tc.wantErr)
	}
}
