package result

// Class sets a finding apart from the ordinary ones. For a secret it says
// whose the file is, where that is not the image's own: content an
// operating-system package installed unchanged, or a language package's;
// default gates count only the image's own files (the empty class), and a
// policy may gate either class. For a vulnerability it marks a malicious
// package, which no version fixes.
type Class string

// The classes.
const (
	// ClassVendor is a file an operating-system package installed and
	// that still has the checksum the package database recorded.
	ClassVendor Class = "vendor"
	// ClassThirdParty is a file inside a language package's directory
	// (node_modules/x, site-packages/x, a gem, a vendor directory).
	ClassThirdParty Class = "third_party"
	// ClassMalicious is a vulnerability finding about a package published
	// to attack its users (an OSV MAL- record): the package is the
	// vulnerability.
	ClassMalicious Class = "malicious"
)
