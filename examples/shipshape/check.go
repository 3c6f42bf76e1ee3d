package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/report"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/secrets"
	"github.com/shipshape-dev/shipshape/sign"
)

// checkResult is the JSON form of a check: the decision and the evidence
// it was made on (the SBOM is left out; 'shipshape sbom' writes it).
type checkResult struct {
	SchemaVersion string                `json:"schema_version"`
	Decision      *policy.Decision      `json:"decision"`
	Scan          *scan.Report          `json:"scan,omitempty"`
	Hardening     *scan.HardeningReport `json:"hardening"`
	Secrets       *secrets.Report       `json:"secrets,omitempty"`
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	policyFile := fs.String("policy", "", "the policy, YAML or JSON (`FILE`, required)")
	dbPath := fs.String("db", "", "vulnerability data (`PATH`; default: the store 'shipshape db fetch' keeps; without any, vulnerability rules report missing evidence)")
	cacheDir := fs.String("cache-dir", "", "where stores built from --db input are kept")
	verification := fs.String("verification", "", "signature verification evidence, JSON (`FILE`), for 'signed' rules")
	key := fs.String("key", "", "verify the image's signatures (and attestations, for 'signed' rules with predicate types) with this public `KEY` (file or KMS URI); registry: and oci-layout: images")
	format := fs.String("format", "table", "output format: table, json, junit, sarif or html (one self-contained page)")
	out := fs.String("output", "", "write to `FILE` instead of standard output")
	platform := fs.String("platform", "", "platform of a multi-platform image, os/arch[/variant]")
	quiet := fs.Bool("quiet", false, "no progress bar, no warnings")
	verbose := fs.Bool("verbose", false, "say what was read, and how long it took, on stderr")
	lc := addLayerCacheFlags(fs)
	allowIncomplete := fs.Bool("allow-incomplete", false, "judge an image whose layers could not all be read whole, or did not match their diff_ids, instead of failing it")
	var vex multiFlag
	fs.Var(&vex, "vex", "VEX document or ignore file whose statements suppress findings (`FILE`, repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: shipshape check IMAGE --policy FILE [--db PATH] [flags]")
		fmt.Fprintln(stderr, "\nOne read of the image (SBOM, secrets, hardening), vulnerability matching, then the policy. Exit 1 on deny.")
		fs.PrintDefaults()
	}
	arg, ok := oneArg(fs, args, func() bool { return *policyFile != "" })
	if !ok {
		return exitError
	}
	html := *format == "html"
	f := policy.FormatTable
	var err error
	if !html {
		if f, err = policy.ParseFormat(*format); err != nil {
			return fail(stderr, err)
		}
	}
	p, err := policy.LoadFile(*policyFile)
	if err != nil {
		return fail(stderr, err)
	}
	var mopts []scan.MatchOption
	for _, v := range vex {
		s, err := scan.LoadSuppressions(v)
		if err != nil {
			return fail(stderr, err)
		}
		mopts = append(mopts, scan.WithSuppressions(s))
	}
	t, err := openTarget(ctx, arg, *platform)
	if err != nil {
		return fail(stderr, err)
	}
	defer t.Close()
	cache, err := lc.open()
	if err != nil {
		return fail(stderr, err)
	}
	bar := newProgressBar(stderr, *quiet, *verbose)
	bar.cache = cache
	iopts := append([]shipshape.InspectOption{shipshape.WithProgress(bar.update)}, withLayerCache(cache)...)
	in, err := t.Inspect(ctx, iopts...)
	bar.done()
	if err != nil {
		return fail(stderr, err)
	}
	rep := &scan.Report{SchemaVersion: scan.ReportSchemaVersion, Source: in.SBOM.Source, Distro: in.SBOM.Distro, Findings: []scan.Finding{}}
	dbar := newProgressBar(stderr, *quiet, false)
	db, err := openDB(ctx, *dbPath, *cacheDir, scan.WithBuildOptions(scan.WithBuildProgress(dbar.build)))
	dbar.done()
	switch {
	case errors.Is(err, errNoDB):
		rep = nil // vulnerabilities are missing evidence, and rules say so
		if !*quiet {
			fmt.Fprintln(stderr, "shipshape: warning: no vulnerability data (--db, or 'shipshape db fetch'): vulnerability rules will report missing evidence")
		}
	case err != nil:
		return fail(stderr, err)
	default:
		defer db.Close()
		if rep, err = scan.Match(ctx, db, in.SBOM, mopts...); err != nil {
			return fail(stderr, err)
		}
	}
	pin, err := policy.InputFromImage(t.Image, registryRef(t))
	if err != nil {
		return fail(stderr, err)
	}
	pin.Digest = t.Digest
	pin.SBOM, pin.Secrets, pin.Hardening = in.SBOM, in.Secrets, in.Hardening
	if rep != nil {
		rep.AddHardening(in.Hardening)
		pin.Scan = rep
	}
	if *verification != "" {
		if pin.Signatures, err = readVerification(*verification); err != nil {
			return fail(stderr, err)
		}
	}
	if *key != "" {
		ev, err := verifyForPolicy(ctx, arg, *key)
		if err != nil {
			return fail(stderr, err)
		}
		pin.Signatures = append(pin.Signatures, ev...)
	}
	d, err := p.Evaluate(ctx, pin)
	if err != nil {
		return fail(stderr, err)
	}
	w, closeOut, err := output(*out, stdout)
	if err != nil {
		return fail(stderr, err)
	}
	switch {
	case html:
		err = report.HTML(w, &report.Input{Image: t.Name, SBOM: in.SBOM, Scan: rep, Secrets: in.Secrets, Hardening: in.Hardening, Decision: d})
	case f == policy.FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		err = enc.Encode(checkResult{SchemaVersion: "1", Decision: d, Scan: pin.Scan, Hardening: in.Hardening, Secrets: in.Secrets})
	default:
		err = policy.Encode(w, d, f)
	}
	if err != nil {
		closeOut()
		return fail(stderr, err)
	}
	if err := closeOut(); err != nil {
		return fail(stderr, err)
	}
	if (html || f != policy.FormatTable) && !*quiet {
		fmt.Fprintf(stderr, "shipshape: %s\n", d.Summary())
	}
	if d.Verdict == policy.VerdictDeny {
		return exitGate
	}
	if problems := incomplete(in.SBOM); len(problems) > 0 && !*allowIncomplete {
		// The evidence the policy passed is not the whole image: fail
		// closed, unless the caller accepts that.
		for _, p := range problems {
			fmt.Fprintf(stderr, "shipshape: %s\n", p)
		}
		fmt.Fprintln(stderr, "shipshape: failing: the image could not be read whole (--allow-incomplete to judge it anyway)")
		return exitGate
	}
	return exitOK
}

// incomplete lists what makes an SBOM's evidence partial: layers that
// did not match their diff_id, and layers cut short by a budget or a
// broken stream.
func incomplete(s *sbom.SBOM) []string {
	var out []string
	for _, e := range s.Errors {
		if e.Path == "" && (errors.Is(e.Err, sbom.ErrIntegrity) || errors.Is(e.Err, sbom.ErrBudget) || errors.Is(e.Err, sbom.ErrLayer)) {
			out = append(out, fmt.Sprintf("layer %s: %v", result.ShortDigest(e.Layer), e.Err))
		}
	}
	return out
}

// registryRef is the reference an image was pulled by, or "".
func registryRef(t *shipshape.Target) string {
	if t.Scheme == shipshape.SchemeRegistry {
		return t.Name
	}
	return ""
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
