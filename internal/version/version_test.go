package version

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// pair is one comparison: want is the sign of Compare(a, b).
type pair struct {
	a, b string
	want int
}

// ordering returns the Ordering for an ecosystem or fails the test.
func ordering(t testing.TB, ecosystem string) Ordering {
	t.Helper()
	o, err := ForEcosystem(ecosystem)
	if err != nil {
		t.Fatalf("ForEcosystem(%q): %v", ecosystem, err)
	}
	return o
}

// parse parses s with o or fails the test.
func parse(t testing.TB, o Ordering, s string) Version {
	t.Helper()
	v, err := o.Parse(s)
	if err != nil {
		t.Fatalf("%s Parse(%q): %v", o.Name(), s, err)
	}
	if v.String() != s {
		t.Fatalf("%s Parse(%q).String() = %q", o.Name(), s, v.String())
	}
	return v
}

// checkPairs checks every pair in both directions, and that each version
// equals itself.
func checkPairs(t *testing.T, o Ordering, pairs []pair) {
	t.Helper()
	for _, p := range pairs {
		a, b := parse(t, o, p.a), parse(t, o, p.b)
		if got := a.Compare(b); got != p.want {
			t.Errorf("%s: Compare(%q, %q) = %d, want %d", o.Name(), p.a, p.b, got, p.want)
		}
		if got := b.Compare(a); got != -p.want {
			t.Errorf("%s: Compare(%q, %q) = %d, want %d (antisymmetry)", o.Name(), p.b, p.a, got, -p.want)
		}
		if a.Compare(a) != 0 || b.Compare(b) != 0 {
			t.Errorf("%s: %q or %q does not equal itself", o.Name(), p.a, p.b)
		}
	}
}

// checkSorted checks that sorted is strictly increasing: every earlier
// version is lower than every later one (which also checks transitivity on
// the list), and that sorting a shuffled copy gives the list back.
func checkSorted(t *testing.T, o Ordering, sorted []string) {
	t.Helper()
	vs := make([]Version, len(sorted))
	for i, s := range sorted {
		vs[i] = parse(t, o, s)
	}
	for i := range vs {
		for j := i + 1; j < len(vs); j++ {
			if got := vs[i].Compare(vs[j]); got != -1 {
				t.Errorf("%s: Compare(%q, %q) = %d, want -1", o.Name(), sorted[i], sorted[j], got)
			}
			if got := vs[j].Compare(vs[i]); got != 1 {
				t.Errorf("%s: Compare(%q, %q) = %d, want 1", o.Name(), sorted[j], sorted[i], got)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2)) // fixed seed: deterministic
	for round := 0; round < 5; round++ {
		shuffled := slices.Clone(vs)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		slices.SortFunc(shuffled, func(a, b Version) int { return a.Compare(b) })
		got := make([]string, len(shuffled))
		for i, v := range shuffled {
			got[i] = v.String()
		}
		if !slices.Equal(got, sorted) {
			t.Fatalf("%s: sorting a shuffled list gave\n%q\nwant\n%q", o.Name(), got, sorted)
		}
	}
}

// checkInvalid checks that each input is rejected with an error that wraps
// ErrInvalidVersion and names the input.
func checkInvalid(t *testing.T, o Ordering, inputs []string) {
	t.Helper()
	for _, s := range inputs {
		v, err := o.Parse(s)
		if err == nil {
			t.Errorf("%s Parse(%q) = %v, want an error", o.Name(), s, v)
			continue
		}
		if !errors.Is(err, ErrInvalidVersion) {
			t.Errorf("%s Parse(%q) error %v does not wrap ErrInvalidVersion", o.Name(), s, err)
		}
		if !strings.Contains(err.Error(), strconv.Quote(s)) {
			t.Errorf("%s Parse(%q) error %q does not name the version", o.Name(), s, err)
		}
	}
}

// parseLines reads "a < b", "a = b" and "a > b" lines (apk-tools'
// version.data format) into pairs; '#' starts a comment.
func parseLines(t *testing.T, text string) []pair {
	t.Helper()
	var pairs []pair
	for line := range strings.Lines(text) {
		line, _, _ = strings.Cut(line, "#")
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			t.Fatalf("bad test line %q", line)
		}
		want := map[string]int{"<": -1, "=": 0, ">": 1}[f[1]]
		if f[1] != "<" && f[1] != "=" && f[1] != ">" {
			t.Fatalf("bad operator in %q", line)
		}
		pairs = append(pairs, pair{f[0], f[2], want})
	}
	return pairs
}

