package renderers

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// ptToMM converts a font size in points to millimetres.
const ptToMM = 25.4 / 72

// metrics holds the advance widths of one font, in 1/1000 em, read once in
// New and never written again, so goroutines share it freely. gofpdf measures
// text with the same hmtx advances (no kerning, no shaping), so a line this
// package wraps is exactly as wide as gofpdf draws it.
type metrics struct {
	low     []float64 // advance of runes below len(low); -1: not in the font
	widths  map[rune]float64
	missing float64
}

const lowRunes = 0x2200

// advance returns the advance of r and whether the font has it.
func (m *metrics) advance(r rune) (float64, bool) {
	if r >= 0 && int(r) < len(m.low) {
		if a := m.low[r]; a >= 0 {
			return a, true
		}
		return m.missing, false
	}
	if a, ok := m.widths[r]; ok {
		return a, true
	}
	return m.missing, false
}

func newMetrics(ttf []byte) (*metrics, error) {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("parsing font: %w", err)
	}
	var buf sfnt.Buffer
	upem := fixed.Int26_6(f.UnitsPerEm())
	m := &metrics{widths: make(map[rune]float64, 64), low: make([]float64, lowRunes)}
	for i := range m.low {
		m.low[i] = -1
	}
	adv := func(gi sfnt.GlyphIndex) (float64, error) {
		a, err := f.GlyphAdvance(&buf, gi, upem<<6, 0)
		if err != nil {
			return 0, err
		}
		return float64(a) / 64 * 1000 / float64(upem), nil
	}
	if m.missing, err = adv(0); err != nil {
		return nil, fmt.Errorf("reading advance of .notdef: %w", err)
	}
	for r := rune(0x20); r <= 0xFFFD; r++ {
		gi, err := f.GlyphIndex(&buf, r)
		if err != nil || gi == 0 {
			continue
		}
		w, err := adv(gi)
		if err != nil {
			return nil, fmt.Errorf("reading advance of %U: %w", r, err)
		}
		if r < lowRunes {
			m.low[r] = w
		} else {
			m.widths[r] = w
		}
	}
	return m, nil
}

// has reports whether the font draws r.
func (m *metrics) has(r rune) bool {
	_, ok := m.advance(r)
	return ok
}

// width of s in millimetres at size points.
func (m *metrics) width(s string, size float64) float64 {
	return m.mm(m.addAdvances(0, s), size)
}

// addAdvances adds the advances of s's runes to w, one at a time in order:
// the sum width computes for a string that starts with what w summed.
func (m *metrics) addAdvances(w float64, s string) float64 {
	for _, r := range s {
		a, _ := m.advance(r)
		w += a
	}
	return w
}

// mm converts a sum of advances to millimetres at size points.
func (m *metrics) mm(w, size float64) float64 {
	return w * size / 1000 * ptToMM
}

// wrap breaks s into lines no wider than max millimetres. It breaks at
// spaces; a word wider than a line is broken after '-', '/', ',' or ';' and
// only as a last resort between characters. Explicit "\n" starts a new line.
func (m *metrics) wrap(s string, size, max float64) []string {
	return m.appendWrap(nil, s, size, max)
}

// appendWrap appends the lines wrap returns to lines.
func (m *metrics) appendWrap(lines []string, s string, size, max float64) []string {
	for {
		para, rest, more := strings.Cut(s, "\n")
		lines = m.wrapPara(lines, para, size, max)
		if !more {
			return lines
		}
		s = rest
	}
}

// nextWord finds the next word of s at or after byte i: a run of
// characters other than ' ' and '\t' (a field of
// strings.FieldsFunc(s, isBreakSpace)). start is len(s) when there is none.
// Only ordinary spaces break a line: a no-break space (U+00A0) holds a
// label to its value.
func nextWord(s string, i int) (start, end int) {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	start = i
	for i < len(s) && s[i] != ' ' && s[i] != '\t' {
		i++
	}
	return start, i
}

// wrapPara wraps one paragraph (no "\n"). The line being filled is
// para[ls:le]: its words joined by single spaces (joinWords), so a line
// is a substring of para, not a new string, unless tabs or runs of spaces
// separate its words.
func (m *metrics) wrapPara(lines []string, para string, size, max float64) []string {
	ws, we := nextWord(para, 0)
	if ws == len(para) {
		return append(lines, "")
	}
	// curW is the sum of the line's advances; a candidate line's sum goes
	// on from it, which adds the same numbers in the same order as
	// measuring the candidate afresh, without re-reading the line for
	// every word.
	ls, le, curW := 0, 0, 0.0
	for ; ws < len(para); ws, we = nextWord(para, we) {
		w := para[ws:we]
		candW := 0.0
		if le > ls {
			candW = m.addAdvances(curW, " ")
		}
		candW = m.addAdvances(candW, w)
		if m.mm(candW, size) <= max {
			if le == ls {
				ls = ws
			}
			le, curW = we, candW
			continue
		}
		if le > ls {
			lines = append(lines, joinWords(para[ls:le]))
			ls, le = 0, 0
		}
		for m.width(w, size) > max {
			head, tail := m.splitWord(w, size, max)
			lines = append(lines, head)
			ws += len(head)
			w = tail
		}
		ls, le, curW = ws, we, m.addAdvances(0, w)
	}
	return append(lines, joinWords(para[ls:le]))
}

// joinWords is the words of s joined by single spaces.
func joinWords(s string) string {
	if !strings.Contains(s, "  ") && !strings.Contains(s, "\t") {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, isBreakSpace), " ")
}

// wordAdvances is addAdvances(0, w), and whether w may be broken between
// characters (breakable).
func (m *metrics) wordAdvances(w string) (float64, bool) {
	var sum float64
	thai := false
	for _, r := range w {
		a, _ := m.advance(r)
		sum += a
		if r >= 0x0E01 && r <= 0x0E7F && !thai && unicode.Is(unicode.Thai, r) {
			thai = true
		}
	}
	return sum, thai
}

// splitWord cuts the longest head of w that fits in max, preferring a cut
// after a separator character.
func (m *metrics) splitWord(w string, size, max float64) (string, string) {
	fit := 0 // bytes of w that fit
	sep := 0 // bytes up to and including the last separator that fits
	var acc float64
	var prev rune
	for i, r := range w {
		// Never cut before a combining mark (Vietnamese tone marks, Thai
		// vowels and tone marks above and below) or after a Thai leading
		// vowel: the glyphs belong to the same syllable.
		if i > 0 && !unicode.Is(unicode.Mn, r) && !isThaiLeadingVowel(prev) {
			fit = i
			if strings.ContainsRune("-/,;_", prev) {
				sep = i
			}
		}
		prev = r
		a, _ := m.advance(r)
		acc += a * size / 1000 * ptToMM
		if acc > max {
			break
		}
		if i+utf8.RuneLen(r) == len(w) {
			fit = len(w)
		}
	}
	if sep > 0 {
		fit = sep
	}
	if fit == 0 { // not even one syllable fits: take it anyway
		_, n := utf8.DecodeRuneInString(w)
		fit = n
		for fit < len(w) {
			r, n := utf8.DecodeRuneInString(w[fit:])
			if !unicode.Is(unicode.Mn, r) {
				break
			}
			fit += n
		}
	}
	return w[:fit], w[fit:]
}

func isThaiLeadingVowel(r rune) bool { return r >= 0x0E40 && r <= 0x0E44 }
