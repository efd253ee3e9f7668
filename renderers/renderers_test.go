package renderers

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/clearpack/clearpack/pipeline/model"

	"github.com/clearpack/clearpack/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// needTool: see internal/testenv.
func needTool(t testing.TB, name string) string {
	t.Helper()
	return testenv.Tool(t, name)
}

func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(needTool(t, name), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out.String(), errb.String())
	}
	return out.String() + errb.String()
}

func testRenderer(t testing.TB) *Renderer {
	t.Helper()
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func write(t testing.TB, doc Document) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), doc.Name)
	if err := os.WriteFile(path, doc.PDF, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// text is what a reader sees: pdftotext in reading order, pages separated
// by form feeds.
func pdfText(t testing.TB, path string) string {
	return run(t, "pdftotext", "-enc", "UTF-8", path, "-")
}

// squash removes the line breaks a table cell may introduce, so assertions
// look for a phrase, not a layout.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestRenderEveryKind(t *testing.T) {
	r := testRenderer(t)
	p := fixturePack()
	serials := make([]string, 0, len(p.Assets))
	for _, a := range p.Assets {
		serials = append(serials, a.Serial)
	}
	cases := []struct {
		kind  model.DocKind
		pages int
		want  []string
	}{
		{model.CommercialInvoice, 2, append([]string{
			"Commercial Invoice", "Hóa đơn thương mại", "CI-2026-0042", "8471.50.90",
			"DAP Ho Chi Minh City", "Redeployment", "Điều chuyển sử dụng nội bộ",
			"4.250,00", "17.000,00", "2.875,00", "8.625,00", "25.625,00", "1.850,00 USD", "212,50 USD", "340,00 USD", "28.027,50 USD",
			"No commercial value", "Hàng không có giá trị thương mại", "Somchai Prasert", "Trade Compliance Manager",
			"Công ty TNHH Giải pháp Số Sài Gòn", "บริษัท สยามดาต้า โซลูชั่นส์ จำกัด", "Exporter of Record", "Importer of Record",
			"Customs broker", "Total gross weight / Tổng khối lượng cả bì: 383,60 kg", "Total units / Tổng số chiếc: 7",
		}, serials...)},
		{model.PackingList, 1, append([]string{
			"Packing List", "PLT-01", "PLT-02", "SGN-2026-0042 / 1 of 2 / FRAGILE", "120 × 100 × 110", "215,40", "168,20",
			"383,60 kg", "Number of packages / Số kiện: 2", "SDS-SRV-0101", "SDS-SRV-0203",
		}, serials...)},
		{model.ConditionDeclaration, 2, append([]string{
			"Declaration of Condition", "2019", "2020", "R2v3 Appendix C", "Purge", "Xóa triệt để", "2026-02-18",
			"Blancco cert. BL-882131", "Siam Data Solutions", "WTO method 6", "18.900,00", "11.500,00", "25.625,00",
			"They are not waste", "không phải là chất thải", "Straight-line, 5 years",
		}, serials...)},
		{model.SpecListOrigin, 2, append([]string{
			"Equipment Specification List (export)", "Export control authority, Thailand (TH)",
			"Intel Xeon Gold 6248", "384 GB DDR4-2933", "iDRAC9 Enterprise", "5A992.c", "NLR", "8471.50: processing unit (server)",
			"TPM: yes", "SED",
		}, serials...)},
		{model.SpecListDestination, 2, append([]string{
			"Equipment Specification List (import)", "Customs import authority, Vietnam (VN)", "Cơ quan hải quan nhập khẩu",
		}, serials...)},
		{model.PostClearance, 1, []string{
			"Post-Clearance Record", "106123456780", "2026-03-11", "2026-03-12", "Tan Son Nhat Airport", "60.512.500", "20.000",
			"60.532.500 VND", "POD-SGN-77812", "Released without hold", "commercial-invoice.pdf",
			"3b5f0c2e9a1d4e7f8a6b2c0d1e3f5a7b9c8d6e4f2a0b1c3d5e7f9a8b6c4d2e0f",
		}},
		{model.ComplianceSummary, 1, []string{
			"Compliance Summary", "vn.used-it-ban", "Circular 31/2015/TT-BTTTT", "3 passed, 1 warnings, 0 failed",
			"WARN", "CẢNH BÁO", "field depreciation_basis differs between HPE units",
		}},
	}
	for _, c := range cases {
		t.Run(string(c.kind), func(t *testing.T) {
			doc, err := r.Render(context.Background(), c.kind, p)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Name != string(c.kind)+".pdf" || doc.Kind != c.kind {
				t.Errorf("name %q kind %q", doc.Name, doc.Kind)
			}
			path := write(t, doc)
			txt := pdfText(t, path)
			flat := squash(txt)
			ws := bboxWords(t, path)
			for _, w := range c.want {
				if !reads(flat, ws, squash(w)) {
					t.Errorf("text lacks %q", w)
				}
			}
			for _, w := range []string{DocNumber(c.kind, p), "SGN-2026-0042", "apac-refresh-2026"} {
				if !strings.Contains(flat, w) {
					t.Errorf("header lacks %q", w)
				}
			}
			pages := strings.Count(strings.TrimRight(txt, "\f"), "\f") + 1
			if pages != c.pages {
				t.Errorf("%d pages, want %d", pages, c.pages)
			}
			for i := 1; i <= pages; i++ {
				if want := fmt.Sprintf("Page %d of %d / Trang %d/%d", i, pages, i, pages); !strings.Contains(flat, want) {
					t.Errorf("no %q", want)
				}
			}

			if out := run(t, "qpdf", "--check", path); !strings.Contains(out, "No syntax or stream encoding errors") || strings.Contains(out, "WARNING") {
				t.Errorf("qpdf --check:\n%s", out)
			}
			fonts := run(t, "pdffonts", path)
			rows := strings.Split(strings.TrimSpace(fonts), "\n")[2:]
			if len(rows) == 0 {
				t.Fatalf("no fonts:\n%s", fonts)
			}
			for _, row := range rows {
				if f := strings.Fields(row); len(f) < 7 || f[len(f)-5] != "yes" {
					t.Errorf("font not embedded: %s", row)
				}
			}

			// The attached JSON is the document's source, byte for byte.
			dir := t.TempDir()
			run(t, "pdfdetach", "-saveall", "-o", dir, path)
			got, err := os.ReadFile(filepath.Join(dir, string(c.kind)+".json"))
			if err != nil {
				t.Fatalf("attachment: %v", err)
			}
			if !bytes.Equal(got, doc.Source) {
				t.Errorf("attached JSON differs from Document.Source")
			}
			var m map[string]any
			if err := json.Unmarshal(doc.Source, &m); err != nil {
				t.Fatal(err)
			}
			if m["identity"] != QRPayload(c.kind, p) || m["document_number"] != DocNumber(c.kind, p) || m["kind"] != string(c.kind) {
				t.Errorf("source identity %v %v %v", m["identity"], m["document_number"], m["kind"])
			}
		})
	}
}

