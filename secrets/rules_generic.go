package secrets

import (
	"math"
	"path"
	"strings"

	"github.com/shipshape-dev/shipshape/result"
)

// genericKeyWords are the variable-name fragments that say a value is a
// credential (genericKey then checks the name word by word).
const genericKeyWords = `pass|pwd|secret|token|api[_.-]?key|access[_.-]?key|auth[_.-]?key|private[_.-]?key|credentials?|master[_.-]?key|encryption[_.-]?key|signing[_.-]?key`

// genericKeywords are the prefilter keywords of the generic rules.
func genericKeywords() []string {
	return []string{"pass", "pwd", "secret", "token", "api_key", "apikey", "api-key", "api.key",
		"access_key", "accesskey", "access-key", "auth_key", "authkey", "private_key", "privatekey", "credential",
		"master_key", "masterkey", "encryption_key", "encryptionkey", "signing_key", "signingkey"}
}

// genericRules find credentials by the name they are assigned to, in the
// shapes configuration and code give them: name = value on one line; a
// name above its value (Kubernetes env lists, plists, Hadoop XML); XML
// elements and attributes; CSV rows; Authorization headers, URLs with a
// password, .pgpass files and command lines. Values must look like
// secrets (see genericValue), names must say credential and nothing else
// (see genericKey).
func genericRules() []Rule {
	name := func(n string) string {
		return `(?P<key` + n + `>[\w.-]{0,40}(?:` + genericKeyWords + `)[\w.-]{0,40})`
	}
	// A bare value ends at white space, a quote, a separator or a
	// backslash: .env content inside a JSON string ("A_TOKEN=v\nB=w") is
	// one assignment a line. (A class, not an alternation that would let
	// other escapes through: repeated 200 times, an alternation makes
	// the program too large for the fast matchers.)
	value := func(n string) string {
		return `(?:"(?P<secret_dq` + n + `>[^"\r\n]{8,200})"|'(?P<secret_sq` + n + `>[^'\r\n]{8,200})'|` +
			`\\"(?P<secret_eq` + n + `>[^"\\\r\n]{8,200})\\"|` +
			"`(?P<secret_bq" + n + ">[^`\\r\\n]{8,200})`|" +
			`(?P<secret_bare` + n + `>[^\s"'` + "`" + `;,\\]{8,200}))`
	}
	return []Rule{
		{
			ID:          "generic-api-key",
			Description: "Credential assigned to a variable named like one",
			Severity:    result.SeverityMedium,
			Keywords:    genericKeywords(),
			// name, a closing quote or bracket, a type (Go's var name
			// string, Kotlin's val name: String), an assignment operator of
			// some language (make's ::= and :::=, PHP's .=), the value; or a
			// call with the quoted name and the value as its first
			// arguments: define('NAME', 'value').
			Regex: `(?i)(?:` + name("") + `["'\]]?` + declaredType + `[ \t]{0,5}` + assignOp + `[ \t]{0,5}` + value("1") +
				`|\([ \t]{0,5}["']` + name("2") + `["'][ \t]{0,5},[ \t]{0,5}` + value("2") + `)`,
			MaxLength: 320,
			Lines:     1,
			Generic:   true,
			check:     genericCheck,
			anchor:    nameStart,
		},
		{
			ID:          "generic-api-key-above",
			Description: "Credential under a name on the line above (Kubernetes env, plist, Hadoop XML, JSON name/value)",
			Severity:    result.SeverityMedium,
			Keywords:    genericKeywords(),
			Regex: `(?i)(?:name:[ \t]*["']?` + name("") + `["']?[ \t]*\r?\n[ \t]*-?[ \t]*value:[ \t]*` + value("1") +
				`|<key>` + name("2") + `</key>\s{0,40}<string>(?P<secret2>[^<\r\n]{8,200})</string>` +
				`|<name>` + name("4") + `</name>\s{0,40}<value>(?P<secret4>[^<\r\n]{8,200})</value>` +
				`|"name"\s*:\s*"` + name("3") + `"\s*,\s*"value"\s*:\s*"(?P<secret3>[^"\r\n]{8,200})")`,
			MaxLength: 320,
			Lines:     2,
			Generic:   true,
			check:     genericCheck,
			needs:     []string{"value", "<string>"},
		},
		{
			ID:          "generic-xml-secret",
			Description: "Credential in an XML element or attribute named like one",
			Severity:    result.SeverityMedium,
			Keywords:    genericKeywords(),
			// The value on the element's line, or alone on the next line
			// with the closing tag on the line after it.
			Regex: `(?i)(?:<` + name("1") + `>(?P<secret1>[^<\r\n]{8,200})</` +
				`|<` + name("3") + `>[ \t]*\r?\n[ \t]*(?P<secret3>[^<\s]{8,200})[ \t]*\r?\n[ \t]*</` +
				`|(?:key|name)\s*=\s*"` + name("2") + `"\s+value\s*=\s*"(?P<secret2>[^"\r\n]{8,200})")`,
			MaxLength: 320,
			Lines:     3,
			Generic:   true,
			check:     genericCheck,
			// A closing tag, or the attribute as it is written: source
			// code says "value" far more often than value=".
			needs: []string{"</", `value="`, `value = "`},
		},
		{
			ID:          "generic-csv-secret",
			Description: "Credential in a CSV row whose name field says what it is",
			Severity:    result.SeverityMedium,
			Keywords:    genericKeywords(),
			Path:        `(?i)\.(?:csv|tsv)$`,
			// A field naming a credential, then within four fields the first
			// that can be a value (no address, long enough).
			Regex:     `(?i)(?:^|[,\t])"?` + name("") + `"?(?:[,\t][^,\t\r\n]{0,80}){0,4}?[,\t](?:"(?P<secret_q>[^"\r\n]{8,200})"|(?P<secret>[^,\t"\s@]{8,200}))(?:[,\t]|\r?$)`,
			MaxLength: 600,
			Lines:     1,
			Generic:   true,
			check: func(c *candidate) bool {
				c.quoted = true // a CSV field is a literal
				return !timestamp(c.secret) && !strings.Contains(c.secret, "@") && genericCheck(c)
			},
		},
		{
			ID:          "authorization-header",
			Description: "Credential in an Authorization header",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"bearer ", "basic "},
			Regex:       `(?i)\bauthorization["']?\s{0,3}[:=,]\s{0,3}["']?(?:(?P<key>bearer|token)|basic)\s+(?P<secret>[A-Za-z0-9._~+/*!^%-]{16,}=*)`,
			MaxLength:   320,
			Lines:       1,
			Generic:     true,
			check: func(c *candidate) bool {
				v := c.secret
				low := strings.ToLower(v)
				for _, w := range []string{"password", "secret", "token", "/run/", "/var/", "/etc/"} {
					if strings.Contains(low, w) {
						return false
					}
				}
				for _, p := range []string{"$", "pk_", "pk.", "aqicah", "age1", "enc["} {
					if strings.HasPrefix(low, p) {
						return false
					}
				}
				if c.key == "" { // Basic: base64 of user:password
					user, pass, ok := strings.Cut(string(decodeLenient(v)), ":")
					return ok && user != "" && len(pass) >= 4 && printable(pass) && !IsPlaceholder(pass)
				}
				return !isUUID(v) && !traceparent(v) && !hostPath(v) && Entropy(v) >= 3
			},
		},
		{
			ID:          "url-basic-auth",
			Description: "Password in a URL (user:password@host)",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"://"},
			needs:       []string{"@"},
			Regex:       `\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://(?P<key>[^\s:/@"'<>]{1,64}):(?P<secret>[^\s/@"'<>]{4,128})@[A-Za-z0-9._\[\]-]+`,
			MaxLength:   400,
			Lines:       1,
			Generic:     true,
			check: func(c *candidate) bool {
				p := c.secret
				return !IsPlaceholder(p) && !strings.EqualFold(p, c.key) && !strings.EqualFold(p, "password") &&
					!strings.HasPrefix(p, "$") && Entropy(p) >= 2.5
			},
		},
		{
			ID:          "pgpass-password",
			Description: "Password in a PostgreSQL .pgpass file",
			Severity:    result.SeverityHigh,
			// No keywords: the path decides, and the file is small.
			Path:      `(^|/)\.pgpass$`,
			Regex:     `(?m)^[^:#\r\n]+:[^:\r\n]*:[^:\r\n]*:[^:\r\n]*:(?P<secret>[^\r\n]{4,})$`,
			MaxLength: 400,
			Lines:     1,
		},
		{
			ID:          "command-line-password",
			Description: "Password on a command line (mysql -p, sshpass -p, curl -u, psql URLs)",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"mysql", "mariadb", "sshpass", "curl ", "mongosh", "mongo "},
			Regex: `(?:\b(?:mysql(?:dump|admin|import)?|mariadb|sshpass)\b[^\r\n]{0,200}?\s-p(?:'(?P<secret_sq>[^'\r\n]{4,})'|"(?P<secret_dq>[^"\r\n]{4,})"|(?P<secret_bare>[^\s'"-][^\s'"]{3,}))` +
				`|\bcurl\b[^\r\n]{0,200}?\s(?:-u|--user)\s+['"]?[^:\s'"]+:(?P<secret_curl>[^\s'"]{4,})` +
				`|\bmongo(?:sh)?\b[^\r\n]{0,200}?\s(?:-p|--password)\s+['"]?(?P<secret_mongo>[^\s'"]{4,}))`,
			MaxLength: 400,
			Lines:     1,
			Generic:   true,
			check: func(c *candidate) bool {
				return !IsPlaceholder(c.secret) && !strings.HasPrefix(c.secret, "$") && Entropy(c.secret) >= 2.5
			},
		},
	}
}

