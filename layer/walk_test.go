package layer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"reflect"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/shipshape-dev/shipshape/layer/layertest"
)

// collect wants the paths in want (or every file when want is nil) and
// returns their content.
type collect struct {
	want map[string]bool
}

func wantPaths(ps ...string) *collect {
	c := &collect{want: map[string]bool{}}
	for _, p := range ps {
		c.want[p] = true
	}
	return c
}

func (c *collect) Wants(h *Header) bool { return c.want == nil || c.want[h.Path] }

func (c *collect) Visit(_ context.Context, h *Header, r io.Reader) (any, error) {
	b, err := io.ReadAll(r)
	return string(b), err
}

func layersOf(t *testing.T, ls ...v1.Layer) []layerSource {
	t.Helper()
	out := make([]layerSource, len(ls))
	for i, l := range ls {
		d, err := l.DiffID()
		if err != nil {
			t.Fatal(err)
		}
		out[i] = layerSource{DiffID: d.String(), Open: l.Uncompressed}
	}
	return out
}

func rawLayer(b []byte) layerSource {
	return layerSource{DiffID: "sha256:raw", Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }}
}

// visible lists the view's paths with their layer, "path@layer".
func visible(v *View) []string {
	var out []string
	_ = v.Walk(func(h *Header) error {
		out = append(out, h.Path+"@"+string(rune('0'+h.Layer)))
		return nil
	})
	return out
}

// values lists visited files as "path@layer=value".
func values(res *Result) []string {
	var out []string
	for _, f := range res.files {
		s := f.header.Path + "@" + string(rune('0'+f.header.Layer)) + "="
		if f.err != nil {
			s += "error"
		} else {
			s += f.value.(string)
		}
		out = append(out, s)
	}
	return out
}

func TestSquash(t *testing.T) {
	F, D, S, W, O := layertest.File, layertest.Dir, layertest.Symlink, layertest.Whiteout, layertest.Opaque
	tests := []struct {
		name   string
		layers [][]layertest.Entry
		want   []string
	}{
		{
			name:   "overwrite",
			layers: [][]layertest.Entry{{F("a", "1"), F("b", "1")}, {F("a", "2")}},
			want:   []string{"a@1", "b@0"},
		},
		{
			name:   "whiteout file",
			layers: [][]layertest.Entry{{D("d"), F("d/x", ""), F("d/y", "")}, {W("d/x")}},
			want:   []string{"d@0", "d/y@0"},
		},
		{
			name:   "whiteout directory, then recreated",
			layers: [][]layertest.Entry{{D("d"), D("d/sub"), F("d/sub/f", "")}, {W("d")}, {F("d/new", "")}},
			want:   []string{"d/new@2"},
		},
		{
			name:   "opaque directory",
			layers: [][]layertest.Entry{{D("d"), F("d/a", ""), F("e", "")}, {D("d"), O("d"), F("d/b", "")}},
			want:   []string{"d@1", "d/b@1", "e@0"},
		},
		{
			name:   "whiteout in the same layer applies only below",
			layers: [][]layertest.Entry{{F("x", "")}, {W("x"), F("x", "again")}},
			want:   []string{"x@1"},
		},
		{
			name:   "directory replaced by symlink hides the lower content",
			layers: [][]layertest.Entry{{D("lib"), F("lib/libc.so", "")}, {S("lib", "usr/lib")}},
			want:   []string{"lib@1"},
		},
		{
			name:   "later duplicate in one layer wins",
			layers: [][]layertest.Entry{{F("a", "first"), F("a", "second")}},
			want:   []string{"a@0"},
		},
		{
			name:   "aufs metadata is not a file",
			layers: [][]layertest.Entry{{F(".wh..wh.plnk", ""), F("a", "")}},
			want:   []string{"a@0"},
		},
		{
			name:   "absolute and dotted names are cleaned",
			layers: [][]layertest.Entry{{F("/etc/passwd", ""), F("./usr//bin/../lib/x", "")}},
			want:   []string{"etc/passwd@0", "usr/lib/x@0"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ls []v1.Layer
			for _, es := range tt.layers {
				ls = append(ls, layertest.Layer(t, es...))
			}
			res, err := testWalk(context.Background(), layersOf(t, ls...), nil, options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := visible(res.View); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("view = %v, want %v", got, tt.want)
			}
			if len(res.Errors) != 0 {
				t.Errorf("errors: %v", res.Errors)
			}
		})
	}
}

