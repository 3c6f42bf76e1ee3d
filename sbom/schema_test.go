package sbom

import (
	"bytes"
	"context"
	"testing"

	"github.com/xeipuuv/gojsonschema"

	"github.com/shipshape-dev/shipshape/internal/testkit"
)

// TestCycloneDXSchema validates shipshape's CycloneDX JSON against the
// official 1.6 JSON schema that ships inside the cyclonedx-go module.
func TestCycloneDXSchema(t *testing.T) {
	schema := testkit.CycloneDXSchema(t)
	s, err := FromImage(context.Background(), debianImage(t), WithName("example.com/team/app:1.0"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Encode(&buf, s, FormatCycloneDXJSON, fixed...); err != nil {
		t.Fatal(err)
	}
	testkit.ValidateCycloneDX(t, schema, buf.Bytes())
	// The check can fail: a component type the schema does not know.
	bad := bytes.Replace(buf.Bytes(), []byte(`"type": "library"`), []byte(`"type": "bogus"`), 1)
	if res, err := schema.Validate(gojsonschema.NewBytesLoader(bad)); err != nil || res.Valid() {
		t.Errorf("an invalid document validated: %v", err)
	}
}
