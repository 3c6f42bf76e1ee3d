package version

import "testing"

// pep440Order is PEP 440's summary example of permitted suffixes and their
// relative ordering.
var pep440Order = []string{
	"1.dev0", "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12",
	"1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456", "1.0b2.post345",
	"1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7", "1.0+5",
	"1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1",
}

// packagingOrder is the VERSIONS list of packaging's tests/test_version.py
// (epoch 0 part), in sorted order.
var packagingOrder = []string{
	"1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12",
	"1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456", "1.0b2.post345",
	"1.0b2-346", "1.0c1.dev456", "1.0c1", "1.0rc2", "1.0c3", "1.0",
	"1.0.post456.dev34", "1.0.post456", "1.1.dev1", "1.2+123abc",
	"1.2+123abc456", "1.2+abc", "1.2+abc123", "1.2+abc123def", "1.2+1234.abc",
	"1.2+123456", "1.2.r32+123456", "1.2.rev33+123456",
}

func TestPyPISorted(t *testing.T) {
	o := ordering(t, "PyPI")
	checkSorted(t, o, append([]string{"0"}, pep440Order...))
	withEpoch := append([]string{}, packagingOrder...)
	for _, v := range packagingOrder {
		withEpoch = append(withEpoch, "1!"+v)
	}
	checkSorted(t, o, withEpoch)
}

func TestPyPICompare(t *testing.T) {
	checkPairs(t, ordering(t, "PyPI"), []pair{
		// Normalization (PEP 440, "Normalization").
		{"1.0", "1.0.0", 0},
		{"1", "1.0.0.0", 0},
		{"01.0", "1.0", 0},
		{"1.0A1", "1.0a1", 0},
		{"1.0a", "1.0a0", 0},
		{"1.0alpha1", "1.0a1", 0},
		{"1.0.alpha.1", "1.0a1", 0},
		{"1.0-a-1", "1.0a1", 0},
		{"1.0_a_1", "1.0a1", 0},
		{"1.0beta2", "1.0b2", 0},
		{"1.0c1", "1.0rc1", 0},
		{"1.0pre1", "1.0rc1", 0},
		{"1.0preview1", "1.0rc1", 0},
		{"1.0.post", "1.0.post0", 0},
		{"1.0-1", "1.0.post1", 0},
		{"1.0r1", "1.0.post1", 0},
		{"1.0rev1", "1.0.post1", 0},
		{"1.0-post-1", "1.0.post1", 0},
		{"1.0.dev", "1.0.dev0", 0},
		{"1.0-dev1", "1.0.dev1", 0},
		{"v1.0", "1.0", 0},
		{"V1.0", "1.0", 0},
		{" 1.0\n", "1.0", 0},
		{"0!1.0", "1.0", 0},
		{"1.0+ubuntu-1", "1.0+ubuntu.1", 0},
		{"1.0+UBUNTU_1", "1.0+ubuntu.1", 0},
		{"1.0+01", "1.0+1", 0},
		// Ordering.
		{"1!1.0", "2.0", 1},
		{"1.0.dev1", "1.0a1", -1}, // X.Y.devN before X.Y.aN
		{"1.0a1.dev1", "1.0a1", -1},
		{"1.0rc1.post1", "1.0rc1", 1},
		{"1.0rc1.post1", "1.0", -1},
		{"1.0.post1.dev1", "1.0", 1},
		{"1.0", "1.0+0", -1},
		{"1.0+abc", "1.0+abc.1", -1},
		{"1.0+a", "1.0+1", -1},
		{"1.0+local", "1.0.post1", -1},
		{"1.10", "1.9", 1},
		{"2.0.0", "2.0.0.0.0.1", -1},
		{"1.0.99999999999999999999999", "1.0.100000000000000000000000", -1},
	})
}

func TestPyPIInvalid(t *testing.T) {
	checkInvalid(t, ordering(t, "PyPI"), []string{
		// packaging's INVALID_VERSIONS.
		"french toast", "1.0+a+", "1.0++", "1.0+_foobar", "1.0+foo&asd", "1.0+1+1",
		// More.
		"", "   ", "1.0.", ".1.0", "1..0", "1.0a1a1", "1.0.dev1.post1",
		"1.0.post1.a1", "1.0+", "1.0-", "!1.0", "1!", "1.0 1", "1.0+abc..1",
		"\uff11.0", "1.0+\u00e9", "1.0-alpha-beta", "vv1.0", "1.0_", "a1.0",
	})
}
