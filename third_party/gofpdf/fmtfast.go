package gofpdf

import "strconv"

// Content-stream operators written with strconv instead of fmt.Sprintf, for
// the calls made once per line of text or colour change. strconv's 'f'
// format with a precision is what fmt's %.Nf prints, so the bytes are the
// same (fmtfast_test.go compares them); fmt's cost was the reflection and
// the interface boxing of every argument.

// colorString is rgbColorValue's operator string: "%.3f %s" for grey,
// "%.3f %.3f %.3f %s" otherwise, or the three components alone when
// grayStr is empty.
func colorString(clr colorType, grayStr, fullStr string) string {
	b := make([]byte, 0, 32)
	if len(grayStr) > 0 && clr.gray {
		b = strconv.AppendFloat(b, clr.r, 'f', 3, 64)
		b = append(b, ' ')
		b = append(b, grayStr...)
		return string(b)
	}
	b = strconv.AppendFloat(b, clr.r, 'f', 3, 64)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, clr.g, 'f', 3, 64)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, clr.b, 'f', 3, 64)
	if len(grayStr) > 0 {
		b = append(b, ' ')
		b = append(b, fullStr...)
	}
	return string(b)
}

// textOp is "BT %.2f %.2f Td (%s) Tj ET".
func textOp(x, y float64, txt string) string {
	b := make([]byte, 0, 32+len(txt))
	b = append(b, "BT "...)
	b = strconv.AppendFloat(b, x, 'f', 2, 64)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, y, 'f', 2, 64)
	b = append(b, " Td ("...)
	b = append(b, txt...)
	b = append(b, ") Tj ET"...)
	return string(b)
}

// fontOp is SetFont's "BT /F%s %.2f Tf ET".
func fontOp(id string, size float64) string {
	return string(appendFontOp(make([]byte, 0, 24+len(id)), id, size))
}

// appendFontOp appends fontOp(id, size).
func appendFontOp(b []byte, id string, size float64) []byte {
	b = append(b, "BT /F"...)
	b = append(b, id...)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, size, 'f', 2, 64)
	return append(b, " Tf ET"...)
}

// rgbColorAgain is rgbColorValue(r, g, b, grayStr, fullStr) that reuses
// prev's operator string when prev is the same RGB colour made with the
// same operators (the colour a setter is given again: maroto sets the text
// colour before every text). The string is a function of the components,
// so it is the one colorString would build.
func rgbColorAgain(prev colorType, r, g, b int, grayStr, fullStr string) (clr colorType) {
	clr.ir, clr.r = colorComp(r)
	clr.ig, clr.g = colorComp(g)
	clr.ib, clr.b = colorComp(b)
	clr.mode = colorModeRGB
	clr.gray = clr.ir == clr.ig && clr.r == clr.b
	if prev.mode == colorModeRGB && prev.str != "" && prev.spotStr == "" &&
		prev.ir == clr.ir && prev.ig == clr.ig && prev.ib == clr.ib {
		clr.str = prev.str
	} else {
		clr.str = colorString(clr, grayStr, fullStr)
	}
	return clr
}

// rectOp appends CellFormat's "%.2f %.2f %.2f %.2f re %s ".
func rectOp(b []byte, x, y, w, h float64, op string) []byte {
	for _, v := range [4]float64{x, y, w, h} {
		b = strconv.AppendFloat(b, v, 'f', 2, 64)
		b = append(b, ' ')
	}
	b = append(b, "re "...)
	b = append(b, op...)
	return append(b, ' ')
}

// lineOp appends CellFormat's border line "%.2f %.2f m %.2f %.2f l S ".
func lineOp(b []byte, x1, y1, x2, y2 float64) []byte {
	b = strconv.AppendFloat(b, x1, 'f', 2, 64)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, y1, 'f', 2, 64)
	b = append(b, " m "...)
	b = strconv.AppendFloat(b, x2, 'f', 2, 64)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, y2, 'f', 2, 64)
	return append(b, " l S "...)
}

// appendXrefEntry appends the cross-reference entry "%010d 00000 n " of an
// object at byte offset off.
func appendXrefEntry(b []byte, off int) []byte {
	var digits [20]byte
	d := strconv.AppendInt(digits[:0], int64(off), 10)
	for i := len(d); i < 10; i++ {
		b = append(b, '0')
	}
	b = append(b, d...)
	return append(b, " 00000 n "...)
}

// textUTF8 is Text for a UTF-8 font without right-to-left, underline or
// strike-out: the same operator ("q <colour> " and " Q" around it when the
// text colour differs from the fill colour), built in the scratch buffer
// in one pass instead of through utf8toutf16, four strings.Replace calls,
// a []rune copy of the text and string concatenations.
func (f *Fpdf) textUTF8(x, y float64, txtStr string) {
	b := f.scratch[:0]
	if f.colorFlag {
		b = append(b, "q "...)
		b = append(b, f.color.text.str...)
		b = append(b, ' ')
	}
	b = append(b, "BT "...)
	b = strconv.AppendFloat(b, x*f.k, 'f', 2, 64)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, (f.h-y)*f.k, 'f', 2, 64)
	b = append(b, " Td ("...)
	b = appendUTF16Escaped(b, txtStr)
	b = append(b, ") Tj ET"...)
	if f.colorFlag {
		b = append(b, " Q"...)
	}
	f.currentFont.useRunes(txtStr) // runebits.go
	mark := f.fontOpKept()
	f.outBytes(b)
	f.keepFontOp(mark) // fontop.go: a text object leaves the font as it was
	f.scratch = b
}

// appendUTF16Escaped appends f.escape(utf8toutf16(s, false)): s in
// UTF-16BE as utf8toutf16 converts it (one to three UTF-8 bytes per
// character), with backslash, parentheses and carriage return escaped for
// a PDF literal string.
func appendUTF16Escaped(b []byte, s string) []byte {
	put := func(c byte) {
		switch c {
		case '\\', '(', ')':
			b = append(b, '\\', c)
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, c)
		}
	}
	nb := len(s)
	i := 0
	for i < nb {
		c1 := s[i]
		i++
		switch {
		case c1 >= 224:
			c2 := s[i]
			i++
			c3 := s[i]
			i++
			put(((c1 & 0x0F) << 4) + ((c2 & 0x3C) >> 2))
			put(((c2 & 0x03) << 6) + (c3 & 0x3F))
		case c1 >= 192:
			c2 := s[i]
			i++
			put((c1 & 0x1C) >> 2)
			put(((c1 & 0x03) << 6) + (c2 & 0x3F))
		default:
			put(0)
			put(c1)
		}
	}
	return b
}
