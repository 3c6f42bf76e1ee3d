package secrets

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/pelletier/go-toml/v2"
)

// maxConfigBytes bounds a configuration or baseline file.
const maxConfigBytes = 16 << 20

// maxExtendDepth bounds chains of [extend] path = "…".
const maxExtendDepth = 2

// Config is a scanner configuration in the gitleaks TOML format, so that
// teams bring theirs as it is:
//
//	[extend]
//	useDefault = true                 # keep the built-in rules
//	disabledRules = ["generic-api-key"]
//
//	[[rules]]
//	id = "acme-token"
//	description = "ACME API token"
//	regex = '''\bacme_[0-9a-f]{32}\b'''
//	keywords = ["acme_"]
//	entropy = 3.0
//	  [[rules.allowlists]]
//	  regexes = ['''acme_0{32}''']
//
//	[[allowlists]]                    # or the older [allowlist]
//	paths = ['''(^|/)testdata/''']
//
// A rule with the id of a built-in one changes it field by field, as in
// gitleaks; allowlists add up. Commit allowlists do not apply to files and
// are ignored; composite rules (required) are an error.
type Config struct {
	Title string
	// UseDefault keeps the built-in rules ([extend] useDefault = true).
	UseDefault bool
	// DisabledRules drops rules by id.
	DisabledRules []string
	// Rules are added to, or merged into, the rules in use.
	Rules []Rule
	// Allowlists apply to every rule (or to their Rules).
	Allowlists []Allowlist
}

// tomlConfig mirrors the gitleaks file format.
type tomlConfig struct {
	Title       string `toml:"title"`
	Description string `toml:"description"`
	MinVersion  string `toml:"minVersion"`
	Extend      struct {
		Path          string   `toml:"path"`
		URL           string   `toml:"url"`
		UseDefault    bool     `toml:"useDefault"`
		DisabledRules []string `toml:"disabledRules"`
	} `toml:"extend"`
	Rules []struct {
		ID          string           `toml:"id"`
		Description string           `toml:"description"`
		Path        string           `toml:"path"`
		Regex       string           `toml:"regex"`
		SecretGroup int              `toml:"secretGroup"`
		Entropy     float64          `toml:"entropy"`
		Keywords    []string         `toml:"keywords"`
		Tags        []string         `toml:"tags"`
		SkipReport  bool             `toml:"skipReport"`
		Required    []map[string]any `toml:"required"`
		Allowlist   *tomlAllowlist   `toml:"allowlist"`
		Allowlists  []tomlAllowlist  `toml:"allowlists"`
	} `toml:"rules"`
	Allowlist  *tomlAllowlist  `toml:"allowlist"`
	Allowlists []tomlAllowlist `toml:"allowlists"`
}

type tomlAllowlist struct {
	Description string   `toml:"description"`
	Condition   string   `toml:"condition"`
	Commits     []string `toml:"commits"`
	Paths       []string `toml:"paths"`
	RegexTarget string   `toml:"regexTarget"`
	Regexes     []string `toml:"regexes"`
	StopWords   []string `toml:"stopwords"`
	TargetRules []string `toml:"targetRules"`
}

// LoadConfig reads a configuration file; an [extend] path is read
// relative to it.
func LoadConfig(path string) (*Config, error) {
	return loadConfig(path, 0)
}

func loadConfig(path string, depth int) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	defer f.Close()
	c, ext, err := parseConfig(path, f)
	if err != nil {
		return nil, err
	}
	if ext == "" {
		return c, nil
	}
	if depth+1 >= maxExtendDepth {
		return nil, fmt.Errorf("%w: %s: extends more than %d configurations deep", ErrConfig, path, maxExtendDepth)
	}
	if !filepath.IsAbs(ext) {
		ext = filepath.Join(filepath.Dir(path), ext)
	}
	base, err := loadConfig(ext, depth+1)
	if err != nil {
		return nil, fmt.Errorf("%w: %s extends %s: %w", ErrConfig, path, ext, err)
	}
	return base.extendWith(c), nil
}

// ParseConfig reads a configuration from r; name is used in errors. An
// [extend] path is an error here (there is no directory to resolve it
// in); use LoadConfig.
func ParseConfig(name string, r io.Reader) (*Config, error) {
	c, ext, err := parseConfig(name, r)
	if err != nil {
		return nil, err
	}
	if ext != "" {
		return nil, fmt.Errorf("%w: %s: [extend] path needs LoadConfig", ErrConfig, name)
	}
	return c, nil
}

