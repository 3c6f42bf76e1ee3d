// Command floor measures the cost floor of inventorying an image: it only
// decompresses every layer and reads every tar entry to its end, doing
// nothing with the bytes. bench/compare.sh runs it next to shipshape and
// Syft so that the ratios come from one run on one machine.
//
//	go run ./internal/cmd/floor [-parallel] IMAGE
//
// IMAGE is any reference source.Open accepts. Layers are read one after
// another unless -parallel is given, which reads them as concurrently as
// shipshape does.
package main

import (
	"archive/tar"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"

	"golang.org/x/sync/errgroup"

	"github.com/shipshape-dev/shipshape/source"
)

func main() {
	parallel := flag.Bool("parallel", false, "read layers concurrently (GOMAXPROCS at once)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: floor [-parallel] IMAGE")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *parallel); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(2)
	}
}

func run(ref string, parallel bool) error {
	t, err := source.Open(context.Background(), ref)
	if err != nil {
		return err
	}
	defer t.Close()
	layers, err := t.Image.Layers()
	if err != nil {
		return err
	}
	var g errgroup.Group
	g.SetLimit(1)
	if parallel {
		g.SetLimit(runtime.GOMAXPROCS(0))
	}
	counts := make([]int64, len(layers))
	for i, l := range layers {
		g.Go(func() error {
			rc, err := l.Uncompressed()
			if err != nil {
				return err
			}
			defer rc.Close()
			tr := tar.NewReader(rc)
			for {
				_, err := tr.Next()
				if err == io.EOF {
					return nil
				}
				if err != nil {
					return err
				}
				n, err := io.Copy(io.Discard, tr)
				if err != nil {
					return err
				}
				counts[i] += n
			}
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	var total int64
	for _, c := range counts {
		total += c
	}
	fmt.Printf("%d layers, %d bytes of file content\n", len(layers), total)
	return nil
}
