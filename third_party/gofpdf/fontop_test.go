package gofpdf

import (
	"strings"
	"testing"
)

// TestFontOpNotRepeated: selecting the same font again right after it was
// selected writes nothing; selecting it after other content, or another
// size or font, writes the operator.
func TestFontOpNotRepeated(t *testing.T) {
	pdf := New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("sans", "", readFont(t, "NotoSansLatinThai-Regular.ttf"))
	pdf.AddUTF8FontFromBytes("sans", "B", readFont(t, "NotoSansLatinThai-Bold.ttf"))
	pdf.AddPage()
	page := func() string { return pdf.pages[pdf.page].String() }
	ops := func() int { return strings.Count(page(), " Tf ET\n") }

	pdf.SetFont("sans", "", 10)
	pdf.SetFont("sans", "", 10)
	pdf.SetFontStyle("")
	pdf.SetFontSize(10)
	if n := ops(); n != 1 {
		t.Fatalf("the same font selected 4 times in a row: %d operators, want 1\n%s", n, page())
	}
	// Texts, in colour or not, and marked content leave the font as it
	// was.
	p := pdf.StructRoot().Add("P")
	pdf.BeginMarkedContent(p)
	pdf.Text(10, 10, "a")
	pdf.EndMarkedContent()
	pdf.SetFont("sans", "", 10)
	pdf.SetTextColor(90, 90, 90)
	pdf.BeginArtifact()
	pdf.Text(10, 20, "b")
	pdf.EndMarkedContent()
	pdf.SetFontSize(10)
	if n := ops(); n != 1 {
		t.Fatalf("after texts and marked content: %d operators, want 1\n%s", n, page())
	}
	// Anything else in between: written again.
	pdf.Line(10, 10, 20, 20)
	pdf.SetFont("sans", "", 10)
	if n := ops(); n != 2 {
		t.Fatalf("after a line: %d operators, want 2\n%s", n, page())
	}
	pdf.TransformBegin()
	pdf.SetFont("sans", "", 10)
	pdf.TransformEnd()
	pdf.Text(10, 30, "c")
	pdf.SetFont("sans", "", 10)
	if n := ops(); n != 4 {
		t.Fatalf("after q Tf Q: %d operators, want 4\n%s", n, page())
	}
	pdf.SetFont("sans", "U", 10) // the same operator: underlining is not in it
	pdf.Text(10, 40, "d")        // underlined: upstream's Text, which draws the line
	pdf.SetFont("sans", "U", 10)
	if n := ops(); n != 5 {
		t.Fatalf("after an underlined text: %d operators, want 5\n%s", n, page())
	}
	pdf.SetFont("sans", "", 10)
	pdf.SetFontSize(11)
	pdf.SetFont("sans", "B", 11)
	pdf.SetFontUnitSize(5)
	if n := ops(); n != 8 {
		t.Fatalf("size, style and unit size changes: %d operators, want 8", n)
	}

	// Another page: AddPage selects the current font on it although the
	// previous page ended with the same operator.
	pdf.AddPage()
	n := ops()
	if n == 0 {
		t.Fatalf("new page: no font operator\n%s", page())
	}
	pdf.SetFontUnitSize(5)
	if m := ops(); m != n {
		t.Fatalf("the font AddPage selected, again: %d operators, want %d", m, n)
	}
	if pdf.Err() {
		t.Fatal(pdf.Error())
	}
}

// TestSetFontAgainSameState: selecting a font again through setFontAgain
// leaves the document in the state the full SetFont leaves it in, and
// writes the same page, for a sequence of selections that repeats,
// changes family, style (with underline and strike-out), size and uses
// the "" family.
func TestSetFontAgainSameState(t *testing.T) {
	regular := readFont(t, "NotoSansLatinThai-Regular.ttf")
	bold := readFont(t, "NotoSansLatinThai-Bold.ttf")
	calls := []struct {
		family, style string
		size          float64
	}{
		{"sans", "", 10}, {"sans", "", 10}, {"sans", "", 0}, {"Sans", "B", 12}, {"Sans", "B", 12},
		{"", "B", 9}, {"", "B", 9}, {"sans", "U", 9}, {"sans", "U", 9}, {"sans", "BS", 8}, {"sans", "BS", 8},
		{"Arial", "", 7}, {"Arial", "", 7}, {"sans", "", 7}, {"Arial", "", 7},
	}
	type state struct {
		family, style, id   string
		sizePt, size        float64
		underline, strikout bool
		utf8                bool
	}
	run := func(memo bool) ([]state, string) {
		pdf := New("P", "mm", "A4", "")
		pdf.AddUTF8FontFromBytes("sans", "", regular)
		pdf.AddUTF8FontFromBytes("sans", "B", bold)
		pdf.AddPage()
		var got []state
		for _, c := range calls {
			if !memo {
				pdf.lastSetFont = setFontMemo{}
			}
			pdf.SetFont(c.family, c.style, c.size)
			pdf.Text(10, 10, "x")
			got = append(got, state{pdf.fontFamily, pdf.fontStyle, pdf.currentFont.i, pdf.fontSizePt, pdf.fontSize,
				pdf.underline, pdf.strikeout, pdf.isCurrentUTF8})
		}
		if pdf.Err() {
			t.Fatal(pdf.Error())
		}
		return got, pdf.pages[pdf.page].String()
	}
	fast, fastPage := run(true)
	full, fullPage := run(false)
	for i := range calls {
		if fast[i] != full[i] {
			t.Fatalf("call %d %+v: state %+v, want %+v", i, calls[i], fast[i], full[i])
		}
	}
	if fastPage != fullPage {
		t.Fatalf("pages differ:\n%s\nwant\n%s", fastPage, fullPage)
	}
}