// declaredType is the type a declaration may put between a name and its
// value: Go's var name string = …, Kotlin's and Swift's var name: String
// = …, Rust's &str, TypeScript's name: string = ….
const declaredType = `(?:[ \t]+(?:string|\[\]byte)|[ \t]*:[ \t]*(?:string|&(?:'static[ \t]+)?str))?`

// assignOp is an assignment or comparison operator of some language: =,
// :=, make's ::= and :::=, ?=, ??=, PHP's .=, ||=, =>, ==, !=, ->, and
// the colon of YAML and JSON.
const assignOp = `(?:=|:=|::=|:::=|:|=>|==|!=|\?=|\?\?=|\.=|\|\|=|->)`

// nameStart is where a name holding a keyword at kw begins: back over
// name characters (at most 40), and, for define('NAME', …) and the like,
// back over the quote and the opening parenthesis.
func nameStart(data []byte, kw int) int {
	i := kw
	for i > 0 && kw-i < 40 && nameByte(data[i-1]) {
		i--
	}
	if j := i - 1; j >= 0 && (data[j] == '"' || data[j] == '\'') {
		k := j
		for k > 0 && (data[k-1] == ' ' || data[k-1] == '\t') {
			k--
		}
		if k > 0 && data[k-1] == '(' {
			return k - 1
		}
	}
	return i
}

