package secrets

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestBreaksAgreeWithSearch holds the memo of line breaks to what a plain
// search of each stretch answers, for queries in order and out of it.
func TestBreaksAgreeWithSearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		n := 1 + rng.IntN(300)
		data := make([]byte, n)
		for i := range data {
			data[i] = 'a'
			if rng.IntN(12) == 0 {
				data[i] = '\n'
			}
		}
		b := newBreaks(data)
		pos := 0
		for range 100 {
			if rng.IntN(5) == 0 {
				pos = rng.IntN(n) // out of order now and then
			} else {
				pos = min(n-1, pos+rng.IntN(4))
			}
			lo, hi := max(0, pos-rng.IntN(40)), min(n, pos+rng.IntN(40))
			wantFirst, wantLast := bytes.IndexByte(data[lo:hi], '\n'), bytes.LastIndexByte(data[lo:hi], '\n')
			if wantFirst >= 0 {
				wantFirst += lo
			}
			if wantLast >= 0 {
				wantLast += lo
			}
			if got := b.first(lo, hi); got != wantFirst {
				t.Fatalf("round %d: first(%d, %d) = %d, want %d in %q", round, lo, hi, got, wantFirst, data)
			}
			if got := b.last(lo, hi); got != wantLast {
				t.Fatalf("round %d: last(%d, %d) = %d, want %d in %q", round, lo, hi, got, wantLast, data)
			}
		}
	}
}

// BenchmarkLongRunOfKeywords is a file whose one long line meets keywords
// at nearly every byte (a 500 MB package.json of "aaaa…" took two minutes
// when every hit searched its rule's whole extent for a line break).
func BenchmarkLongRunOfKeywords(b *testing.B) {
	s, err := New()
	if err != nil {
		b.Fatal(err)
	}
	data := []byte(`{"name":"evil","version":"1.0.0","description":"` + strings.Repeat("a", 4<<20) + `"}`)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := s.ScanReader(context.Background(), "package.json", bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
