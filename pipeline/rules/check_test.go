package rules

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/internal/hash128"

	"github.com/shopspring/decimal"

	"github.com/clearpack/clearpack/pipeline/model"
)

// fixture is a plan of one good shipment (SG → VN, a new and a refurbished
// server under a relocation exception) that every test bends one way.
type fixture struct {
	plan       model.Plan
	assets     map[string]*model.Asset
	clearances map[string]*model.Clearance
}

func (f *fixture) ship() *model.Shipment { return &f.plan.Shipments[0] }
func (f *fixture) newUnit() *model.Asset { return f.assets["SRV-1"] }
func (f *fixture) refurb() *model.Asset  { return f.assets["SRV-2"] }

func party(name, country string) model.Party {
	return model.Party{Name: name, Address: "1 Street, City", Country: country, TaxID: "TAX-" + country}
}

func server(tag, serial string, line int) *model.Asset {
	return &model.Asset{
		AssetTag: tag, Serial: serial, Manufacturer: "Dell", Model: "PowerEdge R640", Category: "server",
		Condition: model.New, HSCode: "84715090", ECCN: "5A992.c", ECCNSource: "manufacturer", LicenseException: "NLR",
		CountryOfOrigin: "CN", UnitValue: decimal.RequireFromString("9500.00"), Currency: "USD", ValuationMethod: 1,
		NetWeightKg: decimal.RequireFromString("18.5"), GrossWeightKg: decimal.RequireFromString("24"),
		CPUModel: "Xeon Gold 6130", CPUSockets: 2, CPUCores: 16, Memory: "384 GB DDR4-2666", Storage: "2x 480 GB SSD",
		Network: "2x 10GbE SFP+", PowerSupplies: "2x 750 W", ManagementController: "iDRAC9 Enterprise", TPM: true,
		Src: model.Source{File: "inventory.csv", Line: line},
	}
}

func newFixture() *fixture {
	a1 := server("SRV-1", "SN0001", 2)
	a2 := server("SRV-2", "SN0002", 3)
	a2.Condition = model.Refurbished
	a2.Grade, a2.GradingStandard, a2.TestResult, a2.TestedBy, a2.TestedOn = "A", "R2v3 / internal Grade A", "pass", "Lab SG", "2026-02-10"
	a2.Refurbisher, a2.YearOfMfr = "Meridian Refurb", 2019
	a2.SanitisationMethod, a2.SanitisationDate, a2.SanitisationOperator, a2.SanitisationVerification = "purge", "2026-02-09", "J. Tan", "verified, report 77"
	a2.UnitValue, a2.OriginalCost, a2.DepreciationBasis = decimal.RequireFromString("3200"), decimal.RequireFromString("14000"), "straight-line 5 years from 2019-03"
	return &fixture{
		plan: model.Plan{Program: "T", Shipments: []model.Shipment{{
			ID: "SG-VN-1", Direction: model.Forward, Origin: "SG", Destination: "VN", Reason: "sale",
			Incoterms: model.Incoterms{Rule: "DAP", Place: "Ho Chi Minh City"}, Currency: "USD",
			InvoiceNumber: "INV-1", InvoiceDate: "2026-03-01", ShipDate: "2026-03-02",
			Parties: model.Parties{
				Exporter: party("Meridian Compute Pte. Ltd.", "SG"), ExporterOfRecord: party("Meridian Compute Pte. Ltd.", "SG"),
				ImporterOfRecord: party("Công ty TNHH Giải pháp Số Sài Gòn", "VN"), Consignee: party("Công ty TNHH Giải pháp Số Sài Gòn", "VN"),
			},
			Declarant: model.Declarant{Name: "A. Lim", Position: "Trade Compliance Manager"},
			Packages:  []model.Package{{ID: "P1", Type: "pallet", GrossWeightKg: decimal.RequireFromString("60"), Assets: []string{"SRV-1", "SRV-2"}}},
			Permits:   []model.Permit{{Type: "Relocation Exception", Number: "1482/BKHCN-CVT", ValidUntil: "2026-12-31"}},
			Assets:    []string{"SRV-1", "SRV-2"},
			Src:       model.Source{File: "plan.yaml", Line: 4},
		}}},
		assets:     map[string]*model.Asset{"SRV-1": a1, "SRV-2": a2},
		clearances: map[string]*model.Clearance{},
	}
}

