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
// operator only when it is identical to the last one written to the page
// and everything written to the page since leaves the text font as it
// was: marked-content operators (BDC, BMC, EMC) and the text objects of
// Text with a UTF-8 font (BT Td Tj ET, in q/Q with a colour; no Tf, and
// the font is part of the graphics state, so it outlasts ET and Q
// restores it). Anything else written since makes the next selection
// write the operator, so the font a reader uses at every later operator
// is the one it used before.

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
		f.scratch = appendFontOp(f.scratch[:0], f.currentFont.i, f.fontSizePt) // fmtfast.go
		f.outBytes(f.scratch)
		*m = fontOpMark{page: f.page, end: buf.Len(), id: f.currentFont.i, size: f.fontSizePt}
		return
	}
	f.out(fontOp(f.currentFont.i, f.fontSizePt))
}

// setFontMemo is what the last SetFont call that selected a font was given
// and what it made of it: the family name escaped and lower-cased (or the
// current family for ""), the style upper-cased without U and S, the font
// key.
type setFontMemo struct {
	inFamily, inStyle string
	family, style     string
	key               string
	underline         bool
	strikeout         bool
}

// setFontAgain is SetFont for the arguments of the last SetFont call when
// the font that call selected is still the current one: the same
// selection without normalising the names again (a report generator
// selects the current font several times per text). It reports whether it
// did the work.
func (f *Fpdf) setFontAgain(familyStr, styleStr string, size float64) bool {
	m := &f.lastSetFont
	if m.key == "" || familyStr != m.inFamily || styleStr != m.inStyle ||
		f.fontFamily != m.family || f.fontStyle != m.style {
		return false
	}
	font, ok := f.fonts[m.key]
	if !ok {
		return false
	}
	if size == 0.0 {
		size = f.fontSizePt
	}
	f.underline = m.underline
	f.strikeout = m.strikeout
	f.fontSizePt = size
	f.fontSize = size / f.k
	f.currentFont = font
	f.isCurrentUTF8 = font.Tp == "UTF8"
	if f.page > 0 {
		f.putFontOp()
	}
	return true
}

// fontOpKept reports whether the page ends with the last font operator
// or only with what keepFontOp allowed after it; keepFontOp(true) after a
// write that leaves the text font alone moves the mark past that write.
func (f *Fpdf) fontOpKept() bool {
	m := &f.lastFontOp
	return f.state == 2 && m.page == f.page && m.end == f.pages[f.page].Len()
}

func (f *Fpdf) keepFontOp(kept bool) {
	if kept && f.state == 2 && f.lastFontOp.page == f.page {
		f.lastFontOp.end = f.pages[f.page].Len()
	}
}
