// Package rpmsqlite reads the Packages table of an rpm SQLite database
// (rpmdb.sqlite) held in memory, through a read-only SQLite VFS, so that the
// database never touches the host's filesystem.
package rpmsqlite

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
	"modernc.org/sqlite/vfs"

	"github.com/shipshape-dev/shipshape/internal/pkgdb/rpm"
)

// Blobs returns the header blobs of the Packages table. It has the
// signature of rpm.SQLiteBlobs.
func Blobs(ctx context.Context, data []byte) ([][]byte, error) {
	name, fsys, err := vfs.New(memFS{data: data})
	if err != nil {
		return nil, fmt.Errorf("sqlite vfs: %w", err)
	}
	defer fsys.Close()
	db, err := sql.Open("sqlite", "file:rpmdb.sqlite?vfs="+name+"&mode=ro&immutable=1")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", rpm.ErrDatabase, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	// The schema comes from the image: Packages must be a table, not a
	// view that could compute rows without end.
	var kind string
	if err := db.QueryRowContext(ctx, "SELECT type FROM sqlite_master WHERE name = 'Packages'").Scan(&kind); err != nil {
		return nil, fmt.Errorf("%w: no Packages table: %w", rpm.ErrDatabase, err)
	}
	if kind != "table" {
		return nil, fmt.Errorf("%w: Packages is a %s, not a table", rpm.ErrDatabase, kind)
	}
	rows, err := db.QueryContext(ctx, "SELECT blob FROM Packages")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", rpm.ErrDatabase, err)
	}
	defer rows.Close()
	var out [][]byte
	// SQLite stores blobs as they are: together they cannot exceed the file.
	left := len(data)
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, fmt.Errorf("%w: %w", rpm.ErrDatabase, err)
		}
		if left -= len(b) + 1; left < 0 {
			return nil, fmt.Errorf("%w: Packages yields more data than the file holds", rpm.ErrDatabase)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", rpm.ErrDatabase, err)
	}
	return out, nil
}

// memFS is a file system of one file, rpmdb.sqlite.
type memFS struct{ data []byte }

func (m memFS) Open(name string) (fs.File, error) {
	if name != "rpmdb.sqlite" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &memFile{Reader: bytes.NewReader(m.data), size: int64(len(m.data))}, nil
}

type memFile struct {
	*bytes.Reader
	size int64
}

func (f *memFile) Stat() (fs.FileInfo, error) { return memInfo{size: f.size}, nil }
func (f *memFile) Close() error               { return nil }

type memInfo struct{ size int64 }

func (i memInfo) Name() string       { return "rpmdb.sqlite" }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o444 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }

var _ rpm.SQLiteBlobs = Blobs