func (f *fixture) input() Input {
	return Input{Plan: &f.plan, Assets: f.assets, Clearances: f.clearances}
}

// to sends the fixture shipment to another destination with local parties.
func (f *fixture) to(cc string) {
	s := f.ship()
	s.Destination = cc
	s.Parties.ImporterOfRecord.Country, s.Parties.Consignee.Country = cc, cc
}

func results(r Report) string {
	var s []string
	for _, c := range r.Results {
		s = append(s, string(c.Status)+" "+c.Rule+": "+c.Detail)
	}
	return strings.Join(s, "\n")
}

func TestGoodShipmentPasses(t *testing.T) {
	b := mustLoad(t, "")
	reports := b.Check(newFixture().input())
	if len(reports) != 1 {
		t.Fatalf("%d reports", len(reports))
	}
	r := reports[0]
	if !r.OK() || r.Count(model.Warn) > 0 || r.Verdict() != "PASS" {
		t.Fatalf("good shipment did not pass cleanly:\n%s", results(r))
	}
	for _, rule := range []string{"profile", "parties", "hs-code", "hs-national-length", "hs-category", "eccn",
		"same-model-classification", "same-unit-value-basis", "second-hand-record", "valuation", "used-import",
		"banned-category", "permit", "age-limit", "not-waste", "documents", "spec-list"} {
		if len(r.Result(rule)) == 0 {
			t.Errorf("rule %s not reported", rule)
		}
	}
	for _, c := range r.Results {
		if c.Source == "" {
			t.Errorf("rule %s has no source", c.Rule)
		}
	}
	if r.Language != "vi" || r.RetentionYears != 5 {
		t.Errorf("language %q retention %d, want vi 5", r.Language, r.RetentionYears)
	}
	if u := r.Result("used-import")[0]; !strings.Contains(u.Detail, "1482/BKHCN-CVT") || !strings.Contains(u.Source, "Circular 31/2015/TT-BTTTT") || !strings.Contains(u.Source, "verify") {
		t.Errorf("used-import result does not name the permit and its source: %+v", u)
	}
}

