package shipshape_test

import (
	"os/exec"
	"strings"
	"testing"
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
