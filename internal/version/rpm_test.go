package version

import "testing"

// rpmVercmpCases are rpm's tests/rpmvercmp.at, "RPMVERCMP(a, b, want)".
var rpmVercmpCases = []pair{
	{"1.0", "1.0", 0}, {"1.0", "2.0", -1}, {"2.0", "1.0", 1},
	{"2.0.1", "2.0.1", 0}, {"2.0", "2.0.1", -1}, {"2.0.1", "2.0", 1},
	{"2.0.1a", "2.0.1a", 0}, {"2.0.1a", "2.0.1", 1}, {"2.0.1", "2.0.1a", -1},
	{"5.5p1", "5.5p1", 0}, {"5.5p1", "5.5p2", -1}, {"5.5p2", "5.5p1", 1},
	{"5.5p10", "5.5p10", 0}, {"5.5p1", "5.5p10", -1}, {"5.5p10", "5.5p1", 1},
	{"10xyz", "10.1xyz", -1}, {"10.1xyz", "10xyz", 1},
	{"xyz10", "xyz10", 0}, {"xyz10", "xyz10.1", -1}, {"xyz10.1", "xyz10", 1},
	{"xyz.4", "xyz.4", 0}, {"xyz.4", "8", -1}, {"8", "xyz.4", 1}, {"xyz.4", "2", -1}, {"2", "xyz.4", 1},
	{"5.5p2", "5.6p1", -1}, {"5.6p1", "5.5p2", 1},
	{"5.6p1", "6.5p1", -1}, {"6.5p1", "5.6p1", 1},
	{"6.0.rc1", "6.0", 1}, {"6.0", "6.0.rc1", -1},
	{"10b2", "10a1", 1}, {"10a2", "10b2", -1},
	{"1.0aa", "1.0aa", 0}, {"1.0a", "1.0aa", -1}, {"1.0aa", "1.0a", 1},
	{"10.0001", "10.0001", 0}, {"10.0001", "10.1", 0}, {"10.1", "10.0001", 0},
	{"10.0001", "10.0039", -1}, {"10.0039", "10.0001", 1},
	{"4.999.9", "5.0", -1}, {"5.0", "4.999.9", 1},
	{"20101121", "20101121", 0}, {"20101121", "20101122", -1}, {"20101122", "20101121", 1},
	{"2_0", "2_0", 0}, {"2.0", "2_0", 0}, {"2_0", "2.0", 0},
	// RhBug:178798.
	{"a", "a", 0}, {"a+", "a+", 0}, {"a+", "a_", 0}, {"a_", "a+", 0},
	{"+a", "+a", 0}, {"+a", "_a", 0}, {"_a", "+a", 0}, {"+_", "+_", 0},
	{"_+", "+_", 0}, {"_+", "_+", 0}, {"+", "_", 0}, {"_", "+", 0},
	// Tilde.
	{"1.0~rc1", "1.0~rc1", 0}, {"1.0~rc1", "1.0", -1}, {"1.0", "1.0~rc1", 1},
	{"1.0~rc1", "1.0~rc2", -1}, {"1.0~rc2", "1.0~rc1", 1},
	{"1.0~rc1~git123", "1.0~rc1~git123", 0}, {"1.0~rc1~git123", "1.0~rc1", -1}, {"1.0~rc1", "1.0~rc1~git123", 1},
	// Caret.
	{"1.0^", "1.0^", 0}, {"1.0^", "1.0", 1}, {"1.0", "1.0^", -1},
	{"1.0^git1", "1.0^git1", 0}, {"1.0^git1", "1.0", 1}, {"1.0", "1.0^git1", -1},
	{"1.0^git1", "1.0^git2", -1}, {"1.0^git2", "1.0^git1", 1},
	{"1.0^git1", "1.01", -1}, {"1.01", "1.0^git1", 1},
	{"1.0^20160101", "1.0^20160101", 0}, {"1.0^20160101", "1.0.1", -1}, {"1.0.1", "1.0^20160101", 1},
	{"1.0^20160101^git1", "1.0^20160101^git1", 0},
	{"1.0^20160102", "1.0^20160101^git1", 1}, {"1.0^20160101^git1", "1.0^20160102", -1},
	// Tilde and caret.
	{"1.0~rc1^git1", "1.0~rc1^git1", 0}, {"1.0~rc1^git1", "1.0~rc1", 1}, {"1.0~rc1", "1.0~rc1^git1", -1},
	{"1.0^git1~pre", "1.0^git1~pre", 0}, {"1.0^git1", "1.0^git1~pre", 1}, {"1.0^git1~pre", "1.0^git1", -1},
	// "Oddities" rpm documents as its current behaviour (RhBug:811992).
	{"1b.fc17", "1b.fc17", 0}, {"1b.fc17", "1.fc17", -1}, {"1.fc17", "1b.fc17", 1},
	{"1g.fc17", "1g.fc17", 0}, {"1g.fc17", "1.fc17", 1}, {"1.fc17", "1g.fc17", -1},
}

