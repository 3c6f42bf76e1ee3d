// Package golang reads the modules compiled into Go binaries (the build
// information every binary since Go 1.13 carries, stripped and PIE ones
// included) and the requirements of go.mod files.
package golang

import (
	"bufio"
	"bytes"
	"debug/buildinfo"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/shipshape-dev/shipshape/internal/lang"
)

// Type is the purl type of Go modules.
const Type = "golang"

// Property names.
const (
	PropMain     = "golang:main"     // "true" on the main module of a binary
	PropReplaces = "golang:replaces" // the module path@version a replacement stands for
	PropReplace  = "golang:replace"  // a local (directory) replacement
	PropSum      = "golang:h1"       // the go.sum checksum
	PropIndirect = "golang:indirect" // "true" for // indirect requirements
)

// settings are the build settings recorded as properties. Flags such as
// -ldflags are left out: they can carry values (-X main.token=…) that do
// not belong in an SBOM.
var settings = map[string]bool{
	"GOOS": true, "GOARCH": true, "GOAMD64": true, "GOARM": true, "GOARM64": true, "GO386": true,
	"CGO_ENABLED": true, "-buildmode": true, "-compiler": true, "-trimpath": true,
	"vcs": true, "vcs.revision": true, "vcs.time": true, "vcs.modified": true,
}

// FromBuildInfo turns a binary's build information into packages: the
// main module, every dependency (the replacement, when it has a version, is
// what was compiled), and the standard library at the toolchain's version.
func FromBuildInfo(bi *debug.BuildInfo) []lang.Package {
	var out []lang.Package
	if bi.Main.Path != "" {
		m := lang.Package{Type: Type, Name: bi.Main.Path, Version: bi.Main.Version}
		m.SetProp(PropMain, "true")
		m.SetProp(PropSum, bi.Main.Sum)
		for _, s := range bi.Settings {
			if settings[s.Key] {
				m.SetProp("golang:"+s.Key, s.Value)
			}
		}
		out = append(out, m)
	}
	for _, d := range bi.Deps {
		out = append(out, fromModule(d))
	}
	if v := StdlibVersion(bi.GoVersion); v != "" {
		out = append(out, lang.Package{Type: Type, Name: "stdlib", Version: v})
	}
	return lang.Dedupe(out)
}

func fromModule(d *debug.Module) lang.Package {
	p := lang.Package{Type: Type, Name: d.Path, Version: d.Version}
	if r := d.Replace; r != nil {
		if r.Version != "" {
			p.Name, p.Version = r.Path, r.Version
			p.SetProp(PropReplaces, d.Path+"@"+d.Version)
			p.SetProp(PropSum, r.Sum)
			return p
		}
		p.SetProp(PropReplace, r.Path)
	}
	p.SetProp(PropSum, d.Sum)
	return p
}

// StdlibVersion turns a toolchain version ("go1.21.5", "go1.22rc1",
// "go1.21", "go1.20.3 X:boringcrypto") into the semantic version the Go
// vulnerability database uses for stdlib ("1.21.5", "1.22.0-rc.1",
// "1.21.0"). Development toolchains have none.
func StdlibVersion(goVersion string) string {
	v, _, _ := strings.Cut(strings.TrimSpace(goVersion), " ")
	v, ok := strings.CutPrefix(v, "go")
	if !ok || v == "" || strings.HasPrefix(v, "devel") {
		return ""
	}
	pre := ""
	for _, tag := range []string{"rc", "beta"} {
		if i := strings.Index(v, tag); i > 0 {
			v, pre = v[:i], "-"+tag+"."+v[i+len(tag):]
			break
		}
	}
	switch strings.Count(v, ".") {
	case 0:
		v += ".0.0"
	case 1:
		v += ".0"
	}
	return v + pre
}

