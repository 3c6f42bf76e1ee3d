package result

// Class says whose a finding's file is, where that is not the image's own:
// content an operating-system package installed unchanged, or a language
// package's. Default gates count only the image's own files (the empty
// class); a policy may gate either class.
type Class string

// The classes.
const (
	// ClassVendor is a file an operating-system package installed and
	// that still has the checksum the package database recorded.
	ClassVendor Class = "vendor"
	// ClassThirdParty is a file inside a language package's directory
	// (node_modules/x, site-packages/x, a gem, a vendor directory).
	ClassThirdParty Class = "third_party"
)
