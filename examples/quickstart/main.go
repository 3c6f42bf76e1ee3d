// Command quickstart shows what shipshape finds in an image, offline:
//
//	go run ./examples/quickstart                 # the bundled demo image
//	go run ./examples/quickstart IMAGE           # any image: registry:REF, docker-archive:PATH, …
//	go run ./examples/quickstart --sbom out.json # also write the CycloneDX SBOM
//
// It prints a short report: the image, its distribution, and the packages
// each layer brought in. It imports only the root module, so it builds in
// seconds.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/examples/demo"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, w io.Writer) error {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	sbomOut := fs.String("sbom", "", "also write the CycloneDX JSON SBOM to `FILE`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ref := fs.Arg(0)
	if ref == "" {
		dir, err := os.MkdirTemp("", "shipshape-quickstart-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		p, err := demo.Write(dir)
		if err != nil {
			return err
		}
		ref = "oci-archive:" + p + ":" + demo.TagDebian
		fmt.Fprintln(w, "Scanning the bundled demo image (Debian 12 with packages from 2023).")
	}
	t, err := shipshape.Open(ctx, ref)
	if err != nil {
		return err
	}
	defer t.Close()
	s, err := t.SBOM(ctx)
	if err != nil {
		return err
	}
	report(w, s)
	if *sbomOut != "" {
		f, err := os.Create(*sbomOut)
		if err != nil {
			return err
		}
		if err := sbom.Encode(f, s, sbom.FormatCycloneDXJSON); err != nil {
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

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
