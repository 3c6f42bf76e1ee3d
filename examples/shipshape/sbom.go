package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/sbom"
)

func runSBOM(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sbom", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "table", "output format: cyclonedx-json, cyclonedx-xml, json or table")
	out := fs.String("output", "", "write to `FILE` instead of standard output")
	platform := fs.String("platform", "", "platform of a multi-platform image, os/arch[/variant] (default linux/amd64)")
	concurrency := fs.Int("concurrency", 0, "layers read at once (default: number of CPUs)")
	quiet := fs.Bool("quiet", false, "print nothing on standard error but errors (no progress bar)")
	verbose := fs.Bool("verbose", false, "say what was read, and how long it took, on stderr")
	lc := addLayerCacheFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: shipshape sbom IMAGE [flags]")
		fs.PrintDefaults()
	}
	arg, ok := oneArg(fs, args)
	if !ok {
		return exitError
	}
	f, err := sbom.ParseFormat(*format)
	if err != nil {
		return fail(stderr, err)
	}
	ref, err := imageRef(arg)
	if err != nil {
		return fail(stderr, err)
	}
	var oopts []shipshape.OpenOption
	if *platform != "" {
		oopts = append(oopts, shipshape.WithPlatform(*platform))
	}
	var sopts []sbom.Option
	if *concurrency != 0 {
		sopts = append(sopts, sbom.WithConcurrency(*concurrency))
	}
	cache, err := lc.open()
	if err != nil {
		return fail(stderr, err)
	}
	if cache != nil {
		sopts = append(sopts, sbom.WithLayerCache(cache))
	}
	t, err := shipshape.Open(ctx, ref, oopts...)
	if err != nil {
		return fail(stderr, err)
	}
	defer t.Close()
	bar := newProgressBar(stderr, *quiet, *verbose)
	bar.cache = cache
	s, err := t.SBOM(ctx, append(sopts, sbom.WithProgress(bar.update))...)
	bar.done()
	if err != nil {
		return fail(stderr, err)
	}
	w, closeOut, err := output(*out, stdout)
	if err != nil {
		return fail(stderr, err)
	}
	if err := sbom.Encode(w, s, f); err != nil {
		closeOut()
		return fail(stderr, err)
	}
	if err := closeOut(); err != nil {
		return fail(stderr, err)
	}
	if n := len(s.Errors); n > 0 && !*quiet && f != sbom.FormatTable {
		fmt.Fprintf(stderr, "shipshape: %d files or layers could not be read completely; they are listed in the output\n", n)
	}
	return exitOK
}
