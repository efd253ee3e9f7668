package gofpdf

import (
	"bytes"
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