func TestVisitValuesAndVisibility(t *testing.T) {
	ls := layersOf(t,
		layertest.Layer(t, layertest.File("etc/a", "A0"), layertest.File("etc/b", "B0"), layertest.File("etc/c", "C0")),
		layertest.Layer(t, layertest.File("etc/a", "A1"), layertest.Whiteout("etc/b")),
	)
	res, err := testWalk(context.Background(), ls, []Visitor[any]{wantPaths("etc/a", "etc/b")}, options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"etc/a@0=A0", "etc/a@1=A1", "etc/b@0=B0"}
	if got := values(res); !reflect.DeepEqual(got, want) {
		t.Errorf("files = %v, want %v", got, want)
	}
	if !res.View.Visible("etc/a", 1) || res.View.Visible("etc/a", 0) || res.View.Visible("etc/b", 0) {
		t.Error("visibility wrong")
	}
	if len(res.Layers) != 2 || res.Layers[0].Entries != 3 || res.Layers[1].Entries != 2 {
		t.Errorf("layer stats = %+v", res.Layers)
	}
}

func TestHardLinks(t *testing.T) {
	layer := layertest.Layer(t,
		layertest.File("bin/real", "content"),
		layertest.Hardlink("bin/alias", "bin/real"),
		layertest.File("etc/x", "x"),
		layertest.Hardlink("etc/y", "etc/x"),
		layertest.Hardlink("etc/dangling", "etc/missing"),
	)
	// bin/alias is wanted without its target: the walker must read the layer
	// again. etc/y is wanted with its target: the value is shared.
	v := wantPaths("bin/alias", "etc/x", "etc/y", "etc/dangling")
	res, err := testWalk(context.Background(), layersOf(t, layer), []Visitor[any]{v}, options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"bin/alias@0=content", "etc/dangling@0=error", "etc/x@0=x", "etc/y@0=x"}
	if got := values(res); !reflect.DeepEqual(got, want) {
		t.Errorf("files = %v, want %v", got, want)
	}
	h, ok := res.View.Lookup("bin/alias")
	if !ok || !h.HardLink || h.Size != int64(len("content")) || !h.Mode.IsRegular() {
		t.Errorf("hard link header = %+v", h)
	}
}

func TestResolve(t *testing.T) {
	layer := layertest.Layer(t,
		layertest.File("usr/lib/os-release", "ID=debian"),
		layertest.Symlink("etc/os-release", "../usr/lib/os-release"),
		layertest.Symlink("lib", "usr/lib"),
		layertest.Symlink("abs", "/usr/lib/os-release"),
		layertest.Symlink("a/b/escape", "../../../../../usr/lib/os-release"),
		layertest.Symlink("loop1", "loop2"),
		layertest.Symlink("loop2", "loop1"),
		layertest.Symlink("dangling", "nowhere"),
		layertest.File("file", ""),
	)
	res, err := testWalk(context.Background(), layersOf(t, layer), nil, options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path, want string
		err        error
	}{
		{path: "etc/os-release", want: "usr/lib/os-release"},
		{path: "lib/os-release", want: "usr/lib/os-release"},
		{path: "abs", want: "usr/lib/os-release"},
		{path: "a/b/escape", want: "usr/lib/os-release"},
		{path: "usr/lib/os-release", want: "usr/lib/os-release"},
		{path: "loop1", err: ErrSymlinkLoop},
		{path: "dangling", err: fs.ErrNotExist},
		{path: "file/below", err: fs.ErrNotExist},
		{path: "missing", err: fs.ErrNotExist},
	} {
		h, err := res.View.Resolve(tt.path)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("Resolve(%q) error = %v, want %v", tt.path, err, tt.err)
			}
			continue
		}
		if err != nil || h.Path != tt.want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", tt.path, h.Path, err, tt.want)
		}
	}
}

