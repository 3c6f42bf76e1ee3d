package policy

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/ext"
	"github.com/google/go-containerregistry/pkg/name"
)

// DefaultCELCostLimit bounds the cost of one CEL rule's evaluation, in
// CEL's cost units (about one per visited list element and comparison):
// ample for a rule over 100,000 packages, small enough that a runaway
// expression stops in well under a second.
const DefaultCELCostLimit = 10_000_000

// The CEL view of an Input. Field names are those of the JSON forms;
// secret values and environment values are left out.
type celInput struct {
	Image           celImage       `cel:"image"`
	Packages        []celPackage   `cel:"packages"`
	Vulnerabilities []celVuln      `cel:"vulnerabilities"`
	Hardening       []celHardening `cel:"hardening"`
	Secrets         []celSecret    `cel:"secrets"`
	Signatures      []celSignature `cel:"signatures"`
	Present         celPresent     `cel:"present"`
}

type celPresent struct {
	SBOM            bool `cel:"sbom"`
	Vulnerabilities bool `cel:"vulnerabilities"`
	Hardening       bool `cel:"hardening"`
	Secrets         bool `cel:"secrets"`
	Signatures      bool `cel:"signatures"`
	Config          bool `cel:"config"`
	Reference       bool `cel:"reference"`
	Digest          bool `cel:"digest"`
	Created         bool `cel:"created"`
}

type celImage struct {
	Reference    string            `cel:"reference"`
	Registry     string            `cel:"registry"`
	Repository   string            `cel:"repository"`
	Digest       string            `cel:"digest"`
	Created      time.Time         `cel:"created"`
	User         string            `cel:"user"`
	Labels       map[string]string `cel:"labels"`
	EnvKeys      []string          `cel:"env_keys"`
	ExposedPorts []string          `cel:"exposed_ports"`
	WorkingDir   string            `cel:"working_dir"`
	OS           string            `cel:"os"`
	Architecture string            `cel:"architecture"`
}

type celPackage struct {
	Name       string   `cel:"name"`
	Version    string   `cel:"version"`
	Type       string   `cel:"type"`
	PURL       string   `cel:"purl"`
	Licenses   []string `cel:"licenses"`
	SourceName string   `cel:"source_name"`
	Location   string   `cel:"location"`
	Layer      string   `cel:"layer"`
}

type celVuln struct {
	ID            string     `cel:"id"`
	Aliases       []string   `cel:"aliases"`
	Severity      string     `cel:"severity"`
	SeverityRank  int        `cel:"severity_rank"`
	Score         float64    `cel:"score"`
	FixedVersions []string   `cel:"fixed_versions"`
	Fixable       bool       `cel:"fixable"`
	Suppressed    bool       `cel:"suppressed"`
	Package       celPackage `cel:"package"`
}

type celHardening struct {
	ID           string `cel:"id"`
	Title        string `cel:"title"`
	Severity     string `cel:"severity"`
	SeverityRank int    `cel:"severity_rank"`
	Path         string `cel:"path"`
	Layer        string `cel:"layer"`
	Value        string `cel:"value"`
}

type celSecret struct {
	RuleID       string `cel:"rule_id"`
	Description  string `cel:"description"`
	Severity     string `cel:"severity"`
	SeverityRank int    `cel:"severity_rank"`
	File         string `cel:"file"`
	Line         int    `cel:"line"`
	Layer        string `cel:"layer"`
	Visible      bool   `cel:"visible"`
	Fingerprint  string `cel:"fingerprint"`
}

type celSignature struct {
	Verified       bool     `cel:"verified"`
	Digest         string   `cel:"digest"`
	Key            string   `cel:"key"`
	Issuer         string   `cel:"issuer"`
	Subject        string   `cel:"subject"`
	PredicateTypes []string `cel:"predicate_types"`
}

