package renderers

import (
	"fmt"
	"sort"
	"strings"

	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/shopspring/decimal"

	"github.com/clearpack/clearpack/pipeline/model"
)

type preShipmentDoc struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
}

type postClearanceData struct {
	Clearance   model.Clearance  `json:"clearance"`
	TotalPaid   decimal.Decimal  `json:"total_paid"`
	PreShipment []preShipmentDoc `json:"pre_shipment_documents"`
}

func preparePostClearance(_ *Renderer, _ model.DocKind, p Pack) (any, error) {
	c := p.Clearance
	if c == nil {
		return nil, fmt.Errorf("shipment %s: no clearance record, expected one for a post-clearance pack", p.Shipment.ID)
	}
	loc := "clearance of " + p.Shipment.ID
	if c.Src.File != "" {
		loc = fmt.Sprintf("%s:%d: %s", c.Src.File, c.Src.Line, loc)
	}
	if c.ShipmentID != "" && c.ShipmentID != p.Shipment.ID {
		return nil, fmt.Errorf("%s: field shipment_id is %q, expected %q", loc, c.ShipmentID, p.Shipment.ID)
	}
	if c.EntryNumber == "" {
		return nil, fmt.Errorf("%s: field entry_number is empty", loc)
	}
	out := postClearanceData{Clearance: *c, TotalPaid: c.Total()}
	names := make([]string, 0, len(p.PreShipment))
	for n := range p.PreShipment {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		out.PreShipment = append(out.PreShipment, preShipmentDoc{Name: n, SHA256: strings.ToLower(p.PreShipment[n])})
	}
	return out, nil
}

func buildPostClearance(d *doc, p Pack, data any) {
	pc := data.(postClearanceData)
	c := pc.Clearance
	s := p.Shipment
	half := d.width / 2
	held := d.l.Both("released_without_hold")
	if c.Held {
		held = d.l.Both("held_before_release")
	}
	d.add(d.kvCell(half, "section.entry", []kv{
		{"entry_number", c.EntryNumber},
		{"entry_date", c.EntryDate},
		{"release_date", c.ReleaseDate},
		{"port", c.Port},
		{"regime", c.Regime},
		{"release_status", held},
	}), d.kvCell(d.width-half, "section.references", []kv{
		{"invoice_number", DocNumber(model.CommercialInvoice, p)},
		{"importer_tax_id", c.ImporterTaxID},
		{"customs_broker", c.Broker},
		{"pod_reference", c.PODReference},
		{"country_of_destination", countryName(s.Destination)},
	}))
	d.add(d.partyCell(half, "party.importer_of_record", s.Parties.ImporterOfRecord), d.partyCell(d.width-half, "party.consignee", s.Parties.Consignee))
	d.space(2)

	d.section("section.paid")
	ws := []int{120, d.width - 120}
	al := []align.Type{align.Left, align.Right}
	heads := d.heads(ws, []string{"col.charge", "col.amount"}, al...)
	heads[1].paras[0].text += " (" + c.Currency + ")"
	d.table(heads)
	for _, row := range []struct {
		key string
		v   decimal.Decimal
	}{{"duties", c.Duties}, {"vat", c.VAT}, {"fees", c.Fees}} {
		d.add(bodyCells(ws, []string{d.l.Both(row.key), money(row.v, c.Currency)}, al)...)
	}
	tot := bodyCells(ws, []string{d.l.Both("total_paid"), moneyCur(pc.TotalPaid, c.Currency)}, al)
	tot[0].paras[0].bold, tot[1].paras[0].bold = true, true
	d.add(tot...)
	d.endTable()
	d.space(3)

	d.section("section.pre_shipment")
	dw := []int{62, d.width - 62}
	d.table(d.heads(dw, []string{"col.document", "col.sha256"}))
	if len(pc.PreShipment) == 0 {
		d.add(cell{w: d.width, box: true, paras: []para{{text: d.l.Both("none_recorded")}}})
	}
	for _, ps := range pc.PreShipment {
		cs := bodyCells(dw, []string{ps.Name, ps.SHA256}, nil)
		cs[1].paras[0].size = sizeSmall
		d.add(cs...)
	}
	d.endTable()
	d.space(3)
	d.add(cell{w: d.width, box: true, paras: d.statement("statement.post_clearance", false)})
}
