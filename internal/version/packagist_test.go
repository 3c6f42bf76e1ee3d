package version

import "testing"

func TestComposerNormalize(t *testing.T) {
	// From composer/semver's VersionParserTest::successfulNormalizedVersions.
	tests := map[string]string{
		"1.0.0":                                  "1.0.0.0",
		"1.2.3.4":                                "1.2.3.4",
		"1.0.0RC1dev":                            "1.0.0.0-RC1-dev",
		"1.0.0-rC15-dev":                         "1.0.0.0-RC15-dev",
		"1.0.0.RC.15-dev":                        "1.0.0.0-RC15-dev",
		"1.0.0-rc1":                              "1.0.0.0-RC1",
		"1.0.0.pl3-dev":                          "1.0.0.0-patch3-dev",
		"1.0-dev":                                "1.0.0.0-dev",
		"0":                                      "0.0.0.0",
		"10.4.13-beta":                           "10.4.13.0-beta",
		"10.4.13beta2":                           "10.4.13.0-beta2",
		"10.4.13beta.2":                          "10.4.13.0-beta2",
		"v1.13.11-beta.0":                        "1.13.11.0-beta0",
		"1.13.11.0-beta0":                        "1.13.11.0-beta0",
		"10.4.13-b":                              "10.4.13.0-beta",
		"10.4.13-b5":                             "10.4.13.0-beta5",
		"v1.0.0":                                 "1.0.0.0",
		"2010.01":                                "2010.01.0.0",
		"2010.01.02":                             "2010.01.02.0",
		"2010.1.555":                             "2010.1.555.0",
		"2010.10.200":                            "2010.10.200.0",
		"v20100102":                              "20100102",
		"2010-01-02":                             "2010.01.02",
		"2010-01-02.5":                           "2010.01.02.5",
		"20100102-203040":                        "20100102.203040",
		"20100102203040-10":                      "20100102203040.10",
		"20100102-203040-p1":                     "20100102.203040-patch1",
		"201903.0":                               "201903.0",
		"201903.0-p2":                            "201903.0-patch2",
		"dev-master":                             "dev-master",
		"master":                                 "dev-master",
		"dev-trunk":                              "dev-trunk",
		"1.x-dev":                                "1.9999999.9999999.9999999-dev",
		"dev-feature-foo":                        "dev-feature-foo",
		"DEV-FOOBAR":                             "dev-FOOBAR",
		"dev-feature/foo":                        "dev-feature/foo",
		"dev-feature+issue-1":                    "dev-feature+issue-1",
		"dev-master as 1.0.0":                    "dev-master",
		"1.0.0+foo@dev":                          "1.0.0.0",
		"dev-load-varnish-only-when-used@stable": "dev-load-varnish-only-when-used",
		"1.0.0-beta.5+foo":                       "1.0.0.0-beta5",
		"1.0.0+foo":                              "1.0.0.0",
		"1.0.0-alpha.3.1+foo":                    "1.0.0.0-alpha3.1",
		"1.0.0-alpha2.1+foo":                     "1.0.0.0-alpha2.1",
		"1.0.0-alpha-2.1-3+foo":                  "1.0.0.0-alpha2.1-3",
		"1.0.0+foo as 2.0":                       "1.0.0.0",
		"00.01.03.04":                            "00.01.03.04",
		"000.001.003.004":                        "000.001.003.004",
		"0.000.103.204":                          "0.000.103.204",
		"0700":                                   "0700.0.0.0",
		"041.x-dev":                              "041.9999999.9999999.9999999-dev",
		"dev-041.003":                            "dev-041.003",
		"dev-1.0.0-dev<1.0.5-dev":                "dev-1.0.0-dev<1.0.5-dev",
		"dev-foo bar":                            "dev-foo bar",
		" 1.0.0":                                 "1.0.0.0",
		"1.0.0 ":                                 "1.0.0.0",
		"1.2.3-stable":                           "1.2.3.0",
		"2.1.x-dev":                              "2.1.9999999.9999999-dev",
		"v2.x-dev":                               "2.9999999.9999999.9999999-dev",
	}
	for in, want := range tests {
		got, ok := composerNormalize(in)
		if !ok || got != want {
			t.Errorf("composerNormalize(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestPackagistCompare(t *testing.T) {
	checkPairs(t, ordering(t, "Packagist"), []pair{
		{"1.0.0", "1.0", 0},
		{"v1.0.0", "1.0.0.0", 0},
		{"1.0.0+foo", "1.0.0", 0},
		{"1.0.0-stable", "1.0.0", 0},
		{"master", "dev-master", 0},
		{"1.2.3RC1", "1.2.3-rc1", 0},
		{"1.2.3.RC.1", "1.2.3-RC1", 0},
		{"1.2.3-b2", "1.2.3-beta2", 0},
		{"1.2.3-pl1", "1.2.3-p1", 0},
		{"1.2.3-dev", "1.2.3-alpha", -1},
		{"1.2.3-alpha1", "1.2.3-alpha2", -1},
		{"1.2.3-alpha2", "1.2.3-beta1", -1},
		{"1.2.3-beta2", "1.2.3-beta10", -1},
		{"1.2.3-beta", "1.2.3-beta1", -1},
		{"1.2.3-beta2", "1.2.3RC1", -1},
		{"1.2.3RC1", "1.2.3", -1},
		{"1.2.3", "1.2.3-p1", -1},
		{"1.2.3-p1", "1.2.3-patch2", -1},
		{"1.2.3-p1", "1.2.4-dev", -1},
		{"1.2.3-beta1-dev", "1.2.3-beta1", -1},
		{"1.25.0-beta2.1", "1.25.0-beta3", -1},
		{"1.0.0-alpha2.1", "1.0.0-alpha2", 1},
		{"1.x-dev", "1.99", 1},
		{"1.x-dev", "2.0.0-dev", -1},
		{"2010-01-02", "2010.01.02.0", -1},
		{"20100102203040", "2010.01.02", 1},
		{"dev-master", "0.0.1", -1},
		{"dev-a", "dev-b", -1},
		{"1.0.99999999999999999999", "1.0.100000000000000000000", -1},
	})
}

func TestPackagistSorted(t *testing.T) {
	checkSorted(t, ordering(t, "Packagist"), []string{
		"0", "dev-feature", "dev-master", "0.0.1", "1.0.0-dev", "1.0.0-alpha1",
		"1.0.0-alpha2", "1.0.0-beta", "1.0.0-beta2", "1.0.0-RC1", "1.0.0",
		"1.0.0-p1", "1.0.0-patch2", "1.0.1", "1.0.10", "1.1.x-dev", "2.0.0",
		"2010-01-02", "20100102203040",
	})
}

// TestPackagistFallback: versions Composer rejects compare as PHP's
// version_compare compares them, after the longest prefix Composer reads.
func TestPackagistFallback(t *testing.T) {
	checkPairs(t, ordering(t, "Packagist"), []pair{
		// Real OSV versions.
		{"3.5.2.post1", "3.5.2", 1},
		{"3.5.2.post1", "v3.5.2", 1},
		{"3.5.2.post1", "3.5.3", -1},
		{"3.5.2.post1", "3.5.2.post2", -1},
		{"3.0.0b1.post1", "3.0.0b1", 1},
		{"3.0.0b1.post1", "3.0.0b2", -1},
		{"1.5.1.dev100", "1.5.1", -1},
		{"1.5.1.dev100", "1.5.1.dev101", -1},
		{"1.5.1.dev100", "1.5.0", 1},
		{"0.0.1-test1", "0.0.1", -1}, // an unknown word sorts first
		{"4.3-2", "4.3", 1},
		{"4.3-2", "4.3-2beta1", 1},
		{"4.3-2RC1", "4.3-2RC2", -1},
		{"999999999999999999999999999991", "999999999999999999999999999999", -1},
		{"999999999999999999999999999991", "1.0", 1},
		{"1.0.1-SNAPSHOT", "1.0.1", -1},
		{"1.0.0.0.1", "1.0.0.0", 1},
		// Composer's own order still rules where it parses.
		{"3.0", "3.0.0-beta", 1},
		{"1.0.0", "1.0", 0},
	})
}

func TestPackagistInvalid(t *testing.T) {
	checkInvalid(t, ordering(t, "Packagist"), []string{
		// composer/semver's VersionParserTest::failingNormalizedVersions
		// that do not start with a number either.
		"", "a", "feature-foo", "foo bar-dev",
		// More.
		"dev-", "v", "vx1", " ", "-1.0", ".1",
	})
}