func TestRPMVercmp(t *testing.T) {
	for _, p := range rpmVercmpCases {
		if got := rpmvercmp(p.a, p.b); got != p.want {
			t.Errorf("rpmvercmp(%q, %q) = %d, want %d", p.a, p.b, got, p.want)
		}
	}
	// The same cases through Parse and Compare: none has a release.
	checkPairs(t, ordering(t, "Red Hat"), rpmVercmpCases)
}

func TestRPMCompare(t *testing.T) {
	checkPairs(t, ordering(t, "Rocky Linux:9"), []pair{
		{"1:1.0-1", "2.0-1", 1},
		{"0:1.0-1", "1.0-1", 0},
		{"00:1.0-1", "1.0-1", 0},
		{"2:1.0", "10:0.1", -1},
		{"1.0-1", "1.0-2", -1},
		{"1.0", "1.0-1", -1}, // a missing release sorts first
		{"1.0-1.el9", "1.0-1.el9_1", -1},
		{"2.02-142.el8_7.1", "2.02-142.el8_7.2", -1},
		{"1.1.1k-7.el8_6", "1.1.1k-12.el8_9", -1},
		{"3.6.8-51.el8_8.1", "3.6.8-51.el8_8.10", -1},
		{"2.28-225.el8", "2.28-225.el8_8.6", -1},
		{"1.2.3-4.5", "1.2.3-4.5", 0},
		{"1.0-1-2", "1.0-1-2", 0}, // version "1.0-1", release "2"
		{"99999999999999999999:1.0", "99999999999999999998:2.0", 1},
		{"1.0~rc1-1", "1.0-0", -1},
	})
}

func TestRPMSorted(t *testing.T) {
	checkSorted(t, ordering(t, "openSUSE:Tumbleweed"), []string{
		"0", "0:0", "0.1", "1.0~rc1", "1.0~rc2", "1.0", "1.0-1", "1.0-1.el8",
		"1.0-2", "1.0^git1", "1.0a", "1.0.1", "1.1", "1:0.5",
	})
}

// TestRPMForms: rpm's parseEVR reads any string; these forms appear in
// real advisories and in osv-scalibr's fixtures.
func TestRPMForms(t *testing.T) {
	checkPairs(t, ordering(t, "Red Hat"), []pair{
		// An empty release sorts after a missing one, before any other.
		{"1", "1-", -1},
		{"1-", "1-", 0},
		{"1-", "1-0", -1},
		{"1-", "1-~", 1}, // rpmvercmp("", "~") = 1
		{"1", "1-~", -1}, // a missing release sorts first
		{"1-1.", "1-1", 0},
		// An empty epoch is 0; so is a missing one.
		{":1.0", "0:1.0", 0},
		{":1.0", "1.0", 0},
		// An empty version.
		{"1:", "1:0", -1},
		{"-1", "0-1", -1},
		// A ':' not after digits only is no epoch: Red Hat's module
		// strings, and letters before the ':'.
		{"1.module+el9.4.0+23026+aaa2e3cb.2.noarch.rpm-nginx:1", "4.module+el9.5.0+22954+e2d70a1c.1.noarch.rpm-nginx:1", -1},
		{"1.m+e2:1", "4.m+e1:1", -1},
		{"a:1", "b:1", -1},
		{"a:1", "1:0", -1},
		{"1:2:3", "1:2:4", -1}, // epoch 1, version "2:3"
		// Bytes outside ASCII separate, like punctuation.
		{"1.1.\u03b1", "1.1.\u03b2", 0},
		{"1.1.\u03b1", "1.1.a", -1},
		{"1.0 beta", "1.0.beta", 0},
	})
}

func TestRPMInvalid(t *testing.T) {
	checkInvalid(t, ordering(t, "SUSE"), []string{"", "1.0\x00", "\x00"})
}