func TestForEcosystem(t *testing.T) {
	tests := []struct {
		ecosystem, family string
	}{
		{"Debian", "Debian"},
		{"Debian:12", "Debian"},
		{"Ubuntu", "Debian"},
		{"Ubuntu:22.04:LTS", "Debian"},
		{"Ubuntu:Pro:18.04:LTS", "Debian"},
		{"Alpine", "Alpine"},
		{"Alpine:v3.19", "Alpine"},
		{"Wolfi", "Alpine"},
		{"Chainguard", "Alpine"},
		{"Red Hat", "RPM"},
		{"Red Hat:enterprise_linux:9::appstream", "RPM"},
		{"Rocky Linux:9", "RPM"},
		{"AlmaLinux:8", "RPM"},
		{"SUSE:Linux Enterprise Server 15 SP5", "RPM"},
		{"openSUSE:Tumbleweed", "RPM"},
		{"Mageia:9", "RPM"},
		{"openEuler:22.03-LTS", "RPM"},
		{"RPM", "RPM"},
		{"Go", "Go"},
		{"npm", "npm"},
		{"crates.io", "crates.io"},
		{"PyPI", "PyPI"},
		{"Maven", "Maven"},
		{"Maven:https://repo.maven.apache.org/maven2/", "Maven"},
		{"RubyGems", "RubyGems"},
		{"NuGet", "NuGet"},
		{"Packagist", "Packagist"},
		{"SemVer", "SemVer"},
		{"SEMVER", "SemVer"},
	}
	for _, tt := range tests {
		o, err := ForEcosystem(tt.ecosystem)
		if err != nil {
			t.Errorf("ForEcosystem(%q): %v", tt.ecosystem, err)
			continue
		}
		if o.Name() != tt.family {
			t.Errorf("ForEcosystem(%q).Name() = %q, want %q", tt.ecosystem, o.Name(), tt.family)
		}
	}
	for _, eco := range []string{"", "debian", "DEBIAN", "Hex", "Pub", ":Debian", " Debian", "Debian ", "Foo:Debian", "go"} {
		o, err := ForEcosystem(eco)
		if !errors.Is(err, ErrUnknownEcosystem) {
			t.Errorf("ForEcosystem(%q) = %v, %v; want ErrUnknownEcosystem", eco, o, err)
			continue
		}
		if !strings.Contains(err.Error(), strconv.Quote(eco)) {
			t.Errorf("ForEcosystem(%q) error %q does not name the ecosystem", eco, err)
		}
	}
}

