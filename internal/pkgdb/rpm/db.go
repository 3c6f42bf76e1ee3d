package rpm

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/shipshape-dev/shipshape/internal/pkgdb"
)

// Format is an on-disk format of the rpm database.
type Format string

// The formats Parse understands.
const (
	FormatSQLite Format = "sqlite"
	FormatBDB    Format = "bdb"
	FormatNDB    Format = "ndb"
)

// ErrFormat marks a file that is none of the database formats.
var ErrFormat = errors.New("not an rpm database")

// ErrDatabase marks a database whose structure is damaged.
var ErrDatabase = errors.New("damaged rpm database")

var sqliteMagic = []byte("SQLite format 3\x00")

// Detect reports the database format of data from its first bytes.
func Detect(data []byte) (Format, error) {
	switch {
	case bytes.HasPrefix(data, sqliteMagic):
		return FormatSQLite, nil
	case len(data) >= 4 && binary.LittleEndian.Uint32(data) == ndbHeaderMagic:
		return FormatNDB, nil
	case len(data) >= 16 && (binary.LittleEndian.Uint32(data[12:]) == bdbHashMagic || binary.BigEndian.Uint32(data[12:]) == bdbHashMagic):
		return FormatBDB, nil
	}
	return "", ErrFormat
}

// SQLiteBlobs reads the header blobs of the Packages table of an
// rpmdb.sqlite held in memory (see package rpmsqlite). It is a parameter so
// that this package, and its fuzz targets, do not link SQLite.
type SQLiteBlobs func(ctx context.Context, data []byte) ([][]byte, error)

// Parse reads every package of a database held in memory. Headers that do
// not parse are reported one by one and the others are kept; an error that
// makes the whole database unreadable is returned alone. A SQLite database
// needs sqlite; without it, it is reported as unsupported.
func Parse(ctx context.Context, data []byte, sqlite SQLiteBlobs) ([]Package, []error) {
	f, err := Detect(data)
	if err != nil {
		return nil, []error{err}
	}
	var blobs [][]byte
	var dbErrs []error
	switch f {
	case FormatSQLite:
		if sqlite == nil {
			return nil, []error{fmt.Errorf("%w: no SQLite reader configured", ErrFormat)}
		}
		blobs, err = sqlite(ctx, data)
	case FormatBDB:
		blobs, dbErrs = bdbBlobs(data)
	case FormatNDB:
		blobs, dbErrs = ndbBlobs(data)
	}
	if err != nil {
		return nil, []error{err}
	}
	var errs pkgdb.Errors
	for _, e := range dbErrs {
		errs.Add(e)
	}
	pkgs := make([]Package, 0, len(blobs))
	for i, b := range blobs {
		p, err := ParseHeader(b)
		if err != nil {
			errs.Add(fmt.Errorf("%s record %d: %w", f, i, err))
			if p == nil {
				continue
			}
		}
		if p.Name == "gpg-pubkey" {
			continue // imported signing keys are stored as pseudo-packages
		}
		pkgs = append(pkgs, *p)
	}
	return pkgs, errs.List()
}
