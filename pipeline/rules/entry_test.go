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
