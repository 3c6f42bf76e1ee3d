// Package sarif holds the subset of SARIF 2.1.0 that GitHub code scanning
// reads, shared by the report encoders of scan and secrets.
package sarif

import (
	"encoding/json"
	"io"

	"github.com/shipshape-dev/shipshape/internal/buildinfo"
	"github.com/shipshape-dev/shipshape/result"
)

// Log is a SARIF document.
type Log struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []Run  `json:"runs"`
}

// Run is one tool's run.
type Run struct {
	Tool    Tool     `json:"tool"`
	Results []Result `json:"results"`
	// Invocations carry the run's notifications: what the tool could not
	// check (SARIF's toolExecutionNotifications).
	Invocations []Invocation `json:"invocations,omitempty"`
}

// Invocation is one run of the tool.
type Invocation struct {
	ExecutionSuccessful        bool           `json:"executionSuccessful"`
	ToolExecutionNotifications []Notification `json:"toolExecutionNotifications,omitempty"`
}

// Notification is a message about the run, not a result: level
// "warning" for what could not be checked.
type Notification struct {
	Level      string      `json:"level"`
	Message    Text        `json:"message"`
	Descriptor *Descriptor `json:"descriptor,omitempty"`
}

// Descriptor names the kind of a notification.
type Descriptor struct {
	ID string `json:"id"`
}

// Notify adds warning notifications to the run's one invocation.
func (r *Run) Notify(ns ...Notification) {
	if len(ns) == 0 {
		return
	}
	if len(r.Invocations) == 0 {
		r.Invocations = []Invocation{{ExecutionSuccessful: true}}
	}
	r.Invocations[0].ToolExecutionNotifications = append(r.Invocations[0].ToolExecutionNotifications, ns...)
}

// Tool names the tool.
type Tool struct {
	Driver Driver `json:"driver"`
}

// Driver describes the tool and its rules.
type Driver struct {
	Name           string `json:"name"`
	Version        string `json:"version,omitempty"`
	InformationURI string `json:"informationUri"`
	Rules          []Rule `json:"rules"`
}

// Rule is a reporting descriptor.
type Rule struct {
	ID               string         `json:"id"`
	Name             string         `json:"name"`
	ShortDescription Text           `json:"shortDescription"`
	FullDescription  Text           `json:"fullDescription"`
	HelpURI          string         `json:"helpUri,omitempty"`
	Help             Markdown       `json:"help"`
	Default          Config         `json:"defaultConfiguration"`
	Properties       map[string]any `json:"properties"`
}

// Text is a plain message.
type Text struct {
	Text string `json:"text"`
}

// Markdown is a message with a Markdown form.
type Markdown struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

// Config is a rule's default configuration.
type Config struct {
	Level string `json:"level"`
}

// Result is one finding.
type Result struct {
	RuleID       string            `json:"ruleId"`
	RuleIndex    int               `json:"ruleIndex"`
	Level        string            `json:"level"`
	Message      Text              `json:"message"`
	Locations    []Location        `json:"locations"`
	Fingerprints map[string]string `json:"partialFingerprints"`
	Suppressions []Suppression     `json:"suppressions,omitempty"`
	Properties   map[string]any    `json:"properties,omitempty"`
}

// Location is where a result is.
type Location struct {
	Physical Physical `json:"physicalLocation"`
}

// Physical is a file and a region in it.
type Physical struct {
	Artifact Artifact `json:"artifactLocation"`
	Region   Region   `json:"region"`
}

// Artifact is a file.
type Artifact struct {
	URI string `json:"uri"`
}

// Region is a stretch of lines and columns (1-based).
type Region struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
}

// Suppression says why a result does not count.
type Suppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification"`
}

// Level maps a severity to a SARIF level.
func Level(s result.Severity) string {
	switch s {
	case result.SeverityCritical, result.SeverityHigh:
		return "error"
	case result.SeverityMedium:
		return "warning"
	}
	return "note"
}

// SecuritySeverity is the score GitHub sorts code-scanning alerts by, for
// a severity without a score of its own.
func SecuritySeverity(s result.Severity) string {
	return map[result.Severity]string{result.SeverityCritical: "9.5", result.SeverityHigh: "8.0",
		result.SeverityMedium: "5.5", result.SeverityLow: "2.0"}[s]
}

// NewRun starts a run of shipshape with no rules and no results.
func NewRun() Run {
	return Run{Tool: Tool{Driver: Driver{Name: "shipshape", Version: buildinfo.Version(),
		InformationURI: "https://github.com/shipshape-dev/shipshape", Rules: []Rule{}}}, Results: []Result{}}
}

// Write encodes a log of one run.
func Write(w io.Writer, run Run) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(Log{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []Run{run}})
}

// Merge joins runs into one run of shipshape: the rules of all, each id
// once (the first run's rule of an id wins), the results of all, their
// rule indexes pointing into the joined rules, and the notifications of
// all.
func Merge(runs ...Run) Run {
	out := NewRun()
	index := map[string]int{}
	for _, r := range runs {
		remap := make([]int, len(r.Tool.Driver.Rules))
		for i, rule := range r.Tool.Driver.Rules {
			k, ok := index[rule.ID]
			if !ok {
				k = len(out.Tool.Driver.Rules)
				index[rule.ID] = k
				out.Tool.Driver.Rules = append(out.Tool.Driver.Rules, rule)
			}
			remap[i] = k
		}
		for _, res := range r.Results {
			if res.RuleIndex >= 0 && res.RuleIndex < len(remap) {
				res.RuleIndex = remap[res.RuleIndex]
			} else if k, ok := index[res.RuleID]; ok {
				res.RuleIndex = k
			}
			out.Results = append(out.Results, res)
		}
		for _, inv := range r.Invocations {
			out.Notify(inv.ToolExecutionNotifications...)
		}
	}
	return out
}
