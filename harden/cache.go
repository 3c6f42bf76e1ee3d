package harden

import (
	"bytes"
	"encoding/gob"

	"github.com/shipshape-dev/shipshape/layer"
)

// CacheKey names the file visitor's code in layer-cache keys (see
// layer.Cacheable); change it with any change to what Visit returns.
func (*fileVisitor) CacheKey() string { return "harden/files/1" }

// Sentinels are the errors Visit returns.
func (*fileVisitor) Sentinels() []error { return layer.Sentinels() }

// EncodeValues keeps the files' bytes, except the password fields of
// the account databases: only whether each is empty matters to the
// checks, and a password hash has no place in a cache.
func (*fileVisitor) EncodeValues(hs []*layer.Header, vs [][]byte) ([]byte, error) {
	files := make([][]byte, len(vs))
	for i, b := range vs {
		if hs[i].Path == "etc/shadow" || hs[i].Path == "etc/passwd" {
			b = maskPasswords(b)
		}
		files[i] = b
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(files); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// DecodeValues reverses EncodeValues.
func (*fileVisitor) DecodeValues(_ []*layer.Header, b []byte) ([][]byte, error) {
	var files [][]byte
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&files); err != nil {
		return nil, err
	}
	return files, nil
}

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
