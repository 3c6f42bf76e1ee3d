package scan

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

	"github.com/shipshape-dev/shipshape/internal/walk"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/secrets"
)

// HardeningSchemaVersion is the version of HardeningReport's JSON form.
const HardeningSchemaVersion = "1"

// HardeningReport is what the hardening checks found in one image.
type HardeningReport struct {
	SchemaVersion string `json:"schema_version"`
	// Checks lists the ids of the checks that ran, so that no finding
	// reads as "checked, nothing found", not "not checked".
	Checks []string `json:"checks"`
	// Findings are sorted by check id, then evidence.
	Findings []HardeningFinding `json:"findings"`
	// Errors are the unreadable layers and files met on the way.
	Errors []result.FileError `json:"errors,omitempty"`
}

// Checker runs hardening checks over images. It is safe for concurrent
// use; build it once with NewChecker.
type Checker struct {
	checks  []Check
	secrets *secrets.Scanner
	now     func() time.Time
	workers int
	wants   wantSet
}

// CheckOption configures NewChecker.
type CheckOption func(*checkOptions) error

type checkOptions struct {
	checks   []Check
	set      bool
	disabled []string
	secrets  *secrets.Scanner
	now      func() time.Time
	workers  int
}

// WithChecks replaces the default checks (DefaultChecks) with checks.
// Configure a check by changing its fields or by building it with its
// constructor (ImageAgeCheck, SensitivePortsCheck, ShellInDistrolessCheck).
func WithChecks(checks ...Check) CheckOption {
	return func(o *checkOptions) error {
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
func WithoutChecks(ids ...string) CheckOption {
	return func(o *checkOptions) error {
		o.disabled = append(o.disabled, ids...)
		return nil
	}
}

// WithSecretScanner sets the scanner the secret-in-config check uses on
// the image's environment, labels and history; the default is
// secrets.New() with the built-in rules.
func WithSecretScanner(s *secrets.Scanner) CheckOption {
	return func(o *checkOptions) error {
		if s == nil {
			return fmt.Errorf("%w: nil secret scanner", result.ErrInvalidOption)
		}
		o.secrets = s
		return nil
	}
}

// WithClock sets the clock the image-age check reads; the default is
// time.Now.
func WithClock(now func() time.Time) CheckOption {
	return func(o *checkOptions) error {
		if now == nil {
			return fmt.Errorf("%w: nil clock", result.ErrInvalidOption)
		}
		o.now = now
		return nil
	}
}

// WithCheckConcurrency bounds how many layers are read at once; the
// default is GOMAXPROCS.
func WithCheckConcurrency(n int) CheckOption {
	return func(o *checkOptions) error {
		if n < 1 {
			return fmt.Errorf("%w: concurrency %d, want at least 1", result.ErrInvalidOption, n)
		}
		o.workers = n
		return nil
	}
}

// NewChecker builds a checker from the default checks, or those given
// with WithChecks, less those disabled with WithoutChecks.
func NewChecker(opts ...CheckOption) (*Checker, error) {
	var o checkOptions
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
	c := &Checker{secrets: o.secrets, now: o.now, workers: o.workers}
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
// when the image came from a file. Each layer is read once, streaming;
// only a few small files (account databases, os-release, candidate key
// files) are read at all. Check fails when the config or layer list
// cannot be read, or ctx is done; unreadable layers and files are
// errors in the report.
func (c *Checker) Check(ctx context.Context, img v1.Image, ref string) (*HardeningReport, error) {
	p, err := c.NewPass(img, ref)
	if err != nil {
		return nil, err
	}
	var res *walk.Result
	if c.wants&(wantFiles|wantView) != 0 {
		if res, err = walk.Layers(ctx, p.Layers(), p.Visitors(), walk.Options{Concurrency: c.workers}); err != nil {
			return nil, err
		}
	}
	return p.Finish(ctx, res)
}

// CheckPass is Check in two halves, for a walk of the image's layers
// shared with other passes (see shipshape.Inspect).
type CheckPass struct {
	c      *Checker
	f      *facts
	layers []walk.Layer
}

// NewPass reads img's config and layer list.
func (c *Checker) NewPass(img v1.Image, ref string) (*CheckPass, error) {
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("%w: config: %w", ErrImage, err)
	}
	if cf == nil {
		return nil, fmt.Errorf("%w: config: empty", ErrImage)
	}
	ls, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("%w: layers: %w", ErrImage, err)
	}
	layers, err := walk.ImageLayers(ls, cf)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrImage, err)
	}
	f := &facts{cfg: cf, ref: ref, files: map[string][]byte{}, secrets: c.secrets, now: c.now()}
	for _, l := range layers {
		f.diffIDs = append(f.diffIDs, l.DiffID)
	}
	return &CheckPass{c: c, f: f, layers: layers}, nil
}