func nameByte(c byte) bool {
	return c == '_' || c == '.' || c == '-' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// genericCheck accepts a match of a generic rule when the name describes a
// credential, the value looks like one, and, in source code, the value is
// a literal rather than an expression.
func genericCheck(c *candidate) bool {
	if isUUID(c.secret) {
		// Mostly identifiers, but some services issue UUIDs as keys: a
		// name that says which (herokuToken) makes one a credential.
		if !uuidService(c.key) || !genericKey(c.key) {
			return false
		}
	} else if !genericKey(c.key) || !genericValue(c.secret) {
		return false
	}
	if c.key != "" && strings.Contains(strings.ToLower(c.secret), strings.ToLower(c.key)) {
		return false // "encryptionKey": "encryptionKey1024": a name, not a value
	}
	if !c.quoted && sourceCode(c.file) {
		return false // an identifier or expression, not a literal
	}
	return Entropy(c.secret) >= minGenericEntropy(len(c.secret))
}

// uuidServices name services whose API keys or secrets are UUIDs.
var uuidServices = []string{"heroku", "hubspot", "kucoin", "squarespace", "snyk", "octopus", "opsgenie", "postmark",
	"saucelabs", "sauce", "atlas"}

// uuidService reports a name that holds, as one of its words, a service
// whose credentials are UUIDs (HEROKU_API_KEY, kucoinSecret).
func uuidService(key string) bool {
	for _, w := range keyWords(key) {
		for _, s := range uuidServices {
			if w == s || strings.HasPrefix(w, s) && genericKeyTail(w[len(s):]) {
				return true
			}
		}
	}
	return false
}

// genericKeyTail reports the credential word glued to a service name in
// one lower-case word (herokutoken, snykapikey).
func genericKeyTail(w string) bool {
	switch w {
	case "token", "key", "apikey", "secret", "password", "pass", "authtoken", "accesstoken", "secretkey":
		return true
	}
	return false
}

// minGenericEntropy is the entropy a generic value of n bytes needs: about
// what a random string of that length over a mixed alphabet has, with
// room for ordinary passwords (2.4 bits at 8 bytes, 3 from 16 on).
func minGenericEntropy(n int) float64 {
	return min(3, 0.8*math.Log2(float64(n)))
}

// keyWords splits a name into lower-case words at punctuation and at
// camelCase boundaries: "signingKeyFingerprint" → signing, key,
// fingerprint; "XMLApiToken" → xml, api, token.
func keyWords(key string) []string {
	var words []string
	var cur []byte
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	isUpper := func(c byte) bool { return 'A' <= c && c <= 'Z' }
	isLower := func(c byte) bool { return 'a' <= c && c <= 'z' }
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case !isUpper(c) && !isLower(c) && !('0' <= c && c <= '9'):
			flush()
			continue
		case isUpper(c) && i > 0 && (isLower(key[i-1]) || (isUpper(key[i-1]) && i+1 < len(key) && isLower(key[i+1]))):
			flush()
		}
		cur = append(cur, c)
	}
	flush()
	return words
}

