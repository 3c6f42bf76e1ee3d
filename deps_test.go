package shipshape_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// forbidden are module path prefixes that must never enter the root
// module's build: signing and cloud stacks belong to the sign module.
var forbidden = []string{
	"github.com/sigstore/",
	"github.com/google/go-containerregistry/pkg/authn/k8schain",
	"k8s.io/",
	"sigs.k8s.io/",
	"cloud.google.com/go/",
	"github.com/aws/",
	"github.com/Azure/",
	"github.com/hashicorp/vault",
	"go.opentelemetry.io/",
	"google.golang.org/grpc",
}

// TestDependencyBudget fails when a package of the root module, or one of
// its tests, pulls in cosign, sigstore, Kubernetes or a cloud SDK.
func TestDependencyBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "-test", "-f", "{{if .Module}}{{.Module.Path}} {{.ImportPath}}{{end}}", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	modules := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		mod, pkg, _ := strings.Cut(line, " ")
		modules[mod] = true
		for _, f := range forbidden {
			if strings.HasPrefix(mod, f) || strings.HasPrefix(pkg, f) {
				t.Errorf("root module depends on %s (module %s)", pkg, mod)
			}
		}
	}
	if !modules["github.com/google/go-containerregistry"] || !modules["github.com/CycloneDX/cyclonedx-go"] {
		t.Fatalf("go list output does not look like the root module's build:\n%s", out)
	}
	// Keep the direct dependency list short and deliberate.
	const maxModules = 40
	if len(modules) > maxModules {
		t.Errorf("root module builds with %d modules, budget %d", len(modules), maxModules)
	}
}

// TestModulesConsumable: the sign and examples modules can be required
// from outside this repository. Their go.mod files hold no replace
// directive (a consumer's build ignores them, so a requirement that only
// resolves through one breaks it) and require the modules of this
// repository at release versions, never a pseudo-version of nothing;
// inside the workspace, go.work points exactly those versions at the
// checkouts here (RELEASING.md says in which order they are tagged).
func TestModulesConsumable(t *testing.T) {
	work, err := os.ReadFile("go.work")
	if err != nil {
		t.Fatal(err)
	}
	wf, err := modfile.ParseWork("go.work", work, nil)
	if err != nil {
		t.Fatal(err)
	}
	local := map[string]string{} // module path@version -> directory go.work replaces it with
	for _, r := range wf.Replace {
		if r.Old.Version == "" {
			t.Errorf("go.work replaces %s at every version: pin the release version", r.Old.Path)
		}
		local[r.Old.Path+"@"+r.Old.Version] = r.New.Path
	}
	dirs := map[string]string{"github.com/shipshape-dev/shipshape": "./", "github.com/shipshape-dev/shipshape/sign": "./sign"}
	for _, dir := range []string{"sign", "examples", "tools/secretcorpus"} {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err != nil {
			t.Fatal(err)
		}
		mf, err := modfile.Parse(dir+"/go.mod", b, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range mf.Replace {
			t.Errorf("%s/go.mod: replace %s => %s: a consumer's build ignores it; pin versions in go.work instead", dir, r.Old.Path, r.New.Path)
		}
		for _, r := range mf.Require {
			want, ours := dirs[r.Mod.Path]
			if !ours {
				continue
			}
			if !semver.IsValid(r.Mod.Version) || module.IsPseudoVersion(r.Mod.Version) {
				t.Errorf("%s/go.mod requires %s %s: not a release version", dir, r.Mod.Path, r.Mod.Version)
			}
			if got := local[r.Mod.Path+"@"+r.Mod.Version]; filepath.Clean(got) != filepath.Clean(want) {
				t.Errorf("%s/go.mod requires %s %s, which go.work replaces with %q, want %q", dir, r.Mod.Path, r.Mod.Version, got, want)
			}
		}
	}
}
