// Package osrelease parses os-release files (os-release(5)) and the older
// release files that some images carry instead.
package osrelease

import (
	"errors"
	"io"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/pkgdb"
)

// Parse reads KEY=VALUE lines, unquoting single- and double-quoted values
// and the backslash escapes os-release(5) allows. Comments, blank and
// malformed lines are skipped.
func Parse(r io.Reader) (map[string]string, error) {
	out := map[string]string{}
	err := pkgdb.Lines(r, func(_ int, line []byte, lerr error) error {
		if lerr != nil {
			return nil
		}
		s := strings.TrimSpace(string(line))
		if s == "" || s[0] == '#' {
			return nil
		}
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			return nil
		}
		out[k] = unquote(strings.TrimSpace(v))
		return nil
	})
	return out, err
}

func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		q := v[0]
		v = v[1 : len(v)-1]
		if q == '\'' {
			return v
		}
		var b strings.Builder
		for i := 0; i < len(v); i++ {
			if v[i] == '\\' && i+1 < len(v) && strings.IndexByte("\"\\$`", v[i+1]) >= 0 {
				i++
			}
			b.WriteByte(v[i])
		}
		return b.String()
	}
	return v
}

// FirstLine returns the first line of a short release file
// (etc/debian_version, etc/alpine-release), trimmed.
func FirstLine(r io.Reader) (string, error) {
	var first string
	err := pkgdb.Lines(r, func(_ int, line []byte, lerr error) error {
		if lerr != nil {
			return lerr
		}
		first = strings.TrimSpace(string(line))
		return errStop
	})
	if err == errStop {
		err = nil
	}
	return first, err
}

var errStop = errors.New("stop")
