package renderers

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/clearpack/clearpack/pipeline/rules"
)

// layoutText is the page as a clerk reads it: pdftotext -layout. The
// words' boxes are kept with it for wantBeside.
func layoutText(t testing.TB, path string) string {
	txt := run(t, "pdftotext", "-layout", "-enc", "UTF-8", path, "-")
	wordsOf.Store(txt, bboxWords(t, path))
	return txt
}

// wordsOf maps a layoutText result to the words of its PDF with their boxes.
var wordsOf sync.Map

var columnGap = regexp.MustCompile(`\s{3,}`)

// beside returns what is printed right after label on the same line of the
// -layout text, up to the next column gap (three spaces or more), for
// every line that has the label. A value under the wrong label, or no value,
// shows as a mismatch.
func beside(text, label string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		i := strings.Index(line, label)
		if i < 0 {
			continue
		}
		rest := strings.TrimLeft(line[i+len(label):], " ")
		if loc := columnGap.FindStringIndex(rest); loc != nil {
			rest = rest[:loc[0]]
		}
		out = append(out, strings.TrimSpace(rest))
	}
	return out
}

func wantBeside(t *testing.T, text, label, value string) {
	t.Helper()
	got := beside(text, label)
	for _, g := range got {
		if strings.HasPrefix(g, value) {
			return
		}
	}
	// A label or value that wraps in its column is not on one line of the
	// -layout text: its first line must then carry the value's first words
	// on its baseline (pdftotext -bbox).
	if ws, ok := wordsOf.Load(text); ok && onBaseline(ws.([]word), firstWords(label, 3), firstWords(value, 3)) {
		return
	}
	t.Errorf("beside %q: %q, want %q", label, got, value)
}

// usExportPack is the fixture as a US export to Mexico of 5A992.c servers,
// with the extras the embedded rules give it.
func usExportPack(t *testing.T) Pack {
	t.Helper()
	p := fixturePack()
	s := &p.Shipment
	s.Origin, s.Destination, p.Lang = "US", "MX", "es"
	s.Reason, s.PaymentTerms = "sale", "Net 30 days"
	s.Parties.Exporter = model.Party{Name: "Meridian Compute Inc.", Address: "1200 Industrial Blvd, Round Rock, TX 78664", Country: "US", TaxID: "82-4519637"}
	s.Parties.ExporterOfRecord = s.Parties.Exporter
	s.Parties.ImporterOfRecord = model.Party{Name: "Centro de Datos Querétaro, S.A. de C.V.", Address: "Av. 5 de Febrero 2125, Querétaro", Country: "MX", TaxID: "CDQ190412AB3"}
	s.Parties.Consignee = s.Parties.ImporterOfRecord
	s.Parties.Broker = nil
	s.ExportFilings = []model.Filing{{Type: "AES ITN", Number: "X20260406418533", Date: "2026-04-06"}}
	p.Extras = checkedExtras(t, p)
	return p
}

func checkedExtras(t *testing.T, p Pack) model.DocExtras {
	t.Helper()
	book, err := rules.Load("")
	if err != nil {
		t.Fatal(err)
	}
	assets := map[string]*model.Asset{}
	for i := range p.Assets {
		assets[p.Assets[i].AssetTag] = &p.Assets[i]
	}
	return book.Check(rules.Input{Plan: &model.Plan{Program: p.Program, Shipments: []model.Shipment{p.Shipment}}, Assets: assets})[0].Extras
}

func renderLayout(t *testing.T, kind model.DocKind, p Pack) string {
	t.Helper()
	d, err := testRenderer(t).Render(context.Background(), kind, p)
	if err != nil {
		t.Fatal(err)
	}
	return layoutText(t, write(t, d))
}

