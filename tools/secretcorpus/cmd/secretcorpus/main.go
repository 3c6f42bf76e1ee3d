// Command secretcorpus writes the labeled secret-detection corpus of
// package tools/secretcorpus: the files into OUT/tree and the labels of
// the planted secrets into OUT/labels.json, beside the tree.
//
//	go run ./tools/secretcorpus/cmd/secretcorpus -out DIR [-seed N] [-force]
//
// The same seed always writes the same bytes. -force removes an existing
// OUT/tree and OUT/labels.json first.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/shipshape-dev/shipshape/tools/secretcorpus"
)

func main() {
	out := flag.String("out", "", "directory to write tree/ and labels.json into (required)")
	seed := flag.Int64("seed", 1, "random seed")
	force := flag.Bool("force", false, "replace an existing corpus in -out")
	flag.Parse()
	if *out == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: secretcorpus -out DIR [-seed N] [-force]")
		os.Exit(2)
	}
	if err := run(*out, *seed, *force); err != nil {
		fmt.Fprintln(os.Stderr, "secretcorpus:", err)
		os.Exit(2)
	}
}

func run(out string, seed int64, force bool) error {
	if force {
		if err := os.RemoveAll(filepath.Join(out, secretcorpus.TreeDir)); err != nil {
			return err
		}
		if err := os.Remove(filepath.Join(out, secretcorpus.LabelsFile)); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	labels, err := secretcorpus.Generate(out, seed)
	if err != nil {
		return err
	}
	files := map[string]bool{}
	for _, l := range labels {
		files[l.File] = true
	}
	fmt.Printf("wrote %s: %d labels in %d files, %d formats; labels in %s\n",
		filepath.Join(out, secretcorpus.TreeDir), len(labels), len(files), len(labels.Formats()), filepath.Join(out, secretcorpus.LabelsFile))
	return nil
}
