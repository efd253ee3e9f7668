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
	// ValFallbackReason is why methods 2 and 3 did not apply, asked of
	// shipments with units declared under method 6.
	ValFallbackReason = "fallback_reason"
)

func valuationFields() []string {
	return []string{ValRelatedParty, ValPriceInfluenced, ValRoyalties, ValAssists, ValCommissions, ValFallbackReason}
}

// ValuationDeclRule is a country's value declaration (Mexico's
// Manifestación de Valor, Colombia's DAV, Brazil's DUIMP valuation data,
// Chile's value declaration): its official name and the fields of the
// plan's valuation_declaration it requires. price_influenced is required
// only when related_party is yes, fallback_reason only of a shipment with
// units declared under method 6.
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

// method6 are the second-hand units declared under WTO method 6.
func (sh *shipment) method6() []*model.Asset {
	var m6 []*model.Asset
	for _, a := range sh.assets {
		if a.ValuationMethod == 6 && a.Condition.IsSecondHand() {
			m6 = append(m6, a)
		}
	}
	return m6
}

// requiresFallbackReason: the destination's value declaration asks why
// methods 2 and 3 did not apply (checkValuationDeclaration then fails
// without it).
func (sh *shipment) requiresFallbackReason() bool {
	return sh.hasDest && sh.dest.ValuationDeclaration != nil && slices.Contains(sh.dest.ValuationDeclaration.Fields, ValFallbackReason)
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
		ValFallbackReason:  len(sh.method6()) == 0 || !blank(v.FallbackReason),
	}
	var f faults
	var missing []string
	for _, k := range rule.Fields {
		if !given[k] {
			missing = append(missing, k)
		}
	}
	if i := slices.Index(missing, ValFallbackReason); i >= 0 {
		missing = slices.Delete(missing, i, i+1)
		f.add(rule.Basis, "%s: missing: %s declared under method 6, and %s's %s asks why methods 2 and 3 (identical, similar goods) did not apply",
			shipAt(sh.s, "valuation_declaration.fallback_reason"), units(len(sh.method6())), sh.s.Destination, rule.Name)
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
