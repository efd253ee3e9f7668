package qr

import (
	"math/rand"
	"strings"
	"testing"
)

// upstreamEncode is Encode as upstream wrote it: blocks read from the
// BitList through IterateBytes, error correction by polynomial division,
// eight masked BitLists scored by the qrcode penalty methods.
func upstreamEncode(t *testing.T, content string, level ErrorCorrectionLevel, mode Encoding) *qrcode {
	t.Helper()
	bits, vi, err := mode.getEncoder()(content, level)
	if err != nil {
		t.Fatal(err)
	}
	return render(splitToBlocks(bits.IterateBytes(), vi).interleave(vi), vi)
}

func randomContent(rng *rand.Rand, alphabet string, n int) string {
	var b strings.Builder
	rs := []rune(alphabet)
	for i := 0; i < n; i++ {
		b.WriteRune(rs[rng.Intn(len(rs))])
	}
	return b.String()
}

// TestEncodeMatchesUpstream: Encode draws the same modules as upstream's
// pipeline, for every mode and level, contents of many lengths (versions 1
// to 40) and clearpack's own QR contents.
func TestEncodeMatchesUpstream(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	type tc struct {
		content string
		mode    Encoding
	}
	var cases []tc
	for _, n := range []int{1, 2, 3, 7, 20, 41, 85, 86, 100, 150, 300, 600, 1200} {
		cases = append(cases,
			tc{randomContent(rng, "0123456789", n*2), Numeric},
			tc{randomContent(rng, charSet, n), AlphaNumeric},
			tc{randomContent(rng, charSet+"abcxyzé€", n), Unicode},
			tc{randomContent(rng, charSet, n), Auto},
			tc{randomContent(rng, "0123456789", n), Auto},
			tc{randomContent(rng, "abcé"+charSet, n), Auto},
		)
	}
	cases = append(cases,
		tc{"CP:APL26-BR-01/V1/INV 3B5F0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789AB", Auto},
		tc{"HTTPS://VERIFY.EXAMPLE.COM/D/APL26-BR-01/V1/INV/0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", Auto})
	compared := 0
	for _, c := range cases {
		for _, level := range []ErrorCorrectionLevel{L, M, Q, H} {
			bits, _, err := c.mode.getEncoder()(c.content, level)
			if err != nil || bits == nil {
				continue // too long for this level
			}
			got, err := Encode(c.content, level, c.mode)
			if err != nil {
				t.Fatal(err)
			}
			want := upstreamEncode(t, c.content, level, c.mode)
			g := got.(*qrcode)
			if g.dimension != want.dimension {
				t.Fatalf("%q %v %v: dimension %d, upstream %d", c.content, c.mode, level, g.dimension, want.dimension)
			}
			for i := 0; i < g.dimension*g.dimension; i++ {
				if g.data.GetBit(i) != want.data.GetBit(i) {
					t.Fatalf("%q %v %v: module %d differs from upstream's", c.content, c.mode, level, i)
				}
			}
			compared++
		}
	}
	if compared < 200 {
		t.Fatalf("only %d codes compared", compared)
	}
}

// TestECCMatchesUpstream: the shift-register remainder is upstream's
// polynomial division, for every error correction length QR uses.
func TestECCMatchesUpstream(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for ecc := 7; ecc <= 30; ecc++ {
		for trial := 0; trial < 50; trial++ {
			data := make([]byte, 1+rng.Intn(120))
			for i := range data {
				data[i] = byte(rng.Intn(256))
				if trial%5 == 0 {
					data[i] = 0 // leading zeros and zero blocks
				}
			}
			got, want := ec.calcECCFast(data, ecc), ec.calcECC(data, byte(ecc))
			if string(got) != string(want) {
				t.Fatalf("ecc %d, data %v: %v, upstream %v", ecc, data, got, want)
			}
		}
	}
}

// TestAlphaIndexesMatchUpstream: the sequence the alphanumeric encoder
// reads is what stringToAlphaIdx sent, invalid runes and reads past the
// end included.
func TestAlphaIndexesMatchUpstream(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for trial := 0; trial < 300; trial++ {
		s := randomContent(rng, charSet+"aé€", rng.Intn(40))
		ch := stringToAlphaIdx(s)
		seq := alphaIndexes(s)
		for i := 0; i < len(s)+3; i++ {
			if got, want := seq.next(), <-ch; got != want {
				t.Fatalf("%q: read %d is %d, upstream %d", s, i, got, want)
			}
		}
	}
}

// TestPenaltyRule3Window: the windowed rule 3, and the four rules in one
// pass, score what upstream's do.
func TestPenaltyRule3Window(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	for version := 1; version <= 40; version++ {
		dim := 17 + 4*version
		for trial := 0; trial < 3; trial++ {
			qr := newBarcode(dim)
			m := make([]bool, dim*dim)
			for i := range m {
				m[i] = rng.Intn(2) == 0
				qr.data.SetBit(i, m[i])
			}
			// plant the patterns so the rule has something to find
			for k := 0; k < 10; k++ {
				x, y := rng.Intn(dim-11), rng.Intn(dim)
				p := penaltyPattern1
				if k%2 == 1 {
					p = penaltyPattern2
				}
				for i := 0; i < 11; i++ {
					if k%4 < 2 {
						m[(x+i)*dim+y] = p[i]
						qr.data.SetBit((x+i)*dim+y, p[i])
					} else {
						m[y*dim+x+i] = p[i]
						qr.data.SetBit(y*dim+x+i, p[i])
					}
				}
			}
			if got, want := penaltyRule3Window(m, dim), qr.calcPenaltyRule3(); got != want {
				t.Fatalf("version %d: %d, upstream %d", version, got, want)
			}
			if got, want := penaltyFused(m, dim), qr.calcPenalty(); got != want {
				t.Fatalf("version %d: fused penalty %d, upstream %d", version, got, want)
			}
		}
	}
}
