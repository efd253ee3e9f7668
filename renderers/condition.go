package renderers

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/shopspring/decimal"

	"github.com/clearpack/clearpack/pipeline/model"
)

type conditionUnit struct {
	AssetTag                 string          `json:"asset_tag"`
	Serial                   string          `json:"serial"`
	Manufacturer             string          `json:"manufacturer"`
	Model                    string          `json:"model"`
	PartNumber               string          `json:"part_number,omitempty"`
	YearOfMfr                int             `json:"year_of_manufacture,omitempty"`
	Condition                model.Condition `json:"condition"`
	Grade                    string          `json:"grade,omitempty"`
	GradingStandard          string          `json:"grading_standard,omitempty"`
	TestResult               string          `json:"test_result,omitempty"`
	TestedBy                 string          `json:"tested_by,omitempty"`
	TestedOn                 string          `json:"tested_on,omitempty"`
	SanitisationMethod       string          `json:"sanitisation_method,omitempty"`
	SanitisationText         string          `json:"sanitisation_text,omitempty"`
	SanitisationDate         string          `json:"sanitisation_date,omitempty"`
	SanitisationOperator     string          `json:"sanitisation_operator,omitempty"`
	SanitisationVerification string          `json:"sanitisation_verification,omitempty"`
	Refurbisher              string          `json:"refurbisher,omitempty"`
	ValuationMethod          int             `json:"valuation_method,omitempty"`
	OriginalCost             decimal.Decimal `json:"original_cost"`
	DepreciationBasis        string          `json:"depreciation_basis,omitempty"`
	DeclaredValue            decimal.Decimal `json:"declared_value"`
}

type conditionData struct {
	Currency      string          `json:"currency"`
	Units         []conditionUnit `json:"units"`
	DeclaredTotal decimal.Decimal `json:"declared_total"`
	Declarant     model.Declarant `json:"declarant"`
	// SwornNotWaste: the destination wants the not-waste statement sworn by
	// the declarant (Pack.Extras).
	SwornNotWaste bool `json:"sworn_not_waste,omitempty"`
	// FallbackReason says why methods 2 and 3 did not apply to the units
	// declared under method 6 (the plan's valuation_declaration).
	FallbackReason string `json:"fallback_reason,omitempty"`
}

func prepareCondition(r *Renderer, _ model.DocKind, p Pack) (any, error) {
	cur, err := r.checkCurrency(p)
	if err != nil {
		return nil, err
	}
	out := conditionData{Currency: cur, Declarant: p.Shipment.Declarant, SwornNotWaste: p.Extras.SwornNotWaste}
	if v := p.Shipment.Valuation; v != nil {
		out.FallbackReason = strings.TrimSpace(v.FallbackReason)
	}
	if out.SwornNotWaste && (strings.TrimSpace(out.Declarant.Name) == "" || strings.TrimSpace(out.Declarant.Position) == "") {
		return nil, fmt.Errorf("shipment %s: field declarant needs a name and a position, expected both for the sworn not-waste declaration %s requires", p.Shipment.ID, p.Shipment.Destination)
	}
	for _, a := range p.Assets {
		if !a.Condition.IsSecondHand() {
			continue
		}
		if a.ValuationMethod < 0 || a.ValuationMethod > 6 {
			return nil, fmt.Errorf("%s: field valuation_method is %d, expected a WTO Valuation Agreement method 1 to 6", where(a), a.ValuationMethod)
		}
		out.Units = append(out.Units, conditionUnit{
			AssetTag: a.AssetTag, Serial: a.Serial, Manufacturer: a.Manufacturer, Model: a.Model, PartNumber: a.PartNumber,
			YearOfMfr: a.YearOfMfr, Condition: a.Condition, Grade: a.Grade, GradingStandard: a.GradingStandard,
			TestResult: a.TestResult, TestedBy: a.TestedBy, TestedOn: a.TestedOn,
			SanitisationMethod: a.SanitisationMethod, SanitisationText: a.SanitisationText, SanitisationDate: a.SanitisationDate,
			SanitisationOperator: a.SanitisationOperator, SanitisationVerification: a.SanitisationVerification,
			Refurbisher: a.Refurbisher, ValuationMethod: a.ValuationMethod, OriginalCost: a.OriginalCost,
			DepreciationBasis: a.DepreciationBasis, DeclaredValue: a.UnitValue,
		})
		out.DeclaredTotal = out.DeclaredTotal.Add(a.UnitValue)
	}
	if len(out.Units) == 0 {
		return nil, fmt.Errorf("shipment %s: no used or refurbished units, so no condition declaration", p.Shipment.ID)
	}
	return out, nil
}