// TestChecksCatchFaults: each check, given its fault, fails (or warns) with a
// detail naming where the fault is.
func TestChecksCatchFaults(t *testing.T) {
	tests := []struct {
		name   string
		bend   func(f *fixture)
		rule   string
		status model.CheckStatus
		want   []string
	}{
		// A country without a profile is checked under the generic profile:
		// a warning naming what is not checked, no longer a failure.
		{"unknown destination", func(f *fixture) { f.to("ZZ") }, "profile", model.Warn,
			[]string{"plan.yaml:4", "shipment SG-VN-1", "destination", `"ZZ"`, "generic profile", "not checked: the national tariff-line length, used-equipment import rules"}},
		{"asset not in inventory", func(f *fixture) { f.ship().Assets = append(f.ship().Assets, "GHOST") }, "profile", model.Fail,
			[]string{"plan.yaml:4", `"GHOST"`}},
		{"unsourced destination warns", func(f *fixture) { f.to("PE"); f.newUnit().HSCode, f.refurb().HSCode = "8471500000", "8471500000" }, "profile", model.Warn,
			[]string{"PE", "unsourced"}},
		{"importer tax id missing", func(f *fixture) { f.ship().Parties.ImporterOfRecord.TaxID = "" }, "parties", model.Fail,
			[]string{"plan.yaml:4", "parties.importer_of_record.tax_id", "MST"}},
		{"consignee missing", func(f *fixture) { f.ship().Parties.Consignee = model.Party{} }, "parties", model.Fail,
			[]string{"parties.consignee: missing"}},
		{"importer outside the destination", func(f *fixture) { f.ship().Parties.ImporterOfRecord.Country = "SG" }, "parties", model.Fail,
			[]string{"parties.importer_of_record.country", `"SG", expected VN`}},
		{"importer address missing", func(f *fixture) { f.ship().Parties.ImporterOfRecord.Address = "" }, "parties", model.Fail,
			[]string{"parties.importer_of_record.address: missing"}},
		{"importer name only invisible spaces", func(f *fixture) { f.ship().Parties.ImporterOfRecord.Name = "\u200b\u00a0\u2060\ufeff" }, "parties", model.Fail,
			[]string{"parties.importer_of_record.name: missing"}},
		{"exporter of record name a no-break space", func(f *fixture) { f.ship().Parties.ExporterOfRecord.Name = "\u00a0" }, "parties", model.Fail,
			[]string{"parties.exporter_of_record.name: missing"}},
		{"declarant a zero-width space", func(f *fixture) { f.ship().Declarant.Name = "\u200b" }, "documents", model.Fail,
			[]string{"declarant: name and position needed"}},
		{"unit priced in another currency", func(f *fixture) { f.refurb().Currency = "EUR" }, "documents", model.Fail,
			[]string{"inventory.csv:3", "asset SRV-2", "currency", `"EUR", expected "USD" (the currency of shipment SG-VN-1)`}},
		{"no broker where required", func(f *fixture) { f.to("CL") }, "parties", model.Fail,
			[]string{"parties.broker: missing", "CL"}},
		{"HS code not in HS 2022", func(f *fixture) { f.newUnit().HSCode = "84719950" }, "hs-code", model.Fail,
			[]string{"inventory.csv:2", "asset SRV-1", "hs_code", "8471.99 is not an HS 2022 subheading"}},
		{"HS code not digits", func(f *fixture) { f.newUnit().HSCode = "8471.50.90" }, "hs-code", model.Fail,
			[]string{"inventory.csv:2", "hs_code", "6 to 12 digits"}},
		{"national extension too short", func(f *fixture) { f.newUnit().HSCode = "847150" }, "hs-national-length", model.Fail,
			[]string{"inventory.csv:2", "hs_code", "6 digits", "expects 8"}},
		{"10 digits into an 8-digit country", func(f *fixture) { f.refurb().HSCode = "8471500000" }, "hs-national-length", model.Fail,
			[]string{"inventory.csv:3", "expects 8"}},
		{"server under a food chapter", func(f *fixture) { f.newUnit().HSCode = "09011100" }, "hs-category", model.Fail,
			[]string{"inventory.csv:2", "hs_code", "Coffee", "category server", "8471.50"}},
		{"switch under a server heading", func(f *fixture) { f.newUnit().Category = "network-switch" }, "hs-category", model.Fail,
			[]string{"category network-switch", "expected 8517.62"}},
		{"malformed ECCN", func(f *fixture) { f.newUnit().ECCN = "5A99" }, "eccn", model.Fail,
			[]string{"inventory.csv:2", "eccn", `"5A99"`}},
		{"EAR99 with encryption", func(f *fixture) { f.newUnit().ECCN, f.refurb().ECCN = "EAR99", "EAR99" }, "eccn", model.Warn,
			[]string{"inventory.csv:2", "Cat. 5 Part 2"}},
		{"no sanitisation record", func(f *fixture) { f.refurb().SanitisationDate, f.refurb().SanitisationOperator = "", "" },
			"second-hand-record", model.Fail, []string{"inventory.csv:3", "asset SRV-2", "sanitisation_date, sanitisation_operator", "refurbished"}},
		{"no grade or year", func(f *fixture) { f.refurb().Grade, f.refurb().YearOfMfr = "", 0 },
			"second-hand-record", model.Fail, []string{"inventory.csv:3", "grade", "year_of_manufacture"}},
		{"sanitised after shipping", func(f *fixture) { f.refurb().SanitisationDate = "2026-04-01" },
			"second-hand-record", model.Fail, []string{"sanitisation_date", "after the ship date"}},
		{"no valuation method", func(f *fixture) { f.refurb().ValuationMethod = 0 }, "valuation", model.Fail,
			[]string{"inventory.csv:3", "valuation_method", "WTO"}},
		{"not a WTO method", func(f *fixture) { f.refurb().ValuationMethod = 7 }, "valuation", model.Fail,
			[]string{"inventory.csv:3", "valuation_method", "7"}},
		{"value above original cost", func(f *fixture) { f.refurb().UnitValue = decimal.RequireFromString("15000") }, "valuation", model.Fail,
			[]string{"inventory.csv:3", "unit_value", "15000", "above the original cost 14000"}},
		{"transaction value without a sale", func(f *fixture) { f.ship().Reason = "redeployment" }, "valuation", model.Fail,
			[]string{"inventory.csv:2", "method 1", "redeployment", "method 6"}},
		{"method 6 without depreciation basis", func(f *fixture) { f.refurb().ValuationMethod, f.refurb().DepreciationBasis = 6, "" },
			"valuation", model.Fail, []string{"inventory.csv:3", "depreciation_basis"}},
		{"no declared value", func(f *fixture) { f.newUnit().UnitValue = decimal.Zero }, "valuation", model.Fail,
			[]string{"inventory.csv:2", "unit_value", "customs purposes only"}},
		{"used into VN without exception", func(f *fixture) { f.ship().Permits = nil }, "used-import", model.Fail,
			[]string{"plan.yaml:4", "permits", "relocation-exception", "1 unit"}},
		{"expired exception", func(f *fixture) { f.ship().Permits[0].ValidUntil = "2026-01-31" }, "used-import", model.Fail,
			[]string{"permits[0]", "expired on 2026-01-31"}},
		{"exception without number", func(f *fixture) { f.ship().Permits[0].Number = "" }, "used-import", model.Fail,
			[]string{"permits[0]", "no number"}},
		{"refurbished into BR without LI", func(f *fixture) { f.to("BR") }, "used-import", model.Fail,
			[]string{"BR", "LI", "Portaria SECEX 249/2023"}},
		{"used part into TH", func(f *fixture) {
			f.to("TH")
			p := f.refurb()
			p.Category, p.Condition, p.HSCode, p.Model = "part", model.Used, "84733010", "750W PSU"
		}, "banned-category", model.Fail, []string{"TH bans part", "SRV-2 (inventory.csv:3)"}},
		{"NOM missing into MX warns", func(f *fixture) {
			f.to("MX")
			f.ship().Parties.Broker = &model.Party{Name: "Agencia"}
			f.ship().Valuation = fullValuation()
			for _, a := range f.assets {
				a.HSCode = "8471500100" // fracción + NICO
			}
		},
			"permit: NOM-019-SE-2021 product-safety certificate (IT equipment)", model.Warn,
			[]string{"NOM", "plan.yaml:4", "permits"}},
		{"MX fracción without NICO", func(f *fixture) { f.to("MX"); f.ship().Parties.Broker = &model.Party{Name: "Agencia"} },
			"hs-national-length", model.Fail, []string{`"84715090" has 8 digits; MX (TIGIE 2022: 8-digit fracción plus 2-digit NICO) expects 10`}},
		{"older than VN's 10 years", func(f *fixture) { f.refurb().YearOfMfr = 2014 }, "age-limit", model.Fail,
			[]string{"inventory.csv:3", "year_of_manufacture", "2014 is 12 years", "at most 10"}},
		{"not-waste: failed unit into AR", func(f *fixture) {
			f.to("AR")
			f.ship().Parties.Broker = &model.Party{Name: "Despachante"}
			f.refurb().TestResult = "fail"
		}, "not-waste", model.Fail, []string{"inventory.csv:3", "test_result", `"fail"`}},
		{"unit in no package", func(f *fixture) { f.ship().Packages[0].Assets = []string{"SRV-1"} }, "documents", model.Fail,
			[]string{"plan.yaml:4", "asset SRV-2 is in no package"}},
		{"package lighter than its units", func(f *fixture) { f.ship().Packages[0].GrossWeightKg = decimal.RequireFromString("20") }, "documents", model.Fail,
			[]string{"packages[0].gross_weight_kg", "20 kg is below", "37"}},
		{"invoice after shipping", func(f *fixture) { f.ship().InvoiceDate = "2026-03-05" }, "documents", model.Fail,
			[]string{"invoice_date", "after the ship date"}},
		{"no named place", func(f *fixture) { f.ship().Incoterms.Place = "" }, "documents", model.Fail,
			[]string{"plan.yaml:4", "incoterms"}},
		{"spec list data missing", func(f *fixture) { f.refurb().CPUModel, f.refurb().ECCNSource = "", "" }, "spec-list", model.Fail,
			[]string{"inventory.csv:3", "cpu_model, eccn_source", "specification list"}},
		{"clearance released before entry", func(f *fixture) {
			f.clearances["SG-VN-1"] = &model.Clearance{ShipmentID: "SG-VN-1", EntryNumber: "1", EntryDate: "2026-03-10", ReleaseDate: "2026-03-08",
				Src: model.Source{File: "clearances.yaml", Line: 7}}
		}, "clearance", model.Fail, []string{"clearances.yaml:7", "release_date 2026-03-08 is before"}},
		{"held at the border", func(f *fixture) {
			f.clearances["SG-VN-1"] = &model.Clearance{ShipmentID: "SG-VN-1", EntryNumber: "1", EntryDate: "2026-03-10", ReleaseDate: "2026-03-18", Held: true}
		}, "clearance", model.Warn, []string{"held"}},
	}
	b := mustLoad(t, "")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			tt.bend(f)
			r := b.Check(f.input())[0]
			got := r.Result(tt.rule)
			if len(got) == 0 {
				t.Fatalf("rule %s not reported:\n%s", tt.rule, results(r))
			}
			c := got[0]
			if c.Status != tt.status {
				t.Fatalf("rule %s: status %s, want %s:\n%s", tt.rule, c.Status, tt.status, results(r))
			}
			for _, w := range tt.want {
				if !strings.Contains(c.Detail, w) && !strings.Contains(c.Source, w) {
					t.Errorf("rule %s: detail %q does not name %q", tt.rule, c.Detail, w)
				}
			}
			if want := tt.status != model.Fail; r.OK() != want {
				t.Errorf("OK() = %v, want %v", r.OK(), want)
			}
		})
	}
}

