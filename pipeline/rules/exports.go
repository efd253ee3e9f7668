package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/clearpack/clearpack/pipeline/model"
)

// ExportControlRule is a country's export-control regime (the US Export
// Administration Regulations): the statement its exports carry on the
// commercial invoice, and whether the regime follows goods of this origin
// when another country exports them.
type ExportControlRule struct {
	// Regime names the regulations ("EAR").
	Regime string `yaml:"regime" json:"regime"`
	// StatementName and Statement are printed on the commercial invoice of
	// an export from this country that carries a controlled unit (the
	// Destination Control Statement of 15 CFR 758.6).
	StatementName string `yaml:"statement_name" json:"statement_name"`
	Statement     string `yaml:"statement" json:"statement"`
	// NotControlled are classifications that put a unit outside the
	// statement's scope ("EAR99": not on the Commerce Control List).
	NotControlled []string `yaml:"not_controlled,omitempty" json:"not_controlled,omitempty"`
	// Reexport: the regime follows units whose country of origin is this
	// country when another country exports them; their classification and
	// licence basis are printed then too (the statement is not).
	Reexport bool `yaml:"reexport,omitempty" json:"reexport,omitempty"`
	Basis    `yaml:",inline"`
}

// LineSet is a national nomenclature's lines whose choice depends on more
// than the HS subheading: an import tariff's lines split by value (Brazil's
// NCM 8471.50.10 for processing units up to US$12,500 FOB, 8471.50.90
// above), or an export nomenclature (the US Schedule B) by HS subheading.
type LineSet struct {
	Nomenclature string         `yaml:"nomenclature" json:"nomenclature"`
	Lines        []NationalLine `yaml:"lines" json:"lines"`
}

// NationalLine is one national line and the conditions a unit meets to be
// declared under it. Lines of the same HS subheading are alternatives: a unit
// of that subheading is declared under the line whose conditions it meets.
type NationalLine struct {
	// Code is the national line in digits ("84715010").
	Code        string `yaml:"code" json:"code"`
	Description string `yaml:"description" json:"description"`
	// MaxValue: the unit's value is at most this; MinValue: above this.
	MaxValue *ValueLimit `yaml:"max_value,omitempty" json:"max_value,omitempty"`
	MinValue *ValueLimit `yaml:"min_value,omitempty" json:"min_value,omitempty"`
	Basis    `yaml:",inline"`
}

// ValueLimit is an amount in a currency on a valuation basis ("FOB").
type ValueLimit struct {
	Amount   string `yaml:"amount" json:"amount"`
	Currency string `yaml:"currency" json:"currency"`
	// Basis of the value compared ("FOB"): the unit value on the invoice,
	// which lists freight and insurance apart.
	Basis string `yaml:"basis" json:"basis"`
}

func (v ValueLimit) String() string {
	return fmt.Sprintf("%s %s %s", v.Currency, v.Amount, v.Basis)
}

