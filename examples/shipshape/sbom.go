package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/source"
)

// sourceDateEpoch is the variable of reproducible builds
// (https://reproducible-builds.org/specs/source-date-epoch/).
const sourceDateEpoch = "SOURCE_DATE_EPOCH"

func runSBOM(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("sbom", "usage: shipshape sbom IMAGE [flags]\n",
		`Inventories the packages of an image or a directory (dir:PATH): distribution packages
and language packages, with the layer each came from.

A CycloneDX document is reproducible when its serial number and timestamp are pinned:
--serial-number and --timestamp, or $`+sourceDateEpoch+` (seconds since 1970) for the
timestamp when --timestamp is not given.
`, stdout, stderr)
	format := fs.String("format", "table", "output format: cyclonedx-json, cyclonedx-xml, json or table")
	out := fs.String("output", "", "write to `FILE` instead of standard output")
	serial := fs.String("serial-number", "", "CycloneDX serial number, urn:uuid:<uuid> (`URN`; default: a random one)")
	stamp := fs.String("timestamp", "", "CycloneDX metadata timestamp, RFC 3339 (`TIME`; default: $"+sourceDateEpoch+", else now)")
	rf := addReadFlags(fs, true)
	arg, code, ok := fs.one(args, "IMAGE")
	if !ok {
		return code
	}
	f, err := sbom.ParseFormat(*format)
	if err != nil {
		return fs.usageError("--format: %v", err)
	}
	eopts, err := encodeOptions(*serial, *stamp)
	if err != nil {
		return fs.usageError("%v", err)
	}
	src, err := openSource(ctx, arg, *rf.platform)
	if err != nil {
		return fail(stderr, err)
	}
	defer src.Close()
	lopts, bar, err := rf.start(stderr)
	if err != nil {
		return fail(stderr, err)
	}
	s, err := inventory(ctx, src, lopts)
	bar.done()
	if err != nil {
		return fail(stderr, err)
	}
	err = writeOutput(*out, stdout, func(w io.Writer) error {
		return sbom.Encode(w, s, f, eopts...)
	})
	if err != nil {
		return fail(stderr, err)
	}
	if n := len(s.Errors); n > 0 && f != sbom.FormatTable {
		rf.warn(stderr, "%d files or layers could not be read completely; they are listed in the output", n)
	}
	return exitOK
}

// inventory reads the SBOM of an opened image or directory.
func inventory(ctx context.Context, src *source.Source, lopts []layer.Option) (*sbom.SBOM, error) {
	opts := []sbom.Option{sbom.WithName(src.Name), sbom.WithReference(src.Reference)}
	if src.Image == nil {
		return sbom.FromFS(ctx, src.FS, append(opts, sbom.WithLayerOptions(lopts...))...)
	}
	return sbom.FromImage(ctx, src.Image, append(opts, sbom.WithLayerOptions(imageLayerOptions(src, lopts)...))...)
}

// encodeOptions pins the CycloneDX serial number and timestamp:
// --serial-number, --timestamp, else $SOURCE_DATE_EPOCH.
func encodeOptions(serial, stamp string) ([]sbom.EncodeOption, error) {
	var opts []sbom.EncodeOption
	if serial != "" {
		opts = append(opts, sbom.WithSerialNumber(serial))
	}
	switch epoch := os.Getenv(sourceDateEpoch); {
	case stamp != "":
		t, err := time.Parse(time.RFC3339, stamp)
		if err != nil {
			return nil, fmt.Errorf("--timestamp %q is not RFC 3339 (2006-01-02T15:04:05Z)", stamp)
		}
		opts = append(opts, sbom.WithTimestamp(t))
	case epoch != "":
		n, err := strconv.ParseInt(epoch, 10, 64)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("$%s=%q is not a number of seconds since 1970", sourceDateEpoch, epoch)
		}
		opts = append(opts, sbom.WithTimestamp(time.Unix(n, 0).UTC()))
	}
	// Check the serial number now: a usage error, before the image is read.
	if _, err := sbom.ToCycloneDX(&sbom.SBOM{}, opts...); err != nil {
		return nil, fmt.Errorf("--serial-number: %w", err)
	}
	return opts, nil
}
