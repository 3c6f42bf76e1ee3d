package secrets

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A configuration in the gitleaks format, with both allowlist spellings.
const gitleaksConfig = `
title = "team config"

[extend]
useDefault = true
disabledRules = ["slack-bot-token"]

[[rules]]
id = "acme-token"
description = "ACME API token"
regex = '''\b(acme_[0-9a-f]{32})\b'''
keywords = ["acme_"]
entropy = 3.0
tags = ["internal"]
  [[rules.allowlists]]
  description = "the sandbox token"
  regexes = ['''acme_0{8}''']

[[rules]]
id = "github-pat"
  [rules.allowlist]
  paths = ['''(^|/)fixtures/''']

[allowlist]
description = "global"
paths = ['''(^|/)vendor/''']
commits = ["1234567"]

[[allowlists]]
targetRules = ["acme-token"]
stopwords = ["deadbeef"]
`

func TestConfig(t *testing.T) {
	c, err := ParseConfig("gitleaks.toml", strings.NewReader(gitleaksConfig))
	if err != nil {
		t.Fatal(err)
	}
	if !c.UseDefault || c.Title != "team config" || len(c.Rules) != 2 || len(c.Allowlists) != 2 || !slices.Equal(c.DisabledRules, []string{"slack-bot-token"}) {
		t.Fatalf("config %+v", c)
	}
	s := newScanner(t, WithConfig(c))
	ids := s.Rules()
	if !slices.Contains(ids, "acme-token") || !slices.Contains(ids, "aws-access-token") || slices.Contains(ids, "slack-bot-token") {
		t.Errorf("rules %v", ids)
	}
	acme := "acme_9f8e7d6c5b4a39281706f5e4d3c2b1a0"
	for _, tc := range []struct {
		file, input string
		want        int
	}{
		{"app/main.go", "t := \"" + acme + "\"", 1},
		{"app/main.go", "t := \"acme_00000000" + strings.Repeat("ab", 12) + "\"", 0}, // the rule's allowlist
		{"app/main.go", "t := \"acme_deadbeef" + strings.Repeat("ab", 12) + "\"", 0}, // targeted global allowlist
		{"vendor/x/main.go", "t := \"" + acme + "\"", 0},                             // global path
		{"fixtures/t.txt", "see " + testToken, 0},                                    // merged into the built-in rule
		{"src/t.txt", "see " + testToken, 1},
		{"src/t.txt", "xoxb-2837465019-4829105736-Kq8ZtR2mLw9VpX3nB7cY4hJd", 0}, // disabled
	} {
		if got := s.ScanBytes(tc.file, []byte(tc.input)); len(got) != tc.want {
			t.Errorf("%s %q: %d findings, want %d: %+v", tc.file, tc.input, len(got), tc.want, got)
		}
	}
	// Without useDefault only the file's rules run.
	own, err := ParseConfig("own.toml", strings.NewReader(strings.Replace(gitleaksConfig, "useDefault = true", "", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(WithConfig(own)); !errors.Is(err, ErrInvalidRule) || !strings.Contains(err.Error(), `"github-pat"`) {
		// github-pat has no regex of its own once the built-ins are gone.
		t.Errorf("own rules without a base: %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		doc, want string
	}{
		{"[[rules]]\nid = \"x\"\nregex = '''(unclosed'''\n", `rule "x": regex`},
		{"[[rules]]\nid = \"x\"\nregexx = 'a'\n", "regexx"},
		{"[[rules]]\nregex = 'a'\n", "rule 1 has no id"},
		{"[[rules]]\nid = \"x\"\nregex = 'a'\n[[rules.required]]\nid = \"y\"\n", "composite rules"},
		{"[extend]\nurl = \"https://example.com/c.toml\"\n", "no network"},
		{"[extend]\npath = \"base.toml\"\n", "needs LoadConfig"},
		{"[allowlist]\nregexes = ['[']\n", "allowlist 1"},
		{"title = \n", "gitleaks.toml:1"},
	} {
		_, err := ParseConfig("gitleaks.toml", strings.NewReader(tc.doc))
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want ErrConfig mentioning %q", tc.doc, err, tc.want)
		}
	}
}

// TestConfigExtendPath: a configuration extending another file, rules
// merging by id, a chain at most two deep.
func TestConfigExtendPath(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("base.toml", "[[rules]]\nid = \"a\"\nregex = '''a_(\\d{8})'''\nkeywords = [\"a_\"]\n[[rules]]\nid = \"b\"\nregex = '''b_(\\d{8})'''\nkeywords = [\"b_\"]\n")
	top := write("top.toml", "[extend]\npath = \"base.toml\"\ndisabledRules = [\"b\"]\n[[rules]]\nid = \"a\"\nentropy = 2.5\n[[rules]]\nid = \"c\"\nregex = '''c_(\\d{8})'''\nkeywords = [\"c_\"]\n")
	c, err := LoadConfig(top)
	if err != nil {
		t.Fatal(err)
	}
	s := newScanner(t, WithConfig(c))
	if ids := s.Rules(); !slices.Equal(ids, []string{"a", "c"}) {
		t.Errorf("rules %v", ids)
	}
	// Entropy 2.5 merged into a: 31415926 passes (2.75), 11112222 not.
	if got := s.ScanBytes("f", []byte("a_31415926 a_11112229 c_27182818")); len(got) != 2 {
		t.Errorf("findings %+v", got)
	}
	loop := write("loop.toml", "[extend]\npath = \"loop.toml\"\n")
	if _, err := LoadConfig(loop); !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "deep") {
		t.Errorf("self-extending config: %v", err)
	}
}

func TestBaselineFormats(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		want      []string
	}{
		{"shipshape report", `{"schema_version": "1", "findings": [{"rule_id": "x", "fingerprint": "abc"}, {"fingerprint": "def"}]}`, []string{"abc", "def"}},
		{"gitleaks report", `[{"File": "./app/.env", "StartLine": 3, "RuleID": "generic-api-key", "Fingerprint": "app/.env:generic-api-key:3"}]`, []string{"app/.env:3"}},
		{"text", "# accepted 2026-01\nabc\n\n  def  # old key\n", []string{"abc", "def"}},
	} {
		got, err := ReadBaseline(strings.NewReader(tc.doc))
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v %v, want %v", tc.name, got, err, tc.want)
		}
	}
	for _, bad := range []string{`{"findings": [{"rule_id": "x"}]}`, `[{"File": ""}]`, "two words\n", `{"findings": 3}`} {
		if _, err := ReadBaseline(strings.NewReader(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	p := filepath.Join(t.TempDir(), "baseline.txt")
	os.WriteFile(p, []byte("two words\n"), 0o644)
	if _, err := New(WithBaselineFile(p)); !errors.Is(err, ErrBaseline) || !strings.Contains(err.Error(), p) {
		t.Errorf("bad baseline file: %v", err)
	}
}

// TestOverriddenRegexDropsBuiltinHooks: a config that gives a built-in
// rule a new expression does not keep the prefilter written for the old
// one (review finding: url-basic-auth kept needing "@").
func TestOverriddenRegexDropsBuiltinHooks(t *testing.T) {
	cfg, err := ParseConfig("x.toml", strings.NewReader("[extend]\nuseDefault = true\n\n[[rules]]\nid = \"url-basic-auth\"\nregex = '''deploytoken=(?P<secret>[A-Za-z0-9]{24})'''\nkeywords = [\"deploytoken\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(WithConfig(cfg))
	if err != nil {
		t.Fatal(err)
	}
	has := func(fs []Finding) bool {
		for _, f := range fs {
			if f.RuleID == "url-basic-auth" {
				return true
			}
		}
		return false
	}
	if fs := s.ScanBytes("app.conf", []byte("deploytoken=Zx8Qm2Lp9Vk4Rt7Wn3Yb5Tc6Ud\n")); !has(fs) {
		t.Errorf("findings %+v", fs)
	}
	// Editing a default rule's expression in code does the same.
	rules := DefaultRules()
	for i := range rules {
		if rules[i].ID == "url-basic-auth" {
			rules[i].Regex = `deploytoken=(?P<secret>[A-Za-z0-9]{24})`
			rules[i].Keywords = []string{"deploytoken"}
		}
	}
	s, err = New(WithRules(rules...))
	if err != nil {
		t.Fatal(err)
	}
	if fs := s.ScanBytes("app.conf", []byte("deploytoken=Zx8Qm2Lp9Vk4Rt7Wn3Yb5Tc6Ud\n")); !has(fs) {
		t.Errorf("edited rule: %+v", fs)
	}
}
