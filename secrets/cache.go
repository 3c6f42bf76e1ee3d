package secrets

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/shipshape-dev/shipshape/layer"
)

// cacheVersion names the scanning code in layer-cache keys. Bump it with
// any change to what a scan of a file finds, so that records made by older
// code are not read.
const cacheVersion = 3

// cacheKey names what decides the scanner's findings in a file: the
// rules, the allowlists and the options. It is "" when the findings must
// not be cached: with WithRevealSecretsUnsafe (the cache holds no secret
// in clear), or with a rule whose Validate function is the caller's own,
// which no key can name (builtin are the built-in rules, whose Validate
// functions are known).
func cacheKey(s *Scanner, allowlists []Allowlist, builtin []Rule) string {
	if s.reveal {
		return ""
	}
	validators := map[string]uintptr{}
	for _, r := range builtin {
		if r.Validate != nil {
			validators[r.ID] = reflect.ValueOf(r.Validate).Pointer()
		}
	}
	type ruleKey struct {
		Rule
		Hooks    bool
		Validate bool
	}
	rules := make([]ruleKey, len(s.rules))
	for i, c := range s.rules {
		r := c.Rule
		if r.Validate != nil {
			if p, ok := validators[r.ID]; !ok || p != reflect.ValueOf(r.Validate).Pointer() {
				return ""
			}
		}
		rules[i] = ruleKey{Hooks: r.hooksFor == r.Regex, Validate: r.Validate != nil}
		r.Validate = nil
		rules[i].Rule = r
	}
	b, err := json.Marshal(struct {
		Version    int
		Rules      []ruleKey
		Allowlists []Allowlist
		MaxFile    int64
		Binary     bool
		SysDocs    bool
		Decode     int
	}{cacheVersion, rules, allowlists, s.maxFile, s.binary, s.sysDocs, s.decode})
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return "secrets/" + hex.EncodeToString(sum[:])
}

// CacheKey names the scanner's configuration (see layer.Cacheable).
func (v *visitor) CacheKey() string { return v.s.cacheKey }

// Sentinels are the walker's errors: a scan fails only as its reader does.
func (v *visitor) Sentinels() []error { return layer.Sentinels() }

// storedVisit is a visit as the layer cache keeps it: findings with the
// secret redacted and the fingerprint made from the clear one.
type storedVisit struct {
	Findings []Finding
	Bytes    int64
	Binary   bool
	Sums     *fileSums
}

// EncodeValues keeps visits' findings for the files hs, without the
// secrets in clear.
func (v *visitor) EncodeValues(hs []*layer.Header, vals []*visitValue) ([]byte, error) {
	stored := make([]storedVisit, len(vals))
	for i, vv := range vals {
		if vv == nil {
			return nil, fmt.Errorf("no cache encoding for a nil visit of %s", hs[i].Path)
		}
		s := storedVisit{Bytes: vv.bytes, Binary: vv.binary, Sums: vv.sums}
		for _, m := range vv.matches {
			fd := m.finding
			if !m.cached {
				fd.Fingerprint = Fingerprint(fd.RuleID, hs[i].Path, m.secret)
				fd.Secret = Redact(m.secret)
			}
			s.Findings = append(s.Findings, fd)
		}
		stored[i] = s
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(stored); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// DecodeValues reverses EncodeValues.
func (v *visitor) DecodeValues(_ []*layer.Header, b []byte) ([]*visitValue, error) {
	var stored []storedVisit
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&stored); err != nil {
		return nil, err
	}
	out := make([]*visitValue, len(stored))
	for i, s := range stored {
		val := &visitValue{bytes: s.Bytes, binary: s.Binary, sums: s.Sums}
		for _, fd := range s.Findings {
			val.matches = append(val.matches, visitMatch{finding: fd, cached: true})
		}
		out[i] = val
	}
	return out, nil
}
