package qr

import (
	"math/rand"
	"testing"
)

// TestPenaltyFastMatchesRules: each rule over the unpacked modules scores
// what the qrcode methods score, on random matrices of every QR size and on
// real codes, so Encode picks the same mask.
func TestPenaltyFastMatchesRules(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	check := func(name string, qr *qrcode) {
		t.Helper()
		dim := qr.dimension
		m := make([]bool, dim*dim)
		for i := range m {
			m[i] = qr.data.GetBit(i)
		}
		for _, r := range []struct {
			rule       int
			fast, slow uint
		}{
			{1, penaltyRule1(m, dim), qr.calcPenaltyRule1()},
			{2, penaltyRule2(m, dim), qr.calcPenaltyRule2()},
			{3, penaltyRule3(m, dim), qr.calcPenaltyRule3()},
			{4, penaltyRule4(m), qr.calcPenaltyRule4()},
		} {
			if r.fast != r.slow {
				t.Fatalf("%s: rule %d scores %d, upstream %d", name, r.rule, r.fast, r.slow)
			}
		}
		if got, want := qr.calcPenaltyFast(), qr.calcPenalty(); got != want {
			t.Fatalf("%s: penalty %d, upstream %d", name, got, want)
		}
	}
	for version := 1; version <= 40; version++ {
		dim := 17 + 4*version
		for trial := 0; trial < 3; trial++ {
			qr := newBarcode(dim)
			dark := rng.Float64()
			for x := 0; x < dim; x++ {
				for y := 0; y < dim; y++ {
					qr.Set(x, y, rng.Float64() < dark)
				}
			}
			check("random", qr)
		}
	}
	for _, content := range []string{"A", "CP:APL26-BR-01/V1/INV 3B5F", "HTTPS://VERIFY.EXAMPLE.COM/D/APL26-BR-01/V1/INV/0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"} {
		for _, level := range []ErrorCorrectionLevel{L, M, Q, H} {
			code, err := Encode(content, level, Auto)
			if err != nil {
				t.Fatal(err)
			}
			check(content, code.(*qrcode))
		}
	}
}
