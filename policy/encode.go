package policy

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shipshape-dev/shipshape/internal/sarif"
	"github.com/shipshape-dev/shipshape/result"
)

// Format is an output format of Encode.
type Format string

// The formats Encode writes.
const (
	FormatJSON  Format = "json"
	FormatTable Format = "table"
	FormatJUnit Format = "junit"
	FormatSARIF Format = "sarif"
)

// ParseFormat checks a format name.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case FormatJSON, FormatTable, FormatJUnit, FormatSARIF:
		return f, nil
	}
	return "", fmt.Errorf("%w: %q (want json, table, junit or sarif)", result.ErrUnknownFormat, s)
}

// Encode writes d in format f.
func Encode(w io.Writer, d *Decision, f Format) error {
	switch f {
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	case FormatTable:
		return encodeTable(w, d)
	case FormatJUnit:
		return encodeJUnit(w, d)
	case FormatSARIF:
		return encodeSARIF(w, d)
	}
	return fmt.Errorf("%w: %q", result.ErrUnknownFormat, f)
}

// where is a short location of a violation's evidence.
// String says in a few words what the evidence points at: missing
// evidence, the package or file (with its line), the layer.
func (e *Evidence) String() string {
	var parts []string
	if e.Missing != "" {
		parts = append(parts, "missing "+e.Missing)
	}
	if e.Package != "" {
		parts = append(parts, e.Package)
	} else if e.Path != "" {
		p := e.Path
		if e.Line > 0 {
			p = fmt.Sprintf("%s:%d", p, e.Line)
		}
		parts = append(parts, p)
	}
	if e.Layer != "" {
		parts = append(parts, "layer "+result.ShortDigest(e.Layer))
	}
	return strings.Join(parts, ", ")
}

func counts(d *Decision) (byAction map[Action]int, waived int) {
	byAction = map[Action]int{}
	for _, v := range d.Violations {
		if v.Waived != nil {
			waived++
		} else {
			byAction[v.Action]++
		}
	}
	return byAction, waived
}

// Summary is a one-line account of the decision.
func (d *Decision) Summary() string {
	c, waived := counts(d)
	rules := 0
	for _, r := range d.Rules {
		if r.Name != WaiverRule && r.Name != IncompleteRule {
			rules++
		}
	}
	s := fmt.Sprintf("policy %s: %s, %d deny, %d warn, %d info", d.Verdict, plural(rules, "rule"), c[Deny], c[Warn], c[Info])
	if waived > 0 {
		s += fmt.Sprintf(", %d waived", waived)
	}
	if d.Image != "" {
		s += " (" + d.Image + ")"
	}
	return s
}

