package renderers

import (
	"context"
	"fmt"
	"html"
	"math"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/clearpack/clearpack/pipeline/model"
)

// word is one word of a page as pdftotext -bbox reports it (points, y down).
type word struct {
	page                   int
	text                   string
	xMin, yMin, xMax, yMax float64
}

var (
	bboxPage = regexp.MustCompile(`<page width=`)
	bboxWord = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
)

// bboxWords is every word of the PDF at path with its box, in pdftotext's
// reading order.
func bboxWords(t testing.TB, path string) []word {
	t.Helper()
	out := run(t, "pdftotext", "-bbox", "-enc", "UTF-8", path, "-")
	var ws []word
	page := 0
	for _, ln := range strings.Split(out, "\n") {
		if bboxPage.MatchString(ln) {
			page++
			continue
		}
		m := bboxWord.FindStringSubmatch(ln)
		if m == nil {
			continue
		}
		var f [4]float64
		for i := range f {
			fmt.Sscan(m[i+1], &f[i])
		}
		ws = append(ws, word{page: page, text: html.UnescapeString(m[5]), xMin: f[0], yMin: f[1], xMax: f[2], yMax: f[3]})
	}
	return ws
}

// run of words: a phrase found on one line.
type phrase struct {
	page             int
	xMin, xMax, base float64
}

// find returns every place the words of s appear one after another on one
// baseline.
func find(ws []word, s string) []phrase {
	toks := strings.Fields(s)
	if len(toks) == 0 {
		return nil
	}
	var out []phrase
	for i := range ws {
		if !same(ws[i].text, toks[0]) {
			continue
		}
		ok := true
		for j := 1; j < len(toks); j++ {
			k := i + j
			if k >= len(ws) || !same(ws[k].text, toks[j]) || ws[k].page != ws[i].page || math.Abs(ws[k].yMax-ws[i].yMax) > 0.6 {
				ok = false
				break
			}
		}
		if ok {
			last := ws[i+len(toks)-1]
			out = append(out, phrase{page: ws[i].page, xMin: ws[i].xMin, xMax: last.xMax, base: ws[i].yMax})
		}
	}
	return out
}

// same compares words, a label's colon aside.
func same(a, b string) bool { return strings.TrimSuffix(a, ":") == strings.TrimSuffix(b, ":") }

// onBaseline reports whether value is printed on label's baseline, to its
// right, somewhere in the document.
func onBaseline(ws []word, label, value string) bool {
	for _, l := range find(ws, label) {
		for _, v := range find(ws, value) {
			if v.page == l.page && math.Abs(v.base-l.base) <= 0.6 && v.xMin > l.xMax {
				return true
			}
		}
	}
	return false
}

// stressPack is the fixture with long, unbreakable and wrapping values
// everywhere a clerk reads one: 10-digit tariff codes, long serials and
// package ids, long party names and terms, nine-digit amounts.
func stressPack(lang string) Pack {
	p := fixturePack()
	p.Lang = lang
	s := &p.Shipment
	s.InvoiceNumber = "CI-2026-0042-REISSUE-000000000001"
	s.PaymentTerms = "Transfer price under the group's intercompany services agreement of 2024-01-01, settled quarterly by netting, no payment against this invoice"
	s.Transport.Reference = "AWB-217-48213375-0000000000-REFERENCE"
	s.Parties.Consignee.Name = "Công ty Trách nhiệm Hữu hạn Một Thành viên Giải pháp Số và Trung tâm Dữ liệu Tân Thuận Sài Gòn"
	s.Parties.Exporter.TaxID = "0105561234567-000-BRANCH-00001"
	s.Freight = dec("123456789.12")
	for i := range s.Packages {
		old := s.Packages[i].ID
		s.Packages[i].ID = fmt.Sprintf("PALLET-SGN-2026-0042-%02d-OF-02-HEAVY", i+1)
		s.Packages[i].Marks = "SGN-2026-0042/" + old + "/FRAGILE/THIS-WAY-UP/DO-NOT-STACK/KEEP-DRY"
	}
	for i := range p.Assets {
		a := &p.Assets[i]
		a.Serial = fmt.Sprintf("SRL-%02d-ABCDEFGHJKLMNPQRSTUVWX", i)
		a.HSCode = "8471500000"
		a.UnitValue = a.UnitValue.Mul(dec("10000"))
	}
	if p.Clearance != nil {
		for i := range p.Clearance.Lines {
			p.Clearance.Lines[i].TariffLine = "8471.50.00.00"
		}
		p.Clearance.EntryNumber = "26-47-3420-6012345-IMPORT"
	}
	p.Checks = append(p.Checks, model.CheckResult{Rule: "permit.import-licence-non-automatic-used-capital-goods", Status: model.Fail,
		Source: "Portaria SECEX 249/2023 Art. 4", Detail: "LI-2026/0001234567-BR required before shipment"})
	return p
}

