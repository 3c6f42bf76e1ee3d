package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/secrets"
	"github.com/shipshape-dev/shipshape/source"
)

// configNames are looked for at the root of a dir: target when no
// --config is given, so that a repository's own configuration applies.
var configNames = []string{".shipshape-secrets.toml", ".gitleaks.toml"}

func runSecrets(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("secrets", "usage: shipshape secrets IMAGE|dir:PATH [flags]\n",
		`Finds credentials in every layer of an image (also in files a later layer deletes: they
still ship with the image) and in its config, or in a directory tree. Secrets are redacted
unless --reveal. Exit 1 when a finding is at or above --fail-on.

For an image, the same read inventories the packages, so that each finding says whose file it is in: class
"vendor" for a file an OS package installed and that still has the checksum the package
database recorded, "third_party" for a file inside a language package (node_modules,
site-packages, gems, vendor directories), with the package's purl as "owner"; a package's file
modified after installation keeps its owner and no class. Only findings without a class count
towards --fail-on, unless --classes names more.
`, stdout, stderr)
	format := fs.String("format", "table", "output format: table, json or sarif")
	out := fs.String("output", "", "write to `FILE` instead of standard output")
	config := fs.String("config", "", "rules and allowlists in the gitleaks TOML format (`FILE`); for dir: targets .shipshape-secrets.toml or .gitleaks.toml at the root is used by default")
	baseline := fs.String("baseline", "", "known findings to leave out: an earlier JSON report (shipshape or gitleaks) or a list of fingerprints (`FILE`)")
	failOn := fs.String("fail-on", "low", "exit 1 when a finding of this `SEVERITY` or higher is found (low, medium, high, critical, or none for no gate)")
	reveal := fs.Bool("reveal", false, "print secrets in clear (the report becomes as sensitive as the secrets)")
	gitignore := fs.Bool("gitignore", false, "for dir: targets, skip what .gitignore files ignore")
	sysDocs := fs.Bool("system-docs", false, "for images, scan /usr/share/doc, man, info, locale, i18n, zoneinfo and /usr/include too (skipped by default)")
	maxFile := fs.Int64("max-file-size", 0, "scan at most `MB` megabytes of each file (default 256)")
	classes := fs.String("classes", "", "also count findings in files of these classes towards --fail-on: a comma-separated `LIST` of vendor, third_party")
	rf := addReadFlags(fs, false)
	arg, code, ok := fs.one(args, "IMAGE or dir:PATH")
	if !ok {
		return code
	}
	f, err := secrets.ParseFormat(*format)
	if err != nil {
		return fs.usageError("--format: %v", err)
	}
	threshold, gate, err := parseFailOn(*failOn)
	if err != nil {
		return fs.usageError("%v", err)
	}
	gated := map[result.Class]bool{"": true}
	if *classes != "" {
		for _, c := range strings.Split(*classes, ",") {
			switch cl := result.Class(strings.TrimSpace(c)); cl {
			case result.ClassVendor, result.ClassThirdParty:
				gated[cl] = true
			default:
				return fs.usageError("--classes: %q is not vendor or third_party", c)
			}
		}
	}
	src, err := openSource(ctx, arg, *rf.platform)
	if err != nil {
		return fail(stderr, err)
	}
	defer src.Close()
	var opts []secrets.Option
	if *config == "" && src.Ref.Scheme == source.SchemeDir {
		for _, n := range configNames {
			if p := filepath.Join(src.Ref.Path, n); fileExists(p) {
				*config = p
				rf.note(stderr, "using %s", p)
				break
			}
		}
	}
	if *config != "" {
		c, err := secrets.LoadConfig(*config)
		if err != nil {
			return fail(stderr, err)
		}
		opts = append(opts, secrets.WithConfig(c))
	}
	if *baseline != "" {
		opts = append(opts, secrets.WithBaselineFile(*baseline))
	}
	if *reveal {
		opts = append(opts, secrets.WithRevealSecretsUnsafe())
	}
	if *sysDocs {
		opts = append(opts, secrets.WithSystemDocs())
	}
	if *gitignore {
		opts = append(opts, secrets.WithGitignore())
	}
	if *maxFile != 0 {
		opts = append(opts, secrets.WithMaxFileBytes(*maxFile<<20))
	}
	s, err := secrets.New(opts...)
	if err != nil {
		return fail(stderr, err)
	}
	lopts, bar, err := rf.start(stderr)
	if err != nil {
		return fail(stderr, err)
	}
	var rep *secrets.Report
	if src.Image != nil {
		// One read for the secrets and the packages whose files they are in.
		// Only the catalogers that tell who owns a file: binaries and Java
		// archives add packages but own no other files.
		var in *shipshape.Inspection
		in, err = shipshape.Inspect(ctx, src, shipshape.WithSecretScanner(s), shipshape.WithoutHardening(),
			shipshape.WithSBOMOptions(sbom.WithCatalogers("dpkg", "apk", "rpm", "go", "python", "npm", "ruby", "php")),
			shipshape.WithLayerOptions(lopts...))
		if in != nil {
			rep = in.Evidence.Secrets
		}
	} else {
		// A source tree: the secrets alone (what a pre-commit check wants,
		// at the speed of reading the files).
		rep, err = s.ScanFS(ctx, src.FS, src.Name, lopts...)
	}
	bar.done()
	if err != nil {
		return fail(stderr, err)
	}
	if err := writeOutput(*out, stdout, func(w io.Writer) error { return secrets.Encode(w, rep, f) }); err != nil {
		return fail(stderr, err)
	}
	if n := len(rep.Errors); n > 0 && f != secrets.FormatTable {
		rf.warn(stderr, "%d files or layers could not be read completely; they are listed in the output", n)
	}
	if gate {
		if n := countAtLeast(rep, threshold, gated); n > 0 {
			fmt.Fprintf(stderr, "shipshape: failing: %d of the secrets found are at or above --fail-on %s\n", n, threshold)
			return exitGate
		}
	}
	return exitOK
}

func countAtLeast(rep *secrets.Report, s result.Severity, classes map[result.Class]bool) int {
	n := 0
	for _, f := range rep.Findings {
		if f.Severity >= s && classes[f.Class] {
			n++
		}
	}
	return n
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}