// TestUSExportInvoice (issue 14, items 1, 3, 8): a US export of items on
// the Commerce Control List carries the Destination Control Statement of 15
// CFR 758.6, each line's ECCN and licence basis, the EEI filing's ITN, and
// each party's tax id under its own country's name. A Thai export of the
// same units prints none of the US export-control content.
func TestUSExportInvoice(t *testing.T) {
	txt := renderLayout(t, model.CommercialInvoice, usExportPack(t))
	flat := squash(txt)
	wantBeside(t, txt, "ECCN:", "5A992.c · Licence basis / Base de licencia: NLR")
	if n := len(beside(txt, "ECCN:")); n != 2 {
		t.Errorf("%d lines print an ECCN, want 2 (one per invoice line)", n)
	}
	wantBeside(t, txt, "Export control / Control de exportaciones:", "Destination Control Statement (15 CFR 758.6)")
	for _, w := range []string{
		"These items are controlled by the U.S. Government and authorized for export only to the country of ultimate destination",
		"without first obtaining approval from the U.S. government or as otherwise authorized by U.S. law and regulations.",
	} {
		if !strings.Contains(flat, w) {
			t.Errorf("invoice lacks the statement's %q", w)
		}
	}
	wantBeside(t, txt, "Export filing / Declaración de exportación:", "AES ITN X20260406418533")
	wantBeside(t, txt, "Tax ID / Identificación fiscal (EIN / CBP importer number):", "82-4519637")
	wantBeside(t, txt, "Tax ID / Identificación fiscal (RFC):", "CDQ190412AB3")

	th := squash(renderLayout(t, model.CommercialInvoice, fixturePack()))
	for _, w := range []string{"ECCN", "Destination Control Statement", "Export filing"} {
		if strings.Contains(th, w) {
			t.Errorf("a Thai export of CN-origin units prints %q", w)
		}
	}
}

// TestOriginSpecListExportClassification (item 1): the list addressed to
// the US export authority classifies under Schedule B, not under the
// destination's national line, and names the EEI filing.
func TestOriginSpecListExportClassification(t *testing.T) {
	p := usExportPack(t)
	txt := renderLayout(t, model.SpecListOrigin, p)
	wantBeside(t, txt, "Export filing / Declaración de exportación:", "AES ITN X20260406418533")
	wantBeside(t, txt, "Export classification / Clasificación de exportación:", "Schedule B (U.S. Census Bureau), 10 digits")
	// Every document names a party's tax id by its own country (item 8).
	wantBeside(t, txt, "Tax ID / Identificación fiscal (RFC):", "CDQ190412AB3")
	if n := strings.Count(txt, "Schedule B 8471.50.0150"); n != len(p.Assets) {
		t.Errorf("Schedule B 8471.50.0150 printed %d times, want once per unit (%d)", n, len(p.Assets))
	}
	if strings.Contains(txt, "8471.50.90") {
		t.Errorf("the origin list prints the destination's national line 8471.50.90")
	}
	dest := renderLayout(t, model.SpecListDestination, p)
	if strings.Contains(dest, "Schedule B") || !strings.Contains(dest, "8471.50.90") {
		t.Errorf("the destination list should print the destination's line 8471.50.90 and no Schedule B")
	}
}

