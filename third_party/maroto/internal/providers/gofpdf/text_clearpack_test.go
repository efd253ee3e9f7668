package gofpdf_test

// clearpack: props.Text.NoWrap draws a text that fits on one line as the
// wrapping path does, and skips the measuring that only the wrapping needs.

import (
	"bytes"
	"math/rand"
	"strings"
	"testing"
	"time"

	fpdf "github.com/phpdave11/gofpdf"
	"github.com/stretchr/testify/assert"

	"github.com/johnfercher/maroto/v2/internal/providers/gofpdf"
	"github.com/johnfercher/maroto/v2/mocks"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontfamily"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/johnfercher/maroto/v2/pkg/props"
)

// TestText_NoWrap_SameAsWrappingWhenItFits draws random texts that fit
// their column (some exactly) with and without NoWrap, in every alignment
// and with hyperlinks, and compares the two documents byte for byte.
func TestText_NoWrap_SameAsWrappingWhenItFits(t *testing.T) {
	rng := rand.New(rand.NewSource(18))
	letters := "abcdefghijKLMNOPQ0123456789.,-/()"
	aligns := []align.Type{align.Left, align.Center, align.Right, align.Justify}
	render := func(noWrap bool) []byte {
		rng := rand.New(rand.NewSource(rng.Int63()))
		pdf := fpdf.New("P", "mm", "A4", "")
		pdf.SetCompression(false)
		// Fonts in name order, as clearpack's renderers have them
		// (gofpdf.SetDefaultCatalogSort): without it the font objects
		// follow map order, and two renders of the same page differ.
		pdf.SetCatalogSort(true)
		when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		pdf.SetCreationDate(when)
		pdf.SetModificationDate(when)
		pdf.AddPage()
		font := gofpdf.NewFont(pdf, 10, fontfamily.Arial, fontstyle.Normal)
		text := gofpdf.NewText(pdf, nil, font)
		for i := 0; i < 400; i++ {
			if i%40 == 39 {
				pdf.AddPage()
			}
			var words []string
			for n := 1 + rng.Intn(6); n > 0; n-- {
				w := make([]byte, 1+rng.Intn(12))
				for j := range w {
					w[j] = letters[rng.Intn(len(letters))]
				}
				words = append(words, string(w))
			}
			s := strings.Join(words, " ")
			size := 5 + float64(rng.Intn(8))
			style := []fontstyle.Type{fontstyle.Normal, fontstyle.Bold}[rng.Intn(2)]
			font.SetFont(fontfamily.Arial, style, size)
			slack := 0.0
			if rng.Intn(3) > 0 {
				slack = rng.Float64() * 20
			}
			left, right := rng.Float64()*3, rng.Float64()*3
			if slack == 0 { // an exact fit: no margins to add and take away again
				left, right = 0, 0
			}
			prop := props.Text{
				Family: fontfamily.Arial, Style: style, Size: size, Align: aligns[rng.Intn(len(aligns))],
				Left: left, Right: right, Top: rng.Float64() * 2, NoWrap: noWrap,
			}
			if rng.Intn(10) == 0 {
				link := "https://example.com/" + words[0]
				prop.Hyperlink = &link
			}
			prop.MakeValid(&props.Font{Family: fontfamily.Arial, Size: 10, Style: fontstyle.Normal})
			cell := &entity.Cell{
				X: 10, Y: float64(i%40) * 6, Width: pdf.GetStringWidth(s) + left + right + slack, Height: 6,
			}
			text.Add(s, cell, &prop)
		}
		var b bytes.Buffer
		if err := pdf.Output(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	seed := rng.Int63()
	rng.Seed(seed)
	wrapped := render(false)
	rng.Seed(seed)
	noWrap := render(true)
	assert.True(t, bytes.Equal(wrapped, noWrap), "NoWrap drew different bytes from the wrapping path")
	assert.Greater(t, len(wrapped), 10000)
}

// TestText_NoWrap_LeftNotMeasured: a left-aligned NoWrap text without a
// hyperlink is drawn on one line without measuring it (the mock fails on any
// GetStringWidth call), however wide it is; it counts as one line.
func TestText_NoWrap_LeftNotMeasured(t *testing.T) {
	prop := &props.Text{Align: align.Left, NoWrap: true}
	prop.MakeValid(&props.Font{Family: "dejavu", Size: 10, Style: fontstyle.Normal})
	s := "a line far wider than its column"

	font := mocks.NewFont(t)
	font.EXPECT().SetFont(prop.Family, prop.Style, prop.Size)
	font.EXPECT().GetHeight(prop.Family, prop.Style, prop.Size).Return(4)
	font.EXPECT().GetColor().Return(&props.BlackColor)
	font.EXPECT().SetColor(&props.BlackColor)
	pdf := mocks.NewFpdf(t)
	pdf.EXPECT().GetMargins().Return(10, 10, 10, 10)
	pdf.EXPECT().Text(12.0, 10+5+4.0, s).Once()

	text := gofpdf.NewText(pdf, mocks.NewMath(t), font)
	text.Add(s, &entity.Cell{X: 2, Y: 5, Width: 5, Height: 10}, prop)
	assert.Equal(t, 1, text.GetLinesQuantity(s, prop, 5))
	assert.Equal(t, 0, text.GetLinesQuantity("   ", prop, 5))
	pdf.AssertNumberOfCalls(t, "GetStringWidth", 0)
}