func TestBadEntries(t *testing.T) {
	layer := layertest.Layer(t,
		layertest.File("../../etc/evil", "x"),
		layertest.File("ok", "fine"),
		layertest.Hardlink("link", "../../outside"),
		layertest.File("d/.wh...", ""),
	)
	res, err := testWalk(context.Background(), layersOf(t, layer), []Visitor[any]{&collect{}}, options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := visible(res.View); !reflect.DeepEqual(got, []string{"ok@0"}) {
		t.Errorf("view = %v", got)
	}
	if got := values(res); !reflect.DeepEqual(got, []string{"ok@0=fine"}) {
		t.Errorf("files = %v", got)
	}
	if len(res.Errors) != 3 {
		t.Fatalf("errors = %v, want 3", res.Errors)
	}
	for _, e := range res.Errors {
		if !errors.Is(e.Err, ErrPathEscapes) && !errors.Is(e.Err, ErrBadPath) {
			t.Errorf("unexpected error %v", e.Err)
		}
	}
}

func TestCorruptLayers(t *testing.T) {
	good := layertest.Tar(t, layertest.File("a", "1"), layertest.File("b", strings.Repeat("x", 4096)))
	tests := []struct {
		name    string
		layer   layerSource
		entries int
	}{
		{name: "truncated tar", layer: rawLayer(good[:1024+512+100]), entries: 2},
		{name: "garbage", layer: rawLayer(bytes.Repeat([]byte{0xff}, 2048)), entries: 0},
		{name: "open fails", layer: layerSource{DiffID: "sha256:x", Open: func() (io.ReadCloser, error) { return nil, errors.New("boom") }}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := testWalk(context.Background(), []layerSource{tt.layer}, []Visitor[any]{&collect{}}, options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Errors) == 0 {
				t.Fatal("no error reported")
			}
			last := res.Errors[len(res.Errors)-1]
			if !errors.Is(last.Err, ErrLayer) || last.Layer != tt.layer.DiffID {
				t.Errorf("error = %v", last)
			}
			if res.Layers[0].Entries != tt.entries {
				t.Errorf("entries = %d, want %d", res.Layers[0].Entries, tt.entries)
			}
		})
	}
}

