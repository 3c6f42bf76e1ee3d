package policytest

import (
	"time"

	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
)

// Distro sets the image's distribution release and its support status in
// the vulnerability report (scan.Report.Distro and Support), judged by
// the end-of-life table scan embeds at the time at (status and dates as
// scan.Match would set them); the SBOM gets the distribution too when
// the input has one.
func (b *Builder) Distro(d sbom.Distro, at time.Time) *Builder {
	r := b.scan()
	dd := d
	r.Distro = &dd
	s := scan.DefaultEOLTable().Support(&dd, at)
	r.Support = &s
	if b.in.SBOM != nil {
		b.in.SBOM.Distro = &dd
	}
	return b
}
