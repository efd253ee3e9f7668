package gofpdf

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// TestChecksumLeavesFontBytes: a table's checksum counts the padding to 4
// bytes as zeros without writing them into the bytes after the table (the
// shared font bytes), and is the sum over the zero-padded table.
func TestChecksumLeavesFontBytes(t *testing.T) {
	var utf utf8FontFile
	font := []byte{1, 2, 3, 4, 5, 6, 7, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE}
	for n := 0; n <= 8; n++ {
		orig := append([]byte(nil), font...)
		table := font[:n] // capacity runs on into the rest of the font
		got := utf.generateChecksum(table)
		if !bytes.Equal(font, orig) {
			t.Fatalf("%d-byte table: font bytes changed to %v", n, font)
		}
		padded := append(append([]byte(nil), font[:n]...), make([]byte, (4-n%4)%4)...)
		var want [2]int
		for i := 0; i < len(padded); i += 4 {
			want[0] += int(padded[i])<<8 + int(padded[i+1])
			want[1] += int(padded[i+2])<<8 + int(padded[i+3])
			want[0] += want[1] >> 16
			want[1] &= 0xFFFF
			want[0] &= 0xFFFF
		}
		if got[0] != want[0] || got[1] != want[1] {
			t.Fatalf("%d-byte table: checksum %v, want %v", n, got, want)
		}
	}
}

// refChecksum is upstream's table checksum: 16-bit halves with a carry.
func refChecksum(data []byte) uint32 {
	padded := append(append([]byte(nil), data...), make([]byte, (4-len(data)%4)%4)...)
	var hi, lo int
	for i := 0; i < len(padded); i += 4 {
		hi += int(padded[i])<<8 + int(padded[i+1])
		lo += int(padded[i+2])<<8 + int(padded[i+3])
		hi += lo >> 16
		lo &= 0xFFFF
		hi &= 0xFFFF
	}
	return uint32(hi)<<16 | uint32(lo)
}

// TestSubsetFontChecksums: in a subset font, every table directory entry's
// checksum is upstream's checksum of the table it points at, and head's
// checkSumAdjustment is the one upstream computes from a second pass over
// the whole file (now made from the tables' sums). Upstream's calcInt32
// borrows wrongly, so some files do not sum to 0xB1B0AFBA; kept as is (the
// bytes stay upstream's; readers do not check it).
func TestSubsetFontChecksums(t *testing.T) {
	data := readFont(t, "NotoSansLatinThai-Regular.ttf")
	for _, text := range []string{"Invoice 42 ÀÉÎ", "Hóa đơn thương mại — ใบกำกับสินค้า ffi", ""} {
		runes := map[int]int{}
		for _, r := range text {
			runes[int(r)] = int(r)
		}
		f := parsedUTF8FontFor(data).newFile()
		cut := f.GenerateCutFont(runes)
		n := int(binary.BigEndian.Uint16(cut[4:]))
		for i := 0; i < n; i++ {
			e := cut[12+16*i:]
			sum, off, ln := binary.BigEndian.Uint32(e[4:]), binary.BigEndian.Uint32(e[8:]), binary.BigEndian.Uint32(e[12:])
			table := append([]byte(nil), cut[off:off+ln]...)
			if string(e[:4]) == "head" {
				copy(table[8:12], []byte{0, 0, 0, 0}) // checkSumAdjustment counts as zero
			}
			if want := refChecksum(table); sum != want {
				t.Errorf("%q: table %q checksum %08x, want %08x", text, e[:4], sum, want)
			}
		}
		// head's checkSumAdjustment, computed upstream's way from a pass
		// over the whole file with the adjustment zeroed.
		whole := append([]byte(nil), cut...)
		head := 0
		for i := 0; i < n; i++ {
			if e := cut[12+16*i:]; string(e[:4]) == "head" {
				head = int(binary.BigEndian.Uint32(e[8:]))
			}
		}
		copy(whole[head+8:head+12], []byte{0, 0, 0, 0})
		s := refChecksum(whole)
		want := f.calcInt32([]int{0xB1B0, 0xAFBA}, []int{int(s >> 16), int(s & 0xFFFF)})
		if got := binary.BigEndian.Uint32(cut[head+8:]); got != uint32(want[0])<<16|uint32(want[1]) {
			t.Errorf("%q: checkSumAdjustment %08x, want %04x%04x", text, got, want[0], want[1])
		}
	}
}

func TestTableChecksumCarries(t *testing.T) {
	for n := 0; n < 4100; n += 37 {
		b := bytes.Repeat([]byte{0xFF, 0xFE, 0xFD, 0xFC, 0x01}, n/5+1)[:n]
		if got, want := tableChecksum(b), refChecksum(b); got != want {
			t.Fatalf("%d bytes: %08x, want %08x", n, got, want)
		}
	}
}
