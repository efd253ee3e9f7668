// nolint: dupl
package cellwriter

import (
	"github.com/johnfercher/maroto/v2/internal/providers/gofpdf/gofpdfwrapper"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/johnfercher/maroto/v2/pkg/props"
)

type fillColorStyler struct {
	stylerTemplate
}

func NewFillColorStyler(fpdf gofpdfwrapper.Fpdf) *fillColorStyler {
	return &fillColorStyler{
		stylerTemplate: stylerTemplate{
			fpdf: fpdf,
			name: "fillColorStyler",
		},
	}
}

func (f *fillColorStyler) Apply(width, height float64, config *entity.Config, prop *props.Cell) {
	if prop == nil {
		f.GoToNext(width, height, config, prop)
		return
	}

	if prop.BackgroundColor == nil {
		f.GoToNext(width, height, config, prop)
		return
	}

	// clearpack: restore the fill colour the cell found rather than white.
	// gofpdf draws text in the fill colour when it is the text colour and
	// wraps every text in "q <text colour> ... Q" when it is not, so a white
	// fill left behind by one background cell made every later (black) text
	// carry the wrapper. Nothing maroto draws depends on the fill colour
	// between cells: a background is filled with the colour set here.
	r, g, b := f.fpdf.GetFillColor()
	f.fpdf.SetFillColor(prop.BackgroundColor.Red, prop.BackgroundColor.Green, prop.BackgroundColor.Blue)
	f.GoToNext(width, height, config, prop)
	f.fpdf.SetFillColor(r, g, b)
}
