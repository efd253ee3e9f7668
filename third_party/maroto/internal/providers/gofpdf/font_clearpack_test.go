package gofpdf_test

// clearpack: font.SetFont and font.SetColor skip the gofpdf call when it
// would apply what is already applied.

import (
	"testing"

	"github.com/johnfercher/maroto/v2/internal/providers/gofpdf"
	"github.com/johnfercher/maroto/v2/mocks"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontfamily"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/props"
	"github.com/stretchr/testify/assert"
)

func TestFont_SetFont_SameFontAppliedOnce(t *testing.T) {
	fpdf := mocks.NewFpdf(t)
	fpdf.EXPECT().SetFont(fontfamily.Arial, string(fontstyle.Bold), 10.0).Once()
	fpdf.EXPECT().SetFont(fontfamily.Arial, string(fontstyle.Normal), 10.0).Once()
	fpdf.EXPECT().SetFont(fontfamily.Arial, string(fontstyle.Normal), 12.0).Once()
	fpdf.EXPECT().SetFontSize(10.0).Once()
	fpdf.EXPECT().SetFontStyle(string(fontstyle.Bold)).Once()
	font := gofpdf.NewFont(fpdf, 10, fontfamily.Arial, fontstyle.Bold)

	font.SetFont(fontfamily.Arial, fontstyle.Bold, 10)       // as NewFont applied: skipped
	_ = font.GetHeight(fontfamily.Arial, fontstyle.Bold, 10) // skipped
	font.SetFont(fontfamily.Arial, fontstyle.Normal, 10)     // applied
	font.SetFont(fontfamily.Arial, fontstyle.Normal, 10)     // skipped
	font.SetFont(fontfamily.Arial, fontstyle.Normal, 12)     // applied
	font.SetSize(10)                                         // SetSize always applies
	font.SetStyle(fontstyle.Bold)                            // SetStyle always applies
	font.SetFont(fontfamily.Arial, fontstyle.Bold, 10)       // what SetSize and SetStyle applied: skipped

	assert.Equal(t, fontstyle.Bold, font.GetStyle())
	assert.Equal(t, 10.0, font.GetSize())
	fpdf.AssertNumberOfCalls(t, "SetFont", 3)
	fpdf.AssertNumberOfCalls(t, "SetFontSize", 1)
}

func TestFont_SetColor_SameColourAppliedOnce(t *testing.T) {
	fpdf := mocks.NewFpdf(t)
	fpdf.EXPECT().SetFont(fontfamily.Arial, string(fontstyle.Bold), 10.0)
	fpdf.EXPECT().SetTextColor(0, 0, 0).Times(3)
	fpdf.EXPECT().SetTextColor(200, 0, 0).Times(2)
	font := gofpdf.NewFont(fpdf, 10, fontfamily.Arial, fontstyle.Bold)

	black := &props.Color{}
	font.SetColor(black)          // first colour: applied, whatever pdf had
	font.SetColor(&props.Color{}) // same value, another pointer: skipped
	same := &props.Color{}
	font.SetColor(same) // skipped, but GetColor returns the pointer last passed, as upstream
	assert.Same(t, same, font.GetColor())
	red := &props.Color{Red: 200}
	font.SetColor(red)                    // applied
	font.SetColor(&props.Color{Red: 200}) // skipped
	font.SetColor(black)                  // applied
	red2 := &props.Color{Red: 200}
	font.SetColor(red2) // applied
	red2.Red = 0        // the caller changes its colour...
	font.SetColor(red2) // ...and sets it again: applied (0,0,0)
	font.SetColor(nil)  // ignored, as upstream

	assert.Equal(t, &props.Color{}, font.GetColor())
	fpdf.AssertNumberOfCalls(t, "SetTextColor", 5)
}
