package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive/signing"
)

// A certificate that cannot sign stops the run before anything is signed or
// archived, with exit 5 and the cause named.
func TestSigningCertificateFaults(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	if code, out, errOut := clearpack(t, "keygen", "--out", key, "--declarant", "Tan Wei Ling"); code != ExitOK || !strings.Contains(out, "key.crt") {
		t.Fatalf("keygen: %d %s %s", code, out, errOut)
	}
	pubPEM, err := os.ReadFile(signing.PublicKeyPath(key))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := signing.ParsePublicKeyPEM(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	now := time.Now()
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test CA"}, NotBefore: now.Add(-48 * time.Hour),
		NotAfter: now.Add(48 * time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, _ := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	caCert, _ := x509.ParseCertificate(caDER)
	issue := func(t *testing.T, mod func(*x509.Certificate), forKey any) string {
		t.Helper()
		c := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Tan Wei Ling"}, NotBefore: now.Add(-time.Hour),
			NotAfter: now.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
		mod(c)
		der, err := x509.CreateCertificate(rand.Reader, c, caCert, forKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), "chain.pem")
		b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
		b = append(b, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})...)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for name, tc := range map[string]struct {
		mod  func(*x509.Certificate)
		key  any
		want string
	}{
		"expired":          {func(c *x509.Certificate) { c.NotAfter = now.Add(-time.Minute) }, pub, "expired on"},
		"not yet valid":    {func(c *x509.Certificate) { c.NotBefore = now.Add(time.Hour); c.NotAfter = now.Add(2 * time.Hour) }, pub, "is not valid before"},
		"wrong usage":      {func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth} }, pub, "not for signing documents"},
		"key not matching": {func(*x509.Certificate) {}, &other.PublicKey, "is for another key than the signing key"},
	} {
		t.Run(name, func(t *testing.T) {
			archiveDir := filepath.Join(t.TempDir(), "archive")
			code, _, errOut := clearpack(t, "run", "--inventory", sampleInv, "--plan", samplePlan,
				"--key", key, "--cert", issue(t, tc.mod, tc.key), "--archive", archiveDir)
			if code != ExitArchive || !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, `"CN=Tan Wei Ling"`) {
				t.Fatalf("exit %d, stderr %q; want exit %d naming %q", code, errOut, ExitArchive, tc.want)
			}
			if _, err := os.Stat(filepath.Join(archiveDir, "programs")); !os.IsNotExist(err) {
				t.Errorf("something was archived: %v", err)
			}
		})
	}
}