func TestBudgetAndFanOut(t *testing.T) {
	big := strings.Repeat("y", largeFanOut+10)
	layer := layertest.Layer(t, layertest.File("small", "abc"), layertest.File("big", big))
	two := []Visitor[any]{&collect{}, &collect{}}
	res, err := testWalk(context.Background(), layersOf(t, layer), two, options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.files) != 4 {
		t.Fatalf("files = %d", len(res.files))
	}
	for _, f := range res.files {
		want := "abc"
		if f.header.Path == "big" {
			want = big
		}
		if f.err != nil || f.value.(string) != want {
			t.Errorf("visitor %d %s: err %v, %d bytes", f.visitor, f.header.Path, f.err, len(f.value.(string)))
		}
	}

	res, err = testWalk(context.Background(), layersOf(t, layer), two, options{MaxFileBytes: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.files {
		tooLarge := errors.Is(f.err, ErrFileTooLarge)
		if tooLarge != (f.header.Path == "big") {
			t.Errorf("%s: err = %v", f.header.Path, f.err)
		}
	}
}

// earlyQuit reads one byte and returns, leaving the rest of the file.
type earlyQuit struct{}

func (earlyQuit) Wants(*Header) bool { return true }
func (earlyQuit) Visit(_ context.Context, _ *Header, r io.Reader) (any, error) {
	var b [1]byte
	_, err := r.Read(b[:])
	return string(b[:]), err
}

func TestFanOutVisitorStopsEarly(t *testing.T) {
	big := strings.Repeat("z", largeFanOut+1)
	layer := layertest.Layer(t, layertest.File("big", big), layertest.File("after", "ok"))
	res, err := testWalk(context.Background(), layersOf(t, layer), []Visitor[any]{earlyQuit{}, &collect{}, earlyQuit{}}, options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, f := range res.files {
		if f.err != nil {
			t.Errorf("%v", f.err)
			continue
		}
		got[f.header.Path] += len(f.value.(string))
	}
	if got["big"] != len(big)+2 || got["after"] != 4 {
		t.Errorf("bytes seen = %v", got)
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	layer := layertest.Layer(t, layertest.File("a", "1"))
	if _, err := testWalk(ctx, layersOf(t, layer), []Visitor[any]{&collect{}}, options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	if _, err := testWalkFS(ctx, fstest.MapFS{"a": {Data: []byte("x")}}, []Visitor[any]{&collect{}}, options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("FS err = %v", err)
	}
}

func TestFS(t *testing.T) {
	fsys := fstest.MapFS{
		"etc/os-release":     {Mode: fs.ModeSymlink, Data: []byte("../usr/lib/os-release")},
		"usr/lib/os-release": {Data: []byte("ID=alpine")},
		"srv/app/go.mod":     {Data: []byte("module x")},
		"srv/fifo":           {Mode: fs.ModeNamedPipe},
	}
	res, err := testWalkFS(context.Background(), fsys, []Visitor[any]{&collect{}}, options{})
	if err != nil {
		t.Fatal(err)
	}
	got := values(res)
	sort.Strings(got)
	want := []string{"srv/app/go.mod@0=module x", "usr/lib/os-release@0=ID=alpine"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("files = %v, want %v", got, want)
	}
	h, err := res.View.Resolve("etc/os-release")
	if err != nil || h.Path != "usr/lib/os-release" {
		t.Errorf("resolve = %+v, %v", h, err)
	}
}

func TestCleanPath(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		err      error
	}{
		{in: "a/b", want: "a/b"},
		{in: "./a/b/", want: "a/b"},
		{in: "/a//b", want: "a/b"},
		{in: "a/../b", want: "b"},
		{in: ".", want: ""},
		{in: "./", want: ""},
		{in: "../a", err: ErrPathEscapes},
		{in: "a/../../b", err: ErrPathEscapes},
		{in: "", err: ErrBadPath},
		{in: "a\x00b", err: ErrBadPath},
		{in: "a/\xffb", err: ErrBadPath},
		{in: strings.Repeat("a", MaxPathLen+1), err: ErrBadPath},
		{in: "ünïcode/ok", want: "ünïcode/ok"},
	} {
		got, err := CleanPath(tt.in)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("CleanPath(%q) error = %v, want %v", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("CleanPath(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func FuzzCleanPath(f *testing.F) {
	for _, s := range []string{"a/b", "../x", "/abs", "./a/./b/..", "", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		p, err := CleanPath(name)
		if err != nil {
			return
		}
		if strings.HasPrefix(p, "/") || p == ".." || strings.HasPrefix(p, "../") || strings.Contains(p, "/../") || strings.HasSuffix(p, "/..") {
			t.Fatalf("CleanPath(%q) = %q escapes", name, p)
		}
		if again, err := CleanPath(p); p != "" && (err != nil || again != p) {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", name, p, again, err)
		}
	})
}

// randomAccess asks for a second read of every file and reports whether it
// then got a reader with ReadAt.
type randomAccess struct{}

func (randomAccess) Wants(*Header) bool { return true }
func (randomAccess) Visit(_ context.Context, h *Header, r io.Reader) (any, error) {
	ra, ok := r.(io.ReaderAt)
	if !ok {
		return nil, ErrReread
	}
	b := make([]byte, 3)
	n, _ := ra.ReadAt(b, h.Size-3)
	return string(b[:n]), nil
}

func TestReread(t *testing.T) {
	layer := layertest.Layer(t, layertest.File("a", "hello"), layertest.File("b", "world!"))
	res, err := testWalk(context.Background(), layersOf(t, layer), []Visitor[any]{randomAccess{}, &collect{}}, options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a@0=llo", "b@0=ld!", "a@0=hello", "b@0=world!"}
	if got := values(res); !reflect.DeepEqual(got, want) {
		t.Errorf("files = %v, want %v", got, want)
	}
	fsres, err := testWalkFS(context.Background(), fstest.MapFS{"a": {Data: []byte("hello")}}, []Visitor[any]{randomAccess{}}, options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := values(fsres); !reflect.DeepEqual(got, []string{"a@0=llo"}) {
		t.Errorf("FS files = %v", got)
	}
}

func TestSquashReviewCases(t *testing.T) {
	F, D, O := layertest.File, layertest.Dir, layertest.Opaque
	for _, tt := range []struct {
		name   string
		layers [][]layertest.Entry
		want   []string
	}{
		{
			// A middle layer replaced the directory with a file; an upper
			// layer made it a directory again: the lowest content is gone.
			name:   "directory replaced by a file, then recreated",
			layers: [][]layertest.Entry{{D("a"), F("a/secret", "")}, {F("a", "file")}, {D("a"), F("a/new", "")}},
			want:   []string{"a@2", "a/new@2"},
		},
		{
			name:   "opaque root",
			layers: [][]layertest.Entry{{F("etc/passwd", "")}, {O(""), F("etc/group", "")}},
			want:   []string{"etc/group@1"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var ls []v1.Layer
			for _, es := range tt.layers {
				if tt.name == "opaque root" && len(ls) == 1 {
					es[0] = layertest.File(".wh..wh..opq", "")
				}
				ls = append(ls, layertest.Layer(t, es...))
			}
			res, err := testWalk(context.Background(), layersOf(t, ls...), nil, options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := visible(res.View); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("view = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestResolveDotDotAfterLinks(t *testing.T) {
	layer := layertest.Layer(t,
		layertest.File("z/c", "right"),
		layertest.File("a/c", "wrong"),
		layertest.Symlink("l", "a/b"),
		layertest.Symlink("a/b", "../z/w"),
		layertest.Dir("z/w"),
		layertest.Symlink("m", "a/b/../c"),
	)
	res, err := testWalk(context.Background(), layersOf(t, layer), nil, options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"l/../c", "m"} {
		h, err := res.View.Resolve(p)
		if err != nil || h.Path != "z/c" {
			t.Errorf("Resolve(%q) = %q, %v; want z/c", p, h.Path, err)
		}
	}
}

// classed reads two kinds of files differently and says so.
type classed struct{}

func (classed) Wants(*Header) bool { return true }
func (classed) Class(h *Header) string {
	if strings.HasSuffix(h.Path, ".txt") {
		return "text"
	}
	return "other"
}
func (classed) Visit(_ context.Context, h *Header, r io.Reader) (any, error) {
	b, err := io.ReadAll(r)
	if strings.HasSuffix(h.Path, ".txt") {
		return "text:" + string(b), err
	}
	return len(b), err
}

func TestHardLinkClasses(t *testing.T) {
	layer := layertest.Layer(t,
		layertest.File("f.txt", "abc"),
		layertest.Hardlink("g.txt", "f.txt"), // same class: value shared
		layertest.Hardlink("bin", "f.txt"),   // other class: visited on its own
		layertest.Hardlink("h2", "g.txt"),    // a chain: h2 -> g.txt -> f.txt
	)
	res, err := testWalk(context.Background(), layersOf(t, layer), []Visitor[any]{classed{}}, options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for _, f := range res.files {
		if f.err != nil {
			t.Errorf("%s: %v", f.header.Path, f.err)
		}
		got[f.header.Path] = f.value
	}
	want := map[string]any{"f.txt": "text:abc", "g.txt": "text:abc", "bin": 3, "h2": 3}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("values = %v, want %v", got, want)
	}
}

func TestTruncatedAfterZeroData(t *testing.T) {
	// A file of zero bytes' content, cut right after its data: the zeros
	// must not pass for the end-of-archive marker.
	full := layertest.Tar(t, layertest.File("a", "x"), layertest.File("zeros", strings.Repeat("\x00", 1024)))
	cut := full[:512+512+512+1024]
	res, err := testWalk(context.Background(), []layerSource{rawLayer(cut)}, nil, options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 1 || !errors.Is(res.Errors[0].Err, ErrLayer) {
		t.Errorf("errors = %v", res.Errors)
	}
	res, err = testWalk(context.Background(), []layerSource{rawLayer(full)}, nil, options{})
	if err != nil || len(res.Errors) != 0 {
		t.Errorf("whole archive: %v %v", err, res.Errors)
	}
}

func TestPathAndSymlinkBudgets(t *testing.T) {
	long := strings.Repeat("d/", 60) + "f"
	tarball := layertest.Tar(t,
		layertest.File(long, "x"),
		layertest.File("target", "t"),
		layertest.Symlink("l1", "target"), layertest.Symlink("l2", "l1"), layertest.Symlink("l3", "l2"), layertest.Symlink("l4", "l3"),
	)
	layer := layerSource{DiffID: "sha256:raw", Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(tarball)), nil }}
	res, err := testWalk(context.Background(), []layerSource{layer}, nil, options{MaxPathLen: 100, MaxSymlinkHops: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 1 || !errors.Is(res.Errors[0].Err, ErrBadPath) || !strings.Contains(res.Errors[0].Error(), "100-byte budget") {
		t.Errorf("errors %v", res.Errors)
	}
	if _, err := res.View.Resolve("l3"); err != nil {
		t.Errorf("three hops: %v", err)
	}
	if _, err := res.View.Resolve("l4"); !errors.Is(err, ErrSymlinkLoop) {
		t.Errorf("four hops: %v", err)
	}
	res, err = testWalk(context.Background(), []layerSource{layer}, nil, options{})
	if err != nil || len(res.Errors) != 0 {
		t.Fatalf("defaults: %v %v", err, res.Errors)
	}
	if _, err := res.View.Resolve("l4"); err != nil {
		t.Errorf("default hops: %v", err)
	}
}

func TestProgress(t *testing.T) {
	var layers []layerSource
	for i := 0; i < 3; i++ {
		tb := layertest.Tar(t, layertest.File("f", strings.Repeat("x", 10000)))
		layers = append(layers, layerSource{DiffID: "sha256:raw", Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(tb)), nil }})
	}
	var calls []Progress
	returned := false
	_, err := testWalk(context.Background(), layers, nil, options{Progress: func(p Progress) {
		if returned {
			t.Error("progress after the walk returned")
		}
		calls = append(calls, p) // calls are serialised: no lock needed
	}})
	returned = true
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) < 3 {
		t.Fatalf("%d calls", len(calls))
	}
	last := calls[len(calls)-1]
	if last.Layers != 3 || last.LayersDone != 3 || last.Bytes < 30000 {
		t.Errorf("last progress %+v", last)
	}
	for i := 1; i < len(calls); i++ {
		if calls[i].LayersDone < calls[i-1].LayersDone || calls[i].Bytes < calls[i-1].Bytes {
			t.Errorf("progress went back: %+v then %+v", calls[i-1], calls[i])
		}
	}
}

// budgetedCollect is collect with its own per-file budget.
type budgetedCollect struct {
	*collect
	max int64
}

func (b budgetedCollect) MaxBytes(*Header) int64 { return b.max }

// TestBudgetsHoldOnSecondReads: a hard link whose target the visitor did
// not want sends the walker back into the layer; that read keeps the layer
// budget and the visitor's own budget, and is skipped when the first pass
// was cut by a budget.
func TestBudgetsHoldOnSecondReads(t *testing.T) {
	big := strings.Repeat("x", 1000)
	tb := layertest.Tar(t, layertest.File("a", big), layertest.Hardlink("l", "a"))
	opens := 0
	layer := layerSource{DiffID: "sha256:raw", Open: func() (io.ReadCloser, error) {
		opens++
		return io.NopCloser(bytes.NewReader(tb)), nil
	}}
	// The visitor's own budget applies to the link's second read.
	res, err := testWalk(context.Background(), []layerSource{layer}, []Visitor[any]{budgetedCollect{wantPaths("l"), 10}}, options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.files) != 1 || !errors.Is(res.files[0].err, ErrFileTooLarge) {
		t.Errorf("link read past the visitor's budget: %+v", res.files)
	}
	// A first pass cut by the layer budget is not followed by a second read.
	padded := layertest.Tar(t, layertest.Hardlink("l", "missing"), layertest.File("pad", strings.Repeat("p", 1<<20)))
	opens = 0
	layer.Open = func() (io.ReadCloser, error) { opens++; return io.NopCloser(bytes.NewReader(padded)), nil }
	res, err = testWalk(context.Background(), []layerSource{layer}, []Visitor[any]{wantPaths("l")}, options{MaxLayerBytes: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	if opens != 1 {
		t.Errorf("layer opened %d times after a budget cut", opens)
	}
	if len(res.files) != 1 || res.files[0].err == nil {
		t.Errorf("pending link: %+v", res.files)
	}
}

// TestSparseCountsAgainstBudget: the holes of a sparse file cost no
// stream bytes, but what a visitor reads of them counts.
func TestSparseCountsAgainstBudget(t *testing.T) {
	tb := layertest.SparseTar(t, "big", 1<<30, []byte("end"))
	res, err := testWalk(context.Background(), []layerSource{rawLayer(tb)}, []Visitor[any]{wantPaths("big")}, options{MaxLayerBytes: 1 << 20, MaxFileBytes: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.files) != 1 || !errors.Is(res.files[0].err, ErrBudget) {
		t.Errorf("sparse read not budgeted: %v", res.files[0].err)
	}
}

// TestSecondReadVerified: a source that serves other bytes the second time
// is caught, even when the first read matched the diff_id.
func TestSecondReadVerified(t *testing.T) {
	first := layertest.Tar(t, layertest.File("a", "original"), layertest.Hardlink("l", "a"))
	second := layertest.Tar(t, layertest.File("a", "replaced"), layertest.Hardlink("l", "a"))
	sum := sha256.Sum256(first)
	opens := 0
	layer := layerSource{DiffID: "sha256:" + hex.EncodeToString(sum[:]), Open: func() (io.ReadCloser, error) {
		opens++
		if opens == 1 {
			return io.NopCloser(bytes.NewReader(first)), nil
		}
		return io.NopCloser(bytes.NewReader(second)), nil
	}}
	res, err := testWalk(context.Background(), []layerSource{layer}, []Visitor[any]{wantPaths("l")}, options{})
	if err != nil {
		t.Fatal(err)
	}
	if opens != 2 || len(res.Errors) != 1 || !errors.Is(res.Errors[0].Err, ErrIntegrity) || !res.Layers[0].Untrusted || res.Layers[0].Verified {
		t.Errorf("opens %d, errors %v, layer %+v", opens, res.Errors, res.Layers[0])
	}
}

// TestStreamCutAfterSparseEntry: without the check against the diff_id,
// a stream that ends right after a sparse entry's data (no end-of-archive
// marker) is still reported as cut; the whole archive is not.
func TestStreamCutAfterSparseEntry(t *testing.T) {
	whole := layertest.SparseTar(t, "big", 1<<20, []byte("end of the sparse file"))
	cut := whole[:len(whole)-1024] // the two zero blocks gone
	for _, tt := range []struct {
		name  string
		tar   []byte
		wantE bool
	}{{"whole", whole, false}, {"cut after the data", cut, true}} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := testWalk(context.Background(), []layerSource{rawLayer(tt.tar)}, []Visitor[any]{wantPaths("big")}, options{SkipVerify: true})
			if err != nil {
				t.Fatal(err)
			}
			var layerErr bool
			for _, e := range res.Errors {
				layerErr = layerErr || (e.Path == "" && errors.Is(e.Err, ErrLayer))
			}
			if layerErr != tt.wantE {
				t.Errorf("layer error %v, want %v: %v", layerErr, tt.wantE, res.Errors)
			}
			if len(res.files) != 1 || res.files[0].err != nil {
				t.Errorf("files: %+v", res.files)
			}
		})
	}
}

// testWalk runs the engine over untyped visitors.
func testWalk(ctx context.Context, layers []layerSource, vs []Visitor[any], opts options) (*Result, error) {
	return walkLayers(ctx, layers, engineVisitors(vs), opts)
}

// testWalkFS runs the engine over a tree.
func testWalkFS(ctx context.Context, fsys fs.FS, vs []Visitor[any], opts options) (*Result, error) {
	return walkFS(ctx, fsys, engineVisitors(vs), opts)
}

func engineVisitors(vs []Visitor[any]) []*visitor {
	out := make([]*visitor, len(vs))
	for i, v := range vs {
		out[i] = newVisitor(v)
	}
	return out
}
