package renderers

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/clearpack/clearpack/pipeline/model"
)

// attachedJSON is the data of the JSON a document carries, as pdfdetach
// saves it.
func attachedJSON(t *testing.T, kind model.DocKind, path string) map[string]any {
	t.Helper()
	dir := t.TempDir()
	run(t, "pdfdetach", "-saveall", "-o", dir, path)
	b, err := os.ReadFile(filepath.Join(dir, string(kind)+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Data map[string]any `json:"data"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m.Data
}

// TestInvoiceValuationDeclaration (item 10): an invoice into Mexico prints
// the Manifestación de Valor data each beside its label (related party and
// its influence on the price, royalties, assists, commissions), under the
// declaration's name, and the attached JSON carries it.
func TestInvoiceValuationDeclaration(t *testing.T) {
	p := usExportPack(t)
	p.Shipment.Reason, p.Shipment.PaymentTerms = "intra-company transfer", "Intercompany settlement"
	p.Shipment.Valuation = &model.ValuationDeclaration{
		RelatedParty: model.Yes, PriceInfluenced: model.No,
		Royalties: decimal.NewNullDecimal(dec("0.00")), Assists: decimal.NewNullDecimal(dec("1250.00")), Commissions: decimal.NewNullDecimal(dec("0.00")),
	}
	if p.Extras.ValuationDeclaration != "Manifestación de Valor (e-MV)" {
		t.Fatalf("extras name the declaration %q", p.Extras.ValuationDeclaration)
	}
	d, err := testRenderer(t).Render(context.Background(), model.CommercialInvoice, p)
	if err != nil {
		t.Fatal(err)
	}
	path := write(t, d)
	txt := layoutText(t, path)
	wantBeside(t, txt, "Buyer and seller related / Vinculación entre comprador y vendedor:", "yes / sí")
	wantBeside(t, txt, "Relationship influenced the price / La vinculación influyó en el precio:", "no")
	wantBeside(t, txt, "Assists (not in the price) / Prestaciones (no incluidas en el precio):", "1,250.00 USD")
	wantBeside(t, txt, "Commissions (not in the price) / Comisiones (no incluidas en el precio):", "0.00 USD")
	wantBeside(t, txt, "Royalties and licence fees (not in the price) / Regalías y derechos de licencia (no incluidos en el precio):", "0.00 USD")
	flat := squash(pdfText(t, path))
	if w := "Valuation declaration data / Datos de la declaración de valor: Manifestación de Valor (e-MV)"; !reads(flat, bboxWords(t, path), w) {
		t.Errorf("invoice lacks %q", w)
	}
	js := attachedJSON(t, model.CommercialInvoice, path)
	v, _ := js["valuation_declaration"].(map[string]any)
	if v["related_party"] != "yes" || v["assists"] != "1250" && v["assists"] != "1250.00" {
		t.Errorf("attached valuation_declaration = %v", js["valuation_declaration"])
	}
}

// TestConditionMethod6Statement (item 10): where units are declared under
// method 6, the condition declaration says why methods 2 and 3 did not
// apply, and each unit's value shows its grade and its share of the
// original cost.
func TestConditionMethod6Statement(t *testing.T) {
	p := fixturePack()
	const why = "No sales of identical or similar refurbished R740 or DL380 units of the same grade for export to Viet Nam at or about the same time."
	p.Shipment.Valuation = &model.ValuationDeclaration{FallbackReason: why}
	d, err := testRenderer(t).Render(context.Background(), model.ConditionDeclaration, p)
	if err != nil {
		t.Fatal(err)
	}
	path := write(t, d)
	flat, ws := squash(pdfText(t, path)), bboxWords(t, path)
	for _, w := range []string{
		"Method 6 (fall-back): why methods 2 and 3 (identical and similar goods) did not apply " + why,
		"Grade A: 22,5 % of original cost", // 4250 / 18900 (Vietnamese numbers)
	} {
		if !reads(flat, ws, w) {
			t.Errorf("condition declaration lacks %q", w)
		}
	}
	if got := attachedJSON(t, model.ConditionDeclaration, path)["fallback_reason"]; got != why {
		t.Errorf("attached fallback_reason = %v", got)
	}
}

// TestInvoiceUSReturnEntry (item 10): the invoice of a return into the US
// prints the port of entry, each manufacturer ID and the Chapter 98 claim
// beside their labels, and attaches them.
func TestInvoiceUSReturnEntry(t *testing.T) {
	p := fixturePack()
	s := &p.Shipment
	s.Origin, s.Destination, s.Direction, s.Reason, p.Lang = "VN", "US", model.Return, "return for refurbishment", "en"
	s.ImportEntry = &model.ImportEntry{PortOfEntry: "Los Angeles, CA (2704)",
		ManufacturerIDs: []model.ManufacturerID{{Manufacturer: "Dell", Country: "CN", MID: "CNDELPRO88XIA"}},
		Claims:          []model.TariffClaim{{Provision: "9801.00.20", Assets: []string{"SDS-SRV-0101"}, Basis: "imported 2021, duty paid; not improved abroad"}}}
	d, err := testRenderer(t).Render(context.Background(), model.CommercialInvoice, p)
	if err != nil {
		t.Fatal(err)
	}
	path := write(t, d)
	txt := layoutText(t, path)
	wantBeside(t, txt, "Port of entry:", "Los Angeles, CA (2704)")
	wantBeside(t, txt, "Manufacturer ID (MID):", "CNDELPRO88XIA (Dell, China")
	flat := squash(pdfText(t, path))
	if w := "Tariff claim: 9801.00.20 (SDS-SRV-0101): imported 2021, duty paid; not improved abroad"; !reads(flat, bboxWords(t, path), w) {
		t.Errorf("invoice lacks %q", w)
	}
	e, _ := attachedJSON(t, model.CommercialInvoice, path)["import_entry"].(map[string]any)
	if e["port_of_entry"] != "Los Angeles, CA (2704)" {
		t.Errorf("attached import_entry = %v", e)
	}
}

// TestConditionGradeLineTranslated: the method-6 grade line ("Grade A: 22,5 %
// of original cost") is printed in the declaration's second language too,
// in every language the declaration is rendered in.
func TestConditionGradeLineTranslated(t *testing.T) {
	for _, c := range []struct{ lang, en, want string }{
		{"vi", "Grade A: 22,5 % of original cost", "Cấp A: 22,5 % nguyên giá"},
		{"pt", "Grade A: 22,5 % of original cost", "Grau A: 22,5 % do custo original"},
		{"es", "Grade A: 22,5 % of original cost", "Grado A: 22,5 % del costo original"},
		{"id", "Grade A: 22,5 % of original cost", "Kelas A: 22,5 % dari biaya perolehan"},
		{"th", "Grade A: 22.5 % of original cost", "เกรด A: 22.5 % ของราคาทุนเดิม"}, // Thai numbers
	} {
		t.Run(c.lang, func(t *testing.T) {
			p := fixturePack()
			p.Lang = c.lang
			d, err := testRenderer(t).Render(context.Background(), model.ConditionDeclaration, p)
			if err != nil {
				t.Fatal(err)
			}
			path := write(t, d)
			flat, ws := squash(pdfText(t, path)), bboxWords(t, path)
			if !reads(flat, ws, c.en) {
				t.Errorf("condition declaration lacks the English grade line")
			}
			if !reads(flat, ws, c.want) {
				t.Errorf("condition declaration (%s) lacks %q:\n%s", c.lang, c.want, layoutText(t, path))
			}
		})
	}
}

// TestInvoiceUSChapter99AndMarking (issue 14): the invoice of a US entry
// prints the Chapter 99 line of CN-origin units (heading, measure and rate,
// units, basis) and how the units are marked with their origin, beside
// their labels, and attaches both.
func TestInvoiceUSChapter99AndMarking(t *testing.T) {
	p := fixturePack()
	s := &p.Shipment
	s.Origin, s.Destination, s.Direction, s.Reason, p.Lang = "VN", "US", model.Return, "return for refurbishment", "en"
	const marking = "rating label naming the country of origin on each chassis; pallets marked MADE IN CHINA"
	s.ImportEntry = &model.ImportEntry{PortOfEntry: "Los Angeles, CA (2704)",
		Chapter99: []model.TariffClaim{{Provision: "9903.88.03", Assets: []string{"SDS-SRV-0101"}, Basis: "no exclusion applies"}},
		Marking:   marking}
	p.Extras.Chapter99 = map[string]string{"9903.88.03": "Section 301 (China), list 3: duty + 25 %"}
	d, err := testRenderer(t).Render(context.Background(), model.CommercialInvoice, p)
	if err != nil {
		t.Fatal(err)
	}
	path := write(t, d)
	flat, ws := squash(pdfText(t, path)), bboxWords(t, path)
	for _, w := range []string{
		"Chapter 99 (additional duty): 9903.88.03 (Section 301 (China), list 3: duty + 25 %) SDS-SRV-0101: no exclusion applies",
		"Country-of-origin marking: " + marking,
	} {
		if !reads(flat, ws, w) {
			t.Errorf("invoice lacks %q", w)
		}
	}
	wantBeside(t, layoutText(t, path), "Chapter 99 (additional duty):", "9903.88.03")
	e, _ := attachedJSON(t, model.CommercialInvoice, path)["import_entry"].(map[string]any)
	if e["marking"] != marking || e["chapter99"] == nil {
		t.Errorf("attached import_entry = %v", e)
	}
}

// TestInvoiceFreightToBorderEstimate (issue 14): where the plan states no
// freight to the border and the destination's border share estimates it,
// the invoice prints the estimate and how it was made beside its label.
func TestInvoiceFreightToBorderEstimate(t *testing.T) {
	p := fixturePack()
	p.Lang = "en"
	p.Extras.FreightToBorder = dec("555.00")
	p.Extras.FreightToBorderShare, p.Extras.FreightToBorderCrossing = dec("0.30"), "Laredo, TX / Nuevo Laredo, Tamps."
	d, err := testRenderer(t).Render(context.Background(), model.CommercialInvoice, p)
	if err != nil {
		t.Fatal(err)
	}
	path := write(t, d)
	flat, ws := squash(pdfText(t, path)), bboxWords(t, path)
	if w := "estimated: 30 % × 1.850,00 USD (Laredo, TX / Nuevo Laredo, Tamps.)"; !reads(flat, ws, w) { // Vietnamese numbers
		t.Errorf("invoice lacks %q:\n%s", w, layoutText(t, path))
	}
	if got := attachedJSON(t, model.CommercialInvoice, path)["freight_to_border"]; got != "555" && got != "555.00" {
		t.Errorf("attached freight_to_border = %v", got)
	}
}
