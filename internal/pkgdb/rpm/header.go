// Package rpm reads the rpm package database in its three on-disk formats
// (SQLite rpmdb.sqlite, Berkeley DB hash "Packages", and NDB "Packages.db")
// from memory, and parses the package headers stored in it.
package rpm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
)

// Package is the part of an installed package's header shipshape uses.
type Package struct {
	Name, Version, Release string
	// Epoch is nil when the header has none (which differs from 0 only in
	// how the version is written).
	Epoch           *int
	Arch            string
	SourceRPM       string // e.g. "openssl-3.0.7-24.el9.src.rpm"
	License         string
	Vendor          string
	Summary         string
	Size            int64
	ModularityLabel string
	Provides        []string
	Requires        []string
	// Files are the absolute paths the package installed.
	Files []string
	// Digests are the files' checksums as the header records them (hex),
	// aligned with Files; "" for a directory, a link or a ghost file.
	// DigestAlgo names their algorithm ("md5", "sha1", "sha256", …; MD5
	// when the header does not say, as rpm assumes).
	Digests    []string
	DigestAlgo string
}

// EVR returns "[epoch:]version-release".
func (p *Package) EVR() string {
	v := p.Version
	if p.Release != "" {
		v += "-" + p.Release
	}
	if p.Epoch != nil {
		v = strconv.Itoa(*p.Epoch) + ":" + v
	}
	return v
}

// SourceNVR splits SourceRPM ("openssl-3.0.7-24.el9.src.rpm") into name,
// version and release. ok is false when it does not have that form.
func (p *Package) SourceNVR() (name, version, release string, ok bool) {
	s := p.SourceRPM
	for _, suf := range []string{".src.rpm", ".nosrc.rpm"} {
		if len(s) > len(suf) && s[len(s)-len(suf):] == suf {
			s = s[:len(s)-len(suf)]
			break
		}
	}
	r := lastDash(s)
	if r <= 0 {
		return "", "", "", false
	}
	v := lastDash(s[:r])
	if v <= 0 {
		return "", "", "", false
	}
	return s[:v], s[v+1 : r], s[r+1:], true
}

func lastDash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '-' {
			return i
		}
	}
	return -1
}

// Header tags (rpm's lib/rpmtag.h).
const (
	tagName            = 1000
	tagVersion         = 1001
	tagRelease         = 1002
	tagEpoch           = 1003
	tagSummary         = 1004
	tagSize            = 1009
	tagVendor          = 1011
	tagLicense         = 1014
	tagArch            = 1022
	tagSourceRPM       = 1044
	tagProvideName     = 1047
	tagRequireName     = 1049
	tagFileDigests     = 1035
	tagDirIndexes      = 1116
	tagFileDigestAlgo  = 5011
	tagBaseNames       = 1117
	tagDirNames        = 1118
	tagModularityLabel = 5096
)

// Header data types (rpm's rpmTagType).
const (
	typeNull = iota
	typeChar
	typeInt8
	typeInt16
	typeInt32
	typeInt64
	typeString
	typeBin
	typeStringArray
	typeI18NString
)

// Limits from rpm's header.c: at most 0xffff index entries and 256 MiB of data.
const (
	maxTags = 0x0000ffff
	maxData = 0x0fffffff
)

// ErrHeader marks a package header blob that cannot be parsed.
var ErrHeader = errors.New("malformed rpm header")

type indexEntry struct {
	tag, typ, offset, count uint32
}

