package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/secrets"
)

// configNames are looked for at the root of a dir: target when no
// --config is given, so that a repository's own configuration applies.
var configNames = []string{".shipshape-secrets.toml", ".gitleaks.toml"}

func runSecrets(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("secrets", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "table", "output format: table, json or sarif")
	out := fs.String("output", "", "write to `FILE` instead of standard output")
	config := fs.String("config", "", "rules and allowlists in the gitleaks TOML format (`FILE`); for dir: targets .shipshape-secrets.toml or .gitleaks.toml at the root is used by default")
	baseline := fs.String("baseline", "", "known findings to leave out: an earlier JSON report (shipshape or gitleaks) or a list of fingerprints (`FILE`)")
	failOn := fs.String("fail-on", "low", "exit 1 when a finding of this `SEVERITY` or higher is found (low, medium, high, critical, or none)")
	reveal := fs.Bool("reveal", false, "print secrets in clear (the report becomes as sensitive as the secrets)")
	gitignore := fs.Bool("gitignore", false, "for dir: targets, skip what .gitignore files ignore")
	sysDocs := fs.Bool("system-docs", false, "for images, scan /usr/share/doc, man, info, locale, i18n, zoneinfo and /usr/include too (skipped by default)")
	maxFile := fs.Int64("max-file-size", 0, "scan at most `MB` megabytes of each file (default 256)")
	concurrency := fs.Int("concurrency", 0, "files or layers read at once (default: number of CPUs)")
	platform := fs.String("platform", "", "platform of a multi-platform image, os/arch[/variant]")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: shipshape secrets IMAGE|dir:PATH [flags]")
		fs.PrintDefaults()
	}
	arg, ok := oneArg(fs, args)
	if !ok {
		return exitError
	}
	f, err := secrets.ParseFormat(*format)
	if err != nil {
		return fail(stderr, err)
	}
	threshold := result.SeverityUnknown
	if *failOn != "none" {
		if threshold, err = result.ParseSeverity(*failOn); err != nil {
			return fail(stderr, err)
		}
	}
	ref, err := imageRef(arg)
	if err != nil {
		return fail(stderr, err)
	}
	var opts []secrets.Option
	if *config == "" {
		if dir, ok := strings.CutPrefix(ref, shipshape.SchemeDir+":"); ok {
			for _, n := range configNames {
				if p := filepath.Join(dir, n); fileExists(p) {
					*config = p
					fmt.Fprintf(stderr, "shipshape: using %s\n", p)
					break
				}
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
	if *concurrency != 0 {
		opts = append(opts, secrets.WithConcurrency(*concurrency))
	}
	s, err := secrets.New(opts...)
	if err != nil {
		return fail(stderr, err)
	}
	var oopts []shipshape.OpenOption
	if *platform != "" {
		oopts = append(oopts, shipshape.WithPlatform(*platform))
	}
	t, err := shipshape.Open(ctx, ref, oopts...)
	if err != nil {
		return fail(stderr, err)
	}
	defer t.Close()
	rep, err := t.Secrets(ctx, s)
	if err != nil {
		return fail(stderr, err)
	}
	w, closeOut, err := output(*out, stdout)
	if err != nil {
		return fail(stderr, err)
	}
	if err := secrets.Encode(w, rep, f); err != nil {
		closeOut()
		return fail(stderr, err)
	}
	if err := closeOut(); err != nil {
		return fail(stderr, err)
	}
	if n := len(rep.Errors); n > 0 && f != secrets.FormatTable {
		fmt.Fprintf(stderr, "shipshape: %d files or layers could not be read completely; they are listed in the output\n", n)
	}
	if threshold != result.SeverityUnknown {
		for _, fd := range rep.Findings {
			if fd.Severity >= threshold {
				fmt.Fprintf(stderr, "shipshape: failing: %d of the secrets found are at or above --fail-on %s\n", countAtLeast(rep, threshold), threshold)
				return exitGate
			}
		}
	}
	return exitOK
}

func countAtLeast(rep *secrets.Report, s result.Severity) int {
	n := 0
	for _, f := range rep.Findings {
		if f.Severity >= s {
			n++
		}
	}
	return n
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}
