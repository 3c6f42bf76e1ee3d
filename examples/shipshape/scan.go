package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
)

// ignoreFileHelp documents the ignore file in 'scan -h' (the format of
// scan.ParseSuppressions).
const ignoreFileHelp = `Suppressions: --vex FILE reads an OpenVEX document, a CycloneDX VEX document or an ignore
file (told apart by their content); --ignore FILE is the same flag. Suppressed findings stay
in the report, marked with the file, the entry and the reason, and do not count for --fail-on.
An ignore file is YAML, one entry per vulnerability (and package):

  ignore:
    - id: CVE-2023-43804              # vulnerability id or alias (CVE, GHSA, DSA, …); required
      package: pkg:pypi/urllib3       # optional: a purl (version optional), or a package name
      reason: our client sends no cookies across origins   # required
      expires: 2026-12-31             # optional, YYYY-MM-DD; the finding counts again the day after

Unknown keys are errors. An entry that matched nothing, or has expired, is a warning in the
report. examples/policies/ignore.yaml is an example.
`

func runScan(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("scan", "usage: shipshape scan IMAGE|sbom:FILE [--checks vuln|hardening|all] [flags]\n",
		`--checks vuln (the default) matches the packages of an image, a directory (dir:PATH) or a
CycloneDX SBOM (sbom:FILE) against vulnerability data: --db, or the store 'shipshape db fetch'
keeps. --checks hardening checks an image's configuration and filesystem for misconfigurations
(package harden), without vulnerability data. --checks all does both in one read of the image.

Output of --checks vuln: the vulnerability report (json: scan.Report; cyclonedx-json and
cyclonedx-xml: the SBOM with a vulnerabilities section). Of --checks hardening: the hardening
report (json: harden.Report, listing the checks that ran). Of --checks all: table prints both
tables; sarif is one run with both; json is the inspection shape of 'inspect' and 'check'
({"schema_version", "evidence": {"name", "reference", "digest", "config", "scan",
"hardening", "incomplete"}}; the SBOM is left out: 'shipshape sbom' writes it). CycloneDX
has no place for hardening findings: with --checks hardening or all it is refused.

`+ignoreFileHelp, stdout, stderr)
	format := fs.String("format", "table", "output format: table, json, sarif, cyclonedx-json or cyclonedx-xml")
	out := fs.String("output", "", "write to `FILE` instead of standard output")
	checks := fs.String("checks", "vuln", "what to check: vuln (vulnerabilities), hardening (image misconfiguration) or all")
	failOn := fs.String("fail-on", "none", "exit 1 when an unsuppressed vulnerability or a hardening finding of this `SEVERITY` or higher is found (low, medium, high, critical, or none for no gate)")
	unratedFlag := fs.String("unrated", "deny", unratedHelp)
	db := addDBFlags(fs, defaultStore)
	maxAge := fs.Int("max-db-age", 0, "warn when the vulnerability data is older than `DAYS`")
	matchOwned := fs.Bool("match-owned", false, "also match language packages the distribution installed in their language ecosystem")
	hf := addHardeningFlags(fs)
	rf := addReadFlags(fs, true)
	arg, code, ok := fs.one(args, "IMAGE or sbom:FILE")
	if !ok {
		return code
	}
	f, err := scan.ParseFormat(*format)
	if err != nil {
		return fs.usageError("--format: %v", err)
	}
	vuln, hardening := *checks == "vuln" || *checks == "all", *checks == "hardening" || *checks == "all"
	if !vuln && !hardening {
		return fs.usageError("--checks %q, want vuln, hardening or all", *checks)
	}
	sbomFile, fromSBOM := strings.CutPrefix(arg, "sbom:")
	cdx := f == scan.FormatCycloneDXJSON || f == scan.FormatCycloneDXXML
	switch {
	case hardening && fromSBOM:
		return fs.usageError("--checks %s needs an image, not an SBOM (%s)", *checks, arg)
	case hardening && cdx:
		return fs.usageError("--checks %s: CycloneDX has no place for hardening findings; use --format json, table or sarif, or --checks vuln", *checks)
	}
	threshold, gate, err := parseFailOn(*failOn)
	if err != nil {
		return fs.usageError("%v", err)
	}
	unrated, err := parseUnrated(*unratedFlag)
	if err != nil {
		return fs.usageError("%v", err)
	}
	var checker *harden.Checker
	if hardening {
		if checker, err = hf.checker(); err != nil {
			return fail(stderr, err)
		}
	}
	var mopts []scan.MatchOption
	var vdb *scan.DB
	if vuln {
		if mopts, err = db.matchOptions(); err != nil {
			return fail(stderr, err)
		}
		if *maxAge > 0 {
			mopts = append(mopts, scan.WithMaxDBAge(time.Duration(*maxAge)*24*time.Hour))
		}
		if *matchOwned {
			mopts = append(mopts, scan.WithOwnedLanguagePackages())
		}
		// The data first: no point reading an image without it.
		if vdb, err = db.open(ctx, stderr, *rf.quiet); err != nil {
			return fail(stderr, err)
		}
		defer vdb.Close()
	}

	var rep *scan.Report
	var hrep *harden.Report
	var in *shipshape.Inspection
	if fromSBOM {
		s, err := readSBOM(sbomFile)
		if err != nil {
			return fail(stderr, err)
		}
		if rep, err = scan.Match(ctx, vdb, s, mopts...); err != nil {
			return fail(stderr, err)
		}
	} else {
		src, err := openSource(ctx, arg, *rf.platform)
		if err != nil {
			return fail(stderr, err)
		}
		defer src.Close()
		if hardening && src.Image == nil {
			return fail(stderr, fmt.Errorf("hardening checks need an image, not a directory (%s)", src.Name))
		}
		lopts, bar, err := rf.start(stderr)
		if err != nil {
			return fail(stderr, err)
		}
		if vuln {
			// One read for the SBOM (and the hardening checks), then the match.
			opts := []shipshape.Option{shipshape.WithLayerOptions(lopts...), shipshape.WithoutSecrets(), shipshape.WithDB(vdb, mopts...)}
			if checker != nil {
				opts = append(opts, shipshape.WithChecker(checker))
			} else {
				opts = append(opts, shipshape.WithoutHardening())
			}
			in, err = shipshape.Inspect(ctx, src, opts...)
			if in != nil {
				rep, hrep = in.Evidence.Scan, in.Evidence.Hardening
			}
		} else {
			hrep, err = checker.Check(ctx, src.Image, src.Reference, imageLayerOptions(src, lopts)...)
		}
		bar.done()
		if err != nil {
			return fail(stderr, err)
		}
	}

	err = writeOutput(*out, stdout, func(w io.Writer) error {
		switch {
		case !hardening:
			return scan.Encode(w, rep, f)
		case !vuln:
			hf, err := harden.ParseFormat(string(f))
			if err != nil {
				return err
			}
			return harden.Encode(w, hrep, hf)
		case f == scan.FormatJSON:
			return encodeInspection(w, in, false)
		case f == scan.FormatSARIF:
			return shipshape.EncodeSARIF(w, in)
		}
		if err := scan.Encode(w, rep, scan.FormatTable); err != nil {
			return err
		}
		fmt.Fprintln(w)
		return harden.Encode(w, hrep, harden.FormatTable)
	})
	if err != nil {
		return fail(stderr, err)
	}
	if rep != nil && f != scan.FormatTable {
		if s := rep.Support.String(); s != "" {
			rf.note(stderr, "%s", printable(s))
		}
		for _, wn := range rep.Warnings {
			rf.warn(stderr, "%s", printable(wn.Message))
		}
	}
	if gate {
		if rep != nil {
			if max, any := rep.MaxSeverity(); any && max >= threshold {
				fmt.Fprintf(stderr, "shipshape: failing: a %s vulnerability is at or above --fail-on %s\n", max, threshold)
				return exitGate
			}
			if gateUnrated(stderr, rf, rep, unrated) {
				return exitGate
			}
		}
		if hrep != nil {
			if max, any := hrep.MaxSeverity(); any && max >= threshold {
				fmt.Fprintf(stderr, "shipshape: failing: a %s hardening finding is at or above --fail-on %s\n", max, threshold)
				return exitGate
			}
		}
	}
	return exitOK
}

