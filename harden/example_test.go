package harden_test

import (
	"context"
	"fmt"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/shipshape-dev/shipshape/harden"
	"github.com/shipshape-dev/shipshape/result"
)

// Check an image's configuration and filesystem for misconfigurations.
// Checks are values: pick them, change their severity, configure them.
func ExampleChecker_Check() {
	img, _ := mutate.ConfigFile(empty.Image, &v1.ConfigFile{
		Created: v1.Time{Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		Config: v1.Config{
			User:         "",
			ExposedPorts: map[string]struct{}{"22/tcp": {}, "8080/tcp": {}},
			Env:          []string{"DB_PASSWORD=hunter22"},
		},
	})
	rootIsCritical := harden.RootUserCheck()
	rootIsCritical.Severity = result.SeverityCritical
	c, err := harden.New(
		harden.WithChecks(rootIsCritical, harden.SensitivePortsCheck(harden.DefaultSensitivePorts()...), harden.SecretInConfigCheck()),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := c.Check(context.Background(), img, "registry.example/app:latest")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range rep.Findings {
		e := f.Evidence
		fmt.Printf("%s (%s): user=%q env=%q port=%q\n", f.ID, f.Severity, e.User, e.EnvKey, e.Port)
	}
	// Output:
	// root-user (critical): user="(none: root)" env="" port=""
	// secret-in-config (high): user="" env="DB_PASSWORD" port=""
	// sensitive-port (medium): user="" env="" port="22/tcp"
}
