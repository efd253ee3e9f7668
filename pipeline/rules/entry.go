package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/clearpack/clearpack/pipeline/model"
)

// ImportEntryRule is what a country's import entry asks of the plan
// (import_entry): the port of entry, a manufacturer ID for every
// manufacturer and country of origin of units not originating in the
// country itself, and the special provisions a tariff claim may name (the
// US HTSUS Chapter 98 returns: 9801.00.10 American goods returned,
// 9801.00.20 previously imported goods re-imported, 9802 goods repaired or
// altered abroad).
type ImportEntryRule struct {
	PortOfEntry    bool     `yaml:"port_of_entry" json:"port_of_entry"`
	ManufacturerID bool     `yaml:"manufacturer_id" json:"manufacturer_id"`
	Claims         []string `yaml:"claims,omitempty" json:"claims,omitempty"`
	Basis          `yaml:",inline"`
}

func (p *Profile) validateEntry(add func(string, ...string), basis func(Basis, ...string)) {
	if e := p.ImportEntry; e != nil {
		if !e.PortOfEntry && !e.ManufacturerID && len(e.Claims) == 0 {
			add("import_entry asks nothing: expected port_of_entry, manufacturer_id or claims", "import_entry")
		}
		basis(e.Basis, "import_entry")
	}
}

// checkImportEntry: where the destination's entry asks for them, the plan
// gives the port of entry and the manufacturers' IDs, and its tariff
// claims name provisions the country has and units the shipment carries.
func checkImportEntry(sh *shipment) []model.CheckResult {
	if !sh.hasDest || sh.dest.ImportEntry == nil {
		return nil
	}
	rule := sh.dest.ImportEntry
	e := sh.s.ImportEntry
	if e == nil {
		e = &model.ImportEntry{}
	}
	var f faults
	if rule.PortOfEntry && blank(e.PortOfEntry) {
		f.add(rule.Basis, "%s: missing: %s's entry names the port of entry", shipAt(sh.s, "import_entry.port_of_entry"), sh.s.Destination)
	}
	if rule.ManufacturerID {
		seen := map[string]bool{}
		for _, a := range sh.assets {
			key := fold(a.Manufacturer) + "|" + a.CountryOfOrigin
			if a.CountryOfOrigin == sh.s.Destination || seen[key] {
				continue
			}
			seen[key] = true
			if !slices.ContainsFunc(e.ManufacturerIDs, func(m model.ManufacturerID) bool {
				return fold(m.Manufacturer) == fold(a.Manufacturer) && m.Country == a.CountryOfOrigin && !blank(m.MID)
			}) {
				f.add(rule.Basis, "%s: missing: no manufacturer ID for %s units made in %s (%s)", shipAt(sh.s, "import_entry.manufacturer_ids"), a.Manufacturer, a.CountryOfOrigin, a.AssetTag)
			}
		}
	}
	var claims []string
	for i, c := range e.Claims {
		field := fmt.Sprintf("import_entry.tariff_claims[%d]", i)
		if !slices.Contains(rule.Claims, c.Provision) {
			f.failf("%s.provision: %q: expected one of %s", shipAt(sh.s, field), c.Provision, strings.Join(rule.Claims, ", "))
		}
		for _, tag := range c.Assets {
			if !slices.Contains(sh.s.Assets, tag) {
				f.failf("%s.assets: %s is not on shipment %s", shipAt(sh.s, field), tag, sh.s.ID)
			}
		}
		if blank(c.Basis) {
			f.failf("%s.basis: missing: a claim under %s states the facts it rests on", shipAt(sh.s, field), c.Provision)
		}
		claims = append(claims, c.Provision)
	}
	pass := "port of entry " + e.PortOfEntry + fmt.Sprintf(", %d manufacturer IDs", len(e.ManufacturerIDs))
	if len(claims) > 0 {
		pass += ", claims " + strings.Join(claims, ", ")
	}
	return []model.CheckResult{f.result("import-entry", rule.Cite(), pass)}
}
