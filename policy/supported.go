package policy

import (
	"fmt"
	"time"

	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/scan"
)

// SupportedDistro denies an image whose distribution release is past its
// end of support (scan.Report.Support: os-release's SUPPORT_END, or the
// end-of-life table), judged at Input.Now: its packages get no more
// security fixes, so a clean scan of it says little and every day makes
// it worse. WarnWithinDays > 0 also warns when the end is that many days
// away or fewer. A release whose end of support is unknown (a release or
// distribution the table does not know) is a warning, or a violation
// with the rule's action when DenyUnknown is set. An image with no
// distribution (scratch, static distroless) and a rolling distribution
// (Wolfi, Chainguard) pass.
type SupportedDistro struct {
	WarnWithinDays int  `yaml:"warn_within_days"`
	DenyUnknown    bool `yaml:"deny_unknown"`
}

// Type implements BuiltinParams.
func (SupportedDistro) Type() string { return "supported-distro" }

func (p SupportedDistro) compile(name string) (Rule, error) {
	if p.WarnWithinDays < 0 {
		return nil, fmt.Errorf("%w: warn_within_days must not be negative", result.ErrInvalidOption)
	}
	desc := "a distribution release that is still supported"
	if p.WarnWithinDays > 0 {
		desc += fmt.Sprintf(" (warned %d days before its end)", p.WarnWithinDays)
	}
	return &builtinRule{name: name, desc: desc, eval: func(in *Input) []Violation {
		if in.Scan == nil {
			return []Violation{noScan("the distribution's end of support")}
		}
		s := in.Scan.Support
		if s == nil || s.Status == scan.SupportRolling {
			return nil
		}
		label := distroName(in.Scan)
		ev := Evidence{Value: label, Path: "etc/os-release"}
		now := in.now()
		switch {
		case s.Status == scan.SupportUnknown:
			v := Violation{Message: fmt.Sprintf("the end of support of %s is unknown (%s)", label, s.Reason), Evidence: ev}
			if !p.DenyUnknown {
				v.Action = Warn
			}
			return []Violation{v}
		case s.EOL.IsZero() && s.Status == scan.SupportEnded:
			return []Violation{{Message: fmt.Sprintf("%s is past its end of support (%s)", label, s.Source), Evidence: ev}}
		case s.EOL.IsZero():
			return nil // no end announced
		case s.Ended(now):
			return []Violation{{Message: fmt.Sprintf("%s is past its end of support, which ended after %s (%s): rebuild on a supported release",
				label, s.EOL.Format(time.DateOnly), s.Source), Evidence: ev}}
		}
		if p.WarnWithinDays > 0 {
			end := s.EOL.AddDate(0, 0, 1) // the end of the last day
			if left := end.Sub(now); left <= time.Duration(p.WarnWithinDays)*24*time.Hour {
				days := int(left.Hours() / 24)
				return []Violation{{Action: Warn, Message: fmt.Sprintf("%s reaches its end of support after %s, in %d days (%s): plan the move to a newer release",
					label, s.EOL.Format(time.DateOnly), days, s.Source), Evidence: ev}}
			}
		}
		return nil
	}}, nil
}

// distroName names the report's distribution release ("debian 12").
func distroName(r *scan.Report) string {
	if d := r.Distro; d != nil {
		if d.VersionID != "" {
			return d.ID + " " + d.VersionID
		}
		if d.Codename != "" {
			return d.ID + " " + d.Codename
		}
		return d.ID
	}
	if s := r.Support; s != nil {
		return s.Product + " " + s.Release
	}
	return "the distribution"
}

// celDistro is input.distro: the image's distribution release and its
// support status, from the scan report.
type celDistro struct {
	ID        string `cel:"id"`
	VersionID string `cel:"version_id"`
	Codename  string `cel:"codename"`
	// Status is scan.SupportStatus, judged at Input.Now ("" without a
	// distribution).
	Status  string `cel:"status"`
	Product string `cel:"product"`
	Release string `cel:"release"`
	// HasEOL says whether EOL and DaysLeft mean anything; DaysLeft is
	// negative past the end.
	HasEOL    bool      `cel:"has_eol"`
	EOL       time.Time `cel:"eol"`
	DaysLeft  int       `cel:"days_left"`
	EOLSource string    `cel:"eol_source"`
}

func newCELDistro(r *scan.Report, now time.Time) celDistro {
	var d celDistro
	if r.Distro != nil {
		d.ID, d.VersionID, d.Codename = r.Distro.ID, r.Distro.VersionID, r.Distro.Codename
	}
	s := r.Support
	if s == nil {
		return d
	}
	d.Status, d.Product, d.Release, d.EOLSource = string(s.Status), s.Product, s.Release, s.Source
	if !s.EOL.IsZero() {
		d.HasEOL, d.EOL = true, s.EOL
		d.DaysLeft = int(s.EOL.AddDate(0, 0, 1).Sub(now).Hours() / 24)
		if s.Ended(now) {
			d.Status, d.DaysLeft = string(scan.SupportEnded), min(d.DaysLeft, -1)
		} else if s.Status == scan.SupportEnded {
			d.Status = string(scan.SupportActive)
		}
	}
	return d
}
