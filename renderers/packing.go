package renderers

import (
	"fmt"
	"strconv"

	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/shopspring/decimal"

	"github.com/clearpack/clearpack/pipeline/model"
)

type packedUnit struct {
	AssetTag     string          `json:"asset_tag"`
	Serial       string          `json:"serial"`
	Manufacturer string          `json:"manufacturer"`
	Model        string          `json:"model"`
	PartNumber   string          `json:"part_number,omitempty"`
	HSCode       string          `json:"hs_code"`
	Condition    model.Condition `json:"condition"`
	NetWeightKg  decimal.Decimal `json:"net_weight_kg"`
}

type packedPackage struct {
	model.Package
	NetWeightKg decimal.Decimal `json:"net_weight_kg"`
	Units       []packedUnit    `json:"units"`
}

type packingData struct {
	Packages      []packedPackage `json:"packages"`
	Unpacked      []packedUnit    `json:"unpacked,omitempty"`
	Quantity      int             `json:"total_quantity"`
	NetWeightKg   decimal.Decimal `json:"total_net_weight_kg"`
	GrossWeightKg decimal.Decimal `json:"total_gross_weight_kg"`
}

func preparePacking(_ *Renderer, _ model.DocKind, p Pack) (any, error) {
	byTag := make(map[string]int, len(p.Assets))
	for i, a := range p.Assets {
		byTag[a.AssetTag] = i
		if _, ok := byTag[a.Serial]; !ok && a.Serial != "" {
			byTag[a.Serial] = i
		}
	}
	unit := func(a model.Asset) packedUnit {
		return packedUnit{AssetTag: a.AssetTag, Serial: a.Serial, Manufacturer: a.Manufacturer, Model: a.Model,
			PartNumber: a.PartNumber, HSCode: a.HSCode, Condition: a.Condition, NetWeightKg: a.NetWeightKg}
	}
	packed := make([]bool, len(p.Assets))
	var out packingData
	for _, pk := range p.Shipment.Packages {
		pp := packedPackage{Package: pk}
		for _, tag := range pk.Assets {
			i, ok := byTag[tag]
			if !ok {
				return nil, fmt.Errorf("shipment %s: package %s field assets names %q, expected an asset tag of the shipment", p.Shipment.ID, pk.ID, tag)
			}
			if packed[i] {
				return nil, fmt.Errorf("shipment %s: package %s field assets names %q, which is already in another package", p.Shipment.ID, pk.ID, tag)
			}
			packed[i] = true
			pp.Units = append(pp.Units, unit(p.Assets[i]))
			pp.NetWeightKg = pp.NetWeightKg.Add(p.Assets[i].NetWeightKg)
		}
		out.Packages = append(out.Packages, pp)
		out.GrossWeightKg = out.GrossWeightKg.Add(pk.GrossWeightKg)
	}
	for i, a := range p.Assets {
		if !packed[i] {
			out.Unpacked = append(out.Unpacked, unit(a))
			out.GrossWeightKg = out.GrossWeightKg.Add(a.GrossWeightKg)
		}
		out.NetWeightKg = out.NetWeightKg.Add(a.NetWeightKg)
		out.Quantity++
	}
	return out, nil
}

func dims(pk model.Package) string {
	if pk.LengthCm.IsZero() && pk.WidthCm.IsZero() && pk.HeightCm.IsZero() {
		return "—"
	}
	return pk.LengthCm.String() + " × " + pk.WidthCm.String() + " × " + pk.HeightCm.String()
}

func buildPacking(d *doc, p Pack, data any) {
	pl := data.(packingData)
	s := p.Shipment
	half := d.width / 2
	d.add(d.partyCell(half, "party.exporter", s.Parties.Exporter, p.Extras.TaxIDNames), d.partyCell(d.width-half, "party.consignee", s.Parties.Consignee, p.Extras.TaxIDNames))
	d.add(d.kvCell(d.width, "", []kv{
		{"invoice_number", DocNumber(model.CommercialInvoice, p)},
		{"transport", transportText(s.Transport)},
		{"incoterms", s.Incoterms.Rule + " " + s.Incoterms.Place},
	}))
	d.space(2)

	// Summary of packages.
	d.section("section.packages")
	ws := []int{28, 20, 52, 36, 18, 18, 18}
	al := []align.Type{align.Left, align.Left, align.Left, align.Center, align.Right, align.Right, align.Right}
	d.table(d.heads(ws, []string{"col.package", "col.type", "col.marks", "col.dimensions", "col.units", "col.net_weight", "col.gross_weight"}, al...))
	for _, pk := range pl.Packages {
		d.add(bodyCells(ws, []string{pk.ID, d.l.opt("package_type.", pk.Type), orDash(pk.Marks), dims(pk.Package),
			strconv.Itoa(len(pk.Units)), num(pk.NetWeightKg, 2), num(pk.GrossWeightKg, 2)}, al)...)
	}
	d.endTable()
	tot := []kv{
		{"total_packages", strconv.Itoa(len(pl.Packages))},
		{"total_quantity", strconv.Itoa(pl.Quantity)},
		{"total_net_weight", num(pl.NetWeightKg, 2) + " kg"},
		{"total_gross_weight", num(pl.GrossWeightKg, 2) + " kg"},
	}
	d.add(d.kvCell(d.width, "", tot))
	d.space(3)

	// Contents, package by package.
	d.section("section.contents")
	uw := []int{9, 30, 36, 57, 28, 30}
	ual := []align.Type{align.Center, align.Left, align.Left, align.Left, align.Left, align.Right}
	uheads := d.heads(uw, []string{"col.no", "col.asset_tag", "col.serial", "col.make_model", "col.hs_code", "col.net_weight"}, ual...)
	n := 0
	group := func(title string, units []packedUnit) {
		d.heading = nil
		d.keep(3 * (lineHeight(sizeBody)*2 + padTop + padBottom))
		d.add(cell{w: d.width, box: true, fill: colorFill, paras: []para{{text: title, bold: true}}})
		d.table(uheads)
		for _, u := range units {
			n++
			mm := u.Manufacturer + " " + u.Model
			if u.PartNumber != "" {
				mm += " (" + u.PartNumber + ")"
			}
			d.add(bodyCells(uw, []string{strconv.Itoa(n), u.AssetTag, u.Serial, mm, u.HSCode, num(u.NetWeightKg, 2)}, ual)...)
		}
		d.endTable()
	}
	for _, pk := range pl.Packages {
		title := fmt.Sprintf("%s: %s · %s · %s cm · %s kg · %s: %d", d.l.Both("col.package"), pk.ID,
			d.l.opt("package_type.", pk.Type), dims(pk.Package), num(pk.GrossWeightKg, 2), d.l.Both("col.units"), len(pk.Units))
		if pk.Marks != "" {
			title += " · " + d.l.Both("col.marks") + ": " + pk.Marks
		}
		group(title, pk.Units)
	}
	if len(pl.Unpacked) > 0 {
		group(d.l.Both("unpacked"), pl.Unpacked)
	}
}