// Layers returns the image's layers, for the walk.
func (p *CheckPass) Layers() []walk.Layer { return p.layers }

// Visitors returns the pass's visitors, for the walk.
func (p *CheckPass) Visitors() []walk.Visitor {
	if p.c.wants&wantFiles != 0 {
		return []walk.Visitor{&fileVisitor{}}
	}
	return nil
}

// Finish runs the checks over the config and the walk's result, as seen
// by the pass's visitors (walk.Result.Part); res may be nil when no
// check needs the filesystem.
func (p *CheckPass) Finish(ctx context.Context, res *walk.Result) (*HardeningReport, error) {
	f := p.f
	rep := &HardeningReport{SchemaVersion: HardeningSchemaVersion, Findings: []HardeningFinding{}}
	for _, ch := range p.c.checks {
		rep.Checks = append(rep.Checks, ch.ID)
	}
	if res != nil {
		f.view = res.View
		for _, vis := range res.Files {
			if !res.View.Visible(vis.Header.Path, vis.Header.Layer) {
				continue
			}
			if vis.Err != nil {
				rep.Errors = append(rep.Errors, result.FileError{Layer: f.layer(vis.Header.Layer), Path: vis.Header.Path, Err: vis.Err})
				continue
			}
			if b, ok := vis.Value.([]byte); ok {
				f.files[vis.Header.Path] = b
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
	SortHardening(rep.Findings)
	return rep, nil
}

// SortHardening sorts findings by id, then by their evidence.
func SortHardening(fs []HardeningFinding) {
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
	view    *walk.View
	diffIDs []string
	// files holds the final-filesystem contents of the files fileVisitor
	// reads, by path.
	files   map[string][]byte
	secrets *secrets.Scanner
	now     time.Time
}

func (f *facts) layer(i int) string {
	if i >= 0 && i < len(f.diffIDs) {
		return f.diffIDs[i]
	}
	return ""
}

// walkView calls fn for every entry of the final filesystem.
func (f *facts) walkView(fn func(h *walk.Header)) {
	if f.view == nil {
		return
	}
	_ = f.view.Walk(func(h *walk.Header) error { fn(h); return nil })
}

// maxSmallFile bounds what fileVisitor reads of one file.
const maxSmallFile = 1 << 20

// fileVisitor reads the few files the checks look into: account
// databases, os-release, and files that may hold private keys.
type fileVisitor struct{}

// accountFiles and releaseFiles are read whole (up to maxSmallFile).
var accountFiles = [...]string{"etc/passwd", "etc/shadow", "etc/group", "etc/os-release", "usr/lib/os-release"}

func (*fileVisitor) Wants(h *walk.Header) bool {
	for _, p := range accountFiles {
		if h.Path == p {
			return true
		}
	}
	return keyCandidate(h.Path)
}

// Class separates account files from key candidates, so that a hard link
// between them is read for each (see walk.Classifier).
func (*fileVisitor) Class(h *walk.Header) string {
	if keyCandidate(h.Path) {
		return "key"
	}
	return "text"
}

func (*fileVisitor) Visit(_ context.Context, h *walk.Header, r io.Reader) (any, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxSmallFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxSmallFile && !keyCandidate(h.Path) {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrFileTooLarge, maxSmallFile)
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
