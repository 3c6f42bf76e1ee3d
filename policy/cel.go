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
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/ext"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/shipshape-dev/shipshape/result"
)

// DefaultCELCostLimit bounds the cost of one CEL rule's evaluation, in
// CEL's cost units (about one per visited list element and comparison):
// ample for a rule over 100,000 packages, small enough that a runaway
// expression stops in well under a second.
const DefaultCELCostLimit = 10_000_000

// The CEL view of an Input. Field names are those of the JSON forms;
// secret values and environment values are left out. The unexported src
// fields, hidden from CEL, point from a list element back to what it was
// made of, so that the violation it becomes gets that finding's evidence.
type celInput struct {
	Image           celImage       `cel:"image"`
	Packages        []celPackage   `cel:"packages"`
	Vulnerabilities []celVuln      `cel:"vulnerabilities"`
	Hardening       []celHardening `cel:"hardening"`
	Secrets         []celSecret    `cel:"secrets"`
	Signatures      []celSignature `cel:"signatures"`
	Distro          celDistro      `cel:"distro"`
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
	src        celSource
}

type celVuln struct {
	ID             string     `cel:"id"`
	Aliases        []string   `cel:"aliases"`
	Severity       string     `cel:"severity"`
	SeverityRank   int        `cel:"severity_rank"`
	SeveritySource string     `cel:"severity_source"`
	Class          string     `cel:"class"`
	Score          float64    `cel:"score"`
	FixedVersions  []string   `cel:"fixed_versions"`
	Fixable        bool       `cel:"fixable"`
	Suppressed     bool       `cel:"suppressed"`
	KEV            bool       `cel:"kev"`
	KEVRansomware  bool       `cel:"kev_ransomware"`
	EPSSScore      float64    `cel:"epss_score"`
	EPSSPercentile float64    `cel:"epss_percentile"`
	Package        celPackage `cel:"package"`
	src            celSource
}

type celHardening struct {
	ID           string `cel:"id"`
	Title        string `cel:"title"`
	Severity     string `cel:"severity"`
	SeverityRank int    `cel:"severity_rank"`
	Path         string `cel:"path"`
	Layer        string `cel:"layer"`
	Value        string `cel:"value"`
	src          celSource
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
	Class        string `cel:"class"`
	Owner        string `cel:"owner"`
	Confidence   string `cel:"confidence"`
	src          celSource
}

// severityRank is the severity_rank CEL sees: 0 for unknown and
// negligible, 1 low … 4 critical. It is kept apart from result.Severity's
// values so that expressions written against it (severity_rank == 4)
// keep their meaning; the severity field tells unknown from negligible.
func severityRank(s result.Severity) int {
	if s <= result.SeverityNegligible {
		return 0
	}
	return int(s - result.SeverityNegligible)
}

// celSource points from an element of the view to what it was made of
// in the input.
type celSource struct {
	kind celSourceKind
	i    int
}

type celSourceKind uint8

const (
	fromNothing     celSourceKind = iota
	fromPackage                   // in.SBOM.Packages[i]
	fromVuln                      // in.Scan.Findings[i]
	fromVulnPackage               // the package of in.Scan.Findings[i]
	fromHardening                 // in.Hardening.Findings[i]
	fromSecret                    // in.Secrets.Findings[i]
)