func joinNonEmpty(sep string, ss ...string) string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, sep)
}

func buildCondition(d *doc, p Pack, data any) {
	cd := data.(conditionData)
	s := p.Shipment
	third := d.width / 3
	d.add(d.partyCell(third, "party.exporter", s.Parties.Exporter, p.Extras.TaxIDNames),
		d.partyCell(third, "party.importer_of_record", s.Parties.ImporterOfRecord, p.Extras.TaxIDNames),
		d.kvCell(d.width-2*third, "", []kv{
			{"invoice_number", DocNumber(model.CommercialInvoice, p)},
			{"reason_for_export", d.reasonText(s.Reason)},
			{"country_of_export", countryName(s.Origin)},
			{"country_of_destination", countryName(s.Destination)},
			{"currency", cd.Currency},
		}))
	d.space(2)

	ws := []int{8, 44, 14, 30, 30, 42, 28, 33, 24, 24}
	al := []align.Type{align.Center, align.Left, align.Center, align.Left, align.Left, align.Left, align.Left, align.Left, align.Right, align.Right}
	heads := d.heads(ws, []string{"col.no", "col.unit", "col.year", "col.grade", "col.test", "col.sanitisation",
		"col.refurbisher", "col.valuation", "col.original_cost", "col.declared_value"}, al...)
	heads[8].paras[0].text += " (" + cd.Currency + ")"
	heads[9].paras[0].text += " (" + cd.Currency + ")"
	d.table(heads)
	for i, u := range cd.Units {
		year := "—"
		if u.YearOfMfr > 0 {
			year = strconv.Itoa(u.YearOfMfr)
		}
		cs := bodyCells(ws, []string{strconv.Itoa(i + 1), "", year, "", "", "", orDash(u.Refurbisher), "",
			d.nf.amount(u.OriginalCost, cd.Currency), d.nf.amount(u.DeclaredValue, cd.Currency)}, al)
		cs[1].paras = []para{
			{text: u.Manufacturer + " " + u.Model, bold: true},
			{text: "S/N " + u.Serial + " · " + u.AssetTag, size: sizeSmall},
		}
		if u.PartNumber != "" {
			cs[1].paras = append(cs[1].paras, para{text: "P/N " + u.PartNumber, size: sizeSmall})
		}
		cs[3].paras = []para{
			{text: d.l.opt("condition.", string(u.Condition)), size: sizeSmall},
			{text: joinNonEmpty(" · ", u.Grade, u.GradingStandard), size: sizeSmall},
		}
		cs[4].paras = []para{
			{text: orDash(u.TestResult), bold: true, size: sizeSmall},
			{text: joinNonEmpty(" · ", u.TestedBy, u.TestedOn), size: sizeSmall},
		}
		method := u.SanitisationMethod
		if method != "" {
			if _, ok := d.l.en.Labels["sanitisation."+strings.ToLower(method)]; ok {
				method = d.l.Both("sanitisation." + strings.ToLower(method))
			}
		}
		cs[5].paras = []para{
			{text: orDash(method) + " · " + orDash(u.SanitisationDate), size: sizeSmall, bold: true},
		}
		if u.SanitisationText != "" { // the method as the inventory worded it
			cs[5].paras = append(cs[5].paras, para{text: u.SanitisationText, size: sizeSmall})
		}
		cs[5].paras = append(cs[5].paras, para{text: joinNonEmpty(" · ", u.SanitisationOperator, u.SanitisationVerification), size: sizeSmall})
		val := "—"
		if u.ValuationMethod > 0 {
			val = fmt.Sprintf("%s %d: %s", d.l.En("wto_method"), u.ValuationMethod, d.l.Both("wto."+strconv.Itoa(u.ValuationMethod)))
		}
		cs[7].paras = []para{{text: val, size: sizeSmall}}
		if u.DepreciationBasis != "" {
			cs[7].paras = append(cs[7].paras, para{text: u.DepreciationBasis, size: sizeSmall, color: colorGray})
		}
		if u.ValuationMethod == 6 && u.OriginalCost.IsPositive() {
			// The declared value as a share of the original cost, beside
			// the grade: what a method-6 value of a graded unit rests on.
			share := d.nf.num(u.DeclaredValue.Mul(decimal.NewFromInt(100)).Div(u.OriginalCost), 1) + " %"
			cs[7].paras = append(cs[7].paras, para{text: joinNonEmpty(": ", d.l.En("grade")+" "+orDash(u.Grade), share+" "+d.l.En("of_original_cost")), size: sizeSmall})
			// and in the declaration's second language, as every other
			// statement of it.
			if g, o := d.l.Loc("grade"), d.l.Loc("of_original_cost"); g != "" || o != "" {
				cs[7].paras = append(cs[7].paras, para{text: joinNonEmpty(": ", d.l.Tr("grade")+" "+orDash(u.Grade), share+" "+d.l.Tr("of_original_cost")), size: sizeSmall, color: colorGray})
			}
		}
		d.add(cs...)
	}
	d.endTable()
	tw := ws[0] + ws[1] + ws[2] + ws[3] + ws[4] + ws[5] + ws[6] + ws[7] + ws[8]
	d.add(cell{w: tw, box: true, align: align.Right, paras: []para{{text: d.l.Both("declared_total") + fmt.Sprintf(" (%d)", len(cd.Units)), bold: true}}},
		cell{w: d.width - tw, box: true, align: align.Right, paras: []para{{text: d.nf.amount(cd.DeclaredTotal, cd.Currency), bold: true}}})
	d.space(3)
	if cd.SwornNotWaste {
		who := []string{"name", cd.Declarant.Name, "position", cd.Declarant.Position}
		ps := []para{{text: fill(d.l.En("statement.sworn_not_waste"), who...), bold: true}}
		if loc := d.l.Loc("statement.sworn_not_waste"); loc != "" {
			ps = append(ps, para{text: fill(loc, who...), bold: true, color: colorGray})
		}
		d.add(cell{w: d.width, box: true, paras: ps})
	} else {
		d.add(cell{w: d.width, box: true, paras: d.statement("statement.not_waste", true)})
	}
	d.add(cell{w: d.width, box: true, paras: d.statement("statement.valuation", false)})
	if m6 := slices.ContainsFunc(cd.Units, func(u conditionUnit) bool { return u.ValuationMethod == 6 }); m6 && cd.FallbackReason != "" {
		ps := append(d.statement("statement.fallback", true), para{text: cd.FallbackReason})
		d.add(cell{w: d.width, box: true, paras: ps})
	}
	d.add(cell{w: d.width, box: true, paras: d.statement("statement.sanitisation", false)})
	d.space(2)
	d.signature("statement.condition_declaration", cd.Declarant, invoiceDateOf(s))
}

// invoiceDateOf is the invoice date, or the ship date when it is not given.
func invoiceDateOf(s model.Shipment) string {
	if s.InvoiceDate != "" {
		return s.InvoiceDate
	}
	return s.ShipDate
}