// genericKey accepts names that say credential (a word such as password,
// pass, secret, token, or a pair such as api key) and nothing that makes
// the value something else: its name, type, location, length, hash,
// fingerprint, policy, an identifier, or a fake.
func genericKey(key string) bool {
	words := keyWords(key)
	if len(words) == 1 && (words[0] == "pass" || words[0] == "pwd") {
		return false // a test result (--- PASS:), a directory ($PWD)
	}
	credential := false
	for i, w := range words {
		switch w {
		case "pass", "pwd", "passphrase", "credential", "credentials", "apikey", "accesskey", "authkey", "privatekey",
			"masterkey", "signingkey", "encryptionkey":
			credential = true
		case "key":
			if i > 0 {
				switch words[i-1] {
				case "api", "access", "auth", "private", "master", "signing", "encryption", "secret", "app", "service", "admin", "license":
					credential = true
				}
			}
		case "name", "names", "type", "url", "uri", "endpoint", "path", "file", "dir", "length", "len", "size", "count",
			"policy", "field", "hint", "prompt", "label", "format", "pattern", "regex", "header", "method", "mode",
			"version", "ttl", "timeout", "template", "placeholder", "prefix", "suffix", "hash", "hashed", "digest", "ref",
			"arn", "input", "param", "reset", "confirm", "confirmation", "rotation", "enabled", "required", "min", "max",
			"generator", "strength", "question", "lifetime", "duration", "limit", "id", "ids", "index", "csrf", "xsrf",
			"nonce", "provider", "kind", "class", "store", "env", "var", "fingerprint", "thumbprint", "checksum", "fake",
			"dummy", "example", "sample", "mock", "scope", "scopes", "tokenizer", "days", "hours", "seconds", "minutes",
			"interval", "age", "rule", "rules", "schema", "location", "host", "port", "expiry", "expires", "expiration", "authenticity",
			"expire", "expired", "issuer", "audience", "algorithm", "alg", "salt", "rounds", "iterations", "public", "pub",
			"hasher", "hashing", "algo", "encoder", "encoding", "manager", "handler", "policies", "from":
			return false
		default:
			// pgpassword, clientsecret, authtoken, …
			for _, c := range []string{"password", "passwd", "secret", "token"} {
				if strings.Contains(w, c) && !strings.Contains(w, "tokeniz") && w != "jsonwebtoken" {
					credential = true
				}
			}
		}
	}
	return credential
}

