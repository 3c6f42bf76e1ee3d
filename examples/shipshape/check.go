package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/report"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sign"
)

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", "usage: shipshape check IMAGE --policy FILE [--db PATH] [flags]\n",
		`The gate: one read of the image (SBOM, secrets, hardening), vulnerability matching, signature
evidence when asked, then the policy's decision over it all (shipshape.Check). Exit 1 when the
policy denies, and when a layer could not be read whole (unless --allow-incomplete).

Formats: table (the decision), json (below), junit (one test case per rule), sarif (one run:
vulnerabilities, secrets, hardening findings and policy violations), html (one self-contained
page of the evidence and the decision).

`+inspectionJSONHelp+`The SBOM is left out unless --include-sbom.
`, stdout, stderr)
	policyFile := fs.String("policy", "", "the policy, YAML or JSON (`FILE`, required)")
	db := addDBFlags(fs, defaultStore)
	verification := fs.String("verification", "", "signature verification evidence, JSON (`FILE`): what 'shipshape verify --output' writes, or a list of policy.SignatureEvidence")
	key := fs.String("key", "", "verify the image's signatures and attestations with this public `KEY` (file or KMS URI) and give the outcome to the policy; registry: and oci-layout: images")
	format := fs.String("format", "table", "output format: table, json, junit, sarif or html")
	out := fs.String("output", "", "write to `FILE` instead of standard output")
	withSBOM := fs.Bool("include-sbom", false, "json: include the SBOM in the evidence")
	allowIncomplete := fs.Bool("allow-incomplete", false, "judge an image whose layers could not all be read whole, or did not match their diff_ids: the policy warns instead of denying (policy.WithIncompleteAction(policy.Warn))")
	rf := addReadFlags(fs, true)
	arg, code, ok := fs.one(args, "IMAGE")
	if !ok {
		return code
	}
	if *policyFile == "" {
		return fs.usageError("--policy is required")
	}
	html := *format == "html"
	f := policy.FormatTable
	if !html {
		var err error
		if f, err = policy.ParseFormat(*format); err != nil {
			return fs.usageError("--format: %v (or html)", err)
		}
	}
	var popts []policy.Option
	if *allowIncomplete {
		popts = append(popts, policy.WithIncompleteAction(policy.Warn))
	}
	p, err := policy.LoadFile(*policyFile, popts...)
	if err != nil {
		return fail(stderr, err)
	}
	mopts, err := db.matchOptions()
	if err != nil {
		return fail(stderr, err)
	}
	var opts []shipshape.Option
	vdb, err := db.open(ctx, stderr, *rf.quiet)
	switch {
	case errors.Is(err, errNoDB):
		// Vulnerabilities are missing evidence, and the rules say so.
		rf.warn(stderr, "no vulnerability data (--db, or 'shipshape db fetch'): vulnerability rules will report missing evidence")
	case err != nil:
		return fail(stderr, err)
	default:
		defer vdb.Close()
		opts = append(opts, shipshape.WithDB(vdb, mopts...))
	}
	if *verification != "" {
		ev, err := readVerification(*verification)
		if err != nil {
			return fail(stderr, err)
		}
		opts = append(opts, shipshape.WithSignatures(ev...))
	}
	if *key != "" {
		ev, err := verifyForPolicy(ctx, arg, *key)
		if err != nil {
			return fail(stderr, err)
		}
		opts = append(opts, shipshape.WithSignatures(ev...))
	}
	src, err := openSource(ctx, arg, *rf.platform)
	if err != nil {
		return fail(stderr, err)
	}
	defer src.Close()
	lopts, bar, err := rf.start(stderr)
	if err != nil {
		return fail(stderr, err)
	}
	in, err := shipshape.Check(ctx, src, p, append(opts, shipshape.WithLayerOptions(lopts...))...)
	bar.done()
	if err != nil {
		return fail(stderr, err)
	}
	err = writeOutput(*out, stdout, func(w io.Writer) error {
		switch {
		case html:
			return report.HTML(w, in.Evidence, in.Decision)
		case f == policy.FormatJSON:
			return encodeInspection(w, in, *withSBOM)
		case f == policy.FormatSARIF:
			return shipshape.EncodeSARIF(w, in)
		}
		if err := policy.Encode(w, in.Decision, f); err != nil {
			return err
		}
		if f == policy.FormatTable && in.Evidence.Scan != nil {
			// The decision's table does not carry the scan's report:
			// what could not be checked is said after it.
			fmt.Fprintln(w)
			printCoverage(w, in.Evidence.Scan)
		}
		return nil
	})
	if err != nil {
		return fail(stderr, err)
	}
	if html || f != policy.FormatTable || *out != "" {
		rf.note(stderr, "%s", in.Decision.Summary())
	}
	if r := in.Evidence.Scan; r != nil && !html && f == policy.FormatJUnit {
		// JUnit has no place for them.
		for _, wn := range r.Warnings {
			rf.warn(stderr, "%s", printable(wn.Message))
		}
	}
	if in.Complete() || *allowIncomplete {
		warnIncomplete(stderr, rf, in)
	} else {
		// The reason of the failure: said even with --quiet.
		for _, e := range in.Evidence.Incomplete {
			fmt.Fprintf(stderr, "shipshape: layer %s: %v\n", result.ShortDigest(e.Layer), e.Err)
		}
		fmt.Fprintln(stderr, "shipshape: failing: the image could not be read whole (--allow-incomplete to judge it anyway)")
	}
	if !in.Passed() {
		return exitGate
	}
	return exitOK
}

// readVerification reads signature evidence (policy.ReadSignatureEvidence).
func readVerification(path string) ([]policy.SignatureEvidence, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ev, err := policy.ReadSignatureEvidence(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ev, nil
}

// verifyForPolicy verifies the image's signatures, and its attestations of
// every type, with key, as evidence: a failed verification is evidence
// too (unverified, with the reason); only an operational error fails.
func verifyForPolicy(ctx context.Context, arg, key string) ([]policy.SignatureEvidence, error) {
	ref, err := signRef(arg)
	if err != nil {
		return nil, err
	}
	verifier, err := loadVerifier(ctx, key)
	if err != nil {
		return nil, err
	}
	var out []policy.SignatureEvidence
	v, err := sign.Verify(ctx, ref, verifier)
	var verr *sign.VerificationError
	if err != nil && !errors.As(err, &verr) {
		return nil, err
	}
	out = append(out, v.Evidence()...)
	a, err := sign.VerifyAttestations(ctx, ref, verifier, "")
	switch {
	case err == nil:
		out = append(out, a.Evidence()...)
	case errors.As(err, &verr):
		// No attestations, or none that verify: signatures stand alone.
	default:
		return nil, err
	}
	return out, nil
}