var (
	elfMagic   = []byte("\x7fELF")
	peMagic    = []byte("MZ")
	machoMagic = [][]byte{{0xfe, 0xed, 0xfa, 0xce}, {0xfe, 0xed, 0xfa, 0xcf}, {0xce, 0xfa, 0xed, 0xfe}, {0xcf, 0xfa, 0xed, 0xfe}, {0xca, 0xfe, 0xba, 0xbe}}
	// goMagic starts the build information blob of every Go binary.
	goMagic = []byte("\xff Go buildinf:")
)

// IsExecutable reports whether head (the first bytes of a file) starts an
// ELF, PE or Mach-O file.
func IsExecutable(head []byte) bool {
	if bytes.HasPrefix(head, elfMagic) || bytes.HasPrefix(head, peMagic) {
		return true
	}
	for _, m := range machoMagic {
		if bytes.HasPrefix(head, m) {
			return true
		}
	}
	return false
}

// ParseBinaryAt reads the build information of a Go executable with
// random access, in any format debug/buildinfo knows (pointer-based before
// Go 1.18, inline since). Executables that are not Go programs yield
// nothing and no error.
func ParseBinaryAt(ra io.ReaderAt) ([]lang.Package, error) {
	bi, err := buildinfo.Read(ra)
	if err != nil {
		return nil, nil
	}
	return FromBuildInfo(bi), nil
}

// Markers a streaming scan looks for.
var (
	// auditMarker names the section cargo-auditable adds, NUL-terminated as
	// section-name tables write it (after the section's data).
	auditMarker = []byte(".dep-v0\x00")
)

// Scan sizes.
const (
	lookahead  = 256      // bytes after the magic needed to read the header and version
	maxModInfo = 16 << 20 // bound on the module-information string
	headerSize = 32       // Go's build-information header
)

// ErrNeedRandomAccess is returned by Scan for executables it cannot read
// as a stream: Go build information in the pointer format of Go 1.17 and
// earlier, or a cargo-auditable section. Read them with ParseBinaryAt or
// rust.ParseAuditableAt instead.
var ErrNeedRandomAccess = errors.New("executable needs random access")

// Scan reads an executable as a stream, scratch being a buffer of at
// least 64 KiB it may use, and returns the packages of its Go build
// information when that is inline (Go 1.18 and later, stripped and PIE
// binaries included). It needs no more memory than scratch and the module
// information itself.
func Scan(r io.Reader, scratch []byte) ([]lang.Package, error) {
	if len(scratch) < 4*lookahead {
		scratch = make([]byte, 64<<10)
	}
	carry := 0
	audit := false // a cargo-auditable section name was seen
	for eof := false; !eof; {
		n, err := io.ReadFull(r, scratch[carry:])
		switch err {
		case nil:
		case io.EOF, io.ErrUnexpectedEOF:
			eof = true
		default:
			return nil, err
		}
		data := scratch[:carry+n]
		// A Go program that reads audit sections (a scanner) carries the
		// name as data: only a binary without Go build information needs
		// its sections read.
		audit = audit || bytes.Contains(data, auditMarker)
		next := len(data) - (len(goMagic) - 1)
		if eof || next < 0 {
			next = len(data)
		}
		for off := 0; ; {
			i := bytes.Index(data[off:], goMagic)
			if i < 0 {
				break
			}
			i += off
			if len(data)-i < lookahead && !eof {
				next = i // read on before judging this one
				break
			}
			vers, rest, inline, ok := header(data[i:])
			switch {
			case !ok:
				off = i + 1 // the magic as a string in some program's data
				continue
			case !inline:
				return nil, ErrNeedRandomAccess
			}
			mod, err := modInfo(rest, r)
			if err != nil {
				return nil, err
			}
			return fromInline(vers, mod)
		}
		carry = copy(scratch, data[next:])
	}
	if audit {
		return nil, ErrNeedRandomAccess
	}
	return nil, nil
}

