package report_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/layer/layertest"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/report"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/source"
)

var update = flag.Bool("update", false, "rewrite the golden page")

var when = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// hostileName is a package name that would run script if not escaped.
const hostileName = `evil"><script>alert(1)</script>`

// demoInput runs the real pipeline over a crafted image: a PyPI package
// with an advisory (scan/testdata/osv), a package with a hostile name, a
// secret deleted by a later layer, and a root user; then a policy.
func demoInput(t *testing.T) (*policy.Input, *policy.Decision) {
	t.Helper()
	ctx := context.Background()
	img := layertest.Image(t,
		layertest.Layer(t,
			layertest.File("etc/os-release", "ID=debian\nVERSION_ID=12\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"),
			layertest.File("usr/lib/python3/dist-packages/Flask_Thing-1.1.dist-info/METADATA", "Metadata-Version: 2.1\nName: Flask_Thing\nVersion: 1.1\n"),
			layertest.File("usr/lib/python3/dist-packages/evil-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: "+hostileName+"\nVersion: 1.0\n"),
			layertest.File("app/.env", "STRIPE_KEY=sk_live_"+"4eC39HqLyjWDarjtT1zdp7dc\n"),
		),
		layertest.Layer(t, layertest.Whiteout("app/.env")),
	)
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.Created = v1.Time{Time: when.Add(-time.Hour)}
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		t.Fatal(err)
	}
	db, err := scan.LoadDB(ctx, "../scan/testdata/osv", scan.WithCacheDir(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	src, err := source.FromImage(img, "registry.example/app:1.0")
	if err != nil {
		t.Fatal(err)
	}
	in, err := shipshape.Inspect(ctx, src, shipshape.WithDB(db), shipshape.WithClock(func() time.Time { return when }))
	if err != nil {
		t.Fatal(err)
	}
	rep := in.Evidence.Scan
	// Names and summaries reach the page from the image and the advisory
	// data: make them hostile.
	for i := range rep.Findings {
		rep.Findings[i].Summary = `summary with <b>markup</b> & "quotes"`
		rep.Findings[i].Package.Version = hostileName
	}
	p, err := policy.Load([]byte("version: 1\nrules:\n  - name: no-mediums\n    type: max-severity\n    action: deny\n    max: low\n  - name: no-secrets\n    type: no-secrets\n    action: deny\n"),
		policy.WithClock(func() time.Time { return when }))
	if err != nil {
		t.Fatal(err)
	}
	d, err := p.Evaluate(ctx, in.Evidence)
	if err != nil {
		t.Fatal(err)
	}
	return in.Evidence, d
}

func TestHTML(t *testing.T) {
	var buf bytes.Buffer
	ev, d := demoInput(t)
	if err := report.HTML(&buf, ev, d, report.WithGenerated(when)); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{
		`id="verdict-value">deny<`, "CVE-2099-0100", "flask-thing", "app/.env", "deleted by a later layer",
		"root-user", `<b id="vuln-count">1</b>`, "&lt;b&gt;markup&lt;/b&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script>alert", "<b>markup", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "http://", "https://", "<link", " src="} {
		if strings.Contains(page, bad) {
			t.Errorf("page holds %q", bad)
		}
	}
	if v, vulns := strings.Index(page, `id="verdict"`), strings.Index(page, `id="vulnerabilities"`); v < 0 || v > vulns {
		t.Error("the verdict does not come first")
	}
	// The data's name is the absolute path of scan/testdata/osv: the
	// page holds it (in a warning), the golden file the relative one.
	abs, err := filepath.Abs("../scan/testdata/osv")
	if err != nil {
		t.Fatal(err)
	}
	got := bytes.ReplaceAll(buf.Bytes(), []byte(abs), []byte("../scan/testdata/osv"))
	golden := filepath.Join("testdata", "report.html")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("page differs from %s (run with -update after checking the change)", golden)
	}
}

func TestHTMLWithNothingChecked(t *testing.T) {
	var buf bytes.Buffer
	if err := report.HTML(&buf, &policy.Input{Name: "x"}, nil, report.WithGenerated(when)); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "Not checked"); n != 3 || !strings.Contains(buf.String(), "No policy was evaluated") {
		t.Errorf("%d parts said not checked:\n%s", n, buf.String())
	}
}

// TestHTMLInBrowser renders the page in headless Chromium, to a PNG and to
// the DOM a browser builds, and checks that the verdict, the counts and a
// known finding are there. It runs with SHIPSHAPE_INTEGRATION=1 and
// chromium on PATH (.ci/run installs it).
func TestHTMLInBrowser(t *testing.T) {
	if os.Getenv("SHIPSHAPE_INTEGRATION") == "" {
		t.Skip("set SHIPSHAPE_INTEGRATION=1 to render in a headless browser")
	}
	chrome := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			chrome = p
			break
		}
	}
	if chrome == "" {
		t.Skip("no chromium on PATH (apt-get install chromium)")
	}
	dir := t.TempDir()
	html := filepath.Join(dir, "report.html")
	var buf bytes.Buffer
	ev, dec := demoInput(t)
	if err := report.HTML(&buf, ev, dec, report.WithGenerated(when)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(html, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--user-data-dir=" + filepath.Join(dir, "profile")}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	png := filepath.Join(dir, "report.png")
	out, err := exec.CommandContext(ctx, chrome, append(base, "--window-size=1280,2000", "--screenshot="+png, "file://"+html)...).CombinedOutput()
	if err != nil {
		t.Fatalf("screenshot: %v\n%s", err, out)
	}
	if fi, err := os.Stat(png); err != nil || fi.Size() < 10_000 {
		t.Errorf("screenshot %v %v", fi, err)
	}
	dom, err := exec.CommandContext(ctx, chrome, append(base, "--dump-dom", "file://"+html)...).Output()
	if err != nil {
		t.Fatalf("dump-dom: %v", err)
	}
	d := string(dom)
	for _, want := range []string{`id="verdict-value">deny<`, `<b id="vuln-count">1</b>`, "CVE-2099-0100", "app/.env", "root-user", "&lt;script&gt;alert(1)&lt;/script&gt;"} {
		if !strings.Contains(d, want) {
			t.Errorf("the rendered page lacks %q", want)
		}
	}
	if strings.Contains(d, "<script>alert") {
		t.Error("the hostile package name became markup")
	}
	t.Logf("rendered %d bytes of DOM, screenshot at %s", len(dom), png)
}

// TestHTMLCoverage: the scan's warnings (here: nothing detected) and the
// distribution's support status (here: past its end) are on the page.
func TestHTMLCoverage(t *testing.T) {
	ctx := context.Background()
	db, err := scan.LoadDB(ctx, "../scan/testdata/osv", scan.WithCacheDir(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := scan.WithNow(func() time.Time { return when })
	empty, err := scan.Match(ctx, db, &sbom.SBOM{}, at)
	if err != nil {
		t.Fatal(err)
	}
	stale, err := scan.Match(ctx, db, &sbom.SBOM{Distro: &sbom.Distro{ID: "debian", VersionID: "10"}}, at)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		rep  *scan.Report
		want []string
	}{
		{empty, []string{"(nothing-detected): nothing was checked", "(skipped-records)"}},
		{stale, []string{`<p id="distro-support" class="deny">distribution: debian 10 is past its end of support`, "(eol): debian 10 is past its end of support"}},
	} {
		var buf bytes.Buffer
		if err := report.HTML(&buf, &policy.Input{Name: "x", Scan: tt.rep}, nil, report.WithGenerated(when)); err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(buf.String(), w) {
				t.Errorf("page lacks %q", w)
			}
		}
	}
}
