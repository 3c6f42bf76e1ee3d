package sbom

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/shipshape-dev/shipshape/result"
)

// Format is an output format of Encode.
type Format string

// The formats Encode writes.
const (
	FormatCycloneDXJSON Format = "cyclonedx-json"
	FormatCycloneDXXML  Format = "cyclonedx-xml"
	FormatJSON          Format = "json"
	FormatTable         Format = "table"
)

// ParseFormat checks a format name.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case FormatCycloneDXJSON, FormatCycloneDXXML, FormatJSON, FormatTable:
		return f, nil
	}
	return "", fmt.Errorf("%w: %q (want cyclonedx-json, cyclonedx-xml, json or table)", result.ErrUnknownFormat, s)
}

// EncodeOption configures Encode and ToCycloneDX.
type EncodeOption func(*encodeOptions) error

type encodeOptions struct {
	now    time.Time
	serial string
}

// WithTimestamp sets the CycloneDX metadata timestamp (default: now).
func WithTimestamp(t time.Time) EncodeOption {
	return func(o *encodeOptions) error {
		o.now = t
		return nil
	}
}

// WithSerialNumber sets the CycloneDX serial number, a "urn:uuid:…" URN
// (default: a random version 4 UUID).
func WithSerialNumber(urn string) EncodeOption {
	return func(o *encodeOptions) error {
		if !strings.HasPrefix(urn, "urn:uuid:") || len(urn) != len("urn:uuid:")+36 {
			return fmt.Errorf("%w: serial number %q is not urn:uuid:<uuid>", result.ErrInvalidOption, urn)
		}
		o.serial = urn
		return nil
	}
}

// Encode writes s in the format f.
func Encode(w io.Writer, s *SBOM, f Format, opts ...EncodeOption) error {
	switch f {
	case FormatCycloneDXJSON, FormatCycloneDXXML:
		bom, err := ToCycloneDX(s, opts...)
		if err != nil {
			return err
		}
		return EncodeCycloneDX(w, bom, f)
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	case FormatTable:
		return encodeTable(w, s)
	}
	return fmt.Errorf("%w: %q", result.ErrUnknownFormat, f)
}

// EncodeCycloneDX writes a CycloneDX document as version 1.6 JSON or XML.
// Other packages use it to write documents they extended (scan adds a
// vulnerabilities section).
func EncodeCycloneDX(w io.Writer, bom *cdx.BOM, f Format) error {
	format := cdx.BOMFileFormatJSON
	switch f {
	case FormatCycloneDXJSON:
	case FormatCycloneDXXML:
		format = cdx.BOMFileFormatXML
	default:
		return fmt.Errorf("%w: %q is not a CycloneDX format", result.ErrUnknownFormat, f)
	}
	return cdx.NewBOMEncoder(w, format).SetPretty(true).EncodeVersion(bom, cdx.SpecVersion1_6)
}

func encodeTable(w io.Writer, s *SBOM) error {
	bw := bufio.NewWriter(w)
	tw := tabwriter.NewWriter(&trimWriter{w: bw}, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVERSION\tTYPE\tSOURCE\tLAYER")
	for _, p := range s.Packages {
		src := ""
		if p.SourceName != "" && (p.SourceName != p.Name || p.SourceVersion != p.Version) {
			src = p.SourceName
			if p.SourceVersion != p.Version {
				src += " " + p.SourceVersion
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", clean(p.Name), clean(p.Version), p.Type, clean(src), result.ShortDigest(p.Layer))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if s.Distro != nil {
		fmt.Fprintf(bw, "\ndistro: %s %s\n", clean(s.Distro.ID), clean(s.Distro.VersionID))
	}
	fmt.Fprintf(bw, "%d packages", len(s.Packages))
	if n := len(s.Errors); n > 0 {
		fmt.Fprintf(bw, ", %d errors:\n", n)
		for _, e := range s.Errors {
			fmt.Fprintf(bw, "  %s\n", clean(e.Error()))
		}
	} else {
		fmt.Fprintln(bw)
	}
	return bw.Flush()
}

// trimWriter drops the spaces tabwriter leaves at the end of lines whose
// last cell is empty.
type trimWriter struct {
	w       io.Writer
	pending []byte
}

func (t *trimWriter) Write(p []byte) (int, error) {
	for _, c := range p {
		switch c {
		case ' ':
			t.pending = append(t.pending, c)
			continue
		case '\n':
			t.pending = t.pending[:0]
		}
		if len(t.pending) > 0 {
			if _, err := t.w.Write(t.pending); err != nil {
				return 0, err
			}
			t.pending = t.pending[:0]
		}
		if _, err := t.w.Write([]byte{c}); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// clean keeps untrusted text from an image from driving a terminal:
// control characters become spaces.
func clean(s string) string {
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	var b bytes.Buffer
	for _, r := range s {
		if isControl(r) {
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }
