package dpkg

import (
	"bytes"
	"io"
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

// MD5Sums reads a <package>.md5sums file ("<md5>  <path>" per line, paths
// relative to the root), as distroless images keep them in status.d.
func MD5Sums(r io.Reader) ([]string, error) {
	var out []string
	err := pkgdb.Lines(r, func(_ int, line []byte, lerr error) error {
		if lerr != nil {
			return nil
		}
		if _, p, ok := bytes.Cut(line, []byte("  ")); ok && len(p) > 0 {
			out = append(out, string(p))
		}
		return nil
	})
	return out, err
}
