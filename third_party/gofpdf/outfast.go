package gofpdf

import "strconv"

// Writing object headers, streams and the structure tree without fmt and
// without copying.
//
// newobj wrote "%d 0 obj" with fmt.Sprintf for every object, putstream
// converted every stream (fonts, images, page contents) to a string before
// writing it, and the structure tree (structure.go) was written with
// fmt.Fprintf, several calls per element. They now append to a scratch
// buffer kept in the Fpdf (strconv writes integers as %d does) and write
// bytes; the output is byte for byte the same.

// outBytes is out for a byte slice: b and a newline, to the current page
// while a page is open, else to the document.
func (f *Fpdf) outBytes(b []byte) {
	if f.state == 2 {
		f.pages[f.page].Write(b)
		f.pages[f.page].WriteByte('\n')
	} else {
		f.buffer.Write(b)
		f.buffer.WriteByte('\n')
	}
}

// appendRef appends the indirect reference "n 0 R".
func appendRef(b []byte, n int) []byte {
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, " 0 R"...)
}
