package secrets

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/layer/layertest"
)

func TestScanFS(t *testing.T) {
	line := "token=" + testToken + "\n"
	fsys := fstest.MapFS{
		"app/.env":               {Data: []byte("# config\n" + line)},
		"app/deep/a/b/c/d/e.txt": {Data: []byte(line)},
		"app/logo.png":           {Data: append([]byte("\x89PNG\x00\x00"), line...)}, // binary: skipped
		".git/config":            {Data: []byte(line)},                               // never scanned
		"vendor/lib.go":          {Data: []byte(`const t = "` + testToken + `"`)},
		"big.log":                {Data: []byte(strings.Repeat("x", 100) + "\n" + line)},
	}
	s := newScanner(t, WithMaxFileBytes(64), WithAllowlist(Allowlist{Paths: []string{`^vendor/`}}))
	rep, err := s.ScanFS(context.Background(), fsys, "tree")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.File+":"+itoa(f.Line))
	}
	if want := []string{"app/.env:2", "app/deep/a/b/c/d/e.txt:1"}; !slices.Equal(got, want) {
		t.Errorf("findings at %v, want %v", got, want)
	}
	if rep.Stats.Files != 3 || rep.Stats.Skipped != 2 {
		t.Errorf("stats %+v", rep.Stats)
	}
	if len(rep.Errors) != 1 || rep.Errors[0].Path != "big.log" || !errors.Is(rep.Errors[0].Err, layer.ErrFileTooLarge) {
		t.Errorf("errors %v", rep.Errors)
	}
	if rep.Source != (Source{Type: SourceDirectory, Name: "tree"}) || rep.SchemaVersion != ReportSchemaVersion {
		t.Errorf("report header %+v", rep)
	}
}

// failingFS fails to open one file, as an unreadable file would.
type failingFS struct {
	fs.FS
	bad string
}

