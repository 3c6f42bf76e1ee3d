package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/layercache"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/scan"
	"github.com/shipshape-dev/shipshape/source"
)

// Exit codes shared by every subcommand.
const (
	exitOK    = 0
	exitGate  = 1
	exitError = 2
)

type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

func commands() map[string]command {
	return map[string]command{
		"sbom":               {summary: "inventory the packages of an image or directory", run: runSBOM},
		"scan":               {summary: "match an image's packages against vulnerability data; check its hardening", run: runScan},
		"db":                 {summary: "fetch, build or describe the vulnerability data", run: runDB},
		"secrets":            {summary: "find credentials in an image's layers and config, or in a directory", run: runSecrets},
		"check":              {summary: "inspect an image, match vulnerabilities and evaluate a policy over it all; exit 1 on deny", run: runCheck},
		"inspect":            {summary: "SBOM, secrets and hardening findings of an image (or directory) in one read", run: runInspect},
		"policy":             {summary: "evaluate a policy over SBOM, scan, secrets and signature evidence", run: runPolicy},
		"keygen":             {summary: "generate a cosign key pair (password in $COSIGN_PASSWORD)", run: runKeygen},
		"sign":               {summary: "sign an image by digest, as cosign does", run: runSign},
		"verify":             {summary: "verify an image's signatures with a public key or a keyless identity", run: runVerify},
		"attest":             {summary: "attach a signed in-toto attestation (SBOM, scan, provenance) to an image", run: runAttest},
		"verify-attestation": {summary: "verify an image's attestations, filtered by predicate type", run: runVerifyAttestation},
		"version":            {summary: "print the version of this build", run: runVersion},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: shipshape COMMAND [flags]")
	fmt.Fprintln(w, "       shipshape --version")
	fmt.Fprintln(w, "\ncommands:")
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, n := range names {
		fmt.Fprintf(w, "  %-*s  %s\n", width, n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nIMAGE is registry:REF, docker-archive:PATH, oci-layout:DIR[:NAME], oci-archive:PATH[:NAME]")
	fmt.Fprintln(w, "or dir:PATH; a bare reference means registry:. Output goes to standard output (or --output FILE),")
	fmt.Fprintln(w, "progress and diagnostics to standard error. Exit codes: 0 passed, 1 a gate failed (--fail-on,")
	fmt.Fprintln(w, "a denied policy, a failed verification), 2 a usage or operational error.")
	fmt.Fprintln(w, "Run 'shipshape COMMAND -h' for a command's flags.")
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "shipshape: expected a command")
		usage(stderr)
		return exitError
	}
	switch args[0] {
	case "help":
		if len(args) > 1 { // help COMMAND is COMMAND -h
			if _, ok := commands()[args[1]]; ok {
				return run(ctx, []string{args[1], "-h"}, stdout, stderr)
			}
		}
		usage(stdout)
		return exitOK
	case "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	case "-version", "--version":
		return runVersion(ctx, args[1:], stdout, stderr)
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "shipshape: unknown command %q\n\n", args[0])
		usage(stderr)
		return exitError
	}
	return cmd.run(ctx, args[1:], stdout, stderr)
}

// flags is a subcommand's flag set with its usage text. -h and --help
// print the usage on standard output and exit 0; a parse error or a
// usage error says why on standard error, with the synopsis, and exits 2.
type flags struct {
	*flag.FlagSet
	// synopsis is the "usage: …" lines; about the paragraphs after them.
	synopsis, about string
	stdout, stderr  io.Writer
}

func newFlags(name, synopsis, about string, stdout, stderr io.Writer) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parse errors are reported by parse, with the command's name
	fs.Usage = func() {}
	return &flags{FlagSet: fs, synopsis: synopsis, about: about, stdout: stdout, stderr: stderr}
}

// usage writes the whole help text to w.
func (f *flags) usage(w io.Writer) {
	fmt.Fprint(w, f.synopsis)
	if f.about != "" {
		fmt.Fprint(w, "\n", f.about)
	}
	var defaults bytes.Buffer
	f.SetOutput(&defaults)
	f.PrintDefaults()
	f.SetOutput(io.Discard)
	if defaults.Len() > 0 {
		fmt.Fprint(w, "\nflags:\n", defaults.String())
	}
}

