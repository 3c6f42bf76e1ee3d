package policy_test

import (
	"encoding/json"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/secrets"
)

// TestInputJSONRedactsConfig: the evidence's JSON shows no credential of
// the image config in clear — environment values always, labels and
// history steps where a scan found one — and leaves the caller's input
// as it was.
func TestInputJSONRedactsConfig(t *testing.T) {
	const (
		env   = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzEXAMPLEKEY1"
		label = "glpat-0123456789abcdefABCD"
		arg   = "AKIAZ7VRSQ5TIJGJHKLM"
	)
	cf := &v1.ConfigFile{Config: v1.Config{
		User:   "app",
		Env:    []string{"PATH=/usr/bin", "AWS_SECRET_ACCESS_KEY=" + env},
		Labels: map[string]string{"a.source": "https://github.com/acme/app", "b.token": label},
	}, History: []v1.History{{CreatedBy: "/bin/sh -c make"}, {CreatedBy: "RUN |1 KEY=" + arg + " ./fetch.sh"}}}
	one := 1
	in := &policy.Input{Config: cf,
		Secrets:   &secrets.Report{Findings: []secrets.Finding{{RuleID: "gitlab-pat", File: secrets.ConfigFile + "/labels", Line: 2}}},
		Hardening: &harden.Report{Findings: []harden.Finding{{ID: "secret-in-config", Evidence: harden.Evidence{History: &one}}}},
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{env, label, arg} {
		if strings.Contains(string(b), secret[:12]) {
			t.Errorf("%s… in clear: %s", secret[:6], b)
		}
	}
	for _, kept := range []string{`"User":"app"`, "https://github.com/acme/app", "/bin/sh -c make", "AWS_SECRET_ACCESS_KEY="} {
		if !strings.Contains(string(b), kept) {
			t.Errorf("%q lost: %s", kept, b)
		}
	}
	if in.Config.Config.Env[1] != "AWS_SECRET_ACCESS_KEY="+env || in.Config.History[1].CreatedBy == "" || in.Config.Config.Labels["b.token"] != label {
		t.Error("the caller's config was changed")
	}
	var back policy.Input
	if err := json.Unmarshal(b, &back); err != nil || back.Config.Config.User != "app" || back.Config.Config.Labels["a.source"] == "" {
		t.Errorf("read back: %v %+v", err, back.Config)
	}
}