func (f failingFS) Open(name string) (fs.File, error) {
	if name == f.bad {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.FS.Open(name)
}

func TestScanFSUnreadable(t *testing.T) {
	fsys := failingFS{FS: fstest.MapFS{"a.env": {Data: []byte("token=" + testToken)}, "b.env": {Data: []byte("token=" + testToken)}}, bad: "a.env"}
	rep, err := newScanner(t).ScanFS(context.Background(), fsys, "t")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || len(rep.Errors) != 1 || !errors.Is(rep.Errors[0].Err, fs.ErrPermission) {
		t.Errorf("findings %v errors %v", rep.Findings, rep.Errors)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := newScanner(t).ScanFS(ctx, fsys, "t"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestGitignore compares the ignore matching with git check-ignore on a
// tree with nested .gitignore files and the pattern forms git documents.
func TestGitignore(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	files := map[string]string{
		".gitignore":        "# comment\n*.log\n!keep.log\n/build/\ndocs/**/*.tmp\n**/cache\nsecret?.txt\n[ab]x.txt\n\\#hash\ntrailing \n",
		"sub/.gitignore":    "*.txt\n!important.txt\nlocal/\n",
		".git/info/exclude": "excluded.md\n",
		"a.log":             "", "keep.log": "", "sub/keep.log": "", "build/out.bin": "", "src/build/x.go": "",
		"docs/a/b/c.tmp": "", "docs/c.tmp": "", "x/cache/y": "", "cache": "", "secret1.txt": "", "secret10.txt": "",
		"ax.txt": "", "cx.txt": "", "#hash": "", "trailing": "", "sub/a.txt": "", "sub/important.txt": "",
		"sub/local/z.go": "", "sub/deeper/local/q.go": "", "excluded.md": "", "sub/excluded.md": "", "main.go": "",
		"sub/deeper/notes.md": "",
	}
	for p, body := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git := exec.Command("git", "init", "-q")
	git.Dir = dir
	if out, err := git.CombinedOutput(); err != nil {
		t.Skipf("git init: %v %s", err, out)
	}
	var paths []string
	for p := range files {
		if !strings.HasPrefix(p, ".git/") {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	check := exec.Command("git", append([]string{"check-ignore", "--no-index", "--"}, paths...)...)
	check.Dir = dir
	out, _ := check.Output() // exit status 1 when nothing is ignored
	want := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		want[l] = true
	}
	// The scanner's view: files it reads.
	s := newScanner(t, WithGitignore(), WithRules(Rule{ID: "any", Regex: `(?s).+`, KeepPlaceholders: true}))
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	// Empty files produce no match; give each scanned file content.
	for _, p := range paths {
		if !strings.HasSuffix(p, ".gitignore") {
			os.WriteFile(filepath.Join(dir, p), []byte("x"), 0o644)
		}
	}
	rep, err := s.ScanFS(context.Background(), root.FS(), dir)
	if err != nil {
		t.Fatal(err)
	}
	scanned := map[string]bool{}
	for _, f := range rep.Findings {
		scanned[f.File] = true
	}
	for _, p := range paths {
		if strings.HasSuffix(p, ".gitignore") {
			continue
		}
		if scanned[p] == want[p] {
			t.Errorf("%s: scanned=%v, git ignores=%v", p, scanned[p], want[p])
		}
	}
}

func TestScanImage(t *testing.T) {
	k := testKeys()["ec"]
	img := layertest.Image(t,
		layertest.Layer(t, layertest.File("app/.env", "API_TOKEN="+testToken+"\n"), layertest.File("app/id_ec", k), layertest.File("bin/tool", "\x7fELF\x00\x00"+testToken), layertest.Hardlink("app/key-link", "app/id_ec")),
		layertest.Layer(t, layertest.Whiteout("app/.env")),
		layertest.Layer(t, layertest.File("etc/app.conf", "password = \"Xk9#mQ2vL8pZ\"\n")),
	)
	img = withConfig(t, img, []string{"PATH=/usr/bin", "NPM_TOKEN=" + checksummed("npm_", "k3Jd8QmZx2LpV9rT5wYb7NcH1fG4sA")},
		[]string{"/bin/sh -c #(nop) ADD file:abc in /", "|1 GITHUB_TOKEN=" + testToken + " /bin/sh -c make"})
	rep, err := newScanner(t).ScanImage(context.Background(), img, "test:1")
	if err != nil {
		t.Fatal(err)
	}
	cf, _ := img.ConfigFile()
	diff := func(i int) string { return cf.RootFS.DiffIDs[i].String() }
	type loc struct {
		file, rule, layer string
		visible           bool
	}
	var got []loc
	for _, f := range rep.Findings {
		got = append(got, loc{f.File, f.RuleID, f.Layer, f.Visible})
	}
	want := []loc{
		{"app/.env", "github-pat", diff(0), false}, // deleted by layer 1, still in the image
		{"app/id_ec", "private-key", diff(0), true},
		{"app/key-link", "private-key", diff(0), true},
		{"etc/app.conf", "generic-api-key", diff(2), true},
		{"image config/env", "npm-access-token", "", true},
		{"image config/history", "github-pat", "", true},
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings\n%v\nwant\n%v", got, want)
	}
	if rep.Source.Type != SourceImage || rep.Source.ImageID == "" || rep.Stats.Skipped != 1 {
		t.Errorf("report %+v", rep)
	}
	if rep.Findings[1].Fingerprint == rep.Findings[2].Fingerprint {
		t.Error("a hard link shares its target's fingerprint")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// withConfig sets an image's environment and build history.
func withConfig(t *testing.T, img v1.Image, env, history []string) v1.Image {
	t.Helper()
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.Config.Env = env
	for _, h := range history {
		cf.History = append(cf.History, v1.History{CreatedBy: h})
	}
	out, err := mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestScanImageSystemDocs: documentation and headers that distributions
// install are skipped in images unless asked for.
func TestScanImageSystemDocs(t *testing.T) {
	img := layertest.Image(t, layertest.Layer(t,
		layertest.File("usr/share/doc/tool/examples/config", "API_TOKEN="+testToken+"\n"),
		layertest.File("usr/include/tool.h", "#define TOKEN \""+testToken+"\"\n"),
		layertest.File("usr/share/tool/config", "API_TOKEN="+testToken+"\n"),
	))
	for _, tc := range []struct {
		opts []Option
		want int
	}{{nil, 1}, {[]Option{WithSystemDocs()}, 3}} {
		s, err := New(tc.opts...)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := s.ScanImage(context.Background(), img, "x")
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Findings) != tc.want {
			t.Errorf("opts %d: %d findings, want %d: %+v", len(tc.opts), len(rep.Findings), tc.want, rep.Findings)
		}
	}
}