// parse parses args, whose flags may come before, between or after the
// positional arguments, and returns the positionals. ok is false when the
// command should exit with code: 0 after -h, 2 after a bad flag.
func (f *flags) parse(args []string) (pos []string, code int, ok bool) {
	pos, err := parseInterspersed(f.FlagSet, args)
	if errors.Is(err, flag.ErrHelp) {
		f.usage(f.stdout)
		return nil, exitOK, false
	}
	if err != nil {
		return nil, f.usageError("%v", err), false
	}
	return pos, 0, true
}

// one parses args for a command of one positional argument (an image)
// and returns it; ok false as for parse.
func (f *flags) one(args []string, what string) (arg string, code int, ok bool) {
	pos, code, ok := f.parse(args)
	if !ok {
		return "", code, false
	}
	if len(pos) != 1 {
		got := "none"
		if len(pos) > 1 {
			got = fmt.Sprint(len(pos))
		}
		return "", f.usageError("expected one %s, got %s", what, got), false
	}
	return pos[0], 0, true
}

// usageError says on standard error why the command line is wrong,
// followed by the synopsis, and returns exitError.
func (f *flags) usageError(format string, a ...any) int {
	fmt.Fprintf(f.stderr, "shipshape %s: %s\n", f.Name(), fmt.Sprintf(format, a...))
	fmt.Fprint(f.stderr, f.synopsis)
	fmt.Fprintf(f.stderr, "Run 'shipshape %s -h' for the flags.\n", f.Name())
	return exitError
}

// parseInterspersed parses flags that may come before, between or after
// the positional arguments, and returns the positionals. "--" ends the
// flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// imageRef turns the user's IMAGE argument into a reference for
// source.Open: a reference with a scheme stays as it is; a bare reference
// means registry:, unless it names a local file or directory, which needs
// an explicit scheme (the error suggests it).
func imageRef(arg string) (string, error) {
	_, err := source.ParseRef(arg)
	if err == nil {
		return arg, nil
	}
	if _, serr := os.Stat(arg); serr == nil {
		return "", err // ErrNoScheme or ErrUnknownScheme, with the suggested scheme
	}
	if errors.Is(err, source.ErrNoScheme) || errors.Is(err, source.ErrUnknownScheme) {
		return source.SchemeRegistry + ":" + arg, nil
	}
	return "", err
}

// openSource opens an IMAGE argument of the CLI (see imageRef).
func openSource(ctx context.Context, arg, platform string) (*source.Source, error) {
	ref, err := imageRef(arg)
	if err != nil {
		return nil, err
	}
	var opts []source.OpenOption
	if platform != "" {
		opts = append(opts, source.WithPlatform(platform))
	}
	return source.Open(ctx, ref, opts...)
}

// output opens --output (stdout when empty). The returned close reports
// write errors.
func output(path string, stdout io.Writer) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}

// writeOutput writes to --output (or stdout) with encode.
func writeOutput(path string, stdout io.Writer, encode func(io.Writer) error) error {
	w, closeOut, err := output(path, stdout)
	if err != nil {
		return err
	}
	err = encode(w)
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	return err
}

func fail(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "shipshape: %v\n", err)
	return exitError
}

// parseFailOn reads a --fail-on value: a severity, or "none" (and "")
// for no gate (ok false).
func parseFailOn(s string) (threshold result.Severity, ok bool, err error) {
	if s == "" || s == "none" {
		return 0, false, nil
	}
	threshold, err = result.ParseSeverity(s)
	if err != nil {
		return 0, false, fmt.Errorf("--fail-on: %w (want low, medium, high, critical or none)", err)
	}
	return threshold, true, nil
}

// unratedHelp documents --unrated.
const unratedHelp = "with --fail-on, what an unrated vulnerability (one no source rates: it may be of any severity) does: deny (exit 1), warn (say so on standard error) or ignore"

// parseUnrated reads an --unrated value.
func parseUnrated(s string) (policy.Unrated, error) {
	u, err := policy.ParseUnrated(s)
	if err != nil {
		return "", fmt.Errorf("--unrated: %w", err)
	}
	return u, nil
}