// families lists one ecosystem per Ordering, with versions that the
// ecosystem itself considers lowest or equal to zero: OSV's "0" must sort
// before all of them.
var families = []struct {
	ecosystem string
	low       []string
}{
	{"Debian", []string{"~", "0~~", "0~", "0:0", "0:0-0", "00", "0.0", "1.0"}},
	{"Alpine", []string{"0_alpha", "0_alpha0", "00", "0.0", "0_p0", "1.0-r0"}},
	{"RPM", []string{"~", "0~", "0:0", "0:0-0", "00", "a", "0.0", "1.0-1"}},
	{"Go", []string{"0.0.0-0", "v0.0.0-20191109021931-daa7c04131f5", "v0.0.0", "0.0.0", "v0", "1.0.0"}},
	{"SemVer", []string{"0.0.0-0", "0.0.0-alpha", "0.0.0", "0.0.0+build", "1.0.0"}},
	{"npm", []string{"0.0.0-0", "v0.0.0", "0.0.0", "1.0.0"}},
	{"crates.io", []string{"0.0.0-0", "0.0.0", "0.1.0"}},
	{"PyPI", []string{"0.dev0", "0a0", "0.0", "0+local", "0!0.0", "0.post0", "1.0"}},
	{"Maven", []string{"0-alpha", "0-alpha-1", "0.0", "00", "0-SNAPSHOT", "0-ga", "a", "1.0"}},
	{"RubyGems", []string{"0.a", "0.0.0.a", "0.0", "00", "1.0"}},
	{"NuGet", []string{"0.0.0-0", "0.0.0-a", "0.0", "0.0.0.0", "00", "1.0"}},
	{"Packagist", []string{"dev-master", "dev-0", "0.0.0-dev", "0.0.0-alpha", "0.0", "0.0.0.0", "00", "1.0"}},
}

func TestOSVZero(t *testing.T) {
	for _, fam := range families {
		o := ordering(t, fam.ecosystem)
		zero := parse(t, o, "0")
		if zero.Compare(parse(t, o, "0")) != 0 {
			t.Errorf("%s: \"0\" != \"0\"", o.Name())
		}
		for _, s := range fam.low {
			if s == "0" {
				continue
			}
			v := parse(t, o, s)
			if got := zero.Compare(v); got != -1 {
				t.Errorf("%s: Compare(\"0\", %q) = %d, want -1", o.Name(), s, got)
			}
			if got := v.Compare(zero); got != 1 {
				t.Errorf("%s: Compare(%q, \"0\") = %d, want 1", o.Name(), s, got)
			}
		}
	}
}

func TestCompare(t *testing.T) {
	o := ordering(t, "Debian:12")
	got, err := Compare(o, "1:2.30-21", "2.31-1")
	if err != nil || got != 1 {
		t.Errorf("Compare = %d, %v; want 1, nil", got, err)
	}
	for _, bad := range [][2]string{{"1:", "1.0"}, {"1.0", "1:"}} {
		if _, err := Compare(o, bad[0], bad[1]); !errors.Is(err, ErrInvalidVersion) || !strings.Contains(err.Error(), `"1:"`) {
			t.Errorf("Compare(%q, %q) error = %v; want ErrInvalidVersion naming \"1:\"", bad[0], bad[1], err)
		}
	}
	if _, err := Compare(nil, "1", "2"); err == nil {
		t.Error("Compare with a nil Ordering: no error")
	}
}

func TestNames(t *testing.T) {
	// Every family name is also accepted by ForEcosystem, so every Ordering
	// can be reached.
	for _, fam := range families {
		o := ordering(t, fam.ecosystem)
		if again := ordering(t, o.Name()); again.Name() != o.Name() {
			t.Errorf("ForEcosystem(%q).Name() = %q", o.Name(), again.Name())
		}
	}
}

func TestMixedOrderingsPanic(t *testing.T) {
	deb := parse(t, ordering(t, "Debian"), "1.0")
	apk := parse(t, ordering(t, "Alpine"), "1.0")
	defer func() {
		r := recover()
		if r == nil {
			t.Fatal("comparing a Debian version with an Alpine one did not panic")
		}
		if msg, ok := r.(string); !ok || !strings.Contains(msg, "Debian") {
			t.Errorf("panic value %v does not name the ordering", r)
		}
	}()
	deb.Compare(apk)
}

func TestCmpDigits(t *testing.T) {
	tests := []pair{
		{"", "0", 0},
		{"000", "0", 0},
		{"1", "01", 0},
		{"9", "10", -1},
		{"99999999999999999999999999", "100000000000000000000000000", -1},
		{"18446744073709551616", "18446744073709551615", 1},
	}
	for _, tt := range tests {
		if got := cmpDigits(tt.a, tt.b); got != tt.want {
			t.Errorf("cmpDigits(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
