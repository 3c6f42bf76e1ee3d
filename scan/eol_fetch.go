package scan

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/shipshape-dev/shipshape/result"
)

// DefaultEOLBaseURL serves endoflife.date's API, version 1
// (<base>/products/<product>).
const DefaultEOLBaseURL = "https://endoflife.date/api/v1"

// maxEOLResponse bounds one product's answer (Ubuntu's, the largest of
// the table, is about 40 KB).
const maxEOLResponse = 1 << 20

// EOLFetchResult says what FetchEOL did.
type EOLFetchResult struct {
	// Path is the table file written, ready for LoadEOLTable.
	Path string
	// AsOf is the date the server generated the data.
	AsOf time.Time
	// Products lists the endoflife.date products fetched.
	Products []string
}

// FetchEOL downloads the end-of-life data of the distributions shipshape
// knows (the products of DefaultEOLTable) from endoflife.date's API and
// writes them as one table file into the cache directory (EOLPath), which
// CachedEOLTable finds for later, offline scans. WithBaseURL (default
// DefaultEOLBaseURL), WithHTTPClient and WithFetchCacheDir apply;
// WithEcosystems and WithFetchBuildOptions do not and are refused. Every
// answer is checked (size, form, dates) before anything is written: a
// failed or bad download returns an error wrapping ErrFetch or ErrEOLData
// and leaves the previous table in place. It is a network call by name,
// like FetchDB.
func FetchEOL(ctx context.Context, opts ...FetchOption) (*EOLFetchResult, error) {
	o := &fetchOptions{base: DefaultEOLBaseURL, client: http.DefaultClient}
	for _, opt := range opts {
		if err := opt(o); err != nil {
			return nil, err
		}
	}
	if len(o.ecosystems) > 0 || len(o.build) > 0 {
		return nil, fmt.Errorf("%w: FetchEOL takes no ecosystems or build options", result.ErrInvalidOption)
	}
	if o.cacheDir == "" {
		var err error
		if o.cacheDir, err = DefaultCacheDir(); err != nil {
			return nil, err
		}
	}
	products := DefaultEOLTable().Products()
	f := eolFile{SchemaVersion: EOLSchemaVersion, Source: "https://endoflife.date", Products: map[string][]eolRelease{}}
	var asOf time.Time
	for _, p := range products {
		rels, generated, err := fetchEOLProduct(ctx, o, p)
		if err != nil {
			return nil, err
		}
		f.Products[p] = rels
		if asOf.IsZero() || generated.Before(asOf) {
			asOf = generated
		}
	}
	f.AsOf = asOf.Format(time.DateOnly)
	b, err := json.MarshalIndent(f, "", " ")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrEOLData, err)
	}
	// What is written must read back.
	if _, err := ReadEOLTable(bytes.NewReader(b)); err != nil {
		return nil, err
	}
	path := EOLPath(o.cacheDir)
	if err := writeFileAtomic(path, append(b, '\n')); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFetch, err)
	}
	return &EOLFetchResult{Path: path, AsOf: asOf, Products: products}, nil
}

// eolAPIProduct is the part of endoflife.date's /products/<product>
// answer FetchEOL reads.
type eolAPIProduct struct {
	SchemaVersion string `json:"schema_version"`
	GeneratedAt   string `json:"generated_at"`
	Result        struct {
		Name     string          `json:"name"`
		Releases []eolAPIRelease `json:"releases"`
	} `json:"result"`
}

type eolAPIRelease struct {
	Name     string  `json:"name"`
	Codename *string `json:"codename"`
	IsEOL    bool    `json:"isEol"`
	EOLFrom  *string `json:"eolFrom"`
	IsEOES   *bool   `json:"isEoes"`
	EOESFrom *string `json:"eoesFrom"`
}

// fetchEOLProduct downloads and checks one product's releases.
func fetchEOLProduct(ctx context.Context, o *fetchOptions, product string) ([]eolRelease, time.Time, error) {
	u := o.base + "/products/" + url.PathEscape(product)
	fail := func(format string, args ...any) ([]eolRelease, time.Time, error) {
		return nil, time.Time{}, fmt.Errorf("%w: %s: %s", ErrEOLData, u, fmt.Sprintf(format, args...))
	}
	resp, err := getOK(ctx, o.client, u, "application/json")
	if err != nil {
		return nil, time.Time{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxEOLResponse+1))
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("%w: %s: %w", ErrFetch, u, err)
	}
	if len(b) > maxEOLResponse {
		return fail("answer larger than %d bytes", maxEOLResponse)
	}
	var a eolAPIProduct
	if err := json.Unmarshal(b, &a); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fail("not JSON (truncated?): %v", err)
		}
		return fail("%v", err)
	}
	if major, _, _ := strings.Cut(a.SchemaVersion, "."); major != "1" {
		return fail("schema_version %.20q, want 1.x", a.SchemaVersion)
	}
	gen, err := time.Parse(time.RFC3339, a.GeneratedAt)
	if err != nil {
		return fail("generated_at %.40q is not a time", a.GeneratedAt)
	}
	if a.Result.Name != product {
		return fail("answer is about %.40q", a.Result.Name)
	}
	if len(a.Result.Releases) == 0 {
		return fail("no releases")
	}
	rels := make([]eolRelease, 0, len(a.Result.Releases))
	for _, ar := range a.Result.Releases {
		r := eolRelease{Cycle: ar.Name}
		if ar.Codename != nil {
			if f := strings.Fields(strings.ToLower(*ar.Codename)); len(f) > 0 {
				r.Codename = f[0]
			}
		}
		if r.EOL, err = apiDate(ar.IsEOL, ar.EOLFrom); err != nil {
			return fail("release %.64q: eolFrom: %v", ar.Name, err)
		}
		if ar.IsEOES != nil {
			if r.EOES, err = apiDate(*ar.IsEOES, ar.EOESFrom); err != nil {
				return fail("release %.64q: eoesFrom: %v", ar.Name, err)
			}
		}
		rels = append(rels, r)
	}
	if err := checkReleases(product, rels); err != nil {
		return nil, time.Time{}, fmt.Errorf("%s: %w", u, err)
	}
	y, m, d := gen.UTC().Date()
	return rels, time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
}

// apiDate turns the API's isX/xFrom pair into a date-or-boolean.
func apiDate(is bool, from *string) (eolDate, error) {
	if from == nil {
		return eolDate{ended: is}, nil
	}
	t, err := parseDay(*from)
	if err != nil {
		return eolDate{}, err
	}
	return eolDate{date: t}, nil
}

// writeFileAtomic replaces path with b, through a temporary file in the
// same directory, so a reader sees the old file or the new one.
func writeFileAtomic(path string, b []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".eol-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
