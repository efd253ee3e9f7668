package rules

import (
	"testing"

	"github.com/clearpack/clearpack/pipeline/model"
)

// TestUSImportEntry (item 10): a return into the US names the port of
// entry and a manufacturer ID for each manufacturer and country of origin;
// a Chapter 98 claim names a provision the US has, units on the shipment
// and the facts it rests on.
func TestUSImportEntry(t *testing.T) {
	b := mustLoad(t, "")
	ret := func() *fixture {
		f := newFixture()
		f.to("US")
		f.ship().Direction, f.ship().Reason = model.Return, "return for refurbishment"
		return f
	}
	f := ret()
	wantDetail(t, one(t, b.Check(f.input())[0], "import-entry"), model.Fail,
		"plan.yaml:4: shipment SG-VN-1: import_entry.port_of_entry: missing",
		"import_entry.manufacturer_ids: missing: no manufacturer ID for Dell units made in CN (SRV-1)")
	f.ship().ImportEntry = &model.ImportEntry{PortOfEntry: "Los Angeles, CA (2704)",
		ManufacturerIDs: []model.ManufacturerID{{Manufacturer: "DELL", Country: "CN", MID: "CNDELPRO88XIA"}},
		Claims:          []model.TariffClaim{{Provision: "9801.00.20", Assets: []string{"SRV-2"}, Basis: "imported 2021, entry 123-4567890-1, duty paid; exported 2024 by the importer; not improved abroad"}}}
	wantDetail(t, one(t, b.Check(f.input())[0], "import-entry"), model.Pass, "port of entry Los Angeles, CA (2704), 1 manufacturer IDs, claims 9801.00.20")
	f.ship().ImportEntry.Claims = []model.TariffClaim{{Provision: "9801.00.99", Assets: []string{"SRV-9"}}}
	wantDetail(t, one(t, b.Check(f.input())[0], "import-entry"), model.Fail,
		`import_entry.tariff_claims[0].provision: "9801.00.99": expected one of 9801.00.10, 9801.00.20, 9802.00.40, 9802.00.50`,
		"tariff_claims[0].assets: SRV-9 is not on shipment SG-VN-1",
		"tariff_claims[0].basis: missing")
}

// TestUSChapter99AndMarking (issue 14): CN-origin servers (8471.50) entering
// the US are reported under the Section 301 heading 9903.88.03, or under an
// exclusion with its basis, or entered under a Chapter 98 claim the duty
// does not apply to; the plan says how the units are marked with their
// origin, and each package's marks name it in English.
func TestUSChapter99AndMarking(t *testing.T) {
	b := mustLoad(t, "")
	f := newFixture()
	f.to("US")
	f.ship().Direction, f.ship().Reason = model.Return, "return for refurbishment"
	f.ship().ImportEntry = &model.ImportEntry{PortOfEntry: "Los Angeles, CA (2704)",
		ManufacturerIDs: []model.ManufacturerID{{Manufacturer: "Dell", Country: "CN", MID: "CNDELPRO88XIA"}}}
	r := b.Check(f.input())[0]
	wantDetail(t, one(t, r, "chapter-99: Section 301 (China), list 3"), model.Fail,
		"import_entry.chapter99: missing: 2 units of origin CN under 8471.50",
		"(SRV-1, SRV-2) are subject to 9903.88.03 (Section 301 (China), list 3, duty + 25 %)")
	wantDetail(t, one(t, r, "origin-marking"), model.Fail,
		"import_entry.marking: missing: units of CN origin enter US",
		`packages[0].marks: "" does not name the country of origin "China" (CN) of the units in package P1, in English`)

	e := f.ship().ImportEntry
	e.Chapter99 = []model.TariffClaim{{Provision: "9903.88.03", Assets: []string{"SRV-1"}}, {Provision: "9903.88.69", Assets: []string{"SRV-2"}}}
	e.Marking = "rating label 'Made in China' on each chassis"
	f.ship().Packages[0].Marks = "SDS / LAX / PALLET 1 OF 1 / MADE IN CHINA"
	r = b.Check(f.input())[0]
	wantDetail(t, one(t, r, "chapter-99: Section 301 (China), list 3"), model.Fail,
		"import_entry.chapter99[1].basis: missing: an exclusion under 9903.88.69 names the exclusion relied on")
	wantDetail(t, one(t, r, "origin-marking"), model.Pass, "units and packages marked with their countries of origin: CN")

	e.Chapter99[1].Basis = "exclusion (vvv)(12) of U.S. note 20, extended to 2026-11-10"
	wantDetail(t, one(t, b.Check(f.input())[0], "chapter-99: Section 301 (China), list 3"), model.Pass,
		"9903.88.03: 1 unit reported under 9903.88.03 (duty + 25 %); 1 unit under an exclusion")

	// A 9801.00.20 claim (re-imported, duty paid): the duty does not apply.
	e.Chapter99 = nil
	e.Claims = []model.TariffClaim{{Provision: "9801.00.20", Basis: "imported 2021, entry 123-4567890-1, duty paid; exported under lease; not improved abroad"}}
	wantDetail(t, one(t, b.Check(f.input())[0], "chapter-99: Section 301 (China), list 3"), model.Pass,
		"2 units entered under a Chapter 98 claim it does not apply to")

	// Units made elsewhere are not covered.
	for _, a := range f.assets {
		a.CountryOfOrigin = "MY"
	}
	e.Claims = nil
	f.ship().Packages[0].Marks = "MADE IN MALAYSIA"
	r = b.Check(f.input())[0]
	wantDetail(t, one(t, r, "chapter-99: Section 301 (China), list 3"), model.Pass, "no unit covered")
	wantDetail(t, one(t, r, "origin-marking"), model.Pass, "MY")
}
