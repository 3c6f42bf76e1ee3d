package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/secrets"
)

// inspection is the JSON form of shipshape.Inspection.
type inspection struct {
	SchemaVersion string                `json:"schema_version"`
	SBOM          *sbom.SBOM            `json:"sbom,omitempty"`
	Secrets       *secrets.Report       `json:"secrets,omitempty"`
	Hardening     *scan.HardeningReport `json:"hardening,omitempty"`
}

func runInspect(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "table", "output format: table or json")
	out := fs.String("output", "", "write to `FILE` instead of standard output")
	platform := fs.String("platform", "", "platform of a multi-platform image, os/arch[/variant]")
	noSecrets := fs.Bool("no-secrets", false, "leave the secret scan out")
	noHardening := fs.Bool("no-hardening", false, "leave the hardening checks out")
	failOn := fs.String("fail-on", "", "exit 1 when a secret or hardening finding of this `SEVERITY` or higher is found")
	quiet := fs.Bool("quiet", false, "no progress bar")
	verbose := fs.Bool("verbose", false, "say what was read, and how long it took, on stderr")
	lc := addLayerCacheFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: shipshape inspect IMAGE [flags]\n\nOne read of the image for its SBOM, its secrets (every layer) and its hardening findings.")
		fs.PrintDefaults()
	}
	arg, ok := oneArg(fs, args, func() bool { return *format == "table" || *format == "json" })
	if !ok {
		return exitError
	}
	var threshold result.Severity
	var err error
	if *failOn != "" {
		if threshold, err = result.ParseSeverity(*failOn); err != nil {
			return fail(stderr, err)
		}
	}
	cache, err := lc.open()
	if err != nil {
		return fail(stderr, err)
	}
	t, err := openTarget(ctx, arg, *platform)
	if err != nil {
		return fail(stderr, err)
	}
	defer t.Close()
	bar := newProgressBar(stderr, *quiet, *verbose)
	bar.cache = cache
	opts := append([]shipshape.InspectOption{shipshape.WithProgress(bar.update)}, withLayerCache(cache)...)
	if *noSecrets {
		opts = append(opts, shipshape.WithoutSecrets())
	}
	if *noHardening {
		opts = append(opts, shipshape.WithoutHardening())
	}
	in, err := t.Inspect(ctx, opts...)
	bar.done()
	if err != nil {
		return fail(stderr, err)
	}
	w, closeOut, err := output(*out, stdout)
	if err != nil {
		return fail(stderr, err)
	}
	if *format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		err = enc.Encode(inspection{SchemaVersion: "1", SBOM: in.SBOM, Secrets: in.Secrets, Hardening: in.Hardening})
	} else {
		err = inspectTable(w, in)
	}
	if err != nil {
		closeOut()
		return fail(stderr, err)
	}
	if err := closeOut(); err != nil {
		return fail(stderr, err)
	}
	if *failOn != "" {
		max := result.SeverityUnknown
		any := false
		if in.Secrets != nil {
			for _, f := range in.Secrets.Findings {
				any, max = true, maxSeverity(max, f.Severity)
			}
		}
		if in.Hardening != nil {
			for _, f := range in.Hardening.Findings {
				any, max = true, maxSeverity(max, f.Severity)
			}
		}
		if any && max >= threshold {
			fmt.Fprintf(stderr, "shipshape: failing: a %s finding is at or above --fail-on %s\n", max, threshold)
			return exitGate
		}
	}
	return exitOK
}

func maxSeverity(a, b result.Severity) result.Severity {
	if b > a {
		return b
	}
	return a
}

func inspectTable(w io.Writer, in *shipshape.Inspection) error {
	fmt.Fprintf(w, "%s: %d packages", in.SBOM.Source.Name, len(in.SBOM.Packages))
	if in.SBOM.Distro != nil {
		fmt.Fprintf(w, " on %s %s", in.SBOM.Distro.ID, in.SBOM.Distro.VersionID)
	}
	fmt.Fprintf(w, ", %d layers\n\n", len(in.SBOM.Source.Layers))
	if in.Secrets != nil {
		if err := secrets.Encode(w, in.Secrets, secrets.FormatTable); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	if in.Hardening != nil {
		rep := &scan.Report{SchemaVersion: scan.ReportSchemaVersion, Source: in.SBOM.Source, Findings: []scan.Finding{}}
		rep.AddHardening(in.Hardening)
		if len(rep.Hardening) == 0 {
			fmt.Fprintln(w, "0 hardening findings")
			return nil
		}
		return scan.Encode(w, rep, scan.FormatTable)
	}
	return nil
}
