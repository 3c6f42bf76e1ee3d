package secrets

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// ReadBaseline reads the fingerprints of a baseline: a JSON report of an
// earlier scan (shipshape's Report, whose findings' fingerprints are
// taken, or a gitleaks JSON report, whose findings are taken by file and
// line since its rule ids differ), or text with one fingerprint per line
// ('#' starts a comment). Entries of gitleaks reports come back as
// "file:line" locations (see WithBaseline).
func ReadBaseline(r io.Reader) ([]string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxConfigBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxConfigBytes {
		return nil, fmt.Errorf("larger than %d bytes", maxConfigBytes)
	}
	t := bytes.TrimSpace(b)
	switch {
	case bytes.HasPrefix(t, []byte("{")):
		var rep struct {
			Findings []struct {
				Fingerprint string `json:"fingerprint"`
			} `json:"findings"`
		}
		if err := json.Unmarshal(t, &rep); err != nil {
			return nil, err
		}
		out := make([]string, 0, len(rep.Findings))
		for i, f := range rep.Findings {
			if f.Fingerprint == "" {
				return nil, fmt.Errorf("finding %d has no fingerprint", i+1)
			}
			out = append(out, f.Fingerprint)
		}
		return out, nil
	case bytes.HasPrefix(t, []byte("[")):
		var rep []struct {
			File      string
			StartLine int
		}
		if err := json.Unmarshal(t, &rep); err != nil {
			return nil, err
		}
		out := make([]string, 0, len(rep))
		for i, f := range rep {
			if f.File == "" || f.StartLine < 1 {
				return nil, fmt.Errorf("gitleaks finding %d has no File or StartLine", i+1)
			}
			out = append(out, locationKey(f.File, f.StartLine))
		}
		return out, nil
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(t))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" {
			continue
		}
		if strings.ContainsAny(line, " \t") {
			return nil, fmt.Errorf("line %d: %q is not a fingerprint", n, line)
		}
		out = append(out, line)
	}
	return out, sc.Err()
}

// locationKey is how a baseline names a finding by place: "file:line".
func locationKey(file string, line int) string {
	return fmt.Sprintf("%s:%d", strings.TrimPrefix(file, "./"), line)
}

// baselined reports whether the baseline lists a finding, by fingerprint
// or by place.
func (s *Scanner) baselined(f *Finding) bool {
	if len(s.baseline) == 0 {
		return false
	}
	return s.baseline[f.Fingerprint] || s.baseline[locationKey(f.File, f.Line)]
}

// dropBaselined removes the findings the baseline lists.
func (s *Scanner) dropBaselined(fs []Finding) []Finding {
	if len(s.baseline) == 0 {
		return fs
	}
	out := fs[:0]
	for i := range fs {
		if !s.baselined(&fs[i]) {
			out = append(out, fs[i])
		}
	}
	return out
}