// TestComplianceSummaryFacts (item 9): the summary prints no input file
// paths (in the text or its attached JSON), says when a pass rests on a
// source marked verify, and is dated at the release it reports, not at the
// invoice.
func TestComplianceSummaryFacts(t *testing.T) {
	p := fixturePack()
	p.Checks = []model.CheckResult{
		{Rule: "profile", Status: model.Pass, Source: "templates/countries/TH.yaml, /srv/rules/VN.yaml", Detail: "profiles TH (origin) and VN (destination) in force"},
		{Rule: "used-import", Status: model.Pass, Source: "Circular 31/2015/TT-BTTTT, Appendix 01 (effective 2016-05-01, verify)", Detail: "7 units used or refurbished admitted under Relocation Exception 1482/BKHCN-CVT"},
		{Rule: "retention", Status: model.Pass, Source: "19 USC 1508 (effective 1993-12-08, confirmed)", Detail: "5 years"},
		{Rule: "permit", Status: model.Warn, Source: "Decision 18/2016/QD-TTg (effective 2016-05-01, verify)",
			Detail: "../../testdata/sample/plan.yaml:477: shipment SGN-2026-0042: permits[0].valid_until: missing; (input): asset X: grade"},
	}
	d, err := testRenderer(t).Render(context.Background(), model.ComplianceSummary, p)
	if err != nil {
		t.Fatal(err)
	}
	path := write(t, d)
	txt := layoutText(t, path)
	for _, bad := range []string{".yaml", ".csv", "(input)", "testdata/", "477"} {
		if strings.Contains(txt, bad) || strings.Contains(string(d.Source), bad) {
			t.Errorf("compliance summary prints the file reference %q", bad)
		}
	}
	// The fault still names the shipment, unit and field (the attached
	// data holds the detail unbroken by the table's columns).
	if w := "shipment SGN-2026-0042: permits[0].valid_until: missing; asset X: grade"; !strings.Contains(string(d.Source), w) {
		t.Errorf("attached data lacks %q", w)
	}
	// Dated at the release it reports (2026-03-12), not at the invoice.
	if !strings.Contains(squash(txt), "Date / Ngày: 2026-03-12") {
		t.Errorf("summary not dated at the release 2026-03-12")
	}
	// The used-import pass rests on a source to verify; the retention pass
	// on a confirmed one.
	for _, ln := range strings.Split(txt, "\n") {
		if strings.Contains(ln, "used-import") && !strings.Contains(squash(txtAround(txt, "used-import", 3)), "source to verify") {
			t.Errorf("the used-import pass (verify) is not marked:\n%s", txtAround(txt, "used-import", 3))
		}
		if strings.Contains(ln, "retention") && strings.Contains(txtAround(txt, "retention", 2), "source to verify") {
			t.Errorf("the retention pass (confirmed) is marked unconfirmed")
		}
	}
	wantBeside(t, txt, "Passes resting on a source not yet confirmed (verify/unsourced) / Kết quả đạt dựa trên nguồn chưa được xác nhận:", "1 / 3")
}

// txtAround is the line with s and the n lines after it.
func txtAround(text, s string, n int) string {
	lines := strings.Split(text, "\n")
	for i, ln := range lines {
		if strings.Contains(ln, s) {
			return strings.Join(lines[i:min(len(lines), i+n+1)], "\n")
		}
	}
	return ""
}

// TestOneValuationStatement (item 6): an intra-company transfer at a
// transfer price under WTO method 1 is a transaction: no "no commercial
// value" statement beside it; a redeployment under method 6 says there is no
// sale. The valuation printed beside its label matches the units' methods.
func TestOneValuationStatement(t *testing.T) {
	intra := usExportPack(t)
	intra.Shipment.Reason, intra.Shipment.PaymentTerms = "intra-company transfer", "Intercompany settlement, quarterly netting (transfer price per group policy)"
	for i := range intra.Assets {
		intra.Assets[i].ValuationMethod = 1
	}
	txt := renderLayout(t, model.CommercialInvoice, intra)
	if strings.Contains(txt, "No commercial value") {
		t.Errorf("an intra-company transfer at a transfer price (method 1) prints 'No commercial value'")
	}
	wantBeside(t, txt, "Valuation / Valoración:", "WTO 1 (transaction value")
	if flat := squash(txt); !strings.Contains(flat, "WTO 1 (transaction value / valor de transacción); buyer and seller related") || strings.Contains(flat, "no sale") {
		t.Errorf("valuation of an intra-company transfer: %s", txtAround(txt, "Valuation / Valoración:", 2))
	}

	redeploy := renderLayout(t, model.CommercialInvoice, fixturePack()) // redeployment, method 6
	flat := squash(redeploy)
	if !strings.Contains(flat, "No commercial value") || !strings.Contains(flat, "WTO 6 (fall-back: original cost less depreciation") || !strings.Contains(flat, "no sale, value for customs purposes only") {
		t.Errorf("redeployment under method 6: %s", txtAround(redeploy, "Valuation", 3))
	}
}

