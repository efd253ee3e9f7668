package renderers

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/clearpack/clearpack/pipeline/rules"
)

// brazilPack is the fixture bound for São Paulo: Portuguese labels, bought
// in Singapore, shipped from Thailand, with what Art. 557 wants.
func brazilPack() Pack {
	p := fixturePack()
	p.Lang = "pt-BR"
	p.Shipment.Destination = "BR"
	p.Shipment.AcquisitionCountry = "SG"
	p.Extras = model.DocExtras{InvoiceExtras: []string{model.ExtraAcquisitionCountry, model.ExtraProvenanceCountry, model.ExtraPackageMarks}}
	return p
}

// TestInvoiceExtras: when the destination asks (Brazil, Regulamento
// Aduaneiro Art. 557), the invoice prints the countries of origin,
// acquisition and provenance, and every package with its marks, type, units
// and weights, and their count; otherwise none of it.
func TestInvoiceExtras(t *testing.T) {
	r := testRenderer(t)
	text := func(p Pack) (string, []word) {
		d, err := r.Render(context.Background(), model.CommercialInvoice, p)
		if err != nil {
			t.Fatal(err)
		}
		path := write(t, d)
		return squash(pdfText(t, path)), bboxWords(t, path)
	}
	br, brWords := text(brazilPack())
	for _, w := range []string{
		"Country of origin / País de origem: China (CN)",
		"Country of acquisition / País de aquisição: Singapore (SG)",
		"Country of provenance / País de procedência: Thailand (TH)",
		"Packages: marks, count and type / Volumes: marcas, quantidade e espécie",
		"PLT-01", "SGN-2026-0042 / 1 of 2 / FRAGILE", "SGN-2026-0042 / 2 of 2 / FRAGILE",
		"114,40 215,40", // PLT-01: 4 × 28.6 kg net, 215.4 kg gross
		"Number of packages / Quantidade de volumes: 2",
	} {
		if !reads(br, brWords, w) {
			t.Errorf("Brazilian invoice lacks %q:\n%s", w, br)
		}
	}
	plain, _ := text(fixturePack())
	for _, w := range []string{"Country of acquisition", "Country of provenance", "Packages: marks", "FRAGILE"} {
		if strings.Contains(plain, w) {
			t.Errorf("invoice for Viet Nam prints %q, which only Brazil asks for", w)
		}
	}
}

// TestSwornNotWaste: for a destination that requires it (Argentina, Decreto
// 273/2025), the condition declaration carries a sworn statement in English
// and Spanish naming the declarant and position; otherwise the plain
// statement.
func TestSwornNotWaste(t *testing.T) {
	r := testRenderer(t)
	ar := fixturePack()
	ar.Lang = "es"
	ar.Shipment.Destination = "AR"
	ar.Shipment.Declarant = model.Declarant{Name: "María José Fernández", Position: "Gerente de Comercio Exterior"}
	ar.Extras.SwornNotWaste = true
	d, err := r.Render(context.Background(), model.ConditionDeclaration, ar)
	if err != nil {
		t.Fatal(err)
	}
	got := squash(pdfText(t, write(t, d)))
	for _, w := range []string{
		"Sworn declaration: I, María José Fernández, Gerente de Comercio Exterior, declare under oath that the used and refurbished goods listed in this declaration are not waste",
		"Declaración jurada: yo, María José Fernández, Gerente de Comercio Exterior, declaro bajo juramento que las mercancías usadas y reacondicionadas",
		"no para su eliminación, valorización o reciclaje",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("Argentine condition declaration lacks %q:\n%s", w, got)
		}
	}
	d, err = r.Render(context.Background(), model.ConditionDeclaration, fixturePack())
	if err != nil {
		t.Fatal(err)
	}
	if plain := squash(pdfText(t, write(t, d))); strings.Contains(plain, "under oath") || !strings.Contains(plain, "They are not waste, scrap or e-waste") {
		t.Errorf("Vietnamese condition declaration: want the plain not-waste statement, not a sworn one:\n%s", plain)
	}

	ar.Shipment.Declarant.Position = ""
	if _, err := r.Render(context.Background(), model.ConditionDeclaration, ar); err == nil || !strings.Contains(err.Error(), "declarant needs a name and a position") {
		t.Errorf("sworn declaration without a position: error %v", err)
	}
}