func TestPermitsThatSatisfy(t *testing.T) {
	tests := []struct {
		dest, permit string
	}{
		{"VN", "relocation-exception"},
		{"VN", "Reimport after repair"},
		{"BR", "LI"},
		{"BR", "Licença de Importação"},
		{"ID", "import approval"},
		{"CO", "licencia de importacion"},
		{"CO", "Import-Licence"},
		{"IN", "dgft-import-authorisation"},
	}
	b := mustLoad(t, "")
	for _, tt := range tests {
		t.Run(tt.dest+"/"+tt.permit, func(t *testing.T) {
			f := newFixture()
			f.to(tt.dest)
			f.ship().Permits[0].Type = tt.permit
			f.ship().Permits[0].IssuedOn = "2026-02-01" // before the ship date (Brazil's LI)
			r := b.Check(f.input())[0]
			if u := r.Result("used-import")[0]; u.Status != model.Pass {
				t.Errorf("permit %q did not satisfy %s: %s", tt.permit, tt.dest, u.Detail)
			}
		})
	}
}

func TestReturnChecksRolesSwapped(t *testing.T) {
	b := mustLoad(t, "")
	ret := func(f *fixture) {
		s := f.ship()
		s.ID, s.Direction, s.Reason, s.Origin, s.Destination = "VN-SG-R1", model.Return, "return for refurbishment", "VN", "SG"
		s.Parties.Exporter = party("Công ty TNHH Giải pháp Số Sài Gòn", "VN")
		s.Parties.ExporterOfRecord = s.Parties.Exporter
		s.Parties.ImporterOfRecord = party("Meridian Refurb Pte. Ltd.", "SG")
		s.Parties.Consignee = s.Parties.ImporterOfRecord
		s.Permits = nil
		f.newUnit().Condition = model.Used
		f.newUnit().Grade, f.newUnit().YearOfMfr, f.newUnit().TestResult = "B", 2017, "pass"
		f.newUnit().SanitisationMethod, f.newUnit().SanitisationDate, f.newUnit().SanitisationOperator, f.newUnit().SanitisationVerification = "purge", "2026-02-01", "N. Van", "ok"
		f.newUnit().ValuationMethod, f.newUnit().OriginalCost, f.newUnit().DepreciationBasis = 6, decimal.RequireFromString("12000"), "straight-line"
		f.newUnit().UnitValue = decimal.RequireFromString("1500")
		f.refurb().ValuationMethod = 6
	}
	t.Run("good return passes against the refurbishment site", func(t *testing.T) {
		f := newFixture()
		ret(f)
		r := b.Check(f.input())[0]
		if !r.OK() {
			t.Fatalf("good return failed:\n%s", results(r))
		}
		// VN's used-equipment ban does not apply to goods leaving VN: the
		// refurbishment site's profile (SG) decides.
		if u := r.Result("used-import")[0]; !strings.Contains(u.Detail, "allowed in SG") {
			t.Errorf("used-import not checked against SG: %s", u.Detail)
		}
		// VN's export rules apply: the specification list at origin.
		if !slices.Contains(r.Documents, model.SpecListOrigin) || r.Language != "en" {
			t.Errorf("documents %v language %s", r.Documents, r.Language)
		}
	})
	t.Run("roles not swapped", func(t *testing.T) {
		f := newFixture()
		ret(f)
		f.ship().Parties.Exporter = party("Meridian Compute Pte. Ltd.", "SG")
		r := b.Check(f.input())[0]
		c := r.Result("return-roles")[0]
		if c.Status != model.Fail || !strings.Contains(c.Detail, "parties.exporter.country") || !strings.Contains(c.Detail, "old destination is the exporting country") {
			t.Fatalf("return with exporter in SG: %+v", c)
		}
	})
	t.Run("return to a site that is not a refurbishment site", func(t *testing.T) {
		f := newFixture()
		ret(f)
		f.to("TH")
		r := b.Check(f.input())[0]
		c := r.Result("return-roles")[0]
		if c.Status != model.Fail || !strings.Contains(c.Detail, "TH is not a refurbishment site") {
			t.Fatalf("return to TH: %+v", c)
		}
	})
	t.Run("return into a country that bans used goods", func(t *testing.T) {
		f := newFixture()
		ret(f)
		s := f.ship()
		s.Origin, s.Destination = "SG", "VN" // a "return" into VN: VN's import rules apply
		s.Parties.Exporter.Country, s.Parties.ImporterOfRecord.Country, s.Parties.Consignee.Country = "SG", "VN", "VN"
		r := b.Check(f.input())[0]
		if c := r.Result("used-import")[0]; c.Status != model.Fail {
			t.Fatalf("used units into VN on a return without exception: %+v", c)
		}
	})
}

