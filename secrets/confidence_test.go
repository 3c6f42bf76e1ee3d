package secrets

import (
	"encoding/json"
	"encoding/pem"
	"strings"
	"testing"
)

// TestConfidence: each finding says how sure it is; a well-formed key
// that does not parse is reported at structural confidence instead of
// dropped.
func TestConfidence(t *testing.T) {
	keys := testKeys()
	rsa := keys["rsa"]
	block, _ := pem.Decode([]byte(rsa))
	truncated := string(pem.EncodeToMemory(&pem.Block{Type: block.Type, Bytes: block.Bytes[:len(block.Bytes)/2]}))
	folded := strings.ReplaceAll(strings.TrimSpace(rsa), "\n", " ") // a YAML scalar folded onto one line
	saJSON, _ := json.Marshal(map[string]string{"type": "service_account", "private_key": truncated})
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, file, text string
		rule             string
		want             Confidence
	}{
		{"checksummed token", "ci.env", "GH_TOKEN=" + testToken + "\n", "github-pat", ConfidenceValidated},
		{"AWS key id", "config", "aws_access_key_id = AKIAZ7VRSQ5TIJGJHKLM\n", "aws-access-token", ConfidenceStructural},
		{"generic assignment", "settings.py", "DB_PASSWORD = 'q7Vx!m2Pz#9Lr4Wk'\n", "generic-api-key", ConfidenceHeuristic},
		{"key that parses", "id_rsa", rsa, "private-key", ConfidenceValidated},
		{"truncated key", "id_rsa", truncated, "private-key", ConfidenceStructural},
		{"folded key", "values.yaml", "tls:\n  key: " + folded + "\n", "private-key", ConfidenceValidated},
		{"service account, key truncated", "sa.json", string(saJSON), "private-key", ConfidenceStructural},
	} {
		var got []string
		found := false
		for _, f := range s.ScanBytes(tc.file, []byte(tc.text)) {
			got = append(got, f.RuleID+":"+string(f.Confidence))
			found = found || (f.RuleID == tc.rule && f.Confidence == tc.want)
		}
		if !found {
			t.Errorf("%s: got %v, want %s:%s", tc.name, got, tc.rule, tc.want)
		}
	}
	// Bodies that are not a key stay dropped.
	for _, text := range []string{
		"-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----\n",
		"-----BEGIN PRIVATE KEY-----\n<redacted>\n-----END PRIVATE KEY-----\n",
		"-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n",
	} {
		if fs := s.ScanBytes("key.pem", []byte(text)); len(fs) != 0 {
			t.Errorf("%q: %v", text, fs)
		}
	}
	if _, err := ParseConfidence("likely"); err == nil {
		t.Error("ParseConfidence accepted likely")
	}
	if ConfidenceHeuristic.Rank() >= ConfidenceStructural.Rank() || ConfidenceStructural.Rank() >= ConfidenceValidated.Rank() {
		t.Error("ranks out of order")
	}
}
