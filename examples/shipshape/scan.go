package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/layercache"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
)

// multiFlag collects a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func runScan(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "table", "output format: table, json, sarif, cyclonedx-json or cyclonedx-xml")
	out := fs.String("output", "", "write to `FILE` instead of standard output")
	dbPath := fs.String("db", "", "vulnerability data: a store, or OSV JSON files / <Ecosystem>/all.zip in a `PATH` (default: the store 'shipshape db fetch' keeps)")
	cacheDir := fs.String("cache-dir", "", "where stores built from --db input are kept (default: the user cache directory)")
	failOn := fs.String("fail-on", "", "exit 1 when a finding of this `SEVERITY` or higher is not suppressed (low, medium, high, critical)")
	maxAge := fs.Int("max-db-age", 0, "warn when the vulnerability data is older than `DAYS`")
	matchOwned := fs.Bool("match-owned", false, "also match language packages the distribution installed in their language ecosystem")
	platform := fs.String("platform", "", "platform of a multi-platform image, os/arch[/variant]")
	checks := fs.String("checks", "vuln", "what to check: vuln (vulnerabilities), hardening (image misconfiguration) or all")
	var skip multiFlag
	fs.Var(&skip, "skip-check", "hardening check to leave out (`ID`, repeatable)")
	maxImageAge := fs.Int("max-image-age", 365, "hardening: report images built more than `DAYS` ago")
	distroless := fs.Bool("distroless", false, "hardening: the image is meant to be distroless, so any shell in it is reported")
	lc := addLayerCacheFlags(fs)
	var vex multiFlag
	fs.Var(&vex, "vex", "OpenVEX or CycloneDX VEX document, or ignore file, whose statements suppress findings (`FILE`, repeatable)")
	fs.Var(&vex, "ignore", "ignore file (YAML: id, package, reason, expires) (`FILE`, repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: shipshape scan IMAGE|sbom:FILE [flags]")
		fs.PrintDefaults()
	}
	arg, ok := oneArg(fs, args)
	if !ok {
		return exitError
	}
	f, err := scan.ParseFormat(*format)
	if err != nil {
		return fail(stderr, err)
	}
	var threshold result.Severity
	if *failOn != "" {
		if threshold, err = result.ParseSeverity(*failOn); err != nil {
			return fail(stderr, err)
		}
	}
	vuln, hardening := *checks == "vuln" || *checks == "all", *checks == "hardening" || *checks == "all"
	if !vuln && !hardening {
		fmt.Fprintf(stderr, "shipshape: --checks %q, want vuln, hardening or all\n", *checks)
		return exitError
	}
	var checker *scan.Checker
	if hardening {
		cs := scan.DefaultChecks()
		for i := range cs {
			switch cs[i].ID {
			case "image-age":
				cs[i] = scan.ImageAgeCheck(time.Duration(*maxImageAge) * 24 * time.Hour)
			case "shell-in-distroless":
				cs[i] = scan.ShellInDistrolessCheck(*distroless)
			}
		}
		if checker, err = scan.NewChecker(scan.WithChecks(cs...), scan.WithoutChecks(skip...)); err != nil {
			return fail(stderr, err)
		}
	}
	var mopts []scan.MatchOption
	for _, p := range vex {
		s, err := scan.LoadSuppressions(p)
		if err != nil {
			return fail(stderr, err)
		}
		mopts = append(mopts, scan.WithSuppressions(s))
	}
	if *maxAge > 0 {
		mopts = append(mopts, scan.WithMaxDBAge(time.Duration(*maxAge)*24*time.Hour))
	}
	if *matchOwned {
		mopts = append(mopts, scan.WithOwnedLanguagePackages())
	}
	cache, err := lc.open()
	if err != nil {
		return fail(stderr, err)
	}
	var rep *scan.Report
	if vuln {
		var hr *scan.HardeningReport
		var s *sbom.SBOM
		if checker != nil && !strings.HasPrefix(arg, "sbom:") {
			// Both from one read of the image.
			s, hr, err = inventoryAndHarden(ctx, checker, arg, *platform, cache)
		} else {
			s, err = inventory(ctx, arg, *platform, cache, func(t *shipshape.Target) (err error) {
				if checker != nil {
					hr, err = harden(ctx, checker, t)
				}
				return err
			})
		}
		if err != nil {
			return fail(stderr, err)
		}
		bar := newProgressBar(stderr, false, false)
		db, err := openDB(ctx, *dbPath, *cacheDir, scan.WithBuildOptions(scan.WithBuildProgress(bar.build)))
		bar.done()
		if err != nil {
			return fail(stderr, err)
		}
		defer db.Close()
		if rep, err = scan.Match(ctx, db, s, mopts...); err != nil {
			return fail(stderr, err)
		}
		if hr != nil {
			rep.AddHardening(hr)
		}
	} else {
		if rep, err = hardeningOnly(ctx, checker, arg, *platform, cache); err != nil {
			return fail(stderr, err)
		}
		if f == scan.FormatCycloneDXJSON || f == scan.FormatCycloneDXXML {
			return fail(stderr, fmt.Errorf("--checks hardening has no SBOM to write as %s; use --checks all", f))
		}
	}
	w, closeOut, err := output(*out, stdout)
	if err != nil {
		return fail(stderr, err)
	}
	if err := scan.Encode(w, rep, f); err != nil {
		closeOut()
		return fail(stderr, err)
	}
	if err := closeOut(); err != nil {
		return fail(stderr, err)
	}
	if f != scan.FormatTable {
		for _, wn := range rep.Warnings {
			fmt.Fprintf(stderr, "shipshape: warning: %s\n", wn.Message)
		}
	}
	if *failOn != "" {
		if max, any := rep.MaxSeverity(); any && max >= threshold {
			fmt.Fprintf(stderr, "shipshape: failing: a %s vulnerability is at or above --fail-on %s\n", max, threshold)
			return exitGate
		}
		if max, any := rep.MaxHardeningSeverity(); any && max >= threshold {
			fmt.Fprintf(stderr, "shipshape: failing: a %s hardening finding is at or above --fail-on %s\n", max, threshold)
			return exitGate
		}
	}
	return exitOK
}

