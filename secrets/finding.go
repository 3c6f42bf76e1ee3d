package secrets

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/shipshape-dev/shipshape/result"
)

// ReportSchemaVersion is the version of Report's JSON form.
const ReportSchemaVersion = "1"

// Finding is one secret found.
type Finding struct {
	// RuleID and Description name the rule that found it.
	RuleID      string          `json:"rule_id"`
	Description string          `json:"description"`
	Severity    result.Severity `json:"severity"`
	// File is the slash-separated path relative to the scanned root (for
	// an image, to its filesystem root; "image config/…" for the config).
	File string `json:"file"`
	// Line and Column (1-based, columns in bytes) locate the start of the
	// match; EndLine its last line. A rule that flags a file by its path
	// alone reports line 0.
	Line    int `json:"line"`
	Column  int `json:"column"`
	EndLine int `json:"end_line"`
	// Layer is the diffID of the image layer holding the file; empty for
	// directories and the image config.
	Layer string `json:"layer,omitempty"`
	// Visible is false when a later layer deletes or replaces the file:
	// the secret is still in the image for anyone who pulls it.
	Visible bool `json:"visible"`
	// Fingerprint identifies the finding across scans (rule, file, secret;
	// not the line, so that moving code does not change it). Baselines
	// list fingerprints.
	Fingerprint string `json:"fingerprint"`
	// Entropy is the Shannon entropy of the secret in bits per byte.
	Entropy float64 `json:"entropy"`
	// Secret is redacted (see Redact) unless the scanner was built with
	// WithRevealSecretsUnsafe.
	Secret string `json:"secret"`
	// Decoded says the secret was found inside an encoded blob (base64).
	Decoded string `json:"decoded,omitempty"`
	// Confidence says how sure the finding is: validated (a checksum or
	// the secret's structure proved it), structural (the credential's
	// format), heuristic (a generic assignment judged by name and value).
	Confidence Confidence `json:"confidence"`
	// Class says whose the file is when it is not the image's own:
	// result.ClassVendor (an OS package installed it, unchanged since) or
	// result.ClassThirdParty (inside a language package); empty for the
	// image's own files. Default gates count only those. Set when the
	// report was made WithOwners (the root package's Inspect does).
	Class result.Class `json:"class,omitempty"`
	// Owner is the purl of the package that installed the file, also for
	// a package's file modified after installation (no class then).
	Owner string `json:"owner,omitempty"`
}

// Report is the result of scanning a directory or an image.
type Report struct {
	SchemaVersion string `json:"schema_version"`
	// Source names what was scanned.
	Source Source `json:"source"`
	// Findings sorted by file, line, column and rule.
	Findings []Finding `json:"findings"`
	// Baselined counts findings dropped because the baseline lists them.
	Baselined int `json:"baselined,omitempty"`
	// Stats say how much was read.
	Stats Stats `json:"stats"`
	// Errors are per-file and per-layer problems; the rest was scanned.
	Errors []result.FileError `json:"errors,omitempty"`
}

// Source describes a scanned target.
type Source struct {
	// Type is "directory" or "image".
	Type string `json:"type"`
	Name string `json:"name,omitempty"`
	// ImageID is the config digest of an image.
	ImageID string `json:"image_id,omitempty"`
}

// Stats count what a scan read.
type Stats struct {
	Files int   `json:"files"`
	Bytes int64 `json:"bytes"`
	// Skipped counts files not scanned: binary, ignored or too large.
	Skipped int `json:"skipped,omitempty"`
}

// Source types.
const (
	SourceDirectory = "directory"
	SourceImage     = "image"
)

// Redact keeps the first characters of a secret and masks the rest: four
// for secrets of twelve characters or more, fewer for shorter ones, so
// that a short password is never mostly shown. The mask is as long as
// what it hides, up to 32 characters.
func Redact(secret string) string {
	n := utf8.RuneCountInString(secret)
	keep := min(4, n/3)
	var b strings.Builder
	i := 0
	for _, r := range secret {
		if i >= keep {
			break
		}
		b.WriteRune(r)
		i++
	}
	b.WriteString(strings.Repeat("*", min(n-keep, 32)))
	return b.String()
}

// Fingerprint is the stable identity of a finding of rule ruleID for
// secret in file: hex of the first 16 bytes of a SHA-256.
func Fingerprint(ruleID, file, secret string) string {
	h := sha256.New()
	h.Write([]byte(ruleID))
	h.Write([]byte{0})
	h.Write([]byte(file))
	h.Write([]byte{0})
	h.Write([]byte(secret))
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Entropy returns the Shannon entropy of s in bits per byte.
func Entropy(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	n := float64(len(s))
	var h float64
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}
