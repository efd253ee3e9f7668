package gofpdf

// The CIDToGIDMap of a UTF-8 font covers the CIDs 0 to the highest CID the
// document uses in that font.
//
// A UTF-8 font is written as a Type 0 font with Identity-H encoding: the
// content stream shows each character as its 2-byte Unicode value, which is
// the CID, and the CIDFont's CIDToGIDMap stream maps CIDs to the glyphs of
// the embedded subset. ISO 32000-1 (Table 117; ISO 32000-2 Table 115)
// defines the stream by position: "the glyph index for a particular CID
// value c shall be a 2-byte value stored in bytes 2 × c and 2 × c + 1".
// Upstream always wrote all 65,536 entries (128 KiB, compressed for every
// font of every document), almost all zero. The stream is now as long as
// the highest CID shown in the font needs (a Latin and Vietnamese document:
// about 16 KiB; Thai: about 7 KiB). Every CID the content stream uses
// still has its entry, zero (the missing glyph) for a character the font
// lacks, as before; only entries no content refers to are left out, so no
// reader has to decide what a CID past the end of the stream maps to.

// cidToGIDMapLast is the last CID a font's CIDToGIDMap holds, given the
// highest rune (CID) the document used in it.
func cidToGIDMapLast(lastRune int) int {
	if lastRune < 0 {
		return 0
	}
	if lastRune > 0xFFFF {
		return 0xFFFF
	}
	return lastRune
}
