package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/clearpack/clearpack/pipeline/model"
)

// ValueBasisRule is what a country's customs value includes: CIF (freight
// and insurance to the place of import) or FOB (neither). Packing charged to
// the buyer is in it either way (WTO Valuation Agreement Art. 8.1(a)(iii)).
type ValueBasisRule struct {
	// Value is "CIF" or "FOB" (YAML key basis).
	Value string `yaml:"basis" json:"basis"`
	Basis `yaml:",inline"`
}

// TaxNamesRule lists the national names of the duties, taxes and fees an
// entry pays (BR: II, IPI, PIS/COFINS-Importação, ICMS, Taxa Siscomex).
type TaxNamesRule struct {
	Names []string `yaml:"names" json:"names"`
	Basis `yaml:",inline"`
}

// PermitNamesRule maps permit types to their official names.
type PermitNamesRule struct {
	Names map[string]string `yaml:"names" json:"names"`
	Basis `yaml:",inline"`
}

// permitName is the official name of a permit type in the destination's
// profile, else the type as the plan gives it.
func (sh *shipment) permitName(typ string) string {
	if sh.hasDest && sh.dest.PermitNames != nil {
		k := permitKey(typ)
		for t, name := range sh.dest.PermitNames.Names {
			if permitKey(t) == k {
				return name
			}
		}
	}
	return typ
}

const srcPacking = "WTO Customs Valuation Agreement Art. 8.1(a)(iii) (packing charged to the buyer is part of the customs value)"

// checkCustomsValue: the clearance's customs value is the invoice's goods
// plus the packing charged, plus freight and insurance where the destination
// values CIF, at the clearance's exchange rate; its basis is the
// destination's.
func checkCustomsValue(sh *shipment) []model.CheckResult {
	c := sh.clearance
	if c == nil || c.CustomsValue.IsZero() {
		return nil
	}
	where := fmt.Sprintf("%s: clearance %s", src(c.Src), c.ShipmentID)
	var f faults
	source := srcPacking
	basis := c.ValueBasis
	if sh.hasDest && sh.dest.CustomsValue != nil {
		rule := sh.dest.CustomsValue
		source = rule.Cite() + "; " + srcPacking
		if basis == "" {
			basis = rule.Value
		} else if basis != rule.Value {
			f.add(rule.Basis, "%s: value_basis: %s, but %s values %s", where, basis, sh.s.Destination, rule.Value)
		}
	}
	rate := c.ExchangeRate
	if strings.EqualFold(c.Currency, sh.s.Currency) && rate.IsZero() {
		rate = decimal.NewFromInt(1)
	}
	if rate.IsZero() {
		f.failf("%s: exchange_rate: missing: the entry is in %s and the invoice in %s", where, c.Currency, sh.s.Currency)
		return []model.CheckResult{f.result("customs-value", source, "")}
	}
	goods := decimal.Zero
	for _, a := range sh.assets {
		goods = goods.Add(a.UnitValue)
	}
	want := goods.Add(sh.s.Packing)
	if basis == "CIF" {
		freight := sh.s.Freight
		if fb, _ := sh.freightToBorder(); fb.IsPositive() {
			freight = fb // freight after the place of import is not in the value
		}
		want = want.Add(freight).Add(sh.s.Insurance)
	}
	want = want.Mul(rate)
	tol := want.Mul(decimal.RequireFromString("0.005")).Add(decimal.NewFromInt(1))
	off := c.CustomsValue.Sub(want).Abs().GreaterThan(tol)
	if ir, ok := sh.book.incoterms.Rules[strings.ToUpper(sh.s.Incoterms.Rule)]; ok && !ir.SellerCarriage && basis == "CIF" {
		// The buyer paid the carriage to the place of import: the value
		// adds freight and insurance the invoice does not show.
		off = c.CustomsValue.LessThan(want.Sub(tol))
	}
	if off {
		noPacking := want.Sub(sh.s.Packing.Mul(rate))
		if sh.s.Packing.IsPositive() && c.CustomsValue.Sub(noPacking).Abs().LessThanOrEqual(tol) {
			f.failf("%s: customs_value %s %s leaves out the packing (%s %s) charged on the invoice: packing charged to the buyer is part of the customs value",
				where, c.CustomsValue.StringFixed(2), c.Currency, sh.s.Packing.StringFixed(2), sh.s.Currency)
		} else {
			f.failf("%s: customs_value %s %s, expected about %s %s (%s: goods%s + packing, at %s %s per %s)", where,
				c.CustomsValue.StringFixed(2), c.Currency, want.StringFixed(2), c.Currency, basis,
				map[bool]string{true: " + freight + insurance", false: ""}[basis == "CIF"], rate, c.Currency, sh.s.Currency)
		}
	}
	return []model.CheckResult{f.result("customs-value", source,
		fmt.Sprintf("customs value %s %s (%s, packing included) at %s %s per %s of %s", c.CustomsValue.StringFixed(2), c.Currency, basis, rate, c.Currency, sh.s.Currency, c.ExchangeRateDate))}
}

// checkTaxes: the entry's taxes are itemised under the destination's
// national names and add up to its duties, VAT and fees.
func checkTaxes(sh *shipment) []model.CheckResult {
	c := sh.clearance
	if c == nil || !sh.hasDest || sh.dest.Taxes == nil {
		return nil
	}
	rule := sh.dest.Taxes
	where := fmt.Sprintf("%s: clearance %s", src(c.Src), c.ShipmentID)
	var f faults
	if len(c.Taxes) == 0 {
		f.warnf("%s: taxes: not itemised: %s names them %s", where, sh.s.Destination, strings.Join(rule.Names, ", "))
		return []model.CheckResult{f.result("taxes", rule.Cite(), "")}
	}
	sum := decimal.Zero
	for i, t := range c.Taxes {
		sum = sum.Add(t.Amount)
		if !slices.ContainsFunc(rule.Names, func(n string) bool { return permitKey(n) == permitKey(t.Name) }) {
			f.add(rule.Basis, "%s: taxes[%d].name: %q, expected one of %s", where, i, t.Name, strings.Join(rule.Names, ", "))
		}
	}
	if total := c.Total(); !sum.Equal(total) {
		f.failf("%s: taxes add up to %s %s, but duties + vat + fees are %s %s", where, sum, c.Currency, total, c.Currency)
	}
	names := make([]string, len(c.Taxes))
	for i, t := range c.Taxes {
		names[i] = t.Name
	}
	return []model.CheckResult{f.result("taxes", rule.Cite(), fmt.Sprintf("%s itemised: %s", units0(len(c.Taxes), "tax"), strings.Join(names, ", ")))}
}

func units0(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ses", n, what)
}