// Every number in the invoice adds up: line totals are quantity × unit
// value, the total is lines + freight + insurance + packing.
func TestInvoiceArithmetic(t *testing.T) {
	r := testRenderer(t)
	cases := []struct {
		name string
		edit func(*Pack)
		want []string
	}{
		{"usd", func(*Pack) {}, []string{"17.000,00", "8.625,00", "25.625,00", "28.027,50 USD"}},
		{"vnd has no minor digits", func(p *Pack) {
			p.Shipment.Currency = "VND"
			p.Shipment.Freight, p.Shipment.Insurance, p.Shipment.Packing = dec("45000000"), dec("5250000"), dec("0")
			for i := range p.Assets {
				p.Assets[i].Currency = "VND"
				p.Assets[i].UnitValue = dec("105000000")
				if p.Assets[i].Manufacturer == "HPE" {
					p.Assets[i].UnitValue = dec("71250000")
				}
			}
		}, []string{"105.000.000", "420.000.000", "71.250.000", "213.750.000", "633.750.000", "684.000.000 VND"}},
		{"sale has no statement", func(p *Pack) { p.Shipment.Reason = "sale" }, []string{"Sale / Mua bán"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := fixturePack()
			c.edit(&p)
			doc, err := r.Render(context.Background(), model.CommercialInvoice, p)
			if err != nil {
				t.Fatal(err)
			}
			flat := squash(pdfText(t, write(t, doc)))
			for _, w := range c.want {
				if !strings.Contains(flat, w) {
					t.Errorf("text lacks %q", w)
				}
			}
			if noSale(p.Shipment.Reason) != strings.Contains(flat, "No commercial value") {
				t.Errorf("no-commercial-value statement present=%v for reason %q", !noSale(p.Shipment.Reason), p.Shipment.Reason)
			}
			var src struct {
				Data invoiceData `json:"data"`
			}
			if err := json.Unmarshal(doc.Source, &src); err != nil {
				t.Fatal(err)
			}
			inv := src.Data
			sum := inv.Freight.Add(inv.Insurance).Add(inv.Packing)
			for _, l := range inv.Lines {
				if !l.LineTotal.Equal(l.UnitValue.Mul(dec(fmt.Sprint(l.Quantity)))) {
					t.Errorf("line %d: %s × %d ≠ %s", l.No, l.UnitValue, l.Quantity, l.LineTotal)
				}
				sum = sum.Add(l.LineTotal)
			}
			if !sum.Equal(inv.Total) {
				t.Errorf("total %s, lines+charges %s", inv.Total, sum)
			}
		})
	}
}

