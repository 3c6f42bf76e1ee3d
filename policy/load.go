package policy

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// maxPolicyBytes bounds the size of a policy document.
const maxPolicyBytes = 4 << 20

// LoadFile reads a policy document from a file; see Load.
func LoadFile(path string, opts ...Option) (*Policy, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidPolicy, err)
	}
	return Load(b, append([]Option{withSourceName(path)}, opts...)...)
}

func withSourceName(n string) Option {
	return func(o *options) error {
		o.sourceName = n
		return nil
	}
}

// Load reads a declarative policy, YAML or JSON:
//
//	version: 1
//	allow_permanent_waivers: false   # waivers must expire unless true
//	incomplete: deny                 # action for layers not read whole: deny (default), warn or info
//	cel_cost_limit: 1000000          # optional, per CEL evaluation
//	rules:
//	  - name: no-fixable-highs       # unique; defaults to the type
//	    type: max-severity           # a built-in type (BuiltinTypes) or cel
//	    action: deny                 # deny, warn or info
//	    max: medium                  # the type's parameters
//	    fixable_only: true
//	    ignore_newer_than_days: 7    # a week to ship the fix of a new advisory
//	  - name: no-curl
//	    type: cel
//	    action: warn
//	    expression: input.packages.filter(p, p.name == "curl")
//	    message: "curl {{ item.version }} is installed"
//	waivers:
//	  - rule: no-fixable-highs
//	    vulnerability: CVE-2024-12345
//	    owner: team-payments
//	    reason: not reachable, see JIRA-123
//	    expires: 2026-12-31          # a date (it stops applying as that day starts, UTC) or RFC 3339
//
// incomplete is the action of the violations reported under IncompleteRule
// for the layers an input lists as incomplete (Input.Incomplete); a
// WithIncompleteAction option overrides it (the CLI's --allow-incomplete
// passes Warn). No waiver may name that rule.
//
// Unknown keys, types and actions are errors. Errors are *LoadError
// values naming the position and the rule. opts add Go rules, waivers and
// the clock; rules given as options come after the document's.
func Load(data []byte, opts ...Option) (*Policy, error) {
	o, err := buildOptions(opts)
	if err != nil {
		return nil, err
	}
	if len(data) > maxPolicyBytes {
		return nil, &LoadError{File: o.sourceName, Err: fmt.Errorf("%w: larger than %d bytes", ErrInvalidPolicy, maxPolicyBytes)}
	}
	goRules, goWaivers := o.rules, o.waivers
	o.rules, o.waivers = nil, nil
	if err := loadDoc(data, o); err != nil {
		var le *LoadError
		if errors.As(err, &le) {
			le.File = o.sourceName
			return nil, le
		}
		return nil, &LoadError{File: o.sourceName, Err: err}
	}
	o.rules = append(o.rules, goRules...)
	o.waivers = append(o.waivers, goWaivers...)
	p, err := newPolicy(o)
	if err != nil {
		return nil, &LoadError{File: o.sourceName, Err: fmt.Errorf("%w: %w", ErrInvalidPolicy, err)}
	}
	return p, nil
}

func at(n *yaml.Node, rule string, err error) *LoadError {
	return &LoadError{Line: n.Line, Column: n.Column, Rule: rule, Err: err}
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidPolicy}, args...)...)
}

// pairs returns a mapping node's key/value pairs, rejecting duplicates.
func pairs(n *yaml.Node, rule string) ([][2]*yaml.Node, error) {
	if n.Kind != yaml.MappingNode {
		return nil, at(n, rule, invalid("want a mapping"))
	}
	var out [][2]*yaml.Node
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != yaml.ScalarNode {
			return nil, at(k, rule, invalid("keys must be plain names"))
		}
		if seen[k.Value] {
			return nil, at(k, rule, invalid("key %q given twice", k.Value))
		}
		seen[k.Value] = true
		out = append(out, [2]*yaml.Node{k, n.Content[i+1]})
	}
	return out, nil
}

