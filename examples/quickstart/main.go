// Command quickstart shows what shipshape finds in an image, offline:
//
//	go run ./examples/quickstart                       # the bundled demo image and its vulnerability data
//	go run ./examples/quickstart --db DIR IMAGE        # any image: registry:REF, docker-archive:PATH, …
//	go run ./examples/quickstart --sbom out.json       # also write the CycloneDX SBOM
//	go run ./examples/quickstart --policy policy.yaml  # judge by your policy instead of the built-in one
//	go run ./examples/quickstart --policy examples/policies/strict.yaml
//	go run ./examples/quickstart --html report.html    # also write the report as one HTML page
//
// It prints a short report: the image, its distribution, the packages each
// layer brought in, the vulnerabilities found in them, the secrets in its
// layers and config (also those a later layer deleted), its hardening
// findings, and the verdict of a policy (by default
// examples/policies/baseline.yaml). All of it comes from one library
// call, shipshape.Check, which reads the image once. It imports only the
// root module, so it builds in seconds.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/examples/demo"
	"github.com/shipshape-dev/shipshape/examples/policies"
	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/policy"
	htmlreport "github.com/shipshape-dev/shipshape/report"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/secrets"
	"github.com/shipshape-dev/shipshape/source"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0) // the flag package printed the usage
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, w io.Writer) error {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	sbomOut := fs.String("sbom", "", "also write the CycloneDX JSON SBOM to `FILE`")
	policyFile := fs.String("policy", "", "judge by this policy (`FILE`, YAML or JSON) instead of the built-in one, examples/policies/baseline.yaml")
	htmlOut := fs.String("html", "", "also write the report as one self-contained HTML page to `FILE`")
	dbPath := fs.String("db", "", "vulnerability data for IMAGE: a store, or OSV JSON files / <Ecosystem>/all.zip in a `PATH`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ref := fs.Arg(0)
	dir, err := os.MkdirTemp("", "shipshape-quickstart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if ref == "" {
		p, err := demo.Write(dir)
		if err != nil {
			return err
		}
		ref = "oci-archive:" + p + ":" + demo.TagDebian
		if *dbPath == "" {
			if *dbPath, err = demo.WriteOSV(dir); err != nil {
				return err
			}
		}
		fmt.Fprintln(w, "Scanning the bundled demo image (Debian 12 with packages from 2023) against its bundled vulnerability data.")
	}
	p, err := loadPolicy(*policyFile)
	if err != nil {
		return err
	}
	src, err := source.Open(ctx, ref)
	if err != nil {
		return err
	}
	defer src.Close()
	var opts []shipshape.Option
	if *dbPath != "" {
		db, err := scan.LoadDB(ctx, *dbPath, scan.WithCacheDir(filepath.Join(dir, "db")))
		if err != nil {
			return err
		}
		defer db.Close()
		opts = append(opts, shipshape.WithDB(db))
	}
	// One call: one read of the image for the SBOM, the secrets and the
	// hardening checks, the vulnerability match, and the policy's verdict.
	in, err := shipshape.Check(ctx, src, p, opts...)
	if err != nil {
		return err
	}
	ev := in.Evidence
	report(w, ev.SBOM)
	if ev.Scan != nil {
		vulnerabilities(w, ev.Scan)
	} else {
		fmt.Fprintln(w, "\n(no vulnerability data given: pass --db to match the packages)")
	}
	secretsFound(w, ev.Secrets)
	if ev.Hardening != nil {
		hardening(w, ev.Hardening)
	}
	fmt.Fprintln(w)
	if err := policy.Encode(w, in.Decision, policy.FormatTable); err != nil {
		return err
	}
	if *htmlOut != "" {
		f, err := os.Create(*htmlOut)
		if err != nil {
			return err
		}
		if err := htmlreport.HTML(f, in.Evidence, in.Decision); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(w, "\nHTML report written to %s\n", *htmlOut)
	}
	if *sbomOut != "" {
		f, err := os.Create(*sbomOut)
		if err != nil {
			return err
		}
		if err := sbom.Encode(f, ev.SBOM, sbom.FormatCycloneDXJSON); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(w, "\nCycloneDX SBOM written to %s\n", *sbomOut)
	}
	return nil
}

// report prints the image, its distribution and the packages per layer.
func report(w io.Writer, s *sbom.SBOM) {
	name := s.Source.Name
	if s.Source.Digest != "" {
		name += " (" + result.ShortDigest(s.Source.Digest) + ")"
	}
	fmt.Fprintf(w, "\nImage    %s\n", name)
	if s.Distro != nil {
		fmt.Fprintf(w, "Distro   %s\n", firstNonEmpty(s.Distro.Name, s.Distro.ID+" "+s.Distro.VersionID))
	}
	fmt.Fprintf(w, "Packages %d\n", len(s.Packages))
	byLayer := map[string][]string{}
	for _, p := range s.Packages {
		byLayer[p.Layer] = append(byLayer[p.Layer], p.Name+" "+p.Version)
	}
	for i, l := range s.Source.Layers {
		pkgs := byLayer[l.DiffID]
		sort.Strings(pkgs)
		fmt.Fprintf(w, "\nLayer %d  %s  %d packages\n", i+1, result.ShortDigest(l.DiffID), len(pkgs))
		const show = 8
		for j, p := range pkgs {
			if j == show {
				fmt.Fprintf(w, "  … and %d more\n", len(pkgs)-show)
				break
			}
			fmt.Fprintf(w, "  %s\n", p)
		}
	}
	if len(s.Errors) > 0 {
		fmt.Fprintf(w, "\n%d files could not be read completely:\n", len(s.Errors))
		for _, e := range s.Errors {
			fmt.Fprintf(w, "  %s\n", strings.ReplaceAll(e.Error(), "\n", " "))
		}
	}
}

// vulnerabilities prints the counts by severity and the findings, most
// severe first.
func vulnerabilities(w io.Writer, rep *scan.Report) {
	fmt.Fprintf(w, "\n%s\n", rep.Summary())
	fs := rep.Active()
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Severity > fs[j].Severity })
	const show = 12
	for i, f := range fs {
		if i == show {
			fmt.Fprintf(w, "  … and %d more\n", len(fs)-show)
			break
		}
		fix := "no fix known"
		if len(f.FixedVersions) > 0 {
			fix = "fixed in " + strings.Join(f.FixedVersions, ", ")
		}
		fmt.Fprintf(w, "  %-8s %-16s %s %s (%s)\n", f.Severity, f.ID, f.Package.Name, f.Package.Version, fix)
	}
	if s := rep.Support.String(); s != "" {
		fmt.Fprintf(w, "  %s\n", s)
	}
	for _, wn := range rep.Warnings {
		fmt.Fprintf(w, "  note: %s\n", wn.Message)
	}
}