func TestCrossShipmentChecks(t *testing.T) {
	b := mustLoad(t, "")
	// two shipments: the fixture's, and a second to TH with its own units.
	twoShipments := func() *fixture {
		f := newFixture()
		s2 := *f.ship()
		s2.ID, s2.Destination, s2.Permits, s2.Src = "SG-TH-1", "TH", nil, model.Source{File: "plan.yaml", Line: 60}
		s2.Parties.ImporterOfRecord.Country, s2.Parties.Consignee.Country = "TH", "TH"
		s2.Assets = []string{"SRV-3"}
		s2.Packages = []model.Package{{ID: "P9", GrossWeightKg: decimal.RequireFromString("30"), Assets: []string{"SRV-3"}}}
		f.assets["SRV-3"] = server("SRV-3", "SN0003", 4)
		f.plan.Shipments = append(f.plan.Shipments, s2)
		return f
	}
	t.Run("consistent plan passes", func(t *testing.T) {
		for _, r := range b.Check(twoShipments().input()) {
			if !r.OK() {
				t.Errorf("%s failed:\n%s", r.ShipmentID, results(r))
			}
		}
	})
	t.Run("same model, other subheading", func(t *testing.T) {
		f := twoShipments()
		f.assets["SRV-3"].HSCode = "84714100"
		reports := b.Check(f.input())
		for _, r := range reports {
			c := r.Result("same-model-classification")[0]
			if c.Status != model.Fail {
				t.Fatalf("%s: %+v", r.ShipmentID, c)
			}
			for _, w := range []string{"Dell PowerEdge R640", "SG-VN-1", "SG-TH-1", "8471.50", "8471.41", "inventory.csv:4"} {
				if !strings.Contains(c.Detail, w) {
					t.Errorf("%s: detail %q does not name %q", r.ShipmentID, c.Detail, w)
				}
			}
		}
	})
	t.Run("same model typed another way, other subheading", func(t *testing.T) {
		// NFD accents, a no-break space, a zero-width space and doubled
		// spaces do not make another model.
		for _, name := range []string{"PowerEdge\u00a0R640", "Power\u200bEdge R640", "PowerEdge  R640 ", "powerEdge R640"} {
			f := twoShipments()
			f.assets["SRV-3"].Model, f.assets["SRV-3"].HSCode = name, "84714100"
			f.assets["SRV-1"].Manufacturer, f.assets["SRV-2"].Manufacturer, f.assets["SRV-3"].Manufacturer = "Dell Te\u0301chnologies", "Dell Te\u0301chnologies", "Dell T\u00e9chnologies"
			for _, r := range b.Check(f.input()) {
				if c := r.Result("same-model-classification")[0]; c.Status != model.Fail || !strings.Contains(c.Detail, "8471.41") {
					t.Errorf("model %q: %s: %+v", name, r.ShipmentID, c)
				}
			}
		}
	})
	t.Run("same model, other ECCN", func(t *testing.T) {
		f := twoShipments()
		f.assets["SRV-3"].ECCN = "4A994.b"
		for _, r := range b.Check(f.input()) {
			if c := r.Result("same-model-classification")[0]; c.Status != model.Fail || !strings.Contains(c.Detail, "4A994.b") {
				t.Errorf("%s: %+v", r.ShipmentID, c)
			}
		}
	})
	t.Run("same unit, other value basis", func(t *testing.T) {
		f := twoShipments()
		u := f.assets["SRV-3"]
		u.Serial = "SN0002" // the refurbished unit of the first shipment, under a second tag
		u.Condition, u.ValuationMethod, u.OriginalCost = model.Refurbished, 6, decimal.RequireFromString("12000")
		reports := b.Check(f.input())
		for _, r := range reports {
			c := r.Result("same-unit-value-basis")[0]
			if c.Status != model.Fail || !strings.Contains(c.Detail, "SG-VN-1") || !strings.Contains(c.Detail, "SG-TH-1") || !strings.Contains(c.Detail, "SN0002") {
				t.Errorf("%s: %+v", r.ShipmentID, c)
			}
		}
	})
}

