package gofpdf

import (
	"math/rand"
	"reflect"
	"testing"
)

// TestUseRunesSameAsLoop: the bitset leaves usedRunes exactly as the
// per-character inserts did, for texts that repeat runes, go past U+FFFF,
// and hold invalid UTF-8, over several texts in turn.
func TestUseRunesSameAsLoop(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	pool := []rune{'a', 'Z', ' ', 'ệ', 'ữ', 'ก', '€', 0x1F600, 0xFFFF, 0x10000, 0}
	for trial := 0; trial < 200; trial++ {
		want := map[int]int{1: 1, 2: 2}
		font := fontDefType{usedRunes: map[int]int{1: 1, 2: 2}, usedBits: new(runeBits)}
		for text := 0; text < 5; text++ {
			var b []byte
			for i := rng.Intn(40); i > 0; i-- {
				if rng.Intn(20) == 0 {
					b = append(b, 0xff) // invalid: ranges as U+FFFD
					continue
				}
				b = append(b, string(pool[rng.Intn(len(pool))])...)
			}
			s := string(b)
			for _, r := range []rune(s) {
				want[int(r)] = int(r)
			}
			font.useRunes(s)
			if !reflect.DeepEqual(font.usedRunes, want) {
				t.Fatalf("after %q: usedRunes %v, want %v", s, font.usedRunes, want)
			}
		}
	}
}