// hardeningFlags configure the hardening checks.
type hardeningFlags struct {
	skip        multiFlag
	maxImageAge *int
	distroless  *bool
}

func addHardeningFlags(fs *flags) *hardeningFlags {
	h := &hardeningFlags{}
	fs.Var(&h.skip, "skip-check", "hardening check to leave out (`ID`, repeatable)")
	h.maxImageAge = fs.Int("max-image-age", 365, "hardening: report images built more than `DAYS` ago")
	h.distroless = fs.Bool("distroless", false, "hardening: the image is meant to be distroless, so any shell in it is reported")
	return h
}

func (h *hardeningFlags) checker() (*harden.Checker, error) {
	cs := harden.DefaultChecks()
	for i := range cs {
		switch cs[i].ID {
		case "image-age":
			cs[i] = harden.ImageAgeCheck(time.Duration(*h.maxImageAge) * 24 * time.Hour)
		case "shell-in-distroless":
			cs[i] = harden.ShellInDistrolessCheck(*h.distroless)
		}
	}
	return harden.New(harden.WithChecks(cs...), harden.WithoutChecks(h.skip...))
}

// dbFlags name the vulnerability data and the suppressions.
type dbFlags struct {
	path, cacheDir *string
	vex            multiFlag
}

// addDBFlags registers --db (whose default dbDefault describes), --cache-dir,
// --vex and --ignore.
func addDBFlags(fs *flags, dbDefault string) *dbFlags {
	d := &dbFlags{
		path:     fs.String("db", "", "vulnerability data: a store, or OSV JSON files / <Ecosystem>/all.zip in a `PATH` ("+dbDefault+")"),
		cacheDir: fs.String("cache-dir", "", "where stores built from --db input are kept (`DIR`; default: the user cache directory)"),
	}
	fs.Var(&d.vex, "vex", "OpenVEX or CycloneDX VEX document, or ignore file, whose statements suppress findings (`FILE`, repeatable)")
	fs.Var(&d.vex, "ignore", "ignore file (YAML: id, package, reason, expires; see 'shipshape scan -h') (`FILE`, repeatable)")
	return d
}

