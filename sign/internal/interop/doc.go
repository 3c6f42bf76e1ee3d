// Package interop holds the test that checks package sign against the
// real cosign command: cosign verifies what sign writes, and sign
// verifies what cosign writes. It runs when SHIPSHAPE_INTEGRATION=1 and
// builds cosign from the version in sign/go.mod.
package interop
