package secrets

import "testing"

// TestPlaceholderForms: the forms of made-up values beyond the basic ones
// (TestIsPlaceholder), and look-alikes that are values.
func TestPlaceholderForms(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
	}{
		// Names in braces or brackets.
		{"{SumoAccessKey}", true},
		{"@projectversion@", true},
		{"@package.name@", true},
		{"@Tz5N@q8Lk2", false},
		{"[PASSWORD]", true},
		{"[api-key]", true},
		{"{Tz5Nq8Lk2Wv7Rm4P", false},
		{"[1, 2, 3]", false},
		// Masks.
		{"xoxp-572370529330-573807301142-####################", true},
		{"Bq7#Lm2#Xv9", false},
		// A credential's name for its value.
		{"password", true},
		{"username:password", true},
		{"admin:password", true},
		{"admin:Gq8Wz2Lm7Kx4Rv9P", false},
		{"passwords-are-long", false},
	} {
		if got := IsPlaceholder(c.in); got != c.want {
			t.Errorf("IsPlaceholder(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

// TestSequentialValue: the values made of sequential runs that a generic
// rule takes for made-up ones, and values that merely hold a run.
func TestSequentialValue(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
	}{
		{"xoxp-1234567890", true},
		{"sk_abcdefghijklmnopqrstuvwxyz123", true},
		{"tok_zyxwvutsrq", true},
		{"tok_zyxwvutsrq_lm2", false}, // less than two thirds
		{"9876543210abcdefghij", true},
		{"shipshapedemoabcdefghijklmnopqrstuvwxyz01", false},
		{"sk_abcdefg1xq8lm2", false}, // a run of seven
		{"welcome12345678", false},   // a run inside a password
		{"12345678-abcd-abcd-abcd-1234567890ab", false},
		{"hq3lz8wv2kp7nx4r", false},
		{"0123abcd4567efab", false},
		{"135791357913579", false},
	} {
		if got := sequentialValue(c.in); got != c.want {
			t.Errorf("sequentialValue(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}
