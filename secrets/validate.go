package secrets

import (
	"encoding/base64"
	"encoding/json"
	"hash/crc32"
	"strings"
)

// base62 is the alphabet of checksummed tokens (GitHub, npm and others
// encode a CRC32 of the token body in it).
const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// crc32Base62 reports whether the last six characters of token are the
// base62 CRC32 (IEEE) of the characters between prefixLen and them, left
// padded with zeros: the checksum GitHub and npm put in their tokens.
func crc32Base62(token string, prefixLen int) bool {
	if len(token) < prefixLen+7 {
		return false
	}
	body, sum := token[prefixLen:len(token)-6], token[len(token)-6:]
	return encodeBase62(uint64(crc32.ChecksumIEEE([]byte(body))), 6) == sum
}

// encodeBase62 writes n in base62, left padded with zeros to width.
func encodeBase62(n uint64, width int) string {
	b := make([]byte, width)
	for i := width - 1; i >= 0; i-- {
		b[i] = base62[n%62]
		n /= 62
	}
	return string(b)
}

// validJWT accepts a JSON Web Token whose header and payload decode to
// JSON objects and whose header names an algorithm.
func validJWT(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 3 && len(parts) != 5 { // JWS, or JWE with five parts
		return false
	}
	var header struct {
		Alg string `json:"alg"`
	}
	h, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[0], "="))
	if err != nil || json.Unmarshal(h, &header) != nil || header.Alg == "" {
		return false
	}
	if len(parts) == 5 {
		return true
	}
	p, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	var payload map[string]any
	return err == nil && json.Unmarshal(p, &payload) == nil
}
