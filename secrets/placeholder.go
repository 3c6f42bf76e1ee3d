package secrets

import (
	"strings"
)

// IsPlaceholder reports whether a would-be secret is a placeholder, an
// example or a reference rather than a value: documentation examples
// (AKIAIOSFODNN7EXAMPLE), template and environment references (${VAR},
// {{ .Values.x }}, %(password)s, $TOKEN), masks (xxxx, ****, <redacted>),
// words that say so (changeme, dummy, fake, your-api-key), and strings with
// almost no variety (aaaaaaaa, 12345678, abcdefgh).
func IsPlaceholder(secret string) bool {
	if secret == "" {
		return true
	}
	low := strings.ToLower(secret)
	// Each word is long or odd enough not to occur in a random token by
	// chance: a base62 token of 40 characters holds a given 7-letter word
	// with odds near 1 in 10^11.
	for _, w := range [...]string{
		"example", "sample", "placeholder", "changeme", "change_me", "change-me", "changeit",
		"redacted", "dummy", "fake", "xxxx", "****", "....", "your_", "your-", "yourapi", "yourtoken", "yoursecret", "yourpassword",
		"insert_", "insert-", "replace_me", "replaceme", "replace-me", "put_your", "enter_your", "todo",
		"secret_here", "token_here", "key_here", "password_here", "notreal", "not_real", "not-a-real", "mysecret", "mypassword",
		"<", ">", "000000", "111111", "opensesame", "open sesame",
	} {
		if strings.Contains(low, w) {
			return true
		}
	}
	switch {
	case strings.Contains(secret, "${"), strings.Contains(secret, "{{"), strings.Contains(secret, "}}"),
		pythonFormat(secret), strings.Contains(secret, "$("), strings.HasPrefix(secret, "<") && strings.HasSuffix(secret, ">"),
		strings.HasPrefix(secret, "%") && strings.HasSuffix(secret, "%") && len(secret) > 2:
		return true
	case secret[0] == '$' && isIdentifier(secret[1:]):
		return true
	}
	return lowVariety(low)
}

// pythonFormat reports a %(name)s reference of Python's string formatting.
func pythonFormat(s string) bool {
	for {
		i := strings.Index(s, "%(")
		if i < 0 {
			return false
		}
		s = s[i+2:]
		j := strings.IndexByte(s, ')')
		if j > 0 && isIdentifier(s[:j]) && j+1 < len(s) && ('a' <= s[j+1] && s[j+1] <= 'z') {
			return true
		}
	}
}

// isIdentifier reports whether s is a variable name: letters, digits and
// underscores, not starting with a digit.
func isIdentifier(s string) bool {
	if s == "" || ('0' <= s[0] && s[0] <= '9') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// lowVariety reports strings made of very few distinct bytes, or of one
// ascending or descending run (abcdef, 123456).
func lowVariety(s string) bool {
	var seen [256]bool
	distinct := 0
	for i := 0; i < len(s); i++ {
		if !seen[s[i]] {
			seen[s[i]] = true
			distinct++
		}
	}
	if distinct <= 3 || (len(s) >= 12 && distinct <= 4) {
		return true
	}
	run := 1
	for i := 1; i < len(s); i++ {
		d := int(s[i]) - int(s[i-1])
		if d == 1 || d == -1 {
			run++
			if run == len(s) {
				return true
			}
		} else {
			break
		}
	}
	return false
}
