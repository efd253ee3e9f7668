package auditlog

import (
	"fmt"
	"testing"
)

// BenchmarkTree12500 measures the tree work of a proof request at 12,500
// entries: "fresh" hashes a new tree's root and one inclusion proof (what a
// request cost when the tree was rebuilt each time), "memoised" the same on
// a tree that has answered before (what a Follower's request costs).
func BenchmarkTree12500(b *testing.B) {
	const n = 12500
	leaves := make([][]byte, n)
	for i := range leaves {
		leaves[i] = LeafHash(fmt.Appendf(nil, `{"index":%d}`, i))
	}
	b.Run("fresh", func(b *testing.B) {
		for b.Loop() {
			t := newTree(leaves)
			t.root(0, n)
			t.inclusion(1234, 0, n)
		}
	})
	b.Run("memoised", func(b *testing.B) {
		t := newTree(leaves)
		t.root(0, n)
		for b.Loop() {
			t.root(0, n)
			t.inclusion(1234, 0, n)
		}
	})
}
