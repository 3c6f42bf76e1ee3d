package lang

import (
	"reflect"
	"testing"
)

func TestSplitLicenses(t *testing.T) {
	for in, want := range map[string][]string{
		"MIT":                 {"MIT"},
		"MIT, Apache-2.0":     {"MIT", "Apache-2.0"},
		"MIT OR Apache-2.0":   {"MIT OR Apache-2.0"},
		"GPL-2.0 WITH x; BSD": {"GPL-2.0 WITH x; BSD"},
		"  ":                  nil,
	} {
		if got := SplitLicenses(in); !reflect.DeepEqual(got, want) {
			t.Errorf("SplitLicenses(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDedupe(t *testing.T) {
	in := []Package{{Type: "npm", Name: "b", Version: "1"}, {Type: "npm", Name: "a", Version: "1"}, {Type: "npm", Name: "b", Version: "1", Dev: true}}
	got := Dedupe(in)
	if len(got) != 2 || got[0].Name != "a" || got[1].Dev {
		t.Errorf("got %+v", got)
	}
}
