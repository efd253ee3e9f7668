// Package renderers turns a shipment's records into PDF documents, one file
// per document kind, with maroto v2.
//
// Every document carries, on every page, its title in English and in the
// destination's customs language, its document number, the shipment id, the
// program, the pack version and a QR code. The QR code carries the short
// identity and the SHA-256 of the document's attached JSON (QRContent):
//
//	CP:SGN-0042/V2/INV 3B5F…
//
// The full identity
//
//	clearpack:<program>/<shipment>/v<version>/<kind>
//
// (QRPayload) is in that JSON and in the footer, so a printed page can be
// matched to the archived original. Document numbers are
// the invoice number for the commercial invoice (Shipment.InvoiceNumber, or
// "INV-<shipment>" when it is empty) and "<shipment>-<ABBR>-v<version>" for the
// others (PL packing list, CD condition declaration, SLO/SLD specification
// list to the origin/destination authority, PCR post-clearance record, CS
// compliance summary).
//
// Invoice lines group identical units (same maker, model, part number,
// description, HS code, origin, condition and unit value) into one line with
// a quantity, which is how brokers key an entry; each line lists the serials
// it covers. The packing list and the specification list name every unit
// with its serial, so every serial appears in the pack.
//
// Amounts are printed with the currency's ISO 4217 minor digits as the
// document's locale writes them (x/text CLDR data: pt-BR 852.120,00, th
// 1,234.56; VND 27.500.000 in vi), computed with decimals, never floats. Line total = quantity × unit value; invoice total = lines +
// freight + insurance + packing.
//
// The same Pack and TemplateVersion give byte-identical PDFs: dates come from
// the shipment (InvoiceDate, ShipDate, the clearance), never from the clock,
// and the PDF's creation and modification dates are the document's own date.
// Each PDF embeds its machine-readable source (Document.Source, JSON) as the
// attached file "<kind>.json".
//
// Every PDF is PDF/A-3b (the attached JSON an associated file with
// AFRelationship /Data, an sRGB output intent, every font embedded; see
// finishPDF) and tagged: a structure tree in reading order with headings,
// tables with header cells and figures with alternate text (tagging.go).
package renderers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/biter777/countries"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/johnfercher/maroto/v2/pkg/repository"
	"github.com/phpdave11/gofpdf"

	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/clearpack/clearpack/templates"
)

// Version of the renderer code; part of TemplateVersion. Bump it whenever a
// change alters the bytes of any document.
const Version = "renderers/9"

const fontFamily = "clearpack-sans"

// Pack is everything the documents of one shipment version are made from.
// Renderers read nothing else: no clock, no environment, no files.
type Pack struct {
	Program  string
	Shipment model.Shipment
	// Assets are the shipment's units, in the order the plan lists them.
	Assets    []model.Asset
	Clearance *model.Clearance
	// Version of the pack (1, 2, ...) and the version it supersedes (0: none).
	Version    int
	Supersedes int
	// Lang is the destination's customs language as a BCP 47 tag ("vi", "es",
	// "pt", "id", "th"); labels are printed in English and in Lang.
	Lang string
	// Checks are the compliance checks run against the shipment.
	Checks []model.CheckResult
	// Extras is what the destination's rules add to the documents
	// (rules.Report.Extras): the invoice's countries of acquisition and
	// provenance and package marks (Brazil), the condition declaration's
	// sworn not-waste statement (Argentina).
	Extras model.DocExtras
	// PreShipment maps the file names of the pre-shipment documents the
	// clearance was made against to their SHA-256 (hex); used by the
	// post-clearance pack.
	PreShipment map[string]string
}

// Document is one rendered document.
type Document struct {
	Kind model.DocKind
	// Name is the file name in the pack, e.g. "commercial-invoice.pdf".
	Name string
	PDF  []byte
	// Source is the document's machine-readable data (JSON), also embedded in
	// the PDF as an attached file.
	Source []byte
	// SignatureBox is where the declarant's signature goes, nil for a
	// document without one. The embedded (PAdES) signature is placed there.
	SignatureBox *SignatureBox
}

// Renderer renders documents. It holds only immutable data (font bytes,
// font metrics, translation tables), so one Renderer serves any number of
// goroutines; each Render builds its own maroto document.
type Renderer struct {
	fontRegular, fontBold []byte
	regular, bold         *metrics
	tables                map[string]*table
	version               string
	// probe, set by tests only, is told the first line of every label and
	// of its value as they are laid out.
	probe func(label, value string)
	// verifyURL, when set, is where the QR code points (see QRContent).
	verifyURL string
	// currencies is the set of ISO 4217 codes (upper case).
	currencies map[string]bool
}

// Option configures a Renderer.
type Option func(*Renderer)

// WithVerifyURL makes every QR code a link to u with the document's
// identity and source digest as query parameters (see QRContent). The URL
// is printed in the documents, so it changes their bytes.
func WithVerifyURL(u string) Option { return func(r *Renderer) { r.verifyURL = u } }

// catalogSortOnce switches gofpdf to sorted resource catalogs. gofpdf writes
// fonts and images from Go maps; unsorted, two runs with the same input can
// order them differently. maroto gives no access to its gofpdf instance, so
// the library default is set once, before any document is made, and never
// changed back.
var catalogSortOnce sync.Once

// New loads the embedded fonts and translations once.
func New(opts ...Option) (*Renderer, error) {
	catalogSortOnce.Do(func() { gofpdf.SetDefaultCatalogSort(true) })
	r, err := newRenderer(templates.Fonts(), templates.Translations())
	if err != nil {
		return nil, err
	}
	for _, o := range opts {
		o(r)
	}
	if r.verifyURL != "" {
		u, err := url.Parse(r.verifyURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, fmt.Errorf("verification url %q: expected an http or https URL", r.verifyURL)
		}
		r.version += "+" + verifyTag(r.verifyURL)
	}
	return r, nil
}

// verifyTag is a short digest of the verification URL for TemplateVersion:
// the URL is printed in the QR, so it is part of what makes the bytes.
func verifyTag(u string) string {
	s := sha256.Sum256([]byte(u))
	return "qr" + hex.EncodeToString(s[:4])
}

func newRenderer(fonts, i18n fs.FS) (*Renderer, error) {
	r := &Renderer{currencies: map[string]bool{}}
	for _, cu := range countries.AllCurrencies() {
		if a := cu.Alpha(); len(a) == 3 && a == strings.ToUpper(a) {
			r.currencies[a] = true
		}
	}
	var err error
	if r.fontRegular, err = fs.ReadFile(fonts, templates.FontRegular); err != nil {
		return nil, fmt.Errorf("reading font: %w", err)
	}
	if r.fontBold, err = fs.ReadFile(fonts, templates.FontBold); err != nil {
		return nil, fmt.Errorf("reading font: %w", err)
	}
	if r.regular, err = newMetrics(r.fontRegular); err != nil {
		return nil, fmt.Errorf("loading %s: %w", templates.FontRegular, err)
	}
	if r.bold, err = newMetrics(r.fontBold); err != nil {
		return nil, fmt.Errorf("loading %s: %w", templates.FontBold, err)
	}
	if r.tables, err = loadTables(i18n); err != nil {
		return nil, err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", Version)
	for _, b := range [][]byte{r.fontRegular, r.fontBold} {
		fmt.Fprintf(h, "%d\x00", len(b))
		h.Write(b)
	}
	names, err := fs.Glob(i18n, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("listing translations: %w", err)
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := fs.ReadFile(i18n, n)
		if err != nil {
			return nil, fmt.Errorf("reading translations %s: %w", n, err)
		}
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	r.version = Version + "+" + hex.EncodeToString(h.Sum(nil))[:16]
	return r, nil
}

// TemplateVersion is a stable digest of the fonts, the translations and the
// renderer Version, e.g. "renderers/1+3f2a9c0d11b4e5a6". It is recorded in
// manifests: the same Pack and TemplateVersion give the same bytes.
func (r *Renderer) TemplateVersion() string { return r.version }

// Languages lists the languages with a translation table, sorted.
func (r *Renderer) Languages() []string {
	out := make([]string, 0, len(r.tables))
	for l := range r.tables {
		if !strings.Contains(l, "-") {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}

// Kinds lists the document kinds Render knows, in pack order.
func Kinds() []model.DocKind {
	return []model.DocKind{
		model.CommercialInvoice, model.PackingList, model.ConditionDeclaration,
		model.SpecListOrigin, model.SpecListDestination, model.PostClearance,
		model.ComplianceSummary,
	}
}

// labels for a pack: English plus the pack's language when it has a table.
// A regional tag uses its language's table ("pt-BR" prints Portuguese),
// with the locale's own terms over it where a table for the locale exists
// (es-MX.yaml: "agente aduanal", "tarima"); an unknown language prints
// English only. locale is localeOf(lang, destination).
func (r *Renderer) labels(locale string) labels {
	l := labels{en: r.tables["en"]}
	norm := strings.ReplaceAll(strings.TrimSpace(locale), "_", "-")
	base, _, _ := strings.Cut(strings.ToLower(norm), "-")
	if t, ok := r.tables[base]; ok && base != "en" {
		l.loc = t
		for k, t := range r.tables {
			if strings.EqualFold(k, norm) && k != base {
				l.over = t
			}
		}
	}
	return l
}

func (r *Renderer) customFonts() ([]*entity.CustomFont, error) {
	fonts, err := repository.New().
		AddUTF8FontFromBytes(fontFamily, fontstyle.Normal, r.fontRegular).
		AddUTF8FontFromBytes(fontFamily, fontstyle.Bold, r.fontBold).
		Load()
	if err != nil {
		return nil, fmt.Errorf("loading fonts: %w", err)
	}
	return fonts, nil
}

// Render renders one document of the pack. It is safe for concurrent use.
// It returns an error, naming the shipment, unit and field, when the pack
// cannot make a correct document (a unit in another currency, a
// post-clearance pack without a clearance record, ...).
func (r *Renderer) Render(ctx context.Context, kind model.DocKind, p Pack) (Document, error) {
	if err := ctx.Err(); err != nil {
		return Document{}, fmt.Errorf("rendering %s for %s: %w", kind, p.Shipment.ID, err)
	}
	spec, ok := kinds[kind]
	if !ok {
		return Document{}, fmt.Errorf("rendering %s for %s: unknown document kind", kind, p.Shipment.ID)
	}
	pdf, src, box, err := r.render(ctx, kind, spec, p)
	if err != nil {
		return Document{}, fmt.Errorf("rendering %s for %s: %w", kind, p.Shipment.ID, err)
	}
	return Document{Kind: kind, Name: string(kind) + ".pdf", PDF: pdf, Source: src, SignatureBox: box}, nil
}
