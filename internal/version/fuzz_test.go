package version

import (
	"errors"
	"testing"
)

// fuzzOrdering checks an Ordering's Parse and Compare on arbitrary input:
// Parse never panics and only fails with ErrInvalidVersion; a parsed
// version keeps its string and equals itself; Compare returns -1, 0 or +1,
// is antisymmetric and, unless the ecosystem's own algorithm is not,
// transitive on the parsed inputs.
func fuzzOrdering(f *testing.F, ecosystem string, seeds ...string) {
	fuzzOrderingTransitive(f, ecosystem, true, seeds...)
}

func fuzzOrderingTransitive(f *testing.F, ecosystem string, transitive bool, seeds ...string) {
	o := ordering(f, ecosystem)
	seeds = append(seeds, "0", "", "1", "1.0", "1.0.0", " ", "\x00", "~", "-", ".", "+")
	for i, s := range seeds {
		f.Add(s, seeds[(i+1)%len(seeds)], seeds[(i+2)%len(seeds)])
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		var vs []Version
		for _, s := range []string{a, b, c} {
			v, err := o.Parse(s)
			if err != nil {
				if !errors.Is(err, ErrInvalidVersion) {
					t.Fatalf("Parse(%q): error %v does not wrap ErrInvalidVersion", s, err)
				}
				if v != nil {
					t.Fatalf("Parse(%q) returned both %v and an error", s, v)
				}
				continue
			}
			if v.String() != s {
				t.Fatalf("Parse(%q).String() = %q", s, v.String())
			}
			if got := v.Compare(v); got != 0 {
				t.Fatalf("Compare(%q, %q) = %d, want 0", s, s, got)
			}
			again, err := o.Parse(s)
			if err != nil || v.Compare(again) != 0 || again.Compare(v) != 0 {
				t.Fatalf("Parse(%q) is not deterministic: %v", s, err)
			}
			vs = append(vs, v)
		}
		for _, x := range vs {
			for _, y := range vs {
				xy, yx := x.Compare(y), y.Compare(x)
				if xy < -1 || xy > 1 {
					t.Fatalf("Compare(%q, %q) = %d, want -1, 0 or +1", x, y, xy)
				}
				if xy != -yx {
					t.Fatalf("Compare(%q, %q) = %d but Compare(%q, %q) = %d", x, y, xy, y, x, yx)
				}
				for _, z := range vs {
					if !transitive {
						break
					}
					if xy <= 0 && y.Compare(z) <= 0 && x.Compare(z) > 0 {
						t.Fatalf("not transitive: %q <= %q <= %q but %q > %q", x, y, z, x, z)
					}
				}
			}
		}
	})
}

func FuzzDebian(f *testing.F) {
	fuzzOrdering(f, "Debian", "1:2.30-21ubuntu1~18.04.9", "0:09azAZ.-+~:-0", "1.0~rc1", "1.0+b1", "2:1.0-1-2", "1.0a")
}

func FuzzAlpine(f *testing.F) {
	fuzzOrdering(f, "Alpine", "1.2.3_p1-r0", "0.1.0_alpha_pre2", "6.6.2p1-r0", "2.3.0b-r1", "1.02.07", "3.9_pre20060124", "006", "1-r-0", ".1", "8.2.0015")
}

func FuzzAlpine3(f *testing.F) {
	fuzzOrdering(f, "Alpine:v3.23", "1.2.3_p1-r0", "0.1.0_alpha_pre2", "1.0~abc-r1", "2.3.0b-r1", "1.02.07", "3.9_pre20060124", "006", "1.0bc", "6.6.2p1")
}

func FuzzRPM(f *testing.F) {
	fuzzOrdering(f, "RPM", "1:2.02-142.el8_7.1", "1.0~rc1^git1", "1.0^git1~pre", "xyz.4", "_+", "1b.fc17", "10.0001", "1-", ":1", "1.m+e2:1", "1.1.\u03b1")
}

func FuzzGo(f *testing.F) {
	fuzzOrdering(f, "Go", "v0.0.0-20191109021931-daa7c04131f5", "1.22.0-rc.1", "v2.0.0+incompatible", "v1.2", "go1.21")
}

func FuzzSemVer(f *testing.F) {
	fuzzOrdering(f, "SemVer", "1.0.0-alpha.beta", "1.2.3-5-foo", "1.0.0+build.1", "01.2.3", "1.2.3-a.b.c.10.d.5")
}

func FuzzNPM(f *testing.F) {
	fuzzOrdering(f, "npm", "v1.0.0-alpha.beta", "1.2.3-r100", "v2.7.2+asdf", "vv1.0.0")
}

func FuzzCrates(f *testing.F) {
	fuzzOrdering(f, "crates.io", "0.3.0-rc.1", "1.0.0-alpha.1+build", "1.0.0-01")
}

func FuzzPyPI(f *testing.F) {
	fuzzOrdering(f, "PyPI", "1!1.0b2.post345.dev456+abc.5", "1.0-1", "v1.0rc1", "1.2+1234.abc", "1.0.post", " 1.0-dev1 ", "french toast")
}

func FuzzMaven(f *testing.F) {
	// Maven's ComparableVersion is not transitive (TestMavenNotTransitive).
	fuzzOrderingTransitive(f, "Maven", false, "1.0-alpha-1-SNAPSHOT", "6.1H.5-beta", "1-0.alpha", "12345678901234567890.1H.5-beta", "1.0.0.RC1", "2.0.a", "0000000000")
}

func FuzzRubyGems(f *testing.F) {
	fuzzOrdering(f, "RubyGems", "1.8.2.a10", "1.0.0-beta.11", "0.beta.1", "1.2.b1", " 5.x ", "1..2")
}

func FuzzNuGet(f *testing.F) {
	fuzzOrdering(f, "NuGet", "1.0.0.1-alpha+meta", "2.0.0-rc.10", "1.0.0-a.-1", "1.0.0-a.2147483648", "1.01")
}

func FuzzPackagist(f *testing.F) {
	fuzzOrdering(f, "Packagist", "1.0.0RC1dev", "20100102-203040-p1", "1.x-dev", "dev-master as 1.0.0", "1.0.0+foo@dev", "v1.13.11-beta.0", "1.0.0-alpha-2.1-3+foo", "3.5.2.post1", "4.3-2beta1", "1.0.0.0.1")
}
