package pades

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"time"
)

// ErrCertificate marks a certificate that cannot sign: expired, not yet
// valid, not for signing documents, or not matching the signing key.
var ErrCertificate = errors.New("signing certificate unusable")

// ReadChainPEM reads certificates from a PEM file, the signer's first.
func ReadChainPEM(path string) ([]*x509.Certificate, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading certificate chain: %w", err)
	}
	var chain []*x509.Certificate
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("reading certificate chain %s: %w", path, err)
		}
		chain = append(chain, c)
	}
	if len(chain) == 0 {
		return nil, fmt.Errorf("reading certificate chain %s: no CERTIFICATE block", path)
	}
	return chain, nil
}

// Document-signing extended key usages accepted besides "any": RFC 9336
// id-kp-documentSigning, Adobe's Authentic Documents Trust, and e-mail
// protection (what many S/MIME-class signing certificates carry).
var (
	oidDocumentSigning = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 36}
	oidAdobeAuthentic  = asn1.ObjectIdentifier{1, 2, 840, 113583, 1, 1, 5}
)

// CheckChain refuses a chain whose signer certificate cannot sign documents
// with pub at time now. Each reason is named: the certificate's subject, its
// validity period, its usages.
func CheckChain(chain []*x509.Certificate, pub crypto.PublicKey, now time.Time) error {
	if len(chain) == 0 {
		return fmt.Errorf("%w: no certificate", ErrCertificate)
	}
	c := chain[0]
	who := c.Subject.String()
	type equaler interface{ Equal(crypto.PublicKey) bool }
	if k, ok := c.PublicKey.(equaler); !ok || !k.Equal(pub) {
		return fmt.Errorf("%w: certificate %q is for another key than the signing key", ErrCertificate, who)
	}
	switch {
	case now.Before(c.NotBefore):
		return fmt.Errorf("%w: certificate %q is not valid before %s", ErrCertificate, who, c.NotBefore.UTC().Format(time.RFC3339))
	case now.After(c.NotAfter):
		return fmt.Errorf("%w: certificate %q expired on %s", ErrCertificate, who, c.NotAfter.UTC().Format(time.RFC3339))
	case c.IsCA:
		return fmt.Errorf("%w: certificate %q is a CA certificate, not a signer's", ErrCertificate, who)
	case c.KeyUsage != 0 && c.KeyUsage&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) == 0:
		return fmt.Errorf("%w: certificate %q is not for digital signatures (key usage lacks digitalSignature and nonRepudiation)", ErrCertificate, who)
	}
	if len(c.ExtKeyUsage) > 0 || len(c.UnknownExtKeyUsage) > 0 {
		ok := false
		for _, u := range c.ExtKeyUsage {
			ok = ok || u == x509.ExtKeyUsageAny || u == x509.ExtKeyUsageEmailProtection
		}
		for _, u := range c.UnknownExtKeyUsage {
			ok = ok || u.Equal(oidDocumentSigning) || u.Equal(oidAdobeAuthentic)
		}
		if !ok {
			return fmt.Errorf("%w: certificate %q is not for signing documents (its extended key usage is for something else, e.g. TLS)", ErrCertificate, who)
		}
	}
	for i := 1; i < len(chain); i++ {
		if err := chain[i-1].CheckSignatureFrom(chain[i]); err != nil {
			return fmt.Errorf("%w: certificate %q is not issued by the next in the chain, %q: %v", ErrCertificate, chain[i-1].Subject, chain[i].Subject, err)
		}
	}
	return nil
}

// DevCA makes a development certificate authority (a fresh key, discarded)
// and a declarant certificate for the signer's key, valid from now for the
// given period. It returns the chain (declarant, CA) and the CA alone, in
// PEM. The CA says in its name that it is for development: production uses
// the company's own chain.
func DevCA(pub crypto.PublicKey, declarant string, now time.Time, valid time.Duration) (chainPEM, caPEM []byte, err error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial := func() *big.Int {
		n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
		return n.Add(n, big.NewInt(1))
	}
	ca := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "clearpack development CA (not for production)", Organization: []string{"clearpack development"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(valid + 24*time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, nil, fmt.Errorf("making the development CA: %w", err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	leaf := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: declarant, Organization: []string{"clearpack development"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(valid),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		UnknownExtKeyUsage:    []asn1.ObjectIdentifier{oidDocumentSigning},
		BasicConstraintsValid: true,
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, pub, caKey)
	if err != nil {
		return nil, nil, fmt.Errorf("making the declarant certificate: %w", err)
	}
	var chain, root bytes.Buffer
	_ = pem.Encode(&chain, &pem.Block{Type: "CERTIFICATE", Bytes: leafDER})
	_ = pem.Encode(&chain, &pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	_ = pem.Encode(&root, &pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	return chain.Bytes(), root.Bytes(), nil
}