func parseConfig(name string, r io.Reader) (*Config, string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxConfigBytes+1))
	if err != nil {
		return nil, "", fmt.Errorf("%w: %s: %w", ErrConfig, name, err)
	}
	if len(b) > maxConfigBytes {
		return nil, "", fmt.Errorf("%w: %s: larger than %d bytes", ErrConfig, name, maxConfigBytes)
	}
	var tc tomlConfig
	dec := toml.NewDecoder(bytes.NewReader(b)).DisallowUnknownFields()
	if err := dec.Decode(&tc); err != nil {
		var strict *toml.StrictMissingError
		var de *toml.DecodeError
		switch {
		case errors.As(err, &strict):
			return nil, "", fmt.Errorf("%w: %s: %s", ErrConfig, name, strict.String())
		case errors.As(err, &de):
			row, col := de.Position()
			return nil, "", fmt.Errorf("%w: %s:%d:%d: %s", ErrConfig, name, row, col, de.Error())
		}
		return nil, "", fmt.Errorf("%w: %s: %w", ErrConfig, name, err)
	}
	if tc.Extend.URL != "" {
		return nil, "", fmt.Errorf("%w: %s: [extend] url is not supported (no network); download it and use path", ErrConfig, name)
	}
	if tc.Extend.Path != "" && tc.Extend.UseDefault {
		return nil, "", fmt.Errorf("%w: %s: [extend] has both path and useDefault", ErrConfig, name)
	}
	c := &Config{Title: tc.Title, UseDefault: tc.Extend.UseDefault, DisabledRules: tc.Extend.DisabledRules}
	for i, tr := range tc.Rules {
		if len(tr.Required) > 0 {
			return nil, "", fmt.Errorf("%w: %s: rule %q: composite rules (required) are not supported", ErrConfig, name, tr.ID)
		}
		if tr.SkipReport {
			continue // reported only as part of a composite rule
		}
		if tr.ID == "" {
			return nil, "", fmt.Errorf("%w: %s: rule %d has no id", ErrConfig, name, i+1)
		}
		r := Rule{ID: tr.ID, Description: tr.Description, Regex: tr.Regex, SecretGroup: tr.SecretGroup, Path: tr.Path,
			Entropy: tr.Entropy, Keywords: tr.Keywords, MaxLength: configMaxLength}
		als := tr.Allowlists
		if tr.Allowlist != nil {
			als = append([]tomlAllowlist{*tr.Allowlist}, als...)
		}
		for _, a := range als {
			if al, ok := a.allowlist(); ok {
				r.Allowlists = append(r.Allowlists, al)
			}
		}
		c.Rules = append(c.Rules, r)
	}
	als := tc.Allowlists
	if tc.Allowlist != nil {
		als = append([]tomlAllowlist{*tc.Allowlist}, als...)
	}
	for _, a := range als {
		if al, ok := a.allowlist(); ok {
			al.Rules = a.TargetRules
			c.Allowlists = append(c.Allowlists, al)
		}
	}
	// Compile now, so that a bad rule is reported with the file's name.
	for _, r := range c.Rules {
		if r.Regex == "" && r.Path == "" {
			continue // a change to a built-in rule's allowlists or keywords
		}
		if _, err := compileRule(r, 0); err != nil {
			return nil, "", fmt.Errorf("%w: %s: %w", ErrConfig, name, err)
		}
	}
	for i, a := range c.Allowlists {
		if _, err := compileAllowlist(a); err != nil {
			return nil, "", fmt.Errorf("%w: %s: allowlist %d: %v", ErrConfig, name, i+1, err)
		}
	}
	return c, tc.Extend.Path, nil
}

// configMaxLength is the window of rules from configuration files: their
// expressions were written for whole files, so they get more room than
// the built-in ones.
const configMaxLength = 4096

// allowlist converts; ok is false for an allowlist of commits only.
func (a tomlAllowlist) allowlist() (Allowlist, bool) {
	al := Allowlist{Description: a.Description, Condition: Condition(a.Condition), Paths: a.Paths,
		Regexes: a.Regexes, RegexTarget: RegexTarget(a.RegexTarget), StopWords: a.StopWords}
	return al, len(a.Paths)+len(a.Regexes)+len(a.StopWords) > 0
}

// extendWith applies c over base, as gitleaks extends configurations:
// rules of the same id merge field by field, allowlists add up.
func (base *Config) extendWith(c *Config) *Config {
	out := &Config{Title: c.Title, UseDefault: base.UseDefault, DisabledRules: c.DisabledRules}
	disabled := map[string]bool{}
	for _, id := range c.DisabledRules {
		disabled[id] = true
	}
	for _, r := range base.Rules {
		if !disabled[r.ID] {
			out.Rules = append(out.Rules, r)
		}
	}
	out.Rules = mergeRules(out.Rules, c.Rules)
	out.Allowlists = append(append([]Allowlist(nil), base.Allowlists...), c.Allowlists...)
	out.DisabledRules = append(append([]string(nil), base.DisabledRules...), c.DisabledRules...)
	return out
}

// mergeRules merges rules into base: a rule whose id is in base changes
// the fields it sets (description, regex, secret group, entropy, path) and
// adds its keywords and allowlists; others are appended.
func mergeRules(base, rules []Rule) []Rule {
	out := append([]Rule(nil), base...)
	pos := map[string]int{}
	for i, r := range out {
		pos[r.ID] = i
	}
	for _, r := range rules {
		i, ok := pos[r.ID]
		if !ok {
			pos[r.ID] = len(out)
			out = append(out, r)
			continue
		}
		b := out[i]
		if r.Description != "" {
			b.Description = r.Description
		}
		if r.Regex != "" {
			// A new expression: the built-in rule's checks were written
			// for what the old one captured.
			b.Regex, b.SecretGroup, b.check, b.Validate, b.Lines = r.Regex, r.SecretGroup, nil, nil, 0
			b.anchor, b.needs = nil, nil
		}
		if r.SecretGroup != 0 {
			b.SecretGroup = r.SecretGroup
		}
		if r.Entropy != 0 {
			b.Entropy = r.Entropy
		}
		if r.Path != "" {
			b.Path = r.Path
		}
		if r.MaxLength > b.MaxLength && r.Regex != "" {
			b.MaxLength = r.MaxLength
		}
		b.Keywords = append(append([]string(nil), b.Keywords...), r.Keywords...)
		b.Allowlists = append(append([]Allowlist(nil), b.Allowlists...), r.Allowlists...)
		out[i] = b
	}
	return out
}
