package secrets

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-dev/shipshape/internal/walk"
	"github.com/shipshape-dev/shipshape/result"
)

// ConfigFile is the File of findings in an image's configuration:
// "image config/env", "image config/labels", "image config/history".
const ConfigFile = "image config"

// ScanImage scans every file of every layer of img, each layer read once
// and layers in parallel (WithConcurrency), including files that a later
// layer deletes or replaces (Finding.Visible is false for those: the
// secret still ships with the image), and the image configuration:
// environment, labels and the build history, where build arguments leak.
// name is how the report names the image. Damaged layers and files are
// per-file errors in the report; ScanImage fails when the image's config
// or layer list cannot be read, or ctx is done.
func (s *Scanner) ScanImage(ctx context.Context, img v1.Image, name string) (*Report, error) {
	p, err := s.NewImagePass(img, name)
	if err != nil {
		return nil, err
	}
	res, err := walk.Layers(ctx, p.Layers(), p.Visitors(), walk.Options{Concurrency: s.workers, MaxFileBytes: s.maxFile})
	if err != nil {
		return nil, err
	}
	return p.Finish(res), nil
}

// ImagePass is ScanImage in two halves, for a walk of the image's layers
// shared with other passes (see shipshape.Inspect): the pass's visitors go
// into the walk, and Finish turns the walk's result into the report.
type ImagePass struct {
	s      *Scanner
	name   string
	cf     *v1.ConfigFile
	id     string
	layers []walk.Layer
	v      *Visitor
}

// NewImagePass reads img's config and layer list.
func (s *Scanner) NewImagePass(img v1.Image, name string) (*ImagePass, error) {
	id, err := img.ConfigName()
	if err != nil {
		return nil, fmt.Errorf("%w: config: %w", ErrImage, err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("%w: config: %w", ErrImage, err)
	}
	ls, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("%w: layers: %w", ErrImage, err)
	}
	layers, err := walk.ImageLayers(ls, cf)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrImage, err)
	}
	return &ImagePass{s: s, name: name, cf: cf, id: id.String(), layers: layers, v: s.Visitor()}, nil
}

// Layers returns the image's layers, for the walk.
func (p *ImagePass) Layers() []walk.Layer { return p.layers }

// Visitors returns the pass's visitors, for the walk.
func (p *ImagePass) Visitors() []walk.Visitor { return []walk.Visitor{p.v} }

// Finish makes the report from the walk's result, as seen by the pass's
// visitors (walk.Result.Part).
func (p *ImagePass) Finish(res *walk.Result) *Report {
	s := p.s
	rep := &Report{SchemaVersion: ReportSchemaVersion, Source: Source{Type: SourceImage, Name: p.name, ImageID: p.id}, Findings: []Finding{}}
	layerIndex := map[string]int{}
	for i, l := range p.layers {
		layerIndex[l.DiffID] = i
	}
	for _, vis := range res.Files {
		fds := p.v.Findings(vis, p.layers, res.View)
		rep.Findings = append(rep.Findings, fds...)
		if val, ok := vis.Value.(*visitValue); ok {
			rep.Stats.Bytes += val.bytes
			if val.binary {
				rep.Stats.Skipped++
				continue
			}
		}
		rep.Stats.Files++
		if vis.Err != nil {
			rep.Errors = append(rep.Errors, fileError(vis, p.layers))
		}
	}
	rep.Errors = append(rep.Errors, res.Errors...)
	rep.Findings = append(rep.Findings, s.scanConfig(p.cf)...)
	s.finish(rep)
	sort.SliceStable(rep.Errors, func(i, j int) bool {
		return layerIndex[rep.Errors[i].Layer] < layerIndex[rep.Errors[j].Layer]
	})
	return rep
}

// scanConfig scans the environment, labels and history of an image
// configuration, each as a file of one entry per line.
func (s *Scanner) scanConfig(cf *v1.ConfigFile) []Finding {
	oneLine := strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")
	var env, labels, history []string
	for _, e := range cf.Config.Env {
		env = append(env, oneLine.Replace(e))
	}
	keys := make([]string, 0, len(cf.Config.Labels))
	for k := range cf.Config.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		labels = append(labels, oneLine.Replace(k+"="+cf.Config.Labels[k]))
	}
	for _, h := range cf.History {
		history = append(history, oneLine.Replace(h.CreatedBy))
	}
	var out []Finding
	for _, part := range []struct {
		name  string
		lines []string
	}{{"env", env}, {"labels", labels}, {"history", history}} {
		if len(part.lines) > 0 {
			out = append(out, s.ScanBytes(ConfigFile+"/"+part.name, []byte(strings.Join(part.lines, "\n")+"\n"))...)
		}
	}
	return out
}

