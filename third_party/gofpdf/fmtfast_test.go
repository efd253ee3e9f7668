package gofpdf

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

var fmtFloats = []float64{0, -0.0, 1, -1, 0.5, 0.125, 0.0049999, 0.005, 0.995, 1.005, 2.675, 123.456789,
	-98.7654, 1e-9, 1e9, 841.89, 595.28, 1.0 / 3, 2.0 / 3, 255.0 / 255, 128.0 / 255, 77.0 / 255,
	math.MaxFloat64, math.SmallestNonzeroFloat64, math.Inf(1), math.Inf(-1), math.NaN()}

// TestTextOpMatchesSprintf: textOp writes what upstream's Sprintf did.
func TestTextOpMatchesSprintf(t *testing.T) {
	for _, x := range fmtFloats {
		for _, y := range fmtFloats {
			for _, txt := range []string{"", "Invoice", "\\x00\\x41\\(\\)"} {
				want := fmt.Sprintf("BT %.2f %.2f Td (%s) Tj ET", x, y, txt)
				if got := textOp(x, y, txt); got != want {
					t.Fatalf("textOp(%v, %v, %q) = %q, want %q", x, y, txt, got, want)
				}
			}
		}
	}
}

// TestColorStringMatchesSprintf: rgbColorValue's strings are upstream's,
// grey and colour, with and without operators, for every component value.
func TestColorStringMatchesSprintf(t *testing.T) {
	for _, ops := range [][2]string{{"g", "rg"}, {"G", "RG"}, {"", ""}} {
		for c := -1; c <= 256; c++ {
			for _, rgb := range [][3]int{{c, c, c}, {c, 0, 255}, {255, c, 17}} {
				clr := rgbColorValue(rgb[0], rgb[1], rgb[2], ops[0], ops[1])
				var want string
				switch {
				case len(ops[0]) > 0 && clr.gray:
					want = fmt.Sprintf("%.3f %s", clr.r, ops[0])
				case len(ops[0]) > 0:
					want = fmt.Sprintf("%.3f %.3f %.3f %s", clr.r, clr.g, clr.b, ops[1])
				default:
					want = fmt.Sprintf("%.3f %.3f %.3f", clr.r, clr.g, clr.b)
				}
				if clr.str != want {
					t.Fatalf("rgbColorValue(%v, %q, %q) = %q, want %q", rgb, ops[0], ops[1], clr.str, want)
				}
			}
		}
	}
}

// TestFontOpMatchesSprintf: fontOp writes what SetFont's Sprintf did.
func TestFontOpMatchesSprintf(t *testing.T) {
	for _, size := range fmtFloats {
		for _, id := range []string{"", "1", "0fd8b3a1c2"} {
			if got, want := fontOp(id, size), fmt.Sprintf("BT /F%s %.2f Tf ET", id, size); got != want {
				t.Fatalf("fontOp(%q, %v) = %q, want %q", id, size, got, want)
			}
		}
	}
}

// TestCellOpsMatchSprintf: CellFormat's rectangle and border operators and
// the cross-reference entries are upstream's Sprintf output.
func TestCellOpsMatchSprintf(t *testing.T) {
	for i, x := range fmtFloats {
		y := fmtFloats[(i+3)%len(fmtFloats)]
		w := fmtFloats[(i+7)%len(fmtFloats)]
		h := fmtFloats[(i+11)%len(fmtFloats)]
		for _, op := range []string{"f", "B", "S"} {
			want := fmt.Sprintf("%.2f %.2f %.2f %.2f re %s ", x, y, w, -h, op)
			if got := string(rectOp(nil, x, y, w, -h, op)); got != want {
				t.Fatalf("rectOp = %q, want %q", got, want)
			}
		}
		want := fmt.Sprintf("%.2f %.2f m %.2f %.2f l S ", x, y, w, h)
		if got := string(lineOp([]byte("old"), x, y, w, h)[3:]); got != want {
			t.Fatalf("lineOp = %q, want %q", got, want)
		}
	}
	for _, off := range []int{0, 1, 9, 10, 15, 123456789, 999999999, 1000000000, 12345678901} {
		want := fmt.Sprintf("%010d 00000 n ", off)
		if got := string(appendXrefEntry(nil, off)); got != want {
			t.Fatalf("appendXrefEntry(%d) = %q, want %q", off, got, want)
		}
	}
}

