package secrets

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/shipshape-dev/shipshape/result"
)

// testToken is a valid GitHub token for the tests.
var testToken = checksummed("ghp_", "Zx8QvR2mN5tLw9KpB3cY7hJ4dF6gA1")

func newScanner(t testing.TB, opts ...Option) *Scanner {
	t.Helper()
	s, err := New(append([]Option{WithRevealSecretsUnsafe()}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestStreamMatchesBytes: a stream read in chunks finds what one buffer
// finds, wherever the secrets fall relative to chunk boundaries, with the
// same lines and columns.
func TestStreamMatchesBytes(t *testing.T) {
	s := newScanner(t)
	rng := rand.New(rand.NewPCG(1, 2))
	filler := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = "abcdefgh ijklmnop\n"[rng.IntN(18)]
		}
		return b
	}
	k := testKeys()["ec"]
	for _, tc := range []struct {
		name string
		at   []int
	}{
		{"before the first boundary", []int{chunkSize - s.overlap - 20}},
		{"across the first boundary", []int{chunkSize - s.overlap - 3}},
		{"in the overlap", []int{chunkSize - s.overlap/2}},
		{"across the buffer end", []int{chunkSize + s.overlap - 10}},
		{"several chunks", []int{10, chunkSize - s.overlap - 5, 2*chunkSize - 3*s.overlap - 7, 3 * chunkSize}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var data []byte
			for i, at := range tc.at {
				data = append(data, filler(at-len(data))...)
				if i%2 == 0 {
					data = append(data, "\ntoken="+testToken+"\n"...)
				} else {
					data = append(data, "\n"+k...)
				}
			}
			data = append(data, filler(1000)...)
			want := s.ScanBytes("f", data)
			if len(want) != len(tc.at) {
				t.Fatalf("ScanBytes found %d, want %d: %+v", len(want), len(tc.at), want)
			}
			for _, r := range []io.Reader{bytes.NewReader(data), iotest.HalfReader(bytes.NewReader(data))} {
				got, err := s.ScanReader(context.Background(), "f", r)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("ScanReader:\n%+v\nScanBytes:\n%+v", got, want)
				}
			}
			// A size hint that is wrong (a short one gives a small first
			// buffer) changes nothing, nor does a pooled buffer a previous
			// scan left.
			for _, hint := range []int64{-1, 10, sniffSize + 1, int64(len(data) / 2), int64(len(data)), int64(len(data) * 2)} {
				for _, sniff := range []bool{false, true} {
					got, n, err := s.scanStream(context.Background(), s.newFileScan("f"), bytes.NewReader(data), sniff, hint)
					if err != nil || n != int64(len(data)) {
						t.Fatalf("hint %d: %d bytes, %v", hint, n, err)
					}
					if !reflect.DeepEqual(got, want) {
						t.Errorf("hint %d, sniff %v:\n%+v\nScanBytes:\n%+v", hint, sniff, got, want)
					}
				}
			}
		})
	}
}

