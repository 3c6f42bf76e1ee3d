package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/secrets"
)

func runPolicy(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "evaluate" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			policyUsage(stderr)
			return exitOK
		}
		policyUsage(stderr)
		return exitError
	}
	fs := flag.NewFlagSet("policy evaluate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	policyFile := fs.String("policy", "", "the policy, YAML or JSON (`FILE`, required)")
	sbomFile := fs.String("sbom", "", "the image's SBOM: shipshape JSON or CycloneDX (`FILE`)")
	reportFile := fs.String("report", "", "the JSON report of 'shipshape scan' (`FILE`): vulnerabilities, and hardening findings")
	hardening := fs.Bool("hardening-checked", false, "the --report comes from 'scan --checks hardening|all' of a version that did not record hardening_checks, so no hardening findings means none")
	secretsFile := fs.String("secrets", "", "the JSON report of 'shipshape secrets' (`FILE`)")
	verification := fs.String("verification", "", "signature verification evidence, JSON (`FILE`)")
	image := fs.String("image", "", "read the reference, digest, config and creation time of `IMAGE` (only its manifest and config)")
	platform := fs.String("platform", "", "platform of a multi-platform --image, os/arch[/variant]")
	format := fs.String("format", "table", "output format: table, json, junit or sarif")
	out := fs.String("output", "", "write to `FILE` instead of standard output")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: shipshape policy evaluate --policy FILE [--sbom FILE] [--report FILE] [--secrets FILE] [--verification FILE] [--image IMAGE] [flags]")
		fmt.Fprintln(stderr, "Evidence not given is missing: rules that need it report so, with their action.")
		fs.PrintDefaults()
	}
	pos, err := parse(fs, args[1:])
	if err != nil {
		return exitError
	}
	if len(pos) != 0 || *policyFile == "" {
		fs.Usage()
		return exitError
	}
	f, err := policy.ParseFormat(*format)
	if err != nil {
		return fail(stderr, err)
	}
	p, err := policy.LoadFile(*policyFile)
	if err != nil {
		return fail(stderr, err)
	}
	in := &policy.Input{HardeningChecked: *hardening}
	if *sbomFile != "" {
		if in.SBOM, err = readSBOM(*sbomFile); err != nil {
			return fail(stderr, err)
		}
	}
	if *reportFile != "" {
		in.Scan = &scan.Report{}
		if err := readJSON(*reportFile, in.Scan); err != nil {
			return fail(stderr, err)
		}
	} else if *hardening {
		return fail(stderr, errors.New("--hardening-checked needs --report"))
	}
	if *secretsFile != "" {
		in.Secrets = &secrets.Report{}
		if err := readJSON(*secretsFile, in.Secrets); err != nil {
			return fail(stderr, err)
		}
	}
	if *verification != "" {
		if in.Signatures, err = readVerification(*verification); err != nil {
			return fail(stderr, err)
		}
	}
	if *image != "" {
		if err := readImageFacts(ctx, *image, *platform, in); err != nil {
			return fail(stderr, err)
		}
	}
	d, err := p.Evaluate(ctx, in)
	if err != nil {
		return fail(stderr, err)
	}
	w, closeOut, err := output(*out, stdout)
	if err != nil {
		return fail(stderr, err)
	}
	if err := policy.Encode(w, d, f); err != nil {
		closeOut()
		return fail(stderr, err)
	}
	if err := closeOut(); err != nil {
		return fail(stderr, err)
	}
	if f != policy.FormatTable {
		fmt.Fprintf(stderr, "shipshape: %s\n", d.Summary())
	}
	if d.Verdict == policy.VerdictDeny {
		return exitGate
	}
	return exitOK
}

func policyUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: shipshape policy evaluate --policy FILE [--sbom FILE] [--report FILE] [--secrets FILE] [--verification FILE] [--image IMAGE] [--format table|json|junit|sarif]")
	fmt.Fprintln(w, "Run 'shipshape policy evaluate -h' for its flags.")
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

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// readImageFacts fills the input's reference, digest and config from an
// image, reading only its manifest and config.
func readImageFacts(ctx context.Context, arg, platform string, in *policy.Input) error {
	ref, err := imageRef(arg)
	if err != nil {
		return err
	}
	var opts []shipshape.OpenOption
	if platform != "" {
		opts = append(opts, shipshape.WithPlatform(platform))
	}
	t, err := shipshape.Open(ctx, ref, opts...)
	if err != nil {
		return err
	}
	defer t.Close()
	if t.Image == nil {
		return fmt.Errorf("--image %s: a directory has no image config", arg)
	}
	cf, err := t.Image.ConfigFile()
	if err != nil {
		return fmt.Errorf("--image %s: %w", arg, err)
	}
	in.Config, in.Digest = cf, t.Digest
	if r, ok := strings.CutPrefix(ref, shipshape.SchemeRegistry+":"); ok {
		in.Reference = r
	}
	return nil
}
