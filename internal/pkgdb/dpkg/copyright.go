package dpkg

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/pkgdb"
)

// commonLicense matches references to Debian's shared licence texts.
var commonLicense = regexp.MustCompile(`/usr/share/common-licenses/([A-Za-z0-9_.+-]+)`)

// Licenses reads a copyright file (usr/share/doc/<package>/copyright) and
// returns the licences it names, sorted and without duplicates: the short
// names of the "License:" fields of a machine-readable (DEP-5) file, or, for
// a free-form file, the texts of /usr/share/common-licenses it refers to.
func Licenses(r io.Reader) ([]string, error) {
	fields, refs := map[string]bool{}, map[string]bool{}
	err := pkgdb.Lines(r, func(_ int, line []byte, lerr error) error {
		if lerr != nil {
			return nil // a long line in free text is of no interest
		}
		if v, ok := bytes.CutPrefix(line, []byte("License:")); ok {
			name := strings.TrimSpace(string(v))
			if name != "" && len(name) < 128 {
				fields[name] = true
			}
			return nil
		}
		if !bytes.Contains(line, []byte("common-licenses")) {
			return nil
		}
		for _, m := range commonLicense.FindAllSubmatch(line, -1) {
			name := strings.TrimSuffix(string(m[1]), ".")
			if name != "" {
				refs[name] = true
			}
		}
		return nil
	})
	seen := fields
	if len(fields) == 0 {
		seen = refs
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out, err
}

// FileList reads an info/<package>.list file: one absolute path per line,
// directories included.
func FileList(r io.Reader) ([]string, error) {
	var out []string
	err := pkgdb.Lines(r, func(_ int, line []byte, lerr error) error {
		if lerr == nil && len(line) > 0 {
			out = append(out, string(line))
		}
		return nil
	})
	return out, err
}

// FileSum is one file's checksum as dpkg recorded it.
type FileSum struct {
	// Path is relative to the root, without a leading slash.
	Path string
	// MD5 is the raw 16-byte digest.
	MD5 [16]byte
}

// ErrSums marks a line of a checksum list that cannot be used: not
// "<32 hex digits>  <path>", or a path that climbs out of the root.
var ErrSums = errors.New("malformed checksum line")

// maxSums bounds the entries of one checksum list: the largest Debian
// packages install some tens of thousands of files.
const maxSums = 1_000_000

// MD5Sums reads an info/<package>.md5sums file (or a distroless
// status.d/<package>.md5sums): "<md5>  <path>" per line, paths relative
// to the root. Lines that do not parse are left out and reported, each
// error naming its line; past maxSums entries the rest is not read.
func MD5Sums(r io.Reader) ([]FileSum, []error) {
	var out []FileSum
	var errs pkgdb.Errors
	err := pkgdb.Lines(r, func(n int, line []byte, lerr error) error {
		if lerr != nil {
			errs.Addf("%w at line %d: %w", ErrSums, n, lerr)
			return nil
		}
		if len(line) == 0 {
			return nil
		}
		fs, ok := parseSum(line)
		if !ok {
			errs.Addf("%w at line %d: %.60q", ErrSums, n, line)
			return nil
		}
		if len(out) >= maxSums {
			errs.Addf("%w: more than %d entries; the rest is not read", ErrSums, maxSums)
			return io.EOF
		}
		out = append(out, fs)
		return nil
	})
	if err != nil && err != io.EOF {
		errs.Add(err)
	}
	return out, errs.List()
}

// parseSum reads "<md5>  <path>" (md5sum's text format; a "*" instead of
// the second space marks binary mode).
func parseSum(line []byte) (FileSum, bool) {
	var fs FileSum
	if len(line) < 35 || line[32] != ' ' || (line[33] != ' ' && line[33] != '*') {
		return fs, false
	}
	if _, err := hex.Decode(fs.MD5[:], line[:32]); err != nil {
		return fs, false
	}
	p, ok := cleanPath(string(line[34:]))
	if !ok {
		return fs, false
	}
	fs.Path = p
	return fs, true
}

// cleanPath makes a recorded path relative to the root; a path that
// climbs out of the root is refused.
func cleanPath(p string) (string, bool) {
	c := path.Clean("/" + p)
	if c == "/" || strings.Contains(p, "\x00") {
		return "", false
	}
	for _, part := range strings.Split(p, "/") {
		if part == ".." {
			return "", false
		}
	}
	return c[1:], true
}
