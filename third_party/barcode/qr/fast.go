package qr

import (
	"math"
	"strings"
	"unicode/utf8"

	"github.com/boombuler/barcode/utils"
)

// The encoding pipeline without goroutines and with one matrix per mask in
// a plain []bool (clearpack fork; fast_test.go checks that Encode draws the
// same modules as upstream's pipeline for every mode, level and many
// contents).
//
// Upstream's Encode streams the data bytes to splitToBlocks through a
// channel fed by a goroutine (BitList.IterateBytes, one goroutine switch
// per byte), computes each block's error correction by polynomial long
// division that allocates two polynomials per data byte, draws the eight
// masked candidates through closures into eight BitLists and unpacks each
// again to score it. Here the bytes come from BitList.GetBytes, the error
// correction is the same remainder computed in place (a linear feedback
// shift register over the same generator polynomial), the unmasked matrix
// is drawn once and each mask is applied to a copy of it, and rule 3 of the
// penalty reads each line once with an 11-bit window.

// blocksOf is splitToBlocks over a byte slice.
func blocksOf(data []byte, vi *versionInfo) blockList {
	n1, n2 := int(vi.NumberOfBlocksInGroup1), int(vi.NumberOfBlocksInGroup2)
	d1, d2 := int(vi.DataCodeWordsPerBlockInGroup1), int(vi.DataCodeWordsPerBlockInGroup2)
	eccCount := int(vi.ErrorCorrectionCodewordsPerBlock)
	result := make(blockList, n1+n2)
	blocks := make([]block, n1+n2)
	pos := 0
	for b := range result {
		size := d1
		if b >= n1 {
			size = d2
		}
		blk := &blocks[b]
		blk.data = make([]byte, size)
		for i := range blk.data {
			if pos < len(data) { // upstream reads zero from the closed channel
				blk.data[i] = data[pos]
			}
			pos++
		}
		blk.ecc = ec.calcECCFast(blk.data, eccCount)
		result[b] = blk
	}
	return result
}

// calcECCFast is calcECC: the remainder of data(x)·x^eccCount divided by
// the generator polynomial of degree eccCount, computed with a shift
// register instead of polynomial objects.
func (ec *errorCorrection) calcECCFast(data []byte, eccCount int) []byte {
	gen := ec.rs.Generator(eccCount) // coefficients, highest degree first; gen[0] == 1
	gf := ec.rs.Field()
	logT, alogT, size := gf.LogTbl, gf.ALogTbl, gf.Size-1
	var logGen [256]int
	for i := 1; i <= eccCount; i++ {
		logGen[i] = -1
		if gen[i] != 0 {
			logGen[i] = logT[gen[i]]
		}
	}
	reg := make([]byte, eccCount)
	for _, d := range data {
		factor := int(d ^ reg[0])
		copy(reg, reg[1:])
		reg[eccCount-1] = 0
		if factor == 0 {
			continue
		}
		lf := logT[factor]
		for i := 0; i < eccCount; i++ {
			if lg := logGen[i+1]; lg >= 0 {
				reg[i] ^= byte(alogT[(lf+lg)%size])
			}
		}
	}
	return reg
}

// renderFast is render.
func renderFast(data []byte, vi *versionInfo) *qrcode {
	dim := vi.modulWidth()
	occupied := newBarcode(dim)
	base := make([]bool, dim*dim) // index x*dim+y, as qrcode.Get
	setAll := func(x int, y int, val bool) {
		occupied.Set(x, y, true)
		base[x*dim+y] = val
	}
	drawFinderPatterns(vi, setAll)
	drawAlignmentPatterns(occupied, vi, setAll)
	for i := 0; i < dim; i++ { // timing patterns
		if !occupied.Get(i, 6) {
			setAll(i, 6, i%2 == 0)
		}
		if !occupied.Get(6, i) {
			setAll(6, i, i%2 == 0)
		}
	}
	setAll(8, dim-8, true) // dark module
	drawVersionInfo(vi, setAll)
	drawFormatInfo(vi, -1, occupied.Set)

	positions := modulePositions(occupied)
	bits := make([]bool, len(positions))
	for n := range positions {
		if n < len(data)*8 {
			bits[n] = (data[n/8]>>uint(7-n%8))&1 == 1
		}
	}

	m := make([]bool, dim*dim)
	best := make([]bool, dim*dim)
	lowestPenalty := ^uint(0)
	set := func(x, y int, val bool) { m[x*dim+y] = val }
	for mask := 0; mask < 8; mask++ {
		copy(m, base)
		for n, pos := range positions {
			m[pos.X*dim+pos.Y] = bits[n] != maskBit(mask, pos.X, pos.Y)
		}
		drawFormatInfo(vi, mask, set)
		p := penaltyFused(m, dim)
		if p < lowestPenalty {
			lowestPenalty = p
			copy(best, m)
		}
	}
	result := newBarcode(dim)
	for i, v := range best {
		if v {
			result.data.SetBit(i, true)
		}
	}
	return result
}

