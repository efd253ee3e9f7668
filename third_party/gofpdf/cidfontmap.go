package gofpdf

import (
	"sort"
	"strconv"
)

// generateCIDFontMap writes a UTF-8 font's /W array (the widths of the
// characters a document may show) when the document is closed. Upstream
// visited every character from 1 to the highest one used, looking each one
// above 255 up in the used-runes map, and wrote every width with
// fmt.Sprintf("%v"), then counted each range's distinct widths in a new map
// to tell a run of equal widths. It now visits only the characters it
// keeps, in the same order, and writes the array with strconv; the array is
// byte for byte the same (cidfontmap_test.go compares it with upstream's
// code).

// cidFontMapCIDs returns, in increasing order, the CIDs from start to
// end-1 that generateCIDFontMap's loop keeps: those with a width in the
// font, and above 255 only those the document used.
func cidFontMapCIDs(font *fontDefType, start, end int) []int {
	cids := make([]int, 0, 256+len(font.usedRunes))
	for cid := start; cid < end && cid <= 255; cid++ {
		if font.Cw[cid] != 0 {
			cids = append(cids, cid)
		}
	}
	n := len(cids)
	for cid, numb := range font.usedRunes {
		if cid > 255 && cid >= start && cid < end && numb != 0 && font.Cw[cid] != 0 {
			cids = append(cids, cid)
		}
	}
	sort.Ints(cids[n:])
	return cids
}

// appendCIDWidths appends the /W array of the ranges generateCIDFontMap
// built: "start end width" for a range of one width, "start [ w1 w2 ... ]"
// and a newline otherwise.
func appendCIDWidths(b []byte, keys []int, ranges map[int]*untypedKeyMap) []byte {
	b = append(b, "/W ["...)
	for _, k := range keys {
		ws := ranges[k].valueSet
		if oneValue(ws) {
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(k), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(k+len(ws)-1), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(ranges[k].get(0)), 10)
		} else {
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(k), 10)
			b = append(b, " [ "...)
			for i, v := range ws {
				if i > 0 {
					b = append(b, ' ')
				}
				b = strconv.AppendInt(b, int64(v), 10)
			}
			b = append(b, " ]\n"...)
		}
	}
	return append(b, " ]"...)
}

// oneValue reports whether ws holds exactly one distinct value
// (len(arrayCountValues(ws)) == 1).
func oneValue(ws []int) bool {
	if len(ws) == 0 {
		return false
	}
	for _, v := range ws[1:] {
		if v != ws[0] {
			return false
		}
	}
	return true
}
