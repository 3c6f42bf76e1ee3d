package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/secrets"
)

func runPolicy(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const synopsis = "usage: shipshape policy evaluate --policy FILE [--evidence FILE] [--sbom FILE] [--report FILE] [--hardening FILE] [--secrets FILE] [--verification FILE] [--image IMAGE] [flags]\n"
	if len(args) == 0 || args[0] != "evaluate" {
		fs := newFlags("policy", synopsis, "Run 'shipshape policy evaluate -h' for its flags.\n", stdout, stderr)
		pos, code, ok := fs.parse(args)
		if !ok {
			return code
		}
		if len(pos) == 0 {
			return fs.usageError("expected a command: evaluate")
		}
		return fs.usageError("unknown command %q (want evaluate)", pos[0])
	}
	fs := newFlags("policy evaluate", synopsis, `Evaluates a policy over evidence gathered before, by other commands or tools. Evidence not
given is missing: rules that need it report so, with their action. Exit 1 on deny.
`, stdout, stderr)
	policyFile := fs.String("policy", "", "the policy, YAML or JSON (`FILE`, required)")
	evidence := fs.String("evidence", "", "the JSON of 'inspect', 'check' or 'scan --checks all' (`FILE`): its evidence, to which the other flags add")
	sbomFile := fs.String("sbom", "", "the image's SBOM: shipshape JSON or CycloneDX (`FILE`)")
	reportFile := fs.String("report", "", "the JSON vulnerability report of 'shipshape scan' (`FILE`)")
	hardeningFile := fs.String("hardening", "", "the JSON hardening report of 'shipshape scan --checks hardening' (`FILE`)")
	secretsFile := fs.String("secrets", "", "the JSON report of 'shipshape secrets' (`FILE`)")
	verification := fs.String("verification", "", "signature verification evidence, JSON (`FILE`)")
	image := fs.String("image", "", "read the reference, digest, config and creation time of `IMAGE` (only its manifest and config)")
	platform := fs.String("platform", "", "platform of a multi-platform --image, os/arch[/variant]")
	allowIncomplete := fs.Bool("allow-incomplete", false, "warn instead of deny on the layers --evidence lists as not read whole")
	format := fs.String("format", "table", "output format: table, json, junit or sarif")
	out := fs.String("output", "", "write to `FILE` instead of standard output")
	pos, code, ok := fs.parse(args[1:])
	if !ok {
		return code
	}
	switch {
	case len(pos) != 0:
		return fs.usageError("expected no arguments, got %q", pos)
	case *policyFile == "":
		return fs.usageError("--policy is required")
	}
	f, err := policy.ParseFormat(*format)
	if err != nil {
		return fs.usageError("--format: %v", err)
	}
	var popts []policy.Option
	if *allowIncomplete {
		popts = append(popts, policy.WithIncompleteAction(policy.Warn))
	}
	p, err := policy.LoadFile(*policyFile, popts...)
	if err != nil {
		return fail(stderr, err)
	}
	in := &policy.Input{}
	if *evidence != "" {
		var ins shipshape.Inspection
		if err := readJSON(*evidence, &ins); err != nil {
			return fail(stderr, err)
		}
		if ins.Evidence == nil {
			return fail(stderr, fmt.Errorf("%s: no \"evidence\": not the JSON of inspect, check or scan --checks all", *evidence))
		}
		in = ins.Evidence
	}
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
	}
	if *hardeningFile != "" {
		in.Hardening = &harden.Report{}
		if err := readJSON(*hardeningFile, in.Hardening); err != nil {
			return fail(stderr, err)
		}
	}
	if *secretsFile != "" {
		in.Secrets = &secrets.Report{}
		if err := readJSON(*secretsFile, in.Secrets); err != nil {
			return fail(stderr, err)
		}
	}
	if *verification != "" {
		ev, err := readVerification(*verification)
		if err != nil {
			return fail(stderr, err)
		}
		in.Signatures = append(in.Signatures, ev...)
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
	if err := writeOutput(*out, stdout, func(w io.Writer) error { return policy.Encode(w, d, f) }); err != nil {
		return fail(stderr, err)
	}
	if f != policy.FormatTable || *out != "" {
		fmt.Fprintf(stderr, "shipshape: %s\n", d.Summary())
	}
	if d.Verdict == policy.VerdictDeny {
		return exitGate
	}
	return exitOK
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

// readImageFacts fills the input's name, reference, digest and config
// from an image, reading only its manifest and config.
func readImageFacts(ctx context.Context, arg, platform string, in *policy.Input) error {
	src, err := openSource(ctx, arg, platform)
	if err != nil {
		return err
	}
	defer src.Close()
	if src.Image == nil {
		return fmt.Errorf("--image %s: a directory has no image config", arg)
	}
	cf, err := src.Image.ConfigFile()
	if err != nil {
		return fmt.Errorf("--image %s: %w", arg, err)
	}
	in.Name, in.Reference, in.Config = src.Name, src.Reference, cf
	if src.Digest != "" {
		in.Digest = src.Digest
	}
	return nil
}