// TestPostClearanceLines: the post-clearance record prints each tariff line
// with the units it covers, customs value, rate, duty and VAT, and their
// totals; a record without lines prints no lines table.
func TestPostClearanceLines(t *testing.T) {
	r := testRenderer(t)
	d, err := r.Render(context.Background(), model.PostClearance, fixturePack())
	if err != nil {
		t.Fatal(err)
	}
	got := squash(pdfText(t, write(t, d)))
	for _, w := range []string{
		"Tariff lines as assessed",
		"8471.50.90 Dell PowerEdge R740, refurbished 385.560.000 0,00 0 38.556.000",
		"SDS-SRV-0201, SDS-SRV-0202, SDS-SRV-0203",
		"Total of the lines / Tổng các dòng 605.125.000",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("post-clearance record lacks %q:\n%s", w, got)
		}
	}
	var env struct{ Data postClearanceData }
	if err := json.Unmarshal(d.Source, &env); err != nil {
		t.Fatal(err)
	}
	src := env.Data
	if src.LinesCustomsValue.String() != "605125000" || src.LinesVAT.String() != "60512500" || len(src.Clearance.Lines) != 2 || src.Clearance.Lines[1].Assets[2] != "SDS-SRV-0203" {
		t.Errorf("post-clearance source: lines %+v, totals %s %s", src.Clearance.Lines, src.LinesCustomsValue, src.LinesVAT)
	}
	p := fixturePack()
	p.Clearance.Lines = nil
	d, err = r.Render(context.Background(), model.PostClearance, p)
	if err != nil {
		t.Fatal(err)
	}
	if got := pdfText(t, write(t, d)); strings.Contains(got, "Tariff lines") {
		t.Errorf("a clearance without lines prints a lines table")
	}
	p = fixturePack()
	p.Clearance.Lines[1].TariffLine = ""
	if _, err := r.Render(context.Background(), model.PostClearance, p); err == nil || !strings.Contains(err.Error(), "lines[1].tariff_line is empty") {
		t.Errorf("a line without a tariff line: error %v", err)
	}
}

// TestProfilesDriveDocuments: from the embedded country profiles through
// the rules' report to the PDF: a shipment to Argentina gets the sworn
// not-waste statement, one to Brazil the invoice extras, one to Viet Nam
// neither.
func TestProfilesDriveDocuments(t *testing.T) {
	book, err := rules.Load("")
	if err != nil {
		t.Fatal(err)
	}
	r := testRenderer(t)
	for _, tt := range []struct {
		dest, lang string
		kind       model.DocKind
		want, not  string
	}{
		{"AR", "es", model.ConditionDeclaration, "Declaración jurada: yo, Somchai Prasert, Trade Compliance Manager, declaro bajo juramento", ""},
		{"BR", "pt", model.CommercialInvoice, "Country of provenance / País de procedência: Thailand (TH)", ""},
		{"VN", "vi", model.ConditionDeclaration, "They are not waste", "under oath"},
		{"VN", "vi", model.CommercialInvoice, "Total invoice value", "Country of provenance"},
	} {
		t.Run(tt.dest+"/"+string(tt.kind), func(t *testing.T) {
			p := fixturePack()
			p.Shipment.Destination, p.Lang = tt.dest, tt.lang
			assets := map[string]*model.Asset{}
			for i := range p.Assets {
				assets[p.Assets[i].AssetTag] = &p.Assets[i]
			}
			reps := book.Check(rules.Input{Plan: &model.Plan{Program: p.Program, Shipments: []model.Shipment{p.Shipment}}, Assets: assets})
			p.Extras = reps[0].Extras
			d, err := r.Render(context.Background(), tt.kind, p)
			if err != nil {
				t.Fatal(err)
			}
			path := write(t, d)
			got := squash(pdfText(t, path))
			if !reads(got, bboxWords(t, path), tt.want) || (tt.not != "" && strings.Contains(got, tt.not)) {
				t.Errorf("%s to %s: want %q and not %q in:\n%s", tt.kind, tt.dest, tt.want, tt.not, got)
			}
		})
	}
}