// evidence is the evidence of the element's source in in, the input the
// view was built from, as the exported conversions give it.
func (s celSource) evidence(in *Input) Evidence {
	switch s.kind {
	case fromPackage:
		return PackageEvidence(&in.SBOM.Packages[s.i])
	case fromVuln:
		return VulnerabilityEvidence(&in.Scan.Findings[s.i])
	case fromVulnPackage:
		ev := VulnerabilityEvidence(&in.Scan.Findings[s.i])
		return Evidence{Package: ev.Package, Layer: ev.Layer, Path: ev.Path}
	case fromHardening:
		return HardeningEvidence(&in.Hardening.Findings[s.i])
	case fromSecret:
		return SecretEvidence(&in.Secrets.Findings[s.i])
	}
	return Evidence{}
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
	v.Present = celPresent{SBOM: in.SBOM != nil, Vulnerabilities: in.Scan != nil, Hardening: in.Hardening != nil,
		Secrets: in.Secrets != nil, Signatures: len(in.Signatures) > 0, Config: in.Config != nil,
		Reference: v.Image.Reference != "", Digest: v.Image.Digest != "", Created: !v.Image.Created.IsZero()}
	if in.SBOM != nil {
		v.Packages = make([]celPackage, len(in.SBOM.Packages))
		for i := range in.SBOM.Packages {
			p := &in.SBOM.Packages[i]
			v.Packages[i] = celPackage{Name: p.Name, Version: p.Version, Type: p.Type, PURL: packagePURL(p),
				Licenses: p.Licenses, SourceName: p.SourceName, Location: p.Location, Layer: p.Layer, src: celSource{fromPackage, i}}
		}
	}
	if in.Scan != nil {
		v.Vulnerabilities = make([]celVuln, len(in.Scan.Findings))
		for i := range in.Scan.Findings {
			f := &in.Scan.Findings[i]
			v.Vulnerabilities[i] = celVuln{ID: f.ID, Aliases: f.Aliases, Severity: f.Severity.String(), SeverityRank: severityRank(f.Severity),
				SeveritySource: string(f.SeveritySource), Class: string(f.Class), Score: f.Score, FixedVersions: f.FixedVersions, Fixable: len(f.FixedVersions) > 0, Suppressed: f.Suppressed != nil,
				Package: celPackage{Name: f.Package.Name, Version: f.Package.Version, Type: f.Package.Type, PURL: findingPURL(f),
					Location: f.Package.Location, Layer: f.Package.Layer, src: celSource{fromVulnPackage, i}},
				src: celSource{fromVuln, i}}
			setExploitFields(&v.Vulnerabilities[i], f)
		}
	}
	if in.Scan != nil {
		v.Distro = newCELDistro(in.Scan, in.now())
	}
	if in.Hardening != nil {
		v.Hardening = make([]celHardening, len(in.Hardening.Findings))
		for i := range in.Hardening.Findings {
			h := &in.Hardening.Findings[i]
			v.Hardening[i] = celHardening{ID: h.ID, Title: h.Title, Severity: h.Severity.String(), SeverityRank: severityRank(h.Severity),
				Path: h.Evidence.Path, Layer: h.Evidence.Layer, Value: hardeningValue(&h.Evidence), src: celSource{fromHardening, i}}
		}
	}
	if in.Secrets != nil {
		v.Secrets = make([]celSecret, len(in.Secrets.Findings))
		for i := range in.Secrets.Findings {
			f := &in.Secrets.Findings[i]
			v.Secrets[i] = celSecret{RuleID: f.RuleID, Description: f.Description, Severity: f.Severity.String(),
				SeverityRank: severityRank(f.Severity), File: f.File, Line: f.Line, Layer: f.Layer, Visible: f.Visible, Fingerprint: f.Fingerprint,
				Class: string(f.Class), Owner: f.Owner, Confidence: string(f.Confidence), src: celSource{fromSecret, i}}
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
	// needs lists the kinds of evidence the expression reads, in the
	// order of celKinds; guarded says it reads input.present, and so
	// handles absent evidence itself.
	needs   []celNeed
	guarded bool
}

// celNeed is a kind of evidence a CEL expression reads, and the first
// place it reads it (for messages).
type celNeed struct {
	kind, field string
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
//
// Like the built-in rules, a CEL rule does not pass for want of evidence:
// when its expression reads a kind of evidence the input lacks
// (input.vulnerabilities without a scan report, input.image.labels
// without an image config, …), it is not evaluated, and the rule reports
// one violation per absent kind, whose Evidence.Missing names it. An
// expression that reads input.present handles absent evidence itself
// and is always evaluated. What the message template reads does not
// count: it is rendered only for violations the expression found.
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
	prg, ast, err := compileCEL(envs.expr, expr, costLimit)
	if err != nil {
		return nil, err
	}
	out := ast.OutputType()
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
	r.needs, r.guarded = celReads(ast.NativeRep())
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

// compileCEL compiles (parses and checks) expr and plans its program.
func compileCEL(env *cel.Env, expr string, costLimit uint64) (cel.Program, *cel.Ast, error) {
	ast, iss := env.Compile(expr)
	if iss.Err() != nil {
		return nil, nil, fmt.Errorf("%w: %s", ErrInvalidExpression, strings.TrimPrefix(iss.Err().Error(), "ERROR: "))
	}
	prg, err := env.Program(ast, cel.CostLimit(costLimit), cel.InterruptCheckFrequency(1000), cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrInvalidExpression, err)
	}
	return prg, ast, nil
}

// celKinds lists the kinds of evidence of the CEL view, in the order
// missing ones are reported.
func celKinds() []string {
	return []string{MissingSBOM, MissingVulnerabilities, MissingHardening, MissingSecrets, MissingSignatures,
		MissingConfig, MissingReference, MissingDigest, MissingCreated}
}

// celLack says what the input lacks when a kind of evidence is absent.
func celLack(kind string) string {
	switch kind {
	case MissingSBOM:
		return "no SBOM"
	case MissingVulnerabilities:
		return "no vulnerability report"
	case MissingHardening:
		return "no hardening check results"
	case MissingSecrets:
		return "no secret scan"
	case MissingSignatures:
		return "no signature verification evidence"
	case MissingConfig:
		return "no image config"
	case MissingReference:
		return "no image reference"
	case MissingDigest:
		return "no image digest"
	case MissingCreated:
		return "the image's creation time is unknown"
	}
	return "no " + kind
}

// celInputKind returns the kind of evidence a list of the view's input
// comes from ("image" and "present" are handled apart).
func celInputKind(field string) (string, bool) {
	switch field {
	case "packages":
		return MissingSBOM, true
	case "vulnerabilities":
		return MissingVulnerabilities, true
	case "hardening":
		return MissingHardening, true
	case "secrets":
		return MissingSecrets, true
	case "signatures":
		return MissingSignatures, true
	case "distro":
		// Its support status is the scan report's.
		return MissingVulnerabilities, true
	}
	return "", false
}

// celImageKind returns the kind of evidence a field of input.image comes
// from: the reference (registry and repository are parsed from it), the
// digest, the creation time, or the config (every other field).
func celImageKind(field string) string {
	switch field {
	case "reference", "registry", "repository":
		return MissingReference
	case "digest":
		return MissingDigest
	case "created":
		return MissingCreated
	}
	return MissingConfig
}

// celReads finds, in the checked AST of an expression, the kinds of
// evidence it reads, and whether it reads input.present. It looks at every
// node whose type is the view's input or its image: a field selected from
// one names a kind; a use of one other than a field selection (passing
// input or input.image whole to a list, a function, a comparison) reads
// every kind it holds.
func celReads(a *celast.AST) (needs []celNeed, guarded bool) {
	const (
		inputType = "policy.celInput"
		imageType = "policy.celImage"
	)
	first := map[string]string{}
	add := func(kind, field string) {
		if _, ok := first[kind]; !ok {
			first[kind] = field
		}
	}
	all := celast.MatchDescendants(celast.NavigateAST(a), func(e celast.NavigableExpr) bool {
		t := e.Type()
		return t != nil && t.Kind() == types.StructKind && (t.TypeName() == inputType || t.TypeName() == imageType)
	})
	for _, e := range all {
		parent, ok := e.Parent()
		sel := ok && parent.Kind() == celast.SelectKind
		field := ""
		if sel {
			field = parent.AsSelect().FieldName()
		}
		switch e.Type().TypeName() {
		case inputType:
			switch {
			case !sel:
				for _, k := range celKinds() {
					add(k, "input")
				}
			case field == "present":
				guarded = true
			case field == "image":
				// Its fields are nodes of the image type, seen apart.
			default:
				if k, ok := celInputKind(field); ok {
					add(k, "input."+field)
				}
			}
		case imageType:
			if !sel {
				for _, f := range []string{"reference", "digest", "created", "user"} {
					add(celImageKind(f), "input.image")
				}
				continue
			}
			add(celImageKind(field), "input.image."+field)
		}
	}
	for _, k := range celKinds() {
		if f, ok := first[k]; ok {
			needs = append(needs, celNeed{kind: k, field: f})
		}
	}
	return needs, guarded
}

// has reports whether the input holds the kind of evidence.
func (p *celPresent) has(kind string) bool {
	switch kind {
	case MissingSBOM:
		return p.SBOM
	case MissingVulnerabilities:
		return p.Vulnerabilities
	case MissingHardening:
		return p.Hardening
	case MissingSecrets:
		return p.Secrets
	case MissingSignatures:
		return p.Signatures
	case MissingConfig:
		return p.Config
	case MissingReference:
		return p.Reference
	case MissingDigest:
		return p.Digest
	case MissingCreated:
		return p.Created
	}
	return true
}

// missing returns the violations for the kinds of evidence the rule reads
// and the input lacks; none when the expression reads input.present.
func (r *CELRule) missing(view *celInput) []Violation {
	if r.guarded {
		return nil
	}
	var out []Violation
	for _, n := range r.needs {
		if view.Present.has(n.kind) {
			continue
		}
		out = append(out, MissingEvidence(n.kind, fmt.Sprintf("%s: cannot evaluate the expression, which reads %s", celLack(n.kind), n.field)))
	}
	return out
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
	if in == nil {
		in = &Input{}
	}
	view := celViewOf(in)
	if vs := r.missing(view); len(vs) > 0 {
		return vs, nil
	}
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
		vs = append(vs, Violation{Message: msg, Evidence: itemEvidence(in, item)})
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
// the view's types, with the evidence the exported conversions give what
// it was made of in in.
func itemEvidence(in *Input, item ref.Val) Evidence {
	switch v := item.Value().(type) {
	case celPackage:
		return v.src.evidence(in)
	case *celPackage:
		return v.src.evidence(in)
	case celVuln:
		return v.src.evidence(in)
	case *celVuln:
		return v.src.evidence(in)
	case celHardening:
		return v.src.evidence(in)
	case *celHardening:
		return v.src.evidence(in)
	case celSecret:
		return v.src.evidence(in)
	case *celSecret:
		return v.src.evidence(in)
	case string:
		return Evidence{Value: v}
	}
	return Evidence{}
}

// celViewOf returns the CEL view of in. Within Policy.Evaluate it is
// built once, by the first CEL rule, and kept with the evaluation's copy
// of the input; outside (a rule evaluated on its own, or over an input a
// rule made) it is built for the call.
func celViewOf(in *Input) *celInput {
	if e := in.eval; e != nil && e.in == in {
		if e.cel == nil {
			e.cel = newCELView(in)
		}
		return e.cel
	}
	return newCELView(in)
}
