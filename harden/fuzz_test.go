package harden

import (
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-dev/shipshape/secrets"
)

// FuzzHistory runs every config-only check over arbitrary history lines,
// environment entries and users: no panic, and no build-argument value
// shown in clear.
func FuzzHistory(f *testing.F) {
	for _, s := range []string{
		"RUN |2 NPM_TOKEN=abcd1234 X=1 /bin/sh -c npm ci # buildkit",
		"/bin/sh -c #(nop)  ENV A=b C=d",
		"/bin/sh -c #(nop) ADD file:abc in / ",
		"ADD --chown=1:1 https://x/y.tar.gz / # buildkit",
		"/bin/sh -c curl -s https://x | sudo -E bash -",
		"RUN |9999999999999999999 A=",
		"", "|", "ENV", "/bin/sh -c ", "\xff\xfe ENV A=\x00",
	} {
		f.Add(s, "USER_PASSWORD=x", "0:0")
	}
	sc, err := secrets.New()
	if err != nil {
		f.Fatal(err)
	}
	var checks []Check
	for _, c := range DefaultChecks() {
		if c.wants&(wantFiles|wantView) == 0 {
			checks = append(checks, c)
		}
	}
	f.Fuzz(func(t *testing.T, history, env, user string) {
		cf := &v1.ConfigFile{
			Created: v1.Time{Time: time.Unix(1, 0)},
			History: []v1.History{{CreatedBy: history}, {CreatedBy: history, EmptyLayer: true}},
			Config:  v1.Config{Env: []string{env}, User: user, Labels: map[string]string{env: history}},
		}
		fc := &facts{cfg: cf, files: map[string][]byte{}, secrets: sc, now: time.Unix(1e9, 0), ref: history}
		for _, c := range checks {
			for _, fd := range c.run(fc) {
				for _, a := range historyAssignments(oneLine(history)) {
					if a.kind == "build argument" && len(a.value) >= 16 && strings.Contains(fd.Evidence.Command, a.value) {
						t.Errorf("%s shows build argument %s in clear: %q", c.ID, a.key, fd.Evidence.Command)
					}
				}
			}
		}
	})
}
