package gofpdf

import (
	"fmt"
	"math"
	"testing"
)

var fmtFloats = []float64{0, -0.0, 1, -1, 0.5, 0.125, 0.0049999, 0.005, 0.995, 1.005, 2.675, 123.456789,
	-98.7654, 1e-9, 1e9, 841.89, 595.28, 1.0 / 3, 2.0 / 3, 255.0 / 255, 128.0 / 255, 77.0 / 255,
	math.MaxFloat64, math.SmallestNonzeroFloat64, math.Inf(1), math.Inf(-1), math.NaN()}

// TestTextOpMatchesSprintf: textOp writes what upstream's Sprintf did.
func TestTextOpMatchesSprintf(t *testing.T) {
	for _, x := range fmtFloats {
		for _, y := range fmtFloats {
			for _, txt := range []string{"", "Invoice", "\\x00\\x41\\(\\)"} {
				want := fmt.Sprintf("BT %.2f %.2f Td (%s) Tj ET", x, y, txt)
				if got := textOp(x, y, txt); got != want {
					t.Fatalf("textOp(%v, %v, %q) = %q, want %q", x, y, txt, got, want)
				}
			}
		}
	}
}

// TestColorStringMatchesSprintf: rgbColorValue's strings are upstream's,
// grey and colour, with and without operators, for every component value.
func TestColorStringMatchesSprintf(t *testing.T) {
	for _, ops := range [][2]string{{"g", "rg"}, {"G", "RG"}, {"", ""}} {
		for c := -1; c <= 256; c++ {
			for _, rgb := range [][3]int{{c, c, c}, {c, 0, 255}, {255, c, 17}} {
				clr := rgbColorValue(rgb[0], rgb[1], rgb[2], ops[0], ops[1])
				var want string
				switch {
				case len(ops[0]) > 0 && clr.gray:
					want = fmt.Sprintf("%.3f %s", clr.r, ops[0])
				case len(ops[0]) > 0:
					want = fmt.Sprintf("%.3f %.3f %.3f %s", clr.r, clr.g, clr.b, ops[1])
				default:
					want = fmt.Sprintf("%.3f %.3f %.3f", clr.r, clr.g, clr.b)
				}
				if clr.str != want {
					t.Fatalf("rgbColorValue(%v, %q, %q) = %q, want %q", rgb, ops[0], ops[1], clr.str, want)
				}
			}
		}
	}
}

// TestFontOpMatchesSprintf: fontOp writes what SetFont's Sprintf did.
func TestFontOpMatchesSprintf(t *testing.T) {
	for _, size := range fmtFloats {
		for _, id := range []string{"", "1", "0fd8b3a1c2"} {
			if got, want := fontOp(id, size), fmt.Sprintf("BT /F%s %.2f Tf ET", id, size); got != want {
				t.Fatalf("fontOp(%q, %v) = %q, want %q", id, size, got, want)
			}
		}
	}
}