// newCELView builds the CEL view of in.
func newCELView(in *Input) *celInput {
	v := &celInput{}
	v.Image.Reference = in.ImageReference()
	if r, err := name.ParseReference(strings.TrimPrefix(v.Image.Reference, "registry:")); v.Image.Reference != "" && err == nil {
		v.Image.Registry, v.Image.Repository = r.Context().RegistryStr(), r.Context().RepositoryStr()
	}
	v.Image.Digest = in.ImageDigest()
	v.Image.Created = in.CreatedAt()
	v.Image.Labels = map[string]string{}
	if c := in.Config; c != nil {
		v.Image.User, v.Image.WorkingDir = c.Config.User, c.Config.WorkingDir
		v.Image.OS, v.Image.Architecture = c.OS, c.Architecture
		for k, l := range c.Config.Labels {
			v.Image.Labels[k] = l
		}
		for _, e := range c.Config.Env {
			k, _, _ := strings.Cut(e, "=")
			v.Image.EnvKeys = append(v.Image.EnvKeys, k)
		}
		for p := range c.Config.ExposedPorts {
			v.Image.ExposedPorts = append(v.Image.ExposedPorts, p)
		}
		slices.Sort(v.Image.ExposedPorts)
	}
	hs, hok := in.hardening()
	v.Present = celPresent{SBOM: in.SBOM != nil, Vulnerabilities: in.Scan != nil, Hardening: hok,
		Secrets: in.Secrets != nil, Signatures: len(in.Signatures) > 0, Config: in.Config != nil,
		Reference: v.Image.Reference != "", Digest: v.Image.Digest != "", Created: !v.Image.Created.IsZero()}
	if in.SBOM != nil {
		v.Packages = make([]celPackage, len(in.SBOM.Packages))
		for i := range in.SBOM.Packages {
			p := &in.SBOM.Packages[i]
			v.Packages[i] = celPackage{Name: p.Name, Version: p.Version, Type: p.Type, PURL: packagePURL(p),
				Licenses: p.Licenses, SourceName: p.SourceName, Location: p.Location, Layer: p.Layer}
		}
	}
	if in.Scan != nil {
		v.Vulnerabilities = make([]celVuln, len(in.Scan.Findings))
		for i := range in.Scan.Findings {
			f := &in.Scan.Findings[i]
			ev := findingEvidence(f)
			v.Vulnerabilities[i] = celVuln{ID: f.ID, Aliases: f.Aliases, Severity: f.Severity.String(), SeverityRank: int(f.Severity),
				Score: f.Score, FixedVersions: f.FixedVersions, Fixable: len(f.FixedVersions) > 0, Suppressed: f.Suppressed != nil,
				Package: celPackage{Name: f.Package.Name, Version: f.Package.Version, Type: f.Package.Type, PURL: ev.Package,
					Location: f.Package.Location, Layer: f.Package.Layer}}
		}
	}
	for _, h := range hs {
		v.Hardening = append(v.Hardening, celHardening{ID: h.ID, Title: h.Title, Severity: h.Severity.String(),
			SeverityRank: int(h.Severity), Path: h.Evidence.Path, Layer: h.Evidence.Layer, Value: hardeningValue(&h.Evidence)})
	}
	if in.Secrets != nil {
		for _, f := range in.Secrets.Findings {
			v.Secrets = append(v.Secrets, celSecret{RuleID: f.RuleID, Description: f.Description, Severity: f.Severity.String(),
				SeverityRank: int(f.Severity), File: f.File, Line: f.Line, Layer: f.Layer, Visible: f.Visible, Fingerprint: f.Fingerprint})
		}
	}
	for _, s := range in.Signatures {
		v.Signatures = append(v.Signatures, celSignature{Verified: s.Verified, Digest: s.Digest, Key: s.Key,
			Issuer: s.Issuer, Subject: s.Subject, PredicateTypes: s.PredicateTypes})
	}
	return v
}

// celEnvs are the environments CEL rules compile in: expressions see the
// variable input (the view above); message templates also see item (an
// element of a list result). Both have the strings extension.
type celEnvs struct {
	expr, msg *cel.Env
}