// TestPostClearanceValueAndTaxes (item 7): the record prints the customs
// value with its basis, the exchange rate with its date, and each tax by
// its national name on its own line with its amount.
func TestPostClearanceValueAndTaxes(t *testing.T) {
	p := brazilPack()
	c := *p.Clearance
	c.Currency, c.CustomsValue, c.ValueBasis, c.ExchangeRate, c.ExchangeRateDate = "BRL", dec("71550.00"), "CIF", dec("5.40"), "2026-03-11"
	c.Duties, c.VAT, c.Fees = dec("12162.73"), dec("28741.35"), dec("154.23")
	c.Taxes = []model.Tax{{Name: "II", Amount: dec("8586.00")}, {Name: "IPI", Amount: dec("3576.73")}, {Name: "PIS/COFINS-Importação", Amount: dec("8407.13")},
		{Name: "ICMS", Amount: dec("20334.22")}, {Name: "Taxa Siscomex", Amount: dec("154.23")}}
	p.Clearance = &c
	txt := renderLayout(t, model.PostClearance, p)
	wantBeside(t, txt, "Customs value / Valor aduaneiro:", "71.550,00 BRL (CIF)")
	wantBeside(t, txt, "Exchange rate / Taxa de câmbio:", "5,40 BRL = 1 USD (2026-03-11)") // the locale's numbers
	for name, amount := range map[string]string{"II": "8.586,00", "IPI": "3.576,73", "PIS/COFINS-Importação": "8.407,13", "ICMS": "20.334,22", "Taxa Siscomex": "154,23"} {
		found := false
		for _, ln := range strings.Split(txt, "\n") {
			f := columnGap.Split(strings.TrimSpace(ln), -1)
			if len(f) == 2 && f[0] == name && f[1] == amount {
				found = true
			}
		}
		if !found {
			t.Errorf("no line %q with %s alone beside it", name, amount)
		}
	}
	wantBeside(t, txt, "Total paid / Total pago", "41.058,31 BRL")
}

// TestPermitsByOfficialName (item 9): a permit referenced by an internal
// type ("relocation-exception") is printed under its official name from the
// destination's profile, beside the permit label.
func TestPermitsByOfficialName(t *testing.T) {
	p := fixturePack()
	p.Shipment.Permits = []model.Permit{{Type: "relocation-exception", Number: "1482/BKHCN-CVT", IssuedBy: "Bộ Khoa học và Công nghệ"}}
	p.Extras = checkedExtras(t, p)
	txt := renderLayout(t, model.CommercialInvoice, p)
	wantBeside(t, txt, "Permit / licence / Giấy phép:", "Văn bản cho phép nhập khẩu sản phẩm CNTT")
	if strings.Contains(txt, "relocation-exception") {
		t.Errorf("the invoice prints the internal permit type relocation-exception")
	}
}

// TestSpecListLicenceColumnNamesTheEAR (item 10): on a list for Viet Nam
// the "NLR" column is headed as the US export-control (EAR) licence, in
// both languages, not as a licence of the reader's own country.
func TestSpecListLicenceColumnNamesTheEAR(t *testing.T) {
	d, err := testRenderer(t).Render(context.Background(), model.SpecListDestination, fixturePack())
	if err != nil {
		t.Fatal(err)
	}
	txt := squash(pdfText(t, write(t, d))) // the heading wraps in its column: reading order
	for _, w := range []string{"US EAR licence", "Giấy phép EAR (Hoa Kỳ)"} {
		if !strings.Contains(txt, w) {
			t.Errorf("the licence column is not headed %q", w)
		}
	}
}

// TestInvoiceExplainsTare (item 10): where the lines' gross weights (boxed
// units) and the total gross weight (the packages) differ, the invoice says
// how much is pallets and packing, each beside its label.
func TestInvoiceExplainsTare(t *testing.T) {
	txt := renderLayout(t, model.CommercialInvoice, fixturePack())
	wantBeside(t, txt, "Total gross weight / Tổng khối lượng cả bì:", "383,60 kg")
	// Lines: 4 × 33.1 + 3 × 29.8 = 221.80 kg; packages 215.4 + 168.2 = 383.60 kg.
	// The labels wrap in their column: read the cell in reading order.
	d, err := testRenderer(t).Render(context.Background(), model.CommercialInvoice, fixturePack())
	if err != nil {
		t.Fatal(err)
	}
	path := write(t, d)
	flat, ws := squash(pdfText(t, path)), bboxWords(t, path)
	for _, w := range []string{"of which units, boxed (sum of the lines) / trong đó thiết bị kèm hộp (tổng các dòng): 221,80 kg",
		"of which pallets and packing (tare) / trong đó pallet và bao bì (bì): 161,80 kg"} {
		if !reads(flat, ws, w) {
			t.Errorf("invoice lacks %q", w)
		}
	}
}