func scalar(k, v *yaml.Node, rule string) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", at(v, rule, invalid("%s: want a scalar", k.Value))
	}
	return v.Value, nil
}

func loadDoc(data []byte, o *options) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return invalid("%v", err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return invalid("empty document")
	}
	root := doc.Content[0]
	ps, err := pairs(root, "")
	if err != nil {
		return err
	}
	var rulesNode, waiversNode *yaml.Node
	for _, kv := range ps {
		k, v := kv[0], kv[1]
		switch k.Value {
		case "version":
			if s, err := scalar(k, v, ""); err != nil {
				return err
			} else if s != "1" {
				return at(v, "", invalid("version %q (this library reads version 1)", s))
			}
		case "allow_permanent_waivers":
			var b bool
			if err := v.Decode(&b); err != nil {
				return at(v, "", invalid("allow_permanent_waivers: %v", err))
			}
			o.allowPermanent = o.allowPermanent || b
		case "incomplete":
			s, err := scalar(k, v, "")
			if err != nil {
				return err
			}
			a, err := ParseAction(s)
			if err != nil {
				return at(v, "", fmt.Errorf("%w: incomplete: %w", ErrInvalidPolicy, err))
			}
			if !o.incompleteSet {
				o.incomplete = a
			}
		case "cel_cost_limit":
			var n uint64
			if err := v.Decode(&n); err != nil || n == 0 {
				return at(v, "", invalid("cel_cost_limit: want a positive integer"))
			}
			o.celCostLimit = min(o.celCostLimit, n)
		case "rules":
			rulesNode = v
		case "waivers":
			waiversNode = v
		default:
			return at(k, "", invalid("unknown key %q (want version, allow_permanent_waivers, incomplete, cel_cost_limit, rules, waivers)", k.Value))
		}
	}
	if rulesNode == nil || rulesNode.Kind != yaml.SequenceNode || len(rulesNode.Content) == 0 {
		return at(root, "", invalid("no rules"))
	}
	var envs *celEnvs
	for i, rn := range rulesNode.Content {
		r, a, err := loadRule(rn, i, o, &envs)
		if err != nil {
			return err
		}
		o.rules = append(o.rules, boundRule{rule: r, action: a})
	}
	if waiversNode != nil {
		if waiversNode.Kind != yaml.SequenceNode {
			return at(waiversNode, "", invalid("waivers: want a list"))
		}
		for i, wn := range waiversNode.Content {
			w, err := loadWaiver(wn, i)
			if err != nil {
				return err
			}
			if _, err := compileWaiver(w, i, o.allowPermanent); err != nil {
				return at(wn, fmt.Sprintf("waivers[%d]", i), err)
			}
			o.waivers = append(o.waivers, w)
		}
	}
	return nil
}

