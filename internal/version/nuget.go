package version

import (
	"strconv"
	"strings"
)

// nugetOrdering orders NuGet package versions as NuGet.Versioning's
// NuGetVersion and VersionComparer (VersionComparison.Default) do.
//
// A version is Major[.Minor[.Patch[.Revision]]][-prerelease][+metadata]:
// one to four decimal numbers that fit a 32-bit signed int (missing ones
// are 0, leading zeros are allowed), pre-release labels and metadata made
// of dot-separated non-empty identifiers of [0-9A-Za-z-].
//
// Comparison: Major, Minor, Patch and Revision numerically; a pre-release
// is lower than the release; pre-release labels compare left to right,
// labels that parse as a 32-bit int numerically and before the others, the
// others case-insensitively (ordinal, upper-cased); a shorter label list
// that is a prefix of the other is lower. Metadata is ignored. So 1.0 ==
// 1.0.0 == 1.0.0.0, 1.0.0-BETA == 1.0.0-beta, and 1.0.0-alpha <
// 1.0.0-alpha.1 < 1.0.0-beta < 1.0.0 < 1.0.0.1.
//
// The hashicorp/go-version library is not used: it compares pre-release
// labels case-sensitively and accepts forms NuGet rejects.
type nugetOrdering struct{}

func (nugetOrdering) Name() string { return "NuGet" }

func (nugetOrdering) Parse(s string) (Version, error) {
	if s == osvZero {
		return &nugetVersion{raw: s, zero: true}, nil
	}
	if s == "" {
		return nil, invalid("NuGet", s, "empty version")
	}
	rest, metadata, hasMeta := strings.Cut(s, "+")
	core, pre, hasPre := strings.Cut(rest, "-")
	parts := strings.Split(core, ".")
	if len(parts) > 4 {
		return nil, invalid("NuGet", s, "more than four version numbers")
	}
	v := &nugetVersion{raw: s}
	for i, p := range parts {
		if !allDigits(p) {
			return nil, invalid("NuGet", s, "version numbers must be decimal")
		}
		n, err := strconv.ParseInt(p, 10, 32)
		if err != nil {
			return nil, invalid("NuGet", s, "version number out of range")
		}
		v.nums[i] = n
	}
	if hasPre {
		v.labels = strings.Split(pre, ".")
		if reason := nugetIdents(v.labels); reason != "" {
			return nil, invalid("NuGet", s, "pre-release "+reason)
		}
	}
	if hasMeta {
		if reason := nugetIdents(strings.Split(metadata, ".")); reason != "" {
			return nil, invalid("NuGet", s, "metadata "+reason)
		}
	}
	return v, nil
}

// nugetIdents checks pre-release or metadata identifiers.
func nugetIdents(ids []string) string {
	for _, id := range ids {
		if reason := semverIdent(id); reason != "" {
			return reason
		}
	}
	return ""
}

// nugetVersion is a parsed NuGet version.
type nugetVersion struct {
	raw    string
	zero   bool     // OSV's "0"
	nums   [4]int64 // Major, Minor, Patch, Revision
	labels []string // nil when not a pre-release
}

func (v *nugetVersion) String() string { return v.raw }

func (v *nugetVersion) Compare(other Version) int {
	o := peer[*nugetVersion]("NuGet", other)
	if c, ok := cmpZero(v.zero, o.zero); ok {
		return c
	}
	for i := range v.nums {
		switch {
		case v.nums[i] < o.nums[i]:
			return -1
		case v.nums[i] > o.nums[i]:
			return 1
		}
	}
	switch {
	case v.labels == nil && o.labels == nil:
		return 0
	case v.labels == nil:
		return 1
	case o.labels == nil:
		return -1
	}
	for i := 0; i < len(v.labels) && i < len(o.labels); i++ {
		if c := cmpNuGetLabel(v.labels[i], o.labels[i]); c != 0 {
			return c
		}
	}
	return cmpInt(len(v.labels), len(o.labels))
}

// cmpNuGetLabel is VersionComparer.CompareRelease: labels that int.TryParse
// accepts compare as numbers and sort first; the others compare with
// StringComparer.OrdinalIgnoreCase.
func cmpNuGetLabel(a, b string) int {
	an, aErr := strconv.ParseInt(a, 10, 32)
	bn, bErr := strconv.ParseInt(b, 10, 32)
	switch {
	case aErr == nil && bErr == nil:
		switch {
		case an < bn:
			return -1
		case an > bn:
			return 1
		}
		return 0
	case aErr == nil:
		return -1
	case bErr == nil:
		return 1
	}
	return strings.Compare(strings.ToUpper(a), strings.ToUpper(b))
}
