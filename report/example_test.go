package report_test

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/report"
	"github.com/shipshape-dev/shipshape/result"
)

// HTML writes one page that a CI run can keep as an artifact. Parts not
// given are shown as not checked.
func ExampleHTML() {
	hardening := &harden.Report{Checks: []string{"root-user"}, Findings: []harden.Finding{{
		ID: "root-user", Title: "Image runs as root", Severity: result.SeverityHigh,
		Evidence: harden.Evidence{User: "(none: root)"}, Remediation: "Add a USER.",
	}}}
	var page bytes.Buffer
	err := report.HTML(&page, &policy.Input{Name: "registry.example/app:1.0", Hardening: hardening}, nil,
		report.WithGenerated(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		fmt.Println(err)
		return
	}
	html := page.String()
	fmt.Println(strings.HasPrefix(html, "<!DOCTYPE html>"), strings.Contains(html, "root-user"), strings.Count(html, "Not checked"))
	// Output:
	// true true 2
}
