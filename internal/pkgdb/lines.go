package pkgdb

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxLine is the longest line the parsers accept; longer lines are reported
// and skipped, and reading goes on with the next line.
const MaxLine = 1 << 20

// ErrLineTooLong marks a line longer than MaxLine.
var ErrLineTooLong = errors.New("line too long")

// MaxParagraph bounds the bytes of one paragraph; the lines past it are
// dropped and reported once.
const MaxParagraph = 4 << 20

// ErrParagraphTooLong marks a paragraph longer than MaxParagraph.
var ErrParagraphTooLong = errors.New("paragraph too long")

// MaxErrors bounds the problems reported for one file; further ones are
// counted in a last error wrapping ErrTooManyErrors.
const MaxErrors = 100

// ErrTooManyErrors says how many problems of a file were not listed.
var ErrTooManyErrors = errors.New("more problems not listed")

// Errors collects a file's problems up to MaxErrors, so that a damaged or
// hostile database costs memory in proportion to MaxErrors, not to its
// size.
type Errors struct {
	list    []error
	dropped int
}

// Add records err.
func (e *Errors) Add(err error) {
	if len(e.list) < MaxErrors {
		e.list = append(e.list, err)
		return
	}
	e.dropped++
}

// Addf records fmt.Errorf(format, args...), formatting it only when it is
// going to be kept.
func (e *Errors) Addf(format string, args ...any) {
	if len(e.list) < MaxErrors {
		e.list = append(e.list, fmt.Errorf(format, args...))
		return
	}
	e.dropped++
}

// List returns the recorded problems, with a count of the dropped ones.
func (e *Errors) List() []error {
	if e.dropped > 0 {
		return append(e.list, fmt.Errorf("%w: %d", ErrTooManyErrors, e.dropped))
	}
	return e.list
}

// Lines reads r line by line without the trailing "\n" or "\r\n". The line
// slice is only valid during the call to fn. Lines
// over MaxLine are skipped and reported through fn's err argument with their
// line number; fn returning an error stops the reading.
func Lines(r io.Reader, fn func(lineNo int, line []byte, err error) error) error {
	br := bufio.NewReaderSize(r, 4<<10)
	n := 0
	for {
		line, err := readLine(br)
		n++
		if errors.Is(err, ErrLineTooLong) {
			if ferr := fn(n, nil, fmt.Errorf("line %d: %w", n, err)); ferr != nil {
				return ferr
			}
			continue
		}
		if err == io.EOF && len(line) == 0 {
			return nil
		}
		if err != nil && err != io.EOF {
			return err
		}
		if ferr := fn(n, line, nil); ferr != nil {
			return ferr
		}
		if err == io.EOF {
			return nil
		}
	}
}

// readLine returns the next line. A line over MaxLine is consumed to its
// end and reported as ErrLineTooLong.
func readLine(br *bufio.Reader) ([]byte, error) {
	var long []byte
	for {
		frag, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if len(long)+len(frag) > MaxLine {
				if derr := discardLine(br); derr != nil && derr != io.EOF {
					return nil, derr
				}
				return nil, ErrLineTooLong
			}
			long = append(long, frag...)
			continue
		}
		if long != nil {
			long = append(long, frag...)
			frag = long
			if len(frag) > MaxLine {
				return nil, ErrLineTooLong
			}
		}
		frag = trimEOL(frag)
		return frag, err
	}
}

func discardLine(br *bufio.Reader) error {
	for {
		_, err := br.ReadSlice('\n')
		if err != bufio.ErrBufferFull {
			return err
		}
	}
}

func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	return b
}

// Paragraph is one blank-line-separated record of a package database, as
// handed to the callback of Paragraphs.
type Paragraph struct {
	// Line is the number of the paragraph's first line.
	Line int
	// Lines holds the paragraph's lines with their numbers; the slices are
	// only valid during the callback.
	Lines []NumberedLine
}

// NumberedLine is one line of a paragraph.
type NumberedLine struct {
	N    int
	Text []byte
}

// Paragraphs reads r as records separated by blank (or whitespace-only)
// lines, the layout of dpkg's status and apk's installed database, and calls
// fn for each. Over-long lines are reported through bad and left out of
// their paragraph. The error is one from r.
func Paragraphs(r io.Reader, fn func(p *Paragraph), bad func(err error)) error {
	var (
		p    Paragraph
		buf  []byte // backing store of the paragraph's lines
		full bool   // the paragraph passed MaxParagraph
	)
	flush := func() {
		if len(p.Lines) > 0 {
			fn(&p)
		}
		p.Lines, buf, full = p.Lines[:0], buf[:0], false
	}
	err := Lines(r, func(n int, line []byte, lerr error) error {
		if lerr != nil {
			bad(lerr)
			return nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			flush()
			return nil
		}
		if len(p.Lines) == 0 {
			p.Line = n
		}
		if full {
			return nil
		}
		if len(buf)+len(line) > MaxParagraph {
			full = true
			bad(fmt.Errorf("line %d: %w (over %d bytes)", n, ErrParagraphTooLong, MaxParagraph))
			return nil
		}
		// Copy the line: Lines reuses its buffer. Earlier Text slices are
		// rebased if buf grows.
		start := len(buf)
		old := cap(buf)
		buf = append(buf, line...)
		if cap(buf) != old {
			off := 0
			for i := range p.Lines {
				l := len(p.Lines[i].Text)
				p.Lines[i].Text = buf[off : off+l]
				off += l
			}
		}
		p.Lines = append(p.Lines, NumberedLine{N: n, Text: buf[start:len(buf):len(buf)]})
		return nil
	})
	flush()
	return err
}
