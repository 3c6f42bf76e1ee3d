package pkgdb

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParagraphs(t *testing.T) {
	// Lines long enough to make the paragraph's buffer grow several times,
	// so that earlier lines must survive the reallocation.
	var in strings.Builder
	var want [][]string
	for p := 0; p < 3; p++ {
		var par []string
		for l := 0; l < 5; l++ {
			line := fmt.Sprintf("K%d%d:%s", p, l, strings.Repeat(string(rune('a'+l)), 100*(l+1)))
			par = append(par, line)
			in.WriteString(line + "\n")
		}
		want = append(want, par)
		in.WriteString(" \t\n\n") // whitespace-only lines separate too
	}
	in.WriteString("X:" + strings.Repeat("y", MaxLine+1) + "\nlast:1")
	want = append(want, []string{"last:1"})

	var got [][]string
	var starts []int
	var bad []error
	err := Paragraphs(strings.NewReader(in.String()), func(p *Paragraph) {
		var par []string
		for _, l := range p.Lines {
			par = append(par, string(l.Text))
		}
		got = append(got, par)
		starts = append(starts, p.Line)
	}, func(err error) { bad = append(bad, err) })
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("paragraphs differ:\n got %.200q\nwant %.200q", got, want)
	}
	if !reflect.DeepEqual(starts, []int{1, 8, 15, 23}) {
		t.Errorf("starts = %v", starts)
	}
	if len(bad) != 1 || !errors.Is(bad[0], ErrLineTooLong) || !strings.Contains(bad[0].Error(), "line 22") {
		t.Errorf("bad = %v", bad)
	}
}
