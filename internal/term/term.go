// Package term keeps untrusted text safe to print on a terminal.
package term

import "strings"

// Clean replaces control characters (which could move the cursor, change
// colours or rewrite what was printed before) with spaces.
func Clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
}
