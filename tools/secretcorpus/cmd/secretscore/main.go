// Command secretscore scores a secret scanner's JSON report against the
// labels of the corpus that tools/secretcorpus/cmd/secretcorpus writes.
//
//	secretscore -labels labels.json -tree DIR -format gitleaks|shipshape [-v] REPORT.json
//
// It prints recall, precision, the TP/FP/FN counts and the recall of each
// format and carrier; -v also lists the missed labels and the false
// positives (file:line rules). A finding matches a label when it is in the
// same file and its lines overlap the label's; see secretcorpus.Score.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/shipshape-dev/shipshape/tools/secretcorpus"
)

func main() {
	labelsPath := flag.String("labels", "", "labels.json written by secretcorpus (required)")
	tree := flag.String("tree", "", "the directory that was scanned (required)")
	format := flag.String("format", "", "report format: gitleaks or shipshape (required)")
	verbose := flag.Bool("v", false, "list misses and false positives")
	flag.Parse()
	if *labelsPath == "" || *tree == "" || flag.NArg() != 1 || (*format != "gitleaks" && *format != "shipshape") {
		fmt.Fprintln(os.Stderr, "usage: secretscore -labels labels.json -tree DIR -format gitleaks|shipshape [-v] REPORT.json")
		os.Exit(2)
	}
	if err := run(os.Stdout, *labelsPath, *tree, *format, flag.Arg(0), *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "secretscore:", err)
		os.Exit(2)
	}
}

func run(w io.Writer, labelsPath, tree, format, reportPath string, verbose bool) error {
	labels, err := secretcorpus.ReadLabelsFile(labelsPath)
	if err != nil {
		return err
	}
	f, err := os.Open(reportPath)
	if err != nil {
		return err
	}
	defer f.Close()
	var findings []secretcorpus.Finding
	if format == "gitleaks" {
		findings, err = secretcorpus.ReadGitleaksReport(f, tree)
	} else {
		findings, err = secretcorpus.ReadShipshapeReport(f, tree)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", reportPath, err)
	}
	res := secretcorpus.Score(labels, findings)
	report(w, format, res, verbose)
	return nil
}

func report(w io.Writer, tool string, res secretcorpus.Result, verbose bool) {
	fmt.Fprintf(w, "%s: recall %.3f (%d/%d)  precision %.3f (%d/%d finding lines)  TP %d  FP %d  FN %d\n",
		tool, res.Recall, res.TP, res.Labels, res.Precision, res.TPFindings, res.Findings, res.TP, res.FP, res.FN)
	table := func(title string, rows []secretcorpus.FormatResult) {
		fmt.Fprintf(w, "\n%-34s %6s %6s %7s\n", title, "labels", "found", "recall")
		for _, r := range rows {
			mark := ""
			if r.Found < r.Labels {
				mark = "  <"
			}
			fmt.Fprintf(w, "%-34s %6d %6d %7.2f%s\n", r.Name, r.Labels, r.Found, r.Recall, mark)
		}
	}
	table("format", res.PerFormat)
	table("carrier", res.PerCarrier)
	if !verbose {
		return
	}
	fmt.Fprintf(w, "\nmisses (%d):\n", len(res.Misses))
	for _, l := range res.Misses {
		note := ""
		if l.Note != "" {
			note = " (" + l.Note + ")"
		}
		fmt.Fprintf(w, "  %s:%d-%d %s [%s]%s\n", l.File, l.Line, l.EndLine, l.Format, l.Carrier, note)
	}
	fmt.Fprintf(w, "\nfalse positives (%d):\n", len(res.FalsePositives))
	for _, fp := range res.FalsePositives {
		fmt.Fprintf(w, "  %s:%d %s\n", fp.File, fp.Line, strings.Join(fp.Rules, ","))
	}
}
