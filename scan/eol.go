package scan

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shipshape-dev/shipshape/sbom"
)

// eolData is the table shipshape ships: endoflife.date's release data of
// the distributions below (MIT licence; see eoldata/README.md).
//
//go:embed eoldata/eol.json
var eolData []byte

// EOLSchemaVersion is the version of the end-of-life table's file form
// (the embedded table, and the file FetchEOL writes).
const EOLSchemaVersion = "1"

// maxEOLFile bounds an end-of-life table file; the real one is 14 KB.
const maxEOLFile = 4 << 20

// EOLTable is a dated table of distribution releases' end of support:
// the one shipshape embeds (DefaultEOLTable) or one FetchEOL downloaded
// (LoadEOLTable). It is immutable and safe for concurrent use.
type EOLTable struct {
	source   string
	asOf     time.Time
	products map[string][]eolRelease
}

// eolRelease is one release cycle of a product, as endoflife.date has it.
type eolRelease struct {
	Cycle    string  `json:"cycle"`
	Codename string  `json:"codename,omitempty"`
	EOL      eolDate `json:"eol,omitzero"`
	// EOES is the end of extended support: Debian LTS (free, in the same
	// archive), Ubuntu Pro ESM, RHEL ELS, SLES LTSS (paid).
	EOES eolDate `json:"eoes,omitzero"`
}

// eolDate is endoflife.date's date-or-boolean: a date, true (ended, date
// unknown), or false/absent (not announced).
type eolDate struct {
	date  time.Time
	ended bool
}

func (d eolDate) IsZero() bool { return d.date.IsZero() && !d.ended }

func (d eolDate) MarshalJSON() ([]byte, error) {
	if !d.date.IsZero() {
		return json.Marshal(d.date.Format(time.DateOnly))
	}
	return json.Marshal(d.ended)
}

func (d *eolDate) UnmarshalJSON(b []byte) error {
	switch s := string(b); s {
	case "true", "false":
		d.ended = s == "true"
		return nil
	case "null":
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a date or a boolean, got %.40s", b)
	}
	t, err := parseDay(s)
	if err != nil {
		return err
	}
	d.date, d.ended = t, false
	return nil
}

// parseDay reads a YYYY-MM-DD date, refusing years no distribution
// release has (a typo, a truncated or hostile file).
func parseDay(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %.40q is not YYYY-MM-DD", s)
	}
	if t.Year() < 1990 || t.Year() > 2100 {
		return time.Time{}, fmt.Errorf("date %s is out of range", s)
	}
	return t, nil
}

// eolFile is the file form of a table.
type eolFile struct {
	SchemaVersion string                  `json:"schema_version"`
	Source        string                  `json:"source"`
	AsOf          string                  `json:"as_of"`
	Products      map[string][]eolRelease `json:"products"`
}

// DefaultEOLTable returns the table embedded in shipshape: endoflife.date's
// data as of the date AsOf says. It grows stale as releases reach their
// end; FetchEOL brings a newer one. The table is read-only and parsed
// once, on first use, however many times Match asks for it.
func DefaultEOLTable() *EOLTable { return defaultEOLTable() }

// defaultEOLTable parses the embedded file once: like a compiled regexp,
// it is a value derived from constant data, not state.
var defaultEOLTable = sync.OnceValue(func() *EOLTable {
	t, err := ReadEOLTable(bytes.NewReader(eolData))
	if err != nil {
		// The embedded file is checked by the tests.
		panic("scan: embedded end-of-life table: " + err.Error())
	}
	return t
})

