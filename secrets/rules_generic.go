package secrets

import (
	"math"
	"path"
	"strings"

	"github.com/shipshape-dev/shipshape/result"
)

// genericKeyWords are the variable-name fragments that say a value is a
// credential.
const genericKeyWords = `password|passwd|passphrase|pwd|secret|token|api[_.-]?key|access[_.-]?key|auth[_.-]?key|private[_.-]?key|client[_.-]?secret|credentials?|master[_.-]?key|encryption[_.-]?key|signing[_.-]?key`

// genericKeywords are the prefilter keywords of the generic rules: the
// fragments above, in the forms they take in names.
func genericKeywords() []string {
	return []string{"password", "passwd", "passphrase", "pwd", "secret", "token", "api_key", "apikey", "api-key", "api.key",
		"access_key", "accesskey", "access-key", "auth_key", "authkey", "private_key", "privatekey", "credential",
		"master_key", "masterkey", "encryption_key", "encryptionkey", "signing_key", "signingkey"}
}

// genericRules find credentials by the name they are assigned to, in the
// shapes configuration and code give them: name = value on one line; a
// name above its value (Kubernetes env lists, plists); XML elements and
// attributes; Authorization headers. Values must look like secrets (see
// genericValue), names must not describe something else (see genericKey).
func genericRules() []Rule {
	name := `(?P<key>[\w.-]{0,40}(?:` + genericKeyWords + `)[\w.-]{0,40})`
	value := func(n string) string {
		return `(?:"(?P<secret_dq` + n + `>[^"\r\n]{8,200})"|'(?P<secret_sq` + n + `>[^'\r\n]{8,200})'|` +
			"`(?P<secret_bq" + n + ">[^`\\r\\n]{8,200})`|" +
			`(?P<secret_bare` + n + `>[^\s"'` + "`" + `;,<>(){}\[\]\\]{8,200}))`
	}
	return []Rule{
		{
			ID:          "generic-api-key",
			Description: "Credential assigned to a variable named like one",
			Severity:    result.SeverityMedium,
			Keywords:    genericKeywords(),
			// name, a closing quote or bracket, an assignment operator of
			// some language, an optional type or call prefix, the value.
			Regex:     `(?i)` + name + `["'\]]?[ \t]{0,5}(?:=|:=|:|=>|==|!=|\?=|\|\|=|->)[ \t]{0,5}` + value("1"),
			MaxLength: 320,
			Lines:     1,
			Generic:   true,
			check:     genericCheck,
		},
		{
			ID:          "generic-api-key-above",
			Description: "Credential under a name on the line above (Kubernetes env, plist, JSON name/value)",
			Severity:    result.SeverityMedium,
			Keywords:    genericKeywords(),
			Regex: `(?i)(?:name:[ \t]*["']?` + name + `["']?[ \t]*\r?\n[ \t]*-?[ \t]*value:[ \t]*` + value("1") +
				`|<key>` + strings.Replace(name, "?P<key>", "?P<key2>", 1) + `</key>\s{0,40}<string>(?P<secret2>[^<\r\n]{8,200})</string>` +
				`|"name"\s*:\s*"` + strings.Replace(name, "?P<key>", "?P<key3>", 1) + `"\s*,\s*"value"\s*:\s*"(?P<secret3>[^"\r\n]{8,200})")`,
			MaxLength: 320,
			Lines:     2,
			Generic:   true,
			check:     genericCheck,
		},
		{
			ID:          "generic-xml-secret",
			Description: "Credential in an XML element or attribute named like one",
			Severity:    result.SeverityMedium,
			Keywords:    genericKeywords(),
			Regex: `(?i)(?:<` + strings.Replace(name, "?P<key>", "?P<key1>", 1) + `>(?P<secret1>[^<\r\n]{8,200})</` +
				`|(?:key|name)\s*=\s*"` + strings.Replace(name, "?P<key>", "?P<key2>", 1) + `"\s+value\s*=\s*"(?P<secret2>[^"\r\n]{8,200})")`,
			MaxLength: 320,
			Lines:     1,
			Generic:   true,
			check:     genericCheck,
		},
		{
			ID:          "authorization-header",
			Description: "Credential in an Authorization header",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"bearer ", "basic "},
			Regex:       `(?i)\bauthorization["']?\s{0,3}[:=,]\s{0,3}["']?(?:bearer|basic|token)\s+(?P<secret>[A-Za-z0-9._~+/-]{16,}=*)`,
			MaxLength:   320,
			Lines:       1,
			Generic:     true,
			check: func(c *candidate) bool {
				return genericValue(c.secret) && Entropy(c.secret) >= 3
			},
		},
	}
}

// genericCheck accepts a match of a generic rule when the name describes a
// credential, the value looks like one, and, in source code, the value is
// a literal rather than an expression.
func genericCheck(c *candidate) bool {
	if !genericKey(c.key) || !genericValue(c.secret) {
		return false
	}
	if !c.quoted && sourceCode(c.file) {
		return false // an identifier or expression, not a literal
	}
	return Entropy(c.secret) >= minGenericEntropy(len(c.secret))
}

// minGenericEntropy is the entropy a generic value of n bytes needs: about
// what a random string of that length over a mixed alphabet has, with
// room for ordinary passwords (2.4 bits at 8 bytes, 3 from 16 on).
func minGenericEntropy(n int) float64 {
	return min(3, 0.8*math.Log2(float64(n)))
}

// genericKey rejects names that hold something about a credential rather
// than the credential: its name, type, location, length, hash or policy.
func genericKey(key string) bool {
	k := strings.ToLower(key)
	for _, w := range []string{"name", "type", "url", "uri", "endpoint", "path", "file", "dir", "length", "size", "count",
		"policy", "field", "hint", "prompt", "label", "format", "pattern", "regex", "header", "method", "mode", "version",
		"expir", "ttl", "timeout", "template", "placeholder", "prefix", "suffix", "hash", "digest", "tokeniz", "_ref",
		"ref_", "arn", "input", "param", "reset", "confirm", "rotation", "enabled", "required", "min", "max", "generator",
		"strength", "question", "lifetime", "duration", "limit", "_id", "-id", ".id", "index", "csrf", "xsrf", "nonce",
		"provider", "kind", "class", "store", "env", "var"} {
		if strings.Contains(k, w) {
			return false
		}
	}
	return !strings.HasSuffix(k, "id") && !strings.HasSuffix(k, "ids")
}

// genericValue rejects values that are not secrets: digests and integrity
// strings, UUIDs, paths and URLs, dotted references into code, words
// naming a credential, and strings of one character class.
func genericValue(v string) bool {
	low := strings.ToLower(v)
	for _, p := range []string{"sha1-", "sha256-", "sha384-", "sha512-", "sha1:", "sha256:", "sha512:", "md5:", "h1:", "sha256~"} {
		if strings.HasPrefix(low, p) {
			return false
		}
	}
	for _, w := range []string{"password", "passwd", "secret", "token", "://", "null", "none", "undefined", "true", "false"} {
		if strings.Contains(low, w) {
			return false
		}
	}
	if strings.HasPrefix(v, "/") || strings.HasPrefix(v, "./") || strings.HasPrefix(v, "../") || strings.HasPrefix(v, "~/") ||
		isUUID(v) || dottedReference(v) {
		return false
	}
	return charClasses(v) >= 2
}

// sourceCode reports files in programming languages, where an unquoted
// value is an expression.
func sourceCode(file string) bool {
	switch strings.ToLower(path.Ext(file)) {
	case ".go", ".py", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".java", ".kt", ".kts", ".scala", ".groovy", ".rb",
		".php", ".cs", ".fs", ".vb", ".swift", ".m", ".mm", ".c", ".h", ".cc", ".cpp", ".hpp", ".rs", ".lua", ".pl", ".pm",
		".dart", ".ex", ".exs", ".erl", ".clj", ".r", ".jl", ".hs", ".ml", ".zig", ".nim", ".v", ".sol", ".vue", ".svelte":
		return true
	}
	return false
}

// isUUID reports the 8-4-4-4-12 hexadecimal form.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// dottedReference reports a.b.c chains of identifiers: settings.SECRET_KEY,
// process.env.TOKEN, os.Getenv.
func dottedReference(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if !isIdentifier(p) {
			return false
		}
	}
	return true
}

// charClasses counts the classes (lower, upper, digit, other) in s.
func charClasses(s string) int {
	var lower, upper, digit, other int
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z':
			lower = 1
		case 'A' <= c && c <= 'Z':
			upper = 1
		case '0' <= c && c <= '9':
			digit = 1
		default:
			other = 1
		}
	}
	return lower + upper + digit + other
}
