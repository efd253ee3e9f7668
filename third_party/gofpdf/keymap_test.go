package gofpdf

import (
	"math/rand"
	"testing"
)

// upstreamNextIntKey is v1.4.3's search, kept to check the fast one.
func upstreamNextIntKey(pa *untypedKeyMap) int {
	for n := 0; ; n++ {
		if pa.getIndex(n) < 0 {
			return n
		}
	}
}

// TestUntypedKeyMapNextKey: put(nil, v) picks the same key as upstream's
// search after any mix of automatic keys, string keys, deletions and pops,
// for maps smaller and larger than the stack buffer.
func TestUntypedKeyMapNextKey(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for trial := 0; trial < 200; trial++ {
		pa := &untypedKeyMap{}
		for op := 0; op < 150; op++ {
			switch r := rng.Intn(11); {
			case r == 10: // clearpack: an explicit int key, new or not
				pa.put(rng.Intn(len(pa.keySet)+3), op)
			case r < 6:
				want := upstreamNextIntKey(pa)
				if got := pa.nextIntKey(); got != want {
					t.Fatalf("trial %d op %d: next key %d, upstream %d (keys %v)", trial, op, got, want, pa.keySet)
				}
				pa.put(nil, op)
				if pa.keySet[len(pa.keySet)-1] != want || pa.valueSet[len(pa.valueSet)-1] != op {
					t.Fatalf("trial %d op %d: put(nil) stored %v=%d", trial, op, pa.keySet[len(pa.keySet)-1], pa.valueSet[len(pa.valueSet)-1])
				}
			case r == 6:
				pa.put("interval", 1)
			case r == 7:
				pa.delete(rng.Intn(len(pa.keySet) + 1))
			case r == 8:
				pa.delete("interval")
			case r == 9 && len(pa.keySet) > 0:
				pa.pop()
			}
		}
	}
}
