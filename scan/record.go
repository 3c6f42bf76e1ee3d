package scan

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/shipshape-dev/shipshape/internal/osv"
)

// The store keeps each advisory in a compact binary form: decoding JSON
// was most of the cost of matching. Strings and lists are length-prefixed
// with unsigned varints, in a fixed field order; recordVersion leads.
const recordVersion = 2

// errRecord marks a stored record that does not decode.
var errRecord = errors.New("corrupt stored advisory")

type recWriter struct{ b []byte }

func (w *recWriter) uint(n int)     { w.b = binary.AppendUvarint(w.b, uint64(n)) }
func (w *recWriter) str(s string)   { w.uint(len(s)); w.b = append(w.b, s...) }
func (w *recWriter) bytes(b []byte) { w.uint(len(b)); w.b = append(w.b, b...) }
func (w *recWriter) strs(ss []string) {
	w.uint(len(ss))
	for _, s := range ss {
		w.str(s)
	}
}

func (w *recWriter) severities(ss []osv.Severity) {
	w.uint(len(ss))
	for _, s := range ss {
		w.str(s.Type)
		w.str(s.Score)
	}
}

// encodeRecord writes the fields Match reads.
func encodeRecord(v *osv.Vulnerability) []byte {
	w := &recWriter{b: make([]byte, 0, 512)}
	w.uint(recordVersion)
	w.str(v.ID)
	w.str(v.Modified)
	w.str(v.Published)
	w.strs(v.Aliases)
	w.strs(v.Upstream)
	w.str(v.Summary)
	w.str(v.Details)
	w.severities(v.Severity)
	w.bytes(v.DatabaseSpecific)
	w.uint(len(v.References))
	for _, r := range v.References {
		w.str(r.Type)
		w.str(r.URL)
	}
	w.uint(len(v.Affected))
	for _, a := range v.Affected {
		w.str(a.Package.Ecosystem)
		w.str(a.Package.Name)
		w.str(a.Package.Purl)
		w.severities(a.Severity)
		w.uint(len(a.Ranges))
		for _, r := range a.Ranges {
			w.str(r.Type)
			w.str(r.Repo)
			w.uint(len(r.Events))
			for _, e := range r.Events {
				switch {
				case e.Introduced != "":
					w.uint(evIntroduced)
					w.str(e.Introduced)
				case e.Fixed != "":
					w.uint(evFixed)
					w.str(e.Fixed)
				case e.LastAffected != "":
					w.uint(evLastAffected)
					w.str(e.LastAffected)
				default:
					w.uint(evLimit)
					w.str(e.Limit)
				}
			}
		}
		w.strs(a.Versions)
		w.bytes(a.EcosystemSpecific)
		w.bytes(a.DatabaseSpecific)
	}
	return w.b
}

type recReader struct {
	b   []byte
	err error
}

func (r *recReader) uint() int {
	if r.err != nil {
		return 0
	}
	n, k := binary.Uvarint(r.b)
	if k <= 0 || n > uint64(len(r.b)) {
		r.err = errRecord
		return 0
	}
	r.b = r.b[k:]
	return int(n)
}

func (r *recReader) raw() []byte {
	n := r.uint()
	if r.err != nil || n > len(r.b) {
		r.err = errRecord
		return nil
	}
	b := r.b[:n:n]
	r.b = r.b[n:]
	return b
}

func (r *recReader) str() string { return string(r.raw()) }

func (r *recReader) bytes() []byte {
	b := r.raw()
	if len(b) == 0 {
		return nil
	}
	return append([]byte(nil), b...)
}

// count reads a list length, which cannot exceed the bytes left.
func (r *recReader) count() int {
	n := r.uint()
	if n > len(r.b) {
		r.err = errRecord
		return 0
	}
	return n
}

func (r *recReader) strs() []string {
	n := r.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.str()
	}
	return out
}

func (r *recReader) severities() []osv.Severity {
	n := r.count()
	if n == 0 {
		return nil
	}
	out := make([]osv.Severity, n)
	for i := range out {
		out[i] = osv.Severity{Type: r.str(), Score: r.str()}
	}
	return out
}

// decodeRecord reads what encodeRecord wrote.
func decodeRecord(b []byte) (*osv.Vulnerability, error) {
	r := &recReader{b: b}
	if v := r.uint(); v != recordVersion {
		return nil, fmt.Errorf("%w: record version %d", errRecord, v)
	}
	v := &osv.Vulnerability{ID: r.str(), Modified: r.str(), Published: r.str(), Aliases: r.strs(), Upstream: r.strs(),
		Summary: r.str(), Details: r.str(), Severity: r.severities(), DatabaseSpecific: r.bytes()}
	if n := r.count(); n > 0 {
		v.References = make([]osv.Reference, n)
		for i := range v.References {
			v.References[i] = osv.Reference{Type: r.str(), URL: r.str()}
		}
	}
	n := r.count()
	v.Affected = make([]osv.Affected, n)
	for i := range v.Affected {
		a := &v.Affected[i]
		a.Package = osv.Package{Ecosystem: r.str(), Name: r.str(), Purl: r.str()}
		a.Severity = r.severities()
		if nr := r.count(); nr > 0 {
			a.Ranges = make([]osv.Range, nr)
			for j := range a.Ranges {
				rg := &a.Ranges[j]
				rg.Type, rg.Repo = r.str(), r.str()
				ne := r.count()
				rg.Events = make([]osv.Event, ne)
				for k := range rg.Events {
					kind, s := r.uint(), r.str()
					switch kind {
					case evIntroduced:
						rg.Events[k].Introduced = s
					case evFixed:
						rg.Events[k].Fixed = s
					case evLastAffected:
						rg.Events[k].LastAffected = s
					case evLimit:
						rg.Events[k].Limit = s
					default:
						r.err = errRecord
					}
				}
			}
		}
		a.Versions = r.strs()
		a.EcosystemSpecific = r.bytes()
		a.DatabaseSpecific = r.bytes()
	}
	if r.err != nil {
		return nil, fmt.Errorf("%w: %s", errRecord, v.ID)
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%w: %s: %d trailing bytes", errRecord, v.ID, len(r.b))
	}
	return v, nil
}
