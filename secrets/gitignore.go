package secrets

import (
	"bufio"
	"bytes"
	"path"
	"strings"
)

// ignoreFile holds the patterns of one .gitignore (or info/exclude), for
// the directory dir ("" for the root).
type ignoreFile struct {
	dir      string
	patterns []ignorePattern
}

// ignorePattern is one line of a .gitignore, as gitignore(5) describes it.
type ignorePattern struct {
	negate   bool
	dirOnly  bool     // a trailing slash: directories only
	anchored bool     // a slash at the start or in the middle: relative to dir
	segments []string // the pattern split at slashes; "**" stands alone
}

// maxIgnoreBytes bounds one .gitignore.
const maxIgnoreBytes = 1 << 20

// parseIgnore reads the patterns of a .gitignore in directory dir.
// Written here because gitignore matching in Go libraries either comes
// with a whole git implementation's dependencies or is unmaintained; the
// tests compare this one with git check-ignore.
func parseIgnore(dir string, data []byte) *ignoreFile {
	f := &ignoreFile{dir: dir}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), maxIgnoreBytes)
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line == "" || line[0] == '#' {
			continue
		}
		// Trailing spaces go unless escaped with a backslash.
		for strings.HasSuffix(line, " ") && !strings.HasSuffix(line, `\ `) {
			line = line[:len(line)-1]
		}
		var p ignorePattern
		switch {
		case line[0] == '!':
			p.negate, line = true, line[1:]
		case strings.HasPrefix(line, `\!`), strings.HasPrefix(line, `\#`):
			line = line[1:]
		}
		if strings.HasSuffix(line, "/") {
			p.dirOnly, line = true, strings.TrimRight(line, "/")
		}
		if line == "" {
			continue
		}
		if i := strings.Index(line, "/"); i >= 0 {
			p.anchored = true
			line = strings.TrimPrefix(line, "/")
		}
		for _, seg := range strings.Split(line, "/") {
			if strings.Contains(seg, "**") && seg != "**" {
				seg = strings.ReplaceAll(seg, "**", "*") // "**" inside a segment is a plain star
			}
			p.segments = append(p.segments, fnmatchToPath(seg))
		}
		f.patterns = append(f.patterns, p)
	}
	return f
}

// fnmatchToPath rewrites the fnmatch negated class [!…] into path.Match's
// [^…].
func fnmatchToPath(seg string) string {
	return strings.ReplaceAll(seg, "[!", "[^")
}

// match reports whether the pattern matches rel, a path relative to the
// ignore file's directory.
func (p *ignorePattern) match(rel string, isDir bool) bool {
	if p.dirOnly && !isDir {
		return false
	}
	parts := strings.Split(rel, "/")
	if !p.anchored {
		// A pattern without a slash matches the name at any depth.
		ok, _ := path.Match(p.segments[0], parts[len(parts)-1])
		return ok
	}
	return matchSegments(p.segments, parts)
}

// matchSegments matches pattern segments against path segments, "**"
// standing for zero or more whole segments.
func matchSegments(pat, parts []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			if len(pat) == 1 {
				return len(parts) > 0 // "a/**" matches everything inside a
			}
			for i := 0; i <= len(parts); i++ {
				if matchSegments(pat[1:], parts[i:]) {
					return true
				}
			}
			return false
		}
		if len(parts) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], parts[0]); !ok {
			return false
		}
		pat, parts = pat[1:], parts[1:]
	}
	return len(parts) == 0
}

// ignoreSet is the .gitignore files of a tree, by directory.
type ignoreSet struct {
	files map[string]*ignoreFile
}

// ignored reports whether git ignores p (slash path from the root). The
// files of p's ancestors apply, deeper ones last; within and across files
// the last matching pattern decides. The caller prunes ignored
// directories, so a file inside one never gets here (git cannot
// re-include it either).
func (s *ignoreSet) ignored(p string, isDir bool) bool {
	ignored := false
	// Ancestors from the root down: "", "a", "a/b", …
	dirs := []string{""}
	for i := 0; i < len(p); i++ {
		if p[i] == '/' {
			dirs = append(dirs, p[:i])
		}
	}
	for _, d := range dirs {
		f := s.files[d]
		if f == nil {
			continue
		}
		rel := p
		if d != "" {
			rel = p[len(d)+1:]
		}
		for i := range f.patterns {
			if f.patterns[i].match(rel, isDir) {
				ignored = !f.patterns[i].negate
			}
		}
	}
	return ignored
}
