package rules

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/biter777/countries"

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
	// Chapter99 are additional duties on some origins and subheadings
	// (the US Section 301 duties on products of China), each with its own
	// source.
	Chapter99 []Chapter99Measure `yaml:"chapter99,omitempty" json:"chapter99,omitempty"`
	// Marking: the units and their packages are marked with their country
	// of origin, and the entry says how (US 19 CFR Part 134).
	Marking *MarkingRule `yaml:"marking,omitempty" json:"marking,omitempty"`
}

// Chapter99Measure is one additional duty: the heading the entry reports
// (9903.88.03), its name and rate, the origins and subheadings it covers,
// the exclusion headings an importer may rely on instead, and the Chapter
// 98 claims under which it does not apply.
type Chapter99Measure struct {
	Heading     string   `yaml:"heading" json:"heading"`
	Name        string   `yaml:"name" json:"name"`
	Rate        string   `yaml:"rate" json:"rate"`
	Origins     []string `yaml:"origins" json:"origins"`
	Subheadings []string `yaml:"subheadings" json:"subheadings"`
	Exclusions  []string `yaml:"exclusions,omitempty" json:"exclusions,omitempty"`
	NotUnder    []string `yaml:"not_under_claims,omitempty" json:"not_under_claims,omitempty"`
	Basis       `yaml:",inline"`
}

// MarkingRule is a country's country-of-origin marking requirement.
type MarkingRule struct {
	// Packages: each package's marks name the countries of origin of the
	// units in it.
	Packages bool `yaml:"packages" json:"packages"`
	Basis    `yaml:",inline"`
}

// covers reports whether the measure covers a unit: its origin is listed
// and its HS code is under a listed subheading.
func (m Chapter99Measure) covers(a *model.Asset) bool {
	if !slices.Contains(m.Origins, a.CountryOfOrigin) {
		return false
	}
	hs := normHSCode(a.HSCode)
	return slices.ContainsFunc(m.Subheadings, func(sub string) bool { return strings.HasPrefix(hs, normHSCode(sub)) })
}

func normHSCode(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), " ", "") }

func (p *Profile) validateEntry(add func(string, ...string), basis func(Basis, ...string)) {
	if e := p.ImportEntry; e != nil {
		if !e.PortOfEntry && !e.ManufacturerID && len(e.Claims) == 0 {
			add("import_entry asks nothing: expected port_of_entry, manufacturer_id or claims", "import_entry")
		}
		basis(e.Basis, "import_entry")
		for i, m := range e.Chapter99 {
			at := []string{"import_entry", "chapter99", fmt.Sprint(i)}
			if blank(m.Heading) || blank(m.Name) || blank(m.Rate) {
				add("heading, name and rate: expected the provision the entry reports, its name and its rate", at...)
			}
			if len(m.Origins) == 0 || len(m.Subheadings) == 0 {
				add("origins and subheadings: expected what the measure covers", at...)
			}
			basis(m.Basis, at...)
		}
		if e.Marking != nil {
			basis(e.Marking.Basis, "import_entry", "marking")
		}
	}
}

// chapter99Names are the destination's Chapter 99 provisions, heading →
// "name: rate", for the invoice.
func (sh *shipment) chapter99Names() map[string]string {
	if !sh.hasDest || sh.dest.ImportEntry == nil || sh.s.ImportEntry == nil || len(sh.s.ImportEntry.Chapter99) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, m := range sh.dest.ImportEntry.Chapter99 {
		out[m.Heading] = m.Name + ": " + m.Rate
		for _, x := range m.Exclusions {
			out[x] = m.Name + ": excluded"
		}
	}
	return out
}

