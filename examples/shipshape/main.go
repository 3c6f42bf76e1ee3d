// Command shipshape is the reference command-line interface of the
// shipshape library, built only on its public API.
//
//	shipshape sbom IMAGE [--format cyclonedx-json|cyclonedx-xml|json|table] [--serial-number URN] [--timestamp RFC3339]
//	shipshape scan IMAGE|sbom:FILE [--checks vuln|hardening|all] [--db PATH] [--format table|json|sarif|cyclonedx-json|cyclonedx-xml] [--fail-on SEVERITY|none] [--vex FILE] [--ignore FILE] [--skip-check ID]
//	shipshape db fetch --ecosystem NAME | --for IMAGE;  shipshape db build --output FILE INPUT...;  shipshape db info
//	shipshape check IMAGE --policy FILE [--db PATH] [--key KEY] [--verification FILE] [--allow-incomplete] [--format table|json|junit|sarif|html] [--include-sbom]
//	shipshape inspect IMAGE|dir:PATH [--format table|json|sarif] [--db PATH] [--no-secrets] [--no-hardening] [--fail-on SEVERITY|none]
//	shipshape secrets IMAGE|dir:PATH [--config FILE] [--baseline FILE] [--format table|json|sarif] [--fail-on SEVERITY|none]
//	shipshape policy evaluate --policy FILE [--evidence FILE] [--sbom FILE] [--report FILE] [--hardening FILE] [--secrets FILE] [--verification FILE] [--image IMAGE] [--format table|json|junit|sarif]
//	shipshape keygen [--output-key-prefix cosign] [--force]
//	shipshape sign IMAGE --key cosign.key|KMS-URI [-a key=value]... [--platforms]
//	shipshape verify IMAGE --key cosign.pub|KMS-URI [-a key=value]... [--format json|table] [--output FILE]
//	shipshape verify IMAGE --trusted-root FILE --certificate-identity[-regexp] ID --certificate-oidc-issuer[-regexp] URL [--insecure-ignore-sct]
//	shipshape attest IMAGE --predicate FILE --type cyclonedx|vuln|slsaprovenance|URI --key KEY [--replace] [--platforms]
//	shipshape verify-attestation IMAGE --key KEY [--type TYPE] [--format json|table] [--output FILE]
//	shipshape version | --version
//
// Every command that reads an image takes --platform, --quiet, --verbose
// and --concurrency, and those whose read can be cached --layer-cache and
// --no-layer-cache. -h or --help prints a command's usage on standard
// output. --output FILE writes the result to a file; progress and
// diagnostics go to standard error only.
//
// IMAGE is registry:REF, docker-archive:PATH, oci-layout:DIR[:NAME],
// oci-archive:PATH[:NAME] or dir:PATH; a bare reference means registry:.
// Exit codes: 0 success, 1 a gate failed (--fail-on, a denied policy, a
// failed verification), 2 a usage or operational error. Private keys are
// read with the password in $COSIGN_PASSWORD; KMS URIs are awskms://,
// gcpkms://, azurekms:// and hashivault://.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
