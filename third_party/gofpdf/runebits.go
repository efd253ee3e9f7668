package gofpdf

// clearpack: the runes a UTF-8 font's text uses were inserted into its
// usedRunes map once per character of every text (about 1.3 M instructions
// of a 30-line invoice's 34 M). A bitset of the runes below U+10000 already
// inserted lets a text's repeated characters skip the map; the map stays
// what the subset is cut from, so the output is the same.

// runeBits has one bit per rune below U+10000.
type runeBits [1 << 10]uint64

// useRunes records every rune of s in the font's usedRunes, as the loops
// over []rune(s) it replaces did.
func (font *fontDefType) useRunes(s string) {
	b := font.usedBits
	for _, r := range s {
		if b != nil && r >= 0 && r < 1<<16 {
			w, m := r>>6, uint64(1)<<(uint(r)&63)
			if b[w]&m != 0 {
				continue
			}
			b[w] |= m
		}
		font.usedRunes[int(r)] = int(r)
	}
}