// TestUTF16EscapedMatchesUpstream: the text of a UTF-8 Text operator is
// upstream's f.escape(utf8toutf16(s, false)), including characters whose
// UTF-16 bytes are a backslash, a parenthesis or a carriage return.
func TestUTF16EscapedMatchesUpstream(t *testing.T) {
	f := &Fpdf{}
	texts := []string{"", "Invoice (draft) \\ 100%\r\n", "Hóa đơn thương mại", "ใบกำกับสินค้า",
		"\u0028\u2829\u5c0d\u0d5c\u285c\u0029", "€ – — · “” ‘’ …"}
	for r := rune(1); r < 0x10000; r += 7 {
		if r < 0xD800 || r > 0xDFFF {
			texts = append(texts, string(r)+"x"+string(r+1))
		}
	}
	for _, s := range texts {
		want := f.escape(utf8toutf16(s, false))
		if got := string(appendUTF16Escaped([]byte("keep"), s)[4:]); got != want {
			t.Fatalf("%q: got %q, want %q", s, got, want)
		}
	}
}

// TestTextUTF8MatchesUpstream: Text with a UTF-8 font writes what
// upstream's Text wrote, with and without a text colour, and records the
// runes it used.
func TestTextUTF8MatchesUpstream(t *testing.T) {
	for _, colour := range []bool{false, true} {
		pdf := New("P", "mm", "A4", "")
		pdf.AddUTF8FontFromBytes("sans", "", readFont(t, "NotoSansLatinThai-Regular.ttf"))
		pdf.AddPage()
		pdf.SetFont("sans", "", 10)
		if colour {
			pdf.SetTextColor(90, 90, 90)
		}
		text := "Hóa đơn (bản sao) \\ ใบกำกับ €"
		pdf.Text(12.5, 33.25, text)
		want := fmt.Sprintf("BT %.2f %.2f Td (%s) Tj ET", 12.5*pdf.k, (pdf.h-33.25)*pdf.k, pdf.escape(utf8toutf16(text, false)))
		if colour {
			want = "q " + pdf.color.text.str + " " + want + " Q"
		}
		if page := pdf.pages[pdf.page].String(); !strings.HasSuffix(page, "\n"+want+"\n") {
			t.Fatalf("colour %v: page ends %q, want %q", colour, page[len(page)-len(want)-1:], want)
		}
		for _, r := range text {
			if pdf.currentFont.usedRunes[int(r)] != int(r) {
				t.Fatalf("rune %q not recorded as used", r)
			}
		}
	}
}

// TestRGBColorAgainMatches: a colour set again is the colour
// rgbColorValue makes, whatever colour (RGB or spot) was set before it.
func TestRGBColorAgainMatches(t *testing.T) {
	comps := []int{-5, 0, 1, 90, 128, 254, 255, 300}
	spot := colorType{mode: colorModeSpot, spotStr: "x", ir: 90, ig: 90, ib: 90, str: "/CS1 cs 0.500 scn"}
	for _, ops := range [][2]string{{"g", "rg"}, {"G", "RG"}} {
		prevs := []colorType{{}, spot}
		for _, r := range comps {
			for _, g := range comps {
				for _, b := range comps {
					prevs = append(prevs, rgbColorValue(r, g, b, ops[0], ops[1]))
				}
			}
		}
		for i, prev := range prevs {
			r, g, b := comps[i%len(comps)], comps[(i/3)%len(comps)], comps[(i/7)%len(comps)]
			for _, c := range [][3]int{{r, g, b}, {prev.ir, prev.ig, prev.ib}} {
				want := rgbColorValue(c[0], c[1], c[2], ops[0], ops[1])
				if got := rgbColorAgain(prev, c[0], c[1], c[2], ops[0], ops[1]); got != want {
					t.Fatalf("after %+v, colour %v: %+v, want %+v", prev, c, got, want)
				}
			}
		}
	}
}