// validateExports checks the fields of exports.go.
func (p *Profile) validateExports(basis func(Basis, ...string), scope func(Scope, ...string)) []fieldError {
	var errs []fieldError
	add := func(msg string, path ...string) { errs = append(errs, fieldError{path: path, msg: msg}) }
	if p.Invoice != nil {
		basis(*p.Invoice, "invoice")
	}
	if ec := p.ExportControls; ec != nil {
		if strings.TrimSpace(ec.Regime) == "" {
			add("regime is empty: expected the regulations' name (EAR)", "export_controls", "regime")
		}
		if (ec.Statement == "") != (ec.StatementName == "") {
			add("statement and statement_name go together", "export_controls", "statement")
		}
		basis(ec.Basis, "export_controls")
	}
	for i, r := range p.ExportFilings {
		at := []string{"export_filings", fmt.Sprint(i)}
		if r.Name == "" {
			add("name is empty", append(at, "name")...)
		}
		if len(r.Types) == 0 {
			add("types is empty: expected the filing types that satisfy the rule", append(at, "types")...)
		}
		switch r.Severity {
		case "", SeverityFail, SeverityWarn:
		default:
			add(fmt.Sprintf("severity %q: expected fail or warn", r.Severity), append(at, "severity")...)
		}
		scope(r.AppliesTo, append(at, "applies_to")...)
		basis(r.Basis, at...)
	}
	lines := func(set *LineSet, field string) {
		if set == nil {
			return
		}
		if strings.TrimSpace(set.Nomenclature) == "" {
			add("nomenclature is empty", field, "nomenclature")
		}
		for i, ln := range set.Lines {
			at := []string{field, "lines", fmt.Sprint(i)}
			if !digitsOnly(ln.Code) || len(ln.Code) < 8 || len(ln.Code) > 12 {
				add(fmt.Sprintf("code %q: expected 8 to 12 digits", ln.Code), append(at, "code")...)
			}
			for name, v := range map[string]*ValueLimit{"max_value": ln.MaxValue, "min_value": ln.MinValue} {
				if v == nil {
					continue
				}
				if d, err := decimal.NewFromString(v.Amount); err != nil || d.IsNegative() {
					add(fmt.Sprintf("amount %q: expected a decimal of zero or more", v.Amount), append(at, name, "amount")...)
				}
				if len(v.Currency) != 3 || strings.ToUpper(v.Currency) != v.Currency {
					add(fmt.Sprintf("currency %q: expected an ISO 4217 code", v.Currency), append(at, name, "currency")...)
				}
			}
			basis(ln.Basis, at...)
		}
	}
	lines(p.ExportLines, "export_lines")
	lines(p.NationalLines, "national_lines")
	if cv := p.CustomsValue; cv != nil {
		if cv.Value != "CIF" && cv.Value != "FOB" {
			add(fmt.Sprintf("basis %q: expected CIF or FOB", cv.Value), "customs_value", "basis")
		}
		basis(cv.Basis, "customs_value")
	}
	if pn := p.PermitNames; pn != nil {
		if len(pn.Names) == 0 {
			add("names is empty: expected permit type: official name", "permit_names", "names")
		}
		basis(pn.Basis, "permit_names")
	}
	if tx := p.Taxes; tx != nil {
		if len(tx.Names) == 0 {
			add("names is empty: expected the national names of the duties, taxes and fees", "taxes", "names")
		}
		basis(tx.Basis, "taxes")
	}
	return errs
}

// earProfiles are the export-control regimes that apply to the shipment:
// the origin's (an export) and those of the units' countries of origin that
// follow their goods (a re-export), each with the units it covers.
func (sh *shipment) exportControls() []earScope {
	var out []earScope
	if sh.hasOrigin && sh.origin.ExportControls != nil {
		out = append(out, earScope{country: sh.s.Origin, rule: sh.origin.ExportControls, units: sh.assets, export: true})
	}
	byCountry := map[string][]*model.Asset{}
	var order []string
	for _, a := range sh.assets {
		c := a.CountryOfOrigin
		if c == "" || c == sh.s.Origin {
			continue
		}
		if _, seen := byCountry[c]; !seen {
			order = append(order, c)
		}
		byCountry[c] = append(byCountry[c], a)
	}
	for _, c := range order {
		p, ok := sh.book.lookup(c)
		if ok && p.ExportControls != nil && p.ExportControls.Reexport {
			out = append(out, earScope{country: c, rule: p.ExportControls, units: byCountry[c]})
		}
	}
	return out
}

type earScope struct {
	country string
	rule    *ExportControlRule
	units   []*model.Asset
	export  bool // an export from country; else a re-export of its goods
}

// controlled are the units the regime lists (not NotControlled).
func (e earScope) controlled() []*model.Asset {
	var out []*model.Asset
	for _, a := range e.units {
		if a.ECCN != "" && !slices.Contains(e.rule.NotControlled, a.ECCN) {
			out = append(out, a)
		}
	}
	return out
}

// checkExportControls: where an export-control regime applies (a US export,
// or a re-export of US-origin units), every unit states its classification
// and licence basis, which the invoice prints, and a controlled unit's
// export carries the Destination Control Statement.
func checkExportControls(sh *shipment) []model.CheckResult {
	var out []model.CheckResult
	for _, e := range sh.exportControls() {
		var f faults
		for _, a := range e.units {
			if a.ECCN == "" {
				f.add(e.rule.Basis, "%s: missing: the %s applies (%s), and the invoice prints each unit's classification", at(a, "eccn"), e.rule.Regime, e.why(sh))
				continue
			}
			if slices.Contains(e.rule.NotControlled, a.ECCN) {
				continue
			}
			if strings.TrimSpace(a.LicenseException) == "" {
				f.warnf("%s: missing for %s %s: printed as NLR (no licence required); state NLR or the licence exception", at(a, "license_exception"), a.ECCN, a.Manufacturer+" "+a.Model)
			}
		}
		n := len(e.controlled())
		pass := fmt.Sprintf("%s (%s): %s listed on the Commerce Control List", e.rule.Regime, e.why(sh), units(n))
		if n > 0 && e.export && e.rule.Statement != "" {
			pass += "; " + e.rule.StatementName + " printed on the commercial invoice"
		}
		pass += "; classification and licence basis printed per invoice line"
		out = append(out, f.result("export-controls", e.rule.Cite(), pass))
	}
	return out
}

