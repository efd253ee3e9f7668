// Package pades embeds PAdES signatures (ETSI EN 319 142-1, baseline B-B,
// and B-T with a time-stamp authority) in clearpack's PDFs, and verifies
// them.
//
// A signature is an incremental update appended to the document as
// rendered: the rendered bytes (the "first revision", reproducible) are left
// untouched, so that prefix of the signed file is the very file the
// renderer made, and verify can prove it is. The update adds a signature
// dictionary (/Filter /Adobe.PPKLite, /SubFilter /ETSI.CAdES.detached, a
// /ByteRange covering the whole file but the /Contents hole), a signature
// field whose widget sits on the signature box the renderer reserved (the
// box prints who signs, where and when, in the document's languages), and
// a CMS SignedData in /Contents made by the same signer that makes the
// detached .sig files (a key file or a KMS key through sigstore).
//
// Poppler's pdfsig reports such a file as "Signature is Valid" and "Total
// document signed". Only PDFs with classic cross-reference tables are
// signed (what clearpack renders); a PDF already carrying an /AcroForm is
// refused rather than merged.
package pades

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/md5"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/clearpack/clearpack/internal/pdftext"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// BlobSigner makes an ASN.1 DER ECDSA P-256 signature over SHA-256 of data;
// signing.Signer is one.
type BlobSigner interface {
	SignBlob(ctx context.Context, data []byte) ([]byte, error)
}

// Timestamper obtains an RFC 3161 time-stamp token (the DER ContentInfo)
// whose message imprint is SHA-256 of data.
type Timestamper interface {
	Timestamp(ctx context.Context, data []byte) ([]byte, error)
}

// Box is where a visible signature goes: a page (1-based) and a rectangle
// in PDF points from the page's lower-left corner.
type Box struct {
	Page               int
	LLX, LLY, URX, URY float64
}

// Options of one signature.
type Options struct {
	// Chain is the signer's certificate first, then its issuers (the root
	// may be left out). Its public key must be the signer's.
	Chain  []*x509.Certificate
	Signer BlobSigner
	// Box places the visible signature; nil makes an invisible one on page 1.
	Box *Box
	// Name, Reason and Location fill the signature dictionary (any script).
	Name, Reason, Location string
	// Time is the claimed signing time (/M).
	Time time.Time
	// TSA, when set, makes the signature B-T: a time-stamp over the
	// signature value, as an unsigned attribute.
	TSA Timestamper
}

// Placeholder sizes: the CMS is written into a /Contents hole reserved
// before it is made.
const (
	reserveBase = 4096
	reserveTSA  = 12288
)

