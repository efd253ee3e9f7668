package auditlog

import (
	"math/bits"

	"github.com/transparency-dev/merkle/rfc6962"
)

// tree computes RFC 6962 section 2.1 hashes and proofs (MTH, PATH, PROOF)
// over leaf hashes. Subtree hashes are memoised, so after the first proof
// each further proof over the same leaves costs O(log n) hashes; the memo
// holds at most about 2n entries. Proofs are checked with
// transparency-dev/merkle's verifiers.
type tree struct {
	leaves [][]byte
	memo   map[[2]int][]byte
}

var hasher = rfc6962.DefaultHasher

// LeafHash is the RFC 6962 leaf hash of an entry's stored bytes.
func LeafHash(entry []byte) []byte { return hasher.HashLeaf(entry) }

func newTree(leaves [][]byte) *tree {
	return &tree{leaves: leaves, memo: map[[2]int][]byte{}}
}

// split is the largest power of two strictly below n (n >= 2).
func split(n int) int {
	return 1 << (bits.Len(uint(n-1)) - 1)
}

// root is MTH(D[lo:hi]).
func (t *tree) root(lo, hi int) []byte {
	switch hi - lo {
	case 0:
		return hasher.EmptyRoot()
	case 1:
		return t.leaves[lo]
	}
	if h, ok := t.memo[[2]int{lo, hi}]; ok {
		return h
	}
	k := lo + split(hi-lo)
	h := hasher.HashChildren(t.root(lo, k), t.root(k, hi))
	t.memo[[2]int{lo, hi}] = h
	return h
}

// inclusion is PATH(m, D[lo:hi]), m relative to lo.
func (t *tree) inclusion(m, lo, hi int) [][]byte {
	if hi-lo <= 1 {
		return nil
	}
	k := split(hi - lo)
	if m < k {
		return append(t.inclusion(m, lo, lo+k), t.root(lo+k, hi))
	}
	return append(t.inclusion(m-k, lo+k, hi), t.root(lo, lo+k))
}

// consistency is PROOF(m, D[0:n]) for 0 < m <= n.
func (t *tree) consistency(m, n int) [][]byte {
	return t.subproof(m, 0, n, true)
}

// subproof is SUBPROOF(m, D[lo:hi], whole), m relative to lo.
func (t *tree) subproof(m, lo, hi int, whole bool) [][]byte {
	if m == hi-lo {
		if whole {
			return nil
		}
		return [][]byte{t.root(lo, hi)}
	}
	k := split(hi - lo)
	if m <= k {
		return append(t.subproof(m, lo, lo+k, whole), t.root(lo+k, hi))
	}
	return append(t.subproof(m-k, lo+k, hi, false), t.root(lo, lo+k))
}
