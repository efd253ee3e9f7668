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
	b := make([]byte, 0, 24+len(id))
	b = append(b, "BT /F"...)
	b = append(b, id...)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, size, 'f', 2, 64)
	b = append(b, " Tf ET"...)
	return string(b)
}
