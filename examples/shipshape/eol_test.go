package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// eolAPI answers like endoflife.date's API v1: every product with one
// release, Debian 12 ending on 2026-01-31 (earlier than the real date, to
// tell the fetched table from the built-in one); broken, when set, is
// what it answers for Fedora.
func eolAPI(t *testing.T, broken string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := strings.CutPrefix(r.URL.Path, "/api/v1/products/")
		if !ok {
			http.NotFound(w, r)
			return
		}
		if p == "fedora" && broken != "" {
			fmt.Fprint(w, broken)
			return
		}
		rel := `{"name":"1","codename":null,"isEol":false,"eolFrom":null}`
		if p == "debian" {
			rel = `{"name":"12","codename":"Bookworm","isEol":true,"eolFrom":"2026-01-31","isEoes":true,"eoesFrom":"2026-01-31"}`
		}
		fmt.Fprintf(w, `{"schema_version":"1.2.1","generated_at":"2099-01-01T00:00:00Z","result":{"name":%q,"releases":[%s]}}`, p, rel)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestEOL: 'db fetch-eol' keeps the table the later scans and checks use;
// an image past its distribution's end of support says so in each
// output, and the strict policy denies it; a bad download keeps the table.
func TestEOL(t *testing.T) {
	cache := t.TempDir()
	srv := eolAPI(t, "")
	code, out, errOut := runCLI("db", "fetch-eol", "--url", srv.URL+"/api/v1", "--cache-dir", cache)
	if code != exitOK || !strings.Contains(out, "as of 2099-01-01") {
		t.Fatalf("fetch-eol: exit %d\n%s\n%s", code, out, errOut)
	}
	before, err := os.ReadFile(filepath.Join(cache, "eol.json"))
	if err != nil {
		t.Fatal(err)
	}
	ref, db := demoRef(t), demoOSV(t)
	const past = "debian 12 is past its end of support, which ended after 2026-01-31 (endoflife.date as of 2099-01-01)"
	code, out, errOut = runCLI("scan", ref, "--db", db, "--cache-dir", cache)
	if code != exitOK || !strings.Contains(out, "distribution: "+past) || !strings.Contains(out, "warning: debian 12 is past its end of support") ||
		!strings.Contains(out, "; debian 12 is past its end of support") {
		t.Errorf("scan table: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI("scan", ref, "--db", db, "--cache-dir", cache, "--format", "json")
	if code != exitOK || !strings.Contains(out, `"status": "eol"`) || !strings.Contains(errOut, "shipshape: distribution: "+past) {
		t.Errorf("scan json: exit %d\n%s", code, errOut)
	}
	code, out, _ = runCLI("scan", ref, "--db", db, "--cache-dir", cache, "--format", "sarif")
	if code != exitOK || !strings.Contains(out, `"ruleId": "shipshape/distro-eol"`) {
		t.Errorf("scan sarif: exit %d", code)
	}
	strict := filepath.Join("..", "policies", "strict.yaml")
	code, out, errOut = runCLI("check", ref, "--policy", strict, "--db", db, "--cache-dir", cache)
	if code != exitGate || !strings.Contains(out, "supported-distro") || !strings.Contains(out, "warning: debian 12 is past its end of support") {
		t.Errorf("check strict: exit %d\n%s\n%s", code, out, errOut)
	}

	// A truncated answer: an error naming it, the table kept.
	bad := eolAPI(t, `{"schema_version":"1.2.1","generated_at":"2099-01-02T00:00:00Z","result":{"name":"fedora","rel`)
	code, _, errOut = runCLI("db", "fetch-eol", "--url", bad.URL+"/api/v1", "--cache-dir", cache)
	if code != exitError || !strings.Contains(errOut, "/products/fedora") || !strings.Contains(errOut, "truncated") {
		t.Errorf("truncated: exit %d %s", code, errOut)
	}
	if after, err := os.ReadFile(filepath.Join(cache, "eol.json")); err != nil || string(after) != string(before) {
		t.Errorf("the table was not kept: %v", err)
	}
	// A broken table file fails scans with a way out.
	if err := os.WriteFile(filepath.Join(cache, "eol.json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI("scan", ref, "--db", db, "--cache-dir", cache); code != exitError || !strings.Contains(errOut, "fetch-eol") {
		t.Errorf("broken table: exit %d %s", code, errOut)
	}
}

// TestNothingDetected: a directory with no operating system and no
// package is not reported clean, in any format.
func TestNothingDetected(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "README"), []byte("nothing to see\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	db, cache := demoOSV(t), t.TempDir()
	const msg = "nothing was checked: no operating system and no package was detected"
	for _, f := range []string{"table", "json", "sarif", "cyclonedx-json"} {
		code, out, errOut := runCLI("scan", "dir:"+dir, "--db", db, "--cache-dir", cache, "--format", f)
		if code != exitOK || !strings.Contains(out, msg) {
			t.Errorf("%s: exit %d\n%s\n%s", f, code, out, errOut)
		}
		if f == "table" && !strings.Contains(out, "nothing checked: no operating system or package detected") {
			t.Errorf("table summary:\n%s", out)
		}
	}
}
