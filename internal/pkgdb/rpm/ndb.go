package rpm

import (
	"encoding/binary"
	"fmt"
)

// NDB layout (rpm's lib/backend/ndb/rpmpkg.c): a 32-byte header, slot pages
// of 16-byte slots, then blobs addressed in 16-byte blocks. All little endian.
const (
	ndbHeaderMagic  = 'R' | 'p'<<8 | 'm'<<16 | 'P'<<24
	ndbSlotMagic    = 'S' | 'l'<<8 | 'o'<<16 | 't'<<24
	ndbBlobMagic    = 'B' | 'l'<<8 | 'b'<<16 | 'S'<<24
	ndbSlotPageSize = 4096
	ndbSlotSize     = 16
	ndbBlockSize    = 16
	ndbMaxSlotPages = 2048
)

func ndbBlobs(data []byte) ([][]byte, []error) {
	le := binary.LittleEndian
	if len(data) < 32 {
		return nil, []error{fmt.Errorf("%w: ndb file of %d bytes", ErrDatabase, len(data))}
	}
	if v := le.Uint32(data[4:]); v != 0 {
		return nil, []error{fmt.Errorf("%w: ndb version %d", ErrDatabase, v)}
	}
	slotPages := le.Uint32(data[12:])
	if slotPages == 0 || slotPages > ndbMaxSlotPages || int(slotPages)*ndbSlotPageSize > len(data) {
		return nil, []error{fmt.Errorf("%w: ndb has %d slot pages in %d bytes", ErrDatabase, slotPages, len(data))}
	}
	var blobs [][]byte
	var errs []error
	// The header takes the room of the first two slots.
	for off := 32; off < int(slotPages)*ndbSlotPageSize; off += ndbSlotSize {
		s := data[off : off+ndbSlotSize]
		if le.Uint32(s) != ndbSlotMagic {
			errs = append(errs, fmt.Errorf("%w: ndb slot at %d has a bad magic", ErrDatabase, off))
			continue
		}
		pkg, blk := le.Uint32(s[4:]), le.Uint32(s[8:])
		if pkg == 0 {
			continue // free slot
		}
		start := uint64(blk) * ndbBlockSize
		if start+16 > uint64(len(data)) {
			errs = append(errs, fmt.Errorf("%w: ndb package %d: blob at %d outside the file", ErrDatabase, pkg, start))
			continue
		}
		h := data[start : start+16]
		if le.Uint32(h) != ndbBlobMagic || le.Uint32(h[4:]) != pkg {
			errs = append(errs, fmt.Errorf("%w: ndb package %d: bad blob header", ErrDatabase, pkg))
			continue
		}
		n := uint64(le.Uint32(h[12:]))
		if start+16+n > uint64(len(data)) {
			errs = append(errs, fmt.Errorf("%w: ndb package %d: blob of %d bytes overruns the file", ErrDatabase, pkg, n))
			continue
		}
		blobs = append(blobs, data[start+16:start+16+n])
	}
	return blobs, errs
}
