package version

import "testing"

// apkVersionData is a selection of apk-tools' test/version.data (the lines
// whose versions apk_version_validate accepts), in its own format.
const apkVersionData = `
2.34 > 0.1.0_alpha
0.1.0_alpha = 0.1.0_alpha
0.1.0_alpha < 0.1.3_alpha
0.1.0_alpha2 > 0.1.0_alpha
0.1.0_alpha < 2.2.39-r1
2.2.39-r1 > 1.0.4-r3
1.0.4-r3 < 1.0.4-r4
1.0.4-r4 < 1.6
1.0.2 > 0.7-r1
1.1 > 1.1_alpha1
1.2.1 > 1.2
1.2 < 1.3_alpha
1.3_alpha < 1.3_alpha2
0.7.0 < 0.8_beta1
0.8_beta4 < 4.8-r1
3.10.18-r1 > 2.3.0b-r1
2.3.0b-r1 < 2.3.0b-r2
2.3.0b-r4 > 0.12.1
0.12.3 > 0.12
0.12 < 0.13_beta1
0.13_beta5 > 0.9.12
1.2.11 < 1.2.12.1
0.2.0-r1 < 3.1_p16
3.1_p16 < 3.1_p17
1.06-r6 < 006
006 > 1.0.0
1.2.2-r1 > 1.2.2
20050718-r1 < 20050718-r2
3.9.8-r5 > 2.01.01_alpha10
1.0 > 0.99.3.20040818
1.00_beta2 > 0.9.2
2.8.0.6-r1 > 0.5.2.7
4.2.52_p2-r1 < 4.2.52_p4-r2
2.18.3-r10 > 1.05-r18
20060720 > 3.0.20060720
3.0.20060720 < 20060720
2.1.9.200602141850 > 1.6
2.5.1-r8 < 2.5.1a-r1
1.3.5-r10 > 1.3.5-r8
2.0.0_rc3-r1 > 1.5
3.0.0-r2 < 021109-r3
021109-r3 < 20060512
3.9_pre20060124 > 0.01
1.1.7 < 6b-r7
0.10.0 < 0.10.1_rc1
2.0.2 > 1.1a
1.1a < 1.3a
1.0-r1 > 0.15.1b
0.15.1b-r2 > 0.15.1b
22.7-r1 < 22.7.3-r1
22.7 > 2.1_pre20
2.1_pre20 < 2.1_pre26
2.10.1 > 02.08.01b
3.81 > 1.6d
1.6d > 1.2.07.8
1.2.07.8 < 1.2.12.04
1.2.12.04 < 1.2.12.05
1.07-r1 < 1.07.5
20061003 > 0.1_pre20060810
3.3.17 > 0.59s-r11
0.20070118 < 0.20070207_rc1
0.20070207_rc1 < 1.0
3.7_p1 > 1.3
4.5_p1-r1 > 4.5_p1
4.5_p1 > 0.9.8c-r1
0.9.8c-r1 < 0.9.8d
2.2.3-r2 < 013
1.7 < 1.7b
1.8.5 < 1.8.5_p2
2.9.11_pre20051101-r2 < 2.9.11_pre20051101-r3
2.9.11_pre20051101-r3 > 2.9.11_pre20051101
1.6.8_p12-r1 > 1.6.8_p9-r2
0.9.28-r2 < 0.9.28.1
0.9.28.1 < 087-r1
104-r11 > 104-r9
1.2.5_rc2 > 0.1
20040406-r1 > 2.12r-r4
2.12r-r4 < 2.12r-r5
7.0.17 < 7.0.174
0.3.4_pre20061029 < 0.4.0
1.3-r0 < 1.3.1-r0
1.3_pre1-r1 < 1.3.2
1.0_p10-r0 > 1.0_p9-r0
0.1.0_alpha_pre2 < 0.1.0_alpha
1.0.0_pre20191002222144-r0 < 1.0.0_pre20210530193627-r0
6.0_pre1 < 6.0
6.1_pre1 < 6.1
6.0_p1 > 6.0
6.1_p1 > 6.1
`

func TestAlpineVersionData(t *testing.T) {
	checkPairs(t, ordering(t, "Alpine:v3.19"), parseLines(t, apkVersionData))
}

