package secrets

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"io/fs"
	"strings"

	"github.com/shipshape-dev/shipshape/result"
)

// Owner is the package that installed a file, as a caller that knows the
// image's packages says (the root package's Inspect asks the SBOM's
// catalogers).
type Owner struct {
	// Package is the owning package's purl (or another identifier when it
	// has none).
	Package string
	// Class is result.ClassVendor for an operating-system package's file,
	// result.ClassThirdParty for a language package's.
	Class result.Class
	// Digests are the file's checksums as the package database recorded
	// them ("md5:<hex>", "sha1:<hex>", "sha256:<hex>"); a vendor file is
	// the package's only while its content has one of them.
	Digests []string
}

// ReportOption configures Pass.Report.
type ReportOption func(*reportOptions)

type reportOptions struct {
	owners func(paths []string) map[string]Owner
}

// WithOwners classifies the findings by who installed their files:
// owners is asked once, with the paths of the files that hold findings,
// and returns the owning package of those a package installed. A finding
// in a file an operating-system package installed and that still has the
// checksum its database recorded gets class result.ClassVendor; one in a
// language package's directory result.ClassThirdParty; both name the
// package in Owner. A package's file whose content changed after
// installation, or whose checksum the database does not record, stays the
// image's own (no class), with the package still named in Owner: a
// modified package file is the interesting case.
func WithOwners(owners func(paths []string) map[string]Owner) ReportOption {
	return func(o *reportOptions) { o.owners = owners }
}

// fileSums are a file's checksums in the algorithms package databases
// record: MD5 (dpkg, old rpm), SHA-1 (apk), SHA-256 (rpm).
type fileSums struct {
	MD5    [md5.Size]byte
	SHA1   [sha1.Size]byte
	SHA256 [sha256.Size]byte
}

// matches reports whether one of the recorded digests is the file's.
func (s *fileSums) matches(digests []string) bool {
	if s == nil {
		return false
	}
	for _, d := range digests {
		algo, sum, ok := strings.Cut(d, ":")
		if !ok {
			continue
		}
		var got []byte
		switch algo {
		case "md5":
			got = s.MD5[:]
		case "sha1":
			got = s.SHA1[:]
		case "sha256":
			got = s.SHA256[:]
		default:
			continue
		}
		if strings.EqualFold(sum, hex.EncodeToString(got)) {
			return true
		}
	}
	return false
}

// summer computes fileSums in one pass.
type summer struct {
	md5, sha1, sha256 hash.Hash
}

func newSummer() *summer {
	return &summer{md5: md5.New(), sha1: sha1.New(), sha256: sha256.New()}
}

func (s *summer) Write(p []byte) (int, error) {
	s.md5.Write(p)
	s.sha1.Write(p)
	s.sha256.Write(p)
	return len(p), nil
}

func (s *summer) sums() *fileSums {
	var out fileSums
	s.md5.Sum(out.MD5[:0])
	s.sha1.Sum(out.SHA1[:0])
	s.sha256.Sum(out.SHA256[:0])
	return &out
}

// sumsOf hashes a whole reader.
func sumsOf(r io.Reader) (*fileSums, error) {
	s := newSummer()
	if _, err := io.Copy(s, r); err != nil {
		return nil, err
	}
	return s.sums(), nil
}

// sumsOfFile hashes a file of a tree, within max bytes (past it the sums
// are not known).
func sumsOfFile(fsys fs.FS, p string, max int64) *fileSums {
	f, err := fsys.Open(p)
	if err != nil {
		return nil
	}
	defer f.Close()
	lr := &io.LimitedReader{R: f, N: max + 1}
	s, err := sumsOf(lr)
	if err != nil || lr.N == 0 {
		return nil
	}
	return s
}

// teeSummer hashes what is read through it.
type teeSummer struct {
	r   io.Reader
	sum *summer
	n   int64
	err error // the first error the reader returned, EOF included
}

func (t *teeSummer) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.sum.Write(p[:n])
	t.n += int64(n)
	if err != nil && t.err == nil {
		t.err = err
	}
	return n, err
}

// classify sets the class and owner of findings by the owners of their
// files.
func classify(fds []Finding, at []classed, owners func(paths []string) map[string]Owner) {
	if len(at) == 0 {
		return
	}
	seen := map[string]bool{}
	var paths []string
	for _, c := range at {
		if !seen[c.path] {
			seen[c.path] = true
			paths = append(paths, c.path)
		}
	}
	found := owners(paths)
	for _, c := range at {
		o, ok := found[c.path]
		if !ok {
			continue
		}
		class := result.Class("")
		switch o.Class {
		case result.ClassVendor:
			if c.sums.matches(o.Digests) {
				class = result.ClassVendor
			}
		case result.ClassThirdParty:
			class = result.ClassThirdParty
		}
		for i := c.from; i < c.to; i++ {
			fds[i].Class, fds[i].Owner = class, o.Package
		}
	}
}

// classed is a run of findings of one visited file, for classify.
type classed struct {
	path     string
	sums     *fileSums
	from, to int // indexes into the report's findings
}
