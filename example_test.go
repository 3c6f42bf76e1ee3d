package shipshape_test

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/source"
)

// exampleImage is an Alpine-like image with a package, a credential that
// a later layer deletes (it still ships in the image), and a licence
// file.
func exampleImage() v1.Image {
	mk := func(files map[string]string) v1.Layer {
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		names := make([]string, 0, len(files))
		for n := range files {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg})
			tw.Write([]byte(files[n]))
		}
		tw.Close()
		b := buf.Bytes()
		l, _ := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil })
		return l
	}
	img, _ := mutate.AppendLayers(empty.Image,
		mk(map[string]string{
			"etc/os-release":       "ID=alpine\nVERSION_ID=3.20.0\n",
			"lib/apk/db/installed": "P:musl\nV:1.2.5-r0\nA:x86_64\nL:MIT\n\n",
			"app/.env":             "STRIPE_KEY=sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc\n",
			"app/LICENSE":          "MIT License\n\nCopyright (c) 2026 Example\n",
		}),
		mk(map[string]string{"app/.wh..env": ""}), // deleted, but still in the image
	)
	return img
}

// Inspect reads an image once for its packages, its secrets (deleted
// files included) and its hardening findings.
func ExampleInspect() {
	src, _ := source.FromImage(exampleImage(), "example/app:1.0")
	checker, _ := harden.New(harden.WithChecks(harden.RootUserCheck()))
	in, err := shipshape.Inspect(context.Background(), src, shipshape.WithChecker(checker))
	if err != nil {
		fmt.Println(err)
		return
	}
	ev := in.Evidence
	for _, p := range ev.SBOM.Packages {
		fmt.Println("package:", p.Name, p.Version)
	}
	for _, f := range ev.Secrets.Findings {
		fmt.Println("secret:", f.RuleID, f.File, "visible:", f.Visible, f.Secret)
	}
	for _, f := range ev.Hardening.Findings {
		fmt.Println("hardening:", f.ID, f.Evidence.Where())
	}
	fmt.Println("complete:", in.Complete())
	// Output:
	// package: musl 1.2.5-r0
	// secret: stripe-access-token app/.env visible: false sk_l****************************
	// hardening: root-user user (none: root)
	// complete: true
}

// Check is the gate: the evidence of one read, judged by a policy.
func ExampleCheck() {
	src, _ := source.FromImage(exampleImage(), "example/app:1.0")
	p, err := policy.Load([]byte(`
rules:
  - type: no-secrets
    action: deny
    min_severity: high
  - type: no-root
    action: warn
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	in, err := shipshape.Check(context.Background(), src, p)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("passed:", in.Passed())
	for _, v := range in.Decision.Violations {
		fmt.Println(v.Action, v.Rule, v.Evidence.Path)
	}
	// Output:
	// passed: false
	// deny no-secrets app/.env
	// warn no-root
}

// licenceFiles is a caller's own visitor: it wants licence files and
// keeps their first line.
type licenceFiles struct{}

func (licenceFiles) Wants(h *layer.Header) bool {
	base := h.Path[strings.LastIndexByte(h.Path, '/')+1:]
	return strings.HasPrefix(base, "LICENSE") || strings.HasPrefix(base, "COPYING")
}

func (licenceFiles) Visit(_ context.Context, _ *layer.Header, r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, 4096))
	first, _, _ := strings.Cut(string(b), "\n")
	return first, err
}

// A caller's own visitor runs in the same single read as the SBOM,
// secrets and hardening parts; its values come back typed, through the
// slot layer.Add returned.
func ExampleWithVisitors() {
	src, _ := source.FromImage(exampleImage(), "example/app:1.0")
	var licences layer.Slot[string]
	in, err := shipshape.Inspect(context.Background(), src,
		shipshape.WithVisitors(func(w *layer.Walker) { licences = layer.Add(w, licenceFiles{}) }))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range licences.Files(in.Walk) {
		fmt.Printf("%s: %s\n", f.Header.Path, f.Value)
	}
	fmt.Println("packages:", len(in.Evidence.SBOM.Packages))
	// Output:
	// app/LICENSE: MIT License
	// packages: 1
}
