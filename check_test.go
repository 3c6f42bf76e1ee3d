package shipshape_test

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/layer/layertest"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/result"
)

// TestCheckGate: the gate is one call; it fails closed on an image whose
// layers could not all be read whole, unless the policy is told to
// judge it anyway; vulnerability rules without data report missing
// evidence.
func TestCheckGate(t *testing.T) {
	ctx := context.Background()
	clean := layertest.Image(t, layertest.Layer(t,
		layertest.File("etc/os-release", "ID=debian\nVERSION_ID=12\n"),
		layertest.File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n"),
	))
	// The second layer claims a diff_id its content does not have.
	broken := layertest.StreamImage(t, nil, layertest.StreamLayer{Open: layertest.TarStream(func(tw *tar.Writer) error {
		return tw.WriteHeader(&tar.Header{Name: "etc/", Typeflag: tar.TypeDir, Mode: 0o755})
	})})
	doc := "rules:\n  - type: no-secrets\n    action: deny\n"
	p, err := policy.Load([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	lenient, err := policy.Load([]byte(doc), policy.WithIncompleteAction(policy.Warn))
	if err != nil {
		t.Fatal(err)
	}
	vulns, err := policy.Load([]byte("rules:\n  - type: max-severity\n    action: deny\n    max: medium\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		img     v1.Image
		p       *policy.Policy
		passed  bool
		verdict policy.Verdict
		rule    string
	}{
		{"clean", clean, p, true, policy.VerdictPass, ""},
		{"incomplete fails closed", broken, p, false, policy.VerdictDeny, policy.IncompleteRule},
		{"incomplete judged anyway", broken, lenient, true, policy.VerdictWarn, policy.IncompleteRule},
		{"no vulnerability data", clean, vulns, false, policy.VerdictDeny, "max-severity"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, err := shipshape.Check(ctx, imageSource(t, tc.img), tc.p)
			if err != nil {
				t.Fatal(err)
			}
			if in.Passed() != tc.passed || in.Decision.Verdict != tc.verdict {
				t.Fatalf("passed %v verdict %s; want %v %s: %+v", in.Passed(), in.Decision.Verdict, tc.passed, tc.verdict, in.Decision.Violations)
			}
			if tc.rule != "" {
				found := false
				for _, v := range in.Decision.Violations {
					found = found || v.Rule == tc.rule
				}
				if !found {
					t.Errorf("no violation of %s: %+v", tc.rule, in.Decision.Violations)
				}
			}
			if (tc.rule == policy.IncompleteRule) == in.Complete() {
				t.Errorf("Complete() = %v, incomplete: %v", in.Complete(), in.Evidence.Incomplete)
			}
			// The result is one JSON document: evidence and decision.
			b, err := json.Marshal(in)
			if err != nil {
				t.Fatal(err)
			}
			var back struct {
				SchemaVersion string          `json:"schema_version"`
				Evidence      json.RawMessage `json:"evidence"`
				Decision      policy.Decision `json:"decision"`
			}
			if err := json.Unmarshal(b, &back); err != nil || back.SchemaVersion != "1" || back.Decision.Verdict != tc.verdict || !bytes.Contains(back.Evidence, []byte(`"secrets"`)) {
				t.Errorf("JSON: %v %s", err, b)
			}
		})
	}
	if _, err := shipshape.Check(ctx, imageSource(t, clean), nil); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("nil policy: %v", err)
	}
}

// TestCheckIncompleteNamesTheBudget: a budget that cuts a layer is
// named in the evidence and in the decision.
func TestCheckIncompleteNamesTheBudget(t *testing.T) {
	img := layertest.Image(t, layertest.Layer(t, layertest.File("a", strings.Repeat("x", 4096))))
	p, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	in, err := shipshape.Check(context.Background(), imageSource(t, img), p,
		shipshape.WithLayerOptions(layer.WithLimits(layer.Limits{MaxLayerBytes: 1024})))
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Evidence.Incomplete) != 1 || !errors.Is(in.Evidence.Incomplete[0].Err, layer.ErrBudget) || in.Passed() {
		t.Fatalf("incomplete %v, passed %v", in.Evidence.Incomplete, in.Passed())
	}
	if v := in.Decision.Violations[0]; v.Rule != policy.IncompleteRule || !strings.Contains(v.Message, "budget") {
		t.Errorf("violation %+v", v)
	}
}
