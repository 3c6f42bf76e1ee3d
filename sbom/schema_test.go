package sbom

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"
)

// TestCycloneDXSchema validates shipshape's CycloneDX JSON against the
// official 1.6 JSON schema that ships inside the cyclonedx-go module.
func TestCycloneDXSchema(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/CycloneDX/cyclonedx-go").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Skipf("cyclonedx-go module not in the module cache: %v", err)
	}
	file := func(name string) gojsonschema.JSONLoader {
		return gojsonschema.NewReferenceLoader("file://" + filepath.ToSlash(filepath.Join(dir, "schema", name)))
	}
	// The schema refers to its two companions by their http $id; load them
	// from the module instead of the network.
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
	s, err := FromImage(context.Background(), debianImage(t), WithName("example.com/team/app:1.0"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Encode(&buf, s, FormatCycloneDXJSON, fixed...); err != nil {
		t.Fatal(err)
	}
	res, err := schema.Validate(gojsonschema.NewBytesLoader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors() {
		t.Errorf("schema: %s", e)
	}
	// The check can fail: a component type the schema does not know.
	bad := bytes.Replace(buf.Bytes(), []byte(`"type": "library"`), []byte(`"type": "bogus"`), 1)
	if res, err := schema.Validate(gojsonschema.NewBytesLoader(bad)); err != nil || res.Valid() {
		t.Errorf("an invalid document validated: %v", err)
	}
}
