// Package pdftext encodes PDF strings (ISO 32000-1, 7.3.4 and 7.9.2): the one
// place the renderers' finishing pass and the PAdES signer write text into a
// PDF's dictionaries.
package pdftext

import (
	"strconv"
	"strings"
	"unicode/utf16"
)

// Literal is s as a PDF literal string: ( ) and \ escaped, bytes outside
// printable ASCII as octal escapes.
func Literal(s string) string {
	var b strings.Builder
	b.WriteByte('(')
	for _, c := range []byte(s) {
		switch {
		case c == '(' || c == ')' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c > 0x7e:
			b.WriteByte('\\')
			o := strconv.FormatUint(uint64(c), 8)
			b.WriteString(strings.Repeat("0", 3-len(o)) + o)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(')')
	return b.String()
}

// Text is s as a PDF text string: a literal when s is printable ASCII, else
// UTF-16BE with a byte-order mark, as a hex string.
func Text(s string) string {
	for _, c := range s {
		if c < 0x20 || c > 0x7e {
			var b strings.Builder
			b.WriteString("<FEFF")
			for _, u := range utf16.Encode([]rune(s)) {
				h := strings.ToUpper(strconv.FormatUint(uint64(u), 16))
				b.WriteString(strings.Repeat("0", 4-len(h)) + h)
			}
			b.WriteByte('>')
			return b.String()
		}
	}
	return Literal(s)
}