// Sign returns pdf with a PAdES signature appended as an incremental
// update. pdf must end with a newline after %%EOF.
func Sign(ctx context.Context, pdf []byte, o Options) ([]byte, error) {
	if len(o.Chain) == 0 || o.Signer == nil {
		return nil, errors.New("signing pdf: no certificate or no signer")
	}
	if len(pdf) == 0 || pdf[len(pdf)-1] != '\n' {
		return nil, errors.New("signing pdf: the document does not end with a newline")
	}
	r, err := newReader(pdf)
	if err != nil {
		return nil, fmt.Errorf("signing pdf: %w", err)
	}
	catalog, err := r.dict(r.root)
	if err != nil {
		return nil, fmt.Errorf("signing pdf: %w", err)
	}
	if bytes.Contains(catalog, []byte("/AcroForm")) {
		return nil, errors.New("signing pdf: the document already has a form (/AcroForm); signing it again is not supported")
	}
	box := Box{Page: 1}
	if o.Box != nil {
		box = *o.Box
	}
	pageObj, err := r.page(box.Page)
	if err != nil {
		return nil, fmt.Errorf("signing pdf: %w", err)
	}
	page, err := r.dict(pageObj)
	if err != nil {
		return nil, fmt.Errorf("signing pdf: %w", err)
	}
	sigObj, widgetObj, apObj := r.size, r.size+1, r.size+2

	reserve := reserveBase
	for _, c := range o.Chain {
		reserve += len(c.Raw)
	}
	if o.TSA != nil {
		reserve += reserveTSA
	}

	var b bytes.Buffer
	b.Grow(len(pdf) + 2*reserve + 4096)
	b.Write(pdf)
	offsets := map[int]int{}

	// The signature dictionary, with holes for /ByteRange and /Contents.
	offsets[sigObj] = b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached\n", sigObj)
	b.WriteString("/ByteRange ")
	brAt := b.Len()
	brHole := "[0 0000000000 0000000000 0000000000]"
	b.WriteString(brHole)
	b.WriteString("\n/Contents ")
	contentsAt := b.Len()
	b.WriteByte('<')
	b.Write(bytes.Repeat([]byte("0"), 2*reserve))
	b.WriteByte('>')
	contentsEnd := b.Len()
	fmt.Fprintf(&b, "\n/M %s", pdfDate(o.Time))
	for _, kv := range [][2]string{{"Name", o.Name}, {"Reason", o.Reason}, {"Location", o.Location}} {
		if kv[1] != "" {
			fmt.Fprintf(&b, "\n/%s %s", kv[0], pdftext.Text(kv[1]))
		}
	}
	b.WriteString(" >>\nendobj\n")

	// The field and its widget: visible on the box, printed (/F 4), locked.
	rect := fmt.Sprintf("[%s %s %s %s]", num(box.LLX), num(box.LLY), num(box.URX), num(box.URY))
	w, h := box.URX-box.LLX, box.URY-box.LLY
	offsets[widgetObj] = b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /T %s /V %d 0 R /F 132 /Rect %s /P %d 0 R /AP << /N %d 0 R >> >>\nendobj\n",
		widgetObj, pdftext.Text("Declarant signature"), sigObj, rect, pageObj, apObj)
	// Its appearance: a frame around the box, whose text is the page's own.
	var ap string
	if w > 1 && h > 1 {
		ap = fmt.Sprintf("q 0.05 0.25 0.55 RG 0.8 w 0.4 0.4 %s %s re S Q\n", num(w-0.8), num(h-0.8))
	}
	offsets[apObj] = b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<< /Type /XObject /Subtype /Form /BBox [0 0 %s %s] /Resources << >> /Length %d >>\nstream\n%sendstream\nendobj\n",
		apObj, num(max(w, 0)), num(max(h, 0)), len(ap), ap)

	// The page with the widget among its annotations.
	newPage, err := withAnnot(page, widgetObj)
	if err != nil {
		return nil, fmt.Errorf("signing pdf: page %d: %w", box.Page, err)
	}
	offsets[pageObj] = b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", pageObj, newPage)
	// The catalog with the form: /SigFlags 3 (signatures exist; append only).
	offsets[r.root] = b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n%s /AcroForm << /Fields [%d 0 R] /SigFlags 3 >> >>\nendobj\n",
		r.root, bytes.TrimSuffix(bytes.TrimSpace(catalog), []byte(">>")), widgetObj)

	xref := b.Len()
	b.WriteString("xref\n0 1\n0000000000 65535 f \n")
	for _, n := range []int{pageObj, r.root} {
		fmt.Fprintf(&b, "%d 1\n%010d 00000 n \n", n, offsets[n])
	}
	fmt.Fprintf(&b, "%d 3\n%010d 00000 n \n%010d 00000 n \n%010d 00000 n \n", sigObj, offsets[sigObj], offsets[widgetObj], offsets[apObj])
	b.WriteString("trailer\n<< ")
	fmt.Fprintf(&b, "/Size %d /Root %d 0 R ", r.size+3, r.root)
	if r.info != 0 {
		fmt.Fprintf(&b, "/Info %d 0 R ", r.info)
	}
	// The file identifier: an update keeps the first of the two and
	// changes the second (ISO 32000-1, 14.4), here to a digest of the
	// revision signed; PDF/A requires the last trailer to have one.
	if r.id != nil {
		fmt.Fprintf(&b, "/ID [%s <%x>] ", r.id, md5.Sum(pdf)) //nolint:gosec // an identifier, not a security digest
	}
	fmt.Fprintf(&b, "/Prev %d >>\nstartxref\n%d\n%%%%EOF\n", r.xref, xref)

	out := b.Bytes()
	br := fmt.Sprintf("[0 %d %d %d]", contentsAt, contentsEnd, len(out)-contentsEnd)
	if len(br) > len(brHole) {
		return nil, errors.New("signing pdf: document too large for the byte range")
	}
	copy(out[brAt:], br+string(bytes.Repeat([]byte(" "), len(brHole)-len(br))))

	h256 := sha256.New()
	h256.Write(out[:contentsAt])
	h256.Write(out[contentsEnd:])
	attrs, err := signedAttributes(h256.Sum(nil), o.Chain[0])
	if err != nil {
		return nil, fmt.Errorf("signing pdf: %w", err)
	}
	sig, err := o.Signer.SignBlob(ctx, attrs)
	if err != nil {
		return nil, fmt.Errorf("signing pdf: %w", err)
	}
	var token []byte
	if o.TSA != nil {
		if token, err = o.TSA.Timestamp(ctx, sig); err != nil {
			return nil, fmt.Errorf("signing pdf: time-stamping the signature: %w", err)
		}
	}
	cms, err := signedData(o.Chain, attrs, sig, token)
	if err != nil {
		return nil, fmt.Errorf("signing pdf: %w", err)
	}
	if 2*len(cms) > 2*reserve {
		return nil, fmt.Errorf("signing pdf: the signature (%d bytes) does not fit the %d reserved", len(cms), reserve)
	}
	hex.Encode(out[contentsAt+1:], cms)
	// A signature that does not verify is never handed on.
	if _, err := Verify(out); err != nil {
		return nil, fmt.Errorf("signing pdf: the signed document does not verify: %w", err)
	}
	return out, nil
}

