package sbom

import (
	"archive/zip"
	"bytes"
	"encoding/gob"
	"fmt"
	"io"

	"github.com/shipshape-dev/shipshape/internal/lang"
	"github.com/shipshape-dev/shipshape/internal/lang/golang"
	"github.com/shipshape-dev/shipshape/internal/lang/java"
	"github.com/shipshape-dev/shipshape/internal/pkgdb"
	"github.com/shipshape-dev/shipshape/internal/pkgdb/apk"
	"github.com/shipshape-dev/shipshape/internal/pkgdb/dpkg"
	"github.com/shipshape-dev/shipshape/internal/pkgdb/rpm"
	"github.com/shipshape-dev/shipshape/layer"
)

// cacheVersion names the catalogers' code in layer-cache keys. Bump it
// with any change to what a cataloger's Visit returns, so that records
// made by older code are not read.
const cacheVersion = 2

// CacheKey names the cataloger, its place in the list, whether it reads
// an image, and the limits (see layer.Cacheable).
func (b *budgeted) CacheKey() string {
	return fmt.Sprintf("sbom/%d/%d/%v/%+v", cacheVersion, b.index, b.image, b.limits)
}

// Sentinels are the errors catalogers return or keep in their values.
func (b *budgeted) Sentinels() []error {
	return append(layer.Sentinels(), ErrDatabase, dpkg.ErrStanza, dpkg.ErrSums, pkgdb.ErrLineTooLong, pkgdb.ErrParagraphTooLong, pkgdb.ErrTooManyErrors,
		apk.ErrRecord, rpm.ErrHeader, rpm.ErrFormat, rpm.ErrDatabase, lang.ErrParse, golang.ErrNeedRandomAccess, java.ErrLimit,
		io.ErrUnexpectedEOF, zip.ErrFormat, zip.ErrAlgorithm, zip.ErrChecksum)
}

// Kinds of cataloger values.
const (
	kindString = iota + 1
	kindMap
	kindStrings
	kindDpkgFiles
	kindDpkgDB
	kindApkDB
	kindRpmDB
	kindLangFile
	kindDpkgSums
)

// storedValue is a cataloger's value as the layer cache keeps it.
type storedValue struct {
	Kind    uint8
	String  string
	Map     map[string]string
	Strings []string
	Dpkg    []dpkg.Package
	Sums    []dpkg.FileSum
	Keys    []pathSum
	Apk     []apk.Package
	Rpm     []rpm.Package
	Lang    []lang.Package
	Errs    []*layer.StoredError
	Sidecar []byte
}

// EncodeValues serialises values of any of the catalogers, in one gob
// stream (which describes the types once).
func (b *budgeted) EncodeValues(_ []*layer.Header, vs []any) ([]byte, error) {
	sentinels := b.Sentinels()
	stored := make([]storedValue, len(vs))
	for i, v := range vs {
		s, err := storeValue(v, sentinels)
		if err != nil {
			return nil, err
		}
		stored[i] = s
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(stored); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// DecodeValues reverses EncodeValues.
func (b *budgeted) DecodeValues(_ []*layer.Header, data []byte) ([]any, error) {
	var stored []storedValue
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&stored); err != nil {
		return nil, err
	}
	sentinels := b.Sentinels()
	out := make([]any, len(stored))
	for i := range stored {
		v, err := stored[i].value(sentinels)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// storeValue converts a cataloger's value for the cache.
func storeValue(v any, sentinels []error) (storedValue, error) {
	var s storedValue
	storeErrs := func(errs ...error) {
		for _, err := range errs {
			s.Errs = append(s.Errs, layer.StoreError(err, sentinels))
		}
	}
	switch v := v.(type) {
	case string:
		s.Kind, s.String = kindString, v
	case map[string]string:
		s.Kind, s.Map = kindMap, v
	case []string:
		s.Kind, s.Strings = kindStrings, v
	case dpkgFiles:
		s.Kind, s.Strings = kindDpkgFiles, v
	case dpkgDB:
		s.Kind, s.Dpkg = kindDpkgDB, v.pkgs
		storeErrs(v.errs...)
	case dpkgSums:
		s.Kind, s.Sums, s.Keys = kindDpkgSums, v.sums, v.keys
		storeErrs(v.errs...)
	case apkDB:
		s.Kind, s.Apk = kindApkDB, v.pkgs
		storeErrs(v.errs...)
	case rpmDB:
		s.Kind, s.Rpm = kindRpmDB, v.pkgs
		storeErrs(v.errs...)
	case langFile:
		s.Kind, s.Lang, s.Sidecar = kindLangFile, v.pkgs, v.sidecar
		if v.err != nil {
			storeErrs(v.err)
		}
	default:
		return s, fmt.Errorf("no cache encoding for %T", v)
	}
	return s, nil
}

// value converts a stored value back.
func (s *storedValue) value(sentinels []error) (any, error) {
	errs := make([]error, len(s.Errs))
	for i, e := range s.Errs {
		errs[i] = e.Err(sentinels)
	}
	switch s.Kind {
	case kindString:
		return s.String, nil
	case kindMap:
		return s.Map, nil
	case kindStrings:
		return s.Strings, nil
	case kindDpkgFiles:
		return dpkgFiles(s.Strings), nil
	case kindDpkgDB:
		return dpkgDB{pkgs: s.Dpkg, errs: errs}, nil
	case kindDpkgSums:
		return dpkgSums{sums: s.Sums, keys: s.Keys, errs: errs}, nil
	case kindApkDB:
		return apkDB{pkgs: s.Apk, errs: errs}, nil
	case kindRpmDB:
		return rpmDB{pkgs: s.Rpm, errs: errs}, nil
	case kindLangFile:
		f := langFile{pkgs: s.Lang, sidecar: s.Sidecar}
		if len(errs) > 0 {
			f.err = errs[0]
		}
		return f, nil
	}
	return nil, fmt.Errorf("unknown cached value kind %d", s.Kind)
}
