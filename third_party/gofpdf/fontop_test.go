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
	pdf.Text(10, 10, "a")
	pdf.SetFont("sans", "", 10)
	if n := ops(); n != 2 {
		t.Fatalf("after a text: %d operators, want 2", n)
	}
	pdf.SetFontSize(11)
	pdf.SetFont("sans", "B", 11)
	pdf.SetFontUnitSize(5)
	if n := ops(); n != 5 {
		t.Fatalf("size, style and unit size changes: %d operators, want 5", n)
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
