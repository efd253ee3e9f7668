package renderers

import (
	"strings"

	"github.com/clearpack/clearpack/pipeline/model"
)

// SignatureBox is the box a document keeps for the declarant's signature,
// in PDF user space: points from the lower-left corner of the page.
type SignatureBox struct {
	Page       int // 1-based
	LowerLeftX float64
	LowerLeftY float64
	UpperRight [2]float64
}

// Width and Height of the box, in points.
func (b SignatureBox) Width() float64  { return b.UpperRight[0] - b.LowerLeftX }
func (b SignatureBox) Height() float64 { return b.UpperRight[1] - b.LowerLeftY }

// signatureCell is the signature box: who signs, where and when, in the
// document's languages. The embedded PDF signature is placed over it
// (archive/pades), so a viewer that shows signatures shows this box as the
// signature field; the text itself is part of the reproducible first
// revision and comes from the inputs only.
func (d *doc) signatureCell(w int, who model.Declarant, date string) cell {
	place := ""
	if d.place != "" {
		place = d.place + ", "
	}
	alt := d.l.Both("signature") + ": " + orDash(who.Name) + ", " + orDash(who.Position) + ", " + place + date
	return cell{w: w, box: true, figure: alt, paras: []para{
		{text: d.l.Both("signature"), size: sizeSmall, color: colorGray},
		{text: d.l.Both("signed_electronically") + ":", size: sizeSmall},
		{text: orDash(who.Name) + ", " + orDash(who.Position), bold: true},
		{text: place + date},
	}}
}

// markSignature records where the signature box of the row about to be
// added will be: x and w in millimetres from the left margin, h its height.
func (d *doc) markSignature(x, w, h float64) {
	const k = 72 / 25.4 // points per millimetre
	top := d.pageH - (margin + d.cur)
	d.sigBox = &SignatureBox{
		Page:       d.page + 1,
		LowerLeftX: (margin + x) * k,
		LowerLeftY: (top - h) * k,
		UpperRight: [2]float64{(margin + x + w) * k, top * k},
	}
}

// lastAddressPart is the last comma-separated part of an address (the city
// and postcode, in most formats).
func lastAddressPart(addr string) string {
	parts := strings.Split(addr, ",")
	return strings.TrimSpace(parts[len(parts)-1])
}