func TestDocumentsAndRetention(t *testing.T) {
	b := mustLoad(t, "")
	tests := []struct {
		name      string
		bend      func(f *fixture)
		want      []model.DocKind
		retention int
	}{
		{"new units only", func(f *fixture) {
			f.ship().Assets = []string{"SRV-1"}
			f.ship().Packages[0].Assets = []string{"SRV-1"}
		}, []model.DocKind{model.CommercialInvoice, model.PackingList, model.ComplianceSummary}, 5},
		{"refurbished into VN", func(f *fixture) {},
			[]model.DocKind{model.CommercialInvoice, model.PackingList, model.ConditionDeclaration, model.SpecListDestination, model.ComplianceSummary}, 5},
		{"spec list requested, cleared, into ID", func(f *fixture) {
			f.to("ID")
			f.ship().SpecListRequested = true
			f.clearances["SG-VN-1"] = &model.Clearance{ShipmentID: "SG-VN-1"}
		}, []model.DocKind{model.CommercialInvoice, model.PackingList, model.ConditionDeclaration, model.SpecListOrigin,
			model.SpecListDestination, model.PostClearance, model.ComplianceSummary}, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			tt.bend(f)
			r := b.Check(f.input())[0]
			if !slices.Equal(r.Documents, tt.want) || r.RetentionYears != tt.retention {
				t.Errorf("documents %v retention %d; want %v %d", r.Documents, r.RetentionYears, tt.want, tt.retention)
			}
		})
	}
}

