package pades

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"sort"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// CMS (RFC 5652) SignedData as PAdES baseline wants it (ETSI EN 319 142-1):
// detached content, SHA-256, signed attributes content-type, message-digest
// and signing-certificate-v2, no signing-time attribute (the claimed time is
// the signature dictionary's /M), and for B-T a signature time-stamp as an
// unsigned attribute.
var (
	oidData            = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidSHA256          = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidECDSAWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidContentType     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSigningCertV2   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
	oidTimeStampToken  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 14}
)

func attribute(oid asn1.ObjectIdentifier, value func(*cryptobyte.Builder)) ([]byte, error) {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(oid)
		b.AddASN1(cbasn1.SET, value)
	})
	return b.Bytes()
}

// signedAttributes returns the DER of the signed attributes as a SET (what
// is signed) for a document digest and the signer's certificate.
func signedAttributes(digest []byte, cert *x509.Certificate) ([]byte, error) {
	certHash := sha256.Sum256(cert.Raw)
	var attrs [][]byte
	for _, a := range []struct {
		oid asn1.ObjectIdentifier
		v   func(*cryptobyte.Builder)
	}{
		{oidContentType, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oidData) }},
		{oidMessageDigest, func(b *cryptobyte.Builder) { b.AddASN1OctetString(digest) }},
		{oidSigningCertV2, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SigningCertificateV2
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // certs
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // ESSCertIDv2, SHA-256 by default
						b.AddASN1OctetString(certHash[:])
					})
				})
			})
		}},
	} {
		der, err := attribute(a.oid, a.v)
		if err != nil {
			return nil, err
		}
		attrs = append(attrs, der)
	}
	// DER orders the members of a SET OF by their encodings.
	sort.Slice(attrs, func(i, j int) bool { return bytes.Compare(attrs[i], attrs[j]) < 0 })
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
		for _, a := range attrs {
			b.AddBytes(a)
		}
	})
	return b.Bytes()
}

func algorithm(b *cryptobyte.Builder, oid asn1.ObjectIdentifier) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oid) })
}

// signedData assembles the ContentInfo. signedAttrs is the SET from
// signedAttributes; sig the DER ECDSA signature over it; token an optional
// RFC 3161 time-stamp token over sig.
func signedData(chain []*x509.Certificate, signedAttrs, sig, token []byte) ([]byte, error) {
	leaf := chain[0]
	var attrsContent cryptobyte.String
	s := cryptobyte.String(signedAttrs)
	if !s.ReadASN1(&attrsContent, cbasn1.SET) {
		return nil, errors.New("building CMS: bad signed attributes")
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // ContentInfo
		b.AddASN1ObjectIdentifier(oidSignedData)
		b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SignedData
				b.AddASN1Int64(1)
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { algorithm(b, oidSHA256) })
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oidData) })
				b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
					for _, c := range chain {
						b.AddBytes(c.Raw)
					}
				})
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SignerInfo
						b.AddASN1Int64(1)
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // IssuerAndSerialNumber
							b.AddBytes(leaf.RawIssuer)
							b.AddASN1BigInt(leaf.SerialNumber)
						})
						algorithm(b, oidSHA256)
						b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
							b.AddBytes(attrsContent)
						})
						algorithm(b, oidECDSAWithSHA256)
						b.AddASN1OctetString(sig)
						if token != nil {
							b.AddASN1(cbasn1.Tag(1).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
								b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
									b.AddASN1ObjectIdentifier(oidTimeStampToken)
									b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { b.AddBytes(token) })
								})
							})
						}
					})
				})
			})
		})
	})
	return b.Bytes()
}

// parsedCMS is what verification needs of a SignedData.
type parsedCMS struct {
	certs         []*x509.Certificate
	serial        *big.Int
	signedAttrs   []byte // re-encoded as a SET: the bytes that were signed
	messageDigest []byte
	certHash      []byte // from signing-certificate-v2
	contentType   bool
	signingTime   bool // a signing-time attribute (PAdES baseline forbids it)
	signature     []byte
	sigAlg        asn1.ObjectIdentifier
	token         []byte // RFC 3161 time-stamp token, if any
}

var errCMS = errors.New("malformed CMS signature")

