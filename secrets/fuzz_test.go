package secrets

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// FuzzScan runs the engine on arbitrary input: no panic, findings inside
// the input, and a stream read in pieces finds what one buffer finds.
func FuzzScan(f *testing.F) {
	k := testKeys()
	for _, seed := range []string{
		"token=" + testToken, "DB_PASSWORD=Xk9#mQ2vL8pZ\n", k["ec"], k["rsa"] + k["pkcs8"],
		"- name: API_TOKEN\n  value: \"aZ3kP9mQ2xL7vB4n\"\n", "data:\n  t: " + b64("token "+testToken) + "\n",
		"\x00\xff\xfe binary", "postgres://a:b@c", "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----",
	} {
		f.Add([]byte(seed))
	}
	s := newScanner(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		want := s.ScanBytes("f.env", data)
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, fd := range want {
			if fd.Line < 0 || fd.Line > lines || fd.EndLine < fd.Line && fd.Line > 0 || fd.Secret == "" && fd.Line > 0 {
				t.Fatalf("finding out of the input: %+v (%d lines)", fd, lines)
			}
		}
		got, err := s.ScanReader(context.Background(), "f.env", iotest.HalfReader(bytes.NewReader(data)))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("stream %+v, buffer %+v", got, want)
		}
	})
}

func FuzzParseConfig(f *testing.F) {
	f.Add(gitleaksConfig)
	f.Add("[[rules]]\nid = \"x\"\nregex = 'a(b)'\nsecretGroup = 1\n")
	f.Add("[extend]\nuseDefault = true\n[[allowlists]]\npaths = ['a']\n")
	f.Fuzz(func(t *testing.T, doc string) {
		c, err := ParseConfig("f.toml", strings.NewReader(doc))
		if err != nil {
			return
		}
		// A configuration that parses builds a scanner or fails cleanly.
		if s, err := New(WithConfig(c)); err == nil {
			s.ScanBytes("x", []byte(doc))
		}
	})
}

func FuzzGitignore(f *testing.F) {
	f.Add("*.log\n!keep.log\n/build/\ndocs/**/*.tmp\n[!a]x\n\\#x\n", "docs/a/b.tmp")
	f.Fuzz(func(t *testing.T, patterns, p string) {
		set := &ignoreSet{files: map[string]*ignoreFile{"": parseIgnore("", []byte(patterns))}}
		set.ignored(strings.Trim(p, "/"), false)
		set.ignored(strings.Trim(p, "/"), true)
	})
}

func FuzzReadBaseline(f *testing.F) {
	f.Add(`{"findings": [{"fingerprint": "abc"}]}`)
	f.Add(`[{"File": "a", "StartLine": 1}]`)
	f.Add("abc\n# c\n")
	f.Fuzz(func(t *testing.T, doc string) {
		_, _ = ReadBaseline(strings.NewReader(doc))
	})
}
