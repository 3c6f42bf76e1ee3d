package scan

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/shipshape-dev/shipshape/internal/osv"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
)

// DefaultBaseURL serves the public OSV data as <Ecosystem>/all.zip.
const DefaultBaseURL = "https://osv-vulnerabilities.storage.googleapis.com"

// FetchOption configures FetchDB.
type FetchOption func(*fetchOptions) error

type fetchOptions struct {
	base       string
	ecosystems []string
	client     *http.Client
	cacheDir   string
	build      []BuildOption
	maxBytes   int64
	feed       string // FetchKEV's and FetchEPSS's URL
}

// WithBaseURL sets where the <Ecosystem>/all.zip archives are served.
func WithBaseURL(u string) FetchOption {
	return func(o *fetchOptions) error {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
			return fmt.Errorf("%w: base URL %q", result.ErrInvalidOption, u)
		}
		o.base = strings.TrimSuffix(u, "/")
		return nil
	}
}

// WithEcosystems names the ecosystems to download, as the bucket names
// them ("Debian", "Go", "PyPI", "crates.io", …). See Ecosystems.
func WithEcosystems(names ...string) FetchOption {
	return func(o *fetchOptions) error {
		for _, n := range names {
			if n == "" || strings.ContainsAny(n, "/\\") || n == "." || n == ".." {
				return fmt.Errorf("%w: ecosystem %q", result.ErrInvalidOption, n)
			}
		}
		o.ecosystems = append(o.ecosystems, names...)
		return nil
	}
}

// WithHTTPClient sets the client (default: http.DefaultClient).
func WithHTTPClient(c *http.Client) FetchOption {
	return func(o *fetchOptions) error {
		if c == nil {
			return fmt.Errorf("%w: nil HTTP client", result.ErrInvalidOption)
		}
		o.client = c
		return nil
	}
}

// WithFetchCacheDir sets the directory that keeps the downloads and the
// store (default: DefaultCacheDir).
func WithFetchCacheDir(dir string) FetchOption {
	return func(o *fetchOptions) error {
		if dir == "" {
			return fmt.Errorf("%w: empty cache directory", result.ErrInvalidOption)
		}
		o.cacheDir = dir
		return nil
	}
}

// WithFetchBuildOptions passes options to the store build.
func WithFetchBuildOptions(opts ...BuildOption) FetchOption {
	return func(o *fetchOptions) error {
		o.build = append(o.build, opts...)
		return nil
	}
}

// FetchResult says what FetchDB did.
type FetchResult struct {
	// Store is the path of the store, ready for OpenDB.
	Store string
	// Updated lists the ecosystems downloaded anew; NotModified those the
	// server said were unchanged.
	Updated, NotModified []string
	Info                 DBInfo
}

// fetchMeta remembers what the server said about a download.
type fetchMeta struct {
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	FetchedAt    time.Time `json:"fetched_at"`
}

// maxDownload bounds one all.zip.
const maxDownload = 4 << 30

// StorePath is where FetchDB keeps the store in a cache directory.
func StorePath(cacheDir string) string { return filepath.Join(cacheDir, "osv.db") }

// FetchDB downloads the OSV archives of the ecosystems asked for into the
// cache directory, with conditional requests (ETag, Last-Modified), checks
// every archive (a readable zip of valid OSV records) before it replaces
// the one in place, and rebuilds the store from all the archives the cache
// holds whenever they differ from what the store was built from (or the
// store is missing or unreadable). With FetchKEV and FetchEPSS it is the
// only function in this package that uses the network. A failed download leaves that ecosystem's
// previous archive in place; the store is still brought up to date with
// the others, and the errors are returned.
func FetchDB(ctx context.Context, opts ...FetchOption) (*FetchResult, error) {
	o := &fetchOptions{base: DefaultBaseURL, client: http.DefaultClient, maxBytes: maxDownload}
	for _, opt := range opts {
		if err := opt(o); err != nil {
			return nil, err
		}
	}
	if len(o.ecosystems) == 0 {
		return nil, fmt.Errorf("%w: no ecosystems to fetch", result.ErrInvalidOption)
	}
	if o.feed != "" {
		return nil, fmt.Errorf("%w: WithFeedURL is for FetchKEV and FetchEPSS", result.ErrInvalidOption)
	}
	if o.cacheDir == "" {
		var err error
		if o.cacheDir, err = DefaultCacheDir(); err != nil {
			return nil, err
		}
	}
	raw := filepath.Join(o.cacheDir, "raw")
	res := &FetchResult{Store: StorePath(o.cacheDir)}
	var errs []error
	for _, eco := range dedupeStrings(o.ecosystems) {
		changed, err := fetchOne(ctx, o, raw, eco)
		switch {
		case err != nil:
			errs = append(errs, err)
		case changed:
			res.Updated = append(res.Updated, eco)
		default:
			res.NotModified = append(res.NotModified, eco)
		}
	}
	if _, err := os.Stat(raw); err != nil {
		// Nothing downloaded, now or before.
		return res, errors.Join(append(errs, fmt.Errorf("%w: %w", ErrFetch, err))...)
	}
	stamp, err := inputStamp(raw)
	if err != nil {
		return res, errors.Join(append(errs, fmt.Errorf("%w: %w", ErrDB, err))...)
	}
	if db, err := OpenDB(ctx, res.Store); err == nil {
		current := db.stamp(ctx) == stamp
		res.Info = db.Info()
		db.Close()
		if current {
			return res, errors.Join(errs...)
		}
	}
	build := append(slices.Clone(o.build), func(b *buildOptions) error { b.stamp = stamp; return nil })
	info, err := BuildDB(ctx, res.Store, []string{raw}, build...)
	if err != nil {
		return res, errors.Join(append(errs, err)...)
	}
	res.Info = info
	return res, errors.Join(errs...)
}