func (e earScope) why(sh *shipment) string {
	if e.export {
		return "export from " + e.country
	}
	return fmt.Sprintf("re-export from %s of %s-origin units", sh.s.Origin, e.country)
}

// checkExportFilings: the filings the origin requires before goods leave are
// referenced in the plan (export_filings), so the documents print them.
func checkExportFilings(sh *shipment) []model.CheckResult {
	if !sh.hasOrigin || len(sh.origin.ExportFilings) == 0 {
		return nil
	}
	var out []model.CheckResult
	for _, rule := range sh.origin.ExportFilings {
		var f faults
		scope := sh.inScope(rule.AppliesTo)
		pass := "no unit in scope"
		if len(scope) > 0 {
			fl, problem := sh.findFiling(rule.Types)
			if problem != "" {
				msg := fmt.Sprintf("%s leaving %s need %s: %s", units(len(scope)), sh.s.Origin, rule.Name, problem)
				if rule.Severity == SeverityWarn {
					f.warnf("%s", msg)
				} else {
					f.add(rule.Basis, "%s", msg)
				}
			}
			pass = fmt.Sprintf("%s: %s %s", rule.Name, fl.Type, fl.Number)
		}
		out = append(out, f.result("export-filing: "+rule.Name, rule.Cite(), pass))
	}
	return out
}

// findFiling looks for a referenced export filing of one of the types.
func (sh *shipment) findFiling(types []string) (model.Filing, string) {
	for i, fl := range sh.s.ExportFilings {
		if !slices.ContainsFunc(types, func(t string) bool { return permitKey(t) == permitKey(fl.Type) }) {
			continue
		}
		if strings.TrimSpace(fl.Number) == "" {
			return model.Filing{}, fmt.Sprintf("%s: %s has no number", shipAt(sh.s, fmt.Sprintf("export_filings[%d]", i)), fl.Type)
		}
		return fl, ""
	}
	return model.Filing{}, fmt.Sprintf("%s: none of type %s referenced", shipAt(sh.s, "export_filings"), strings.Join(types, " or "))
}

// lineFor finds the lines of set for a unit's HS subheading and, among them,
// the one whose conditions the unit meets. It returns what stops the choice
// (a missing exchange rate) as problem.
func (sh *shipment) lineFor(set *LineSet, a *model.Asset) (cands []NationalLine, fit *NationalLine, problem string) {
	code := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, a.HSCode)
	if set == nil || len(code) < 6 {
		return nil, nil, ""
	}
	for _, ln := range set.Lines {
		if strings.HasPrefix(ln.Code, code[:6]) {
			cands = append(cands, ln)
		}
	}
	for i, ln := range cands {
		ok := true
		for _, lim := range []struct {
			v   *ValueLimit
			max bool
		}{{ln.MaxValue, true}, {ln.MinValue, false}} {
			if lim.v == nil {
				continue
			}
			val, p := sh.valueIn(a, lim.v.Currency)
			if p != "" {
				return cands, nil, p
			}
			amt, _ := decimal.NewFromString(lim.v.Amount)
			if lim.max && val.GreaterThan(amt) || !lim.max && !val.GreaterThan(amt) {
				ok = false
			}
		}
		if ok {
			return cands, &cands[i], ""
		}
	}
	return cands, nil, ""
}

// valueIn is a unit's value in currency cur, through the shipment's
// exchange rates when the unit is invoiced in another currency.
func (sh *shipment) valueIn(a *model.Asset, cur string) (decimal.Decimal, string) {
	have := a.Currency
	if have == "" {
		have = sh.s.Currency
	}
	if strings.EqualFold(have, cur) {
		return a.UnitValue, ""
	}
	for _, r := range sh.s.ExchangeRates {
		if strings.EqualFold(r.Currency, cur) && r.Rate.IsPositive() && strings.EqualFold(have, sh.s.Currency) {
			return a.UnitValue.DivRound(r.Rate, 2), ""
		}
	}
	return decimal.Zero, fmt.Sprintf("%s: no rate for %s: the line depends on the value in %s and the unit is invoiced in %s", shipAt(sh.s, "exchange_rates"), cur, cur, have)
}

