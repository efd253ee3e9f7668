package rules

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/clearpack/clearpack/pipeline/model"
)

// fullValuation is a value declaration with every field given: unrelated
// parties, no royalties, assists or commissions.
func fullValuation() *model.ValuationDeclaration {
	none := decimal.NewNullDecimal(decimal.Zero)
	return &model.ValuationDeclaration{RelatedParty: model.No, PriceInfluenced: model.No, Royalties: none, Assists: none, Commissions: none}
}

// TestValuationDeclaration (item 10): Mexico, Colombia, Brazil and Chile
// file a value declaration; a plan that leaves out what it asks fails
// naming the fields, a related party without the influence on the price
// fails, an intra-company transfer declared unrelated fails; Viet Nam asks
// for none.
func TestValuationDeclaration(t *testing.T) {
	b := mustLoad(t, "")
	for _, tt := range []struct {
		name, dest, rule string
		edit             func(f *fixture)
		status           model.CheckStatus
		want             string
	}{
		{"MX none", "MX", "valuation-declaration: Manifestación de Valor (e-MV)", func(f *fixture) {}, model.Fail,
			"plan.yaml:4: shipment SG-VN-1: valuation_declaration: missing related_party, price_influenced, royalties, assists, commissions: MX's Manifestación de Valor (e-MV) asks them"},
		{"MX full", "MX", "valuation-declaration: Manifestación de Valor (e-MV)", func(f *fixture) { f.ship().Valuation = fullValuation() }, model.Pass,
			"Manifestación de Valor (e-MV) data given"},
		{"CO related, influence not said", "CO", "valuation-declaration: Declaración Andina del Valor (DAV)", func(f *fixture) {
			f.ship().Valuation = fullValuation()
			f.ship().Valuation.RelatedParty, f.ship().Valuation.PriceInfluenced = model.Yes, ""
		}, model.Fail, "valuation_declaration: missing price_influenced"},
		{"BR royalties missing", "BR", "valuation-declaration: DUIMP: dados de valoração aduaneira / valuation data", func(f *fixture) {
			f.ship().Valuation = fullValuation()
			f.ship().Valuation.Royalties = decimal.NullDecimal{}
		}, model.Fail, "missing royalties: BR's DUIMP"},
		{"CL intra-company declared unrelated", "CL", "valuation-declaration: Declaración Jurada del Precio y sus elementos", func(f *fixture) {
			f.ship().Valuation = fullValuation()
			f.ship().Reason = "intra-company transfer"
		}, model.Fail, "valuation_declaration.related_party: no, but shipment SG-VN-1 is an intra-company transfer"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			f.to(tt.dest)
			tt.edit(f)
			wantDetail(t, one(t, b.Check(f.input())[0], tt.rule), tt.status, tt.want)
		})
	}
	f := newFixture()
	for _, c := range b.Check(f.input())[0].Results {
		if strings.HasPrefix(c.Rule, "valuation-declaration") {
			t.Errorf("VN asks no value declaration, got %s: %s", c.Rule, c.Detail)
		}
	}
}

// TestMethod6Fallback (item 10): a unit declared under method 6 says why
// methods 2 and 3 did not apply, and a worse grade of the same model is not
// declared at a larger share of its original cost than a better one.
func TestMethod6Fallback(t *testing.T) {
	b := mustLoad(t, "")
	f := newFixture()
	f.ship().Reason = "redeployment"
	f.refurb().ValuationMethod = 6
	f.assets["SRV-1"].Condition = model.Refurbished
	*f.assets["SRV-1"] = *f.refurb()
	f.assets["SRV-1"].AssetTag, f.assets["SRV-1"].Src.Line = "SRV-1", 2
	wantDetail(t, one(t, b.Check(f.input())[0], "valuation"), model.Warn,
		"valuation_declaration.fallback_reason: missing: 2 units declared under method 6 without saying why methods 2 and 3")
	f.ship().Valuation = &model.ValuationDeclaration{FallbackReason: "no sales of identical or similar goods at or about the same time"}
	wantDetail(t, one(t, b.Check(f.input())[0], "valuation"), model.Pass)
	// SRV-2 grade B keeps 3200/14000; SRV-1 grade A only 3000/14000.
	f.refurb().Grade = "B"
	f.assets["SRV-1"].UnitValue = decimal.RequireFromString("3000")
	wantDetail(t, one(t, b.Check(f.input())[0], "valuation"), model.Fail,
		"asset SRV-2: unit_value: grade B is declared at a larger share of its original cost than grade A SRV-1 (inventory.csv:2)")
}

// TestUnitValueBoundInUSD (issue 14): a unit's value in another currency is
// checked against the US-dollar bound at the plan's exchange rate: 20
// million VND is a server, 300 billion VND (US$11.5 million) is absurd.
func TestUnitValueBoundInUSD(t *testing.T) {
	b := mustLoad(t, "")
	f := newFixture()
	f.ship().Currency = "VND"
	f.ship().ExchangeRates = []model.ExchangeRate{{Currency: "USD", Rate: decimal.RequireFromString("26000"), Date: "2026-03-01", Source: "SBV"}}
	for _, a := range f.assets {
		a.Currency = "VND"
		a.UnitValue, a.OriginalCost = decimal.RequireFromString("20000000"), decimal.Decimal{}
	}
	r := one(t, b.Check(f.input())[0], "valuation")
	if strings.Contains(r.Detail, "absurd") {
		t.Errorf("20,000,000 VND called absurd: %s", r.Detail)
	}
	f.assets["SRV-1"].UnitValue = decimal.RequireFromString("300000000000")
	wantDetail(t, one(t, b.Check(f.input())[0], "valuation"), model.Fail,
		"unit_value: 300000000000 VND is 11538461.54 USD at 26000 VND per USD (2026-03-01 SBV): absurd, expected at most 10000000 US dollars per unit")
}
