package secrets

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// benchCorpus is the Go standard library's source, up to 32 MiB: real
// code full of words like token, key and secret.
func benchCorpus(b *testing.B) []byte {
	b.Helper()
	var buf bytes.Buffer
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		b.Skip("no go command")
	}
	root := filepath.Join(strings.TrimSpace(string(out)), "src")
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || buf.Len() > 32<<20 {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") {
			if data, err := os.ReadFile(p); err == nil {
				buf.Write(data)
			}
		}
		return nil
	})
	if buf.Len() == 0 {
		b.Skip("no Go source tree")
	}
	return buf.Bytes()
}

// BenchmarkScanBytes measures the whole engine, in MB/s.
func BenchmarkScanBytes(b *testing.B) {
	data := benchCorpus(b)
	s, err := New()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	n := 0
	for b.Loop() {
		n = len(s.ScanBytes("corpus.go", data))
	}
	b.ReportMetric(float64(n), "findings")
}

// BenchmarkPrefilter measures the keyword automaton alone: scan (four
// chains over a large buffer) against one chain.
func BenchmarkPrefilter(b *testing.B) {
	data := benchCorpus(b)
	s, err := New()
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		scan func([]byte, func(int, int32))
	}{{"scan", s.dfa.scan}, {"one-chain", s.dfa.scanOne}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			hits := 0
			for b.Loop() {
				hits = 0
				bc.scan(data, func(int, int32) { hits++ })
			}
			b.ReportMetric(float64(hits), "hits")
		})
	}
}
