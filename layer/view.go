package layer

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

// MaxSymlinkHops bounds symlink resolution, as Linux's ELOOP limit does.
const MaxSymlinkHops = 40

// View is the final filesystem of an image: what a container started from
// it would see, after whiteouts, opaque directories and overwrites.
type View struct {
	// files maps each path of the final filesystem to its entry, kept in
	// the layers' own records: eight bytes a path beyond the key.
	files   map[string]viewRef
	layers  [][]entry
	maxHops int
}

type viewRef struct{ layer, idx uint32 }

type viewEntry struct {
	*entry
	layer int
}

func (v *View) get(p string) (viewEntry, bool) {
	r, ok := v.files[p]
	if !ok {
		return viewEntry{}, false
	}
	return viewEntry{entry: &v.layers[r.layer][r.idx], layer: int(r.layer)}, true
}

// hide flags for the squash.
const (
	hideSelf  uint8 = 1 << iota // the path itself is whited out
	hideBelow                   // everything strictly below the path is hidden
)

// squash computes the final view from per-layer results, top layer first.
func squash(layers []*layerResult, maxHops int) *View {
	total := 0
	for _, lr := range layers {
		if lr != nil {
			total += len(lr.entries)
		}
	}
	v := &View{files: make(map[string]viewRef, total), layers: make([][]entry, len(layers)), maxHops: maxHops}
	hidden := map[string]uint8{}
	for li := len(layers) - 1; li >= 0; li-- {
		lr := layers[li]
		if lr == nil {
			continue
		}
		v.layers[li] = lr.entries
		var shadowed []string // non-directories of this layer that an upper layer replaced
		for k := len(lr.entries) - 1; k >= 0; k-- {
			e := &lr.entries[k]
			if ve, ok := v.get(e.path); ok {
				// An upper layer, or a later entry of this one, wins. If
				// this layer put a non-directory here, whatever lower
				// layers had below the path was removed even though an
				// upper layer made a directory of it again.
				if ve.layer > li && !e.mode.IsDir() {
					shadowed = append(shadowed, e.path)
				}
				continue
			}
			if v.hidden(hidden, e.path, li) {
				continue
			}
			v.files[e.path] = viewRef{layer: uint32(li), idx: uint32(k)}
		}
		// This layer's whiteouts, opaque directories and replaced
		// directories apply to the layers below it only.
		for _, p := range shadowed {
			hidden[p] |= hideBelow
		}
		for _, p := range lr.whiteouts {
			hidden[p] |= hideSelf | hideBelow
		}
		for _, p := range lr.opaques {
			hidden[p] |= hideBelow
		}
	}
	return v
}

// hidden reports whether an entry at p from layer li is hidden by an upper
// layer: whited out itself or through an ancestor, below an opaque
// directory, or below an ancestor an upper layer replaced with a
// non-directory (a file or a symlink).
func (v *View) hidden(hidden map[string]uint8, p string, li int) bool {
	if len(hidden) > 0 && (hidden[p]&hideSelf != 0 || hidden[""]&hideBelow != 0) {
		return true // whited out, or below an opaque root
	}
	for i := 0; i < len(p); i++ {
		if p[i] != '/' {
			continue
		}
		a := p[:i]
		if len(hidden) > 0 && hidden[a] != 0 {
			return true
		}
		if ve, ok := v.get(a); ok && ve.layer > li && !ve.mode.IsDir() {
			return true
		}
	}
	return false
}

// Len returns the number of entries in the view.
func (v *View) Len() int { return len(v.files) }

// Lookup returns the entry at the clean path p, without following symlinks.
func (v *View) Lookup(p string) (Header, bool) {
	ve, ok := v.get(p)
	if !ok {
		return Header{}, false
	}
	return ve.header(ve.layer), true
}

// Visible reports whether the entry at p from the given layer is the one
// the final filesystem shows.
func (v *View) Visible(p string, layer int) bool {
	r, ok := v.files[p]
	return ok && int(r.layer) == layer
}

// Resolve follows symlinks in every component of p, confined to the root,
// and returns the entry p finally names. It fails with an error wrapping
// fs.ErrNotExist when a component is missing, and ErrSymlinkLoop after
// MaxSymlinkHops links.
func (v *View) Resolve(p string) (Header, error) {
	hops := 0
	rest := p
	cur := ""
	for rest != "" {
		var comp string
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			comp, rest = rest[:i], rest[i+1:]
		} else {
			comp, rest = rest, ""
		}
		switch comp {
		case "", ".":
			continue
		case "..":
			cur = parentDir(cur) // cur never holds a symlink: ".." is physical
			continue
		}
		next := comp
		if cur != "" {
			next = cur + "/" + comp
		}
		ve, ok := v.get(next)
		if !ok {
			if rest == "" {
				return Header{}, fmt.Errorf("%s: %w", p, fs.ErrNotExist)
			}
			// Layers need not carry their parent directories: a missing
			// intermediate component is an implicit directory.
			cur = next
			continue
		}
		if ve.mode&fs.ModeSymlink != 0 {
			hops++
			if hops > v.maxHops {
				return Header{}, fmt.Errorf("%s: %w", p, ErrSymlinkLoop)
			}
			// Continue from the link's directory (or the root, for an
			// absolute target) with the target's components, so that ".."
			// in the target or after the link is taken component by
			// component, as the kernel does, never lexically.
			if strings.HasPrefix(ve.link, "/") {
				cur = ""
			}
			if rest != "" {
				rest = ve.link + "/" + rest
			} else {
				rest = ve.link
			}
			continue
		}
		if rest != "" && !ve.mode.IsDir() {
			return Header{}, fmt.Errorf("%s: %s is not a directory: %w", p, next, fs.ErrNotExist)
		}
		cur = next
	}
	if cur == "" {
		return Header{Path: "", Mode: fs.ModeDir | 0o755}, nil
	}
	ve, ok := v.get(cur)
	if !ok {
		return Header{}, fmt.Errorf("%s: %w", p, fs.ErrNotExist)
	}
	return ve.header(ve.layer), nil
}

// Walk calls fn for every entry in path order. It stops at the first error
// fn returns and returns it.
func (v *View) Walk(fn func(h *Header) error) error {
	paths := make([]string, 0, len(v.files))
	for p := range v.files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		ve, _ := v.get(p)
		h := ve.header(ve.layer)
		if err := fn(&h); err != nil {
			return err
		}
	}
	return nil
}
