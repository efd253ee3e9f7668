package gofpdf

// nextIntKey is the smallest non-negative int that is not a key of pa: the
// key PHP's $a[] = v gives, which untypedKeyMap.put(nil, v) imitates.
// Upstream searched for it by calling getIndex(0), getIndex(1), ... each a
// scan of the keys, so filling a map of n entries took O(n^3) interface
// comparisons; generateCIDFontMap does that for every run of consecutive
// characters of a UTF-8 font, at every document close. The smallest missing
// key is at most the number of keys, so one pass marking the int keys below
// that bound finds it.
func (pa *untypedKeyMap) nextIntKey() int {
	// clearpack: when the int keys are known to be 0..ints-1 (util.go's
	// put, pop and delete keep track), the next is ints; upstream's
	// generateCIDFontMap adds every width of a range this way, so the scan
	// below made each range O(n^2).
	if pa.dense {
		return pa.ints
	}
	n := len(pa.keySet)
	var small [64]bool
	seen := small[:]
	if n+1 > len(small) {
		seen = make([]bool, n+1)
	}
	ints := 0
	for _, k := range pa.keySet {
		if i, ok := k.(int); ok {
			ints++
			if i >= 0 && i <= n {
				seen[i] = true
			}
		}
	}
	for i := 0; i <= n; i++ {
		if !seen[i] {
			// The int keys are 0..i-1 and no others if there are i of
			// them (put never adds a duplicate int key).
			pa.dense, pa.ints = ints == i, i
			return i
		}
	}
	return n + 1 // unreachable: n keys cannot cover 0..n
}
