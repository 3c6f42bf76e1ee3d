package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/layercache"
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
		"scan":               {summary: "match an image's packages against vulnerability data", run: runScan},
		"db":                 {summary: "fetch, build or describe the vulnerability data", run: runDB},
		"secrets":            {summary: "find credentials in an image's layers and config, or in a directory", run: runSecrets},
		"check":              {summary: "inspect an image, match vulnerabilities and evaluate a policy over it all; exit 1 on deny", run: runCheck},
		"inspect":            {summary: "SBOM, secrets and hardening findings of an image in one read", run: runInspect},
		"policy":             {summary: "evaluate a policy over SBOM, scan, secrets and signature evidence", run: runPolicy},
		"keygen":             {summary: "generate a cosign key pair (password in $COSIGN_PASSWORD)", run: runKeygen},
		"sign":               {summary: "sign an image by digest, as cosign does", run: runSign},
		"verify":             {summary: "verify an image's signatures with a public key", run: runVerify},
		"attest":             {summary: "attach a signed in-toto attestation (SBOM, scan, provenance) to an image", run: runAttest},
		"verify-attestation": {summary: "verify an image's attestations, filtered by predicate type", run: runVerifyAttestation},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: shipshape COMMAND [flags]")
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
	fmt.Fprintln(w, "\nIMAGE is registry:REF, docker-archive:PATH, oci-layout:DIR, oci-archive:PATH or dir:PATH;")
	fmt.Fprintln(w, "a bare reference means registry:. Run 'shipshape COMMAND -h' for its flags.")
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitError
		}
		return exitOK
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "shipshape: unknown command %q\n\n", args[0])
		usage(stderr)
		return exitError
	}
	return cmd.run(ctx, args[1:], stdout, stderr)
}

// oneArg parses args for a command of one positional argument (an image)
// and returns it. It prints the usage when there is not exactly one, or
// when a flag combination the command needs does not hold (valid, checked
// after parsing); false means the command should exit with exitError.
func oneArg(fs *flag.FlagSet, args []string, valid ...func() bool) (string, bool) {
	pos, err := parse(fs, args)
	if err != nil {
		return "", false // the flag package said why
	}
	ok := len(pos) == 1
	for _, v := range valid {
		ok = ok && v()
	}
	if !ok {
		fs.Usage()
		return "", false
	}
	return pos[0], true
}

// parse parses flags that may come before, between or after the positional
// arguments, and returns the positionals.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
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

var schemes = []string{shipshape.SchemeRegistry, shipshape.SchemeDockerArchive, shipshape.SchemeOCILayout,
	shipshape.SchemeOCIArchive, shipshape.SchemeDir}

// imageRef turns the user's IMAGE argument into a reference for
// shipshape.Open: a bare reference means registry:, unless it names a
// local file or directory, which needs an explicit scheme.
func imageRef(arg string) (string, error) {
	if scheme, _, ok := strings.Cut(arg, ":"); ok {
		for _, s := range schemes {
			if scheme == s {
				return arg, nil
			}
		}
	}
	if _, err := os.Stat(arg); err == nil {
		_, err := shipshape.Open(context.Background(), arg)
		return "", err // ErrNoScheme, with the suggested scheme
	}
	return shipshape.SchemeRegistry + ":" + arg, nil
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

func fail(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "shipshape: %v\n", err)
	return exitError
}

// layerCacheFlags are --layer-cache and --no-layer-cache.
type layerCacheFlags struct {
	dir *string
	off *bool
}

func addLayerCacheFlags(fs *flag.FlagSet) layerCacheFlags {
	return layerCacheFlags{
		dir: fs.String("layer-cache", "", "keep what each layer yields in `DIR`, so that layers read before are not read again (default: the user cache directory's shipshape/layers)"),
		off: fs.Bool("no-layer-cache", false, "read every layer, and keep nothing"),
	}
}

// open opens the layer cache the flags name; nil (and no error) when it is
// turned off, or when the default directory cannot be had.
func (l layerCacheFlags) open() (*layercache.Cache, error) {
	if *l.off {
		return nil, nil
	}
	dir := *l.dir
	if dir == "" {
		d, err := layercache.DefaultDir()
		if err != nil {
			return nil, nil
		}
		c, err := layercache.Open(d)
		if err != nil {
			return nil, nil // a read-only home: scan without a cache
		}
		return c, nil
	}
	return layercache.Open(dir)
}

// withLayerCache is the Inspect option for the layer cache c; none when
// the cache is off.
func withLayerCache(c *layercache.Cache) []shipshape.InspectOption {
	if c == nil {
		return nil
	}
	return []shipshape.InspectOption{shipshape.WithLayerCache(c)}
}