func loadRule(n *yaml.Node, i int, o *options, envs **celEnvs) (Rule, Action, error) {
	label := fmt.Sprintf("rules[%d]", i)
	ps, err := pairs(n, label)
	if err != nil {
		return nil, "", err
	}
	var ruleName, typ, action, desc, expr, msg string
	var exprNode *yaml.Node
	params := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	var paramKeys []*yaml.Node
	for _, kv := range ps {
		k, v := kv[0], kv[1]
		var dst *string
		switch k.Value {
		case "name":
			dst = &ruleName
		case "type":
			dst = &typ
		case "action":
			dst = &action
		case "description":
			dst = &desc
		case "expression":
			dst, exprNode = &expr, v
		case "message":
			dst = &msg
		default:
			params.Content = append(params.Content, k, v)
			paramKeys = append(paramKeys, k)
			continue
		}
		s, err := scalar(k, v, label)
		if err != nil {
			return nil, "", err
		}
		*dst = s
	}
	if typ == "" && expr != "" {
		typ = "cel"
	}
	if ruleName == "" {
		ruleName = typ
	}
	if ruleName != "" {
		label = ruleName
	}
	if typ == "" {
		return nil, "", at(n, label, invalid("no type (want cel or one of %s)", strings.Join(BuiltinTypes(), ", ")))
	}
	if action == "" {
		return nil, "", at(n, label, invalid("no action (want deny, warn or info)"))
	}
	a, err := ParseAction(action)
	if err != nil {
		return nil, "", at(n, label, fmt.Errorf("%w: %w", ErrInvalidPolicy, err))
	}
	if typ == "cel" {
		if len(paramKeys) > 0 {
			return nil, "", at(paramKeys[0], label, invalid("unknown key %q for a cel rule (want name, type, action, description, expression, message)", paramKeys[0].Value))
		}
		if exprNode == nil {
			return nil, "", at(n, label, invalid("cel rule without expression"))
		}
		if *envs == nil {
			e, err := newCELEnvs()
			if err != nil {
				return nil, "", at(n, label, err)
			}
			*envs = e
		}
		r, err := newCELRule(*envs, ruleName, desc, expr, msg, o.celCostLimit)
		if err != nil {
			return nil, "", at(exprNode, label, err)
		}
		return r, a, nil
	}
	if expr != "" || msg != "" {
		return nil, "", at(n, label, invalid("expression and message belong to cel rules, not %s", typ))
	}
	bp, ok := builtinParams(typ)
	if !ok {
		return nil, "", at(n, label, invalid("unknown type %q (want cel or one of %s)", typ, strings.Join(BuiltinTypes(), ", ")))
	}
	known := yamlKeys(reflect.TypeOf(bp).Elem())
	for _, k := range paramKeys {
		if !slices.Contains(known, k.Value) {
			return nil, "", at(k, label, invalid("unknown parameter %q for %s (want %s)", k.Value, typ, strings.Join(known, ", ")))
		}
	}
	for i := 0; i+1 < len(params.Content); i += 2 {
		one := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: params.Content[i : i+2]}
		scratch, _ := builtinParams(typ)
		if err := one.Decode(scratch); err != nil {
			return nil, "", at(params.Content[i+1], label, fmt.Errorf("%w: %s: %w", ErrInvalidPolicy, params.Content[i].Value, err))
		}
	}
	if err := params.Decode(bp); err != nil {
		return nil, "", at(n, label, invalid("%s parameters: %v", typ, err))
	}
	r, err := bp.compile(ruleName)
	if err != nil {
		return nil, "", at(n, label, err)
	}
	if desc != "" {
		r = describedRule{Rule: r, desc: desc}
	}
	return r, a, nil
}

// describedRule overrides a built-in rule's description with the
// document's.
type describedRule struct {
	Rule
	desc string
}

func (r describedRule) Description() string { return r.desc }

func yamlKeys(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		if n, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); n != "" && n != "-" {
			out = append(out, n)
		}
	}
	return out
}

func loadWaiver(n *yaml.Node, i int) (Waiver, error) {
	label := fmt.Sprintf("waivers[%d]", i)
	var w Waiver
	ps, err := pairs(n, label)
	if err != nil {
		return w, err
	}
	for _, kv := range ps {
		k, v := kv[0], kv[1]
		s, err := scalar(k, v, label)
		if err != nil {
			return w, err
		}
		switch k.Value {
		case "rule":
			w.Rule = s
		case "vulnerability":
			w.Vulnerability = s
		case "package":
			w.Package = s
		case "image":
			w.Image = s
		case "owner":
			w.Owner = s
		case "reason":
			w.Reason = s
		case "expires":
			t, err := parseExpiry(s)
			if err != nil {
				return w, at(v, label, fmt.Errorf("%w: expires: %w", ErrInvalidWaiver, err))
			}
			w.Expires = t
		default:
			return w, at(k, label, invalid("unknown key %q (want rule, vulnerability, package, image, owner, reason, expires)", k.Value))
		}
	}
	return w, nil
}

// parseExpiry reads a date (the waiver stops applying as that day
// starts, UTC) or an RFC 3339 time.
func parseExpiry(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither a date (2006-01-02) nor an RFC 3339 time", s)
	}
	return t, nil
}
