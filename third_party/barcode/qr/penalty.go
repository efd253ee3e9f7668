package qr

import "math"

// The mask penalty (ISO/IEC 18004 7.8.3) read from a plain []bool.
//
// Encode scores all eight masks; the rules read every module several times
// (rule 3 reads each one 44 times), and each read through qrcode.Get is a
// BitList.GetBit call with an index computation. The functions below are
// the calcPenaltyRule1..4 methods of qrcode.go rule for rule, over the
// modules unpacked once into a slice (index x*dimension+y, as Get), so the
// score and the mask chosen are the same; penalty_test.go compares them.

func (qr *qrcode) calcPenaltyFast() uint {
	dim := qr.dimension
	m := make([]bool, dim*dim)
	for i := range m {
		m[i] = qr.data.GetBit(i)
	}
	return penaltyRule1(m, dim) + penaltyRule2(m, dim) + penaltyRule3(m, dim) + penaltyRule4(m)
}

func penaltyRule1(m []bool, dim int) uint {
	var result uint
	for x := 0; x < dim; x++ {
		checkForX := false
		var cntX uint
		checkForY := false
		var cntY uint

		for y := 0; y < dim; y++ {
			if m[x*dim+y] == checkForX {
				cntX++
			} else {
				checkForX = !checkForX
				if cntX >= 5 {
					result += cntX - 2
				}
				cntX = 1
			}

			if m[y*dim+x] == checkForY {
				cntY++
			} else {
				checkForY = !checkForY
				if cntY >= 5 {
					result += cntY - 2
				}
				cntY = 1
			}
		}

		if cntX >= 5 {
			result += cntX - 2
		}
		if cntY >= 5 {
			result += cntY - 2
		}
	}
	return result
}

func penaltyRule2(m []bool, dim int) uint {
	var result uint
	for x := 0; x < dim-1; x++ {
		for y := 0; y < dim-1; y++ {
			check := m[x*dim+y]
			if m[x*dim+y+1] == check && m[(x+1)*dim+y] == check && m[(x+1)*dim+y+1] == check {
				result += 3
			}
		}
	}
	return result
}

var (
	penaltyPattern1 = [11]bool{true, false, true, true, true, false, true, false, false, false, false}
	penaltyPattern2 = [11]bool{false, false, false, false, true, false, true, true, true, false, true}
)

func penaltyRule3(m []bool, dim int) uint {
	var result uint
	for x := 0; x <= dim-len(penaltyPattern1); x++ {
		for y := 0; y < dim; y++ {
			pattern1XFound := true
			pattern2XFound := true
			pattern1YFound := true
			pattern2YFound := true

			for i := 0; i < len(penaltyPattern1); i++ {
				iv := m[(x+i)*dim+y] // Get(x+i, y)
				if iv != penaltyPattern1[i] {
					pattern1XFound = false
				}
				if iv != penaltyPattern2[i] {
					pattern2XFound = false
				}
				iv = m[y*dim+x+i] // Get(y, x+i)
				if iv != penaltyPattern1[i] {
					pattern1YFound = false
				}
				if iv != penaltyPattern2[i] {
					pattern2YFound = false
				}
			}
			if pattern1XFound || pattern2XFound {
				result += 40
			}
			if pattern1YFound || pattern2YFound {
				result += 40
			}
		}
	}
	return result
}

func penaltyRule4(m []bool) uint {
	totalNum := len(m)
	trueCnt := 0
	for _, v := range m {
		if v {
			trueCnt++
		}
	}
	percDark := float64(trueCnt) * 100 / float64(totalNum)
	floor := math.Abs(math.Floor(percDark/5) - 10)
	ceil := math.Abs(math.Ceil(percDark/5) - 10)
	return uint(math.Min(floor, ceil) * 10)
}