// harden runs the hardening checks over an opened image; the reference
// goes to the tag checks only when the image came from a registry.
func harden(ctx context.Context, c *scan.Checker, t *shipshape.Target) (*scan.HardeningReport, error) {
	if t == nil {
		return nil, errors.New("hardening checks need an image, not an SBOM")
	}
	if t.Image == nil {
		return nil, fmt.Errorf("hardening checks need an image, not a directory (%s)", t.Name)
	}
	ref := ""
	if t.Scheme == shipshape.SchemeRegistry {
		ref = t.Name
	}
	return c.Check(ctx, t.Image, ref)
}

// inventoryAndHarden reads the image once for its SBOM and its hardening
// findings (shipshape.Inspect without the secret scan).
func inventoryAndHarden(ctx context.Context, c *scan.Checker, arg, platform string, cache *layercache.Cache) (*sbom.SBOM, *scan.HardeningReport, error) {
	t, err := openTarget(ctx, arg, platform)
	if err != nil {
		return nil, nil, err
	}
	defer t.Close()
	if t.Image == nil {
		return nil, nil, fmt.Errorf("hardening checks need an image, not a directory (%s)", t.Name)
	}
	opts := append([]shipshape.InspectOption{shipshape.WithoutSecrets(), shipshape.WithChecker(c)}, withLayerCache(cache)...)
	in, err := t.Inspect(ctx, opts...)
	if err != nil {
		return nil, nil, err
	}
	return in.SBOM, in.Hardening, nil
}

// hardeningOnly opens the image and runs the checks, with no vulnerability
// matching.
func hardeningOnly(ctx context.Context, c *scan.Checker, arg, platform string, cache *layercache.Cache) (*scan.Report, error) {
	if strings.HasPrefix(arg, "sbom:") {
		return nil, fmt.Errorf("hardening checks need an image, not an SBOM (%s)", arg)
	}
	t, err := openTarget(ctx, arg, platform)
	if err != nil {
		return nil, err
	}
	defer t.Close()
	if t.Image == nil {
		return nil, fmt.Errorf("hardening checks need an image, not a directory (%s)", t.Name)
	}
	opts := append([]shipshape.InspectOption{shipshape.WithoutSBOM(), shipshape.WithoutSecrets(), shipshape.WithChecker(c)}, withLayerCache(cache)...)
	in, err := t.Inspect(ctx, opts...)
	if err != nil {
		return nil, err
	}
	hr := in.Hardening
	rep := &scan.Report{SchemaVersion: scan.ReportSchemaVersion, Source: sbom.Source{Type: sbom.SourceImage, Name: t.Name, Digest: t.Digest}, Findings: []scan.Finding{}}
	if t.Scheme == shipshape.SchemeRegistry {
		rep.Source.Reference = t.Name
	}
	rep.AddHardening(hr)
	return rep, nil
}

// openTarget opens an image argument of the CLI.
func openTarget(ctx context.Context, arg, platform string) (*shipshape.Target, error) {
	ref, err := imageRef(arg)
	if err != nil {
		return nil, err
	}
	var oopts []shipshape.OpenOption
	if platform != "" {
		oopts = append(oopts, shipshape.WithPlatform(platform))
	}
	return shipshape.Open(ctx, ref, oopts...)
}