var annotsRE = regexp.MustCompile(`/Annots\s*\[`)

// withAnnot adds an annotation reference to a page dictionary.
func withAnnot(page []byte, obj int) ([]byte, error) {
	ref := fmt.Sprintf("%d 0 R ", obj)
	if loc := annotsRE.FindIndex(page); loc != nil {
		return append(append(bytes.Clone(page[:loc[1]]), ref...), page[loc[1]:]...), nil
	}
	if bytes.Contains(page, []byte("/Annots")) {
		return nil, errors.New("annotations held in a separate object are not supported")
	}
	body := bytes.TrimSuffix(bytes.TrimSpace(page), []byte(">>"))
	return append(bytes.Clone(body), "\n/Annots ["+ref+"]>>"...), nil
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

func pdfDate(t time.Time) string {
	return "(D:" + t.UTC().Format("20060102150405") + "Z)"
}

// Signature is what Verify found.
type Signature struct {
	SubFilter string
	// Chain as embedded, signer first.
	Chain []*x509.Certificate
	// FirstRevision is the length of the document before the signature's
	// incremental update: pdf[:FirstRevision] is the document as rendered.
	FirstRevision int
	// Time is the claimed signing time (/M); zero when absent.
	Time time.Time
	// Token is the RFC 3161 time-stamp token over the signature value
	// (B-T), nil for B-B; Signature is that value.
	Token, SignatureValue []byte
	// Visible says the widget has an area on the page.
	Visible bool
}

var (
	acroFieldsRE = regexp.MustCompile(`/AcroForm\s*<<\s*/Fields\s*\[\s*(\d+)\s+0\s+R`)
	vRE          = regexp.MustCompile(`/V\s+(\d+)\s+0\s+R`)
	rectRE       = regexp.MustCompile(`/Rect\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]`)
	subFilterRE  = regexp.MustCompile(`/SubFilter\s*/([A-Za-z0-9.]+)`)
	byteRangeRE  = regexp.MustCompile(`/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]`)
	mRE          = regexp.MustCompile(`/M\s*\(D:(\d{14})`)
)

// ErrInvalid marks a signature that is absent, malformed or does not verify.
var ErrInvalid = errors.New("PAdES signature invalid")

func invalid(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, a...))
}