func newCELEnvs() (*celEnvs, error) {
	base, err := cel.NewEnv(
		ext.NativeTypes(ext.ParseStructTags(true), reflect.TypeFor[celInput]()),
		cel.Variable("input", cel.ObjectType("policy.celInput")),
		ext.Strings(),
	)
	if err != nil {
		return nil, err
	}
	msg, err := base.Extend(cel.Variable("item", cel.DynType))
	if err != nil {
		return nil, err
	}
	return &celEnvs{expr: base, msg: msg}, nil
}

// CELRule is a rule written as a CEL expression over the input. See the
// package documentation for the variables it sees.
type CELRule struct {
	name, desc string
	expr       string
	prg        cel.Program
	isList     bool
	msg        []templatePart
}

type templatePart struct {
	text string
	prg  cel.Program // nil for literal text
}

// NewCELRule compiles a CEL rule. expr must yield a bool (true: one
// violation) or a list (one violation per element). message is the
// violation message, in which {{ expr }} is replaced by the value of a
// CEL expression over input and item (the list element, for list
// results). costLimit bounds each evaluation (0: DefaultCELCostLimit).
// Compile errors wrap ErrInvalidExpression and give the line and column
// inside the expression.
func NewCELRule(name, description, expr, message string, costLimit uint64) (*CELRule, error) {
	envs, err := newCELEnvs()
	if err != nil {
		return nil, err
	}
	return newCELRule(envs, name, description, expr, message, costLimit)
}

func newCELRule(envs *celEnvs, name, desc, expr, message string, costLimit uint64) (*CELRule, error) {
	if costLimit == 0 {
		costLimit = DefaultCELCostLimit
	}
	r := &CELRule{name: name, desc: desc, expr: expr}
	if strings.TrimSpace(expr) == "" {
		return nil, fmt.Errorf("%w: empty expression", ErrInvalidExpression)
	}
	prg, out, err := compileCEL(envs.expr, expr, costLimit)
	if err != nil {
		return nil, err
	}
	switch {
	case out.IsExactType(types.BoolType):
	case out.Kind() == types.ListKind:
		r.isList = true
	case out.IsExactType(types.DynType):
		// Decided at evaluation.
	default:
		return nil, fmt.Errorf("%w: expression yields %s; want bool or list", ErrInvalidExpression, out)
	}
	r.prg = prg
	if message == "" {
		message = "violates " + name
	}
	parts, err := compileTemplate(envs.msg, message, costLimit)
	if err != nil {
		return nil, fmt.Errorf("message: %w", err)
	}
	r.msg = parts
	return r, nil
}

func compileCEL(env *cel.Env, expr string, costLimit uint64) (cel.Program, *cel.Type, error) {
	ast, iss := env.Compile(expr)
	if iss.Err() != nil {
		return nil, nil, fmt.Errorf("%w: %s", ErrInvalidExpression, strings.TrimPrefix(iss.Err().Error(), "ERROR: "))
	}
	prg, err := env.Program(ast, cel.CostLimit(costLimit), cel.InterruptCheckFrequency(1000), cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrInvalidExpression, err)
	}
	return prg, ast.OutputType(), nil
}

func compileTemplate(env *cel.Env, msg string, costLimit uint64) ([]templatePart, error) {
	var parts []templatePart
	for msg != "" {
		i := strings.Index(msg, "{{")
		if i < 0 {
			parts = append(parts, templatePart{text: msg})
			break
		}
		if i > 0 {
			parts = append(parts, templatePart{text: msg[:i]})
		}
		j := strings.Index(msg[i:], "}}")
		if j < 0 {
			return nil, fmt.Errorf("%w: unclosed {{ in message template", ErrInvalidExpression)
		}
		expr := strings.TrimSpace(msg[i+2 : i+j])
		prg, _, err := compileCEL(env, expr, costLimit)
		if err != nil {
			return nil, fmt.Errorf("{{ %s }}: %w", expr, err)
		}
		parts = append(parts, templatePart{prg: prg})
		msg = msg[i+j+2:]
	}
	return parts, nil
}

// Name implements Rule.
func (r *CELRule) Name() string { return r.name }