// Visitor is the scanner as a layer visitor, for callers that walk an
// image once for several purposes (see shipshape.Inspect): it reads every
// regular file; Findings turns one visit into findings.
type Visitor struct{ s *Scanner }

// Visitor returns the scanner's layer visitor.
func (s *Scanner) Visitor() *Visitor { return &Visitor{s: s} }

// visitValue is what one visit found. Secrets are kept in clear (in
// memory only) so that a hard link, which shares its target's visit, gets
// fingerprints of its own path.
type visitValue struct {
	matches []visitMatch
	bytes   int64
	binary  bool
}

type visitMatch struct {
	finding Finding
	secret  string
	// cached says the match came from the layer cache: finding holds the
	// fingerprint and the redacted secret, and secret is empty.
	cached bool
}

// Wants reports whether the visitor reads a file: every regular file not
// excluded by a global path allowlist, nor (unless WithSystemDocs) a
// system documentation directory.
func (v *Visitor) Wants(h *walk.Header) bool {
	return !v.s.skipFile(h.Path) && (v.s.sysDocs || !systemDocs(h.Path))
}

// systemDocs reports the directories WithSystemDocs opts back in.
func systemDocs(p string) bool {
	rest, ok := strings.CutPrefix(p, "usr/")
	if !ok {
		return false
	}
	if strings.HasPrefix(rest, "include/") {
		return true
	}
	rest, ok = strings.CutPrefix(rest, "share/")
	if !ok {
		return false
	}
	for _, d := range [...]string{"doc/", "man/", "info/", "locale/", "i18n/", "zoneinfo/"} {
		if strings.HasPrefix(rest, d) {
			return true
		}
	}
	return false
}

// MaxBytes is the scanner's per-file budget, which holds in a walk shared
// with visitors that read more (see walk.Budgeted).
func (v *Visitor) MaxBytes(*walk.Header) int64 { return v.s.maxFile }

// Detach lets the walker scan small files on other goroutines than the
// one decompressing the layer (see walk.Detacher): scanning overlaps with
// reading.
func (v *Visitor) Detach(*walk.Header) bool { return true }

// Class puts every file in one class: a hard link shares its target's
// visit (see walk.Classifier).
func (v *Visitor) Class(*walk.Header) string { return "" }

// Visit scans one file.
func (v *Visitor) Visit(ctx context.Context, h *walk.Header, r io.Reader) (any, error) {
	f := v.s.newFileScan(h.Path)
	f.keepClear = true
	fds, n, err := v.s.scanStream(ctx, f, r, true, h.Size)
	val := &visitValue{bytes: n}
	if errors.Is(err, errBinary) {
		val.binary = true
		return val, nil
	}
	for i := range fds {
		val.matches = append(val.matches, visitMatch{finding: fds[i], secret: fds[i].Secret})
	}
	return val, err
}

// Findings turns a visit into findings with the visited path, the layer's
// diffID and whether the final filesystem shows that file.
func (v *Visitor) Findings(vis walk.Visited, layers []walk.Layer, view *walk.View) []Finding {
	val, ok := vis.Value.(*visitValue)
	if !ok {
		return nil
	}
	var layer string
	if vis.Header.Layer < len(layers) {
		layer = layers[vis.Header.Layer].DiffID
	}
	visible := view == nil || view.Visible(vis.Header.Path, vis.Header.Layer)
	out := make([]Finding, 0, len(val.matches))
	for _, m := range val.matches {
		fd := m.finding
		fd.File, fd.Layer, fd.Visible = vis.Header.Path, layer, visible
		if m.cached {
			out = append(out, fd) // fingerprinted and redacted when stored
			continue
		}
		fd.Fingerprint = Fingerprint(fd.RuleID, fd.File, m.secret)
		fd.Secret = m.secret
		if !v.s.reveal {
			fd.Secret = Redact(m.secret)
		}
		out = append(out, fd)
	}
	return out
}

func fileError(vis walk.Visited, layers []walk.Layer) (fe result.FileError) {
	fe.Path, fe.Err = vis.Header.Path, vis.Err
	if vis.Header.Layer < len(layers) {
		fe.Layer = layers[vis.Header.Layer].DiffID
	}
	return fe
}
