package rpm

import (
	"encoding/binary"
	"fmt"
)

// Berkeley DB hash database layout (libdb's dbinc/db_page.h).
const (
	bdbHashMagic     = 0x00061561
	bdbPageHeader    = 26 // every page starts with this header
	bdbTypeHashOld   = 2  // P_HASH_UNSORTED, hash pages before libdb 4.6
	bdbTypeOverflow  = 7  // P_OVERFLOW
	bdbTypeHashMeta  = 8  // P_HASHMETA
	bdbTypeHash      = 13 // P_HASH
	bdbItemOffPage   = 3  // H_OFFPAGE: the item lives on overflow pages
	bdbOffPageLength = 12 // HOFFPAGE: type, 3 unused, pgno, tlen
)

// bdbBlobs returns the data items of a hash database: the package headers,
// which are always stored on overflow pages. Bad items are reported and
// skipped; a bad metadata page makes the database unreadable.
func bdbBlobs(data []byte) ([][]byte, []error) {
	if len(data) < 512 {
		return nil, []error{fmt.Errorf("%w: bdb file of %d bytes", ErrDatabase, len(data))}
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if bo.Uint32(data[12:]) != bdbHashMagic {
		bo = binary.BigEndian
	}
	if data[24] != 0 {
		return nil, []error{fmt.Errorf("%w: bdb encrypted (algorithm %d)", ErrDatabase, data[24])}
	}
	if data[25] != bdbTypeHashMeta {
		return nil, []error{fmt.Errorf("%w: bdb metadata page has type %d", ErrDatabase, data[25])}
	}
	pageSize := bo.Uint32(data[20:])
	if pageSize < 512 || pageSize > 65536 || pageSize&(pageSize-1) != 0 {
		return nil, []error{fmt.Errorf("%w: bdb page size %d", ErrDatabase, pageSize)}
	}
	lastPage := bo.Uint32(data[32:])
	pages := uint32(len(data) / int(pageSize))
	if pages < 2 {
		return nil, []error{fmt.Errorf("%w: bdb file of %d bytes holds no data page of %d", ErrDatabase, len(data), pageSize)}
	}
	if lastPage >= pages {
		lastPage = pages - 1 // a truncated file: read what is there
	}
	page := func(n uint32) []byte { return data[int(n)*int(pageSize) : int(n+1)*int(pageSize)] }

	var blobs [][]byte
	var errs []error
	// Every overflow page belongs to one item, so a sound database never
	// assembles more bytes than it holds; items that share pages would.
	budget := int64(len(data))
	for n := uint32(1); n <= lastPage && budget > 0; n++ {
		p := page(n)
		if t := p[25]; t != bdbTypeHash && t != bdbTypeHashOld {
			continue
		}
		entries := int(bo.Uint16(p[20:]))
		if bdbPageHeader+2*entries > len(p) {
			errs = append(errs, fmt.Errorf("%w: bdb page %d: %d entries overrun the page", ErrDatabase, n, entries))
			continue
		}
		// Items alternate key, data; only data items (odd indices) matter.
		for i := 1; i < entries; i += 2 {
			off := int(bo.Uint16(p[bdbPageHeader+2*i:]))
			if off+bdbOffPageLength > len(p) {
				errs = append(errs, fmt.Errorf("%w: bdb page %d: item %d at offset %d", ErrDatabase, n, i, off))
				continue
			}
			if p[off] != bdbItemOffPage {
				continue
			}
			first := bo.Uint32(p[off+4:])
			total := bo.Uint32(p[off+8:])
			if int64(total) > budget {
				errs = append(errs, fmt.Errorf("%w: bdb page %d item %d: %d bytes, more than the file has left to give", ErrDatabase, n, i, total))
				budget = 0
				break
			}
			budget -= int64(total)
			b, err := bdbOverflow(page, pages, pageSize, first, total, bo)
			if err != nil {
				errs = append(errs, fmt.Errorf("%w: bdb page %d item %d: %w", ErrDatabase, n, i, err))
				continue
			}
			blobs = append(blobs, b)
		}
	}
	return blobs, errs
}

// bdbOverflow concatenates a chain of overflow pages.
func bdbOverflow(page func(uint32) []byte, pages, pageSize, first, total uint32, bo binary.ByteOrder) ([]byte, error) {
	if total > maxData || uint64(total) > uint64(pages-1)*uint64(pageSize-bdbPageHeader) {
		return nil, fmt.Errorf("item of %d bytes cannot fit the file", total)
	}
	out := make([]byte, 0, min(total, 64<<10))
	seen := map[uint32]bool{}
	for n := first; n != 0; {
		if n >= pages || seen[n] {
			return nil, fmt.Errorf("bad overflow page %d", n)
		}
		seen[n] = true
		p := page(n)
		if p[25] != bdbTypeOverflow {
			return nil, fmt.Errorf("page %d has type %d, want overflow", n, p[25])
		}
		length := int(bo.Uint16(p[22:])) // hf_offset holds the data length on overflow pages
		if bdbPageHeader+length > len(p) || uint32(len(out)+length) > total {
			return nil, fmt.Errorf("overflow page %d holds %d bytes", n, length)
		}
		out = append(out, p[bdbPageHeader:bdbPageHeader+length]...)
		n = bo.Uint32(p[16:])
	}
	if uint32(len(out)) != total {
		return nil, fmt.Errorf("item has %d of %d bytes", len(out), total)
	}
	return out, nil
}
