package main

import (
	"context"
	"fmt"
	"io"
	"runtime"

	"github.com/shipshape-dev/shipshape"
)

func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("version", "usage: shipshape version\n       shipshape --version\n",
		"Prints the version of the shipshape library this build holds (its release, or, built from a\ncheckout, the release it follows with +devel and the revision), as SBOMs and SARIF logs name\nthe tool, and the Go version and platform.\n", stdout, stderr)
	pos, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	if len(pos) != 0 {
		return fs.usageError("expected no arguments, got %d", len(pos))
	}
	fmt.Fprintf(stdout, "shipshape %s %s %s/%s\n", shipshape.Version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}
