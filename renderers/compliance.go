package renderers

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/johnfercher/maroto/v2/pkg/consts/align"

	"github.com/clearpack/clearpack/pipeline/model"
)

type complianceData struct {
	Checks []complianceCheck `json:"checks"`
	Pass   int               `json:"pass"`
	Warn   int               `json:"warn"`
	Fail   int               `json:"fail"`
	// PassUnconfirmed counts the passes resting on a rule whose source is
	// marked verify or unsourced.
	PassUnconfirmed int `json:"pass_unconfirmed"`
}

// complianceCheck is a check as the summary prints it: input file names and
// lines taken out (a document names shipments, units and fields, not the
// files of whoever prepared it), and whether its source is confirmed.
type complianceCheck struct {
	model.CheckResult
	SourceConfirmed bool `json:"source_confirmed"`
}

// inputRef is a file reference in a check's text: "../plan.yaml:477: ",
// "countries/BR.yaml", "templates/hs/harmonized-system.csv", "(input): ".
var inputRef = regexp.MustCompile(`(?:\(input\)|[A-Za-z0-9_./\\-]*[A-Za-z0-9_-]\.(?:ya?ml|json|csv))(?::[0-9]+)?(?::[ ]*)?`)

var (
	repeatedCommas = regexp.MustCompile(`(?:,\s*){2,}`)
	repeatedSemis  = regexp.MustCompile(`;\s*;`)
	emptyParens    = regexp.MustCompile(`\(\s*[,;]?\s*\)`)
)

// withoutFiles removes file references from a check's text.
func withoutFiles(s string) string {
	s = inputRef.ReplaceAllString(s, "")
	s = repeatedCommas.ReplaceAllString(s, ", ")
	s = repeatedSemis.ReplaceAllString(s, ";")
	s = emptyParens.ReplaceAllString(s, "")
	return strings.Trim(strings.TrimSpace(s), ",; ")
}

// unconfirmed reports whether a rule's citation (rules.Basis.Cite) marks its
// source as not confirmed.
func unconfirmed(source string) bool {
	return strings.Contains(source, ", verify)") || strings.Contains(source, ", unsourced)")
}

func prepareCompliance(_ *Renderer, _ model.DocKind, p Pack) (any, error) {
	var out complianceData
	for _, c := range p.Checks {
		cc := complianceCheck{CheckResult: c, SourceConfirmed: !unconfirmed(c.Source)}
		cc.Source = withoutFiles(c.Source)
		if cc.Source == "" {
			cc.Source = "country profiles"
		}
		cc.Detail = withoutFiles(c.Detail)
		out.Checks = append(out.Checks, cc)
	}
	for i, c := range p.Checks {
		switch c.Status {
		case model.Pass:
			out.Pass++
			if unconfirmed(c.Source) {
				out.PassUnconfirmed++
			}
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
		{"passes_unconfirmed", fmt.Sprintf("%d / %d", cd.PassUnconfirmed, cd.Pass)},
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
		if c.Status == model.Pass && !c.SourceConfirmed {
			cs[2].paras = append(cs[2].paras, para{text: d.l.Both("source_unconfirmed"), size: sizeSmall, color: colorWarn})
		}
		cs[3].paras[0].size = sizeSmall
		cs[4].paras[0].size = sizeSmall
		d.add(cs...)
	}
	d.endTable()
}
