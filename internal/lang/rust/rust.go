// Package rust reads Cargo.lock files and the dependency lists that
// cargo-auditable embeds in Rust binaries (the .dep-v0 section).
package rust

import (
	"bytes"
	"compress/zlib"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/shipshape-dev/shipshape/internal/lang"
)

// Type is the purl type of Rust crates.
const Type = "cargo"

// ParseCargoLock reads a Cargo.lock. Crates without a source are the
// workspace's own and are left out.
func ParseCargoLock(r io.Reader) ([]lang.Package, error) {
	var l struct {
		Package []struct {
			Name    string `toml:"name"`
			Version string `toml:"version"`
			Source  string `toml:"source"`
		} `toml:"package"`
	}
	if err := toml.NewDecoder(r).Decode(&l); err != nil {
		return nil, fmt.Errorf("%w: %w", lang.ErrParse, err)
	}
	var out []lang.Package
	for _, p := range l.Package {
		if p.Name == "" || p.Version == "" || p.Source == "" {
			continue
		}
		pk := lang.Package{Type: Type, Name: p.Name, Version: p.Version}
		if !strings.HasPrefix(p.Source, "registry+https://github.com/rust-lang/crates.io-index") &&
			!strings.HasPrefix(p.Source, "sparse+https://index.crates.io/") {
			pk.SetProp("cargo:source", p.Source)
		}
		out = append(out, pk)
	}
	return lang.Dedupe(out), nil
}

// section is the name cargo-auditable gives its section.
const section = ".dep-v0"

// maxAuditJSON bounds the decompressed dependency list.
const maxAuditJSON = 8 << 20

// ParseAuditableAt reads the cargo-auditable dependency list of an ELF,
// PE or Mach-O binary. Binaries without one yield nothing.
func ParseAuditableAt(ra io.ReaderAt) ([]lang.Package, error) {
	data, err := auditSection(ra)
	if err != nil || data == nil {
		return nil, err
	}
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", lang.ErrParse, section, err)
	}
	raw, err := io.ReadAll(io.LimitReader(zr, maxAuditJSON+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", lang.ErrParse, section, err)
	}
	if len(raw) > maxAuditJSON {
		return nil, fmt.Errorf("%w: %s decompresses past %d bytes", lang.ErrParse, section, maxAuditJSON)
	}
	var v struct {
		Packages []struct {
			Name    string `json:"name"`
			Version string `json:"version"`
			Source  string `json:"source"`
			Kind    string `json:"kind"`
			Root    bool   `json:"root"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", lang.ErrParse, section, err)
	}
	var out []lang.Package
	for _, p := range v.Packages {
		if p.Name == "" || p.Version == "" {
			continue
		}
		pk := lang.Package{Type: Type, Name: p.Name, Version: p.Version}
		if p.Root {
			pk.SetProp("cargo:root", "true")
		}
		if p.Kind == "build" {
			pk.SetProp("cargo:kind", "build")
		}
		if p.Source != "" && p.Source != "crates.io" {
			pk.SetProp("cargo:source", p.Source)
		}
		out = append(out, pk)
	}
	return lang.Dedupe(out), nil
}

// auditSection returns the raw .dep-v0 section, or nil when there is none.
func auditSection(r io.ReaderAt) ([]byte, error) {
	var head [4]byte
	if _, err := r.ReadAt(head[:], 0); err != nil {
		return nil, nil
	}
	b := head[:]
	switch {
	case bytes.HasPrefix(b, []byte("\x7fELF")):
		f, err := elf.NewFile(r)
		if err != nil {
			return nil, nil
		}
		if s := f.Section(section); s != nil {
			return s.Data()
		}
	case bytes.HasPrefix(b, []byte("MZ")):
		f, err := pe.NewFile(r)
		if err != nil {
			return nil, nil
		}
		if s := f.Section(section); s != nil {
			return s.Data()
		}
	default:
		f, err := macho.NewFile(r)
		if err != nil {
			return nil, nil
		}
		if s := f.Section(section); s != nil {
			return s.Data()
		}
	}
	return nil, nil
}
