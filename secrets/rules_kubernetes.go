package secrets

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/shipshape-dev/shipshape/result"
)

// kubernetesRules find credentials of Kubernetes and OpenShift: the values
// of Secret manifests and OpenShift user tokens.
func kubernetesRules() []Rule {
	return []Rule{
		{
			ID:          "kubernetes-secret",
			Description: "Value in the data or stringData of a Kubernetes Secret manifest",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"kind: secret", `kind: "secret"`, "kind: 'secret'"},
			// The layout of an entry; the entries themselves are found by
			// kubernetesSecretEntries, which knows which mapping they are in.
			Regex:     `(?m)^[ \t]*(?P<key>[\w.-]+):[ \t]*(?:(?P<secret_data>[A-Za-z0-9+/]+=*)|(?P<secret_string>\S[^\r\n]*))`,
			MaxLength: 16 << 10,
			// Placeholders are judged on the decoded value (check).
			KeepPlaceholders: true,
			find:             kubernetesSecretEntries,
			check:            kubernetesSecretCheck,
			container:        true,
		},
		{
			ID:          "openshift-user-token",
			Description: "OpenShift user or service account OAuth token (sha256~)",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"sha256~"},
			// 43 characters of base64url: a SHA-256 digest's worth.
			Regex:     `(?:^|[^A-Za-z0-9_~-])(?P<secret>sha256~[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$)`,
			Entropy:   3.5,
			MaxLength: 80,
		},
	}
}

// kubernetesSecretEntries returns the entries of the data and stringData
// mappings of the Secret manifests in data[lo:hi], YAML documents whose
// kind is Secret, in the layout of the kubernetes-secret expression
// (whole match, key, secret_data, secret_string), relative to lo. A value
// may be plain, quoted or a block scalar (| or >) on the lines below.
func kubernetesSecretEntries(data []byte, lo, hi int) [][]int {
	var out [][]int
	lines := splitLines(data, lo, hi)
	for start := 0; start < len(lines); {
		end := start
		for end < len(lines) && (end == start || !docSeparator(lines[end].text(data))) {
			end++
		}
		out = append(out, secretDocEntries(data, lo, lines[start:end])...)
		start = end
	}
	return out
}

// line is one line of a window: [start, end) without its line break.
type line struct{ start, end int }

func (l line) text(data []byte) []byte { return data[l.start:l.end] }

// splitLines cuts data[lo:hi] into lines, dropping carriage returns.
func splitLines(data []byte, lo, hi int) []line {
	var out []line
	for i := lo; i < hi; {
		j := bytes.IndexByte(data[i:hi], '\n')
		end := hi
		if j >= 0 {
			end = i + j
		}
		e := end
		if e > i && data[e-1] == '\r' {
			e--
		}
		out = append(out, line{i, e})
		if j < 0 {
			break
		}
		i = end + 1
	}
	return out
}

func docSeparator(t []byte) bool {
	return bytes.Equal(bytes.TrimRight(t, " \t"), []byte("---"))
}

// indentOf is the number of leading blanks (spaces or tabs) of a line.
func indentOf(t []byte) int {
	n := 0
	for n < len(t) && (t[n] == ' ' || t[n] == '\t') {
		n++
	}
	return n
}

// yamlKey splits "key: rest" at its first colon followed by a blank or
// the end of the line; ok is false for anything else (a list item, a
// comment, a scalar).
func yamlKey(t []byte) (key []byte, rest int, ok bool) {
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c == ':' && (i+1 == len(t) || t[i+1] == ' ' || t[i+1] == '\t') {
			k := bytes.Trim(t[:i], `"'`)
			return k, i + 1, len(k) > 0
		}
		if !(c == '_' || c == '-' || c == '.' || c == '"' || c == '\'' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return nil, 0, false
		}
	}
	return nil, 0, false
}

// secretDocEntries returns the data and stringData entries of one YAML
// document when its kind is Secret.
func secretDocEntries(data []byte, lo int, doc []line) [][]int {
	kindIndent := -1
	for _, l := range doc {
		t := l.text(data)
		in := indentOf(t)
		k, rest, ok := yamlKey(t[in:])
		if !ok || string(k) != "kind" {
			continue
		}
		v := bytes.Trim(bytes.TrimSpace(stripComment(t[in+rest:])), `"'`)
		if strings.EqualFold(string(v), "secret") {
			kindIndent = in
			break
		}
	}
	if kindIndent < 0 {
		return nil
	}
	var out [][]int
	for i := 0; i < len(doc); i++ {
		t := doc[i].text(data)
		in := indentOf(t)
		k, rest, ok := yamlKey(t[in:])
		if !ok || in != kindIndent || (string(k) != "data" && string(k) != "stringData") ||
			len(bytes.TrimSpace(stripComment(t[in+rest:]))) > 0 {
			continue
		}
		group := 2 // secret_data
		if string(k) == "stringData" {
			group = 3 // secret_string
		}
		entryIndent := -1
		for i+1 < len(doc) {
			l := doc[i+1]
			t := l.text(data)
			in := indentOf(t)
			if in == len(t) || t[in] == '#' {
				i++
				continue // blank or comment
			}
			if in <= kindIndent || (entryIndent >= 0 && in < entryIndent) {
				break
			}
			i++
			if entryIndent < 0 {
				entryIndent = in
			}
			if in != entryIndent {
				continue
			}
			k, rest, ok := yamlKey(t[in:])
			if !ok {
				continue
			}
			vs, ve, next := yamlValue(data, doc, i, in, in+rest)
			i = next
			if vs < 0 {
				continue
			}
			loc := []int{l.start + in - lo, ve - lo, l.start + in - lo, l.start + in + len(k) - lo, -1, -1, -1, -1}
			if t[in] == '"' || t[in] == '\'' {
				loc[2]++
				loc[3]++
			}
			loc[2*group], loc[2*group+1] = vs-lo, ve-lo
			out = append(out, loc)
		}
	}
	return out
}