// TestAlpine3Compare: Alpine 3.23 and later ship apk-tools 3.
func TestAlpine3Compare(t *testing.T) {
	checkPairs(t, ordering(t, "Alpine:v3.23"), []pair{
		// The task's examples.
		{"1.2.3_p1", "1.2.3", 1},
		{"1.2.3_rc1", "1.2.3", -1},
		{"1.2.3a", "1.2.3", 1},
		{"2.0-r1", "2.0-r0", 1},
		// Suffix order.
		{"1.0_alpha", "1.0_beta", -1},
		{"1.0_beta", "1.0_pre", -1},
		{"1.0_pre", "1.0_rc", -1},
		{"1.0_rc", "1.0", -1},
		{"1.0", "1.0_cvs", -1},
		{"1.0_cvs", "1.0_svn", -1},
		{"1.0_svn", "1.0_git", -1},
		{"1.0_git", "1.0_hg", -1},
		{"1.0_hg", "1.0_p", -1},
		{"1.0_p", "1.0_p0", -1},
		{"1.0_alpha0", "1.0_alpha", 1},
		// Leading zeros after the first number compare as strings.
		{"1.02", "1.1", -1},
		{"1.0", "1.00", -1},
		{"1.010", "1.09", -1}, // "010" < "09" as strings
		{"01.0", "1.0", 0},
		{"8.2.0", "8.2.001", -1},
		// Commit hashes (apk-tools 3).
		{"1.0~abc", "1.0", 1},
		{"1.0~abc", "1.0~abd", -1},
		{"1.0~abc-r1", "1.0~abc", 1},
		{"1.0~abc-r1", "1.0-r1", 1},
		// Numbers of any size.
		{"1.0_p99999999999999999999", "1.0_p100000000000000000000", -1},
		{"18446744073709551616", "18446744073709551615", 1},
		// Strings apk-tools 3 calls invalid: the invalid token sorts after
		// the end, and two versions invalid at the same token are equal.
		{"1.0bc", "1.0", 1},       // apk-tools' version.data: the letter decides
		{"6.6.2p1", "6.6.2p2", 0}, // a digit after a letter
		{"6.6.2p1", "6.6.2", 1},
		{"6.6.2p1", "6.6.2_p1", 1}, // a letter before a suffix
		{"1.0_foo", "1.0", -1},
		{"1.0_foo", "1.0_rc1", 1}, // a pre-release suffix before the invalid token
		{"1.0-r", "1.0", -1},
		{"1.0-r", "1.0-r0", -1},
		{"1-r-0", "1-r0", -1},
		{".2", ".1", 0},
		{"a", "b", 0},
		{".1", "0", 1}, // OSV's "0" sorts first
		{"1.0~ABC", "1.0", -1},
		{"1.0 ", "1.0", -1},
		{"1.0\u00e9", "1.0\u00e8", 0},
	})
}

// TestAlpine2Compare: Alpine up to 3.22, Wolfi, Chainguard and the other
// apk distributions ship apk-tools 2.
func TestAlpine2Compare(t *testing.T) {
	for _, eco := range []string{"Alpine", "Alpine:v3.22", "Alpine:v3.3", "Wolfi", "Chainguard", "MinimOS", "Alpaquita:stream", "CleanStart"} {
		checkPairs(t, ordering(t, eco), []pair{
			{"1.2.3_p1", "1.2.3", 1},
			{"1.2.3_rc1", "1.2.3", -1},
			{"1.2.3a", "1.2.3", 1},
			{"2.0-r1", "2.0-r0", 1},
			{"1.0_hg", "1.0_p", -1},
			{"1.0_alpha0", "1.0_alpha", 1},
			// A digit after a letter starts a number (OpenSSH in
			// Alpine 3.0 to 3.2: 6.6.2p1-r0).
			{"6.6.2p1-r0", "6.6.2p2-r0", -1},
			{"6.6.2p1-r0", "6.6.2p1-r1", -1},
			{"6.6.2p1", "6.6.2_p1", 1},
			{"6.6.2p1", "6.6.3", -1},
			{"6.6.2p10", "6.6.2p9", 1},
			// Leading zeros count below the number.
			{"1.05", "1.5", -1},
			{"1.005", "1.05", -1},
			{"8.2.0", "8.2.001", 1},
			{"8.2.0015", "8.2.002", 1},
			{"1.02", "1.1", -1},
			{"01.0", "1.0", 0},
			// What apk-tools 3 rejects, apk-tools 2 reads on.
			{".2", ".1", 1},
			{".1", "1", -1},
			{"a", "b", -1},
			{"1-r-0", "1-r0", 1},
			{"1-r0-1", "1-r-2", 0},
			{"1.0-r1-r2", "1.0-r1-r3", -1},
			{"1.0_prerelease", "1.0", -1}, // "_pre" matches as a prefix
			// No commit hashes: "~" is invalid.
			{"1.0~abc", "1.0~abd", 0},
			{"1.0~abc", "1.0", 1}, // an invalid token is the newer here
			// 18 digits or more make an invalid token.
			{"18446744073709551616", "18446744073709551615", 0},
			{"1.0_p99999999999999999999", "1.0_p1", -1},
			{"99999999999999999", "1", 1},
			{"0", "0.0", -1}, // OSV's "0"
		})
	}
}

func TestAlpineSorted(t *testing.T) {
	sorted := []string{
		"0", "0_alpha", "0.1",
		"1.0_alpha", "1.0_alpha2", "1.0_beta", "1.0_pre1", "1.0_rc1",
		"1.0", "1.0-r1", "1.0_cvs", "1.0_svn", "1.0_git", "1.0_hg",
		"1.0_p1", "1.0_p1-r1", "1.0a", "1.0b", "1.0.1", "1.2.3", "2.0",
	}
	checkSorted(t, ordering(t, "Wolfi"), sorted)
	checkSorted(t, ordering(t, "Alpine:v3.23"), sorted)
}

// TestAlpineInvalid: apk-tools compares any string; only the empty one,
// which no package has, is rejected.
func TestAlpineInvalid(t *testing.T) {
	for _, eco := range []string{"Alpine:v3.22", "Alpine:v3.23"} {
		checkInvalid(t, ordering(t, eco), []string{""})
	}
}

func TestAPK3Release(t *testing.T) {
	for release, want := range map[string]bool{
		"v3.23": true, "v3.24": true, "v4.0": true, "edge": true, "v10.1": true,
		"v3.22": false, "v3.3": false, "v3.9": false, "": false, "v3": false, "3.x": false, "v2.99": false,
	} {
		if got := apk3Release(release); got != want {
			t.Errorf("apk3Release(%q) = %v, want %v", release, got, want)
		}
	}
}