// ReadEOLTable reads a table in the file form FetchEOL writes (JSON, at
// most 4 MiB). Errors wrap ErrEOLData and name the product and release.
func ReadEOLTable(r io.Reader) (*EOLTable, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxEOLFile+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrEOLData, err)
	}
	if len(b) > maxEOLFile {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrEOLData, maxEOLFile)
	}
	var f eolFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrEOLData, err)
	}
	if f.SchemaVersion != EOLSchemaVersion {
		return nil, fmt.Errorf("%w: schema_version %q, want %q", ErrEOLData, f.SchemaVersion, EOLSchemaVersion)
	}
	asOf, err := parseDay(f.AsOf)
	if err != nil {
		return nil, fmt.Errorf("%w: as_of: %w", ErrEOLData, err)
	}
	if len(f.Products) == 0 {
		return nil, fmt.Errorf("%w: no products", ErrEOLData)
	}
	for name, rels := range f.Products {
		if err := checkReleases(name, rels); err != nil {
			return nil, err
		}
	}
	return &EOLTable{source: f.Source, asOf: asOf, products: f.Products}, nil
}

func checkReleases(product string, rels []eolRelease) error {
	if len(rels) == 0 {
		return fmt.Errorf("%w: %s: no releases", ErrEOLData, product)
	}
	seen := map[string]bool{}
	for _, r := range rels {
		if r.Cycle == "" || len(r.Cycle) > 64 {
			return fmt.Errorf("%w: %s: release without a valid cycle name", ErrEOLData, product)
		}
		if seen[r.Cycle] {
			return fmt.Errorf("%w: %s: release %s listed twice", ErrEOLData, product, r.Cycle)
		}
		seen[r.Cycle] = true
	}
	return nil
}