// matchOptions reads the suppression documents and the end-of-life
// table 'shipshape db fetch-eol' keeps (eolTable).
func (d *dbFlags) matchOptions() ([]scan.MatchOption, error) {
	t, err := eolTable(*d.cacheDir)
	if err != nil {
		return nil, err
	}
	opts := []scan.MatchOption{scan.WithEOLTable(t)}
	for _, p := range d.vex {
		s, err := scan.LoadSuppressions(p)
		if err != nil {
			return nil, err
		}
		opts = append(opts, scan.WithSuppressions(s))
	}
	return opts, nil
}

// open opens --db, or the store 'shipshape db fetch' keeps; errNoDB when
// there is neither.
func (d *dbFlags) open(ctx context.Context, stderr io.Writer, quiet bool) (*scan.DB, error) {
	bar := newProgressBar(stderr, quiet, false)
	defer bar.done()
	return openDB(ctx, *d.path, *d.cacheDir, scan.WithBuildOptions(scan.WithBuildProgress(bar.build)))
}

// defaultStore says where --db defaults to, for scan and check.
const defaultStore = "default: the store 'shipshape db fetch' keeps"

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
			return nil, fmt.Errorf("%w (%w)", errNoDB, err)
		}
	}
	store := scan.StorePath(dir)
	if _, err := os.Stat(store); err != nil {
		return nil, errNoDB
	}
	return scan.OpenDB(ctx, store)
}

// readSBOM decodes an SBOM file: shipshape JSON or CycloneDX.
func readSBOM(path string) (*sbom.SBOM, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := sbom.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

func runDB(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const synopsis = "usage: shipshape db fetch --ecosystem NAME... | --for IMAGE... | --kev | --epss [flags]\n       shipshape db fetch-eol [--url URL] [--cache-dir DIR]\n       shipshape db import [--kev FILE] [--epss FILE]\n       shipshape db build --output FILE INPUT...\n       shipshape db info [--db PATH]\n"
	if len(args) > 0 {
		switch args[0] {
		case "fetch":
			return runDBFetch(ctx, args[1:], stdout, stderr)
		case "build":
			return runDBBuild(ctx, args[1:], stdout, stderr)
		case "info":
			return runDBInfo(ctx, args[1:], stdout, stderr)
		case "import":
			return runDBImport(ctx, args[1:], stdout, stderr)
		case "fetch-eol":
			return runDBFetchEOL(ctx, args[1:], stdout, stderr)
		}
	}
	fs := newFlags("db", synopsis, `fetch downloads OSV data (the only command that uses the network without a registry
reference) and builds the store other commands use by default, and with --kev and --epss the
exploitation data (CISA KEV, FIRST EPSS) scans mark findings with; fetch-eol downloads the
distributions' end-of-life dates from endoflife.date; import reads the exploitation data from
files; build makes a store from OSV input; info describes a store. Run 'shipshape db COMMAND -h'
for a command's flags.
`, stdout, stderr)
	pos, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		return fs.usageError("expected a command: fetch, fetch-eol, import, build or info")
	}
	return fs.usageError("unknown command %q (want fetch, fetch-eol, import, build or info)", pos[0])
}

