package gofpdf

// Writing the font selection operator once where a caller selects the same
// font several times in a row.
//
// SetFont, SetFontSize and SetFontUnitSize write "BT /F<id> <size> Tf ET"
// to the page every time they are called. A report generator that sets the
// font, style and size of every text through separate calls (maroto v2
// selects the font three times before each text) writes the same operator
// two or three times in a row; each repeat is a no-op for a reader but
// costs page bytes, compression and memory. putFontOp leaves out an
// operator only when it is identical to the one just written and nothing
// else has been written to the page since, so the graphics state a reader
// sees at every later operator is unchanged.

// fontOpMark records the last font operator written to a page.
type fontOpMark struct {
	page int     // page it was written to; 0: none
	end  int     // length of that page's buffer right after it
	id   string  // font id
	size float64 // size in points
}

// putFontOp writes the current font's selection operator to the page
// unless the page ends with the same operator.
func (f *Fpdf) putFontOp() {
	m := &f.lastFontOp
	if f.state == 2 {
		buf := f.pages[f.page]
		if m.page == f.page && m.end == buf.Len() && m.id == f.currentFont.i && m.size == f.fontSizePt {
			return
		}
		f.out(fontOp(f.currentFont.i, f.fontSizePt)) // fmtfast.go
		*m = fontOpMark{page: f.page, end: buf.Len(), id: f.currentFont.i, size: f.fontSizePt}
		return
	}
	f.out(fontOp(f.currentFont.i, f.fontSizePt))
}
