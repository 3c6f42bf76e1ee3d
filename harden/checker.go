package harden

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/secrets"
)

// SchemaVersion is the version of Report's JSON form.
const SchemaVersion = "1"

// Report is what the hardening checks found in one image.
type Report struct {
	SchemaVersion string `json:"schema_version"`
	// Checks lists the ids of the checks that ran, so that no finding
	// reads as "checked, nothing found", not "not checked".
	Checks []string `json:"checks"`
	// Findings are sorted by check id, then evidence.
	Findings []Finding `json:"findings"`
	// Errors are the unreadable layers and files met on the way.
	Errors []result.FileError `json:"errors,omitempty"`
}

// Checker runs hardening checks over images. It is safe for concurrent
// use; build it once with New.
type Checker struct {
	checks  []Check
	secrets *secrets.Scanner
	now     func() time.Time
	wants   wantSet
}

// Option configures New.
type Option func(*options) error

type options struct {
	checks   []Check
	set      bool
	disabled []string
	secrets  *secrets.Scanner
	now      func() time.Time
}

// WithChecks replaces the default checks (DefaultChecks) with checks.
// Configure a check by changing its fields or by building it with its
// constructor (ImageAgeCheck, SensitivePortsCheck, ShellInDistrolessCheck).
func WithChecks(checks ...Check) Option {
	return func(o *options) error {
		for _, c := range checks {
			if c.ID == "" || c.run == nil {
				return fmt.Errorf("%w: check %q was not made by this package", result.ErrInvalidOption, c.ID)
			}
		}
		o.checks, o.set = append([]Check(nil), checks...), true
		return nil
	}
}

// WithoutChecks disables the checks with these ids. An id no check has is
// an error, so that a typo does not leave a check silently on.
func WithoutChecks(ids ...string) Option {
	return func(o *options) error {
		o.disabled = append(o.disabled, ids...)
		return nil
	}
}

// WithSecretScanner sets the scanner the secret-in-config check uses on
// the image's environment, labels and history; the default is
// secrets.New() with the built-in rules.
func WithSecretScanner(s *secrets.Scanner) Option {
	return func(o *options) error {
		if s == nil {
			return fmt.Errorf("%w: nil secret scanner", result.ErrInvalidOption)
		}
		o.secrets = s
		return nil
	}
}

// WithClock sets the clock the image-age check reads; the default is
// time.Now.
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		if now == nil {
			return fmt.Errorf("%w: nil clock", result.ErrInvalidOption)
		}
		o.now = now
		return nil
	}
}