// fetchOne downloads one ecosystem's archive; changed is false when the
// server answered 304 Not Modified.
func fetchOne(ctx context.Context, o *fetchOptions, raw, eco string) (changed bool, err error) {
	dir := filepath.Join(raw, eco)
	dst := filepath.Join(dir, "all.zip")
	// Not *.json: BuildDB reads those under raw/ as OSV records.
	metaPath := dst + ".meta"
	var meta fetchMeta
	if b, err := os.ReadFile(metaPath); err == nil {
		_ = json.Unmarshal(b, &meta)
	}
	if _, err := os.Stat(dst); err != nil {
		meta = fetchMeta{} // nothing to revalidate
	}
	u := o.base + "/" + url.PathEscape(eco) + "/all.zip"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return false, fmt.Errorf("%w: %s: %w", ErrFetch, eco, err)
	}
	if meta.ETag != "" {
		req.Header.Set("If-None-Match", meta.ETag)
	}
	if meta.LastModified != "" {
		req.Header.Set("If-Modified-Since", meta.LastModified)
	}
	resp, err := o.client.Do(req)
	if err != nil {
		return false, fmt.Errorf("%w: %s: %w", ErrFetch, eco, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusNotModified:
		return false, nil
	case http.StatusOK:
	default:
		return false, fmt.Errorf("%w: %s: %s answered %s", ErrFetch, eco, u, resp.Status)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return false, fmt.Errorf("%w: %s: %w", ErrFetch, eco, err)
	}
	tmp, err := os.CreateTemp(dir, "all.zip.download-*")
	if err != nil {
		return false, fmt.Errorf("%w: %s: %w", ErrFetch, eco, err)
	}
	defer os.Remove(tmp.Name())
	n, err := io.Copy(tmp, io.LimitReader(resp.Body, o.maxBytes+1))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		return false, fmt.Errorf("%w: %s: %w", ErrFetch, eco, err)
	case n > o.maxBytes:
		return false, fmt.Errorf("%w: %s: archive larger than %d bytes", ErrFetch, eco, o.maxBytes)
	case resp.ContentLength >= 0 && n != resp.ContentLength:
		return false, fmt.Errorf("%w: %s: got %d of %d bytes", ErrFetch, eco, n, resp.ContentLength)
	}
	if err := verifyArchive(tmp.Name()); err != nil {
		return false, fmt.Errorf("%w: %s: %w", ErrFetch, eco, err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return false, fmt.Errorf("%w: %s: %w", ErrFetch, eco, err)
	}
	meta = fetchMeta{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"), FetchedAt: time.Now().UTC()}
	b, err := json.Marshal(meta)
	if err == nil {
		err = os.WriteFile(metaPath, b, 0o644)
	}
	if err != nil {
		return true, fmt.Errorf("%w: %s: %w", ErrFetch, eco, err)
	}
	return true, nil
}

// verifyArchive checks that a download is a zip whose entries all read
// back (checksums included) and hold at least one valid OSV record.
func verifyArchive(path string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("not a zip archive: %w", err)
	}
	zr.Close()
	valid := 0
	err = osv.ReadZip(path, func(_ string, _ *osv.Vulnerability, err error) error {
		if err == nil {
			valid++
		} else if !errors.Is(err, osv.ErrRecord) {
			return err // a read or checksum error: the archive is damaged
		}
		return nil
	})
	if err != nil {
		return err
	}
	if valid == 0 {
		return errors.New("no valid OSV record in the archive")
	}
	return nil
}

func dedupeStrings(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Ecosystems lists the OSV ecosystems (bucket directory names) an
// inventory needs: its distribution's and its language packages'.
func Ecosystems(s *sbom.SBOM) []string {
	seen := map[string]bool{}
	for i := range s.Packages {
		p := &s.Packages[i]
		var t target
		var ok bool
		switch p.Type {
		case sbom.TypeDeb, sbom.TypeAPK, sbom.TypeRPM:
			t, ok = osTarget(s.Distro, p)
		default:
			t, ok = languageTarget(p)
		}
		if ok {
			seen[t.base] = true
		}
	}
	out := make([]string, 0, len(seen))
	for e := range seen {
		out = append(out, e)
	}
	sort.Strings(out)
	return out
}
