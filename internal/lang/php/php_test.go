package php

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
		s := p.Name + "@" + p.Version + " " + strings.Join(p.Licenses, ",")
		if p.Dev {
			s += " dev"
		}
		out = append(out, s)
	}
	return out
}

func TestComposer(t *testing.T) {
	for _, tt := range []struct {
		file  string
		parse func(io.Reader) ([]lang.Package, error)
		want  []string
	}{
		{"installed-v2.json", ParseInstalled, []string{"guzzlehttp/guzzle@7.8.0 MIT", "phpunit/phpunit@10.4.2 BSD-3-Clause dev"}},
		{"installed-v1.json", ParseInstalled, []string{"monolog/monolog@1.27.1 MIT"}},
		{"composer.lock", ParseLock, []string{"mockery/mockery@1.6.6 BSD-3-Clause dev", "psr/log@3.0.0 MIT", "symfony/http-foundation@v6.3.7 MIT"}},
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
	if _, err := ParseInstalled(strings.NewReader(`"x"`)); !errors.Is(err, lang.ErrParse) {
		t.Errorf("err = %v", err)
	}
}

func FuzzComposer(f *testing.F) {
	f.Add(`{"packages":[{"name":"a/b","version":"1","license":"MIT"}]}`)
	f.Add(`[{"name":"a/b","version":"1"}]`)
	f.Fuzz(func(t *testing.T, s string) {
		ParseInstalled(strings.NewReader(s))
		ParseLock(strings.NewReader(s))
	})
}
