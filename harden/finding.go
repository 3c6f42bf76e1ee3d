package harden

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/shipshape-dev/shipshape/result"
)

// Finding is one misconfiguration of an image: something in its
// configuration, build history or final filesystem that makes it easier
// to attack, whatever its packages' vulnerabilities.
type Finding struct {
	// ID is the check's stable identifier, such as "root-user".
	ID string `json:"id"`
	// Title says in a line what is wrong.
	Title string `json:"title"`
	// Severity is the check's severity.
	Severity result.Severity `json:"severity"`
	// Evidence points at what the check saw.
	Evidence Evidence `json:"evidence"`
	// Rationale says why it matters.
	Rationale string `json:"rationale,omitempty"`
	// Remediation says how to fix it.
	Remediation string `json:"remediation"`
	// Reference names the benchmark item or document behind the check,
	// such as "CIS Docker Benchmark 4.1".
	Reference string `json:"reference,omitempty"`
}

// Evidence is what a hardening check saw. Only the fields that apply are
// set; secret values never appear in it in clear.
type Evidence struct {
	// Path and Layer locate a file of the image.
	Path  string `json:"path,omitempty"`
	Layer string `json:"layer,omitempty"`
	// History is an index into the image config's history, and Command
	// its created_by text (with secrets redacted).
	History *int   `json:"history,omitempty"`
	Command string `json:"command,omitempty"`
	// EnvKey and Label name a config environment variable or label.
	EnvKey string `json:"env_key,omitempty"`
	Label  string `json:"label,omitempty"`
	// Port is an exposed port such as "22/tcp".
	Port string `json:"port,omitempty"`
	// User is the configured user.
	User string `json:"user,omitempty"`
	// Bytes counts what the finding costs, for caches left behind.
	Bytes int64 `json:"bytes,omitempty"`
	// Detail adds what the other fields do not hold.
	Detail string `json:"detail,omitempty"`
}

// Fingerprint identifies the finding across scans of rebuilt images: the
// check and its evidence, without the layer (a rebuild changes layer
// digests, not the misconfiguration).
func (f *Finding) Fingerprint() string {
	e := f.Evidence
	e.Layer = ""
	if f.ID == "image-age" || f.ID == "package-cache" {
		e.Detail = "" // counts and ages that change with every rebuild
	}
	sum := sha256.Sum256([]byte(f.ID + "\x00" + e.key()))
	return hex.EncodeToString(sum[:16])
}