// New builds a checker from the default checks, or those given
// with WithChecks, less those disabled with WithoutChecks.
func New(opts ...Option) (*Checker, error) {
	var o options
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	checks := o.checks
	if !o.set {
		checks = DefaultChecks()
	}
	seen := map[string]bool{}
	for _, c := range checks {
		if seen[c.ID] {
			return nil, fmt.Errorf("%w: check %q given twice", result.ErrInvalidOption, c.ID)
		}
		seen[c.ID] = true
	}
	off := map[string]bool{}
	for _, id := range o.disabled {
		if !seen[id] {
			return nil, fmt.Errorf("%w: no check %q to disable", result.ErrInvalidOption, id)
		}
		off[id] = true
	}
	c := &Checker{secrets: o.secrets, now: o.now}
	for _, ch := range checks {
		if !off[ch.ID] {
			c.checks = append(c.checks, ch)
			c.wants |= ch.wants
		}
	}
	if c.secrets == nil { // secret-in-config, and the redaction of every command shown
		s, err := secrets.New()
		if err != nil {
			return nil, err
		}
		c.secrets = s
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c, nil
}

// Checks returns the checks the checker runs, in order.
func (c *Checker) Checks() []Check { return append([]Check(nil), c.checks...) }

// Check runs the checks over img. ref is the reference the image was
// named by ("registry.example/app:1.2"), for the checks on tags; pass ""
// when the image came from a file. opts tune the read (package layer).
// Each layer is read once, streaming, and only when a check needs the
// filesystem; only a few small files (account databases, os-release,
// candidate key files) are read at all. Check fails when the config or
// layer list cannot be read (layer.ErrImage), or ctx is done; unreadable
// layers and files are errors in the report.
func (c *Checker) Check(ctx context.Context, img v1.Image, ref string, opts ...layer.Option) (*Report, error) {
	w, err := layer.New(img, opts...)
	if err != nil {
		return nil, err
	}
	p := c.NewPass(w, ref)
	var res *layer.Result
	if c.wants&(wantFiles|wantView) != 0 {
		if res, err = w.Run(ctx); err != nil {
			return nil, err
		}
	}
	return p.Report(ctx, res)
}

// Pass is the checker's share of a walk shared with other visitors (see
// package layer, and the root package's Inspect): NewPass adds what the
// checks read to the walker, and Report runs the checks over the walk's
// result.
type Pass struct {
	c      *Checker
	cfg    *v1.ConfigFile
	ref    string
	slot   layer.Slot[[]byte]
	reads  bool
	config *secrets.Pass
}

// PassOption configures NewPass.
type PassOption func(*Pass)

// WithConfigSecrets makes the secret-in-config check take the image
// config's credentials from the secrets pass p of the same walk instead
// of scanning the config again: a credential p found is reported in the
// secrets report only, and the check reports the credential-named
// variables, labels and build arguments that no secret rule matched. One
// Inspect then finds each credential once and reports it once.
func WithConfigSecrets(p *secrets.Pass) PassOption {
	return func(hp *Pass) { hp.config = p }
}

// NewPass adds the checks' file reader to w, an image's walker. ref is as
// for Check.
func (c *Checker) NewPass(w *layer.Walker, ref string, opts ...PassOption) *Pass {
	p := &Pass{c: c, cfg: w.Config(), ref: ref}
	for _, opt := range opts {
		opt(p)
	}
	if c.wants&wantFiles != 0 {
		p.slot, p.reads = layer.Add[[]byte](w, &fileVisitor{}), true
	}
	return p
}

// Report runs the checks over the config and the result of the walk the
// pass was added to; res may be nil when no check needs the filesystem.
// It fails when the walk was not of an image, or ctx is done.
func (p *Pass) Report(ctx context.Context, res *layer.Result) (*Report, error) {
	if p.cfg == nil {
		return nil, fmt.Errorf("%w: hardening checks need an image, not a directory tree", result.ErrInvalidOption)
	}
	f := &facts{cfg: p.cfg, ref: p.ref, files: map[string][]byte{}, secrets: p.c.secrets, now: p.c.now()}
	if p.config != nil {
		f.configSecrets = map[string]map[int]bool{}
		for _, fd := range p.config.ConfigFindings() {
			part := strings.TrimPrefix(fd.File, secrets.ConfigFile+"/")
			if f.configSecrets[part] == nil {
				f.configSecrets[part] = map[int]bool{}
			}
			f.configSecrets[part][fd.Line] = true
		}
	}
	rep := &Report{SchemaVersion: SchemaVersion, Findings: []Finding{}}
	for _, ch := range p.c.checks {
		rep.Checks = append(rep.Checks, ch.ID)
	}
	if res != nil {
		f.view = res.View
		for _, l := range res.Layers {
			f.diffIDs = append(f.diffIDs, l.DiffID)
		}
		if p.reads {
			for _, vis := range p.slot.Files(res) {
				if !res.View.Visible(vis.Header.Path, vis.Header.Layer) {
					continue
				}
				if vis.Err != nil {
					rep.Errors = append(rep.Errors, result.FileError{Layer: f.layer(vis.Header.Layer), Path: vis.Header.Path, Err: vis.Err})
					continue
				}
				if vis.Value != nil {
					f.files[vis.Header.Path] = vis.Value
				}
			}
		}
		rep.Errors = append(rep.Errors, res.Errors...)
	}
	for _, ch := range p.c.checks {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for _, fd := range ch.run(f) {
			fd.ID, fd.Severity, fd.Rationale, fd.Remediation, fd.Reference = ch.ID, ch.Severity, ch.Rationale, ch.Remediation, ch.Reference
			if fd.Title == "" {
				fd.Title = ch.Title
			}
			rep.Findings = append(rep.Findings, fd)
		}
	}
	sortFindings(rep.Findings)
	return rep, nil
}

// sortFindings sorts findings by id, then by their evidence.
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Evidence.key() < b.Evidence.key()
	})
}