func BenchmarkCheck200Units(b *testing.B) {
	book := mustLoad(b, "")
	f := newFixture()
	s := f.ship()
	s.Assets, s.Packages[0].Assets = nil, nil
	s.Packages[0].GrossWeightKg = decimal.RequireFromString("100000")
	for i := range 200 {
		a := *f.refurb()
		a.AssetTag, a.Serial = "U"+strings.Repeat("0", 4)+string(rune('A'+i%26))+decimal.NewFromInt(int64(i)).String(), "S"+decimal.NewFromInt(int64(i)).String()
		f.assets[a.AssetTag] = &a
		s.Assets = append(s.Assets, a.AssetTag)
		s.Packages[0].Assets = append(s.Packages[0].Assets, a.AssetTag)
	}
	for b.Loop() {
		if r := book.Check(f.input()); !r[0].OK() {
			b.Fatal(results(r[0]))
		}
	}
}

// An asset the shipment lists but the inventory lacks is a profile failure,
// unless the input check already reports why (its row was refused): then
// it is not called missing a second time, with a wrong reason.
func TestMissingAssetOnce(t *testing.T) {
	book := mustLoad(t, "")
	for _, tc := range []struct {
		name     string
		reported map[string]bool
		want     bool
	}{
		{"not in the inventory", nil, true},
		{"row refused at input", map[string]bool{"SRV-2": true}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture()
			delete(f.assets, "SRV-2")
			in := f.input()
			in.Reported = tc.reported
			got := strings.Contains(results(book.Check(in)[0]), `asset "SRV-2" is not in the inventory`)
			if got != tc.want {
				t.Errorf("profile says SRV-2 is not in the inventory: %v, want %v\n%s", got, tc.want, results(book.Check(in)[0]))
			}
		})
	}
}

// TestCrossFirstPassAcrossRuns: the first pass keeps its pairs in sorted
// runs of crossRunLen and merges them; a key whose second value comes runs
// after its first is found diverged, a key repeated with one value (whose
// repeats compaction drops) is not, nor is any of the many keys seen once.
func TestCrossFirstPassAcrossRuns(t *testing.T) {
	c := &Checked{hashes: hash128.New()}
	r := &crossRule{
		key:   func(a *model.Asset) string { return a.Serial },
		value: func(a *model.Asset) string { return a.DepreciationBasis },
	}
	var p crossPass1
	p.add(c, r, &model.Asset{Serial: "SPLIT", DepreciationBasis: "a"})
	for i := range 3*crossRunLen + 7 {
		p.add(c, r, &model.Asset{Serial: "U" + strconv.Itoa(i), DepreciationBasis: "x"})
		p.add(c, r, &model.Asset{Serial: "SAME", DepreciationBasis: "one"})
		if i == crossRunLen/3 {
			p.add(c, r, &model.Asset{Serial: "NEAR", DepreciationBasis: "a"})
			p.add(c, r, &model.Asset{Serial: "NEAR", DepreciationBasis: "b"})
		}
	}
	p.add(c, r, &model.Asset{Serial: "SPLIT", DepreciationBasis: "b"})
	p.add(c, r, &model.Asset{Serial: "", DepreciationBasis: "no key"})
	if len(p.runs) < 3 {
		t.Fatalf("%d runs: the test does not cross runs", len(p.runs))
	}
	p.finish()
	want := map[hash128.Sum]bool{c.hash("SPLIT"): true, c.hash("NEAR"): true}
	if !maps.Equal(p.diverged, want) {
		t.Fatalf("diverged: %d keys (SPLIT %v, NEAR %v, SAME %v), want SPLIT and NEAR", len(p.diverged),
			p.diverged[c.hash("SPLIT")], p.diverged[c.hash("NEAR")], p.diverged[c.hash("SAME")])
	}
}
