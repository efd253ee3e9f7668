package renderers

import (
	"math/rand"
	"strings"
	"testing"
	"unicode"
)

// The layout before words were measured in place (renderers/5 as first
// written): wrap and fitSize split the text with strings.FieldsFunc and
// built every candidate line as a new string. The current code must break
// and size every text the same, or documents change.

func (m *metrics) wrapReference(s string, size, max float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.FieldsFunc(para, func(r rune) bool { return r == ' ' || r == '\t' })
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		cur, curW := "", 0.0
		for _, w := range words {
			cand, candW := w, 0.0
			if cur != "" {
				cand, candW = cur+" "+w, m.addAdvances(curW, " ")
			}
			candW = m.addAdvances(candW, w)
			if m.mm(candW, size) <= max {
				cur, curW = cand, candW
				continue
			}
			if cur != "" {
				lines = append(lines, cur)
				cur = ""
			}
			for m.width(w, size) > max {
				head, tail := m.splitWord(w, size, max)
				lines = append(lines, head)
				w = tail
			}
			cur, curW = w, m.addAdvances(0, w)
		}
		lines = append(lines, cur)
	}
	return lines
}

func (m *metrics) fitSizeReference(s string, size, max float64, nowrap bool) float64 {
	breakable := func(w string) bool {
		for _, r := range w {
			if unicode.Is(unicode.Thai, r) {
				return true
			}
		}
		return false
	}
	widest := s
	if !nowrap {
		widest = ""
		var ww float64
		for _, w := range strings.FieldsFunc(s, isBreakSpace) {
			if breakable(w) {
				continue
			}
			if x := m.width(w, size); x > ww {
				widest, ww = w, x
			}
		}
	}
	for size > minSize && m.width(widest, size) > max {
		size -= 0.25
	}
	return size
}

// TestWrapAndFitSizeMatchReference: on random texts (runs of spaces and
// tabs, newlines, no-break spaces, long codes with and without
// separators, Vietnamese and Thai) and many widths and sizes, wrap and
// fitSize give exactly what the reference gives.
func TestWrapAndFitSizeMatchReference(t *testing.T) {
	r := testRenderer(t)
	rng := rand.New(rand.NewSource(11))
	pieces := []string{"a", "Dell", "Latitude", "7440", "SN-4F7K2-99X/12,7;8_Z", "WWWWWWWWWWWWWWWWWWWW",
		" ", " ", " ", "  ", "\t", "\n", "\u00a0", "Việt", "Nam", "ภาษาไทย", "สินค้า", "—", "·", "", "x"}
	checked := 0
	for trial := 0; trial < 4000; trial++ {
		var b strings.Builder
		for i := rng.Intn(14); i > 0; i-- {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		s := b.String()
		m := r.regular
		if trial%2 == 1 {
			m = r.bold
		}
		size := []float64{4.5, 5.5, 6.5, 7.5, 8.5, 13}[rng.Intn(6)]
		max := 2 + rng.Float64()*60
		nowrap := rng.Intn(4) == 0
		if got, want := m.fitSize(s, size, max, nowrap), m.fitSizeReference(s, size, max, nowrap); got != want {
			t.Fatalf("fitSize(%q, %v, %v, %v) = %v, reference %v", s, size, max, nowrap, got, want)
		}
		got, want := m.wrap(s, size, max), m.wrapReference(s, size, max)
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") || len(got) != len(want) {
			t.Fatalf("wrap(%q, %v, %v) = %q, reference %q", s, size, max, got, want)
		}
		checked++
	}
	if checked < 4000 {
		t.Fatal("not every case checked")
	}
}
