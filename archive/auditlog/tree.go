package auditlog

import (
	"math/bits"

	"github.com/transparency-dev/merkle/rfc6962"
)

// The tree functions follow RFC 6962 section 2.1 (MTH, PATH, PROOF) over a
// slice of leaf hashes. They recompute subtree hashes from the leaves, which
// costs O(n) hashes per call: fine for an audit log read once per audit.
// Proofs are checked with transparency-dev/merkle's verifiers.

var hasher = rfc6962.DefaultHasher

// LeafHash is the RFC 6962 leaf hash of an entry's stored bytes.
func LeafHash(entry []byte) []byte { return hasher.HashLeaf(entry) }

// split is the largest power of two strictly below n (n >= 2).
func split(n int) int {
	return 1 << (bits.Len(uint(n-1)) - 1)
}

// rootOf is MTH(D[n]) for the leaf hashes d.
func rootOf(d [][]byte) []byte {
	switch len(d) {
	case 0:
		return hasher.EmptyRoot()
	case 1:
		return d[0]
	}
	k := split(len(d))
	return hasher.HashChildren(rootOf(d[:k]), rootOf(d[k:]))
}

// inclusionPath is PATH(m, D[n]).
func inclusionPath(m int, d [][]byte) [][]byte {
	if len(d) <= 1 {
		return nil
	}
	k := split(len(d))
	if m < k {
		return append(inclusionPath(m, d[:k]), rootOf(d[k:]))
	}
	return append(inclusionPath(m-k, d[k:]), rootOf(d[:k]))
}

// consistencyProof is PROOF(m, D[n]) for 0 < m <= n.
func consistencyProof(m int, d [][]byte) [][]byte {
	return subproof(m, d, true)
}

func subproof(m int, d [][]byte, whole bool) [][]byte {
	n := len(d)
	if m == n {
		if whole {
			return nil
		}
		return [][]byte{rootOf(d)}
	}
	k := split(n)
	if m <= k {
		return append(subproof(m, d[:k], whole), rootOf(d[k:]))
	}
	return append(subproof(m-k, d[k:], false), rootOf(d[:k]))
}
