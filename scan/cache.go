package scan

import (
	"bytes"
	"fmt"

	"github.com/shipshape-dev/shipshape/internal/walk"
)

// CacheKey names the file visitor's code in layer-cache keys (see
// walk.Cacheable); change it with any change to what Visit returns.
func (*fileVisitor) CacheKey() string { return "scan/files/1" }

// Sentinels are the errors Visit returns.
func (*fileVisitor) Sentinels() []error { return append(walk.Sentinels(), ErrFileTooLarge) }

// EncodeValue keeps a file's bytes, except the password fields of the
// account databases: only whether each is empty matters to the checks,
// and a password hash has no place in a cache.
func (*fileVisitor) EncodeValue(h *walk.Header, v any) ([]byte, error) {
	b, ok := v.([]byte)
	if !ok {
		return nil, fmt.Errorf("no cache encoding for %T", v)
	}
	if h.Path == "etc/shadow" || h.Path == "etc/passwd" {
		return maskPasswords(b), nil
	}
	return b, nil
}

// DecodeValue reverses EncodeValue.
func (*fileVisitor) DecodeValue(_ *walk.Header, b []byte) (any, error) { return b, nil }

// maskPasswords replaces every non-empty password field (the second) of
// an account database with "*".
func maskPasswords(b []byte) []byte {
	lines := bytes.Split(b, []byte("\n"))
	for i, line := range lines {
		name, rest, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		pw, tail, more := bytes.Cut(rest, []byte(":"))
		if len(pw) == 0 {
			continue
		}
		masked := append(append([]byte{}, name...), ":*"...)
		if more {
			masked = append(append(masked, ':'), tail...)
		}
		lines[i] = masked
	}
	return bytes.Join(lines, []byte("\n"))
}
