package result

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestSeverityJSON(t *testing.T) {
	for s := SeverityUnknown; s <= SeverityCritical; s++ {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var back Severity
		if err := json.Unmarshal(b, &back); err != nil || back != s {
			t.Errorf("%v: %s -> %v, %v", s, b, back, err)
		}
	}
	if _, err := json.Marshal(Severity(9)); !errors.Is(err, ErrInvalidSeverity) {
		t.Errorf("out of range marshals: %v", err)
	}
	var s Severity
	if err := json.Unmarshal([]byte(`"extreme"`), &s); !errors.Is(err, ErrInvalidSeverity) {
		t.Errorf("unknown name: %v", err)
	}
	if err := json.Unmarshal([]byte(`3`), &s); !errors.Is(err, ErrInvalidSeverity) {
		t.Errorf("number: %v", err)
	}
}

func TestFileErrorJSON(t *testing.T) {
	in := FileError{Layer: "sha256:aa", Path: "p", Err: errors.New("boom")}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out FileError
	if err := json.Unmarshal(b, &out); err != nil || out.Layer != in.Layer || out.Path != in.Path || out.Err.Error() != "boom" {
		t.Errorf("round trip: %+v, %v", out, err)
	}
	for _, tt := range []struct {
		e    FileError
		want string
	}{
		{FileError{Err: errors.New("x")}, "x"},
		{FileError{Path: "a", Err: errors.New("x")}, "a: x"},
		{FileError{Layer: "sha256:0123456789abcdef", Err: errors.New("x")}, "layer sha256:0123456789ab: x"},
	} {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}