// ParseHeader parses one header blob as stored in the database: index
// length, data length, the index entries, then the data.
func ParseHeader(blob []byte) (*Package, error) {
	if len(blob) < 8 {
		return nil, fmt.Errorf("%w: %d bytes", ErrHeader, len(blob))
	}
	il := binary.BigEndian.Uint32(blob[0:4])
	dl := binary.BigEndian.Uint32(blob[4:8])
	if il == 0 || il > maxTags || dl > maxData {
		return nil, fmt.Errorf("%w: %d index entries, %d data bytes", ErrHeader, il, dl)
	}
	dataStart := 8 + 16*uint64(il)
	if dataStart+uint64(dl) > uint64(len(blob)) {
		return nil, fmt.Errorf("%w: needs %d bytes, has %d", ErrHeader, dataStart+uint64(dl), len(blob))
	}
	data := blob[dataStart : dataStart+uint64(dl)]
	p := &Package{}
	var dirNames, baseNames, digests []string
	var dirIndexes []uint32
	algo := uint32(1)
	for i := uint32(0); i < il; i++ {
		e := blob[8+16*i : 8+16*i+16]
		ie := indexEntry{
			tag:    binary.BigEndian.Uint32(e[0:4]),
			typ:    binary.BigEndian.Uint32(e[4:8]),
			offset: binary.BigEndian.Uint32(e[8:12]),
			count:  binary.BigEndian.Uint32(e[12:16]),
		}
		if ie.offset >= dl && !(ie.offset == dl && ie.count == 0) {
			return nil, fmt.Errorf("%w: tag %d: offset %d outside %d data bytes", ErrHeader, ie.tag, ie.offset, dl)
		}
		var err error
		switch ie.tag {
		case tagName:
			p.Name, err = str(data, ie)
		case tagVersion:
			p.Version, err = str(data, ie)
		case tagRelease:
			p.Release, err = str(data, ie)
		case tagEpoch:
			var v []uint32
			if v, err = int32s(data, ie); err == nil && len(v) > 0 {
				e := int(v[0])
				p.Epoch = &e
			}
		case tagSummary:
			p.Summary, err = str(data, ie)
		case tagSize:
			var v []uint32
			if v, err = int32s(data, ie); err == nil && len(v) > 0 {
				p.Size = int64(v[0])
			}
		case tagVendor:
			p.Vendor, err = str(data, ie)
		case tagLicense:
			p.License, err = str(data, ie)
		case tagArch:
			p.Arch, err = str(data, ie)
		case tagSourceRPM:
			p.SourceRPM, err = str(data, ie)
		case tagModularityLabel:
			p.ModularityLabel, err = str(data, ie)
		case tagProvideName:
			p.Provides, err = strs(data, ie)
		case tagRequireName:
			p.Requires, err = strs(data, ie)
		case tagDirNames:
			dirNames, err = strs(data, ie)
		case tagBaseNames:
			baseNames, err = strs(data, ie)
		case tagDirIndexes:
			dirIndexes, err = int32s(data, ie)
		case tagFileDigests:
			digests, err = strs(data, ie)
		case tagFileDigestAlgo:
			var v []uint32
			if v, err = int32s(data, ie); err == nil && len(v) > 0 {
				algo = v[0]
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%w: tag %d: %w", ErrHeader, ie.tag, err)
		}
	}
	if p.Name == "" {
		return nil, fmt.Errorf("%w: no name", ErrHeader)
	}
	if len(baseNames) == len(dirIndexes) {
		// Paths share their directories; joined, they can outgrow the
		// blob by far in a crafted header. Cap what is built.
		left := min(16*len(blob), maxFileListBytes)
		for i, b := range baseNames {
			if int(dirIndexes[i]) >= len(dirNames) {
				continue
			}
			d := dirNames[dirIndexes[i]]
			if len(d)+len(b) > maxPath {
				continue
			}
			if left -= len(d) + len(b); left < 0 {
				return p, fmt.Errorf("%w: file list of %s larger than %d bytes", ErrHeader, p.Name, min(16*len(blob), maxFileListBytes))
			}
			p.Files = append(p.Files, d+b)
			if len(digests) == len(baseNames) {
				p.Digests = append(p.Digests, digests[i])
			}
		}
		if len(p.Digests) != len(p.Files) {
			p.Digests = nil // absent, or not one per file: none is trusted
		}
	}
	p.DigestAlgo = digestAlgos[algo]
	return p, nil
}

// Bounds on a package's file list.
const (
	maxPath          = 4096
	maxFileListBytes = 64 << 20
)

// str reads a STRING or the first string of an I18NSTRING or STRING_ARRAY.
func str(data []byte, e indexEntry) (string, error) {
	switch e.typ {
	case typeString, typeI18NString, typeStringArray:
	default:
		return "", fmt.Errorf("type %d is not a string", e.typ)
	}
	rest := data[e.offset:]
	i := bytes.IndexByte(rest, 0)
	if i < 0 {
		return "", errors.New("unterminated string")
	}
	return string(rest[:i]), nil
}

// strs reads a STRING_ARRAY (or a single STRING as one element).
func strs(data []byte, e indexEntry) ([]string, error) {
	if e.typ == typeString {
		s, err := str(data, e)
		return []string{s}, err
	}
	if e.typ != typeStringArray && e.typ != typeI18NString {
		return nil, fmt.Errorf("type %d is not a string array", e.typ)
	}
	rest := data[e.offset:]
	if uint64(e.count) > uint64(len(rest)) {
		return nil, fmt.Errorf("%d strings cannot fit %d bytes", e.count, len(rest))
	}
	out := make([]string, 0, min(int(e.count), 1024))
	for n := uint32(0); n < e.count; n++ {
		i := bytes.IndexByte(rest, 0)
		if i < 0 {
			return nil, errors.New("unterminated string array")
		}
		out = append(out, string(rest[:i]))
		rest = rest[i+1:]
	}
	return out, nil
}

// int32s reads an INT32 array.
func int32s(data []byte, e indexEntry) ([]uint32, error) {
	if e.typ != typeInt32 {
		return nil, fmt.Errorf("type %d is not int32", e.typ)
	}
	end := uint64(e.offset) + 4*uint64(e.count)
	if end > uint64(len(data)) {
		return nil, fmt.Errorf("%d int32 values overrun the data", e.count)
	}
	out := make([]uint32, e.count)
	for i := range out {
		out[i] = binary.BigEndian.Uint32(data[uint64(e.offset)+4*uint64(i):])
	}
	return out, nil
}

// digestAlgos names rpm's PGPHASHALGO values.
var digestAlgos = map[uint32]string{1: "md5", 2: "sha1", 8: "sha256", 9: "sha384", 10: "sha512", 11: "sha224"}
