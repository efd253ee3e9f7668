package renderers

import (
	"fmt"
	"sort"
	"strconv"
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
	// Permits are the licences and permits the goods were cleared under
	// (the plan's), as the pre-shipment documents name them.
	Permits []model.Permit `json:"permits,omitempty"`
	// Totals of the tariff lines, when the clearance has lines.
	LinesCustomsValue decimal.Decimal `json:"lines_customs_value,omitzero"`
	LinesDuty         decimal.Decimal `json:"lines_duty,omitzero"`
	LinesVAT          decimal.Decimal `json:"lines_vat,omitzero"`
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
	out := postClearanceData{Clearance: *c, TotalPaid: c.Total(), Permits: p.Shipment.Permits}
	for i, ln := range c.Lines {
		if strings.TrimSpace(ln.TariffLine) == "" {
			lloc := loc
			if ln.Src.File != "" {
				lloc = fmt.Sprintf("%s:%d: %s", ln.Src.File, ln.Src.Line, "clearance of "+p.Shipment.ID)
			}
			return nil, fmt.Errorf("%s: field lines[%d].tariff_line is empty", lloc, i)
		}
		out.LinesCustomsValue = out.LinesCustomsValue.Add(ln.CustomsValue)
		out.LinesDuty = out.LinesDuty.Add(ln.Duty)
		out.LinesVAT = out.LinesVAT.Add(ln.VAT)
	}
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
	entry := []kv{
		{"entry_number", c.EntryNumber},
		{"entry_date", c.EntryDate},
		{"release_date", c.ReleaseDate},
		{"port", c.Port},
		{"regime", c.Regime},
		{"release_status", held},
	}
	if !c.CustomsValue.IsZero() {
		v := d.nf.money(c.CustomsValue, c.Currency)
		if c.ValueBasis != "" {
			v += " (" + c.ValueBasis + ")"
		}
		entry = append(entry, kv{"customs_value", v})
		if !c.ExchangeRate.IsZero() {
			entry = append(entry, kv{"exchange_rate", fmt.Sprintf("%s %s = 1 %s (%s)", d.nf.num(c.ExchangeRate, max(0, -c.ExchangeRate.Exponent())), c.Currency, s.Currency, orDash(c.ExchangeRateDate))})
		}
	}
	refs := []kv{
		{"invoice_number", DocNumber(model.CommercialInvoice, p)},
		{"importer_tax_id", c.ImporterTaxID},
		{"customs_broker", c.Broker},
		{"pod_reference", c.PODReference},
		{"country_of_destination", countryName(s.Destination)},
	}
	// The licences the goods were cleared under, by their official names:
	// what an auditor asks for next to the entry.
	for _, pm := range pc.Permits {
		refs = append(refs, kv{"permit", permitText(pm, p.Extras.PermitNames)})
	}
	d.add(d.kvCell(half, "section.entry", entry), d.kvCell(d.width-half, "section.references", refs))
	d.add(d.partyCell(half, "party.importer_of_record", s.Parties.ImporterOfRecord, p.Extras.TaxIDNames), d.partyCell(d.width-half, "party.consignee", s.Parties.Consignee, p.Extras.TaxIDNames))
	d.space(2)

	if len(c.Lines) > 0 {
		buildClearanceLines(d, pc)
	}

	d.section("section.paid")
	ws := []int{120, d.width - 120}
	al := []align.Type{align.Left, align.Right}
	heads := d.heads(ws, []string{"col.charge", "col.amount"}, al...)
	heads[1].paras[0].text += " (" + c.Currency + ")"
	d.table(heads)
	if len(c.Taxes) > 0 {
		// Each duty, tax and fee by its national name, one line each.
		for _, tx := range c.Taxes {
			d.add(bodyCells(ws, []string{tx.Name, d.nf.amount(tx.Amount, c.Currency)}, al)...)
		}
	} else {
		for _, row := range []struct {
			key string
			v   decimal.Decimal
		}{{"duties", c.Duties}, {"vat", c.VAT}, {"fees", c.Fees}} {
			d.add(bodyCells(ws, []string{d.l.Both(row.key), d.nf.amount(row.v, c.Currency)}, al)...)
		}
	}
	tot := bodyCells(ws, []string{d.l.Both("total_paid"), d.nf.money(pc.TotalPaid, c.Currency)}, al)
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

// buildClearanceLines prints the entry's tariff lines with their totals.
func buildClearanceLines(d *doc, pc postClearanceData) {
	c := pc.Clearance
	d.section("section.tariff_lines")
	ws := []int{8, 26, 62, 28, 14, 26, 26}
	al := []align.Type{align.Center, align.Left, align.Left, align.Right, align.Right, align.Right, align.Right}
	heads := d.heads(ws, []string{"col.no", "col.tariff_line", "col.covers", "col.customs_value", "col.duty_rate", "col.duty", "col.vat"}, al...)
	for _, i := range []int{3, 5, 6} {
		heads[i].paras[0].text += " (" + c.Currency + ")"
	}
	d.table(heads)
	for i, ln := range c.Lines {
		// A zero rate with a duty is a specific (not ad valorem) duty.
		rate := d.nf.num(ln.DutyRate, 2)
		if ln.DutyRate.IsZero() && !ln.Duty.IsZero() {
			rate = "—"
		}
		cs := bodyCells(ws, []string{strconv.Itoa(i + 1), ln.TariffLine, "", d.nf.amount(ln.CustomsValue, c.Currency), rate,
			d.nf.amount(ln.Duty, c.Currency), d.nf.amount(ln.VAT, c.Currency)}, al)
		var covers []para
		if ln.Description != "" {
			covers = append(covers, para{text: ln.Description})
		}
		if len(ln.Assets) > 0 {
			covers = append(covers, para{text: d.l.Both("col.units") + " (" + strconv.Itoa(len(ln.Assets)) + "): " + strings.Join(ln.Assets, ", "), size: sizeSmall})
		}
		if len(covers) == 0 {
			covers = []para{{text: "—"}}
		}
		cs[2].paras = covers
		d.add(cs...)
	}
	tot := bodyCells(ws[2:], []string{"", d.nf.amount(pc.LinesCustomsValue, c.Currency), "", d.nf.amount(pc.LinesDuty, c.Currency), d.nf.amount(pc.LinesVAT, c.Currency)}, al[2:])
	label := cell{w: ws[0] + ws[1] + ws[2], box: true, paras: []para{{text: d.l.Both("lines_total"), bold: true}}}
	tot = append([]cell{label}, tot[1:]...)
	for i := range tot {
		for j := range tot[i].paras {
			tot[i].paras[j].bold = true
		}
	}
	d.add(tot...)
	d.endTable()
	d.space(3)
}