// TestInvoiceFreightToBorder (item 5): a DAP delivery to an inland place
// states the freight to the place of import and after it, beside the label.
func TestInvoiceFreightToBorder(t *testing.T) {
	p := usExportPack(t)
	p.Shipment.Incoterms.Place = "El Marqués, Qro."
	p.Shipment.Transport = model.Transport{Mode: "road", Route: "Round Rock TX - Laredo TX - Querétaro"}
	p.Shipment.Freight, p.Shipment.FreightToBorder = dec("2850.00"), dec("855.00")
	txt := renderLayout(t, model.CommercialInvoice, p)
	wantBeside(t, txt, "Freight to the place of import / Flete hasta el lugar de importación:", "855.00")
	d, err := testRenderer(t).Render(context.Background(), model.CommercialInvoice, p)
	if err != nil {
		t.Fatal(err)
	}
	path := write(t, d)
	if w := "Freight to the place of import / Flete hasta el lugar de importación: 855.00 USD (after it / posterior: 1,995.00 USD)"; !reads(squash(pdfText(t, path)), bboxWords(t, path), w) {
		t.Errorf("invoice lacks %q", w)
	}
}

// TestInvoiceFreightToPortOfImport (issue 14, item 5): a DAP delivery by
// air or sea to an inland place splits the freight at the airport or port
// of import: the label names it, in the document's languages, and the
// inland freight after it is beside.
func TestInvoiceFreightToPortOfImport(t *testing.T) {
	for _, tc := range []struct {
		name, dest, lang, mode, route, label, value string
	}{
		{"air to Ho Chi Minh City", "VN", "vi", "air", "BKK-SGN",
			"Freight to the airport of import / Cước đến cảng hàng không nhập:",
			"1.700,00 USD (inland freight after it / cước nội địa sau đó: 150,00 USD)"},
		{"sea to Jakarta Selatan", "ID", "id", "sea", "SGSIN-IDTPP",
			"Freight to the port of import / Ongkos angkut sampai pelabuhan impor:",
			"1.700,00 USD (inland freight after it / ongkos angkut darat sesudahnya: 150,00 USD)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := fixturePack()
			p.Shipment.Destination, p.Lang = tc.dest, tc.lang
			p.Shipment.Transport.Mode, p.Shipment.Transport.Route = tc.mode, tc.route
			p.Shipment.Freight, p.Shipment.FreightToBorder = dec("1850.00"), dec("1700.00")
			d, err := testRenderer(t).Render(context.Background(), model.CommercialInvoice, p)
			if err != nil {
				t.Fatal(err)
			}
			path := write(t, d)
			if w := tc.label + " " + tc.value; !reads(squash(pdfText(t, path)), bboxWords(t, path), w) {
				t.Errorf("invoice lacks %q:\n%s", w, layoutText(t, path))
			}
		})
	}
}

// TestPostClearancePermitsAndRate (issue 14, pages read per destination):
// the record names the licences the goods were cleared under, by their
// official names beside the permit label (Colombia's licencia previa, a
// Vietnamese exemption), and prints the exchange rate in the locale's
// numbers (25.400 VND, not 25400).
func TestPostClearancePermitsAndRate(t *testing.T) {
	p := fixturePack()
	p.Shipment.Permits = []model.Permit{{Type: "relocation-exception", Number: "1482/BKHCN-CVT", IssuedBy: "Bộ Khoa học và Công nghệ"}}
	p.Extras = checkedExtras(t, p)
	c := model.Clearance{ShipmentID: p.Shipment.ID, EntryNumber: "105830416274", EntryDate: "2026-03-12", ReleaseDate: "2026-03-13", Port: "Tân Sơn Nhất (SGN)",
		Currency: "VND", CustomsValue: dec("3599605704"), ValueBasis: "CIF", ExchangeRate: dec("25400"), ExchangeRateDate: "2026-03-11", VAT: dec("359960570")}
	p.Clearance = &c
	txt := renderLayout(t, model.PostClearance, p)
	wantBeside(t, txt, "Permit / licence / Giấy phép:", "Văn bản cho phép nhập khẩu sản phẩm CNTT")
	wantBeside(t, txt, "Exchange rate / Tỷ giá:", "25.400 VND = 1 USD (2026-03-11)")
}
