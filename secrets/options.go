package secrets

import (
	"fmt"
	"io"
	"os"

	"github.com/shipshape-dev/shipshape/result"
)

// Option configures New.
type Option func(*options) error

type options struct {
	rules         []Rule
	rulesSet      bool
	extra         []Rule
	merge         []Rule
	disabled      []string
	allowlists    []Allowlist
	baseline      map[string]bool
	reveal        bool
	maxFileBytes  int64
	gitignore     bool
	binary        bool
	sysDocs       bool
	decodeDepth   int
	decodeDepthOK bool
}

// DefaultMaxFileBytes is the per-file budget when none is set: larger
// files are scanned up to it and reported.
const DefaultMaxFileBytes = 256 << 20

// WithRules replaces the built-in rules (DefaultRules) with rules.
func WithRules(rules ...Rule) Option {
	return func(o *options) error {
		o.rules, o.rulesSet = append([]Rule(nil), rules...), true
		return nil
	}
}

// WithAdditionalRules adds rules to the built-in ones (or to WithRules').
// A rule with the id of an existing one replaces it.
func WithAdditionalRules(rules ...Rule) Option {
	return func(o *options) error {
		o.extra = append(o.extra, rules...)
		return nil
	}
}

// WithDisabledRules leaves out the rules with these ids.
func WithDisabledRules(ids ...string) Option {
	return func(o *options) error {
		o.disabled = append(o.disabled, ids...)
		return nil
	}
}

// WithAllowlist adds a global allowlist: its criteria drop matches of
// every rule (or of Allowlist.Rules).
func WithAllowlist(a Allowlist) Option {
	return func(o *options) error {
		o.allowlists = append(o.allowlists, a)
		return nil
	}
}

// WithConfig applies a configuration: rules, allowlists and whether the
// built-in rules stay (see LoadConfig).
func WithConfig(c *Config) Option {
	return func(o *options) error {
		if c == nil {
			return fmt.Errorf("%w: nil config", result.ErrInvalidOption)
		}
		if !c.UseDefault {
			o.rules, o.rulesSet = nil, true
		}
		o.merge = append(o.merge, c.Rules...)
		o.disabled = append(o.disabled, c.DisabledRules...)
		o.allowlists = append(o.allowlists, c.Allowlists...)
		return nil
	}
}

// WithBaseline drops findings whose fingerprints are listed: known
// findings a team has accepted, so that only new ones are reported.
func WithBaseline(fingerprints ...string) Option {
	return func(o *options) error {
		if o.baseline == nil {
			o.baseline = map[string]bool{}
		}
		for _, f := range fingerprints {
			o.baseline[f] = true
		}
		return nil
	}
}

// WithBaselineFile reads a baseline: a JSON report of an earlier scan
// (shipshape's, or gitleaks' whose fingerprints are kept as they are), or
// a text file with one fingerprint per line.
func WithBaselineFile(path string) Option {
	return func(o *options) error {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrBaseline, err)
		}
		defer f.Close()
		fps, err := ReadBaseline(io.LimitReader(f, maxConfigBytes+1))
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrBaseline, path, err)
		}
		return WithBaseline(fps...)(o)
	}
}

// WithRevealSecretsUnsafe puts secrets in clear in findings. Reports then
// are as sensitive as the secrets themselves.
func WithRevealSecretsUnsafe() Option {
	return func(o *options) error {
		o.reveal = true
		return nil
	}
}

// WithMaxFileBytes bounds how much of one file is scanned; the rest of a
// larger file is skipped and the file reported in Report.Errors
// (layer.ErrFileTooLarge). In a walk shared with other visitors this is
// the scanner's own budget (layer.Budgeted). The default is
// DefaultMaxFileBytes.
func WithMaxFileBytes(n int64) Option {
	return func(o *options) error {
		if n < 1 {
			return fmt.Errorf("%w: max file bytes %d, want at least 1", result.ErrInvalidOption, n)
		}
		o.maxFileBytes = n
		return nil
	}
}

// WithGitignore makes ScanFS skip what .gitignore files (and
// .git/info/exclude) ignore, as git does. The .git directory is always
// skipped.
func WithGitignore() Option {
	return func(o *options) error {
		o.gitignore = true
		return nil
	}
}

// WithSystemDocs scans, in images, what distributions install under
// /usr/share/doc, /usr/share/man, /usr/share/info, /usr/share/locale,
// /usr/share/i18n, /usr/share/zoneinfo and /usr/include too. By default
// ScanImage skips those directories: package documentation, manual pages,
// translations, time zones and C headers make up much of a system image's
// text and hold no deployment's credentials, only examples of them.
func WithSystemDocs() Option {
	return func(o *options) error {
		o.sysDocs = true
		return nil
	}
}

// WithBinaryFiles scans binary files too (files with a NUL byte in their
// first 8 KiB), which are skipped by default.
func WithBinaryFiles() Option {
	return func(o *options) error {
		o.binary = true
		return nil
	}
}

// WithDecodeDepth sets how many layers of base64 encoding are looked
// through (a token inside a base64 Kubernetes Secret is depth 1). The
// default is 2; 0 turns decoding off.
func WithDecodeDepth(n int) Option {
	return func(o *options) error {
		if n < 0 || n > 5 {
			return fmt.Errorf("%w: decode depth %d outside 0–5", result.ErrInvalidOption, n)
		}
		o.decodeDepth, o.decodeDepthOK = n, true
		return nil
	}
}