// maskBit is the condition setMasked inverts a module by.
func maskBit(mask, x, y int) bool {
	switch mask {
	case 0:
		return (y+x)%2 == 0
	case 1:
		return y%2 == 0
	case 2:
		return x%3 == 0
	case 3:
		return (y+x)%3 == 0
	case 4:
		return (y/2+x/3)%2 == 0
	case 5:
		return (y*x)%2+(y*x)%3 == 0
	case 6:
		return ((y*x)%2+(y*x)%3)%2 == 0
	case 7:
		return ((y+x)%2+(y*x)%3)%2 == 0
	}
	return false
}

// The two 11-module patterns of rule 3 as bits, the first module highest.
const (
	penaltyWindow1 = 0b10111010000
	penaltyWindow2 = 0b00001011101
)

// penaltyRule3Window is penaltyRule3: 40 for every position along a row or
// a column where the next 11 modules are either pattern, counted with a
// window shifted one module at a time.
func penaltyRule3Window(m []bool, dim int) uint {
	var result uint
	for y := 0; y < dim; y++ {
		var a, b uint // a: along x at fixed y (Get(x+i, y)); b: Get(y, x+i)
		for x := 0; x < dim; x++ {
			a = (a<<1 | b2u(m[x*dim+y])) & 0x7ff
			b = (b<<1 | b2u(m[y*dim+x])) & 0x7ff
			if x >= 10 {
				if a == penaltyWindow1 || a == penaltyWindow2 {
					result += 40
				}
				if b == penaltyWindow1 || b == penaltyWindow2 {
					result += 40
				}
			}
		}
	}
	return result
}

func b2u(v bool) uint {
	if v {
		return 1
	}
	return 0
}

// encodeBits is what Encode does after the mode encoder.
func encodeBits(bits *utils.BitList, vi *versionInfo) *qrcode {
	return renderFast(blocksOf(bits.GetBytes(), vi).interleave(vi), vi)
}

// alphaSeq is the sequence stringToAlphaIdx sends: each rune's index in
// charSet, up to and including the first rune not in it (-1), then zeros
// (what a receive from the closed channel gives).
type alphaSeq struct {
	content string
	pos     int
	done    bool
}

func alphaIndexes(content string) *alphaSeq { return &alphaSeq{content: content} }

func (s *alphaSeq) next() int {
	if s.done || s.pos >= len(s.content) {
		return 0
	}
	r, n := utf8.DecodeRuneInString(s.content[s.pos:])
	s.pos += n
	idx := strings.IndexRune(charSet, r)
	if idx < 0 {
		s.done = true
	}
	return idx
}

// penaltyFused is penaltyRule1 + penaltyRule2 + penaltyRule3Window +
// penaltyRule4 in one pass over the modules: for each line, the module
// runs (rule 1) and the 11-module windows (rule 3) along both directions,
// the 2×2 blocks (rule 2) and the dark modules (rule 4).
func penaltyFused(m []bool, dim int) uint {
	var result uint
	dark := 0
	for l := 0; l < dim; l++ {
		var w1, w2 uint     // windows: along m[l*dim+p] and along m[p*dim+l]
		var run1, run2 uint // current run lengths
		var col1, col2 bool // colour of the current runs
		row, next := l*dim, (l+1)*dim
		for p := 0; p < dim; p++ {
			v1, v2 := m[row+p], m[p*dim+l]
			if v1 {
				dark++
			}
			// rule 1
			if p > 0 && v1 == col1 {
				run1++
			} else {
				if run1 >= 5 {
					result += run1 - 2
				}
				col1, run1 = v1, 1
			}
			if p > 0 && v2 == col2 {
				run2++
			} else {
				if run2 >= 5 {
					result += run2 - 2
				}
				col2, run2 = v2, 1
			}
			// rule 2
			if l < dim-1 && p < dim-1 {
				if m[row+p+1] == v1 && m[next+p] == v1 && m[next+p+1] == v1 {
					result += 3
				}
			}
			// rule 3
			w1 = (w1<<1 | b2u(v1)) & 0x7ff
			w2 = (w2<<1 | b2u(v2)) & 0x7ff
			if p >= 10 {
				if w1 == penaltyWindow1 || w1 == penaltyWindow2 {
					result += 40
				}
				if w2 == penaltyWindow1 || w2 == penaltyWindow2 {
					result += 40
				}
			}
		}
		if run1 >= 5 {
			result += run1 - 2
		}
		if run2 >= 5 {
			result += run2 - 2
		}
	}
	percDark := float64(dark) * 100 / float64(len(m))
	floor := math.Abs(math.Floor(percDark/5) - 10)
	ceil := math.Abs(math.Ceil(percDark/5) - 10)
	return result + uint(math.Min(floor, ceil)*10)
}
