package secrets

import (
	"encoding/base64"
	"encoding/binary"
)

// minEncodedRun is the shortest base64 run worth decoding: 24 bytes of
// content, shorter than any token worth finding inside one.
const minEncodedRun = 32

// maxEncodedRun bounds one decoded run.
const maxEncodedRun = 4 << 20

// base64Table marks bytes of the standard and URL-safe base64 alphabets
// (1), and padding (2).
func base64Table() (t [256]uint8) {
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = 1
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = 1
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = 1
	}
	t['+'], t['/'], t['-'], t['_'] = 1, 1, 1, 1
	t['='] = 2
	return t
}

// decoded finds base64 runs starting in [from, to), decodes those that
// hold text, scans the text one level deeper, and reports what it finds at
// the run's place.
//
// A run of minEncodedRun bytes covers at least three aligned 8-byte words
// whose bytes all lie between '+' and 'z'; words are tested eight bytes at
// a time, and only where three in a row pass is the run measured byte by
// byte. Ordinary text, with a space or a line break every few bytes,
// rarely gets that far.
func (f *fileScan) decoded(data []byte, from, to, depth int) []match {
	var out []match
	b64class := &f.s.b64
	const lo, hi = 0x2b * 0x0101010101010101, (0x7f - 0x7a) * 0x0101010101010101
	const high = 0x8080808080808080
	streak := 0
	// Runs must start before to; the last one that does is seen by the
	// time its third word passes.
	for w := from &^ 7; w+8 <= len(data) && w < to+minEncodedRun+16; w += 8 {
		x := binary.LittleEndian.Uint64(data[w:])
		if ((x-lo)&^x|((x+hi)|x))&high != 0 {
			streak = 0
			continue
		}
		if streak++; streak < 3 {
			continue
		}
		// Three words in a row pass: a run of minEncodedRun bytes covers
		// three aligned words, so if one exists here it holds the last
		// byte of this word. Measure it exactly.
		streak = 2
		p := w + 7
		if b64class[data[p]] != 1 {
			continue
		}
		i := p
		for i > 0 && b64class[data[i-1]] == 1 {
			i--
		}
		j := p + 1
		for j < len(data) && b64class[data[j]] == 1 {
			j++
		}
		if i < from || i >= to || j-i < minEncodedRun {
			if j-i >= minEncodedRun {
				w = j &^ 7 // not this chunk's: skip it
			}
			continue
		}
		streak = 0
		end := j
		for end < len(data) && end-j < 2 && data[end] == '=' {
			end++
		}
		if j-i >= minEncodedRun && j-i <= maxEncodedRun {
			if text := decodeText(data[i:j]); text != nil {
				for _, m := range f.scan(text, 0, len(text), depth+1) {
					m.start, m.end, m.sstart, m.send = i, end, i, end
					if m.decoded == "" {
						m.decoded = "base64"
					} else {
						m.decoded = "base64/" + m.decoded
					}
					out = append(out, m)
				}
			}
		}
		w = (end &^ 7) // continue after the run (the loop adds 8)
	}
	return out
}

// decodeText decodes a base64 run and returns it when it is mostly
// printable text.
func decodeText(run []byte) []byte {
	enc := base64.RawStdEncoding
	for _, c := range run {
		if c == '-' || c == '_' {
			enc = base64.RawURLEncoding
			break
		}
	}
	// Runs whose length is 1 mod 4 cannot be base64; drop the last byte,
	// which is likely a word boundary glued to the run.
	if len(run)%4 == 1 {
		run = run[:len(run)-1]
	}
	buf := make([]byte, enc.DecodedLen(len(run)))
	n, err := enc.Decode(buf, run)
	if err != nil || n < 8 {
		return nil
	}
	buf = buf[:n]
	printable := 0
	for _, c := range buf {
		if c >= 0x20 && c < 0x7f || c == '\n' || c == '\r' || c == '\t' {
			printable++
		}
	}
	if printable*10 < n*9 {
		return nil
	}
	return buf
}
