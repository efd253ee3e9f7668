package renderers

import (
	"fmt"
	"strconv"

	"github.com/johnfercher/maroto/v2/pkg/consts/align"

	"github.com/clearpack/clearpack/pipeline/model"
)

type complianceData struct {
	Checks []model.CheckResult `json:"checks"`
	Pass   int                 `json:"pass"`
	Warn   int                 `json:"warn"`
	Fail   int                 `json:"fail"`
}

func prepareCompliance(_ *Renderer, _ model.DocKind, p Pack) (any, error) {
	out := complianceData{Checks: append([]model.CheckResult{}, p.Checks...)}
	for i, c := range p.Checks {
		switch c.Status {
		case model.Pass:
			out.Pass++
		case model.Warn:
			out.Warn++
		case model.Fail:
			out.Fail++
		default:
			return nil, fmt.Errorf("shipment %s: check %d (%s) has status %q, expected pass, warn or fail", p.Shipment.ID, i+1, c.Rule, c.Status)
		}
	}
	return out, nil
}

func buildCompliance(d *doc, p Pack, data any) {
	cd := data.(complianceData)
	s := p.Shipment
	d.add(d.kvCell(d.width, "", []kv{
		{"invoice_number", DocNumber(model.CommercialInvoice, p)},
		{"country_of_export", countryName(s.Origin)},
		{"country_of_destination", countryName(s.Destination)},
		{"checks_result", fill(d.l.Both("checks_counts"), "pass", strconv.Itoa(cd.Pass), "warn", strconv.Itoa(cd.Warn), "fail", strconv.Itoa(cd.Fail))},
	}))
	d.space(2)
	ws := []int{8, 44, 18, 42, d.width - 112}
	al := []align.Type{align.Center, align.Left, align.Center}
	d.table(d.heads(ws, []string{"col.no", "col.rule", "col.status", "col.source", "col.detail"}, al...))
	if len(cd.Checks) == 0 {
		d.add(cell{w: d.width, box: true, paras: []para{{text: d.l.Both("none_recorded")}}})
	}
	for i, c := range cd.Checks {
		cs := bodyCells(ws, []string{strconv.Itoa(i + 1), c.Rule, "", orDash(c.Source), orDash(c.Detail)}, al)
		color := colorPass
		switch c.Status {
		case model.Warn:
			color = colorWarn
		case model.Fail:
			color = colorFail
		}
		cs[2].paras = []para{{text: d.l.En("status." + string(c.Status)), bold: true, color: color}}
		if loc := d.l.Loc("status." + string(c.Status)); loc != "" {
			cs[2].paras = append(cs[2].paras, para{text: loc, size: sizeSmall, color: color})
		}
		cs[3].paras[0].size = sizeSmall
		cs[4].paras[0].size = sizeSmall
		d.add(cs...)
	}
	d.endTable()
}
