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

func TestLeadingLiterals(t *testing.T) {
	tests := []struct {
		expr string
		want []string
	}{
		{`\b(EAA[A-Za-z0-9]{100,400})\b`, []string{"EAA"}},
		{`\b(EAAA[A-Za-z0-9_+=-]{60}|sq0atp-[A-Za-z0-9_-]{22})(?:[^A-Za-z0-9_+=-]|$)`, []string{"EAAA", "sq0atp-"}},
		{`(?m)^\s*-----BEGIN`, nil}, // \s* may match nothing: no literal leads
		{`(?i)token=([a-z]+)`, nil},
		{`(?:Bearer )?([A-Za-z0-9]{20})`, nil},
		{`ab[cd]|xy`, []string{"ab", "xy"}},
		{`abc|[0-9]x`, nil},
		{`(?P<secret>key-[0-9a-f]{32})`, []string{"key-"}},
		{`[`, nil},
	}
	for _, tt := range tests {
		var got []string
		for _, l := range leadingLiterals(tt.expr) {
			got = append(got, string(l))
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("leadingLiterals(%q) = %q, want %q", tt.expr, got, tt.want)
		}
	}
}

// TestLiteralsHoldForEveryMatch: for every built-in rule with leading
// literals, each match its expression finds in any rule example contains
// one of them — the prefilter never hides a match.
func TestLiteralsHoldForEveryMatch(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	cases := allRuleCases()
	for _, r := range s.rules {
		if r.lits == nil {
			continue
		}
		for _, c := range cases {
			text := c.input
			for _, loc := range r.re.FindAllStringIndex(text, -1) {
				if !containsAny([]byte(text[loc[0]:loc[1]]), r.lits) {
					t.Errorf("%s: match %q holds none of %q", r.ID, text[loc[0]:loc[1]], r.lits)
				}
				checked++
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d matches checked", checked)
	}
}