// genericValue rejects values that are not secrets: digests and integrity
// strings, UUIDs, paths and URLs, references to secret stores and encrypted values (SOPS ENC[…],
// KMS and sealed-secret ciphertext, Azure Key Vault and Octopus
// references), publishable keys, prose, slugs, words naming a credential,
// and strings of one character class.
func genericValue(v string) bool {
	low := strings.ToLower(v)
	for _, p := range []string{"sha1-", "sha256-", "sha384-", "sha512-", "sha1:", "sha256:", "sha512:", "md5:", "h1:", "sha256~",
		"enc[", "enc:", "aqicah", "vault:", "arn:", "projects/", "pk_", "pk.", "@microsoft.", "#{", "ref+", "op://", "sm://", "akv://"} {
		if strings.HasPrefix(low, p) {
			return false
		}
	}
	// Reads from the environment, in scripts and notebooks too, where the
	// value is not a quoted literal of a source file.
	for _, p := range []string{"os.environ", "os.getenv(", "getenv(", "process.env.", "process.env[", "system.getenv(",
		"environment.getenvironmentvariable(", "env[", "env.fetch(", "$env:", "env(", "import.meta.env."} {
		if strings.HasPrefix(low, p) {
			return false
		}
	}
	for _, w := range []string{"password", "passwd", "secret", "token", "api_key", "apikey", "://", "null", "none", "undefined",
		"true", "false", "..."} {
		if strings.Contains(low, w) {
			return false
		}
	}
	if strings.HasPrefix(v, "/") || strings.HasPrefix(v, "./") || strings.HasPrefix(v, "../") || strings.HasPrefix(v, "~/") ||
		strings.ContainsAny(v, " \t") || isUUID(v) || slug(v) || ciphertext(v) {
		return false
	}
	return charClasses(v) >= 2
}

// slug reports lower-case words joined by hyphens, underscores or dots
// with no digit: local-dev-only, hazel-uploads-prod.
func slug(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('a' <= c && c <= 'z' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// ciphertext reports a Bitnami sealed-secret value: long base64 of a
// blob whose version byte 2 makes it start with "Ag". (AWS KMS blobs,
// "AQICAH…", are caught by their prefix.)
func ciphertext(v string) bool {
	return len(v) >= 100 && strings.HasPrefix(v, "Ag") && len(decodeLenient(v)) > 0
}

// printable reports text without control characters.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return false
		}
	}
	return true
}

// traceparent reports a W3C trace context header value:
// 00-<32 hex>-<16 hex>-<2 hex>.
func traceparent(v string) bool {
	parts := strings.Split(v, "-")
	if len(parts) != 4 || len(parts[0]) != 2 || len(parts[1]) != 32 || len(parts[2]) != 16 || len(parts[3]) != 2 {
		return false
	}
	for _, p := range parts {
		for i := 0; i < len(p); i++ {
			if !('0' <= p[i] && p[i] <= '9' || 'a' <= p[i] && p[i] <= 'f') {
				return false
			}
		}
	}
	return true
}

// hostPath reports host/path references (ghcr.io/org/image).
func hostPath(v string) bool {
	host, _, ok := strings.Cut(v, "/")
	return ok && strings.Contains(host, ".") && !strings.ContainsAny(host, "+=")
}

// timestamp reports dates and times (2025-11-08T15:40:00Z).
func timestamp(v string) bool {
	digits := 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case '0' <= c && c <= '9':
			digits++
		case c == '-' || c == ':' || c == 'T' || c == 'Z' || c == '.' || c == '+' || c == ' ':
		default:
			return false
		}
	}
	return digits >= 8
}

// sourceCode reports files in programming languages, where an unquoted
// value is an expression.
func sourceCode(file string) bool {
	switch strings.ToLower(path.Ext(file)) {
	case ".go", ".py", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".java", ".kt", ".kts", ".scala", ".groovy", ".rb",
		".php", ".cs", ".fs", ".vb", ".swift", ".m", ".mm", ".c", ".h", ".cc", ".cpp", ".hpp", ".rs", ".lua", ".pl", ".pm",
		".dart", ".ex", ".exs", ".erl", ".clj", ".r", ".jl", ".hs", ".ml", ".zig", ".nim", ".v", ".sol", ".vue", ".svelte",
		".ipynb", ".tf", ".hcl", ".html", ".htm":
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
