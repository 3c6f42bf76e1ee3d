package testkit

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// GoBinary compiles a small program that uses golang.org/x/sync v0.22.0
// (taken from the module cache, offline) for goos/goarch with extra go
// build flags, and returns the executable. Its main module is
// example.com/shipshape/testbin. It skips the test when the go command or
// the module is unavailable.
func GoBinary(t testing.TB, goos, goarch string, flags ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/shipshape/testbin\n\ngo 1.25.0\n\nrequire golang.org/x/sync v0.22.0\n",
		"go.sum": "golang.org/x/sync v0.22.0 h1:SZjpbeLmrCk4xhRSZFNZW5gFUeCeFgjekvI/+gfScek=\n" +
			"golang.org/x/sync v0.22.0/go.mod h1:9xrNwdLfx4jkKbNva9FpL6vEN7evnE43NNNJQ2LF3+0=\n",
		"main.go": "package main\n\nimport \"golang.org/x/sync/errgroup\"\n\nfunc main() {\n\tvar g errgroup.Group\n\tg.Go(func() error { return nil })\n\t_ = g.Wait()\n}\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "bin")
	cmd := exec.Command("go", append([]string{"build", "-o", out}, flags...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "GOFLAGS=-mod=mod -buildvcs=false", "GOPROXY=off", "GOWORK=off", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("cannot build the test binary offline: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
