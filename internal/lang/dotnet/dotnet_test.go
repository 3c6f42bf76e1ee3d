package dotnet

import (
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/lang"
)

func brief(ps []lang.Package) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name+"@"+p.Version)
	}
	return out
}

func TestDotnet(t *testing.T) {
	for _, tt := range []struct {
		file  string
		parse func(io.Reader) ([]lang.Package, error)
		want  []string
	}{
		{"app.deps.json", ParseDepsJSON, []string{"Newtonsoft.Json@13.0.1", "Serilog@3.1.1"}},
		{"packages.lock.json", ParsePackagesLock, []string{"Newtonsoft.Json@13.0.1", "System.Text.Json@8.0.0"}},
	} {
		f, err := os.Open("testdata/" + tt.file)
		if err != nil {
			t.Fatal(err)
		}
		got, err := tt.parse(f)
		f.Close()
		if err != nil || !reflect.DeepEqual(brief(got), tt.want) {
			t.Errorf("%s: %q, %v; want %q", tt.file, brief(got), err, tt.want)
		}
	}
	if _, err := ParseDepsJSON(strings.NewReader("{")); !errors.Is(err, lang.ErrParse) {
		t.Errorf("err = %v", err)
	}
}

func FuzzDotnet(f *testing.F) {
	f.Add(`{"libraries":{"A/1.0":{"type":"package"}}}`)
	f.Add(`{"dependencies":{"net8.0":{"A":{"type":"Direct","resolved":"1.0"}}}}`)
	f.Fuzz(func(t *testing.T, s string) {
		ParseDepsJSON(strings.NewReader(s))
		ParsePackagesLock(strings.NewReader(s))
	})
}
