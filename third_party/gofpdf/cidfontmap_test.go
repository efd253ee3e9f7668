package gofpdf

import (
	"bytes"
	"math/rand"
	"testing"
)

// TestCIDFontMapMatchesUpstream: the /W array generateCIDFontMap writes is
// the one upstream's code (below, as in v1.4.3 with fmt and the full
// character loop) writes, for texts in the scripts clearpack renders and
// for random sets of characters, in both fonts.
func TestCIDFontMapMatchesUpstream(t *testing.T) {
	texts := []string{
		"",
		"A",
		"Commercial Invoice 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz",
		"Hóa đơn thương mại / Người xuất khẩu / Số chứng từ · – — € “ ” ‘ ’ …",
		"ใบกำกับสินค้าเชิงพาณิชย์ ผู้ส่งออก / ผู้ขาย ฿ ๑๒๓",
		"Fatura comercial: exportação, São Paulo, ÇÃÕÉÍÓÚ áéíóú ñÑ ¿¡",
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 40; i++ {
		var r []rune
		for j := rng.Intn(200); j > 0; j-- {
			switch rng.Intn(4) {
			case 0:
				r = append(r, rune(32+rng.Intn(224)))
			case 1:
				r = append(r, rune(0x0E00+rng.Intn(0x80)))
			case 2:
				r = append(r, rune(0x1E00+rng.Intn(0x100)))
			default:
				r = append(r, rune(0x100+rng.Intn(0x2200)))
			}
		}
		texts = append(texts, string(r))
	}
	for _, name := range []string{"NotoSansLatinThai-Regular.ttf", "NotoSansLatinThai-Bold.ttf"} {
		data := readFont(t, name)
		for i, text := range texts {
			// Not "sans": the font id cache is per family and style name,
			// and TestUTF8FontCacheMatchesUpstream gives "sans" a
			// definition of its own.
			pdf := New("P", "mm", "A4", "")
			pdf.AddUTF8FontFromBytes("cidmap", "", data)
			pdf.AddPage()
			pdf.SetFont("cidmap", "", 10)
			pdf.Text(10, 10, text)
			font := pdf.fonts["cidmap"]
			delete(font.usedRunes, 0)
			font.utf8File.GenerateCutFont(font.usedRunes)

			pdf.state = 1
			pdf.buffer = fmtBuffer{}
			pdf.generateCIDFontMap(&font, font.utf8File.LastRune)
			got := pdf.buffer.String()
			pdf.buffer = fmtBuffer{}
			pdf.upstreamGenerateCIDFontMap(&font, font.utf8File.LastRune)
			want := pdf.buffer.String()
			if got != want {
				t.Fatalf("%s, text %d (%q):\ngot  %q\nwant %q", name, i, text, got, want)
			}
			if !bytes.HasPrefix([]byte(got), []byte("/W [")) {
				t.Fatalf("not a /W array: %q", got)
			}
		}
	}
}

// upstream's generateCIDFontMap, implode and arrayCountValues (v1.4.3).

func (f *Fpdf) upstreamGenerateCIDFontMap(font *fontDefType, LastRune int) {
	rangeID := 0
	cidArray := make(map[int]*untypedKeyMap)
	cidArrayKeys := make([]int, 0)
	prevCid := -2
	prevWidth := -1
	interval := false
	startCid := 1
	cwLen := LastRune + 1

	// for each character
	for cid := startCid; cid < cwLen; cid++ {
		if font.Cw[cid] == 0x00 {
			continue
		}
		width := font.Cw[cid]
		if width == 65535 {
			width = 0
		}
		if numb, OK := font.usedRunes[cid]; cid > 255 && (!OK || numb == 0) {
			continue
		}

		if cid == prevCid+1 {
			if width == prevWidth {

				if width == cidArray[rangeID].get(0) {
					cidArray[rangeID].put(nil, width)
				} else {
					cidArray[rangeID].pop()
					rangeID = prevCid
					r := untypedKeyMap{
						valueSet: make([]int, 0),
						keySet:   make([]interface{}, 0),
					}
					cidArray[rangeID] = &r
					cidArrayKeys = append(cidArrayKeys, rangeID)
					cidArray[rangeID].put(nil, prevWidth)
					cidArray[rangeID].put(nil, width)
				}
				interval = true
				cidArray[rangeID].put("interval", 1)
			} else {
				if interval {
					// new range
					rangeID = cid
					r := untypedKeyMap{
						valueSet: make([]int, 0),
						keySet:   make([]interface{}, 0),
					}
					cidArray[rangeID] = &r
					cidArrayKeys = append(cidArrayKeys, rangeID)
					cidArray[rangeID].put(nil, width)
				} else {
					cidArray[rangeID].put(nil, width)
				}
				interval = false
			}
		} else {
			rangeID = cid
			r := untypedKeyMap{
				valueSet: make([]int, 0),
				keySet:   make([]interface{}, 0),
			}
			cidArray[rangeID] = &r
			cidArrayKeys = append(cidArrayKeys, rangeID)
			cidArray[rangeID].put(nil, width)
			interval = false
		}
		prevCid = cid
		prevWidth = width

	}
	previousKey := -1
	nextKey := -1
	isInterval := false
	for g := 0; g < len(cidArrayKeys); {
		key := cidArrayKeys[g]
		ws := *cidArray[key]
		cws := len(ws.keySet)
		if (key == nextKey) && (!isInterval) && (ws.getIndex("interval") < 0 || cws < 4) {
			if cidArray[key].getIndex("interval") >= 0 {
				cidArray[key].delete("interval")
			}
			cidArray[previousKey] = arrayMerge(cidArray[previousKey], cidArray[key])
			cidArrayKeys = remove(cidArrayKeys, key)
		} else {
			g++
			previousKey = key
		}
		nextKey = key + cws
		// ui := ws.getIndex("interval")
		// ui = ui + 1
		if ws.getIndex("interval") >= 0 {
			if cws > 3 {
				isInterval = true
			} else {
				isInterval = false
			}
			cidArray[key].delete("interval")
			nextKey--
		} else {
			isInterval = false
		}
	}
	var w fmtBuffer
	for _, k := range cidArrayKeys {
		ws := cidArray[k]
		if len(arrayCountValues(ws.valueSet)) == 1 {
			w.printf(" %d %d %d", k, k+len(ws.valueSet)-1, ws.get(0))
		} else {
			w.printf(" %d [ %s ]\n", k, upstreamImplode(" ", ws.valueSet))
		}
	}
	f.out("/W [" + w.String() + " ]")
}
func upstreamImplode(sep string, arr []int) string {
	var s fmtBuffer
	for i := 0; i < len(arr)-1; i++ {
		s.printf("%v", arr[i])
		s.printf("%s", sep)
	}
	if len(arr) > 0 {
		s.printf("%v", arr[len(arr)-1])
	}
	return s.String()
}

func arrayCountValues(mp []int) map[int]int {
	answer := make(map[int]int)
	for _, v := range mp {
		answer[v] = answer[v] + 1
	}
	return answer
}