func encodeTable(w io.Writer, d *Decision) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, d.Summary())
	if len(d.Violations) > 0 {
		fmt.Fprintln(bw)
		tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ACTION\tRULE\tMESSAGE\tEVIDENCE")
		for _, v := range d.Violations {
			act := string(v.Action)
			if v.Waived != nil {
				act = "waived"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", act, v.Rule, oneLine(v.Message), v.Evidence.String())
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for _, v := range d.Violations {
			if v.Waived != nil {
				fmt.Fprintf(bw, "\nwaived by %s: %s", v.Waived.Owner, oneLine(v.Waived.Reason))
				if !v.Waived.Expires.IsZero() {
					fmt.Fprintf(bw, " (until %s)", v.Waived.Expires.UTC().Format(time.DateOnly))
				}
				fmt.Fprintf(bw, " — %s: %s", v.Rule, oneLine(v.Message))
			}
		}
		if _, waived := counts(d); waived > 0 {
			fmt.Fprintln(bw)
		}
	}
	return bw.Flush()
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Timestamp string      `xml:"timestamp,attr"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// encodeJUnit writes one test case per rule: a deny rule with violations
// no waiver covers fails; warnings, information and waived violations are
// listed in the case's output.
func encodeJUnit(w io.Writer, d *Decision) error {
	suite := junitSuite{Name: "shipshape policy", Timestamp: d.EvaluatedAt.UTC().Format(time.RFC3339)}
	if d.Image != "" {
		suite.Name += " " + d.Image
	}
	byRule := map[string][]Violation{}
	for _, v := range d.Violations {
		byRule[v.Rule] = append(byRule[v.Rule], v)
	}
	for _, r := range d.Rules {
		c := junitCase{Name: r.Name, Classname: "policy." + string(r.Action)}
		var failing, other []string
		for _, v := range byRule[r.Name] {
			line := oneLine(v.Message)
			if e := v.Evidence.String(); e != "" {
				line += " [" + e + "]"
			}
			switch {
			case v.Waived != nil:
				other = append(other, "waived by "+v.Waived.Owner+": "+line)
			case v.Action == Deny:
				failing = append(failing, line)
			default:
				other = append(other, string(v.Action)+": "+line)
			}
		}
		if len(failing) > 0 {
			msg := plural(len(failing), "violation")
			if r.Description != "" {
				msg += " of: " + r.Description
			}
			c.Failure = &junitFailure{Message: msg, Type: string(r.Action), Text: strings.Join(failing, "\n")}
			suite.Failures++
		}
		c.SystemOut = strings.Join(other, "\n")
		suite.Cases = append(suite.Cases, c)
	}
	suite.Tests = len(suite.Cases)
	doc := junitSuites{Name: "shipshape", Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func sarifLevel(a Action) string {
	switch a {
	case Deny:
		return "error"
	case Warn:
		return "warning"
	}
	return "note"
}

func encodeSARIF(w io.Writer, d *Decision) error {
	run := sarif.NewRun()
	index := map[string]int{}
	for _, r := range d.Rules {
		desc := r.Description
		if desc == "" {
			desc = r.Name
		}
		index[r.Name] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarif.Rule{
			ID: "policy/" + r.Name, Name: r.Name,
			ShortDescription: sarif.Text{Text: desc}, FullDescription: sarif.Text{Text: desc},
			Help:       sarif.Markdown{Text: "Policy rule " + r.Name + ": " + desc, Markdown: "Policy rule `" + r.Name + "`: " + desc},
			Default:    sarif.Config{Level: sarifLevel(r.Action)},
			Properties: map[string]any{"tags": []string{"security", "policy", string(r.Action)}},
		})
	}
	for _, v := range d.Violations {
		uri := v.Evidence.Path
		if uri == "" {
			uri = "image"
		}
		line := max(v.Evidence.Line, 1)
		h := sha256.Sum256([]byte(v.Rule + "\x00" + v.Evidence.Missing + "\x00" + v.Evidence.Finding + "\x00" + v.Evidence.Package +
			"\x00" + v.Evidence.Layer + "\x00" + v.Evidence.Path + "\x00" + v.Evidence.Value))
		res := sarif.Result{
			RuleID: "policy/" + v.Rule, RuleIndex: index[v.Rule], Level: sarifLevel(v.Action), Message: sarif.Text{Text: v.Message},
			Locations:    []sarif.Location{{Physical: sarif.Physical{Artifact: sarif.Artifact{URI: uri}, Region: sarif.Region{StartLine: line}}}},
			Fingerprints: map[string]string{"shipshapePolicy/v1": hex.EncodeToString(h[:16])},
		}
		props := map[string]any{}
		if v.Evidence.Package != "" {
			props["package"] = v.Evidence.Package
		}
		if v.Evidence.Layer != "" {
			props["layer"] = v.Evidence.Layer
		}
		if v.Evidence.Missing != "" {
			props["missing"] = v.Evidence.Missing
		}
		if len(props) > 0 {
			res.Properties = props
		}
		if v.Waived != nil {
			just := v.Waived.Reason + " (owner " + v.Waived.Owner
			if !v.Waived.Expires.IsZero() {
				just += ", until " + v.Waived.Expires.UTC().Format(time.DateOnly)
			}
			res.Suppressions = []sarif.Suppression{{Kind: "external", Justification: just + ")"}}
		}
		run.Results = append(run.Results, res)
	}
	return sarif.Write(w, run)
}
