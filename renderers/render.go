package renderers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/johnfercher/maroto/v2/pkg/config"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/consts/orientation"
	"github.com/johnfercher/maroto/v2/pkg/consts/pagesize"
	"github.com/johnfercher/maroto/v2/pkg/props"

	"github.com/clearpack/clearpack/pipeline/model"
)

func kindAbbr(kind model.DocKind) string {
	switch kind {
	case model.CommercialInvoice:
		return "INV"
	case model.PackingList:
		return "PL"
	case model.ConditionDeclaration:
		return "CD"
	case model.SpecListOrigin:
		return "SLO"
	case model.SpecListDestination:
		return "SLD"
	case model.PostClearance:
		return "PCR"
	case model.ComplianceSummary:
		return "CS"
	}
	return strings.ToUpper(string(kind))
}

// kindSpec describes one document kind.
type kindSpec struct {
	landscape bool
	// date is the document's own date (printed and used as the PDF dates).
	date func(p Pack) (string, string, error) // value, field name
	// prepare validates the pack and computes what the document prints; its
	// result is the document's JSON source.
	prepare func(r *Renderer, kind model.DocKind, p Pack) (any, error)
	// build lays the document out.
	build func(d *doc, p Pack, data any)
}

var kinds = map[model.DocKind]kindSpec{
	model.CommercialInvoice:    {date: invoiceDate, prepare: prepareInvoice, build: buildInvoice},
	model.PackingList:          {date: shipDate, prepare: preparePacking, build: buildPacking},
	model.ConditionDeclaration: {landscape: true, date: invoiceDate, prepare: prepareCondition, build: buildCondition},
	model.SpecListOrigin:       {landscape: true, date: shipDate, prepare: prepareSpec, build: buildSpec},
	model.SpecListDestination:  {landscape: true, date: shipDate, prepare: prepareSpec, build: buildSpec},
	model.PostClearance:        {date: releaseDate, prepare: preparePostClearance, build: buildPostClearance},
	model.ComplianceSummary:    {date: complianceDate, prepare: prepareCompliance, build: buildCompliance},
}

func invoiceDate(p Pack) (string, string, error) {
	if p.Shipment.InvoiceDate != "" {
		return p.Shipment.InvoiceDate, "invoice_date", nil
	}
	return shipDate(p)
}

// complianceDate is the compliance summary's own date: it reports the
// clearance when there is one, so it is dated at the release, not before;
// otherwise at the invoice, before the goods leave.
func complianceDate(p Pack) (string, string, error) {
	if p.Clearance != nil {
		return releaseDate(p)
	}
	return invoiceDate(p)
}

func shipDate(p Pack) (string, string, error) {
	if p.Shipment.ShipDate == "" {
		return "", "ship_date", fmt.Errorf("shipment %s: field ship_date is empty, expected YYYY-MM-DD", p.Shipment.ID)
	}
	return p.Shipment.ShipDate, "ship_date", nil
}

func releaseDate(p Pack) (string, string, error) {
	if p.Clearance == nil {
		return "", "clearance", fmt.Errorf("shipment %s: no clearance record", p.Shipment.ID)
	}
	if p.Clearance.ReleaseDate != "" {
		return p.Clearance.ReleaseDate, "release_date", nil
	}
	if p.Clearance.EntryDate == "" {
		return "", "entry_date", fmt.Errorf("clearance of %s: fields release_date and entry_date are empty, expected YYYY-MM-DD", p.Shipment.ID)
	}
	return p.Clearance.EntryDate, "entry_date", nil
}

// DocNumber is the number printed on a document of the pack: the invoice
// number for the invoice, "<shipment>-<ABBR>-v<version>" for the others.
func DocNumber(kind model.DocKind, p Pack) string {
	if kind == model.CommercialInvoice {
		if p.Shipment.InvoiceNumber != "" {
			return p.Shipment.InvoiceNumber
		}
		return "INV-" + p.Shipment.ID
	}
	return fmt.Sprintf("%s-%s-v%d", p.Shipment.ID, kindAbbr(kind), version(p))
}

// QRPayload is the document's identity, as its attached JSON states it
// ("identity") and the footer prints it.
func QRPayload(kind model.DocKind, p Pack) string {
	return fmt.Sprintf("clearpack:%s/%s/v%d/%s", p.Program, p.Shipment.ID, version(p), kind)
}

// QRContent is what the QR code on every page carries: the document's
// short identity (shipment, version, kind) and the SHA-256 (hex) of its
// attached JSON source, which names the full identity, program included.
// A PDF cannot carry its own digest; the source's digest binds the page to
// the archived data: pdfdetach the JSON, sha256sum it, compare. With a
// verification URL configured (WithVerifyURL), the QR is that URL with the
// same two facts as path segments, so a phone opens the check directly.
//
//	CP:APL26-BR-01/V1/INV 3B5F…
//	HTTPS://VERIFY.EXAMPLE.COM/D/APL26-BR-01/V1/INV/3B5F…
//
// The digest is upper-case hex. A URL given in upper case (its scheme and
// host are case-insensitive) keeps the whole code in the QR's alphanumeric
// mode, the smallest.
func (r *Renderer) QRContent(kind model.DocKind, p Pack, sourceSHA256 string) string {
	id := fmt.Sprintf("%s/v%d/%s", p.Shipment.ID, version(p), kindAbbr(kind))
	// Upper case: the QR's alphanumeric mode holds this in fewer modules
	// than bytes would, so it still scans from a page printed at 70 dpi.
	id, sum := strings.ToUpper(id), strings.ToUpper(sourceSHA256)
	if r.verifyURL != "" {
		return strings.TrimSuffix(r.verifyURL, "/") + "/" + id + "/" + sum
	}
	return "CP:" + id + " " + sum
}

func version(p Pack) int {
	if p.Version < 1 {
		return 1
	}
	return p.Version
}

// envelope is the JSON source embedded in every document.
type envelope struct {
	Schema          string `json:"schema"`
	Kind            string `json:"kind"`
	DocumentNumber  string `json:"document_number"`
	Identity        string `json:"identity"`
	Program         string `json:"program"`
	ShipmentID      string `json:"shipment_id"`
	Version         int    `json:"version"`
	Supersedes      int    `json:"supersedes,omitempty"`
	Date            string `json:"date"`
	Lang            string `json:"lang"`
	TemplateVersion string `json:"template_version"`
	Data            any    `json:"data"`
}

func (r *Renderer) render(ctx context.Context, kind model.DocKind, spec kindSpec, p Pack) ([]byte, []byte, *SignatureBox, error) {
	dateStr, field, err := spec.date(p)
	if err != nil {
		return nil, nil, nil, err
	}
	date, err := time.Parse(time.DateOnly, dateStr)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("shipment %s: field %s is %q, expected YYYY-MM-DD", p.Shipment.ID, field, dateStr)
	}
	data, err := spec.prepare(r, kind, p)
	if err != nil {
		return nil, nil, nil, err
	}
	l := r.labels(localeOf(p.Lang, p.Shipment.Destination))
	lang := "en"
	if l.loc != nil {
		lang = l.loc.Lang
	}
	docNo := DocNumber(kind, p)
	qr := QRPayload(kind, p)
	src, err := marshalIndent(envelope{
		Schema: "clearpack.document/v1", Kind: string(kind), DocumentNumber: docNo, Identity: qr,
		Program: p.Program, ShipmentID: p.Shipment.ID, Version: version(p), Supersedes: p.Supersedes,
		Date: dateStr, Lang: lang, TemplateVersion: r.version, Data: data,
	})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("encoding source: %w", err)
	}

	fonts, err := r.customFonts()
	if err != nil {
		return nil, nil, nil, err
	}
	width := 210.0 - 2*margin
	height := 297.0 - 2*margin
	b := config.NewBuilder().WithPageSize(pagesize.A4)
	if spec.landscape {
		b = b.WithOrientation(orientation.Horizontal)
		width, height = height, width
	}
	pageOf := l.En("page_of")
	if loc := l.Loc("page_of"); loc != "" {
		pageOf += " / " + loc
	}
	cfg := b.
		WithLeftMargin(margin).WithTopMargin(margin).WithRightMargin(margin).WithBottomMargin(margin).
		WithMaxGridSize(int(width)).
		WithCustomFonts(fonts).
		WithDefaultFont(&props.Font{Family: fontFamily, Style: fontstyle.Normal, Size: sizeBody}).
		WithPageNumber(props.PageNumber{
			Pattern: fill(pageOf, "current", "{current}", "total", "{total}"),
			Place:   props.RightBottom, Family: fontFamily, Size: 6.5, Color: colorGray,
		}).
		WithCompression(true).
		WithCreationDate(date).
		WithTitle(l.En("title."+string(kind))+" "+docNo, true).
		WithSubject(qr, true).
		WithCreator("clearpack "+r.version, true).
		WithAuthor(p.Shipment.Parties.Exporter.Name, true).
		Build()
	m, f, err := newMaroto(cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	d := &doc{r: r, l: l, tags: newTagger(f), nf: r.numbers(localeOf(p.Lang, p.Shipment.Destination)), m: m, width: int(width), pageH: height + 2*margin,
		place: lastAddressPart(p.Shipment.Parties.Exporter.Address)}
	d.avail = height - footerH

	facts := []string{
		l.Both("shipment") + ": " + p.Shipment.ID,
		l.Both("program") + ": " + orDash(p.Program),
		l.Both("version") + ": " + strconv.Itoa(version(p)),
		l.Both("date") + ": " + dateStr,
	}
	if p.Supersedes > 0 {
		facts = append(facts, l.Both("supersedes")+": v"+strconv.Itoa(p.Supersedes))
	}
	if err := m.RegisterFooter(d.footer(docNo + "  ·  " + qr + "  ·  " + r.version)); err != nil {
		return nil, nil, nil, fmt.Errorf("laying out footer: %w", err)
	}
	sum := sha256.Sum256(src)
	if err := m.RegisterHeader(d.header("title."+string(kind), docNo, r.QRContent(kind, p, hex.EncodeToString(sum[:])), facts)...); err != nil {
		return nil, nil, nil, fmt.Errorf("laying out header: %w", err)
	}
	d.cur = d.headerH
	spec.build(d, p, data)
	d.endTable()
	d.flush()
	if d.err != nil {
		return nil, nil, nil, d.err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, err
	}
	out, err := m.Generate()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("generating pdf: %w", err)
	}
	docLang := strings.TrimSpace(p.Lang)
	if docLang == "" {
		docLang = "en"
	}
	pdf, err := finishPDF(out.GetBytes(), date, string(kind)+".json", src, xmpInfo{
		title: l.En("title."+string(kind)) + " " + docNo, author: p.Shipment.Parties.Exporter.Name,
		subject: qr, creator: "clearpack " + r.version, lang: docLang,
	})
	if err != nil {
		return nil, nil, nil, err
	}
	return pdf, src, d.sigBox, nil
}
