package qr

import "image"

// modulePositions is the sequence iterateModules sends, as a slice: the
// free modules in placement order (ISO/IEC 18004 7.7.3), two columns at a
// time, up then down, skipping the vertical timing column. iterateModules
// sends each position through two unbuffered channels between three
// goroutines, two goroutine switches per module; for a version 5 code that
// cost more than placing the bits. modules_test.go checks the sequences are
// the same.
func modulePositions(occupied *qrcode) []image.Point {
	dim := occupied.dimension
	result := make([]image.Point, 0, dim*dim)
	emit := func(x, y int) {
		if !occupied.Get(x, y) {
			result = append(result, image.Pt(x, y))
		}
	}
	curX := dim - 1
	curY := dim - 1
	isUpward := true
	for {
		if isUpward {
			emit(curX, curY)
			emit(curX-1, curY)
			curY--
			if curY < 0 {
				curY = 0
				curX -= 2
				if curX == 6 {
					curX--
				}
				if curX < 0 {
					break
				}
				isUpward = false
			}
		} else {
			emit(curX, curY)
			emit(curX-1, curY)
			curY++
			if curY >= dim {
				curY = dim - 1
				curX -= 2
				if curX == 6 {
					curX--
				}
				isUpward = true
				if curX < 0 {
					break
				}
			}
		}
	}
	return result
}