func TestReproducibleBytes(t *testing.T) {
	r := testRenderer(t)
	p := fixturePack()
	first := map[model.DocKind][]byte{}
	for _, k := range Kinds() {
		d, err := r.Render(context.Background(), k, p)
		if err != nil {
			t.Fatal(err)
		}
		first[k] = d.PDF
		if !bytes.Contains(d.PDF, []byte("/CreationDate (D:2026")) || !bytes.Contains(d.PDF, []byte("/ModDate (D:2026")) {
			t.Errorf("%s: PDF dates are not the document's date", k)
		}
	}
	// A second renderer, many goroutines at once: the same bytes.
	r2 := testRenderer(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4*len(first))
	for i := 0; i < 4; i++ {
		for k, want := range first {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d, err := r2.Render(context.Background(), k, fixturePack())
				if err != nil {
					errs <- err
					return
				}
				if !bytes.Equal(d.PDF, want) {
					errs <- fmt.Errorf("%s: bytes differ between renders", k)
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// A different version is a different document.
	p.Version = 3
	d, err := r.Render(context.Background(), model.PackingList, p)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(d.PDF, first[model.PackingList]) {
		t.Error("version 3 rendered the same bytes as version 2")
	}
}

func TestGoldenText(t *testing.T) {
	r := testRenderer(t)
	p := fixturePack()
	for _, k := range Kinds() {
		t.Run(string(k), func(t *testing.T) {
			d, err := r.Render(context.Background(), k, p)
			if err != nil {
				t.Fatal(err)
			}
			got := pdfText(t, write(t, d))
			// The template version changes with every font or label edit;
			// keep it out of the golden text.
			got = strings.ReplaceAll(got, r.TemplateVersion(), "TEMPLATE-VERSION")
			golden := filepath.Join("testdata", "golden", string(k)+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGoldenText -update)", err)
			}
			if got != string(want) {
				t.Errorf("text of %s differs from %s (run with -update after checking the PNG):\n%s", k, golden, firstDiff(string(want), got))
			}
		})
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, x, y)
		}
	}
	return ""
}

// Long tables continue across pages: every row is there and the column
// headings are repeated on every page of the table.
func TestLongSpecList(t *testing.T) {
	if testing.Short() {
		t.Skip("5,000 units")
	}
	r := testRenderer(t)
	p := bigPack(5000, 30)
	d, err := r.Render(context.Background(), model.SpecListDestination, p)
	if err != nil {
		t.Fatal(err)
	}
	txt := pdfText(t, write(t, d))
	pages := strings.Split(strings.TrimRight(txt, "\f"), "\f")
	if len(pages) < 100 {
		t.Fatalf("%d pages for 5,000 units", len(pages))
	}
	for _, a := range p.Assets {
		if !strings.Contains(txt, a.Serial) {
			t.Fatalf("serial %s missing", a.Serial)
		}
	}
	for i, pg := range pages[:len(pages)-1] {
		if !strings.Contains(pg, "Processor") || !strings.Contains(pg, "Bộ xử lý") {
			t.Fatalf("page %d has no column headings", i+1)
		}
	}
	seen := map[string]int{}
	for _, m := range regexp.MustCompile(`SN\d{7}X`).FindAllString(txt, -1) {
		seen[m]++
	}
	for s, n := range seen {
		if n != 1 {
			t.Fatalf("serial %s printed %d times", s, n)
		}
	}
}

