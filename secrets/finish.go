package secrets

import (
	"io"
	"io/fs"
	"sort"
)

// readSmall reads a small file such as a .gitignore.
func readSmall(fsys fs.FS, p string) ([]byte, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxIgnoreBytes))
}

// finish drops baselined findings and sorts the report.
func (s *Scanner) finish(rep *Report) {
	n := len(rep.Findings)
	rep.Findings = s.dropBaselined(rep.Findings)
	rep.Baselined = n - len(rep.Findings)
	sort.Slice(rep.Findings, func(i, j int) bool { return lessFinding(&rep.Findings[i], &rep.Findings[j]) })
	sort.SliceStable(rep.Errors, func(i, j int) bool {
		if rep.Errors[i].Layer != rep.Errors[j].Layer {
			return rep.Errors[i].Layer < rep.Errors[j].Layer
		}
		return rep.Errors[i].Path < rep.Errors[j].Path
	})
}

func lessFinding(a, b *Finding) bool {
	switch {
	case a.File != b.File:
		return a.File < b.File
	case a.Line != b.Line:
		return a.Line < b.Line
	case a.Column != b.Column:
		return a.Column < b.Column
	case a.RuleID != b.RuleID:
		return a.RuleID < b.RuleID
	}
	return a.Layer < b.Layer
}
