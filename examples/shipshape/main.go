// Command shipshape is the reference command-line interface of the
// shipshape library, built only on its public API.
//
//	shipshape sbom IMAGE [--format cyclonedx-json|cyclonedx-xml|json|table] [--output FILE]
//	shipshape scan IMAGE|sbom:FILE [--checks vuln|hardening|all] [--db PATH] [--format table|json|sarif|cyclonedx-json|cyclonedx-xml] [--fail-on SEVERITY] [--vex FILE] [--skip-check ID]
//	shipshape db fetch --ecosystem NAME | --for IMAGE;  shipshape db build --output FILE INPUT...;  shipshape db info
//	shipshape check IMAGE --policy FILE [--db PATH] [--verification FILE] [--format table|json|junit|sarif]
//	shipshape inspect IMAGE [--format table|json] [--no-secrets] [--no-hardening] [--fail-on SEVERITY]
//	shipshape secrets IMAGE|dir:PATH [--config FILE] [--baseline FILE] [--format table|json|sarif] [--fail-on SEVERITY]
//	shipshape policy evaluate --policy FILE [--sbom FILE] [--report FILE [--hardening-checked]] [--secrets FILE] [--verification FILE] [--image IMAGE] [--format table|json|junit|sarif]
//	shipshape keygen [--output-key-prefix cosign] [--force]
//	shipshape sign IMAGE --key cosign.key|KMS-URI [-a key=value]... [--platforms]
//	shipshape verify IMAGE --key cosign.pub|KMS-URI [-a key=value]... [--format json|table] [--output FILE]
//	shipshape verify IMAGE --trusted-root FILE --certificate-identity[-regexp] ID --certificate-oidc-issuer[-regexp] URL [--insecure-ignore-sct]
//	shipshape attest IMAGE --predicate FILE --type cyclonedx|vuln|slsaprovenance|URI --key KEY [--replace] [--platforms]
//	shipshape verify-attestation IMAGE --key KEY [--type TYPE] [--format json|table] [--output FILE]
//
// IMAGE is registry:REF, docker-archive:PATH, oci-layout:DIR,
// oci-archive:PATH or dir:PATH; a bare reference means registry:. Exit
// codes: 0 success, 1 a gate failed (including a failed verification), 2
// a usage or operational error. Private keys are read with the password in
// $COSIGN_PASSWORD; KMS URIs are awskms://, gcpkms://, azurekms:// and
// hashivault://.
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
