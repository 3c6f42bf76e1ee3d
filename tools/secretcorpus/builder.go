package secretcorpus

import (
	"fmt"
	"strings"
)

// file is one file of the tree being built, line by line.
type file struct {
	path   string // slash path relative to the tree root
	lines  []string
	plants []plant
	// noFinalNewline leaves the last line unterminated (minified bundles).
	noFinalNewline bool
}

// plant is a label plus the text that must appear on its first line; the
// tests use the needle to check that every label points at its value.
type plant struct {
	Label
	needle string
}

// add appends lines; a string holding newlines adds several lines.
func (f *file) add(lines ...string) {
	for _, l := range lines {
		f.lines = append(f.lines, strings.Split(l, "\n")...)
	}
}

// addf appends one formatted line.
func (f *file) addf(format string, a ...any) { f.add(fmt.Sprintf(format, a...)) }

// next is the 1-based number of the line the next add will write.
func (f *file) next() int { return len(f.lines) + 1 }

// last is the 1-based number of the last line written.
func (f *file) last() int { return len(f.lines) }

// label records a planted secret on lines [start, end].
func (f *file) label(start, end int, format, carrier, note, needle string) {
	f.plants = append(f.plants, plant{
		Label:  Label{File: f.path, Line: start, EndLine: end, Format: format, Carrier: carrier, Note: note},
		needle: needle,
	})
}

// secret appends line, which holds needle, and labels it.
func (f *file) secret(line, needle, format, carrier, note string) {
	f.add(line)
	f.label(f.last(), f.last(), format, carrier, note, needle)
}

// bytes returns the file's content.
func (f *file) bytes() []byte {
	s := strings.Join(f.lines, "\n")
	if !f.noFinalNewline {
		s += "\n"
	}
	return []byte(s)
}

// field is one name = value pair a carrier writes. A field with a format is
// (part of) a planted secret; a field without one is a hard negative or
// plain configuration.
type field struct {
	key    string // UPPER_SNAKE name; carriers restyle it
	value  string
	format string // "" when the value is not a secret
	// expr writes the value as a code expression (os.Getenv("X")), not a
	// quoted string. Only code carriers receive such fields.
	expr bool
	// needle is the text of value as written, when it differs (escaped).
	needle string
}

// credential is what one planted secret is made of: usually one field, or
// an identifier and its secret (AWS key pair, Twilio SID and token).
type credential struct {
	fields []field
	// span, when set, makes one label with this format cover the lines of
	// all fields, for pairs whose identifier is no secret on its own.
	span string
	note string
}

// one is a credential of a single field.
func one(format, key, value string) credential {
	return credential{fields: []field{{key: key, value: value, format: format}}}
}

// plain is a non-secret field.
func plain(key, value string) field { return field{key: key, value: value} }

// writeCredential writes the fields of c with render, which appends the
// lines of one field to f and returns the 1-based line where the value is,
// and labels what c plants: each field that has a format, or, for a span,
// the lines from the first value to the last.
func (f *file) writeCredential(c credential, carrier string, render func(f *file, fl field) int) {
	first, last := 0, 0
	for _, fl := range c.fields {
		ln := render(f, fl)
		if first == 0 {
			first = ln
		}
		last = ln
		if c.span == "" && fl.format != "" {
			f.label(ln, ln, fl.format, carrier, c.note, fl.needleText())
		}
	}
	if c.span != "" {
		f.label(first, last, c.span, carrier, c.note, c.fields[0].needleText())
	}
}

func (fl field) needleText() string {
	if fl.needle != "" {
		return fl.needle
	}
	return fl.value
}