// secretsFound prints the secrets, redacted, with where they are.
func secretsFound(w io.Writer, rep *secrets.Report) {
	fmt.Fprintf(w, "\nSecrets %d\n", len(rep.Findings))
	for _, f := range rep.Findings {
		where := f.File
		if f.Line > 0 {
			where = fmt.Sprintf("%s:%d", f.File, f.Line)
		}
		if f.Layer != "" {
			where += " in layer " + result.ShortDigest(f.Layer)
			if !f.Visible {
				where += " (deleted by a later layer, still in the image)"
			}
		}
		fmt.Fprintf(w, "  %-8s %-22s %s %s\n", f.Severity, f.RuleID, where, f.Secret)
	}
}

// hardening prints the image's misconfigurations, worst first.
func hardening(w io.Writer, rep *harden.Report) {
	fs := append([]harden.Finding(nil), rep.Findings...)
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Severity > fs[j].Severity })
	fmt.Fprintf(w, "\nHardening %d\n", len(fs))
	for _, f := range fs {
		line := f.Title + ": " + f.Evidence.Where()
		if t := f.Evidence.Text(); t != "" {
			line += ", " + t
		}
		fmt.Fprintf(w, "  %-8s %-20s %s\n", f.Severity, f.ID, line)
	}
}

// loadPolicy loads the policy in path; without one, the built-in policy:
// examples/policies/baseline.yaml (deny critical vulnerabilities that have
// a fix and live credentials, warn on the rest).
func loadPolicy(path string) (*policy.Policy, error) {
	if path != "" {
		return policy.LoadFile(path)
	}
	return policy.Load(policies.Baseline())
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
