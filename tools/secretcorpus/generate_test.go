package secretcorpus

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"
)

// buildT builds the corpus of seed 1 in memory.
func buildT(t *testing.T) ([]*file, Labels) {
	t.Helper()
	files, labels, err := build(1)
	if err != nil {
		t.Fatal(err)
	}
	return files, labels
}

// readTree returns every file under dir, by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGenerateDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	la, err := Generate(a, 42)
	if err != nil {
		t.Fatal(err)
	}
	lb, err := Generate(b, 42)
	if err != nil {
		t.Fatal(err)
	}
	ta, tb := readTree(t, filepath.Join(a, TreeDir)), readTree(t, filepath.Join(b, TreeDir))
	if len(ta) != len(tb) {
		t.Fatalf("file counts differ: %d, %d", len(ta), len(tb))
	}
	for p, ba := range ta {
		if !bytes.Equal(ba, tb[p]) {
			t.Errorf("%s differs between two runs of seed 42", p)
		}
	}
	ja, _ := os.ReadFile(filepath.Join(a, LabelsFile))
	jb, _ := os.ReadFile(filepath.Join(b, LabelsFile))
	if !bytes.Equal(ja, jb) || len(la) != len(lb) {
		t.Error("labels differ between two runs of seed 42")
	}

	// The labels file reads back to what Generate returned.
	back, err := ReadLabelsFile(filepath.Join(a, LabelsFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(la) || back[0] != la[0] || back[len(back)-1] != la[len(la)-1] {
		t.Error("labels.json does not round-trip")
	}
	// Labels name files of the tree, and the tree does not hold the labels.
	for _, l := range la {
		if _, ok := ta[l.File]; !ok {
			t.Errorf("label names %s, which is not in the tree", l.File)
		}
	}
	if _, ok := ta[LabelsFile]; ok {
		t.Error("labels.json is inside the tree")
	}

	// A second Generate into the same directory refuses.
	if _, err := Generate(a, 42); !errors.Is(err, ErrTreeExists) {
		t.Errorf("Generate into an existing corpus: err = %v, want ErrTreeExists", err)
	}
	// Another seed gives another corpus.
	_, lc, err := build(43)
	if err != nil {
		t.Fatal(err)
	}
	if len(lc) > 0 && len(la) > 0 && lc[0] == la[0] && lc[len(lc)-1] == la[len(la)-1] {
		t.Error("seeds 42 and 43 give the same labels")
	}
}

func testShape(t *testing.T, files []*file, labels Labels) {
	carriers := map[string]bool{}
	for _, l := range labels {
		carriers[l.Carrier] = true
	}
	if len(labels) < 400 {
		t.Errorf("%d labels, want at least 400", len(labels))
	}
	if n := len(labels.Formats()); n < 60 {
		t.Errorf("%d formats, want at least 60", n)
	}
	if len(carriers) < 30 {
		t.Errorf("%d carriers, want at least 30", len(carriers))
	}
	// At least as many unlabeled lines as labeled ones, and files that hold
	// no secret at all.
	labeled, lines, clean := 0, 0, 0
	for _, f := range files {
		lines += len(f.lines)
		for _, p := range f.plants {
			labeled += p.EndLine - p.Line + 1
		}
		if len(f.plants) == 0 {
			clean++
		}
	}
	if lines-labeled < labeled {
		t.Errorf("%d unlabeled lines for %d labeled ones", lines-labeled, labeled)
	}
	if clean < len(files)/3 {
		t.Errorf("only %d of %d files hold no planted secret", clean, len(files))
	}
	deep := 0
	for _, f := range files {
		if strings.Count(f.path, "/") >= 8 {
			deep++
		}
	}
	if deep < 20 {
		t.Errorf("%d files are 8 or more directories deep, want 20", deep)
	}
}

func testLabelsPointAtValues(t *testing.T, files []*file, labels Labels) {
	for _, f := range files {
		if strings.Contains(f.path, "..") || strings.HasPrefix(f.path, "/") || path.Clean(f.path) != f.path {
			t.Errorf("bad path %q", f.path)
		}
		var prevEnd int
		for i, p := range f.plants {
			if p.Line < 1 || p.EndLine < p.Line || p.EndLine > len(f.lines) {
				t.Errorf("%s: label %d-%d out of the file's %d lines", f.path, p.Line, p.EndLine, len(f.lines))
				continue
			}
			if p.needle == "" || !strings.Contains(f.lines[p.Line-1], p.needle) {
				t.Errorf("%s:%d (%s) does not hold %q: %q", f.path, p.Line, p.Format, p.needle, f.lines[p.Line-1])
			}
			if strings.HasPrefix(p.Format, "private-key-") && p.Carrier != "json-escaped" && p.Carrier != "dotenv-escaped" &&
				!strings.Contains(f.lines[p.EndLine-1], "-----END") {
				t.Errorf("%s:%d: a key's label ends on %q", f.path, p.EndLine, f.lines[p.EndLine-1])
			}
			if i > 0 && p.Line <= prevEnd {
				t.Errorf("%s: labels overlap at line %d", f.path, p.Line)
			}
			prevEnd = max(prevEnd, p.EndLine)
		}
	}
}

// testPlantedValuesOnlyOnLabeledLines checks that no planted value also
// appears on a line without a label, which would be an unlabeled secret.
func testPlantedValuesOnlyOnLabeledLines(t *testing.T, files []*file, _ Labels) {
	var needles []string
	for _, f := range files {
		for _, p := range f.plants {
			if len(p.needle) >= 20 && !strings.HasPrefix(p.needle, "-----BEGIN") && !strings.Contains(p.needle, `"private_key"`) {
				needles = append(needles, p.needle)
			}
		}
	}
	for _, f := range files {
		labeled := map[int]bool{}
		for _, p := range f.plants {
			for l := p.Line; l <= p.EndLine; l++ {
				labeled[l] = true
			}
		}
		for i, line := range f.lines {
			if labeled[i+1] {
				continue
			}
			for _, n := range needles {
				if strings.Contains(line, n) {
					t.Errorf("%s:%d holds planted value %q without a label", f.path, i+1, n)
				}
			}
		}
	}
}

func testGitHubTokenChecksums(t *testing.T, files []*file, _ Labels) {
	// Known answers computed independently (Python: zlib.crc32 and a base62
	// encoder over 0-9A-Za-z).
	for _, tc := range []struct{ body, sum string }{
		{"000000000000000000000000000000", "2C8GjS"},
		{"abcdefghijklmnopqrstuvwxyzABCD", "4dNndU"},
	} {
		if got := githubChecksum(tc.body); got != tc.sum {
			t.Errorf("githubChecksum(%q) = %q, want %q", tc.body, got, tc.sum)
		}
	}
	re := regexp.MustCompile(`\bgh[pousr]_([A-Za-z0-9]{30})([A-Za-z0-9]{6})\b`)
	valid, invalid := 0, 0
	for _, f := range files {
		github := map[int]bool{} // lines labeled with a GitHub format
		for _, p := range f.plants {
			if strings.HasPrefix(p.Format, "github-") {
				github[p.Line] = true
			}
		}
		for i, line := range f.lines {
			for _, m := range re.FindAllStringSubmatch(line, -1) {
				ok := githubChecksum(m[1]) == m[2]
				switch {
				case ok:
					valid++
				case strings.Contains(f.path, "testdata/"):
					invalid++
				}
				if ok != github[i+1] {
					t.Errorf("%s:%d: %s: checksum valid=%v, labeled=%v", f.path, i+1, m[0], ok, github[i+1])
				}
			}
		}
	}
	if valid < 30 || invalid == 0 {
		t.Errorf("%d valid GitHub tokens, %d with a bad checksum in testdata", valid, invalid)
	}
}

func testJWTsDecode(t *testing.T, files []*file, _ Labels) {
	re := regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`)
	n := 0
	for _, f := range files {
		for _, p := range f.plants {
			if p.Format != "jwt" {
				continue
			}
			tok := re.FindString(f.lines[p.Line-1])
			parts := strings.Split(tok, ".")
			if len(parts) != 3 {
				t.Errorf("%s:%d: no JWT", f.path, p.Line)
				continue
			}
			for _, part := range parts[:2] {
				b, err := base64.RawURLEncoding.DecodeString(part)
				if err != nil || !json.Valid(b) {
					t.Errorf("%s:%d: JWT part %q is not base64url JSON", f.path, p.Line, part)
				}
			}
			n++
		}
	}
	if n < 10 {
		t.Errorf("%d JWTs", n)
	}
}

// testFilesParse checks that the structured files are valid in their own
// syntax, as real ones would be.
func testFilesParse(t *testing.T, files []*file, _ Labels) {
	counts := map[string]int{}
	for _, f := range files {
		b := f.bytes()
		base := path.Base(f.path)
		ext := path.Ext(f.path)
		var err error
		switch {
		case ext == ".json" || ext == ".ipynb" || strings.HasSuffix(base, ".tfstate") || strings.HasSuffix(base, ".tfstate.backup") || base == "config.json":
			var v any
			err = json.Unmarshal(b, &v)
			counts["json"]++
		case ext == ".yaml" || ext == ".yml":
			dec := yaml.NewDecoder(bytes.NewReader(b))
			for {
				var n yaml.Node
				if e := dec.Decode(&n); e != nil {
					if e != io.EOF {
						err = e
					}
					break
				}
			}
			counts["yaml"]++
		case ext == ".toml" || base == "Cargo.lock" || base == "poetry.lock":
			var v map[string]any
			err = toml.Unmarshal(b, &v)
			counts["toml"]++
		case ext == ".xml" || ext == ".plist" || ext == ".config":
			dec := xml.NewDecoder(bytes.NewReader(b))
			for {
				if _, e := dec.Token(); e != nil {
					if e != io.EOF {
						err = e
					}
					break
				}
			}
			counts["xml"]++
		}
		if err != nil {
			t.Errorf("%s does not parse: %v", f.path, err)
		}
	}
	for _, k := range []string{"json", "yaml", "toml", "xml"} {
		if counts[k] < 5 {
			t.Errorf("only %d %s files", counts[k], k)
		}
	}
}

// TestCorpus checks the corpus of seed 1, built once for all subtests.
func TestCorpus(t *testing.T) {
	files, labels := buildT(t)
	for _, tc := range []struct {
		name string
		test func(*testing.T, []*file, Labels)
	}{
		{"Shape", testShape},
		{"LabelsPointAtValues", testLabelsPointAtValues},
		{"PlantedValuesOnlyOnLabeledLines", testPlantedValuesOnlyOnLabeledLines},
		{"GitHubTokenChecksums", testGitHubTokenChecksums},
		{"JWTsDecode", testJWTsDecode},
		{"FilesParse", testFilesParse},
		{"PrivateKeysParse", testPrivateKeysParse},
		{"PublicMaterialParses", testPublicMaterialParses},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.test(t, files, labels) })
	}
}
