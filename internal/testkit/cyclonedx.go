package testkit

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"
)

// CycloneDXSchema returns the official CycloneDX 1.6 JSON schema, loaded
// from the cyclonedx-go module in the module cache (its companion schemas
// too, so that nothing is fetched). It skips the test when the module is
// not there.
func CycloneDXSchema(t testing.TB) *gojsonschema.Schema {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/CycloneDX/cyclonedx-go").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Skipf("cyclonedx-go module not in the module cache: %v", err)
	}
	file := func(name string) gojsonschema.JSONLoader {
		return gojsonschema.NewReferenceLoader("file://" + filepath.ToSlash(filepath.Join(dir, "schema", name)))
	}
	sl := gojsonschema.NewSchemaLoader()
	if err := sl.AddSchema("http://cyclonedx.org/schema/spdx.schema.json", file("spdx.schema.json")); err != nil {
		t.Fatal(err)
	}
	if err := sl.AddSchema("http://cyclonedx.org/schema/jsf-0.82.schema.json", file("jsf-0.82.schemax.json")); err != nil {
		t.Fatal(err)
	}
	schema, err := sl.Compile(file("bom-1.6.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	return schema
}

// ValidateCycloneDX fails the test for every schema violation of doc.
func ValidateCycloneDX(t testing.TB, schema *gojsonschema.Schema, doc []byte) {
	t.Helper()
	res, err := schema.Validate(gojsonschema.NewBytesLoader(doc))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors() {
		t.Errorf("CycloneDX schema: %s", e)
	}
}