// header reads the 32-byte build-information header at the start of b:
// pointer size, flags, and for the inline format the version string. rest
// starts at the module-information string's length.
func header(b []byte) (vers string, rest []byte, inline, ok bool) {
	if len(b) < headerSize {
		return "", nil, false, false
	}
	ptr, flags := b[14], b[15]
	if ptr != 4 && ptr != 8 {
		return "", nil, false, false
	}
	if flags&2 == 0 {
		return "", nil, false, true
	}
	n, k := binary.Uvarint(b[headerSize:])
	if k <= 0 || n == 0 || n > lookahead || headerSize+k+int(n) > len(b) {
		return "", nil, false, false
	}
	v := string(b[headerSize+k : headerSize+k+int(n)])
	if !strings.HasPrefix(v, "go") && !strings.HasPrefix(v, "devel") {
		return "", nil, false, false
	}
	return v, b[headerSize+k+int(n):], true, true
}

// modInfo reads the length-prefixed module-information string that starts
// in have and may continue in r.
func modInfo(have []byte, r io.Reader) (string, error) {
	for len(have) < binary.MaxVarintLen64 {
		// The length itself may straddle the read; fetch a few more bytes.
		var more [binary.MaxVarintLen64]byte
		n, err := io.ReadFull(r, more[:])
		have = append(append([]byte(nil), have...), more[:n]...)
		if err != nil {
			break
		}
	}
	n, k := binary.Uvarint(have)
	if k <= 0 || n > maxModInfo {
		return "", fmt.Errorf("%w: Go module information of %d bytes", lang.ErrParse, n)
	}
	body := have[k:]
	if uint64(len(body)) >= n {
		return string(body[:n]), nil
	}
	buf := make([]byte, n)
	copied := copy(buf, body)
	if _, err := io.ReadFull(r, buf[copied:]); err != nil {
		return "", fmt.Errorf("%w: Go module information cut short: %w", lang.ErrParse, err)
	}
	return string(buf), nil
}

// fromInline builds the packages from the version and the framed module
// information, the way debug/buildinfo does.
func fromInline(vers, mod string) ([]lang.Package, error) {
	if len(mod) >= 33 && mod[len(mod)-17] == '\n' {
		mod = mod[16 : len(mod)-16] // strip the sentinels that frame it
	} else {
		mod = ""
	}
	bi, err := debug.ParseBuildInfo(mod)
	if err != nil {
		return nil, fmt.Errorf("%w: Go module information: %w", lang.ErrParse, err)
	}
	bi.GoVersion = vers
	return FromBuildInfo(bi), nil
}

// ParseGoMod reads a go.mod: its module and its requirements, with replace
// directives applied the way the go command applies them.
func ParseGoMod(name string, r io.Reader) ([]lang.Package, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	f, err := modfile.Parse(name, b, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", lang.ErrParse, err)
	}
	replaced := map[module.Version]*modfile.Replace{}
	byPath := map[string]*modfile.Replace{}
	for _, r := range f.Replace {
		if r.Old.Version == "" {
			byPath[r.Old.Path] = r
		} else {
			replaced[r.Old] = r
		}
	}
	var out []lang.Package
	for _, req := range f.Require {
		p := lang.Package{Type: Type, Name: req.Mod.Path, Version: req.Mod.Version}
		if req.Indirect {
			p.SetProp(PropIndirect, "true")
		}
		r := replaced[req.Mod]
		if r == nil {
			r = byPath[req.Mod.Path]
		}
		if r != nil {
			if r.New.Version != "" {
				p.SetProp(PropReplaces, p.Name+"@"+p.Version)
				p.Name, p.Version = r.New.Path, r.New.Version
			} else {
				p.SetProp(PropReplace, r.New.Path)
			}
		}
		out = append(out, p)
	}
	return lang.Dedupe(out), nil
}

// ParseGoSum reads go.sum into module@version → h1 checksum (of the module
// zip, not of its go.mod).
func ParseGoSum(r io.Reader) (map[string]string, error) {
	sums := map[string]string{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 || strings.HasSuffix(f[1], "/go.mod") {
			continue
		}
		sums[f[0]+"@"+f[1]] = f[2]
	}
	return sums, sc.Err()
}
