// Package hash128 hashes text to 128 bits with two seeded maphashes, for
// the pointer-free indexes that let ingest and the rules check a large
// program without holding its strings: a map keyed by Sum is not scanned
// by the collector. Two different texts taken for one would need a 128-bit
// collision. Sums are of one Hasher, in one process: not stored, not
// compared across hashers.
package hash128

import "hash/maphash"

// Sum is a 128-bit hash.
type Sum [2]uint64

// Hasher hashes with its own two random seeds.
type Hasher struct{ s1, s2 maphash.Seed }

// New returns a Hasher with fresh seeds.
func New() Hasher { return Hasher{maphash.MakeSeed(), maphash.MakeSeed()} }

// String is the hash of s.
func (h Hasher) String(s string) Sum {
	return Sum{maphash.String(h.s1, s), maphash.String(h.s2, s)}
}
