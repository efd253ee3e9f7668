package hash128

import "testing"

// TestString: one hasher gives a text one sum and different texts
// different sums; another hasher's seeds give other sums.
func TestString(t *testing.T) {
	h := New()
	tag := "SRV-0001"
	if first, again := h.String(tag), h.String(string([]byte(tag))); first != again {
		t.Error("the same text hashed twice gave two sums")
	}
	if h.String("SRV-0001") == h.String("SRV-0002") || h.String("") == h.String("SRV-0001") {
		t.Error("different texts gave one sum")
	}
	if New().String("SRV-0001") == h.String("SRV-0001") {
		t.Error("two hashers with fresh seeds gave one sum")
	}
	if s := h.String("x"); s[0] == s[1] {
		t.Errorf("the two halves are one hash: %x", s)
	}
}
