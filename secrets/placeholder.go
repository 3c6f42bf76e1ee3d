package secrets

import (
	"strings"
)

// IsPlaceholder reports whether a would-be secret is a placeholder, an
// example or a reference rather than a value: documentation examples
// (AKIAIOSFODNN7EXAMPLE), template and environment references (${VAR},
// {{ .Values.x }}, %(password)s, $TOKEN, {Name}, [PASSWORD]), masks (xxxx,
// ****, ####, <redacted>), words that say so (changeme, dummy, fake,
// your-api-key), the name of a credential standing for its value
// (password, username:password), and strings with almost no variety
// (aaaaaaaa, 12345678, abcdefgh). Generic rules also take values made of
// sequential runs (xoxp-1234567890, sk_abcdefghijklmnopqrstuvwxyz123) for
// made-up ones; see Rule.Generic.
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
		"redacted", "dummy", "fake", "xxxx", "****", "....", "####", "your_", "your-", "yourapi", "yourtoken", "yoursecret", "yourpassword",
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
	case bracketedName(secret), credentialWord(low), antToken(secret):
		return true
	}
	if user, pass, ok := strings.Cut(low, ":"); ok && user != "" && credentialWord(pass) {
		return true // username:password, admin:password
	}
	return lowVariety(low)
}

// antToken reports a build-time substitution token of Ant, Maven and
// Gradle filters: @name@ (Maven's <token>@projectversion@</token>).
func antToken(s string) bool {
	if len(s) < 3 || s[0] != '@' || s[len(s)-1] != '@' {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		c := s[i]
		if !(c == '_' || c == '-' || c == '.' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// bracketedName reports a name in braces or brackets that stands for a
// value to fill in: {SumoAccessKey}, [PASSWORD], {api-key}.
func bracketedName(s string) bool {
	if len(s) < 3 {
		return false
	}
	if !(s[0] == '{' && s[len(s)-1] == '}') && !(s[0] == '[' && s[len(s)-1] == ']') {
		return false
	}
	inner := s[1 : len(s)-1]
	if inner == "" || ('0' <= inner[0] && inner[0] <= '9') {
		return false
	}
	for i := 0; i < len(inner); i++ {
		c := inner[i]
		if !(c == '_' || c == '-' || c == '.' || c == ' ' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// credentialWord reports a secret that is the name of a credential (lower
// case): "password" written where the password should be.
func credentialWord(low string) bool {
	switch low {
	case "password", "passwd", "pass", "pwd", "passphrase", "secret", "token", "apikey", "api_key", "api-key",
		"access_key", "accesskey", "secret_key", "secretkey", "private_key", "privatekey", "credentials":
		return true
	}
	return false
}

// minRun is the shortest ascending or descending run of characters
// (12345678, abcdefgh) that sequentialValue counts. In a random base62
// string a run of 8 has odds near 62^-7 per position; in a hexadecimal
// one, 16^-7.
const minRun = 8

// sequentialValue reports a value made of sequential runs: runs of minRun
// characters or more, each one above or below the one before it (0 after
// 9 too, as on a keyboard), that
// cover two thirds of its letters and digits or more (xoxp-1234567890,
// sk_abcdefghijklmnopqrstuvwxyz123; s in lower case). A run inside a
// longer value (Welcome12345678) does not make it made up.
func sequentialValue(s string) bool {
	alnum, inRuns := 0, 0
	run, dir := 1, 0
	end := func() {
		if run >= minRun {
			inRuns += run
		}
	}
	for i := 0; i < len(s); i++ {
		if isAlnum(s[i]) {
			alnum++
		}
		if i == 0 {
			continue
		}
		d := int(s[i]) - int(s[i-1])
		switch {
		case s[i-1] == '9' && s[i] == '0': // 1234567890
			d = 1
		case s[i-1] == '0' && s[i] == '9':
			d = -1
		}
		step := (d == 1 || d == -1) && isAlnum(s[i]) && isAlnum(s[i-1])
		switch {
		case step && (run == 1 || d == dir):
			run++
			dir = d
		case step:
			end()
			run, dir = 2, d
		default:
			end()
			run, dir = 1, 0
		}
	}
	end()
	return inRuns >= minRun && 3*inRuns >= 2*alnum
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
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