// stripComment drops a " #…" comment from the end of a plain value.
func stripComment(t []byte) []byte {
	for i := 0; i < len(t); i++ {
		if t[i] == '#' && (i == 0 || t[i-1] == ' ' || t[i-1] == '\t') {
			return t[:i]
		}
	}
	return t
}

// yamlValue locates the value of the entry on doc[i], which starts at
// byte at of the line: the span (absolute offsets; vs < 0 for none) and
// the index of the entry's last line (a block scalar spans the lines below
// it that are indented more than the entry, at indent).
func yamlValue(data []byte, doc []line, i, indent, at int) (vs, ve, last int) {
	l := doc[i]
	t := l.text(data)
	v := bytes.TrimSpace(t[at:])
	off := l.start + at + bytes.Index(t[at:], v)
	switch {
	case len(v) == 0:
		return -1, -1, i
	case v[0] == '|' || v[0] == '>':
		first, end := -1, -1
		j := i + 1
		for ; j < len(doc); j++ {
			t := doc[j].text(data)
			in := indentOf(t)
			if in == len(t) {
				continue
			}
			if in <= indent {
				break
			}
			if first < 0 {
				first = doc[j].start + in
			}
			end = doc[j].start + len(bytes.TrimRight(t, " \t"))
		}
		for j > i+1 && indentOf(doc[j-1].text(data)) == len(doc[j-1].text(data)) {
			j-- // trailing blank lines belong to what follows
		}
		if first < 0 {
			return -1, -1, j - 1
		}
		return first, end, j - 1
	case v[0] == '"' || v[0] == '\'':
		q := bytes.IndexByte(v[1:], v[0])
		if q <= 0 {
			return -1, -1, i
		}
		return off + 1, off + 1 + q, i
	}
	v = bytes.TrimRight(stripComment(v), " \t")
	if len(v) == 0 {
		return -1, -1, i
	}
	return off, off + len(v), i
}

// kubernetesSecretCheck judges a Secret's value: data values are base64,
// decoded first. Text of several lines, JSON and PEM blocks are files
// that other rules search (the base64 decoder hands them over); values
// under names that are not secret (username, host, ca.crt) are left out;
// placeholders and weak values are claimed, so that the generic rules do
// not report their encoding either.
func kubernetesSecretCheck(c *candidate) bool {
	if kubernetesPlainKey(c.key) {
		return false
	}
	v := c.secret
	if c.group == "secret_data" {
		b := decodeLenient(v)
		if len(b) == 0 {
			return false // not base64: a template, a reference
		}
		if !textual(b) {
			// Binary key material: judge the encoding.
			if len(v) >= 16 && Entropy(v) >= 3.5 {
				return true
			}
			c.claim = true
			return false
		}
		v = strings.TrimRight(string(b), "\r\n")
	} else {
		v = strings.TrimSpace(v)
	}
	if strings.ContainsAny(v, "\n") || strings.HasPrefix(v, "{") || strings.HasPrefix(v, "[") || strings.HasPrefix(v, "-----BEGIN") {
		return false // a file: other rules look inside
	}
	if len(v) < 8 || IsPlaceholder(v) || sequentialValue(strings.ToLower(v)) || strings.ContainsAny(v, " \t") || charClasses(v) < 2 ||
		Entropy(v) < minGenericEntropy(len(v)) || !genericValue(v) && !isUUID(v) {
		c.claim = true
		return false
	}
	return true
}

// textual reports bytes that are text: no control characters but line
// breaks and tabs, and valid UTF-8.
func textual(b []byte) bool {
	for _, c := range b {
		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return utf8.Valid(b)
}

// kubernetesPlainKey reports Secret keys whose values are not secret:
// names, addresses and certificates.
func kubernetesPlainKey(key string) bool {
	words := keyWords(key)
	if len(words) == 0 {
		return false
	}
	switch words[len(words)-1] {
	case "user", "username", "login", "email", "host", "hostname", "server", "port", "database", "db", "dbname", "name",
		"namespace", "url", "uri", "endpoint", "region", "bucket", "crt", "cert", "certificate", "pub", "id", "path", "file":
		return true
	}
	return false
}
