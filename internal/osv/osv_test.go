package osv

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestDecode(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{`{"id": "GO-1", "affected": [{"package": {"ecosystem": "Go", "name": "x"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.0.0"}]}]}]}`, true},
		{`{"id": "X", "withdrawn": "2024-01-01T00:00:00Z"}`, true},
		{`{"affected": []}`, false},
		{`{"id": "X", "affected": [{"package": {"name": "x"}}]}`, false},
		{`{"id": "X", "affected": [{"package": {"ecosystem": "Go", "name": "x"}, "ranges": [{"type": "WEIRD", "events": []}]}]}`, false},
		{`{"id": "X", "affected": [{"package": {"ecosystem": "Go", "name": "x"}, "ranges": [{"type": "SEMVER", "events": [{}]}]}]}`, false},
		{`[]`, false},
		{`{"id": 5}`, false},
	} {
		_, err := Decode([]byte(tt.in))
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrRecord)) {
			t.Errorf("Decode(%s) = %v", tt.in, err)
		}
	}
}

func TestReadDir(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.json"), []byte(`{"id": "A"}`), 0o644)
	os.WriteFile(filepath.Join(dir, "b.json"), []byte(`{`), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte(`ignored`), 0o644)
	var ok, bad int
	err := ReadDir(dir, func(name string, v *Vulnerability, err error) error {
		if err != nil {
			bad++
		} else {
			ok++
		}
		return nil
	})
	if err != nil || ok != 1 || bad != 1 {
		t.Errorf("ok %d bad %d err %v", ok, bad, err)
	}
	if Base("Ubuntu:22.04:LTS") != "Ubuntu" || Base("Go") != "Go" {
		t.Error("Base")
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"id": "GO-1", "affected": [{"package": {"ecosystem": "Go", "name": "x"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := Decode(b)
		if err == nil && v.ID == "" {
			t.Fatal("decoded without id")
		}
	})
}