func (e *Evidence) key() string {
	h := -1
	if e.History != nil {
		h = *e.History
	}
	return fmt.Sprintf("%s\x00%08d\x00%s\x00%s\x00%s\x00%s\x00%s", e.Path, h+1, e.EnvKey, e.Label, e.Port, e.User, e.Detail)
}

// wantSet says what a check needs beyond the config.
type wantSet uint8

const (
	wantView    wantSet = 1 << iota // the final filesystem's entries
	wantFiles                       // the contents of a few small files
	wantSecrets                     // a secret scanner
)

// facts is everything the checks look at.
type facts struct {
	cfg     *v1.ConfigFile
	ref     string
	view    *layer.View
	diffIDs []string
	// files holds the final-filesystem contents of the files fileVisitor
	// reads, by path.
	files   map[string][]byte
	secrets *secrets.Scanner
	// configSecrets, when set, are the lines of the config's parts
	// ("env", "labels", "history") where a secrets pass of the same walk
	// found a credential: the secret-in-config check leaves them to it.
	configSecrets map[string]map[int]bool
	now           time.Time
}

func (f *facts) layer(i int) string {
	if i >= 0 && i < len(f.diffIDs) {
		return f.diffIDs[i]
	}
	return ""
}

// walkView calls fn for every entry of the final filesystem.
func (f *facts) walkView(fn func(h *layer.Header)) {
	if f.view == nil {
		return
	}
	_ = f.view.Walk(func(h *layer.Header) error { fn(h); return nil })
}

// maxSmallFile bounds what fileVisitor reads of one file.
const maxSmallFile = 1 << 20

// fileVisitor reads the few files the checks look into: account
// databases, os-release, and files that may hold private keys.
type fileVisitor struct{}

// accountFiles and releaseFiles are read whole (up to maxSmallFile).
var accountFiles = [...]string{"etc/passwd", "etc/shadow", "etc/group", "etc/os-release", "usr/lib/os-release"}

func (*fileVisitor) Wants(h *layer.Header) bool {
	for _, p := range accountFiles {
		if h.Path == p {
			return true
		}
	}
	return keyCandidate(h.Path)
}

// Class separates account files from key candidates, so that a hard link
// between them is read for each (see layer.Classifier).
func (*fileVisitor) Class(h *layer.Header) string {
	if keyCandidate(h.Path) {
		return "key"
	}
	return "text"
}

func (*fileVisitor) Visit(_ context.Context, h *layer.Header, r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxSmallFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxSmallFile && !keyCandidate(h.Path) {
		return nil, fmt.Errorf("%w: more than %d bytes", layer.ErrFileTooLarge, maxSmallFile)
	}
	if keyCandidate(h.Path) {
		// A key file padded past the limit is still judged by its first
		// megabyte.
		if !bytes.Contains(b, []byte("PRIVATE KEY-----")) {
			return nil, nil
		}
		return []byte("private key"), nil // the key itself is not kept
	}
	return b, nil
}

// keyCandidate reports paths that, by name, may hold a private key: SSH
// identities and host keys, *.pem and *.key files.
func keyCandidate(p string) bool {
	base := path.Base(p)
	switch {
	case strings.HasPrefix(base, "id_") && !strings.HasSuffix(base, ".pub") && strings.Contains(p, ".ssh/"):
		return true
	case strings.HasPrefix(base, "ssh_host_") && strings.HasSuffix(base, "_key"):
		return true
	case strings.HasSuffix(base, ".pem"), strings.HasSuffix(base, ".key"):
		return true
	}
	return false
}