// Description implements Describer.
func (r *CELRule) Description() string {
	if r.desc != "" {
		return r.desc
	}
	return r.expr
}

// Evaluate implements Rule.
func (r *CELRule) Evaluate(ctx context.Context, in *Input) ([]Violation, error) {
	view := celViewFor(ctx, in)
	vars := map[string]any{"input": view}
	out, _, err := r.prg.ContextEval(ctx, vars)
	if err != nil {
		return nil, celError(err)
	}
	switch v := out.(type) {
	case types.Bool:
		if !v {
			return nil, nil
		}
		msg, err := r.message(ctx, map[string]any{"input": view, "item": types.NullValue})
		if err != nil {
			return nil, err
		}
		return []Violation{{Message: msg}}, nil
	}
	lister, ok := out.(interface {
		Size() ref.Val
		Get(ref.Val) ref.Val
	})
	if !ok || out.Type() != types.ListType {
		return nil, fmt.Errorf("expression yielded %s; want bool or list", out.Type())
	}
	n, _ := lister.Size().(types.Int)
	var vs []Violation
	for i := types.Int(0); i < n; i++ {
		item := lister.Get(i)
		vars := map[string]any{"input": view, "item": item}
		msg, err := r.message(ctx, vars)
		if err != nil {
			return nil, err
		}
		vs = append(vs, Violation{Message: msg, Evidence: itemEvidence(item)})
	}
	return vs, nil
}

func (r *CELRule) message(ctx context.Context, vars map[string]any) (string, error) {
	var b strings.Builder
	for _, p := range r.msg {
		if p.prg == nil {
			b.WriteString(p.text)
			continue
		}
		v, _, err := p.prg.ContextEval(ctx, vars)
		if err != nil {
			return "", fmt.Errorf("message: %w", celError(err))
		}
		if s, ok := v.(types.String); ok {
			b.WriteString(string(s))
		} else {
			fmt.Fprint(&b, v.Value())
		}
	}
	return b.String(), nil
}

func celError(err error) error {
	if strings.Contains(err.Error(), "actual cost limit exceeded") {
		return fmt.Errorf("%w: %w", ErrCostLimit, err)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return err
}

// itemEvidence points at the element of a list result when it is one of
// the view's types.
func itemEvidence(item ref.Val) Evidence {
	switch v := item.Value().(type) {
	case celPackage:
		return Evidence{Package: v.PURL, Layer: v.Layer, Path: v.Location}
	case *celPackage:
		return Evidence{Package: v.PURL, Layer: v.Layer, Path: v.Location}
	case celVuln:
		return Evidence{Finding: v.ID, Aliases: v.Aliases, Package: v.Package.PURL, Layer: v.Package.Layer, Path: v.Package.Location}
	case *celVuln:
		return Evidence{Finding: v.ID, Aliases: v.Aliases, Package: v.Package.PURL, Layer: v.Package.Layer, Path: v.Package.Location}
	case celHardening:
		return Evidence{Finding: v.ID, Layer: v.Layer, Path: v.Path, Value: v.Value}
	case *celHardening:
		return Evidence{Finding: v.ID, Layer: v.Layer, Path: v.Path, Value: v.Value}
	case celSecret:
		return Evidence{Finding: v.RuleID, Layer: v.Layer, Path: v.File, Line: v.Line, Value: v.Fingerprint}
	case *celSecret:
		return Evidence{Finding: v.RuleID, Layer: v.Layer, Path: v.File, Line: v.Line, Value: v.Fingerprint}
	case string:
		return Evidence{Value: v}
	}
	return Evidence{}
}

// celViewFor returns the CEL view of in, built once per evaluation.
func celViewFor(ctx context.Context, in *Input) *celInput {
	ec, ok := ctx.Value(evalKey{}).(*evalContext)
	if !ok {
		return newCELView(in)
	}
	if ec.celView == nil || ec.celFor != in {
		ec.celView, ec.celFor = newCELView(in), in
	}
	return ec.celView
}
