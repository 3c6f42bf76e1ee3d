package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/secrets"
)

// inspectionJSONHelp documents the JSON of inspect and check.
const inspectionJSONHelp = `JSON output is the library's shipshape.Inspection:

  {"schema_version": "1",
   "evidence": {"name", "reference", "digest", "config", "created",
                "sbom", "scan", "hardening", "secrets", "signatures", "incomplete"},
   "decision": {"verdict", "rules", "violations", …}}      (check only)

A part that was not gathered is absent: "scan" without vulnerability data, "hardening" for a
directory, "signatures" without --key or --verification. "incomplete" lists the layers that
could not be read whole (the evidence drawn from them is partial). In "config", the values of
environment variables are redacted, and so are labels and history steps that hold a credential
the scan found.
`

func runInspect(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("inspect", "usage: shipshape inspect IMAGE|dir:PATH [flags]\n",
		`One read of the image (or directory) for its SBOM, its secrets (every layer, and the config)
and its hardening findings (images only); with --db, its vulnerabilities too.

`+inspectionJSONHelp+`The SBOM is in "evidence.sbom". sarif is one run with every kind of finding.
`, stdout, stderr)
	format := fs.String("format", "table", "output format: table, json or sarif")
	out := fs.String("output", "", "write to `FILE` instead of standard output")
	noSecrets := fs.Bool("no-secrets", false, "leave the secret scan out")
	noHardening := fs.Bool("no-hardening", false, "leave the hardening checks out")
	failOn := fs.String("fail-on", "none", "exit 1 when a secret (in the image's own files), hardening finding or unsuppressed vulnerability of this `SEVERITY` or higher is found (low, medium, high, critical, or none for no gate)")
	unratedFlag := fs.String("unrated", "deny", unratedHelp)
	db := addDBFlags(fs, "default: none, no vulnerabilities are matched")
	rf := addReadFlags(fs, true)
	arg, code, ok := fs.one(args, "IMAGE")
	if !ok {
		return code
	}
	switch *format {
	case "table", "json", "sarif":
	default:
		return fs.usageError("--format: %v %q (want table, json or sarif)", result.ErrUnknownFormat, *format)
	}
	threshold, gate, err := parseFailOn(*failOn)
	if err != nil {
		return fs.usageError("%v", err)
	}
	unrated, err := parseUnrated(*unratedFlag)
	if err != nil {
		return fs.usageError("%v", err)
	}
	if *db.path == "" && (*db.cacheDir != "" || len(db.vex) > 0) {
		return fs.usageError("--cache-dir, --vex and --ignore apply to vulnerability data: pass --db too")
	}
	var opts []shipshape.Option
	if *noSecrets {
		opts = append(opts, shipshape.WithoutSecrets())
	}
	if *noHardening {
		opts = append(opts, shipshape.WithoutHardening())
	}
	if *db.path != "" {
		mopts, err := db.matchOptions()
		if err != nil {
			return fail(stderr, err)
		}
		vdb, err := db.open(ctx, stderr, *rf.quiet)
		if err != nil {
			return fail(stderr, err)
		}
		defer vdb.Close()
		opts = append(opts, shipshape.WithDB(vdb, mopts...))
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
	in, err := shipshape.Inspect(ctx, src, append(opts, shipshape.WithLayerOptions(lopts...))...)
	bar.done()
	if err != nil {
		return fail(stderr, err)
	}
	err = writeOutput(*out, stdout, func(w io.Writer) error {
		switch *format {
		case "json":
			return encodeInspection(w, in, true)
		case "sarif":
			return shipshape.EncodeSARIF(w, in)
		}
		return inspectTable(w, in)
	})
	if err != nil {
		return fail(stderr, err)
	}
	warnIncomplete(stderr, rf, in)
	if gate {
		if max, kind, any := maxFinding(in); any && max >= threshold {
			fmt.Fprintf(stderr, "shipshape: failing: a %s %s is at or above --fail-on %s\n", max, kind, threshold)
			return exitGate
		}
		if in.Evidence.Scan != nil && gateUnrated(stderr, rf, in.Evidence.Scan, unrated) {
			return exitGate
		}
	}
	return exitOK
}

// maxFinding returns the highest severity among the secrets (those in
// the image's own files: not a package's unchanged file, nor a language
// package's), hardening findings and active vulnerabilities of an
// inspection, and what it is.
func maxFinding(in *shipshape.Inspection) (max result.Severity, kind string, any bool) {
	see := func(s result.Severity, k string) {
		if !any || s > max {
			max, kind = s, k
		}
		any = true
	}
	ev := in.Evidence
	if ev.Secrets != nil {
		for _, f := range ev.Secrets.Findings {
			if f.Class == "" {
				see(f.Severity, "secret")
			}
		}
	}
	if ev.Hardening != nil {
		if s, ok := ev.Hardening.MaxSeverity(); ok {
			see(s, "hardening finding")
		}
	}
	if ev.Scan != nil {
		if s, ok := ev.Scan.MaxSeverity(); ok {
			see(s, "vulnerability")
		}
	}
	return max, kind, any
}

// warnIncomplete says which layers could not be read whole.
func warnIncomplete(stderr io.Writer, rf *readFlags, in *shipshape.Inspection) {
	for _, e := range in.Evidence.Incomplete {
		rf.warn(stderr, "layer %s could not be read whole, the evidence drawn from it is partial: %v", result.ShortDigest(e.Layer), e.Err)
	}
}

// encodeInspection writes the inspection's JSON (shipshape.Inspection),
// without the SBOM unless withSBOM. The image config comes out with its
// possible secrets redacted (policy.Input's JSON).
func encodeInspection(w io.Writer, in *shipshape.Inspection, withSBOM bool) error {
	if in.Evidence != nil {
		ev := *in.Evidence
		if !withSBOM {
			ev.SBOM = nil
		}
		c := *in
		c.Evidence = &ev
		in = &c
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(in)
}

func inspectTable(w io.Writer, in *shipshape.Inspection) error {
	ev := in.Evidence
	fmt.Fprintf(w, "%s:", ev.Name)
	if s := ev.SBOM; s != nil {
		fmt.Fprintf(w, " %d packages", len(s.Packages))
		if s.Distro != nil {
			fmt.Fprintf(w, " on %s %s", s.Distro.ID, s.Distro.VersionID)
		}
		if ev.Config != nil {
			fmt.Fprintf(w, ", %d layers", len(s.Source.Layers))
		}
	}
	fmt.Fprintln(w)
	if ev.Digest != "" {
		fmt.Fprintf(w, "digest %s\n", ev.Digest)
	}
	if ev.Secrets != nil {
		fmt.Fprintln(w)
		if err := secrets.Encode(w, ev.Secrets, secrets.FormatTable); err != nil {
			return err
		}
	}
	if ev.Hardening != nil {
		fmt.Fprintln(w)
		if err := harden.Encode(w, ev.Hardening, harden.FormatTable); err != nil {
			return err
		}
	}
	if ev.Scan != nil {
		fmt.Fprintln(w)
		if err := scan.Encode(w, ev.Scan, scan.FormatTable); err != nil {
			return err
		}
	}
	return nil
}