// rateNote says which rate converted a value, for a detail.
func (sh *shipment) rateNote(cur string) string {
	for _, r := range sh.s.ExchangeRates {
		if strings.EqualFold(r.Currency, cur) {
			return fmt.Sprintf(" at %s %s per %s (%s)", r.Rate, sh.s.Currency, r.Currency, strings.TrimSpace(r.Date+" "+r.Source))
		}
	}
	return ""
}

// checkNationalLine: where the destination splits a subheading into lines
// by value or specification, every unit is declared under the line whose
// conditions it meets.
func checkNationalLine(sh *shipment) []model.CheckResult {
	if !sh.hasDest || sh.dest.NationalLines == nil {
		return nil
	}
	set := sh.dest.NationalLines
	var f faults
	var cites []string
	checked := 0
	for _, a := range sh.assets {
		cands, fit, problem := sh.lineFor(set, a)
		if len(cands) == 0 {
			continue
		}
		checked++
		for _, c := range cands {
			if cite := c.Cite(); !slices.Contains(cites, cite) {
				cites = append(cites, cite)
			}
		}
		b := cands[0].Basis
		switch {
		case problem != "":
			f.add(b, "%s: %q: cannot choose the %s line: %s", at(a, "hs_code"), a.HSCode, set.Nomenclature, problem)
		case fit == nil:
			f.add(b, "%s: %q: no %s line of %s fits a unit of value %s %s", at(a, "hs_code"), a.HSCode, set.Nomenclature, fmtHS(a.HSCode[:6]), a.UnitValue, sh.s.Currency)
		case fit.Code != a.HSCode:
			why := ""
			for _, c := range cands {
				if c.Code == a.HSCode {
					why = fmt.Sprintf(" (%s: %s)", fmtHS(c.Code), c.Description)
				}
			}
			conv := ""
			for _, v := range []*ValueLimit{fit.MaxValue, fit.MinValue} {
				if v != nil && !strings.EqualFold(v.Currency, sh.s.Currency) {
					val, _ := sh.valueIn(a, v.Currency)
					conv = fmt.Sprintf(" = %s %s%s", v.Currency, val.StringFixed(2), sh.rateNote(v.Currency))
					break
				}
			}
			f.add(b, "%s: %q%s does not fit a %s %s unit valued %s %s%s: declare %s (%s)", at(a, "hs_code"), a.HSCode, why,
				a.Manufacturer, a.Model, sh.s.Currency, a.UnitValue.StringFixed(2), conv, fmtHS(fit.Code), fit.Description)
		}
	}
	if checked == 0 {
		return nil
	}
	return []model.CheckResult{f.result("national-line", strings.Join(cites, "; "),
		fmt.Sprintf("%s under the %s line their value and specification call for", units(checked), set.Nomenclature))}
}

// exportExtras is what the origin's export rules add to the documents.
func (sh *shipment) exportExtras(e *model.DocExtras) {
	for _, ec := range sh.exportControls() {
		if !ec.export || ec.rule.Statement == "" || len(ec.controlled()) == 0 {
			if e.ExportControl == nil {
				e.ExportControl = &model.ExportControlText{Regime: ec.rule.Regime, Source: ec.rule.Source}
			}
			continue
		}
		e.ExportControl = &model.ExportControlText{Regime: ec.rule.Regime, StatementName: ec.rule.StatementName,
			Statement: strings.TrimSpace(ec.rule.Statement), Source: ec.rule.Source}
	}
	if sh.hasOrigin && sh.origin.ExportLines != nil {
		for _, a := range sh.assets {
			if _, fit, _ := sh.lineFor(sh.origin.ExportLines, a); fit != nil {
				if e.ExportLines == nil {
					e.ExportLines = map[string]string{}
				}
				e.ExportLines[a.AssetTag] = fit.Code
				e.ExportNomenclature = sh.origin.ExportLines.Nomenclature
			}
		}
	}
}

// taxIDNames names the tax identifier of each party's country, from that
// country's profile ("CNPJ (RADAR-enabled)" is printed "CNPJ").
func (sh *shipment) taxIDNames() map[string]string {
	p := sh.s.Parties
	parties := []model.Party{p.Exporter, p.ExporterOfRecord, p.ImporterOfRecord, p.Consignee}
	if p.Broker != nil {
		parties = append(parties, *p.Broker)
	}
	var out map[string]string
	for _, party := range parties {
		if party.Country == "" || party.TaxID == "" {
			continue
		}
		prof, ok := sh.book.lookup(party.Country)
		if !ok {
			continue
		}
		name := strings.TrimSpace(prof.Parties.TaxIDName)
		if i := strings.Index(name, " ("); i > 0 {
			name = name[:i]
		}
		if name == "" {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[party.Country] = name
	}
	return out
}
