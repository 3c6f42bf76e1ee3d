package layer

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxPathLen is the longest entry name the walker accepts (Linux's PATH_MAX).
const MaxPathLen = 4096

// CleanPath turns a tar entry name into a slash-separated path relative to
// the image root: "./a//b/", "/a/b" and "a/./b" all become "a/b". A name
// that climbs above the root ("../x", "a/../../x") is an error wrapping
// ErrPathEscapes; so are empty names, NUL bytes, invalid UTF-8 and names over
// MaxPathLen. The root itself is returned as "".
func CleanPath(name string) (string, error) {
	if len(name) > MaxPathLen {
		return "", fmt.Errorf("%w: name of %d bytes", ErrBadPath, len(name))
	}
	if isClean(name) {
		return name, nil
	}
	if name == "" {
		return "", fmt.Errorf("%w: empty name", ErrBadPath)
	}
	if strings.IndexByte(name, 0) >= 0 {
		return "", fmt.Errorf("%w: NUL byte in name %q", ErrBadPath, name)
	}
	if !utf8.ValidString(name) {
		return "", fmt.Errorf("%w: invalid UTF-8 in name %q", ErrBadPath, name)
	}
	parts := make([]string, 0, strings.Count(name, "/")+1)
	for _, c := range strings.Split(name, "/") {
		switch c {
		case "", ".":
		case "..":
			if len(parts) == 0 {
				return "", fmt.Errorf("%w: %q", ErrPathEscapes, name)
			}
			parts = parts[:len(parts)-1]
		default:
			parts = append(parts, c)
		}
	}
	return strings.Join(parts, "/"), nil
}

// isClean reports whether name is already in the form CleanPath returns,
// which is the common case and needs no allocation.
func isClean(name string) bool {
	if name == "" || name[0] == '/' || name[len(name)-1] == '/' {
		return false
	}
	start := 0
	for i := 0; i <= len(name); i++ {
		if i == len(name) || name[i] == '/' {
			c := name[start:i]
			if c == "" || c == "." || c == ".." {
				return false
			}
			start = i + 1
			continue
		}
		if b := name[i]; b == 0 || b >= utf8.RuneSelf {
			return false // NUL, or non-ASCII: take the slow path that validates UTF-8
		}
	}
	return true
}

// parentDir returns the directory part of a clean path ("" for top-level names).
func parentDir(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return ""
}

// baseName returns the last element of a clean path.
func baseName(p string) string {
	return p[strings.LastIndexByte(p, '/')+1:]
}
