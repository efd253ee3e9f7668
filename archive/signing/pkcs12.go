package signing

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"

	"software.sslmate.com/src/go-pkcs12"
)

// isPKCS12 says whether a key file is a PKCS#12 bundle (.p12, .pfx): the
// private key with its certificate chain, as certificate authorities issue
// document-signing certificates.
func isPKCS12(path string) bool {
	p := strings.ToLower(path)
	return strings.HasSuffix(p, ".p12") || strings.HasSuffix(p, ".pfx")
}

// readPKCS12 reads the key and the certificate chain (signer first) of a
// PKCS#12 file. Its password comes from the same place as a PEM key's.
func readPKCS12(path string, pw []byte) (crypto.PrivateKey, []*x509.Certificate, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	key, cert, cas, err := pkcs12.DecodeChain(b, string(pw))
	if errors.Is(err, pkcs12.ErrIncorrectPassword) {
		if pw == nil {
			return nil, nil, fmt.Errorf("%w: %s is encrypted: give its password through an environment variable or a password file", ErrPassword, path)
		}
		return nil, nil, fmt.Errorf("%w: cannot decrypt %s", ErrPassword, path)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("parsing PKCS#12 %s: %w", path, err)
	}
	return key, append([]*x509.Certificate{cert}, cas...), nil
}

// Chain is the certificate chain that came with the key (a PKCS#12 file),
// signer first; nil for other keys.
func (s *Signer) Chain() []*x509.Certificate { return s.chain }
