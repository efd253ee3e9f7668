package gofpdf

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// The fork's tests use the fonts clearpack ships (this module lives in its
// tree; upstream's test fonts are not copied).
func readFont(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "templates", "fonts", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// render makes a two-font document with the text given; catalog sort and
// fixed dates make its bytes a function of its input.
func render(t testing.TB, regular, bold []byte, text string) []byte {
	t.Helper()
	pdf := New("P", "mm", "A4", "")
	pdf.SetCatalogSort(true)
	date := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	pdf.AddUTF8FontFromBytes("sans", "", regular)
	pdf.AddUTF8FontFromBytes("sans", "B", bold)
	pdf.AddPage()
	pdf.SetFont("sans", "", 10)
	pdf.Cell(40, 10, text)
	pdf.SetFont("sans", "B", 12)
	pdf.Cell(40, 10, text+" (bold)")
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestUTF8FontParsedOnce: adding the same font bytes again, even from
// another slice, reuses one parse; a different font gets its own.
func TestUTF8FontParsedOnce(t *testing.T) {
	regular := readFont(t, "NotoSansLatinThai-Regular.ttf")
	bold := readFont(t, "NotoSansLatinThai-Bold.ttf")
	a := parsedUTF8FontFor(regular)
	b := parsedUTF8FontFor(append([]byte(nil), regular...))
	if a != b {
		t.Error("the same font bytes were parsed twice")
	}
	if c := parsedUTF8FontFor(bold); c == a {
		t.Error("two different fonts share one parse")
	}
	if a.err != nil {
		t.Fatal(a.err)
	}
	// Each document's file has its own reader and subset state.
	f1, f2 := a.newFile(), a.newFile()
	if f1.fileReader == f2.fileReader {
		t.Error("two documents share one font reader")
	}
}

// TestUTF8FontCacheMatchesUpstream: the shared parse gives the same
// metrics, font id and subset font as upstream's per-document parse.
func TestUTF8FontCacheMatchesUpstream(t *testing.T) {
	for _, name := range []string{"NotoSansLatinThai-Regular.ttf", "NotoSansLatinThai-Bold.ttf"} {
		t.Run(name, func(t *testing.T) {
			data := readFont(t, name)
			up := newUTF8Font(&fileReader{array: data})
			if err := up.parseFile(); err != nil {
				t.Fatal(err)
			}
			cached := parsedUTF8FontFor(data).newFile()
			if up.Ascent != cached.Ascent || up.Descent != cached.Descent || up.CapHeight != cached.CapHeight ||
				up.Bbox != cached.Bbox || up.DefaultWidth != cached.DefaultWidth || !equalInts(up.CharWidths, cached.CharWidths) {
				t.Error("cached metrics differ from a fresh parse")
			}
			def := fontDefType{Tp: "UTF8", Name: "fontcache-test", // a name no other test adds: ids are cached per name
				Cw: up.CharWidths, Desc: FontDescType{Ascent: up.Ascent}}
			want, _ := generateFontID(def)
			for i := 0; i < 2; i++ { // computed, then cached
				got, err := parsedUTF8FontFor(data).fontID(def)
				if err != nil || got != want {
					t.Errorf("font id %q, %v; want %q", got, err, want)
				}
			}
			for _, text := range []string{"Invoice 42", "Hóa đơn thương mại — Factura ใบกำกับสินค้า", ""} {
				runes := map[int]int{}
				for _, r := range text {
					runes[int(r)] = int(r)
				}
				upRunes, cachedRunes := copyRunes(runes), copyRunes(runes)
				want := newUTF8Font(&fileReader{array: data})
				if err := want.parseFile(); err != nil {
					t.Fatal(err)
				}
				wantCut := want.GenerateCutFont(upRunes)
				for i := 0; i < 2; i++ {
					f := parsedUTF8FontFor(data).newFile()
					gotCut := f.GenerateCutFont(copyRunes(cachedRunes))
					if !bytes.Equal(gotCut, wantCut) {
						t.Fatalf("subset of %q differs from upstream's (%d vs %d bytes)", text, len(gotCut), len(wantCut))
					}
					if f.LastRune != want.LastRune || len(f.CodeSymbolDictionary) != len(want.CodeSymbolDictionary) {
						t.Errorf("subset of %q: last rune %d, %d codes; upstream %d, %d", text,
							f.LastRune, len(f.CodeSymbolDictionary), want.LastRune, len(want.CodeSymbolDictionary))
					}
				}
			}
		})
	}
}

// TestUTF8FontDocumentsIndependent: documents rendered one after the other
// and concurrently from one font are byte-identical to each other and do
// not see each other's text: a document's subset holds only its runes.
func TestUTF8FontDocumentsIndependent(t *testing.T) {
	regular := readFont(t, "NotoSansLatinThai-Regular.ttf")
	bold := readFont(t, "NotoSansLatinThai-Bold.ttf")
	texts := []string{"Invoice 42", "Hóa đơn thương mại", "ใบกำกับสินค้า", "Factura comercial Nº 7"}
	want := make([][]byte, len(texts))
	for i, s := range texts {
		want[i] = render(t, regular, bold, s)
	}
	for i, s := range texts {
		if got := render(t, regular, bold, s); !bytes.Equal(got, want[i]) {
			t.Errorf("document %q differs when rendered again", s)
		}
	}
	if bytes.Equal(want[0], want[1]) {
		t.Fatal("documents with different text are identical")
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4*len(texts))
	for g := 0; g < 4; g++ {
		for i, s := range texts {
			wg.Add(1)
			go func(i int, s string) {
				defer wg.Done()
				if got := render(t, regular, bold, s); !bytes.Equal(got, want[i]) {
					errs <- s
				}
			}(i, s)
		}
	}
	wg.Wait()
	close(errs)
	for s := range errs {
		t.Errorf("document %q differs when rendered concurrently", s)
	}
}

// TestUTF8FontCallerBytesNotKept: the cache keeps its own copy, so a caller
// that reuses its buffer for another font does not change later documents.
func TestUTF8FontCallerBytesNotKept(t *testing.T) {
	regular := readFont(t, "NotoSansLatinThai-Regular.ttf")
	bold := readFont(t, "NotoSansLatinThai-Bold.ttf")
	want := render(t, regular, bold, "Invoice 42")
	buf := append([]byte(nil), regular...)
	_ = render(t, buf, bold, "Invoice 42")
	for i := range buf {
		buf[i] = 0
	}
	if got := render(t, regular, bold, "Invoice 42"); !bytes.Equal(got, want) {
		t.Error("overwriting a font buffer after use changed a later document")
	}
}

func copyRunes(m map[int]int) map[int]int {
	c := make(map[int]int, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
