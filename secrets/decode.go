package secrets

import (
	"encoding/base64"
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
func (f *fileScan) decoded(data []byte, from, to, depth int) []match {
	var out []match
	b64class := &f.s.b64
	for i := from; i < to; {
		if b64class[data[i]] != 1 {
			i++
			continue
		}
		j := i
		for j < len(data) && b64class[data[j]] == 1 {
			j++
		}
		end := j
		for end < len(data) && end-j < 2 && data[end] == '=' {
			end++
		}
		if j-i >= minEncodedRun && j-i <= maxEncodedRun {
			if text := decodeText(data[i:j]); text != nil {
				for _, m := range f.scan(text, 0, len(text), depth+1) {
					m.start, m.end = i, end
					if m.decoded == "" {
						m.decoded = "base64"
					} else {
						m.decoded = "base64/" + m.decoded
					}
					out = append(out, m)
				}
			}
		}
		i = max(end, i+1)
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
