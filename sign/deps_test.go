package sign

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoKMSProviders fails when package sign links cosign's KMS providers,
// a cloud SDK or cosign's command-line packages: those belong to the
// opt-in sign/kms package or nowhere.
func TestNoKMSProviders(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	forbidden := []string{
		"github.com/sigstore/sigstore/pkg/signature/kms/",
		"github.com/sigstore/cosign/v2/cmd/",
		"github.com/sigstore/cosign/v2/pkg/signature", // imports the KMS providers
		"github.com/aws/", "github.com/Azure/", "cloud.google.com/go/", "github.com/hashicorp/vault",
		"k8s.io/", "sigs.k8s.io/",
	}
	pkgs := strings.Fields(string(out))
	for _, p := range pkgs {
		for _, f := range forbidden {
			if strings.HasPrefix(p, f) {
				t.Errorf("package sign depends on %s", p)
			}
		}
	}
	if !strings.Contains(string(out), "github.com/sigstore/cosign/v2/pkg/oci") {
		t.Fatalf("go list output does not look like package sign's build:\n%s", out)
	}
}
