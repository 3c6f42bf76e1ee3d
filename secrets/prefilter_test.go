package secrets

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

type dfaHit struct {
	start int
	kw    int32
}

func dfaHits(scan func([]byte, func(int, int32)), data []byte) []dfaHit {
	var out []dfaHit
	scan(data, func(start int, kw int32) { out = append(out, dfaHit{start, kw}) })
	return out
}

// TestKeywordDFASplit: the four-chain scan of a large buffer reports what
// the one-chain scan reports, in the same order, wherever a quarter
// begins: through a keyword, on its first or last byte, between two.
func TestKeywordDFASplit(t *testing.T) {
	keywords := []string{"password", "pass", "ghp_", "aws_secret_access_key", "ss", "a"}
	d := newKeywordDFA(keywords)
	rng := rand.New(rand.NewPCG(1, 2))
	filler := func(n int) string {
		const alphabet = "abcdefghijklmnopqrstuvwxyz_ PASSWORD=\n"
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	for _, size := range []int{4*splitMin - 1, 4 * splitMin, 4*splitMin + 1, 4*splitMin + 3, 5*splitMin + 7, 100_000, 100_003} {
		for shift := -25; shift <= 25; shift++ {
			// A long keyword placed across each quarter's start, moved
			// byte by byte.
			for quarter := 1; quarter < 4; quarter++ {
				kw := "AWS_SECRET_ACCESS_KEY"
				at := quarter*(size/4) - len(kw)/2 + shift
				data := filler(at) + kw + filler(size-at-len(kw))
				want := dfaHits(d.scanOne, []byte(data))
				got := dfaHits(d.scan, []byte(data))
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("size %d, quarter %d, shift %d: %d hits, want %d", size, quarter, shift, len(got), len(want))
				}
			}
		}
	}
	// Dense hits on both sides of the middle.
	data := []byte(strings.Repeat("passpassword", 2000))
	if got, want := dfaHits(d.scan, data), dfaHits(d.scanOne, data); !reflect.DeepEqual(got, want) || len(want) == 0 {
		t.Fatalf("dense: %d hits, want %d", len(got), len(want))
	}
}

func FuzzKeywordDFASplit(f *testing.F) {
	d := newKeywordDFA([]string{"password", "token", "ghp_", "key"})
	f.Add([]byte("password"), 9000)
	f.Fuzz(func(t *testing.T, chunk []byte, size int) {
		if len(chunk) == 0 || size < 0 || size > 1<<17 {
			return
		}
		data := make([]byte, 0, size)
		for len(data) < size {
			data = append(data, chunk...)
		}
		if got, want := dfaHits(d.scan, data), dfaHits(d.scanOne, data); !reflect.DeepEqual(got, want) {
			t.Fatalf("%d hits, want %d", len(got), len(want))
		}
	})
}
