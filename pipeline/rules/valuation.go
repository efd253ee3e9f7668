package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/clearpack/clearpack/pipeline/model"
)

// Fields of a value declaration a country may require (the keys of the
// plan's valuation_declaration).
const (
	ValRelatedParty    = "related_party"
	ValPriceInfluenced = "price_influenced"
	ValRoyalties       = "royalties"
	ValAssists         = "assists"
	ValCommissions     = "commissions"
)

func valuationFields() []string {
	return []string{ValRelatedParty, ValPriceInfluenced, ValRoyalties, ValAssists, ValCommissions}
}

// ValuationDeclRule is a country's value declaration (Mexico's
// Manifestación de Valor, Colombia's DAV, Brazil's DUIMP valuation data,
// Chile's value declaration): its official name and the fields of the
// plan's valuation_declaration it requires. price_influenced is required
// only when related_party is yes.
type ValuationDeclRule struct {
	Name   string   `yaml:"name" json:"name"`
	Fields []string `yaml:"fields" json:"fields"`
	Basis  `yaml:",inline"`
}

func (p *Profile) validateValuation(add func(string, ...string), basis func(Basis, ...string)) {
	v := p.ValuationDeclaration
	if v == nil {
		return
	}
	if strings.TrimSpace(v.Name) == "" {
		add("name is empty: expected the declaration's official name", "valuation_declaration", "name")
	}
	if len(v.Fields) == 0 {
		add("fields is empty: expected what the declaration asks", "valuation_declaration", "fields")
	}
	for i, f := range v.Fields {
		if !slices.Contains(valuationFields(), f) {
			add(fmt.Sprintf("field %q: expected one of %s", f, strings.Join(valuationFields(), ", ")), "valuation_declaration", "fields", fmt.Sprint(i))
		}
	}
	basis(v.Basis, "valuation_declaration")
}

// checkValuationDeclaration: where the destination files a value
// declaration, the plan gives what it asks (valuation_declaration), so the
// invoice prints it and the broker files it without asking.
func checkValuationDeclaration(sh *shipment) []model.CheckResult {
	if !sh.hasDest || sh.dest.ValuationDeclaration == nil {
		return nil
	}
	rule := sh.dest.ValuationDeclaration
	v := sh.s.Valuation
	if v == nil {
		v = &model.ValuationDeclaration{}
	}
	given := map[string]bool{
		ValRelatedParty:    v.RelatedParty != "",
		ValPriceInfluenced: v.PriceInfluenced != "" || v.RelatedParty == model.No,
		ValRoyalties:       v.Royalties.Valid,
		ValAssists:         v.Assists.Valid,
		ValCommissions:     v.Commissions.Valid,
	}
	var f faults
	var missing []string
	for _, k := range rule.Fields {
		if !given[k] {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		f.add(rule.Basis, "%s: missing %s: %s's %s asks them", shipAt(sh.s, "valuation_declaration"), strings.Join(missing, ", "), sh.s.Destination, rule.Name)
	}
	if v.PriceInfluenced == model.Yes {
		f.warnf("%s: yes: a price the relationship influenced is not accepted as transaction value (WTO Valuation Agreement Art. 1.2(a)): declare another method", shipAt(sh.s, "valuation_declaration.price_influenced"))
	}
	if v.RelatedParty == model.No && strings.EqualFold(sh.s.Reason, "intra-company transfer") {
		f.failf("%s: no, but shipment %s is an intra-company transfer: buyer and seller are related", shipAt(sh.s, "valuation_declaration.related_party"), sh.s.ID)
	}
	return []model.CheckResult{f.result("valuation-declaration: "+rule.Name, rule.Cite(), rule.Name+" data given: "+strings.Join(rule.Fields, ", "))}
}
