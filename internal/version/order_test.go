package version

import (
	"slices"
	"testing"
)

// enumerate returns every concatenation of up to n tokens.
func enumerate(tokens []string, n int) []string {
	out := []string{""}
	level := []string{""}
	for range n {
		var next []string
		for _, p := range level {
			for _, t := range tokens {
				next = append(next, p+t)
			}
		}
		out = append(out, next...)
		level = next
	}
	return out
}

// combine returns every a+b+c for a, b, c from the three lists.
func combine(as, bs, cs []string) []string {
	var out []string
	for _, a := range as {
		for _, b := range bs {
			for _, c := range cs {
				out = append(out, a+b+c)
			}
		}
	}
	return out
}

// TestTotalPreorder checks, on many generated versions per ordering, that
// Compare is a total preorder: sorting gives a list in which every version
// is lower than or equal to every later one, and Compare is antisymmetric.
// A non-transitive Compare cannot pass: sort would leave some pair out of
// order.
func TestTotalPreorder(t *testing.T) {
	semverCores := []string{"0.0.0", "0.1.0", "1.0.0", "1.0.1", "1.1.0", "10.0.0"}
	semverPre := []string{"", "-0", "-1", "-10", "-a", "-A", "-a.1", "-a.b", "-1.a", "-a-b", "-alpha.0.1", "-0.0", "-rc.1", "-rc.10"}
	semverBuild := []string{"", "+x", "+incompatible"}
	tests := []struct {
		ecosystem string
		inputs    []string
	}{
		{"Debian", enumerate([]string{"0", "1", "a", "~", ".", "-", ":", "+", "10"}, 5)},
		{"Alpine", enumerate([]string{"0", "1", "00", "01", ".", "a", "_alpha", "_rc", "_p", "_cvs", "~a", "-r"}, 5)},
		{"Alpine:v3.23", enumerate([]string{"0", "1", "00", "01", ".", "a", "_alpha", "_rc", "_p", "_cvs", "~a", "-r"}, 5)},
		{"RPM", enumerate([]string{"0", "1", "a", "b", ".", "~", "^", "-", ":", "_", "10"}, 5)},
		{"Go", combine([]string{"v0.0.0", "1.0.0", "v1.0.1", "1.0", "v1", "v0.0.0-20191109021931-daa7c04131f5"}, semverPre, semverBuild)},
		{"SemVer", combine(semverCores, semverPre, semverBuild)},
		{"PyPI", enumerate([]string{"1", "0", ".", "a", "b", "rc", "post", "dev", "!", "+", "-", "x", "10"}, 5)},
		// Maven's ComparableVersion is not transitive on every string (see
		// TestMavenNotTransitive), only on versions of the usual shapes.
		{"Maven", append(
			combine([]string{"0", "1", "1.0", "1.0.0", "1.0.1", "1.1", "2.0", "0.9", "1.0.0.0", "10.2"},
				[]string{"", "-alpha", "-alpha-1", "-alpha1", "-beta", "-beta2", "-M1", "-rc", "-rc1", "-RC2", "-cr1", ".Final", "-sp", "-sp1", "-1", "-2", "-jre", "-android", ".alpha1", ".rc1", "a", "b1"},
				[]string{"", "-SNAPSHOT"}),
			combine([]string{"0", "1", "1.0", "1.0.1", "2.0"}, []string{"-ga", ".RELEASE", ".GA", "-final"}, []string{""})...)},
		{"RubyGems", enumerate([]string{"1", "0", ".", "-", "a", "b", "pre", "10"}, 6)},
		{"NuGet", combine([]string{"0", "1", "1.0", "1.0.0", "1.0.0.0", "1.0.0.1", "1.0.1", "2"},
			[]string{"", "-a", "-A", "-b", "-1", "-01", "-a.1", "-a.-1", "-a.2147483648", "-a-b", "-a.b", "-1.a"},
			[]string{"", "+m"})},
		{"Packagist", enumerate([]string{"1", "0", ".", "-", "dev", "alpha", "RC", "p", "b", "x", "v", "2010"}, 4)},
	}
	const maxVersions = 700
	for _, tt := range tests {
		t.Run(tt.ecosystem, func(t *testing.T) {
			o := ordering(t, tt.ecosystem)
			var vs []Version
			for _, s := range tt.inputs {
				if v, err := o.Parse(s); err == nil {
					vs = append(vs, v)
				}
			}
			if len(vs) < 100 {
				t.Fatalf("only %d valid versions generated", len(vs))
			}
			if len(vs) > maxVersions {
				step := (len(vs) + maxVersions - 1) / maxVersions
				var picked []Version
				for i := 0; i < len(vs); i += step {
					picked = append(picked, vs[i])
				}
				vs = picked
			}
			slices.SortStableFunc(vs, func(a, b Version) int { return a.Compare(b) })
			for i := range vs {
				for j := i; j < len(vs); j++ {
					ij, ji := vs[i].Compare(vs[j]), vs[j].Compare(vs[i])
					if ij != -ji {
						t.Fatalf("not antisymmetric: Compare(%q, %q) = %d, Compare(%q, %q) = %d", vs[i], vs[j], ij, vs[j], vs[i], ji)
					}
					if ij > 0 {
						t.Fatalf("not a total preorder: %q sorted before %q but compares greater", vs[i], vs[j])
					}
				}
			}
		})
	}
}
