package renderers

import (
	"bytes"
	"crypto/md5" //nolint:gosec // the PDF /CheckSum of an embedded file is MD5 by definition (ISO 32000-1, 7.11.4)
	"encoding/xml"
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/klauspost/compress/zlib"

	"github.com/clearpack/clearpack/internal/pdftext"
	"github.com/clearpack/clearpack/templates"
)

// finishPDF makes gofpdf's output reproducible and attaches the document's
// JSON source. maroto keeps its gofpdf instance private, so this works on the
// bytes: it overwrites /ModDate (gofpdf takes it from the clock) with the
// document date, in place and at the same length, raises the header to
// PDF 1.7, and appends an incremental update (ISO 32000-1, 7.5.6) with the
// embedded file, its file specification and a new catalog naming it.
//
// The new catalog also names the document's language (/Lang, the pack's
// BCP 47 tag) and an XMP metadata stream (title, author, subject, language,
// dates, creator tool) matching the document information dictionary: what
// an archive reads first. The attachment is an associated file of the
// document (/AF) with AFRelationship /Data, as Factur-X and ZUGFeRD attach
// their XML: the data the document renders.
func finishPDF(pdf []byte, date time.Time, name string, attachment []byte, meta xmpInfo) ([]byte, error) {
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.")) {
		return nil, fmt.Errorf("finishing pdf: not a PDF header")
	}
	icc, err := compressedICC()
	if err != nil {
		return nil, err
	}
	// The whole file in one buffer: the first revision (gofpdf's bytes,
	// edited in place below) and the update appended to it, so neither is
	// copied again as the buffer grows.
	var b bytes.Buffer
	b.Grow(len(pdf) + len(attachment) + len(icc) + 8192)
	b.Write(pdf)
	out := b.Bytes()
	if !bytes.HasPrefix(out, []byte("%PDF-1.")) {
		return nil, fmt.Errorf("finishing pdf: not a PDF header")
	}
	out[7] = '7'

	stamp := []byte("(D:" + date.UTC().Format("20060102150405") + ")")
	for _, key := range []string{"/CreationDate ", "/ModDate "} {
		i := bytes.LastIndex(out, []byte(key))
		if i < 0 || i+len(key)+len(stamp) > len(out) || out[i+len(key)] != '(' {
			return nil, fmt.Errorf("finishing pdf: %s not found", key)
		}
		copy(out[i+len(key):], stamp)
	}

	dedupeXObjects(out)

	tr := trailerRE.FindSubmatch(out)
	if tr == nil {
		return nil, fmt.Errorf("finishing pdf: trailer not found")
	}
	size, _ := strconv.Atoi(string(tr[1]))
	root, _ := strconv.Atoi(string(tr[2]))
	prev, _ := strconv.Atoi(string(tr[4]))

	start := bytes.Index(out, []byte(fmt.Sprintf("\n%d 0 obj\n<<\n", root)))
	if start < 0 {
		return nil, fmt.Errorf("finishing pdf: catalog object %d not found", root)
	}
	bodyStart := start + len(fmt.Sprintf("\n%d 0 obj\n<<\n", root))
	end := bytes.Index(out[bodyStart:], []byte(">>\nendobj"))
	if end < 0 {
		return nil, fmt.Errorf("finishing pdf: catalog object %d has no end", root)
	}
	catalog := bytes.TrimSpace(out[bodyStart : bodyStart+end])
	// gofpdf ends its catalog with an empty name dictionary (no JavaScript,
	// no attachments here); it is replaced by one naming the attachment.
	if i := bytes.Index(catalog, []byte("/Names <<")); i >= 0 {
		if bytes.Contains(catalog[i:], []byte("/JavaScript")) {
			return nil, fmt.Errorf("finishing pdf: catalog has JavaScript")
		}
		catalog = bytes.TrimSpace(catalog[:i])
	}

	// The fastest level (renderers/8): on a 30-line invoice's 20 KB source
	// it takes about 40% of the default level's CPU (about 1 M instructions
	// less per document) for 252 more bytes (2,572 vs 2,320), 0.2% of the
	// PDF. The default level took a third of BestCompression's CPU for 1.5%
	// more bytes (2,321 vs 2,287).
	z, err := zlibCompress(zlib.BestSpeed, attachment)
	if err != nil {
		return nil, fmt.Errorf("compressing attachment: %w", err)
	}
	sum := md5.Sum(attachment) //nolint:gosec // see import
	// The file identifier (trailer /ID, ISO 32000-1 14.4; PDF/A requires
	// it). 14.4 asks only that it be unique and suggests a digest of the
	// time, the file's location and size and the information dictionary.
	// Here it is an MD5 of what determines the document and of the first
	// revision's shape: the source's MD5 (the pack's data and the template
	// and renderer versions), the date, the first revision's length and its
	// cross-reference table (every object's offset, so any object changing
	// length changes it). The same input still gives the same identifier.
	// Until renderers/9 it was the MD5 of the whole first revision, 1.3 M
	// instructions per 30-line invoice (3% of its rendering) for 115 KB.
	xrefEnd := bytes.LastIndex(out, []byte("trailer\n"))
	if prev <= 0 || prev >= xrefEnd || !bytes.HasPrefix(out[prev:], []byte("xref\n")) {
		return nil, fmt.Errorf("finishing pdf: cross-reference table not found at %d", prev)
	}
	idh := md5.New() //nolint:gosec // an identifier, not a security digest
	fmt.Fprintf(idh, "%x %s %d\n", sum, stamp, len(out))
	idh.Write(out[prev:xrefEnd])
	var id [md5.Size]byte
	idh.Sum(id[:0])

	fileObj, specObj := size, size+1
	if out[len(out)-1] != '\n' {
		b.WriteByte('\n')
	}
	offsets := map[int]int{}
	offsets[fileObj] = b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<< /Type /EmbeddedFile /Subtype /application#2Fjson /Filter /FlateDecode /Length %d /Params << /Size %d /CheckSum <%x> /ModDate %s >> >>\nstream\n",
		fileObj, len(z), len(attachment), sum, pdfDate(date))
	b.Write(z)
	b.WriteString("\nendstream\nendobj\n")
	offsets[specObj] = b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<< /Type /Filespec /F %s /UF %s /EF << /F %d 0 R /UF %d 0 R >> /Desc (Machine-readable source of this document) /AFRelationship /Data >>\nendobj\n",
		specObj, pdftext.Literal(name), pdftext.Literal(name), fileObj, fileObj)
	metaObj := size + 2
	xmp := meta.xmp(date)
	offsets[metaObj] = b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n", metaObj, len(xmp))
	b.Write(xmp)
	b.WriteString("\nendstream\nendobj\n")
	// The output intent (ISO 19005-3, 6.2.3): the colours are sRGB, the
	// profile embedded (templates/color, Zlib licence).
	iccObj, intentObj, infoObj := size+3, size+4, size+5
	offsets[iccObj] = b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<< /N 3 /Alternate /DeviceRGB /Filter /FlateDecode /Length %d >>\nstream\n", iccObj, len(icc))
	b.Write(icc)
	b.WriteString("\nendstream\nendobj\n")
	offsets[intentObj] = b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) /RegistryName (http://www.color.org) /Info (sRGB IEC61966-2.1) /DestOutputProfile %d 0 R >>\nendobj\n",
		intentObj, iccObj)
	// A new document information dictionary with the values of the XMP
	// packet, dates with their time zone (gofpdf writes them without), as
	// PDF/A requires the two to agree.
	offsets[infoObj] = b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<< /Title %s /Author %s /Subject %s /Creator %s /Producer %s /CreationDate %s /ModDate %s >>\nendobj\n",
		infoObj, pdftext.Text(meta.title), pdftext.Text(meta.author), pdftext.Text(meta.subject), pdftext.Text(meta.creator),
		pdftext.Text(producer), pdfDate(date), pdfDate(date))
	offsets[root] = b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<<\n%s\n/Names << /EmbeddedFiles << /Names [%s %d 0 R] >> >>\n/AF [%d 0 R]\n/Lang %s\n/Metadata %d 0 R\n/OutputIntents [%d 0 R]\n/ViewerPreferences << /DisplayDocTitle true >>\n>>\nendobj\n",
		root, catalog, pdftext.Literal(name), specObj, specObj, pdftext.Literal(meta.lang), metaObj, intentObj)

	xref := b.Len()
	b.WriteString("xref\n0 1\n0000000000 65535 f \n")
	fmt.Fprintf(&b, "%d 1\n%010d 00000 n \n", root, offsets[root])
	fmt.Fprintf(&b, "%d 6\n", fileObj)
	for n := fileObj; n <= infoObj; n++ {
		fmt.Fprintf(&b, "%010d 00000 n \n", offsets[n])
	}
	fmt.Fprintf(&b, "trailer\n<<\n/Size %d\n/Root %d 0 R\n/Info %d 0 R\n/ID [<%x> <%x>]\n/Prev %d\n>>\nstartxref\n%d\n%%%%EOF\n",
		infoObj+1, root, infoObj, id, id, prev, xref)
	return b.Bytes(), nil
}

// producer is the PDF producer named in the information dictionary and the
// XMP packet: the writer under maroto (third_party/gofpdf).
const producer = "FPDF 1.7 (gofpdf, clearpack fork)"

// pdfDate is a PDF date in UTC (ISO 32000-1, 7.9.4).
func pdfDate(t time.Time) string { return "(D:" + t.UTC().Format("20060102150405") + "Z)" }

var trailerRE = regexp.MustCompile(`trailer\n<<\n/Size (\d+)\n/Root (\d+) 0 R\n/Info (\d+) 0 R\n>>\nstartxref\n(\d+)\n%%EOF\s*$`)

// dedupeXObjects blanks repeated entries of the resource dictionary's
// /XObject list. maroto registers the QR image once per page under a random
// name; gofpdf stores the identical image once but lists it once per
// registration, which is a duplicated key. Overwriting the repeats with
// spaces keeps every byte offset, so the cross-reference table stays valid.
func dedupeXObjects(pdf []byte) {
	start := bytes.Index(pdf, []byte("/XObject <<\n"))
	if start < 0 {
		return
	}
	start += len("/XObject <<\n")
	end := bytes.Index(pdf[start:], []byte(">>"))
	if end < 0 {
		return
	}
	seen := map[string]bool{}
	pos := start
	for _, ln := range bytes.SplitAfter(pdf[start:start+end], []byte("\n")) {
		key := string(bytes.TrimSpace(ln))
		if key != "" && seen[key] {
			for i := pos; i < pos+len(bytes.TrimRight(ln, "\n")); i++ {
				pdf[i] = ' '
			}
		}
		seen[key] = true
		pos += len(ln)
	}
}

// xmpInfo is what the XMP metadata of a document says; the same values as
// its document information dictionary.
type xmpInfo struct {
	title, author, subject, creator, lang string
}

// xmp is the XMP packet (ISO 16684-1), claiming PDF/A-3b (pdfaid part 3,
// conformance B): what the rest of finishPDF and the writer make true
// (sRGB output intent, fonts embedded, /ID, associated file). See the
// README for what is checked and what is not.
func (x xmpInfo) xmp(date time.Time) []byte {
	esc := func(s string) string {
		var b bytes.Buffer
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	ts := date.UTC().Format("2006-01-02T15:04:05Z")
	var b bytes.Buffer
	b.WriteString("<?xpacket begin=\"\ufeff\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` + "\n")
	b.WriteString(`<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">` + "\n")
	b.WriteString("<dc:format>application/pdf</dc:format>\n")
	fmt.Fprintf(&b, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></dc:title>\n", esc(x.title))
	fmt.Fprintf(&b, "<dc:creator><rdf:Seq><rdf:li>%s</rdf:li></rdf:Seq></dc:creator>\n", esc(x.author))
	fmt.Fprintf(&b, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></dc:description>\n", esc(x.subject))
	fmt.Fprintf(&b, "<dc:language><rdf:Bag><rdf:li>%s</rdf:li></rdf:Bag></dc:language>\n", esc(x.lang))
	fmt.Fprintf(&b, "<xmp:CreateDate>%s</xmp:CreateDate><xmp:ModifyDate>%s</xmp:ModifyDate><xmp:MetadataDate>%s</xmp:MetadataDate>\n", ts, ts, ts)
	fmt.Fprintf(&b, "<xmp:CreatorTool>%s</xmp:CreatorTool>\n", esc(x.creator))
	fmt.Fprintf(&b, "<pdf:Producer>%s</pdf:Producer>\n", esc(producer))
	b.WriteString("<pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>\n")
	b.WriteString("</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end=\"r\"?>")
	return b.Bytes()
}

// compressedICC is the sRGB profile as a zlib stream, made once per process:
// every document carries it (6,922 bytes raw), so it is compressed once
// rather than stored raw in each.
var compressedICC = sync.OnceValues(func() ([]byte, error) {
	return zlibCompress(zlib.DefaultCompression, templates.SRGBProfile())
})
