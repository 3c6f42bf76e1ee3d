package version

import "testing"

// benchOrdering measures parsing two typical versions and comparing them.
func benchOrdering(b *testing.B, ecosystem, x, y string) {
	o := ordering(b, ecosystem)
	b.ReportAllocs()
	for b.Loop() {
		vx, err := o.Parse(x)
		if err != nil {
			b.Fatal(err)
		}
		vy, err := o.Parse(y)
		if err != nil {
			b.Fatal(err)
		}
		if vx.Compare(vy) == 0 {
			b.Fatalf("%q == %q", x, y)
		}
	}
}

func BenchmarkDebian(b *testing.B) {
	benchOrdering(b, "Debian", "2.36-9+deb12u4", "1:2.36-9+deb12u10")
}

func BenchmarkAlpine(b *testing.B) {
	benchOrdering(b, "Alpine", "3.1.4-r5", "3.1.4_p1-r0")
}

func BenchmarkAlpine3(b *testing.B) {
	benchOrdering(b, "Alpine:v3.23", "3.1.4-r5", "3.1.4_p1-r0")
}

func BenchmarkRPM(b *testing.B) {
	benchOrdering(b, "RPM", "2.28-225.el8_8.6", "0:2.28-225.el8_8.11")
}

func BenchmarkGo(b *testing.B) {
	benchOrdering(b, "Go", "v0.0.0-20191109021931-daa7c04131f5", "1.22.0-rc.1")
}

func BenchmarkSemVer(b *testing.B) {
	benchOrdering(b, "SemVer", "4.17.21", "4.17.21-beta.2")
}

func BenchmarkNPM(b *testing.B) {
	benchOrdering(b, "npm", "v4.17.21", "4.17.21-beta.2+build.7")
}

func BenchmarkCrates(b *testing.B) {
	benchOrdering(b, "crates.io", "1.0.197", "1.0.0-alpha.1")
}

func BenchmarkPyPI(b *testing.B) {
	benchOrdering(b, "PyPI", "2.31.0", "2.31.0rc1.post2.dev3")
}

func BenchmarkMaven(b *testing.B) {
	benchOrdering(b, "Maven", "2.14.1", "2.15.0-rc1")
}

func BenchmarkRubyGems(b *testing.B) {
	benchOrdering(b, "RubyGems", "7.0.8.1", "7.1.0.beta1")
}

func BenchmarkNuGet(b *testing.B) {
	benchOrdering(b, "NuGet", "13.0.1", "13.0.3-beta1")
}

func BenchmarkPackagist(b *testing.B) {
	benchOrdering(b, "Packagist", "v5.4.21", "5.4.22-RC1")
}