func parseCMS(der []byte) (*parsedCMS, error) {
	p := &parsedCMS{}
	in := cryptobyte.String(der)
	var ci, sd cryptobyte.String
	var ctype asn1.ObjectIdentifier
	if !in.ReadASN1(&ci, cbasn1.SEQUENCE) || !ci.ReadASN1ObjectIdentifier(&ctype) || !ctype.Equal(oidSignedData) ||
		!ci.ReadASN1(&sd, cbasn1.Tag(0).Constructed().ContextSpecific()) || !sd.ReadASN1(&sd, cbasn1.SEQUENCE) {
		return nil, fmt.Errorf("%w: not a SignedData", errCMS)
	}
	var version int64
	var algs, encap cryptobyte.String
	if !sd.ReadASN1Integer(&version) || !sd.ReadASN1(&algs, cbasn1.SET) || !sd.ReadASN1(&encap, cbasn1.SEQUENCE) {
		return nil, fmt.Errorf("%w: SignedData header", errCMS)
	}
	var econtent asn1.ObjectIdentifier
	if !encap.ReadASN1ObjectIdentifier(&econtent) || !econtent.Equal(oidData) || !encap.Empty() {
		return nil, fmt.Errorf("%w: content is not detached data", errCMS)
	}
	var certs cryptobyte.String
	var hasCerts bool
	if !sd.ReadOptionalASN1(&certs, &hasCerts, cbasn1.Tag(0).Constructed().ContextSpecific()) {
		return nil, fmt.Errorf("%w: certificates", errCMS)
	}
	for !certs.Empty() {
		var c cryptobyte.String
		if !certs.ReadASN1Element(&c, cbasn1.SEQUENCE) {
			return nil, fmt.Errorf("%w: certificate", errCMS)
		}
		cert, err := x509.ParseCertificate(c)
		if err != nil {
			return nil, fmt.Errorf("%w: certificate: %v", errCMS, err)
		}
		p.certs = append(p.certs, cert)
	}
	var skip cryptobyte.String
	var present bool
	if !sd.ReadOptionalASN1(&skip, &present, cbasn1.Tag(1).Constructed().ContextSpecific()) { // crls
		return nil, fmt.Errorf("%w: crls", errCMS)
	}
	var infos, si cryptobyte.String
	if !sd.ReadASN1(&infos, cbasn1.SET) || !infos.ReadASN1(&si, cbasn1.SEQUENCE) || !infos.Empty() {
		return nil, fmt.Errorf("%w: want exactly one SignerInfo", errCMS)
	}
	var sid, dalg, attrs cryptobyte.String
	var oid2 asn1.ObjectIdentifier
	p.serial = new(big.Int)
	if !si.ReadASN1Integer(&version) || !si.ReadASN1(&sid, cbasn1.SEQUENCE) || !sid.SkipASN1(cbasn1.SEQUENCE) ||
		!sid.ReadASN1Integer(p.serial) || !si.ReadASN1(&dalg, cbasn1.SEQUENCE) || !dalg.ReadASN1ObjectIdentifier(&oid2) {
		return nil, fmt.Errorf("%w: SignerInfo identifier", errCMS)
	}
	if !oid2.Equal(oidSHA256) {
		return nil, fmt.Errorf("%w: digest algorithm %v, want SHA-256", errCMS, oid2)
	}
	if !si.ReadASN1(&attrs, cbasn1.Tag(0).Constructed().ContextSpecific()) {
		return nil, fmt.Errorf("%w: no signed attributes", errCMS)
	}
	var set cryptobyte.Builder
	set.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { b.AddBytes(attrs) })
	p.signedAttrs, _ = set.Bytes()
	for !attrs.Empty() {
		var a, vals cryptobyte.String
		var typ asn1.ObjectIdentifier
		if !attrs.ReadASN1(&a, cbasn1.SEQUENCE) || !a.ReadASN1ObjectIdentifier(&typ) || !a.ReadASN1(&vals, cbasn1.SET) {
			return nil, fmt.Errorf("%w: signed attribute", errCMS)
		}
		switch {
		case typ.Equal(oidContentType):
			p.contentType = true
		case typ.Equal(oidMessageDigest):
			var d cryptobyte.String
			if !vals.ReadASN1(&d, cbasn1.OCTET_STRING) {
				return nil, fmt.Errorf("%w: message digest", errCMS)
			}
			p.messageDigest = d
		case typ.Equal(oidSigningCertV2):
			var s1, s2, id, h cryptobyte.String
			if !vals.ReadASN1(&s1, cbasn1.SEQUENCE) || !s1.ReadASN1(&s2, cbasn1.SEQUENCE) ||
				!s2.ReadASN1(&id, cbasn1.SEQUENCE) || !id.ReadASN1(&h, cbasn1.OCTET_STRING) {
				return nil, fmt.Errorf("%w: signing-certificate-v2", errCMS)
			}
			p.certHash = h
		case typ.Equal(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}):
			p.signingTime = true
		}
	}
	var salg, sig cryptobyte.String
	if !si.ReadASN1(&salg, cbasn1.SEQUENCE) || !salg.ReadASN1ObjectIdentifier(&p.sigAlg) || !si.ReadASN1(&sig, cbasn1.OCTET_STRING) {
		return nil, fmt.Errorf("%w: signature", errCMS)
	}
	p.signature = sig
	var unsigned cryptobyte.String
	if !si.ReadOptionalASN1(&unsigned, &present, cbasn1.Tag(1).Constructed().ContextSpecific()) {
		return nil, fmt.Errorf("%w: unsigned attributes", errCMS)
	}
	for !unsigned.Empty() {
		var a, vals cryptobyte.String
		var typ asn1.ObjectIdentifier
		if !unsigned.ReadASN1(&a, cbasn1.SEQUENCE) || !a.ReadASN1ObjectIdentifier(&typ) || !a.ReadASN1(&vals, cbasn1.SET) {
			return nil, fmt.Errorf("%w: unsigned attribute", errCMS)
		}
		if typ.Equal(oidTimeStampToken) {
			var tok cryptobyte.String
			if !vals.ReadASN1Element(&tok, cbasn1.SEQUENCE) {
				return nil, fmt.Errorf("%w: time-stamp token", errCMS)
			}
			p.token = tok
		}
	}
	return p, nil
}