// A unit's long serial list on the invoice splits across pages rather than
// running off the page, and nothing is lost.
func TestLongInvoiceRowSplits(t *testing.T) {
	r := testRenderer(t)
	p := bigPack(1500, 2)
	d, err := r.Render(context.Background(), model.CommercialInvoice, p)
	if err != nil {
		t.Fatal(err)
	}
	txt := pdfText(t, write(t, d))
	if pages := strings.Count(strings.TrimRight(txt, "\f"), "\f") + 1; pages < 2 {
		t.Fatalf("%d pages", pages)
	}
	flat := squash(txt)
	for _, a := range p.Assets {
		if !strings.Contains(flat, a.Serial) {
			t.Fatalf("serial %s missing", a.Serial)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	r := testRenderer(t)
	cases := []struct {
		name string
		kind model.DocKind
		edit func(*Pack)
		want []string
	}{
		{"unit in another currency", model.CommercialInvoice, func(p *Pack) { p.Assets[2].Currency = "EUR" },
			[]string{"inventory.csv:4", "SDS-SRV-0103", "currency", `"EUR"`, `"USD"`}},
		{"unknown shipment currency", model.CommercialInvoice, func(p *Pack) { p.Shipment.Currency = "XYZ" },
			[]string{"SGN-2026-0042", "currency", "ISO 4217"}},
		{"missing hs code", model.SpecListOrigin, func(p *Pack) { p.Assets[5].HSCode = "" },
			[]string{"inventory.csv:7", "hs_code"}},
		{"no clearance", model.PostClearance, func(p *Pack) { p.Clearance = nil }, []string{"no clearance record"}},
		{"bad date", model.CommercialInvoice, func(p *Pack) { p.Shipment.InvoiceDate = "09/03/2026" }, []string{"invoice_date", "YYYY-MM-DD"}},
		{"package names unknown unit", model.PackingList, func(p *Pack) { p.Shipment.Packages[0].Assets[0] = "NOPE-1" },
			[]string{"PLT-01", "NOPE-1", "assets"}},
		{"no second-hand units", model.ConditionDeclaration, func(p *Pack) {
			for i := range p.Assets {
				p.Assets[i].Condition = model.New
			}
		}, []string{"no used or refurbished units"}},
		{"bad valuation method", model.ConditionDeclaration, func(p *Pack) { p.Assets[0].ValuationMethod = 9 },
			[]string{"inventory.csv:2", "valuation_method", "1 to 6"}},
		{"unknown kind", "bill-of-lading", func(*Pack) {}, []string{"unknown document kind"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := fixturePack()
			c.edit(&p)
			_, err := r.Render(context.Background(), c.kind, p)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Render(ctx, model.PackingList, fixturePack()); err == nil {
		t.Error("rendered with a cancelled context")
	}
}

func TestLanguages(t *testing.T) {
	r := testRenderer(t)
	got := strings.Join(r.Languages(), ",")
	if got != "en,es,id,pt,th,vi" {
		t.Errorf("Languages() = %s", got)
	}
	en := r.tables["en"].Labels
	for lang, tb := range r.tables {
		for k := range en {
			if strings.Contains(lang, "-") {
				break // a locale's table overrides only some of its language's
			}
			if _, ok := tb.Labels[k]; !ok {
				t.Errorf("%s.yaml lacks %q", lang, k)
			}
		}
		// Every character of every label is in the embedded font.
		for k, v := range tb.Labels {
			for _, ch := range v {
				if !r.regular.has(ch) || !r.bold.has(ch) {
					t.Errorf("%s.yaml %s: %q (%U) is not in the font", lang, k, ch, ch)
				}
			}
		}
	}
	if !strings.HasPrefix(r.TemplateVersion(), Version+"+") || len(r.TemplateVersion()) != len(Version)+17 {
		t.Errorf("TemplateVersion() = %q", r.TemplateVersion())
	}
}

// Each language prints its own labels next to the English ones; an unknown
// language prints English only.
func TestLabelsPerLanguage(t *testing.T) {
	r := testRenderer(t)
	cases := map[string]string{
		"es": "Factura comercial", "pt": "Fatura comercial", "vi": "Hóa đơn thương mại",
		"id": "Faktur Komersial", "th": "ใบกำกับสินค้าเชิงพาณิชย์", "en": "", "xx": "", "pt-BR": "Fatura comercial",
	}
	for lang, title := range cases {
		t.Run(lang, func(t *testing.T) {
			p := fixturePack()
			p.Lang = lang
			d, err := r.Render(context.Background(), model.CommercialInvoice, p)
			if err != nil {
				t.Fatal(err)
			}
			flat := squash(pdfText(t, write(t, d)))
			if !strings.Contains(flat, "Commercial Invoice") || !strings.Contains(flat, "Total invoice value") {
				t.Error("English labels missing")
			}
			if title != "" && !strings.Contains(flat, title) {
				t.Errorf("title %q missing", title)
			}
			if title == "" && strings.Contains(flat, " / Số ") {
				t.Error("Vietnamese labels on an English-only document")
			}
			// Party names keep their script and accents whatever the language.
			for _, n := range []string{"Công ty TNHH Giải pháp Số Sài Gòn", "บริษัท สยามดาต้า โซลูชั่นส์ จำกัด"} {
				if !strings.Contains(flat, n) {
					t.Errorf("party %q missing", n)
				}
			}
		})
	}
}

// Amounts are printed as each locale writes them (CLDR data of x/text), in
// the currency's ISO 4217 minor digits, exactly.
func TestMoney(t *testing.T) {
	cases := []struct{ lang, v, cur, want string }{
		{"en", "1234567.891", "USD", "1,234,567.89"},
		{"en", "27500000", "VND", "27,500,000"},
		{"en", "0", "USD", "0.00"},
		{"en", "-1500.5", "EUR", "-1,500.50"},
		{"en", "999.9995", "KWD", "1,000.000"},
		{"en", "12.5", "JPY", "13"},
		{"en", "100", "???", "100.00"},
		{"pt-BR", "852120", "BRL", "852.120,00"},
		{"es-CO", "1234.56", "COP", "1.234,56"},
		{"es-CL", "1234", "CLP", "1.234"},
		{"es-MX", "1234.56", "MXN", "1,234.56"},
		{"vi", "27500000", "VND", "27.500.000"},
		{"vi", "1234.56", "USD", "1.234,56"},
		{"id", "1234.56", "USD", "1.234,56"},
		{"th", "1234.56", "THB", "1,234.56"},
		{"", "1234.56", "USD", "1,234.56"},
		{"pt-BR", "98765432109876543210.5", "BRL", "98.765.432.109.876.543.210,50"},
		{"pt-BR", "0.1", "BRL", "0,10"},
	}
	for _, c := range cases {
		if got := newNumFmt(c.lang).amount(dec(c.v), c.cur); got != c.want {
			t.Errorf("%s: amount(%s, %s) = %s, want %s", c.lang, c.v, c.cur, got, c.want)
		}
	}
	// The country profiles name a language ("es"); the destination says
	// which Spanish writes the numbers.
	for _, c := range []struct{ lang, dest, want string }{
		{"es", "MX", "1,234.56"}, {"es", "CO", "1.234,56"}, {"es", "CL", "1.234,56"}, {"pt", "BR", "1.234,56"},
		{"vi", "VN", "1.234,56"}, {"th", "TH", "1,234.56"}, {"id", "ID", "1.234,56"}, {"pt-BR", "US", "1.234,56"},
		{"en", "SG", "1,234.56"}, {"en", "", "1,234.56"},
	} {
		if got := newNumFmt(localeOf(c.lang, c.dest)).amount(dec("1234.56"), "USD"); got != c.want {
			t.Errorf("%s to %s (%s): %s, want %s", c.lang, c.dest, localeOf(c.lang, c.dest), got, c.want)
		}
	}
}

func TestWrapKeepsNumbersAndSyllables(t *testing.T) {
	r := testRenderer(t)
	m := r.regular
	cases := []struct {
		s     string
		width float64
		check func([]string) error
	}{
		{"Total 1,650,000,000.00 USD", 30, func(ls []string) error {
			for _, l := range ls {
				if strings.Contains(l, "1,650") && !strings.Contains(l, "1,650,000,000.00") {
					return fmt.Errorf("number split: %q", ls)
				}
			}
			return nil
		}},
		{"ราคาศุลกากรกำหนดตามความตกลงว่าด้วยการประเมินราคาศุลกากรของ", 20, func(ls []string) error {
			for _, l := range ls[1:] {
				r := []rune(l)
				if len(r) > 0 && (r[0] == 0x0E31 || (r[0] >= 0x0E34 && r[0] <= 0x0E3A) || (r[0] >= 0x0E47 && r[0] <= 0x0E4E)) {
					return fmt.Errorf("line starts with a combining mark: %q", l)
				}
			}
			return nil
		}},
	}
	for _, c := range cases {
		ls := m.wrap(c.s, sizeBody, c.width)
		if strings.Join(ls, "") != strings.ReplaceAll(c.s, " ", "") && strings.Join(ls, " ") != c.s {
			t.Errorf("wrap lost text: %q", ls)
		}
		for _, l := range ls {
			if m.width(l, sizeBody) > c.width && len([]rune(l)) > 1 {
				t.Errorf("line %q is %.1f mm wide, limit %.1f", l, m.width(l, sizeBody), c.width)
			}
		}
		if err := c.check(ls); err != nil {
			t.Error(err)
		}
	}
}
