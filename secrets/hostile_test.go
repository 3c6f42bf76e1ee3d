package secrets

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestDeepTree: a tree nested hundreds of directories deep is walked, and
// the secret at the bottom found.
func TestDeepTree(t *testing.T) {
	dir := t.TempDir()
	p := dir
	rel := []string{}
	for i := 0; i < 300; i++ {
		p = filepath.Join(p, "d")
		rel = append(rel, "d")
	}
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Skipf("cannot build a deep tree here: %v", err)
	}
	if err := os.WriteFile(filepath.Join(p, "x.env"), []byte("token="+testToken), 0o644); err != nil {
		t.Skipf("cannot write at depth: %v", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	rep, err := newScanner(t).ScanFS(context.Background(), root.FS(), dir)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join(rel, "/") + "/x.env"
	if len(rep.Findings) != 1 || rep.Findings[0].File != want {
		t.Errorf("findings %+v errors %v", rep.Findings, rep.Errors)
	}
}

// endless yields n bytes of one long line of text, with a secret every
// 256 MiB, without holding them.
type endless struct {
	n, off int64
}

func (e *endless) Read(p []byte) (int, error) {
	if e.off >= e.n {
		return 0, io.EOF
	}
	k := int64(len(p))
	if e.n-e.off < k {
		k = e.n - e.off
	}
	for i := int64(0); i < k; i++ {
		p[i] = "qwert yuiop;"[(e.off+i)%12]
	}
	// Plant a token at every 256 MiB mark that falls in this read.
	const every = 256 << 20
	for mark := (e.off/every + 1) * every; mark+int64(len(testToken))+2 <= e.off+k; mark += every {
		copy(p[mark-e.off:], " "+testToken+" ")
	}
	e.off += k
	return int(k), nil
}

// TestHugeSingleLine streams a 5 GiB file that is one line through the
// scanner: every planted secret is found and memory stays bounded. It
// reads 5 GiB, so it runs with SHIPSHAPE_INTEGRATION=1.
func TestHugeSingleLine(t *testing.T) {
	if os.Getenv("SHIPSHAPE_INTEGRATION") == "" {
		t.Skip("set SHIPSHAPE_INTEGRATION=1 to stream 5 GiB")
	}
	if raceEnabled {
		// The race detector slows the byte loop twentyfold; .ci/run
		// streams the 5 GiB in a separate step without -race.
		t.Skip("streaming 5 GiB under -race takes minutes; run without -race")
	}
	s := newScanner(t)
	var peak uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		// Sample every few milliseconds: ReadMemStats stops the world, and
		// a tight loop of it starves the scanner.
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
		}
	}()
	const size = 5 << 30
	fs, err := s.ScanReader(context.Background(), "dump.txt", &endless{n: size})
	close(done)
	<-stopped
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != size/(256<<20)-1 {
		t.Errorf("%d findings, want %d", len(fs), size/(256<<20)-1)
	}
	for _, f := range fs {
		if f.Line != 1 {
			t.Errorf("finding on line %d", f.Line)
		}
	}
	t.Logf("peak heap in use %.1f MiB", float64(peak)/(1<<20))
	if peak > 200<<20 {
		t.Errorf("peak heap %d MiB", peak>>20)
	}
}