func runDBFetch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("db fetch", "usage: shipshape db fetch --ecosystem NAME... | --for IMAGE... | --kev | --epss [flags]\n",
		`Downloads the OSV data of the ecosystems named, or of those the images need, and builds the store.
--kev and --epss also download CISA's Known Exploited Vulnerabilities catalog and FIRST's EPSS
scores (https://www.first.org/epss/), kept beside the store: a rebuild keeps them, and scans
then mark known exploited findings, show their EPSS score and list them first.
`, stdout, stderr)
	var ecos, images multiFlag
	fs.Var(&ecos, "ecosystem", "OSV ecosystem to download, as the bucket names it (`NAME`, repeatable: Debian, Go, PyPI, npm, …)")
	fs.Var(&images, "for", "download the ecosystems this `IMAGE` needs (repeatable)")
	base := fs.String("url", scan.DefaultBaseURL, "where <Ecosystem>/all.zip archives are served")
	cacheDir := fs.String("cache-dir", "", "where downloads and the store are kept (default: the user cache directory)")
	ef := addExploitFetchFlags(fs)
	pos, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	if len(pos) != 0 {
		return fs.usageError("expected no arguments, got %q (images go with --for)", pos)
	}
	if len(ecos) == 0 && len(images) == 0 && !ef.any() {
		return fs.usageError("name the data to fetch with --ecosystem NAME, --for IMAGE, --kev or --epss")
	}
	if len(ecos) == 0 && len(images) == 0 {
		if err := ef.fetch(ctx, *cacheDir, stdout); err != nil {
			return fail(stderr, err)
		}
		return exitOK
	}
	for _, img := range images {
		src, err := openSource(ctx, img, "")
		if err != nil {
			return fail(stderr, err)
		}
		s, err := inventory(ctx, src, nil)
		src.Close()
		if err != nil {
			return fail(stderr, err)
		}
		ecos = append(ecos, scan.Ecosystems(s)...)
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
	if err := ef.fetch(ctx, *cacheDir, stdout); err != nil {
		return fail(stderr, err)
	}
	return exitOK
}

func runDBBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("db build", "usage: shipshape db build --output FILE INPUT...\n",
		"Builds a store from OSV input: directories of JSON files or of <Ecosystem>/all.zip, all.zip or JSON files.\n", stdout, stderr)
	out := fs.String("output", "", "the store to write (`FILE`, required)")
	inputs, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	switch {
	case *out == "":
		return fs.usageError("--output is required")
	case len(inputs) == 0:
		return fs.usageError("expected at least one INPUT")
	}
	info, err := scan.BuildDB(ctx, *out, inputs)
	if err != nil {
		return fail(stderr, err)
	}
	printInfo(stdout, *out, info)
	return exitOK
}

func runDBInfo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("db info", "usage: shipshape db info [--db PATH]\n", "Describes a store: its inputs, their records and how recent they are.\n", stdout, stderr)
	dbPath := fs.String("db", "", "the store or OSV input (default: the store 'shipshape db fetch' keeps)")
	pos, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	if len(pos) != 0 {
		return fs.usageError("expected no arguments, got %q", pos)
	}
	db, err := openDB(ctx, *dbPath, "")
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	printInfo(stdout, *dbPath, db.Info())
	printExploitInfo(stdout, db.Info().Exploitation)
	return exitOK
}

func printInfo(w io.Writer, name string, info scan.DBInfo) {
	fmt.Fprintf(w, "store %s: %d advisories, built %s, data from %s\n", name, info.Advisories,
		info.BuiltAt.Format(time.RFC3339), info.Snapshot().Format(time.DateOnly))
	for _, s := range info.Sources {
		fmt.Fprintf(w, "  %s: %d records (%s), %d withdrawn, %d skipped\n", s.Name, s.Records, strings.Join(s.Ecosystems, ", "), s.Withdrawn, s.Skipped)
	}
}