// tokens are the codes, serials, ids and numbers of a pack that must never
// be broken across lines.
func tokens(p Pack) []string {
	out := []string{p.Shipment.ID, DocNumber(model.CommercialInvoice, p)}
	for _, a := range p.Assets {
		out = append(out, a.Serial, a.AssetTag, a.HSCode)
	}
	for _, pk := range p.Shipment.Packages {
		out = append(out, pk.ID)
	}
	if p.Shipment.Transport.Reference != "" && !strings.Contains(p.Shipment.Transport.Reference, " ") {
		out = append(out, p.Shipment.Transport.Reference)
	}
	return out
}

var layoutLangs = []string{"en", "vi", "pt-BR", "es", "id", "th"}

// TestEveryLabelBesideItsValue is the layout's property: in every document
// kind and every language, with ordinary and with long, unbreakable and
// wrapping values, each label's value starts on the label's own baseline,
// to its right, and no code, serial, id or number is split across lines.
func TestEveryLabelBesideItsValue(t *testing.T) {
	r := testRenderer(t)
	var mu sync.Mutex
	var pairs [][2]string
	r.probe = func(label, value string) {
		mu.Lock()
		defer mu.Unlock()
		pairs = append(pairs, [2]string{label, value})
	}
	packs := map[string]func(string) Pack{
		"fixture": func(l string) Pack { p := fixturePack(); p.Lang = l; return p },
		"brazil":  func(l string) Pack { p := brazilPack(); p.Lang = l; return p },
		"stress":  stressPack,
	}
	check := func(t *testing.T, k model.DocKind, p Pack) {
		pairs = nil
		d, err := r.Render(context.Background(), k, p)
		if err != nil {
			t.Fatal(err)
		}
		ws := bboxWords(t, write(t, d))
		if len(pairs) == 0 && k != model.PostClearance {
			// every kind has at least one label/value block
			t.Fatal("no label/value pairs laid out")
		}
		for _, pr := range pairs {
			if !onBaseline(ws, pr[0], pr[1]) {
				t.Errorf("%q is not on the baseline of its label %q", pr[1], pr[0])
			}
		}
		for _, tok := range tokens(p) {
			whole := false
			for _, w := range ws {
				if strings.Contains(w.text, tok) {
					whole = true
					break
				}
			}
			if whole {
				continue
			}
			// A token the document prints must be printed whole:
			// its head on one line and its rest on a line below
			// means it was split.
			for _, w := range ws {
				if !strings.HasPrefix(tok, w.text) || len(w.text) < 3 || len(w.text) == len(tok) {
					continue
				}
				rest := tok[len(w.text):]
				for _, x := range ws {
					if x.page == w.page && x.yMin > w.yMax-0.5 && len(x.text) >= min(len(rest), 3) &&
						(strings.HasPrefix(rest, x.text) || strings.HasPrefix(x.text, rest)) {
						t.Errorf("%q is split: %q and %q below it on page %d", tok, w.text, x.text, w.page)
					}
				}
			}
		}
	}
	for name, mk := range packs {
		for _, lang := range layoutLangs {
			for _, k := range Kinds() {
				t.Run(name+"/"+lang+"/"+string(k), func(t *testing.T) {
					if testing.Short() && name != "stress" {
						t.Skip("short: the stress pack only")
					}
					check(t, k, mk(lang))
				})
			}
		}
	}
	// The sample program's documents, as the pipeline renders them.
	for _, j := range sampleJobs(t) {
		t.Run("sample/"+j.name, func(t *testing.T) { check(t, j.kind, j.pack) })
	}
}