// TestLongLine: a file of one long line (minified code, a dump) is
// scanned in bounded pieces; secrets in it are found, with their columns.
func TestLongLine(t *testing.T) {
	s := newScanner(t)
	line := bytes.Repeat([]byte("a,b;c "), 1<<20) // 6 MiB, no line break
	at := 3<<20 + 1
	data := append(append(append([]byte(nil), line[:at]...), " "+testToken+" "...), line[at:]...)
	fs, err := s.ScanReader(context.Background(), "bundle.min.js", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Line != 1 || fs[0].Column != at+2 || fs[0].Secret != testToken {
		t.Errorf("findings %+v", fs)
	}
}

func TestFiltersAndAllowlists(t *testing.T) {
	line := "see " + testToken
	for _, tc := range []struct {
		name  string
		opts  []Option
		file  string
		input string
		want  int
	}{
		{"plain", nil, "a.txt", line, 1},
		{"inline allow", nil, "a.txt", line + " # shipshape:allow", 0},
		{"inline allow, gitleaks form", nil, "a.txt", line + " // gitleaks:allow", 0},
		{"inline allow on another line", nil, "a.txt", "# shipshape:allow\n" + line, 1},
		{"global path", []Option{WithAllowlist(Allowlist{Paths: []string{`^testdata/`}})}, "testdata/a.txt", line, 0},
		{"global path elsewhere", []Option{WithAllowlist(Allowlist{Paths: []string{`^testdata/`}})}, "src/a.txt", line, 1},
		{"global regex on the secret", []Option{WithAllowlist(Allowlist{Regexes: []string{`^ghp_Zx8`}})}, "a.txt", line, 0},
		{"global regex on the line", []Option{WithAllowlist(Allowlist{Regexes: []string{`^see `}, RegexTarget: TargetLine})}, "a.txt", line, 0},
		{"global regex on the match misses", []Option{WithAllowlist(Allowlist{Regexes: []string{`^see `}, RegexTarget: TargetMatch})}, "a.txt", line, 1},
		{"stop word", []Option{WithAllowlist(Allowlist{StopWords: []string{"QVR2"}})}, "a.txt", line, 0},
		{"AND needs both", []Option{WithAllowlist(Allowlist{Condition: AllCriteria, Paths: []string{`\.md$`}, StopWords: []string{"qvr2"}})}, "a.txt", line, 1},
		{"AND with both", []Option{WithAllowlist(Allowlist{Condition: AllCriteria, Paths: []string{`\.md$`}, StopWords: []string{"qvr2"}})}, "a.md", line, 0},
		{"targeted at another rule", []Option{WithAllowlist(Allowlist{Rules: []string{"aws-access-token"}, StopWords: []string{"qvr2"}})}, "a.txt", line, 1},
		{"targeted at the rule", []Option{WithAllowlist(Allowlist{Rules: []string{"github-pat"}, StopWords: []string{"qvr2"}})}, "a.txt", line, 0},
		{"rule disabled", []Option{WithDisabledRules("github-pat")}, "a.txt", line, 0},
		{"baseline by fingerprint", []Option{WithBaseline(Fingerprint("github-pat", "a.txt", testToken))}, "a.txt", line, 0},
		{"baseline by place", []Option{WithBaseline("a.txt:1")}, "a.txt", line, 0},
		{"baseline of another file", []Option{WithBaseline(Fingerprint("github-pat", "b.txt", testToken))}, "a.txt", line, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newScanner(t, tc.opts...)
			if got := s.ScanBytes(tc.file, []byte(tc.input)); len(got) != tc.want {
				t.Errorf("%d findings, want %d: %+v", len(got), tc.want, got)
			}
		})
	}
}

func TestRuleErrors(t *testing.T) {
	for _, tc := range []struct {
		rule Rule
		want string
	}{
		{Rule{ID: "r", Regex: `(`}, `rule "r": regex`},
		{Rule{ID: "r"}, `rule "r": neither regex nor path`},
		{Rule{Regex: `x`}, `has no id`},
		{Rule{ID: "r", Regex: `(a)`, SecretGroup: 2}, `secret group 2`},
		{Rule{ID: "r", Regex: `a`, Entropy: 9}, `entropy`},
		{Rule{ID: "r", Regex: `a`, MaxLength: 1 << 30}, `max length`},
		{Rule{ID: "r", Regex: `a`, Keywords: []string{" "}}, `empty keyword`},
		{Rule{ID: "r", Regex: `a`, Allowlists: []Allowlist{{Regexes: []string{`[`}}}}, `allowlist 1`},
		{Rule{ID: "r", Regex: `a`, Allowlists: []Allowlist{{}}}, `no paths, regexes or stop words`},
		{Rule{ID: "r", Regex: `a`, Allowlists: []Allowlist{{Condition: "XOR", StopWords: []string{"a"}}}}, `condition "XOR"`},
	} {
		_, err := New(WithRules(tc.rule))
		if !errors.Is(err, ErrInvalidRule) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want ErrInvalidRule mentioning %q", tc.rule, err, tc.want)
		}
	}
	for _, opt := range []Option{WithMaxFileBytes(0), WithDecodeDepth(9), WithConfig(nil)} {
		if _, err := New(opt); !errors.Is(err, result.ErrInvalidOption) {
			t.Errorf("option: %v", err)
		}
	}
}

// TestUserRules: rules from callers, with named groups, path-only rules
// and rules without keywords (which see whole files).
func TestUserRules(t *testing.T) {
	s := newScanner(t, WithRules(
		Rule{ID: "acme", Keywords: []string{"acme_"}, Regex: `acme_(?P<secret>[0-9a-f]{16})`},
		Rule{ID: "no-keywords", Regex: `zz(\d{6})zz`},
		Rule{ID: "pem-file", Path: `\.pem$`},
	))
	got := s.ScanBytes("certs/server.pem", []byte("x ACME_0123456789abcdef y\nzz418203zz\n"))
	var ids []string
	for _, f := range got {
		ids = append(ids, fmt.Sprintf("%s=%s@%d", f.RuleID, f.Secret, f.Line))
	}
	want := []string{"no-keywords=418203@2", "pem-file=@0"}
	// acme_ in upper case: keywords match case-insensitively, the
	// expression decides.
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("got %v, want %v", ids, want)
	}
	if ids := s.Rules(); !reflect.DeepEqual(ids, []string{"acme", "no-keywords", "pem-file"}) {
		t.Errorf("Rules() = %v", ids)
	}
}