// Verify checks the PDF's signature: one signature field, a byte range
// covering the whole file but the signature itself, a CMS signature by the
// embedded signer certificate over exactly those bytes, the
// signing-certificate-v2 attribute naming that certificate, and nothing
// after the signature's own update. It does not decide whether to trust the
// certificate: the caller compares its key with the one it trusts.
func Verify(pdf []byte) (*Signature, error) {
	r, err := newReader(pdf)
	if err != nil {
		return nil, invalid("%v", err)
	}
	cat, err := r.dict(r.root)
	if err != nil {
		return nil, invalid("%v", err)
	}
	m := acroFieldsRE.FindSubmatch(cat)
	if m == nil {
		return nil, invalid("the document has no signature field")
	}
	fieldObj, _ := strconv.Atoi(string(m[1]))
	field, err := r.dict(fieldObj)
	if err != nil {
		return nil, invalid("%v", err)
	}
	mv := vRE.FindSubmatch(field)
	if mv == nil || !bytes.Contains(field, []byte("/FT /Sig")) {
		return nil, invalid("the form field is not a signed signature field")
	}
	sigObj, _ := strconv.Atoi(string(mv[1]))
	sd, err := r.dict(sigObj)
	if err != nil {
		return nil, invalid("%v", err)
	}
	s := &Signature{}
	if sf := subFilterRE.FindSubmatch(sd); sf != nil {
		s.SubFilter = string(sf[1])
	}
	if s.SubFilter != "ETSI.CAdES.detached" {
		return nil, invalid("sub-filter %q, want ETSI.CAdES.detached", s.SubFilter)
	}
	if rm := rectRE.FindSubmatch(field); rm != nil {
		x1, _ := strconv.ParseFloat(string(rm[1]), 64)
		y1, _ := strconv.ParseFloat(string(rm[2]), 64)
		x2, _ := strconv.ParseFloat(string(rm[3]), 64)
		y2, _ := strconv.ParseFloat(string(rm[4]), 64)
		s.Visible = x2-x1 > 1 && y2-y1 > 1
	}
	if mm := mRE.FindSubmatch(sd); mm != nil {
		s.Time, _ = time.Parse("20060102150405", string(mm[1]))
	}
	brm := byteRangeRE.FindSubmatch(sd)
	if brm == nil {
		return nil, invalid("no /ByteRange")
	}
	var br [4]int
	for i := range br {
		br[i], _ = strconv.Atoi(string(brm[i+1]))
	}
	switch {
	case br[0] != 0 || br[1] <= 0 || br[2] <= br[1] || br[2]+br[3] != len(pdf):
		return nil, invalid("byte range %v does not cover the whole document of %d bytes", br, len(pdf))
	case pdf[br[1]] != '<' || pdf[br[2]-1] != '>':
		return nil, invalid("byte range %v does not leave out exactly the signature", br)
	}
	hole := pdf[br[1]+1 : br[2]-1]
	raw := make([]byte, hex.DecodedLen(len(hole)))
	if _, err := hex.Decode(raw, hole); err != nil {
		return nil, invalid("/Contents is not hex")
	}
	// The CMS is followed by the zero padding of the hole.
	var der cryptobyte.String
	in := cryptobyte.String(raw)
	if !in.ReadASN1Element(&der, cbasn1.SEQUENCE) {
		return nil, invalid("/Contents holds no CMS structure")
	}
	p, err := parseCMS(der)
	if err != nil {
		return nil, invalid("%v", err)
	}
	var leaf *x509.Certificate
	for _, c := range p.certs {
		if c.SerialNumber.Cmp(p.serial) == 0 {
			leaf = c
			break
		}
	}
	if leaf == nil {
		return nil, invalid("the signer's certificate is not in the signature")
	}
	s.Chain = append([]*x509.Certificate{leaf}, without(p.certs, leaf)...)
	h := sha256.New()
	h.Write(pdf[:br[1]])
	h.Write(pdf[br[2]:])
	sum := h.Sum(nil)
	switch {
	case !p.contentType:
		return nil, invalid("no content-type attribute")
	case !bytes.Equal(p.messageDigest, sum):
		return nil, invalid("the document's digest is not the one signed: it was changed after signing")
	case p.certHash == nil:
		return nil, invalid("no signing-certificate-v2 attribute")
	case p.signingTime:
		return nil, invalid("a signing-time attribute (PAdES baseline uses /M instead)")
	case !p.sigAlg.Equal(oidECDSAWithSHA256):
		return nil, invalid("signature algorithm %v, want ecdsa-with-SHA256", p.sigAlg)
	}
	if ch := sha256.Sum256(leaf.Raw); !bytes.Equal(ch[:], p.certHash) {
		return nil, invalid("signing-certificate-v2 names another certificate")
	}
	pub, ok := leaf.PublicKey.(*ecdsa.PublicKey)
	if !ok {
		return nil, invalid("the signer's certificate has no ECDSA key")
	}
	ah := sha256.Sum256(p.signedAttrs)
	if !ecdsa.VerifyASN1(pub, ah[:], p.signature) {
		return nil, invalid("the CMS signature does not verify with the signer's certificate")
	}
	s.Token, s.SignatureValue = p.token, p.signature
	// The first revision ends where the signature's update begins: the
	// lowest offset among the objects of the last cross-reference section.
	first := len(pdf)
	for _, n := range []int{sigObj, fieldObj, r.root} {
		if off, ok := r.offsets[n]; ok && off < first {
			first = off
		}
	}
	if first > br[1] || !bytes.HasSuffix(pdf[:first], []byte("%%EOF\n")) {
		return nil, invalid("cannot find where the signature's update begins")
	}
	s.FirstRevision = first
	return s, nil
}

func without(cs []*x509.Certificate, c *x509.Certificate) []*x509.Certificate {
	var out []*x509.Certificate
	for _, x := range cs {
		if x != c {
			out = append(out, x)
		}
	}
	return out
}