// TestInvoiceTotalsBesideLabels: the invoice's amounts, each beside its own
// label in every language (issue 14 item 4: in Portuguese each amount sat
// one row below its label and the total had none). Labels come from the
// translation tables and amounts from the pack, not from the renderer.
func TestInvoiceTotalsBesideLabels(t *testing.T) {
	r := testRenderer(t)
	for _, lang := range layoutLangs {
		for _, name := range []string{"brazil", "stress"} {
			t.Run(lang+"/"+name, func(t *testing.T) {
				p := brazilPack()
				if name == "stress" {
					p = stressPack(lang)
					p.Extras = brazilPack().Extras
					p.Shipment.AcquisitionCountry = "SG"
				}
				p.Lang = lang
				d, err := r.Render(context.Background(), model.CommercialInvoice, p)
				if err != nil {
					t.Fatal(err)
				}
				ws := bboxWords(t, write(t, d))
				l := r.labels(lang)
				s := p.Shipment
				sub := dec("0")
				for _, a := range p.Assets {
					sub = sub.Add(a.UnitValue)
				}
				total := sub.Add(s.Freight).Add(s.Insurance).Add(s.Packing)
				nf := r.numbers(localeOf(lang, s.Destination))
				for _, c := range []struct{ key, amount string }{
					{"subtotal", nf.money(sub, s.Currency)},
					{"freight", nf.money(s.Freight, s.Currency)},
					{"insurance", nf.money(s.Insurance, s.Currency)},
					{"packing", nf.money(s.Packing, s.Currency)},
					{"total", nf.money(total, s.Currency)},
				} {
					label := firstWords(l.Both(c.key), 2)
					if !onBaseline(ws, label, c.amount) {
						t.Errorf("%s: %q is not beside %q", c.key, c.amount, label)
					}
				}
			})
		}
	}
}

// firstWords is the first n words of s (a label's first line holds them).
func firstWords(s string, n int) string {
	f := strings.Fields(s)
	return strings.Join(f[:min(n, len(f))], " ")
}

// reads reports whether a reader finds want in the document: as a phrase
// of its text, or, for "Label: value", the value beside its label.
func reads(flat string, ws []word, want string) bool {
	if strings.Contains(flat, want) {
		return true
	}
	label, value, ok := strings.Cut(want, ": ")
	if !ok {
		return false
	}
	return onBaseline(ws, firstWords(label, 3), firstWords(value, 3))
}

// TestSignatureBoxWhereItIsPrinted: rows are laid out when the document is
// finished, so the signature box recorded for the PAdES signature must be
// the one on the page, around the printed "Signature" cell, in every kind
// that has one, also when the block moves to a later page.
func TestSignatureBoxWhereItIsPrinted(t *testing.T) {
	r := testRenderer(t)
	for _, name := range []string{"fixture", "stress", "long"} {
		for _, k := range Kinds() {
			t.Run(name+"/"+string(k), func(t *testing.T) {
				p := fixturePack()
				switch name {
				case "stress":
					p = stressPack("pt-BR")
				case "long":
					p = bigPack(60, 12)
				}
				d, err := r.Render(context.Background(), k, p)
				if err != nil {
					t.Fatal(err)
				}
				b := d.SignatureBox
				if b == nil {
					t.Skip("no signature box in this kind")
				}
				path := write(t, d)
				out := run(t, "pdftotext", "-bbox", "-f", fmt.Sprint(b.Page), "-l", fmt.Sprint(b.Page), path, "-")
				var pageH float64
				if m := regexp.MustCompile(`<page width="[\d.]+" height="([\d.]+)"`).FindStringSubmatch(out); m != nil {
					fmt.Sscan(m[1], &pageH)
				}
				found := false
				for _, m := range bboxWord.FindAllStringSubmatch(out, -1) {
					if m[5] != "Signature" {
						continue
					}
					var x, y float64
					fmt.Sscan(m[1], &x)
					fmt.Sscan(m[4], &y)
					y = pageH - y // PDF user space: from the bottom
					if x >= b.LowerLeftX && x <= b.UpperRight[0] && y >= b.LowerLeftY && y <= b.UpperRight[1] {
						found = true
					}
				}
				if !found {
					t.Errorf("no \"Signature\" inside the box %+v on page %d", b, b.Page)
				}
			})
		}
	}
}