func TestDecodedSecrets(t *testing.T) {
	s := newScanner(t)
	for _, tc := range []struct {
		name, input, rule, decoded string
	}{
		{"kubernetes secret", "data:\n  token: " + b64("GITHUB_TOKEN="+testToken) + "\n", "github-pat", "base64"},
		{"url-safe", "x=" + b64url("aws_key = AKIAZ7QWERTYUIOPASDF ok?") + "\n", "aws-access-token", "base64"},
		{"twice", "v: " + b64(b64("token "+testToken+" end")) + "\n", "github-pat", "base64/base64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := s.ScanBytes("secret.yaml", []byte(tc.input))
			if len(got) != 1 || got[0].RuleID != tc.rule || got[0].Decoded != tc.decoded {
				t.Errorf("findings %+v", got)
			}
		})
	}
	// Without decoding the blob itself may be reported, under its name,
	// but not what it holds.
	off := newScanner(t, WithDecodeDepth(0))
	for _, f := range off.ScanBytes("s.yaml", []byte("token: "+b64("GITHUB_TOKEN="+testToken))) {
		if f.RuleID == "github-pat" || f.Decoded != "" {
			t.Errorf("decoding off: %+v", f)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"ghp_abcdefghijklmnop":   "ghp_****************",
		"hunter2":                "hu*****",
		"abc":                    "a**",
		"x":                      "*",
		strings.Repeat("A", 100): "AAAA" + strings.Repeat("*", 32),
		"pässwört-geheim":        "päss***********",
		"":                       "",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFingerprintStable: moving a secret to another line keeps its
// fingerprint; another file or rule changes it.
func TestFingerprintStable(t *testing.T) {
	s := newScanner(t)
	a := s.ScanBytes("a.env", []byte("token="+testToken))
	b := s.ScanBytes("a.env", []byte("# moved\n\ntoken="+testToken))
	c := s.ScanBytes("b.env", []byte("token="+testToken))
	if len(a) != 1 || len(b) != 1 || len(c) != 1 || a[0].Fingerprint != b[0].Fingerprint || a[0].Fingerprint == c[0].Fingerprint {
		t.Errorf("fingerprints %v %v %v", a, b, c)
	}
	red := newScannerRedacted(t)
	if f := red.ScanBytes("a.env", []byte("token="+testToken)); f[0].Fingerprint != a[0].Fingerprint || strings.Contains(f[0].Secret, testToken[4:]) {
		t.Errorf("redacted finding %+v", f[0])
	}
}

func newScannerRedacted(t testing.TB) *Scanner {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestEntropy(t *testing.T) {
	for in, want := range map[string]float64{"": 0, "aaaa": 0, "ab": 1, "abcd": 2, "0123456789abcdef": 4} {
		if got := Entropy(in); got != want {
			t.Errorf("Entropy(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestIsPlaceholder(t *testing.T) {
	for in, want := range map[string]bool{
		"AKIAIOSFODNN7EXAMPLE": true, "changeme": true, "${DB_PASSWORD}": true, "{{ .Values.x }}": true,
		"<redacted>": true, "xxxxxxxxxxxx": true, "%(password)s": true, "$TOKEN": true, "%APPDATA%": true,
		"12345678": true, "abcdefgh": true, "aaaaaaaaaaaa": true, "your-api-key-here": true,
		"Xk9#mQ2vL8pZ": false, testToken: false, "Tr0ub4dor&3": false,
	} {
		if got := IsPlaceholder(in); got != want {
			t.Errorf("IsPlaceholder(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestLineNumbers: lines, columns and end lines of single- and
// multi-line matches, with CRLF line ends too.
func TestLineNumbers(t *testing.T) {
	s := newScanner(t)
	k := testKeys()["ec"]
	data := "a\r\nb\r\n  token=" + testToken + "\r\n\r\n" + k + "x\n"
	got := s.ScanBytes("f.txt", []byte(data))
	if len(got) != 2 {
		t.Fatalf("findings %+v", got)
	}
	keyLines := strings.Count(k, "\n")
	want := [][3]int{{3, 9, 3}, {5, 1, 5 + keyLines - 1}}
	for i, f := range got {
		if [3]int{f.Line, f.Column, f.EndLine} != want[i] {
			t.Errorf("finding %d at %d:%d-%d, want %v", i, f.Line, f.Column, f.EndLine, want[i])
		}
	}
}

func b64(s string) string    { return base64.StdEncoding.EncodeToString([]byte(s)) }
func b64url(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
