package secrets

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
)

// ScanBytes scans data as the content of file, a slash-separated path that
// rule path filters and allowlists see and findings name. Baselined
// findings are left out.
func (s *Scanner) ScanBytes(file string, data []byte) []Finding {
	if s.skipFile(file) {
		return nil
	}
	f := s.newFileScan(file)
	var lc lineCounter
	return s.dropBaselined(f.withPathFindings(s.collect(f, data, 0, 0, len(data), &lc, nil)))
}

// ScanReader scans a stream as the content of file (see ScanBytes) in
// chunks, with memory bounded by the chunk size whatever the length of the
// stream or of its lines; a secret that spans two chunks is found.
func (s *Scanner) ScanReader(ctx context.Context, file string, r io.Reader) ([]Finding, error) {
	if s.skipFile(file) {
		return nil, nil
	}
	fs, _, err := s.scanStream(ctx, s.newFileScan(file), r, false, -1)
	return s.dropBaselined(fs), err
}

// chunkSize is how much of a stream is read at a time.
const chunkSize = 1 << 20

// sniffSize is how much of a file is checked for NUL bytes to tell binary
// files, as git does.
const sniffSize = 8000

// errBinary reports a binary file that was not scanned.
var errBinary = errors.New("binary file")

// scanStream scans r in chunks that overlap by s.overlap bytes. With
// sniff, a stream with a NUL byte in its first bytes is not scanned
// (errBinary), unless the scanner scans binary files. size, when not
// negative, is the expected length: a small stream gets a small buffer. n
// is the number of bytes read.
func (s *Scanner) scanStream(ctx context.Context, f *fileScan, r io.Reader, sniff bool, size int64) (out []Finding, n int64, err error) {
	ov := s.overlap
	full := chunkSize + 2*ov
	// Findings copy what they keep: the buffer goes back to the pool.
	pooled := s.bufs.Get().(*[]byte)
	defer s.bufs.Put(pooled)
	if cap(*pooled) < full {
		*pooled = make([]byte, 0, full)
	}
	buf := (*pooled)[:0:full]
	if size >= 0 && size < int64(full) {
		buf = buf[: 0 : size+1] // one more byte to see the end
	}
	var base int64 // stream offset of buf[0]
	from := 0      // matches starting before from were reported with the previous chunk
	var lc lineCounter
	first := true
	if sniff && !s.binary {
		// Read only the first bytes before deciding: most files an image
		// holds are binaries, and they are left after this much.
		head := buf[:min(cap(buf), sniffSize)]
		m, rerr := io.ReadFull(r, head)
		n += int64(m)
		if rerr != nil && rerr != io.EOF && rerr != io.ErrUnexpectedEOF {
			return f.withPathFindings(out), n, rerr
		}
		if bytes.IndexByte(head[:m], 0) >= 0 {
			return nil, n, errBinary
		}
		first = false
		if m < len(head) { // the whole file
			return f.withPathFindings(s.collect(f, head[:m], 0, 0, m, &lc, out)), n, nil
		}
		buf = buf[:m] // the loop reads on after these
	}
	for {
		if err := ctx.Err(); err != nil {
			return out, n, err
		}
		m, rerr := io.ReadFull(r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		n += int64(m)
		eof := rerr == io.EOF || rerr == io.ErrUnexpectedEOF
		if rerr != nil && !eof {
			return f.withPathFindings(out), n, rerr
		}
		if !eof && cap(buf) < full {
			// Longer than announced: continue with the full-size buffer.
			buf = (*pooled)[:len(buf):full] // buf starts where the pooled one does
			continue
		}
		if first {
			first = false
			if sniff && !s.binary && bytes.IndexByte(buf[:min(len(buf), sniffSize)], 0) >= 0 {
				return nil, n, errBinary
			}
		}
		to := len(buf)
		if !eof {
			to -= ov
		}
		out = s.collect(f, buf, base, from, to, &lc, out)
		if eof {
			return f.withPathFindings(out), n, nil
		}
		// Keep ov bytes of context before the next chunk's first match and
		// the ov bytes not yet reported.
		keep := to - ov
		lc.advance(buf, base, base+int64(keep))
		copy(buf, buf[keep:])
		buf = buf[:len(buf)-keep]
		base += int64(keep)
		from = ov
	}
}

// collect scans buf (which starts at stream offset base) for matches
// starting in [from, to) and appends their findings to out.
func (s *Scanner) collect(f *fileScan, buf []byte, base int64, from, to int, lc *lineCounter, out []Finding) []Finding {
	ms := f.scan(buf, from, to, 0)
	for _, m := range ms {
		lc.advance(buf, base, base+int64(m.sstart))
		endLine := lc.line + bytes.Count(buf[m.sstart:max(m.sstart, m.send-1)], []byte{'\n'})
		out = append(out, s.finding(f, m, lc.line, int(base+int64(m.sstart)-lc.lineStart)+1, endLine))
	}
	return out
}

// withPathFindings adds the findings of rules that flag the file by its
// path alone.
func (f *fileScan) withPathFindings(out []Finding) []Finding {
	for _, m := range f.pathFindings() {
		out = append(out, f.s.finding(f, m, 0, 0, 0))
	}
	return out
}

func (s *Scanner) finding(f *fileScan, m match, line, col, endLine int) Finding {
	file := f.path
	fd := Finding{RuleID: m.rule.ID, Description: m.rule.Description, Severity: m.rule.Severity, File: file,
		Line: line, Column: col, EndLine: endLine, Visible: true, Decoded: m.decoded, Confidence: m.rule.confidence(m.secret),
		Fingerprint: Fingerprint(m.rule.ID, file, m.secret),
		Entropy:     math.Round(Entropy(m.secret)*1000) / 1000}
	if line == 0 {
		fd.Column = 0
	}
	fd.Secret = m.secret
	if !s.reveal && !f.keepClear {
		fd.Secret = Redact(m.secret)
	}
	return fd
}

// lineCounter tracks line numbers through a stream.
type lineCounter struct {
	pos       int64 // stream offset counted up to
	line      int   // line number at pos, 1-based (0 before the first call)
	lineStart int64 // stream offset of the start of that line
}

// advance counts the lines up to stream offset to, which must lie in buf
// (buf starts at stream offset base) at or after lc.pos.
func (lc *lineCounter) advance(buf []byte, base, to int64) {
	if lc.line == 0 {
		lc.line = 1
	}
	if to <= lc.pos {
		return
	}
	seg := buf[lc.pos-base : to-base]
	if k := bytes.Count(seg, []byte{'\n'}); k > 0 {
		lc.line += k
		lc.lineStart = lc.pos + int64(bytes.LastIndexByte(seg, '\n')) + 1
	}
	lc.pos = to
}
