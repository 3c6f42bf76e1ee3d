package rpm

import (
	"encoding/binary"
	"errors"
	"runtime"
	"testing"
)

type rawTag struct {
	tag, typ, count uint32
	data            []byte
}

// buildHeader lays out a header blob from tags.
func buildHeader(tags []rawTag) []byte {
	var data []byte
	idx := make([]byte, 0, 16*len(tags))
	for _, t := range tags {
		idx = binary.BigEndian.AppendUint32(idx, t.tag)
		idx = binary.BigEndian.AppendUint32(idx, t.typ)
		idx = binary.BigEndian.AppendUint32(idx, uint32(len(data)))
		idx = binary.BigEndian.AppendUint32(idx, t.count)
		data = append(data, t.data...)
	}
	out := binary.BigEndian.AppendUint32(nil, uint32(len(tags)))
	out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
	return append(append(out, idx...), data...)
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Every dir index pointing at one long directory name would make the file
// list quadratic in the blob.
func TestHeaderFileListBounded(t *testing.T) {
	const dirLen, n = 3000, 20000
	dir := append(make([]byte, 0, dirLen+1), make([]byte, dirLen)...)
	for i := range dir {
		dir[i] = 'd'
	}
	dir = append(dir, 0)
	bases := make([]byte, 0, 2*n)
	for i := 0; i < n; i++ {
		bases = append(bases, 'b', 0)
	}
	blob := buildHeader([]rawTag{
		{tagName, typeString, 1, []byte("x\x00")},
		{tagDirNames, typeStringArray, 1, dir},
		{tagDirIndexes, typeInt32, n, make([]byte, 4*n)},
		{tagBaseNames, typeStringArray, n, bases},
	})
	var p *Package
	var err error
	alloc := allocated(func() { p, err = ParseHeader(blob) })
	if !errors.Is(err, ErrHeader) || p == nil || p.Name != "x" {
		t.Errorf("p %v err %v", p, err)
	}
	if alloc > 64*uint64(len(blob)) {
		t.Errorf("%d bytes allocated for a blob of %d", alloc, len(blob))
	}
}

// Many items sharing one overflow record that claims 256 MiB must not
// allocate their claims.
func TestBDBSharedOverflowBounded(t *testing.T) {
	const pageSize = 65536
	data := make([]byte, 2*pageSize)
	le := binary.LittleEndian
	le.PutUint32(data[12:], bdbHashMagic)
	le.PutUint32(data[20:], pageSize)
	data[25] = bdbTypeHashMeta
	le.PutUint32(data[32:], 1)
	p := data[pageSize:]
	p[25] = bdbTypeHash
	entries := (pageSize - bdbPageHeader - 64) / 2
	le.PutUint16(p[20:], uint16(entries))
	item := pageSize - 16
	p[item] = bdbItemOffPage
	le.PutUint32(p[item+4:], 0xfffffff0)
	le.PutUint32(p[item+8:], maxData)
	for i := 0; i < entries; i++ {
		le.PutUint16(p[bdbPageHeader+2*i:], uint16(item))
	}
	var errs []error
	alloc := allocated(func() { _, errs = bdbBlobs(data) })
	if len(errs) == 0 {
		t.Error("no error")
	}
	if alloc > 64*uint64(len(data)) {
		t.Errorf("%d bytes allocated for a file of %d", alloc, len(data))
	}
}
