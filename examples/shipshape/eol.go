package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/shipshape-dev/shipshape/scan"
)

// eolTable is the end-of-life table scans judge distributions by: the one
// 'shipshape db fetch-eol' left in the cache directory (dir, or the user
// cache directory) when it is newer than the embedded one. A file there
// that cannot be read fails the command: a gate does not quietly fall
// back to older dates.
func eolTable(dir string) (*scan.EOLTable, error) {
	if dir == "" {
		var err error
		if dir, err = scan.DefaultCacheDir(); err != nil {
			// No cache directory: no fetched table either.
			return scan.DefaultEOLTable(), nil
		}
	}
	t, err := scan.CachedEOLTable(dir)
	if err != nil {
		return nil, fmt.Errorf("%w (run 'shipshape db fetch-eol' again, or delete the file to use the built-in table)", err)
	}
	return t, nil
}

func runDBFetchEOL(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("db fetch-eol", "usage: shipshape db fetch-eol [--url URL] [--cache-dir DIR]\n",
		`Downloads the distributions' end-of-support dates from endoflife.date (data under the MIT
licence) into the cache directory; later scans judge distribution releases by them, offline.
Without it, scans use the table built into shipshape. A failed or bad download keeps the
table in place.
`, stdout, stderr)
	base := fs.String("url", scan.DefaultEOLBaseURL, "where endoflife.date's API is served (`URL`; <URL>/products/<product>)")
	cacheDir := fs.String("cache-dir", "", "where the table is kept (`DIR`; default: the user cache directory)")
	pos, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	if len(pos) != 0 {
		return fs.usageError("expected no arguments, got %q", pos)
	}
	opts := []scan.FetchOption{scan.WithBaseURL(*base)}
	if *cacheDir != "" {
		opts = append(opts, scan.WithFetchCacheDir(*cacheDir))
	}
	res, err := scan.FetchEOL(ctx, opts...)
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "end-of-life table %s: %d distributions, as of %s (%s)\n", res.Path, len(res.Products),
		res.AsOf.Format(time.DateOnly), strings.Join(res.Products, ", "))
	return exitOK
}

// printCoverage writes what the vulnerability scan says about the image
// as a whole: its distribution's support status and its warnings (what
// could not be checked), for outputs that do not carry the report.
func printCoverage(w io.Writer, r *scan.Report) {
	if r == nil {
		return
	}
	if s := r.Support.String(); s != "" {
		fmt.Fprintln(w, printable(s))
	}
	for _, wn := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", printable(wn.Message))
	}
}

// printable drops control characters (terminal escapes from names in the
// image or the data) and keeps the text on one line.
func printable(s string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)), " ")
}
