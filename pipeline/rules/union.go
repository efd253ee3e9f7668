package rules

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/clearpack/clearpack/templates"
	"gopkg.in/yaml.v3"
)

// Customs unions and countries without a profile.
//
// A profile may stand for a customs union: `members` lists the countries
// (ISO 3166-1 alpha-2) that form one customs territory with it (the EU
// profile, country EU, lists its 27 member states). A member without a
// profile of its own is checked under the union's profile, and wherever a
// rule asks that a party be established in the exporting or importing
// country, any member of the same union will do: a German company exports
// from Amsterdam.
//
// A country with neither a profile nor a union is checked under the generic
// profile (templates/generic/profile.yaml): the checks that hold everywhere
// run (HS 2022 subheadings and their fit to the category, ECCN, valuation,
// second-hand record, the document set), the country's own rules cannot, and
// the profile check WARNs naming them instead of failing the shipment.

// genericFile is the generic profile's name in messages.
const genericFile = "templates/generic/profile.yaml"

// loadUnions indexes the union profiles' members: member -> union. A
// country in two unions, or a member that is itself a union, is an error.
func (b *Book) loadUnions() []error {
	var errs []error
	b.union = map[string]string{}
	for _, cc := range slices.Sorted(maps.Keys(b.profiles)) {
		for _, m := range b.profiles[cc].Members {
			if other, dup := b.union[m]; dup {
				errs = append(errs, fmt.Errorf("%s: field members: %s is already a member of %s; a country is in one customs union", strings.Join(b.profiles[cc].Files, ", "), m, other))
				continue
			}
			if len(b.profiles[m].Members) > 0 {
				errs = append(errs, fmt.Errorf("%s: field members: %s is itself a customs union", strings.Join(b.profiles[cc].Files, ", "), m))
				continue
			}
			b.union[m] = cc
		}
	}
	return errs
}

// loadGeneric reads the generic profile.
func (b *Book) loadGeneric() error {
	var p Profile
	if err := yaml.Unmarshal(templates.GenericProfile(), &p); err != nil {
		return fmt.Errorf("reading %s: %w", genericFile, err)
	}
	p.Files = []string{genericFile}
	for _, fe := range p.validate() {
		return fmt.Errorf("%s: field %s: %s", genericFile, strings.Join(fe.path, "."), fe.msg)
	}
	b.generic = p
	return nil
}

// lookup returns the profile a country is checked under: its own, else its
// customs union's. ok is false for a country with neither.
func (b *Book) lookup(cc string) (Profile, bool) {
	if p, ok := b.profiles[cc]; ok {
		return p, true
	}
	if u, ok := b.union[cc]; ok {
		p, ok := b.profiles[u]
		return p, ok
	}
	return Profile{}, false
}

// Territory is the customs territory a country belongs to: its customs
// union's code (EU for DE), else the country itself.
func (b *Book) Territory(cc string) string {
	if u, ok := b.union[cc]; ok {
		return u
	}
	return cc
}

// sameTerritory reports whether two countries are one customs territory:
// the same country, or members of the same union (or a member and the
// union itself).
func (b *Book) sameTerritory(x, y string) bool {
	return x == y || b.Territory(x) == b.Territory(y)
}

// Generic returns the generic profile.
func (b *Book) Generic() Profile { return b.generic }

// genericNotChecked names what the generic profile cannot check, by the
// side it stands in for.
var genericNotChecked = map[string]string{
	"origin": "the country's export rules (export documents and filings, export controls, the exporter's identification) and its record retention (the generic 10 years applies)",
	"destination": "the national tariff-line length, used-equipment import rules, banned categories, permits, age limits, a not-waste declaration, " +
		"the importer's tax identifier and a broker, the customs language (English is used), the entry-number format, and its record retention (the generic 10 years applies)",
}

// genericWarnings are the profile check's warnings for a side checked under
// the generic profile.
func (sh *shipment) genericWarnings(f *faults) {
	if sh.originGeneric {
		f.warnf("%s: no country profile for origin %q: checked with the generic profile (HS 2022 subheadings and categories, ECCN, valuation, second-hand record, document set); not checked: %s; add templates/countries/%s.yaml or a file in --rules-dir",
			shipAt(sh.s, "origin"), sh.s.Origin, genericNotChecked["origin"], sh.s.Origin)
	}
	if sh.destGeneric {
		f.warnf("%s: no country profile for destination %q: checked with the generic profile (HS 2022 subheadings and categories, ECCN, valuation, second-hand record, document set); not checked: %s; add templates/countries/%s.yaml or a file in --rules-dir",
			shipAt(sh.s, "destination"), sh.s.Destination, genericNotChecked["destination"], sh.s.Destination)
	}
}

// checkExportParties: where the origin's profile asks for it, the exporter
// carries its identifier (the EU's EORI number), and the exporter is
// established in the exporting customs territory.
func checkExportParties(sh *shipment) []model.CheckResult {
	if !sh.hasOrigin || !sh.origin.Parties.ExporterTaxID {
		return nil
	}
	rule := sh.origin.Parties
	var f faults
	ex := sh.s.Parties.Exporter
	if strings.TrimSpace(ex.TaxID) == "" {
		f.add(rule.Basis, "%s: missing; %s requires the exporter's %s", shipAt(sh.s, "parties.exporter.tax_id"), sh.s.Origin, cmpOr(rule.ExporterTaxIDName, rule.TaxIDName))
	}
	where := sh.s.Origin
	if t := sh.book.Territory(sh.s.Origin); t != sh.s.Origin {
		where = fmt.Sprintf("%s (customs territory %s)", sh.s.Origin, t)
	}
	return []model.CheckResult{f.result("export-parties", rule.Cite(),
		fmt.Sprintf("exporter %s identified by %s %s for export from %s", ex.Name, cmpOr(rule.ExporterTaxIDName, rule.TaxIDName), ex.TaxID, where))}
}

// checkExportObligations lists the origin's export obligations that are
// recorded with their sources but not checked unit by unit (the EU's export
// declaration and MRN, its Dual-Use Regulation): a WARN when one is marked
// to need attention, a PASS that cites them otherwise.
func checkExportObligations(sh *shipment) []model.CheckResult {
	if !sh.hasOrigin || len(sh.origin.ExportObligations) == 0 {
		return nil
	}
	var out []model.CheckResult
	for _, o := range sh.origin.ExportObligations {
		out = append(out, model.CheckResult{Rule: "export: " + o.Name, Status: model.Pass, Source: o.Cite(),
			Detail: fmt.Sprintf("%s (origin %s): %s", o.Name, sh.s.Origin, o.Text)})
	}
	return out
}

// profileOf names the profile a country is checked under: "NL (EU)" for a
// member checked under its union's.
func profileOf(cc string, p *Profile, has bool) string {
	if has && p.Country != cc {
		return cc + " (" + p.Country + ")"
	}
	return cc
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// ObligationRule is an obligation of the exporting country that clearpack
// records with its source and reports, without a check of its own.
type ObligationRule struct {
	Name  string `yaml:"name" json:"name"`
	Text  string `yaml:"text" json:"text"`
	Basis `yaml:",inline"`
}