// TestArchivalMetadata: every document names its language, carries XMP
// metadata an archive reads (title, language, dates) and attaches its JSON
// as an associated file with AFRelationship /Data. It does not claim PDF/A
// (no pdfaid): see the README for what is and is not there.
func TestArchivalMetadata(t *testing.T) {
	r := testRenderer(t)
	p := brazilPack()
	for _, k := range Kinds() {
		d, err := r.Render(context.Background(), k, p)
		if err != nil {
			t.Fatal(err)
		}
		path := write(t, d)
		meta := run(t, "pdfinfo", "-meta", path)
		title := r.labels(p.Lang).En("title."+string(k)) + " " + DocNumber(k, p)
		for _, want := range []string{"<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + title + "</rdf:li>",
			"<dc:language><rdf:Bag><rdf:li>pt-BR</rdf:li>", "<xmp:CreateDate>2026-"} {
			if !strings.Contains(meta, want) {
				t.Errorf("%s: XMP lacks %q:\n%s", k, want, meta)
			}
		}
		// PDF/A-3b is claimed now that the documents carry an output
		// intent and a structure tree (TestPDFA3Tagged checks the claim).
		if !strings.Contains(meta, "<pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>") {
			t.Errorf("%s: does not claim PDF/A-3b", k)
		}
		for _, want := range []string{"/Lang (pt-BR)", "/AFRelationship /Data", "/Metadata ", "/OutputIntents ["} {
			if !strings.Contains(string(d.PDF), want) {
				t.Errorf("%s: no %s", k, want)
			}
		}
	}
}

// TestLocaleWording: a locale's own terms replace its language's where a
// table for the locale exists (Mexican Spanish, Brazilian Portuguese), and
// only there: Colombia keeps the general Spanish terms.
func TestLocaleWording(t *testing.T) {
	r := testRenderer(t)
	for _, c := range []struct {
		lang, dest string
		kind       model.DocKind
		want, not  []string
	}{
		{"es", "MX", model.PackingList, []string{"Tarima"}, []string{"Palé"}},
		{"es", "MX", model.CommercialInvoice, []string{"Agente aduanal", "Fracción arancelaria"}, []string{"Agente de aduanas"}},
		{"es", "CO", model.CommercialInvoice, []string{"Agente de aduanas", "Código SA"}, []string{"Agente aduanal"}},
		{"pt", "BR", model.CommercialInvoice, []string{"Parte a notificar", "NCM"}, nil},
		{"es", "MX", model.ComplianceSummary, []string{"CUMPLE"}, []string{"CORRECTO"}},
		{"pt-BR", "BR", model.ComplianceSummary, []string{"CONFORME"}, []string{"APROVADO"}},
	} {
		t.Run(c.lang+"-"+c.dest+"/"+string(c.kind), func(t *testing.T) {
			p := fixturePack()
			p.Lang, p.Shipment.Destination = c.lang, c.dest
			d, err := r.Render(context.Background(), c.kind, p)
			if err != nil {
				t.Fatal(err)
			}
			flat := squash(pdfText(t, write(t, d)))
			for _, w := range c.want {
				if !strings.Contains(flat, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, w := range c.not {
				if strings.Contains(flat, w) {
					t.Errorf("prints %q", w)
				}
			}
		})
	}
}
