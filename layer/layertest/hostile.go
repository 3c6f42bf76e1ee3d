package layertest

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
)

// ManyFiles is a layer of n empty files (data/0000/0000000, …, a thousand
// to a directory), streamed: the shape of an image that attacks the memory
// a reader spends per entry.
func ManyFiles(n int) StreamLayer {
	return StreamLayer{Open: TarStream(func(tw *tar.Writer) error {
		for i := range n {
			if err := tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("data/%04d/%07d", i/1000, i), Mode: 0o644, Typeflag: tar.TypeReg}); err != nil {
				return err
			}
		}
		return nil
	})}
}

// BigFile is a layer of one file, name, of n bytes: head, then fill
// repeated, then tail; streamed, so a multi-gigabyte file costs nothing to
// make.
func BigFile(name string, n int64, head string, fill byte, tail string) StreamLayer {
	return StreamLayer{Open: TarStream(func(tw *tar.Writer) error {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: n, Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		if _, err := io.WriteString(tw, head); err != nil {
			return err
		}
		chunk := bytes.Repeat([]byte{fill}, 1<<20)
		left := n - int64(len(head)) - int64(len(tail))
		for left > 0 {
			k := min(left, int64(len(chunk)))
			if _, err := tw.Write(chunk[:k]); err != nil {
				return err
			}
			left -= k
		}
		_, err := io.WriteString(tw, tail)
		return err
	})}
}
