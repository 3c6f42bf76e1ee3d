package secrets

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/shipshape-dev/shipshape/result"
)

// ScanFS scans every regular file of a directory tree, files in parallel
// (WithConcurrency). Binary files are skipped unless WithBinaryFiles, the
// .git directory always, and with WithGitignore what git ignores. name is
// how the report names the tree. Symlinks are not followed. Unreadable
// files and directories are per-file errors in the report; ScanFS fails
// only when ctx is done.
func (s *Scanner) ScanFS(ctx context.Context, fsys fs.FS, name string) (*Report, error) {
	rep := &Report{SchemaVersion: ReportSchemaVersion, Source: Source{Type: SourceDirectory, Name: name}, Findings: []Finding{}}
	var mu sync.Mutex
	fail := func(p string, err error) {
		mu.Lock()
		rep.Errors = append(rep.Errors, result.FileError{Path: p, Err: err})
		mu.Unlock()
	}
	ign := &ignoreSet{files: map[string]*ignoreFile{}}
	if s.gitignore {
		if b, err := readSmall(fsys, ".git/info/exclude"); err == nil {
			ign.files[""] = parseIgnore("", b)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.workers)
	walkErr := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if cerr := gctx.Err(); cerr != nil {
			return cerr
		}
		if err != nil {
			fail(p, err)
			return nil
		}
		if d.IsDir() {
			if p == "." {
				p = ""
			}
			if d.Name() == ".git" && p != "" {
				return fs.SkipDir
			}
			if s.gitignore && p != "" && ign.ignored(p, true) {
				mu.Lock()
				rep.Stats.Skipped++
				mu.Unlock()
				return fs.SkipDir
			}
			if s.gitignore {
				if b, err := readSmall(fsys, path.Join(p, ".gitignore")); err == nil {
					f := parseIgnore(p, b)
					if prev := ign.files[p]; prev != nil { // info/exclude at the root: lower priority
						f.patterns = append(prev.patterns, f.patterns...)
					}
					ign.files[p] = f
				}
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if (s.gitignore && ign.ignored(p, false)) || s.skipFile(p) {
			mu.Lock()
			rep.Stats.Skipped++
			mu.Unlock()
			return nil
		}
		g.Go(func() error {
			fds, n, err := s.scanFile(gctx, fsys, p)
			mu.Lock()
			defer mu.Unlock()
			rep.Stats.Bytes += n
			switch {
			case errors.Is(err, errBinary):
				rep.Stats.Skipped++
				return nil
			case err != nil && gctx.Err() == nil:
				rep.Errors = append(rep.Errors, result.FileError{Path: p, Err: err})
			}
			rep.Stats.Files++
			rep.Findings = append(rep.Findings, fds...)
			return nil
		})
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if walkErr != nil {
		return nil, fmt.Errorf("walking %s: %w", name, walkErr)
	}
	s.finish(rep)
	return rep, nil
}

// scanFile scans one file of a tree within the per-file budget.
func (s *Scanner) scanFile(ctx context.Context, fsys fs.FS, p string) ([]Finding, int64, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	var size int64 = -1
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	return s.scanBudget(ctx, s.newFileScan(p), f, size)
}

// scanBudget scans r (of the given size, or -1) up to the per-file budget:
// a larger stream is scanned up to it and reported with ErrFileTooLarge.
func (s *Scanner) scanBudget(ctx context.Context, f *fileScan, r io.Reader, size int64) ([]Finding, int64, error) {
	lr := &io.LimitedReader{R: r, N: s.maxFile}
	fds, n, err := s.scanStream(ctx, f, lr, true, min(size, s.maxFile))
	if err == nil && lr.N == 0 {
		var one [1]byte
		if k, _ := r.Read(one[:]); k > 0 {
			err = fmt.Errorf("%w: scanned the first %d bytes", ErrFileTooLarge, s.maxFile)
		}
	}
	return fds, n, err
}

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