// inventory reads the SBOM of an image reference, or decodes sbom:FILE.
// also, when given, runs on the opened target before it is closed; cache,
// when set, is the layer cache.
func inventory(ctx context.Context, arg, platform string, cache *layercache.Cache, also func(*shipshape.Target) error) (*sbom.SBOM, error) {
	if p, ok := strings.CutPrefix(arg, "sbom:"); ok {
		if also != nil {
			if err := also(nil); err != nil {
				return nil, err
			}
		}
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return sbom.Decode(f)
	}
	t, err := openTarget(ctx, arg, platform)
	if err != nil {
		return nil, err
	}
	defer t.Close()
	if also != nil {
		if err := also(t); err != nil {
			return nil, err
		}
	}
	if cache != nil {
		return t.SBOM(ctx, sbom.WithLayerCache(cache))
	}
	return t.SBOM(ctx)
}

var errNoDB = errors.New("no vulnerability data: pass --db (a store, or a directory of OSV JSON files or <Ecosystem>/all.zip) or run 'shipshape db fetch'")

// openDB loads --db, or the store 'shipshape db fetch' keeps.
func openDB(ctx context.Context, path, cacheDir string, extra ...scan.LoadOption) (*scan.DB, error) {
	lopts := append([]scan.LoadOption(nil), extra...)
	if cacheDir != "" {
		lopts = append(lopts, scan.WithCacheDir(cacheDir))
	}
	if path != "" {
		return scan.LoadDB(ctx, path, lopts...)
	}
	dir := cacheDir
	if dir == "" {
		var err error
		if dir, err = scan.DefaultCacheDir(); err != nil {
			return nil, err
		}
	}
	store := scan.StorePath(dir)
	if _, err := os.Stat(store); err != nil {
		return nil, errNoDB
	}
	return scan.OpenDB(ctx, store)
}

func runDB(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: shipshape db fetch|build|info [flags]")
		return exitError
	}
	switch args[0] {
	case "fetch":
		return runDBFetch(ctx, args[1:], stdout, stderr)
	case "build":
		return runDBBuild(ctx, args[1:], stdout, stderr)
	case "info":
		return runDBInfo(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "shipshape: unknown db command %q (want fetch, build or info)\n", args[0])
	return exitError
}

func runDBFetch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("db fetch", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var ecos, images multiFlag
	fs.Var(&ecos, "ecosystem", "OSV ecosystem to download, as the bucket names it (`NAME`, repeatable: Debian, Go, PyPI, npm, …)")
	fs.Var(&images, "for", "download the ecosystems this `IMAGE` needs (repeatable)")
	base := fs.String("url", scan.DefaultBaseURL, "where <Ecosystem>/all.zip archives are served")
	cacheDir := fs.String("cache-dir", "", "where downloads and the store are kept (default: the user cache directory)")
	if _, err := parse(fs, args); err != nil {
		return exitError
	}
	for _, img := range images {
		s, err := inventory(ctx, img, "", nil, nil)
		if err != nil {
			return fail(stderr, err)
		}
		ecos = append(ecos, scan.Ecosystems(s)...)
	}
	if len(ecos) == 0 {
		fmt.Fprintln(stderr, "shipshape: name the data to fetch with --ecosystem or --for IMAGE")
		return exitError
	}
	opts := []scan.FetchOption{scan.WithEcosystems(ecos...), scan.WithBaseURL(*base)}
	if *cacheDir != "" {
		opts = append(opts, scan.WithFetchCacheDir(*cacheDir))
	}
	res, err := scan.FetchDB(ctx, opts...)
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "store %s: %d advisories (updated: %s; unchanged: %s)\n", res.Store, res.Info.Advisories,
		strings.Join(res.Updated, ", "), strings.Join(res.NotModified, ", "))
	return exitOK
}

func runDBBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("db build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("output", "", "the store to write (`FILE`)")
	inputs, err := parse(fs, args)
	if err != nil {
		return exitError
	}
	if *out == "" || len(inputs) == 0 {
		fmt.Fprintln(stderr, "usage: shipshape db build --output FILE INPUT...")
		return exitError
	}
	info, err := scan.BuildDB(ctx, *out, inputs)
	if err != nil {
		return fail(stderr, err)
	}
	printInfo(stdout, *out, info)
	return exitOK
}

func runDBInfo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("db info", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", "", "the store or OSV input (default: the store 'shipshape db fetch' keeps)")
	if _, err := parse(fs, args); err != nil {
		return exitError
	}
	db, err := openDB(ctx, *dbPath, "")
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	printInfo(stdout, *dbPath, db.Info())
	return exitOK
}

func printInfo(w io.Writer, name string, info scan.DBInfo) {
	fmt.Fprintf(w, "store %s: %d advisories, built %s, data from %s\n", name, info.Advisories,
		info.BuiltAt.Format(time.RFC3339), info.Snapshot().Format(time.DateOnly))
	for _, s := range info.Sources {
		fmt.Fprintf(w, "  %s: %d records (%s), %d withdrawn, %d skipped\n", s.Name, s.Records, strings.Join(s.Ecosystems, ", "), s.Withdrawn, s.Skipped)
	}
}