// LoadEOLTable reads a table file (the one FetchEOL keeps in its cache
// directory, EOLPath).
func LoadEOLTable(path string) (*EOLTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrEOLData, err)
	}
	defer f.Close()
	t, err := ReadEOLTable(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// EOLPath is where FetchEOL keeps the table in a cache directory.
func EOLPath(cacheDir string) string { return filepath.Join(cacheDir, "eol.json") }

// CachedEOLTable returns the table FetchEOL left in cacheDir when there is
// one no older than the embedded table, else the embedded table: a fetched
// table wins, unless shipshape itself was updated since with newer data.
// A cached file that cannot be read is an error wrapping ErrEOLData (the
// caller may fall back to DefaultEOLTable).
func CachedEOLTable(cacheDir string) (*EOLTable, error) {
	def := DefaultEOLTable()
	t, err := LoadEOLTable(EOLPath(cacheDir))
	switch {
	case errors.Is(err, os.ErrNotExist):
		return def, nil
	case err != nil:
		return nil, err
	case t.asOf.Before(def.asOf):
		return def, nil
	}
	return t, nil
}

// AsOf is the date the table's data was taken.
func (t *EOLTable) AsOf() time.Time { return t.asOf }

// Source names where the table's data comes from.
func (t *EOLTable) Source() string { return t.source }

// Products lists the endoflife.date products the table has, sorted.
func (t *EOLTable) Products() []string {
	out := make([]string, 0, len(t.products))
	for p := range t.products {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// eolProducts maps os-release IDs to endoflife.date products.
var eolProducts = map[string]string{
	"alpine":        "alpine-linux",
	"almalinux":     "almalinux",
	"amzn":          "amazon-linux",
	"centos":        "centos",
	"debian":        "debian",
	"fedora":        "fedora",
	"opensuse-leap": "opensuse",
	"ol":            "oracle-linux",
	"rhel":          "rhel",
	"rocky":         "rocky-linux",
	"sles":          "sles",
	"sles_sap":      "sles",
	"ubuntu":        "ubuntu",
	"photon":        "vmware-photon",
}

// rollingDistros have no releases that end: every image updates to the
// current packages.
var rollingDistros = map[string]bool{
	"wolfi": true, "chainguard": true, "opensuse-tumbleweed": true, "arch": true, "gentoo": true,
}

// SupportStatus says whether a distribution release is still supported.
type SupportStatus string

// Support statuses.
const (
	// SupportActive: the release has an end-of-support date still to
	// come, or none announced.
	SupportActive SupportStatus = "supported"
	// SupportEnded: the release is past its end of support; its packages
	// get no more security fixes.
	SupportEnded SupportStatus = "eol"
	// SupportRolling: a rolling distribution (Wolfi, Chainguard, openSUSE
	// Tumbleweed), whose releases never end.
	SupportRolling SupportStatus = "rolling"
	// SupportUnknown: no data on this distribution or release.
	SupportUnknown SupportStatus = "unknown"
)

// Support is the support status of an image's distribution release.
type Support struct {
	// Status is judged at the time Match ran (its WithNow clock).
	Status SupportStatus `json:"status"`
	// Product and Release name the release in the table (endoflife.date's
	// product and release cycle: "debian" "12", "alpine-linux" "3.19").
	Product string `json:"product,omitempty"`
	Release string `json:"release,omitempty"`
	// EOL is the last day of support (support ends when it is over); zero
	// when none is announced. For Debian it is the end of Debian LTS,
	// which is free and ships in the same security archive; for the
	// others, the end of the support every user gets (Ubuntu's standard
	// support, RHEL's maintenance support, SLES's general support).
	EOL time.Time `json:"eol,omitzero"`
	// ExtendedEOL is the end of a paid extension (Ubuntu Pro ESM, RHEL
	// ELS, SLES LTSS) when the table knows one; an image relying on it
	// is past EOL all the same.
	ExtendedEOL time.Time `json:"extended_eol,omitzero"`
	// Source says where EOL comes from: "os-release SUPPORT_END" or
	// "endoflife.date as of 2026-08-22".
	Source string `json:"source,omitempty"`
	// Reason says why Status is unknown.
	Reason string `json:"reason,omitempty"`
}

// Ended reports whether the release is past its end of support at now:
// after the whole EOL day (UTC), as endoflife.date counts it.
func (s *Support) Ended(now time.Time) bool {
	return !s.EOL.IsZero() && !now.Before(s.EOL.AddDate(0, 0, 1))
}

// SourceOSRelease is Support.Source when the date is os-release's
// SUPPORT_END.
const SourceOSRelease = "os-release SUPPORT_END"

// Support returns the support status of the distribution release d at
// now. os-release's SUPPORT_END, when d has one in the right form, is
// preferred to the table: the vendor wrote it into the image. The
// release is found by VERSION_ID, then its major.minor ("3.19.1" is
// Alpine 3.19), its major ("9.4" is RHEL 9: minor releases share the
// major's end, EUS streams aside), then its codename (Debian testing
// has no VERSION_ID). A nil d is SupportUnknown.
func (t *EOLTable) Support(d *sbom.Distro, now time.Time) Support {
	if d == nil {
		return Support{Status: SupportUnknown, Reason: "no distribution detected"}
	}
	s, endedUndated := t.lookup(d)
	if d.SupportEnd != "" {
		end, err := parseDay(strings.TrimSpace(d.SupportEnd))
		if err == nil {
			s.EOL, s.Source, s.Reason, endedUndated = end, SourceOSRelease, "", false
		} else if s.Source == "" {
			s.Reason += fmt.Sprintf("; os-release SUPPORT_END: %v", err)
		}
	}
	switch {
	case s.Status == SupportRolling:
	case s.Source == "":
		s.Status = SupportUnknown
	case endedUndated || s.Ended(now):
		s.Status = SupportEnded
	default:
		s.Status = SupportActive
	}
	return s
}

// lookup finds d's release in the table; endedUndated reports a release
// the data says has ended without saying when.
func (t *EOLTable) lookup(d *sbom.Distro) (s Support, endedUndated bool) {
	label := strings.TrimSpace(d.ID + " " + d.VersionID)
	if rollingDistros[d.ID] {
		return Support{Status: SupportRolling, Product: d.ID}, false
	}
	product, ok := eolProducts[d.ID]
	if !ok {
		return Support{Reason: fmt.Sprintf("no end-of-life data for the distribution %q", d.ID)}, false
	}
	rels, ok := t.products[product]
	if !ok {
		return Support{Product: product, Reason: fmt.Sprintf("the end-of-life table (%s) has no %s releases", t.label(), product)}, false
	}
	r, ok := findRelease(rels, d)
	if !ok {
		return Support{Product: product, Reason: fmt.Sprintf("no end-of-life data for %s in %s", label, t.label())}, false
	}
	s = Support{Product: product, Release: r.Cycle, Source: t.label()}
	eol, ext := r.EOL, r.EOES
	if product == "debian" && !r.EOES.IsZero() {
		// Debian LTS is part of Debian: same archive, same tracker.
		eol, ext = r.EOES, eolDate{}
	}
	s.EOL, s.ExtendedEOL = eol.date, ext.date
	return s, eol.ended && eol.date.IsZero()
}

func (t *EOLTable) label() string {
	src := t.source
	if u, ok := strings.CutPrefix(src, "https://"); ok {
		src = u
	}
	return src + " as of " + t.asOf.Format(time.DateOnly)
}

// findRelease finds the release cycle of d's version among rels.
func findRelease(rels []eolRelease, d *sbom.Distro) (eolRelease, bool) {
	v := strings.TrimSpace(d.VersionID)
	var tries []string
	if v != "" {
		tries = append(tries, v)
		parts := strings.Split(v, ".")
		if len(parts) > 2 {
			tries = append(tries, parts[0]+"."+parts[1])
		}
		if len(parts) > 1 {
			tries = append(tries, parts[0])
		} else {
			tries = append(tries, v+".0") // SLES 15 GA is cycle 15.0
		}
	}
	for _, c := range tries {
		for _, r := range rels {
			if r.Cycle == c {
				return r, true
			}
		}
	}
	if v == "" && d.Codename != "" {
		for _, r := range rels {
			if r.Codename != "" && strings.EqualFold(r.Codename, d.Codename) {
				return r, true
			}
		}
	}
	return eolRelease{}, false
}

// coverageWarnings are the warnings about what the whole image is: a
// distribution release past its end of support or of unknown support,
// and an inventory with nothing in it to check. It sets rep.Support.
func coverageWarnings(rep *Report, s *sbom.SBOM, o *matchOptions) []Warning {
	if s.Distro == nil {
		if len(s.Packages) == 0 {
			return []Warning{{Kind: WarnNothing, Message: "nothing was checked: no operating system and no package was detected, " +
				"so finding no vulnerability here says nothing about the image (an unsupported package manager, a stripped or empty image, an unreadable layer?)"}}
		}
		return nil
	}
	t := o.eol
	if t == nil {
		t = DefaultEOLTable()
	}
	now := o.now()
	sup := t.Support(s.Distro, now)
	rep.Support = &sup
	osPkgs := 0
	for i := range s.Packages {
		switch s.Packages[i].Type {
		case sbom.TypeDeb, sbom.TypeAPK, sbom.TypeRPM:
			osPkgs++
		}
	}
	label := distroLabel(s.Distro)
	switch sup.Status {
	case SupportEnded:
		when := "on an unknown date"
		if !sup.EOL.IsZero() {
			when = "after " + sup.EOL.Format(time.DateOnly)
		}
		return []Warning{{Kind: WarnEOL, Packages: osPkgs, Message: fmt.Sprintf(
			"%s is past its end of support (ended %s, %s): its packages get no more security fixes and advisories may no longer list them; rebuild on a supported release",
			label, when, sup.Source)}}
	case SupportUnknown:
		return []Warning{{Kind: WarnEOLUnknown, Message: fmt.Sprintf(
			"the end of support of %s is unknown (%s): refresh the table with FetchEOL (shipshape db fetch-eol) or check it by hand", label, sup.Reason)}}
	}
	return nil
}
