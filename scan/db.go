package scan

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/shipshape-dev/shipshape/internal/lang/python"
	"github.com/shipshape-dev/shipshape/internal/osv"
	"github.com/shipshape-dev/shipshape/result"
)

// StoreSchemaVersion is the version of the store layout this package
// writes and reads.
const StoreSchemaVersion = "4"

// DBInfo describes a store.
type DBInfo struct {
	SchemaVersion string `json:"schema_version"`
	// BuiltAt is when the store was built.
	BuiltAt time.Time `json:"built_at"`
	// Sources lists the inputs and what each held.
	Sources []SourceInfo `json:"sources"`
	// Advisories counts the records stored (withdrawn ones are not).
	Advisories int `json:"advisories"`
	// Exploitation describes the KEV catalog and EPSS scores found next to
	// the store (see ExploitPath); zero when there are none.
	Exploitation ExploitInfo `json:"exploitation,omitzero"`
}

// SourceInfo describes one input of a store.
type SourceInfo struct {
	// Name is the input: a file, a directory, or an all.zip inside one.
	Name string `json:"name"`
	// Ecosystems are the ecosystem families the input covers.
	Ecosystems []string `json:"ecosystems"`
	// Releases are the full ecosystem names the input covers
	// ("Debian:12", "Alpine:v3.20", "Go"): a distribution release missing
	// here was not checked.
	Releases  []string `json:"releases,omitempty"`
	Records   int      `json:"records"`
	Withdrawn int      `json:"withdrawn,omitempty"`
	// Skipped counts records that were not valid OSV.
	Skipped int `json:"skipped,omitempty"`
	// Newest is the latest modification time of the input's records: the
	// snapshot the input was taken at.
	Newest time.Time `json:"newest,omitzero"`
}

// Snapshot returns the newest record time over all sources.
func (i DBInfo) Snapshot() time.Time {
	var t time.Time
	for _, s := range i.Sources {
		if s.Newest.After(t) {
			t = s.Newest
		}
	}
	return t
}

// Ecosystems returns the ecosystem families the store holds data for.
func (i DBInfo) Ecosystems() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range i.Sources {
		for _, e := range s.Ecosystems {
			if !seen[e] {
				seen[e] = true
				out = append(out, e)
			}
		}
	}
	sort.Strings(out)
	return out
}

// DB is an open store. It is safe for concurrent use.
type DB struct {
	db     *sql.DB
	info   DBInfo
	lookup *sql.Stmt
	record *sql.Stmt
	// exploit is the exploitation data of the store's directory, nil
	// when there is none.
	exploit *exploitStore

	cache recordCache
}

var sqliteMagic = []byte("SQLite format 3\x00")

// OpenDB opens a store BuildDB wrote. Nothing is parsed until Match asks
// for the advisories of a package.
func OpenDB(ctx context.Context, path string) (*DB, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDB, err)
	}
	head := make([]byte, len(sqliteMagic))
	_, err = f.Read(head)
	f.Close()
	if err != nil || !bytes.Equal(head, sqliteMagic) {
		return nil, fmt.Errorf("%w: %s is not a shipshape vulnerability store", ErrDB, path)
	}
	// immutable: a store is never written once built (rebuilds replace the
	// file), so SQLite can skip file locking on every query.
	uri, err := sqliteURI(path, "mode=ro&immutable=1&_pragma=query_only(1)&_pragma=cache_size(-65536)")
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", uri)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrDB, path, err)
	}
	d := &DB{db: db}
	if err := d.load(ctx, path); err != nil {
		db.Close()
		return nil, err
	}
	if d.exploit, err = openExploit(ctx, filepath.Dir(path)); err != nil {
		db.Close()
		return nil, err
	}
	if d.exploit != nil {
		d.info.Exploitation = d.exploit.info
	}
	return d, nil
}

func (d *DB) load(ctx context.Context, path string) error {
	var raw string
	if err := d.db.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'info'").Scan(&raw); err != nil {
		return fmt.Errorf("%w: %s has no store metadata: %w", ErrDB, path, err)
	}
	if err := json.Unmarshal([]byte(raw), &d.info); err != nil {
		return fmt.Errorf("%w: %s: metadata: %w", ErrDB, path, err)
	}
	if d.info.SchemaVersion != StoreSchemaVersion {
		return fmt.Errorf("%w: %s has store schema %q, this version reads %q; rebuild it", ErrDB, path, d.info.SchemaVersion, StoreSchemaVersion)
	}
	var err error
	// One query per package name brings the candidates' records along.
	if d.lookup, err = d.db.PrepareContext(ctx, "SELECT a.ecosystem, a.advisory, r.record FROM affected a JOIN advisory r ON r.id = a.advisory WHERE a.base = ? AND a.name = ?"); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrDB, path, err)
	}
	if d.record, err = d.db.PrepareContext(ctx, "SELECT record FROM advisory WHERE id = ?"); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrDB, path, err)
	}
	return nil
}

// Info describes the store.
func (d *DB) Info() DBInfo { return d.info }

// Close releases the store.
func (d *DB) Close() error { return errors.Join(d.exploit.close(), d.db.Close()) }

// candidate is an advisory that names a package, with the ecosystem it
// names it in.
type candidate struct {
	ecosystem string
	id        string
}

// candidates returns the advisories that name package name in ecosystem
// family base.
func (d *DB) candidates(ctx context.Context, base, name string) ([]candidate, error) {
	rows, err := d.lookup.QueryContext(ctx, base, storeName(base, name))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDB, err)
	}
	defer rows.Close()
	var out []candidate
	for rows.Next() {
		var c candidate
		var rec []byte
		if err := rows.Scan(&c.ecosystem, &c.id, &rec); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrDB, err)
		}
		if err := d.remember(c.id, rec); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// remember decodes a record into the cache unless it is there already.
func (d *DB) remember(id string, rec []byte) error {
	if _, ok := d.cache.get(id); ok {
		return nil
	}
	v, err := decodeRecord(rec)
	if err != nil {
		return fmt.Errorf("%w: advisory %s: %w", ErrDB, id, err)
	}
	d.cache.put(id, v)
	return nil
}

// advisory returns a record, decoded once per DB; errNoAdvisory when the
// store does not hold it.
func (d *DB) advisory(ctx context.Context, id string) (*osv.Vulnerability, error) {
	if v, ok := d.cache.get(id); ok {
		if v == nil {
			return nil, errNoAdvisory
		}
		return v, nil
	}
	var b []byte
	if err := d.record.QueryRowContext(ctx, id).Scan(&b); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			d.cache.put(id, nil)
			return nil, errNoAdvisory
		}
		return nil, fmt.Errorf("%w: advisory %s: %w", ErrDB, id, err)
	}
	v, err := decodeRecord(b)
	if err != nil {
		return nil, fmt.Errorf("%w: advisory %s: %w", ErrDB, id, err)
	}
	d.cache.put(id, v)
	return v, nil
}

// errNoAdvisory says the store has no record of that id (an alias from
// another database).
var errNoAdvisory = errors.New("no such advisory")

// storeName is the key a package name is indexed under: the form in
// which the ecosystem compares names (PEP 503 for PyPI; case-insensitive
// NuGet and Packagist; crates.io treating - and _ alike).
func storeName(base, name string) string {
	switch base {
	case "PyPI":
		return python.NormalizeName(name)
	case "NuGet", "Packagist":
		return strings.ToLower(name)
	case "crates.io":
		return strings.ToLower(strings.ReplaceAll(name, "_", "-"))
	}
	return name
}

// BuildOption configures BuildDB.
type BuildOption func(*buildOptions) error

type buildOptions struct {
	now      func() time.Time
	stamp    string // LoadDB's summary of the input, kept in the store
	progress func(BuildProgress)
}

// BuildProgress is how far building a store has come.
type BuildProgress struct {
	// Step is "reading" while records are read from Input (the Inputs-th
	// input of InputsTotal), then "indexing" and "done".
	Step                string
	Input               string
	Inputs, InputsTotal int
	// Records counts the records read so far, all inputs together.
	Records int
}

// WithBuildProgress has fn called as a store is built: at each input,
// every 1,000 records, and at each step. The library prints nothing.
func WithBuildProgress(fn func(BuildProgress)) BuildOption {
	return func(o *buildOptions) error {
		o.progress = fn
		return nil
	}
}

func (o *buildOptions) report(p BuildProgress) {
	if o.progress != nil {
		o.progress(p)
	}
}

// WithBuildTime sets the time recorded as the store's build time.
func WithBuildTime(now func() time.Time) BuildOption {
	return func(o *buildOptions) error {
		if now == nil {
			return fmt.Errorf("%w: nil clock", result.ErrInvalidOption)
		}
		o.now = now
		return nil
	}
}

// BuildDB builds a store at dst from OSV input: directories of JSON files
// or of <Ecosystem>/all.zip archives, single all.zip archives or JSON
// files. Records that are not valid OSV are skipped and counted per source;
// withdrawn records are counted and left out. dst is replaced atomically:
// a failed build leaves what was there.
func BuildDB(ctx context.Context, dst string, inputs []string, opts ...BuildOption) (DBInfo, error) {
	o := &buildOptions{now: time.Now}
	for _, opt := range opts {
		if err := opt(o); err != nil {
			return DBInfo{}, err
		}
	}
	if len(inputs) == 0 {
		return DBInfo{}, fmt.Errorf("%w: no input", ErrDB)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return DBInfo{}, fmt.Errorf("%w: %w", ErrDB, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), filepath.Base(dst)+".build-*")
	if err != nil {
		return DBInfo{}, fmt.Errorf("%w: %w", ErrDB, err)
	}
	tmpName := tmp.Name()
	tmp.Close()
	info, err := build(ctx, tmpName, inputs, o)
	if err != nil {
		os.Remove(tmpName)
		return DBInfo{}, err
	}
	if err := os.Rename(tmpName, dst); err != nil {
		os.Remove(tmpName)
		return DBInfo{}, fmt.Errorf("%w: %w", ErrDB, err)
	}
	return info, nil
}

const schema = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE advisory (id TEXT PRIMARY KEY, record BLOB NOT NULL);
CREATE TABLE affected (base TEXT NOT NULL, name TEXT NOT NULL, ecosystem TEXT NOT NULL, advisory TEXT NOT NULL);
CREATE TABLE build_error (source TEXT NOT NULL, error TEXT NOT NULL);
`

// maxBuildErrors bounds the record errors kept in a store.
const maxBuildErrors = 1000

func build(ctx context.Context, path string, inputs []string, o *buildOptions) (DBInfo, error) {
	uri, err := sqliteURI(path, "_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)")
	if err != nil {
		return DBInfo{}, err
	}
	db, err := sql.Open("sqlite", uri)
	if err != nil {
		return DBInfo{}, fmt.Errorf("%w: %w", ErrDB, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, schema); err != nil {
		return DBInfo{}, fmt.Errorf("%w: %w", ErrDB, err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return DBInfo{}, fmt.Errorf("%w: %w", ErrDB, err)
	}
	defer tx.Rollback()
	insAdv, err := tx.PrepareContext(ctx, "INSERT OR REPLACE INTO advisory (id, record) VALUES (?, ?)")
	if err != nil {
		return DBInfo{}, fmt.Errorf("%w: %w", ErrDB, err)
	}
	insAff, err := tx.PrepareContext(ctx, "INSERT INTO affected (base, name, ecosystem, advisory) VALUES (?, ?, ?, ?)")
	if err != nil {
		return DBInfo{}, fmt.Errorf("%w: %w", ErrDB, err)
	}
	insErr, err := tx.PrepareContext(ctx, "INSERT INTO build_error (source, error) VALUES (?, ?)")
	if err != nil {
		return DBInfo{}, fmt.Errorf("%w: %w", ErrDB, err)
	}
	info := DBInfo{SchemaVersion: StoreSchemaVersion, BuiltAt: o.now().UTC().Truncate(time.Second)}
	ids := map[string]bool{}
	errCount := 0
	records := 0
	for n, in := range inputs {
		src := SourceInfo{Name: in}
		ecos, releases := map[string]bool{}, map[string]bool{}
		o.report(BuildProgress{Step: "reading", Input: in, Inputs: n + 1, InputsTotal: len(inputs), Records: records})
		visit := func(name string, v *osv.Vulnerability, verr error) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if records++; records%1000 == 0 {
				o.report(BuildProgress{Step: "reading", Input: in, Inputs: n + 1, InputsTotal: len(inputs), Records: records})
			}
			if verr != nil {
				src.Skipped++
				if errCount < maxBuildErrors {
					errCount++
					if _, err := insErr.ExecContext(ctx, name, verr.Error()); err != nil {
						return err
					}
				}
				return nil
			}
			if v.Withdrawn != "" {
				src.Withdrawn++
				return nil
			}
			src.Records++
			if t, err := time.Parse(time.RFC3339, v.Modified); err == nil && t.After(src.Newest) {
				src.Newest = t.UTC()
			}
			// Store what matching reads, in a compact binary form (see
			// record.go): symbol lists, long details and other
			// database-specific data would only slow every decode down.
			if _, err := insAdv.ExecContext(ctx, v.ID, encodeRecord(trimForMatch(v))); err != nil {
				return err
			}
			if !ids[v.ID] {
				ids[v.ID] = true
			}
			seen := map[[2]string]bool{}
			for _, a := range v.Affected {
				base := osv.Base(a.Package.Ecosystem)
				ecos[base] = true
				releases[a.Package.Ecosystem] = true
				key := [2]string{a.Package.Ecosystem, a.Package.Name}
				if seen[key] {
					continue
				}
				seen[key] = true
				if _, err := insAff.ExecContext(ctx, base, storeName(base, a.Package.Name), a.Package.Ecosystem, v.ID); err != nil {
					return err
				}
			}
			return nil
		}
		fi, err := os.Stat(in)
		switch {
		case err != nil:
			return DBInfo{}, fmt.Errorf("%w: input %s: %w", ErrDB, in, err)
		case fi.IsDir():
			err = osv.ReadDir(in, visit)
		case strings.HasSuffix(in, ".zip"):
			err = osv.ReadZip(in, visit)
		default:
			err = readOne(in, visit)
		}
		if err != nil {
			return DBInfo{}, fmt.Errorf("%w: input %s: %w", ErrDB, in, err)
		}
		for e := range ecos {
			src.Ecosystems = append(src.Ecosystems, e)
		}
		sort.Strings(src.Ecosystems)
		for e := range releases {
			src.Releases = append(src.Releases, e)
		}
		sort.Strings(src.Releases)
		info.Sources = append(info.Sources, src)
	}
	o.report(BuildProgress{Step: "indexing", Inputs: len(inputs), InputsTotal: len(inputs), Records: records})
	info.Advisories = len(ids)
	if info.Advisories == 0 {
		return DBInfo{}, fmt.Errorf("%w: no OSV records in %s", ErrDB, strings.Join(inputs, ", "))
	}
	if _, err := tx.ExecContext(ctx, "CREATE INDEX affected_by_name ON affected (base, name)"); err != nil {
		return DBInfo{}, fmt.Errorf("%w: %w", ErrDB, err)
	}
	meta, err := json.Marshal(info)
	if err != nil {
		return DBInfo{}, err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES ('info', ?)", string(meta)); err != nil {
		return DBInfo{}, fmt.Errorf("%w: %w", ErrDB, err)
	}
	if o.stamp != "" {
		if _, err := tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES ('input_stamp', ?)", o.stamp); err != nil {
			return DBInfo{}, fmt.Errorf("%w: %w", ErrDB, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return DBInfo{}, fmt.Errorf("%w: %w", ErrDB, err)
	}
	o.report(BuildProgress{Step: "done", Inputs: len(inputs), InputsTotal: len(inputs), Records: records})
	return info, nil
}

// trimForMatch keeps the parts of a record Match uses: identifiers,
// summary (or the first line of the details), severities and ratings,
// affected packages with their ranges and versions, and the first
// references.
func trimForMatch(v *osv.Vulnerability) *osv.Vulnerability {
	t := &osv.Vulnerability{
		SchemaVersion: v.SchemaVersion, ID: v.ID, Modified: v.Modified, Published: v.Published,
		Aliases: v.Aliases, Upstream: v.Upstream, Summary: v.Summary, Severity: v.Severity,
		DatabaseSpecific: ratingOnly(v.DatabaseSpecific),
	}
	if t.Summary == "" {
		t.Details = firstLine(v.Details)
	}
	if len(v.References) > maxReferences {
		t.References = v.References[:maxReferences]
	} else {
		t.References = v.References
	}
	t.Affected = make([]osv.Affected, len(v.Affected))
	for i, a := range v.Affected {
		t.Affected[i] = osv.Affected{Package: a.Package, Severity: a.Severity, Ranges: a.Ranges, Versions: a.Versions,
			EcosystemSpecific: ratingOnly(a.EcosystemSpecific), DatabaseSpecific: ratingOnly(a.DatabaseSpecific)}
	}
	return t
}

// ratingOnly keeps the severity and urgency keys of a database-specific
// object, the only ones rate reads.
func ratingOnly(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return nil
	}
	var m struct {
		Severity json.RawMessage `json:"severity,omitempty"`
		Urgency  json.RawMessage `json:"urgency,omitempty"`
	}
	if json.Unmarshal(raw, &m) != nil || (len(m.Severity) == 0 && len(m.Urgency) == 0) {
		return nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil
	}
	return b
}

func readOne(path string, fn osv.Visit) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	v, err := osv.Decode(b)
	return fn(path, v, err)
}

// LoadOption configures LoadDB.
type LoadOption func(*loadOptions) error

type loadOptions struct {
	cacheDir string
	build    []BuildOption
}

// WithCacheDir sets where LoadDB keeps stores built from raw input. The
// default is DefaultCacheDir.
func WithCacheDir(dir string) LoadOption {
	return func(o *loadOptions) error {
		if dir == "" {
			return fmt.Errorf("%w: empty cache directory", result.ErrInvalidOption)
		}
		o.cacheDir = dir
		return nil
	}
}

// WithBuildOptions passes options to the build LoadDB may run.
func WithBuildOptions(opts ...BuildOption) LoadOption {
	return func(o *loadOptions) error {
		o.build = append(o.build, opts...)
		return nil
	}
}

// LoadDB opens path as a store when it is one; otherwise it reads path as
// raw OSV input (a directory of JSON files or of <Ecosystem>/all.zip, or an
// all.zip) and opens the store built from it in the cache directory,
// building it first when it is missing or older than the input.
func LoadDB(ctx context.Context, path string, opts ...LoadOption) (*DB, error) {
	o := &loadOptions{}
	for _, opt := range opts {
		if err := opt(o); err != nil {
			return nil, err
		}
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDB, err)
	}
	if !fi.IsDir() && !strings.HasSuffix(path, ".zip") && !strings.HasSuffix(path, ".json") {
		return OpenDB(ctx, path)
	}
	if o.cacheDir == "" {
		if o.cacheDir, err = DefaultCacheDir(); err != nil {
			return nil, err
		}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDB, err)
	}
	stamp, err := inputStamp(abs)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDB, err)
	}
	key := sha256.Sum256([]byte(abs))
	dst := filepath.Join(o.cacheDir, hex.EncodeToString(key[:8])+".db")
	if db, err := OpenDB(ctx, dst); err == nil {
		if db.stamp(ctx) == stamp {
			return db, nil
		}
		db.Close()
	}
	// The stamp goes in before the store is renamed into place: a store
	// other processes may have open is never written again.
	build := append(slices.Clone(o.build), func(b *buildOptions) error { b.stamp = stamp; return nil })
	if _, err := BuildDB(ctx, dst, []string{abs}, build...); err != nil {
		return nil, err
	}
	return OpenDB(ctx, dst)
}

// inputStamp summarizes raw input (file names, sizes, modification times)
// so that a store built from it is rebuilt when it changes.
func inputStamp(path string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00%d\n", p, fi.Size(), fi.ModTime().UnixNano())
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)), err
}

func (d *DB) stamp(ctx context.Context) string {
	var s string
	_ = d.db.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'input_stamp'").Scan(&s)
	return s
}

// BuildErrors returns the record errors recorded while the store was built
// (at most 1000), as "source: error".
func (d *DB) BuildErrors(ctx context.Context) ([]string, error) {
	rows, err := d.db.QueryContext(ctx, "SELECT source, error FROM build_error ORDER BY rowid")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDB, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s, e string
		if err := rows.Scan(&s, &e); err != nil {
			return nil, err
		}
		out = append(out, s+": "+e)
	}
	return out, rows.Err()
}

// sqliteURI turns a file path into an SQLite URI with query: '?', '#' and
// '%' in the path are escaped rather than read as URI syntax.
func sqliteURI(path, query string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrDB, err)
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: query}
	return u.String(), nil
}

// recordCacheSize bounds the decoded records a DB keeps: enough for the
// advisories of a large image several times over, small next to the
// store.
const recordCacheSize = 8192

// recordCache keeps recently used decoded records (nil for an id the store
// does not hold) in two generations: when the young one is full it
// becomes the old one and the previous old one is dropped, so at most
// 2×recordCacheSize records stay and those in use survive.
type recordCache struct {
	mu         sync.Mutex
	young, old map[string]*osv.Vulnerability
}

func (c *recordCache) get(id string) (*osv.Vulnerability, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.young[id]; ok {
		return v, true
	}
	v, ok := c.old[id]
	if ok {
		c.putLocked(id, v)
	}
	return v, ok
}

func (c *recordCache) put(id string, v *osv.Vulnerability) {
	c.mu.Lock()
	c.putLocked(id, v)
	c.mu.Unlock()
}

func (c *recordCache) putLocked(id string, v *osv.Vulnerability) {
	if c.young == nil {
		c.young = make(map[string]*osv.Vulnerability)
	}
	if len(c.young) >= recordCacheSize {
		c.old, c.young = c.young, make(map[string]*osv.Vulnerability, recordCacheSize)
	}
	c.young[id] = v
}

// len reports how many records the cache holds.
func (c *recordCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.young) + len(c.old)
}