// gateUnrated applies --unrated to a report's unrated findings; it says
// whether the gate fails.
func gateUnrated(stderr io.Writer, rf *readFlags, rep *scan.Report, u policy.Unrated) bool {
	un := rep.Unrated()
	if len(un) == 0 || u == policy.UnratedIgnore {
		return false
	}
	if u == policy.UnratedWarn {
		rf.warn(stderr, "%d unrated vulnerabilities pass the gate (--unrated warn), first %s in %s %s", len(un), un[0].ID, un[0].Package.Name, un[0].Package.Version)
		return false
	}
	fmt.Fprintf(stderr, "shipshape: failing: %d vulnerabilities are unrated, first %s in %s %s: no source rates them, so --fail-on cannot clear them (add the data that rates them, such as GitHub's advisories, to the store, or pass --unrated warn)\n",
		len(un), un[0].ID, un[0].Package.Name, un[0].Package.Version)
	return true
}

// readFlags are the flags of every command that reads an image:
// --platform, --quiet, --verbose, and the layer cache's.
type readFlags struct {
	platform          *string
	quiet, verbose    *bool
	cacheDir          *string
	noCache           *bool
	concurrency       *int
	layerCacheCapable bool
}

// addReadFlags registers the flags; cacheable says whether the command's
// walk can use the layer cache (--layer-cache, --no-layer-cache).
func addReadFlags(fs *flags, cacheable bool) *readFlags {
	r := &readFlags{
		platform:          fs.String("platform", "", "platform of a multi-platform image, os/arch[/variant] (default linux/amd64)"),
		quiet:             fs.Bool("quiet", false, "print nothing on standard error but errors: no progress, no warnings"),
		verbose:           fs.Bool("verbose", false, "say what was read, and how long it took, on standard error"),
		concurrency:       fs.Int("concurrency", 0, "layers read at once (default: the number of CPUs)"),
		layerCacheCapable: cacheable,
	}
	if cacheable {
		r.cacheDir = fs.String("layer-cache", "", "keep what each layer yields in `DIR`, so that layers read before are not read again (default: the user cache directory's shipshape/layers)")
		r.noCache = fs.Bool("no-layer-cache", false, "read every layer, and keep nothing")
	}
	return r
}

// start opens the layer cache and the progress bar, and returns the
// layer options of the read. Call bar.done when the read is over.
func (r *readFlags) start(stderr io.Writer) ([]layer.Option, *progressBar, error) {
	bar := newProgressBar(stderr, *r.quiet, *r.verbose)
	opts := []layer.Option{layer.WithProgress(bar.update)}
	if *r.concurrency != 0 {
		opts = append(opts, layer.WithConcurrency(*r.concurrency))
	}
	if r.layerCacheCapable {
		c, err := openLayerCache(*r.cacheDir, *r.noCache)
		if err != nil {
			return nil, nil, err
		}
		if c != nil {
			bar.cache = c
			opts = append(opts, layer.WithCache(c))
		}
	}
	return opts, bar, nil
}

// note prints a diagnostic unless --quiet.
func (r *readFlags) note(stderr io.Writer, format string, a ...any) {
	if !*r.quiet {
		fmt.Fprintf(stderr, "shipshape: "+format+"\n", a...)
	}
}

// warn prints a warning unless --quiet.
func (r *readFlags) warn(stderr io.Writer, format string, a ...any) {
	if !*r.quiet {
		fmt.Fprintf(stderr, "shipshape: warning: "+format+"\n", a...)
	}
}

// openLayerCache opens the layer cache in dir; nil (and no error) when it
// is turned off, or when the default directory cannot be had.
func openLayerCache(dir string, off bool) (*layercache.Cache, error) {
	if off {
		return nil, nil
	}
	if dir == "" {
		d, err := layercache.DefaultDir()
		if err != nil {
			return nil, nil // no user cache directory: read without a cache
		}
		c, err := layercache.Open(d)
		if err != nil {
			return nil, nil // a read-only home: read without a cache
		}
		return c, nil
	}
	return layercache.Open(dir)
}

// imageLayerOptions adds what the source needs to the read's options: a
// docker-archive's manifest costs a compression of every layer, so the
// walk does without it.
func imageLayerOptions(src *source.Source, opts []layer.Option) []layer.Option {
	if src.ManifestCostly {
		return append([]layer.Option{layer.WithoutManifest()}, opts...)
	}
	return opts
}

// multiFlag collects a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }
