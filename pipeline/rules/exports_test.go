package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/clearpack/clearpack/pipeline/model"
)

// usExport turns the fixture into a US export to dest.
func usExport(f *fixture, dest string) {
	f.to(dest)
	s := f.ship()
	s.Origin = "US"
	s.Parties.Exporter.Country, s.Parties.ExporterOfRecord.Country = "US", "US"
	s.ExportFilings = []model.Filing{{Type: "AES ITN", Number: "X20260301123456"}}
}

func wantDetail(t *testing.T, c model.CheckResult, status model.CheckStatus, want ...string) {
	t.Helper()
	if c.Status != status {
		t.Fatalf("%s: status %s, want %s: %s", c.Rule, c.Status, status, c.Detail)
	}
	for _, w := range want {
		if !strings.Contains(c.Detail, w) {
			t.Errorf("%s: detail %q lacks %q", c.Rule, c.Detail, w)
		}
	}
}

// TestExportControls: a US export of 5A992.c servers is under the EAR: the
// report asks the invoice for the Destination Control Statement, a unit
// without ECCN fails, and an EAR99-only shipment gets no statement. A
// Singapore export of US-origin units is a re-export: classification
// printed, no statement. A Singapore export of CN-origin units: no EAR.
func TestExportControls(t *testing.T) {
	b := mustLoad(t, "")
	t.Run("US export of 5A992.c", func(t *testing.T) {
		f := newFixture()
		usExport(f, "MX")
		r := b.Check(f.input())[0]
		c := one(t, r, "export-controls")
		wantDetail(t, c, model.Pass, "EAR (export from US)", "2 units listed", "Destination Control Statement (15 CFR 758.6) printed")
		if !strings.Contains(c.Source, "758.6") {
			t.Errorf("source %q does not cite 15 CFR 758.6", c.Source)
		}
		ec := r.Extras.ExportControl
		if ec == nil || !strings.HasPrefix(ec.Statement, "These items are controlled by the U.S. Government") {
			t.Fatalf("extras.export_control %+v: want the statement of 15 CFR 758.6(a)(1)", ec)
		}
		if got := r.Extras.ExportLines["SRV-1"]; got != "8471500150" {
			t.Errorf("Schedule B of SRV-1 %q, want 8471500150", got)
		}
	})
	t.Run("missing ECCN fails", func(t *testing.T) {
		f := newFixture()
		usExport(f, "MX")
		f.newUnit().ECCN = ""
		wantDetail(t, one(t, b.Check(f.input())[0], "export-controls"), model.Fail, "inventory.csv:2: asset SRV-1: eccn: missing: the EAR applies (export from US)")
	})
	t.Run("missing licence basis warns", func(t *testing.T) {
		f := newFixture()
		usExport(f, "MX")
		f.newUnit().LicenseException = ""
		wantDetail(t, one(t, b.Check(f.input())[0], "export-controls"), model.Warn, "license_exception: missing for 5A992.c")
	})
	t.Run("EAR99 only: no statement", func(t *testing.T) {
		f := newFixture()
		usExport(f, "MX")
		f.newUnit().ECCN, f.refurb().ECCN = "EAR99", "EAR99"
		r := b.Check(f.input())[0]
		wantDetail(t, one(t, r, "export-controls"), model.Pass, "0 units listed")
		if ec := r.Extras.ExportControl; ec == nil || ec.Statement != "" {
			t.Errorf("extras.export_control %+v: want the regime without a statement", ec)
		}
	})
	t.Run("re-export of US-origin units from SG", func(t *testing.T) {
		f := newFixture()
		f.newUnit().CountryOfOrigin = "US"
		r := b.Check(f.input())[0]
		wantDetail(t, one(t, r, "export-controls"), model.Pass, "re-export from SG of US-origin units", "1 unit listed")
		if ec := r.Extras.ExportControl; ec == nil || ec.Statement != "" || ec.Regime != "EAR" {
			t.Errorf("extras.export_control %+v: want EAR without the statement (758.6 is for exports from the US)", ec)
		}
	})
	t.Run("SG export of CN-origin units: no EAR", func(t *testing.T) {
		f := newFixture()
		r := b.Check(f.input())[0]
		if got := r.Result("export-controls"); len(got) != 0 || r.Extras.ExportControl != nil {
			t.Errorf("export-controls for a SG export of CN units: %+v %+v", got, r.Extras.ExportControl)
		}
	})
}

// TestExportFilings: the origin's filings are required where its profile
// requires them: a US export without an ITN or exemption, a Mexican return
// without pedimento and CFDI, a Brazilian one without DU-E and NF-e fail.
func TestExportFilings(t *testing.T) {
	b := mustLoad(t, "")
	tests := []struct {
		name    string
		origin  string
		filings []model.Filing
		status  map[string]model.CheckStatus
	}{
		{"US with ITN", "US", []model.Filing{{Type: "AES ITN", Number: "X20260301123456"}},
			map[string]model.CheckStatus{"Electronic Export Information": model.Pass}},
		{"US with exemption", "US", []model.Filing{{Type: "NOEEI", Number: "15 CFR 30.37(a)"}},
			map[string]model.CheckStatus{"Electronic Export Information": model.Pass}},
		{"US without", "US", nil, map[string]model.CheckStatus{"Electronic Export Information": model.Fail}},
		{"MX with CFDI only", "MX", []model.Filing{{Type: "CFDI", Number: "5F2A9C41-7B3D-4E8A-9C12-3D7E1B6A0F48"}},
			map[string]model.CheckStatus{"Pedimento de exportación": model.Fail, "CFDI": model.Pass}},
		{"BR with both", "BR", []model.Filing{{Type: "DU-E", Number: "26BR0011874523"}, {Type: "NF-e", Number: "3526"}},
			map[string]model.CheckStatus{"DU-E": model.Pass, "NF-e": model.Pass}},
		{"BR, number empty", "BR", []model.Filing{{Type: "DU-E"}, {Type: "NF-e", Number: "3526"}},
			map[string]model.CheckStatus{"DU-E": model.Fail}},
		// Returns from Viet Nam and Indonesia (issue 14, pages read): the
		// export declaration number, warned about when missing.
		{"VN without", "VN", nil, map[string]model.CheckStatus{"Tờ khai hải quan xuất khẩu": model.Warn}},
		{"VN with", "VN", []model.Filing{{Type: "tờ khai xuất khẩu", Number: "305412873640"}}, map[string]model.CheckStatus{"Tờ khai hải quan xuất khẩu": model.Pass}},
		{"ID without", "ID", nil, map[string]model.CheckStatus{"Pemberitahuan Ekspor Barang (PEB)": model.Warn}},
		{"ID with", "ID", []model.Filing{{Type: "PEB", Number: "040300-000871"}}, map[string]model.CheckStatus{"Pemberitahuan Ekspor Barang (PEB)": model.Pass}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			s := f.ship()
			s.Origin = tt.origin
			s.Parties.Exporter.Country, s.Parties.ExporterOfRecord.Country = tt.origin, tt.origin
			s.ExportFilings = tt.filings
			r := b.Check(f.input())[0]
			got := r.Result("export-filing")
			for name, want := range tt.status {
				found := false
				for _, c := range got {
					if strings.Contains(c.Rule, name) {
						found = true
						if c.Status != want {
							t.Errorf("%s: %s, want %s: %s", c.Rule, c.Status, want, c.Detail)
						}
						if want == model.Fail && !strings.Contains(c.Detail, "plan.yaml:4: shipment SG-VN-1: export_filings") {
							t.Errorf("%s: detail %q does not name the plan field", c.Rule, c.Detail)
						}
					}
				}
				if !found {
					t.Errorf("no export-filing result for %s: %s", name, results(r))
				}
			}
		})
	}
}

// TestNationalLineByValue: Brazil's NCM 8471.50.10 covers units up to
// US$12,500 FOB; a unit above it under .10 fails naming 8471.50.90, with the
// BRL value converted at the plan's rate; without a rate the check cannot
// choose and fails naming exchange_rates.
func TestNationalLineByValue(t *testing.T) {
	b := mustLoad(t, "")
	rate := []model.ExchangeRate{{Currency: "USD", Rate: decimal.RequireFromString("5.40"), Date: "2026-03-20"}}
	tests := []struct {
		name   string
		code   string
		value  string
		cur    string
		rates  []model.ExchangeRate
		status model.CheckStatus
		want   []string
	}{
		{"R750 at USD 21,900 under .10", "84715010", "21900.00", "USD", nil, model.Fail,
			[]string{"asset SRV-1: hs_code: \"84715010\"", "declare 8471.50.90"}},
		{"R750 at USD 21,900 under .90", "84715090", "21900.00", "USD", nil, model.Pass, nil},
		{"USD 9,500 under .90", "84715090", "9500.00", "USD", nil, model.Fail, []string{"declare 8471.50.10"}},
		{"BRL 118,260 under .10", "84715010", "118260.00", "BRL", rate, model.Fail,
			[]string{"= USD 21900.00 at 5.4 BRL per USD", "declare 8471.50.90"}},
		{"BRL 51,300 under .10", "84715010", "51300.00", "BRL", rate, model.Pass, nil},
		{"BRL without a rate", "84715010", "51300.00", "BRL", nil, model.Fail,
			[]string{"exchange_rates: no rate for USD"}},
		{"exactly USD 12,500 under .10", "84715010", "12500.00", "USD", nil, model.Pass, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			f.to("BR")
			s := f.ship()
			s.Currency, s.ExchangeRates = tt.cur, tt.rates
			for _, a := range f.assets {
				a.HSCode, a.Currency = "84715010", tt.cur
				a.UnitValue = decimal.RequireFromString("100")
			}
			f.newUnit().HSCode = tt.code
			f.newUnit().UnitValue = decimal.RequireFromString(tt.value)
			wantDetail(t, one(t, b.Check(f.input())[0], "national-line"), tt.status, tt.want...)
		})
	}
}

// TestTaxIDNamesByPartyCountry: each party's tax identifier is named by
// its own country's profile, not the destination's.
func TestTaxIDNamesByPartyCountry(t *testing.T) {
	b := mustLoad(t, "")
	f := newFixture()
	usExport(f, "BR")
	r := b.Check(f.input())[0]
	for cc, want := range map[string]string{"US": "EIN / CBP importer number", "BR": "CNPJ"} {
		if got := r.Extras.TaxIDNames[cc]; got != want {
			t.Errorf("tax id name of %s: %q, want %q", cc, got, want)
		}
	}
}

// TestDocumentsCiteDestinationInvoiceLaw (item 9): the document check cites
// the destination's own invoice law, not 19 CFR 141.86 for Brazil.
func TestDocumentsCiteDestinationInvoiceLaw(t *testing.T) {
	b := mustLoad(t, "")
	for dest, want := range map[string]string{"BR": "Regulamento Aduaneiro", "US": "19 CFR 141.86", "VN": "Circular 38/2015/TT-BTC", "PE": "invoice law of PE not in its profile"} {
		f := newFixture()
		f.to(dest)
		c := one(t, b.Check(f.input())[0], "documents")
		if !strings.Contains(c.Source, want) {
			t.Errorf("documents check to %s cites %q, want %q", dest, c.Source, want)
		}
		if dest != "US" && strings.Contains(c.Source, "141.86") {
			t.Errorf("documents check to %s cites the US invoice rule: %q", dest, c.Source)
		}
	}
}

// TestCustomsValueAndTaxes (item 7): a customs value that leaves out the
// packing charged to the buyer fails citing Art. 8.1(a)(iii); CIF adds
// freight and insurance at the entry's rate; taxes are itemised under the
// destination's own names and add up to the entry's totals.
func TestCustomsValueAndTaxes(t *testing.T) {
	b := mustLoad(t, "")
	d := decimal.RequireFromString
	// Goods 9,500 + 3,200 = 12,700 USD; packing 100, freight 400, insurance 50.
	setup := func() *fixture {
		f := newFixture()
		f.to("BR")
		s := f.ship()
		s.Packing, s.Freight, s.Insurance = d("100"), d("400"), d("50")
		f.clearances[s.ID] = &model.Clearance{ShipmentID: s.ID, EntryNumber: "26BR0000452137-6", EntryDate: "2026-03-03", ReleaseDate: "2026-03-04",
			Port: "GRU", Currency: "BRL", ExchangeRate: d("5.40"), ExchangeRateDate: "2026-03-03", ValueBasis: "CIF",
			CustomsValue: d("71550.00"), // (12,700 + 100 + 400 + 50) × 5.40
			Duties:       d("10"), VAT: d("20"), Fees: d("5"),
			Taxes: []model.Tax{{Name: "II", Amount: d("6")}, {Name: "IPI", Amount: d("4")}, {Name: "PIS/COFINS-Importação", Amount: d("8")},
				{Name: "ICMS", Amount: d("12")}, {Name: "Taxa Siscomex", Amount: d("5")}},
			Src: model.Source{File: "clearances.yaml", Line: 7}}
		return f
	}
	f := setup()
	r := b.Check(f.input())[0]
	wantDetail(t, one(t, r, "customs-value"), model.Pass, "customs value 71550.00 BRL (CIF, packing included) at 5.4 BRL per USD of 2026-03-03")
	wantDetail(t, one(t, r, "taxes"), model.Pass, "5 taxes itemised: II, IPI, PIS/COFINS-Importação, ICMS, Taxa Siscomex")

	f = setup()
	f.clearances["SG-VN-1"].CustomsValue = d("71010.00") // packing (100 × 5.40 = 540) left out
	c := one(t, b.Check(f.input())[0], "customs-value")
	wantDetail(t, c, model.Fail, "clearances.yaml:7: clearance SG-VN-1: customs_value 71010.00 BRL leaves out the packing (100.00 USD)")
	if !strings.Contains(c.Source, "8.1(a)(iii)") {
		t.Errorf("source %q does not cite Art. 8.1(a)(iii)", c.Source)
	}

	// A DAP delivery by air to an inland place with the freight to the
	// airport of import stated (250 of the 400): the value takes that part
	// only, (12,700 + 100 + 250 + 50) × 5.40 = 70,740.00; the whole freight
	// (71,550.00) is off by the on-carriage.
	inland := func() *fixture {
		f := setup()
		s := f.ship()
		s.Incoterms = model.Incoterms{Rule: "DAP", Place: "Barueri, São Paulo"}
		s.Transport = model.Transport{Mode: "air", Route: "DFW-GRU"}
		s.FreightToBorder = d("250")
		return f
	}
	f = inland()
	f.clearances["SG-VN-1"].CustomsValue = d("70740.00")
	wantDetail(t, one(t, b.Check(f.input())[0], "customs-value"), model.Pass, "customs value 70740.00 BRL")
	f = inland()
	wantDetail(t, one(t, b.Check(f.input())[0], "customs-value"), model.Fail, "customs_value 71550.00 BRL, expected about 70740.00 BRL")

	f = setup()
	f.clearances["SG-VN-1"].ValueBasis = "FOB"
	wantDetail(t, one(t, b.Check(f.input())[0], "customs-value"), model.Fail, "value_basis: FOB, but BR values CIF")

	f = setup()
	f.clearances["SG-VN-1"].Taxes[0].Name = "import duty"
	wantDetail(t, one(t, b.Check(f.input())[0], "taxes"), model.Fail, `taxes[0].name: "import duty", expected one of II, IPI`)

	f = setup()
	f.clearances["SG-VN-1"].Taxes = f.clearances["SG-VN-1"].Taxes[:4]
	wantDetail(t, one(t, b.Check(f.input())[0], "taxes"), model.Fail, "taxes add up to 30 BRL, but duties + vat + fees are 35 BRL")

	f = setup()
	f.clearances["SG-VN-1"].Taxes = nil
	wantDetail(t, one(t, b.Check(f.input())[0], "taxes"), model.Warn, "not itemised: BR names them II, IPI")
}

// TestIncoterms (item 5): a sea-only rule on an air move, a named place
// naming an airport for a sea or road move, and freight or insurance on an
// FCA invoice fail, naming the plan field.
func TestIncoterms(t *testing.T) {
	b := mustLoad(t, "")
	d := decimal.RequireFromString
	tests := []struct {
		name   string
		bend   func(s *model.Shipment)
		status model.CheckStatus
		want   string
	}{
		{"DAP by air", func(s *model.Shipment) { s.Transport.Mode = "air" }, model.Pass, "DAP Ho Chi Minh City fits a air move"},
		{"CIP GRU airport by sea", func(s *model.Shipment) {
			s.Incoterms = model.Incoterms{Rule: "CIP", Place: "GRU airport, Brasil"}
			s.Transport = model.Transport{Mode: "sea", Route: "USHOU-BRSSZ"}
		}, model.Fail, `incoterms.place: "GRU airport, Brasil" names a place (airport) air or courier transport does not deliver to; the shipment moves by sea on USHOU-BRSSZ`},
		{"FCA QRO airport by road", func(s *model.Shipment) {
			s.Incoterms = model.Incoterms{Rule: "FCA", Place: "QRO airport cargo terminal, México"}
			s.Transport = model.Transport{Mode: "road", Route: "Querétaro - Laredo TX"}
		}, model.Fail, "moves by road"},
		{"CIF by air", func(s *model.Shipment) {
			s.Incoterms = model.Incoterms{Rule: "CIF", Place: "Ho Chi Minh City"}
			s.Transport.Mode = "air"
		}, model.Fail, "incoterms.rule: CIF is a rule for sea transport, but the shipment moves by air: use CIP"},
		{"FCA with freight on the invoice", func(s *model.Shipment) {
			s.Incoterms = model.Incoterms{Rule: "FCA", Place: "SIN airport cargo terminal"}
			s.Transport.Mode = "air"
			s.Freight, s.Insurance = d("700"), d("40")
		}, model.Fail, "plan.yaml:4: shipment SG-VN-1: freight: 700 USD on a FCA invoice: carriage after delivery"},
		{"DAP inland by road without the freight to the border", func(s *model.Shipment) {
			s.Incoterms = model.Incoterms{Rule: "DAP", Place: "El Marqués, Qro."}
			s.Transport = model.Transport{Mode: "road", Route: "Round Rock TX - Laredo TX - Querétaro"}
			s.Freight = d("2850")
		}, model.Warn, "freight_to_border: missing: DAP El Marqués, Qro. by road carries freight past the border"},
		{"DAP inland by road with the freight to the border", func(s *model.Shipment) {
			s.Incoterms = model.Incoterms{Rule: "DAP", Place: "El Marqués, Qro."}
			s.Transport = model.Transport{Mode: "road", Route: "Round Rock TX - Laredo TX - Querétaro"}
			s.Freight, s.FreightToBorder = d("2850"), d("855")
		}, model.Pass, ""},
		{"freight to the border above the freight", func(s *model.Shipment) {
			s.Freight, s.FreightToBorder = d("100"), d("855")
		}, model.Fail, "freight_to_border: 855 USD is more than the freight 100 USD"},
		{"DAP inland by air without the freight to the airport", func(s *model.Shipment) {
			s.Incoterms = model.Incoterms{Rule: "DAP", Place: "Phường Tân Mỹ, Thành phố Hồ Chí Minh"}
			s.Transport = model.Transport{Mode: "air", Route: "SIN-SGN"}
			s.Freight = d("1129.80")
		}, model.Warn, "freight_to_border: missing: DAP Phường Tân Mỹ, Thành phố Hồ Chí Minh by air carries freight past the airport of import SGN to an inland place, and VN values CIF at the place of import (Circular 39/2015/TT-BTC"},
		{"DAP inland by sea without the freight to the port", func(s *model.Shipment) {
			s.Destination = "ID"
			s.Incoterms = model.Incoterms{Rule: "DAP", Place: "Jakarta Selatan"}
			s.Transport = model.Transport{Mode: "sea", Route: "SGSIN-IDTPP"}
			s.Freight = d("730")
		}, model.Warn, "by sea carries freight past the port of import IDTPP to an inland place, and ID values CIF"},
		{"CIP inland by air without the freight to the airport", func(s *model.Shipment) {
			s.Incoterms = model.Incoterms{Rule: "CIP", Place: "Quận 7, Thành phố Hồ Chí Minh"}
			s.Transport = model.Transport{Mode: "air", Route: "SIN-SGN"}
			s.Freight = d("700")
		}, model.Warn, "freight_to_border: missing: CIP Quận 7"},
		{"DAP inland by air with the freight to the airport", func(s *model.Shipment) {
			s.Incoterms = model.Incoterms{Rule: "DAP", Place: "Phường Tân Mỹ, Thành phố Hồ Chí Minh"}
			s.Transport = model.Transport{Mode: "air", Route: "SIN-SGN"}
			s.Freight, s.FreightToBorder = d("1129.80"), d("1009.80")
		}, model.Pass, ""},
		{"DAP at the airport by air", func(s *model.Shipment) {
			s.Incoterms = model.Incoterms{Rule: "DAP", Place: "SGN airport cargo terminal, Viet Nam"}
			s.Transport = model.Transport{Mode: "air", Route: "SIN-SGN"}
			s.Freight = d("700")
		}, model.Pass, ""},
		{"CIP Port of Santos by sea", func(s *model.Shipment) {
			s.Incoterms = model.Incoterms{Rule: "CIP", Place: "Port of Santos (BRSSZ), Brasil"}
			s.Transport = model.Transport{Mode: "sea", Route: "USHOU-BRSSZ"}
		}, model.Pass, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			tt.bend(f.ship())
			wantDetail(t, one(t, b.Check(f.input())[0], "incoterms"), tt.status, tt.want)
		})
	}
}

// TestPermitOfficialNames (item 9): the report names a permit by its
// official name, in the check detail and in the extras the documents print.
func TestPermitOfficialNames(t *testing.T) {
	b := mustLoad(t, "")
	f := newFixture()
	f.ship().Permits[0].Type = "relocation-exception"
	r := b.Check(f.input())[0]
	wantDetail(t, one(t, r, "used-import"), model.Pass, "admitted under Văn bản cho phép nhập khẩu sản phẩm CNTT đã qua sử dụng")
	if got := r.Extras.PermitNames["relocation-exception"]; !strings.HasPrefix(got, "Văn bản cho phép") {
		t.Errorf("extras.permit_names[relocation-exception] = %q", got)
	}
}

// TestThaiDIWPermit (item 10): refurbished units into Thailand need the DIW
// permit for used electrical and electronic equipment; new units do not.
func TestThaiDIWPermit(t *testing.T) {
	b := mustLoad(t, "")
	const rule = "permit: DIW permit to import used electrical and electronic equipment"
	f := newFixture()
	f.to("TH")
	wantDetail(t, one(t, b.Check(f.input())[0], rule), model.Fail, "1 unit need DIW permit", "none of type used-eee-import-permit")
	f.ship().Permits = []model.Permit{{Type: "used-eee-import-permit", Number: "DIW-UEE-2569-00871", ValidUntil: "2026-12-31"}}
	wantDetail(t, one(t, b.Check(f.input())[0], rule), model.Pass, "covered by ใบอนุญาตนำเข้า")
	f = newFixture()
	f.to("TH")
	f.refurb().Condition = model.New
	wantDetail(t, one(t, b.Check(f.input())[0], rule), model.Pass, "no unit in scope")
}

// TestBrazilLIBeforeShipment (item 10): Brazil's LI for used goods is
// granted before shipment: without its date, or dated after the ship date,
// the used-import check fails naming permits[0].issued_on.
func TestBrazilLIBeforeShipment(t *testing.T) {
	b := mustLoad(t, "")
	for _, tt := range []struct {
		issued string
		status model.CheckStatus
		want   string
	}{
		{"2026-02-20", model.Pass, "admitted under Licença de Importação (LI), Siscomex / non-automatic import licence 1482/BKHCN-CVT granted 2026-02-20"},
		{"", model.Fail, "plan.yaml:4: shipment SG-VN-1: permits[0].issued_on: missing: BR wants LI 1482/BKHCN-CVT granted before shipment"},
		{"2026-03-05", model.Fail, "permits[0].issued_on: 2026-03-05 is after the ship date 2026-03-02"},
	} {
		f := newFixture()
		f.to("BR")
		f.ship().Permits[0].Type, f.ship().Permits[0].IssuedOn = "LI", tt.issued
		wantDetail(t, one(t, b.Check(f.input())[0], "used-import"), tt.status, tt.want)
	}
}

// TestIncotermsGatewayModesOverride: an incoterms.yaml in --rules-dir that
// sets gateway_modes replaces the modes whose deliveries to an inland place
// must state the freight to the port or airport of import.
func TestIncotermsGatewayModesOverride(t *testing.T) {
	bend := func(s *model.Shipment) {
		s.Incoterms = model.Incoterms{Rule: "DAP", Place: "Phường Tân Mỹ, Thành phố Hồ Chí Minh"}
		s.Transport = model.Transport{Mode: "air", Route: "SIN-SGN"}
		s.Freight = decimal.RequireFromString("1129.80")
	}
	f := newFixture()
	bend(f.ship())
	wantDetail(t, one(t, mustLoad(t, "").Check(f.input())[0], "incoterms"), model.Warn, "by air carries freight past the airport of import SGN")

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "incoterms.yaml"), []byte("gateway_modes: [sea]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f = newFixture()
	bend(f.ship())
	wantDetail(t, one(t, mustLoad(t, dir).Check(f.input())[0], "incoterms"), model.Pass, "")
}
