package qr

import (
	"image"
	"testing"
)

// TestModulePositionsMatchIterateModules: the slice holds the positions
// iterateModules sends, in the same order, for every version.
func TestModulePositionsMatchIterateModules(t *testing.T) {
	for version := byte(1); version <= 40; version++ {
		vi := &versionInfo{Version: version, Level: M}
		dim := vi.modulWidth()
		occupied := newBarcode(dim)
		set := func(x, y int, _ bool) { occupied.Set(x, y, true) }
		drawFinderPatterns(vi, set)
		drawAlignmentPatterns(occupied, vi, set)
		for i := 0; i < dim; i++ {
			occupied.Set(i, 6, true)
			occupied.Set(6, i, true)
		}
		drawVersionInfo(vi, set)
		drawFormatInfo(vi, -1, occupied.Set)

		var want []image.Point
		for pt := range iterateModules(occupied) {
			want = append(want, pt)
		}
		got := modulePositions(occupied)
		if len(got) != len(want) {
			t.Fatalf("version %d: %d positions, upstream %d", version, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("version %d: position %d is %v, upstream %v", version, i, got[i], want[i])
			}
		}
	}
}