// checkChapter99: units an additional duty covers (US Section 301 on
// products of China under 8471.50...) are reported under its heading, or
// under an exclusion the importer relies on, or entered under a Chapter 98
// claim the measure does not apply to; the plan says which, so the broker
// files it and the importer sees the exposure before the units move.
func checkChapter99(sh *shipment) []model.CheckResult {
	if !sh.hasDest || sh.dest.ImportEntry == nil || len(sh.dest.ImportEntry.Chapter99) == 0 {
		return nil
	}
	e := sh.s.ImportEntry
	if e == nil {
		e = &model.ImportEntry{}
	}
	var out []model.CheckResult
	for _, m := range sh.dest.ImportEntry.Chapter99 {
		var f faults
		reported := map[string]int{} // tag → how it is covered: 1 duty, 2 exclusion
		for i, c := range e.Chapter99 {
			field := fmt.Sprintf("import_entry.chapter99[%d]", i)
			kind := 0
			switch {
			case c.Provision == m.Heading:
				kind = 1
			case slices.Contains(m.Exclusions, c.Provision):
				kind = 2
				if blank(c.Basis) {
					f.failf("%s.basis: missing: an exclusion under %s names the exclusion relied on (its number in the notice) and why the units fall under it", shipAt(sh.s, field), c.Provision)
				}
			default:
				continue
			}
			tags := c.Assets
			if len(tags) == 0 {
				tags = sh.s.Assets
			}
			for _, tag := range tags {
				if !slices.Contains(sh.s.Assets, tag) {
					f.failf("%s.assets: %s is not on shipment %s", shipAt(sh.s, field), tag, sh.s.ID)
				}
				reported[tag] = kind
			}
		}
		exempt := map[string]string{}
		for _, c := range e.Claims {
			if slices.Contains(m.NotUnder, c.Provision) {
				tags := c.Assets
				if len(tags) == 0 {
					tags = sh.s.Assets
				}
				for _, tag := range tags {
					exempt[tag] = c.Provision
				}
			}
		}
		var duty, excluded, claimed, missing []string
		for _, a := range sh.assets {
			if !m.covers(a) {
				continue
			}
			switch {
			case exempt[a.AssetTag] != "":
				claimed = append(claimed, a.AssetTag)
			case reported[a.AssetTag] == 1:
				duty = append(duty, a.AssetTag)
			case reported[a.AssetTag] == 2:
				excluded = append(excluded, a.AssetTag)
			default:
				missing = append(missing, a.AssetTag)
			}
		}
		if len(missing) > 0 {
			f.add(m.Basis, "%s: missing: %s of origin %s under %s (%s) are subject to %s (%s, %s): report %s, or state the exclusion or Chapter 98 claim relied on",
				shipAt(sh.s, "import_entry.chapter99"), units(len(missing)), strings.Join(m.Origins, "/"), strings.Join(m.Subheadings, ", "), listTags(missing),
				m.Heading, m.Name, m.Rate, m.Heading)
		}
		pass := "no unit covered"
		if n := len(duty) + len(excluded) + len(claimed); n > 0 {
			var parts []string
			if len(duty) > 0 {
				parts = append(parts, fmt.Sprintf("%s reported under %s (%s)", units(len(duty)), m.Heading, m.Rate))
			}
			if len(excluded) > 0 {
				parts = append(parts, fmt.Sprintf("%s under an exclusion", units(len(excluded))))
			}
			if len(claimed) > 0 {
				parts = append(parts, fmt.Sprintf("%s entered under a Chapter 98 claim it does not apply to", units(len(claimed))))
			}
			pass = strings.Join(parts, "; ")
		}
		out = append(out, f.result("chapter-99: "+m.Name, m.Cite(), m.Heading+": "+pass))
	}
	return out
}

// listTags names up to five asset tags.
func listTags(tags []string) string {
	if len(tags) > 5 {
		return strings.Join(tags[:5], ", ") + fmt.Sprintf(" and %d more", len(tags)-5)
	}
	return strings.Join(tags, ", ")
}

// checkMarking: where the destination wants imported goods marked with
// their country of origin, the plan says how the units are marked
// (import_entry.marking) and each package's marks name the countries of
// origin of what it holds.
func checkMarking(sh *shipment) []model.CheckResult {
	if !sh.hasDest || sh.dest.ImportEntry == nil || sh.dest.ImportEntry.Marking == nil {
		return nil
	}
	rule := sh.dest.ImportEntry.Marking
	foreign := map[string]bool{}
	origin := map[string]string{}
	for _, a := range sh.assets {
		origin[a.AssetTag] = a.CountryOfOrigin
		if a.CountryOfOrigin != "" && a.CountryOfOrigin != sh.s.Destination {
			foreign[a.CountryOfOrigin] = true
		}
	}
	if len(foreign) == 0 {
		return nil
	}
	var f faults
	if sh.s.ImportEntry == nil || blank(sh.s.ImportEntry.Marking) {
		f.add(rule.Basis, "%s: missing: units of %s origin enter %s: say how each unit (and its package) is marked with its country of origin",
			shipAt(sh.s, "import_entry.marking"), strings.Join(slices.Sorted(maps.Keys(foreign)), ", "), sh.s.Destination)
	}
	if rule.Packages {
		for i, p := range sh.s.Packages {
			var lack []string
			for _, cc := range slices.Sorted(maps.Keys(setOf(p.Assets, origin))) {
				if cc == "" || cc == sh.s.Destination {
					continue
				}
				if name := countries.ByName(cc).String(); !wordIn(p.Marks, name) {
					lack = append(lack, fmt.Sprintf("%q (%s)", name, cc))
				}
			}
			if len(lack) > 0 {
				f.add(rule.Basis, "%s: %q does not name the country of origin %s of the units in package %s, in English",
					shipAt(sh.s, fmt.Sprintf("packages[%d].marks", i)), p.Marks, strings.Join(lack, ", "), p.ID)
			}
		}
	}
	return []model.CheckResult{f.result("origin-marking", rule.Cite(), "units and packages marked with their countries of origin: "+strings.Join(slices.Sorted(maps.Keys(foreign)), ", "))}
}

// setOf is the set of the values of tags in m.
func setOf(tags []string, m map[string]string) map[string]bool {
	out := map[string]bool{}
	for _, t := range tags {
		out[m[t]] = true
	}
	return out
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
