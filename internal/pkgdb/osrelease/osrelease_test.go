package osrelease

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	in := `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
# a comment
ID=debian
HOME_URL='https://www.debian.org/'
ESCAPED="say \"hi\" \$HOME"
not a pair
=novalue
`
	got, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"PRETTY_NAME": "Debian GNU/Linux 12 (bookworm)", "NAME": "Debian GNU/Linux", "VERSION_ID": "12",
		"VERSION": "12 (bookworm)", "VERSION_CODENAME": "bookworm", "ID": "debian",
		"HOME_URL": "https://www.debian.org/", "ESCAPED": `say "hi" $HOME`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

func TestFirstLine(t *testing.T) {
	got, err := FirstLine(strings.NewReader("3.19.1\nrest\n"))
	if err != nil || got != "3.19.1" {
		t.Errorf("got %q, %v", got, err)
	}
	got, err = FirstLine(strings.NewReader(""))
	if err != nil || got != "" {
		t.Errorf("empty: got %q, %v", got, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("ID=alpine\nVERSION_ID=3.19.1\n")
	f.Add(`A="\"`)
	f.Fuzz(func(t *testing.T, s string) {
		m, err := Parse(strings.NewReader(s))
		if err != nil {
			t.Fatal(err)
		}
		for k := range m {
			if k == "" || strings.ContainsAny(k, " \t\n") {
				t.Fatalf("bad key %q", k)
			}
		}
	})
}
