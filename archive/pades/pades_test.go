package pades

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type keySigner struct{ k *ecdsa.PrivateKey }

func (s keySigner) SignBlob(_ context.Context, data []byte) ([]byte, error) {
	h := sha256.Sum256(data)
	return ecdsa.SignASN1(rand.Reader, s.k, h[:])
}

func devChain(t *testing.T, k *ecdsa.PrivateKey) []*x509.Certificate {
	t.Helper()
	chainPEM, _, err := DevCA(&k.PublicKey, "Tan Wei Ling", time.Now(), 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "chain.pem")
	if err := os.WriteFile(p, chainPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	chain, err := ReadChainPEM(p)
	if err != nil {
		t.Fatal(err)
	}
	return chain
}

func signed(t *testing.T) (orig, out []byte, k *ecdsa.PrivateKey) {
	t.Helper()
	orig, err := os.ReadFile("testdata/invoice.pdf")
	if err != nil {
		t.Fatal(err)
	}
	k, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	chain := devChain(t, k)
	out, err = Sign(context.Background(), orig, Options{
		Chain: chain, Signer: keySigner{k},
		Box:  &Box{Page: 1, LLX: 400, LLY: 300, URX: 560, URY: 340},
		Name: "Tan Wei Ling", Reason: "Commercial invoice: declared true and correct", Location: "São Paulo",
		Time: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	return orig, out, k
}

func TestSignKeepsFirstRevisionAndVerifies(t *testing.T) {
	orig, out, k := signed(t)
	if !bytes.HasPrefix(out, orig) {
		t.Fatal("the signed file does not start with the document as rendered")
	}
	s, err := Verify(out)
	if err != nil {
		t.Fatal(err)
	}
	if s.FirstRevision != len(orig) {
		t.Errorf("first revision is %d bytes, want %d", s.FirstRevision, len(orig))
	}
	if !s.Chain[0].PublicKey.(*ecdsa.PublicKey).Equal(&k.PublicKey) || !s.Visible || s.SubFilter != "ETSI.CAdES.detached" {
		t.Errorf("signature: key match %v, visible %v, sub-filter %s", s.Chain[0].PublicKey.(*ecdsa.PublicKey).Equal(&k.PublicKey), s.Visible, s.SubFilter)
	}
	if s.Token != nil {
		t.Error("a B-B signature carries a time-stamp token")
	}
}

func TestVerifyRefusesChanges(t *testing.T) {
	_, out, _ := signed(t)
	for name, mutate := range map[string]func([]byte) []byte{
		"a byte of the first revision": func(b []byte) []byte {
			i := bytes.Index(b, []byte("/Type /Catalog"))
			b[i+1] = 'X'
			return b
		},
		"appended update": func(b []byte) []byte { return append(b, "1 0 obj\n<< >>\nendobj\n"...) },
		"signature value": func(b []byte) []byte {
			i := bytes.Index(b, []byte("/Contents <")) + len("/Contents <") + 200
			if b[i] == 'a' {
				b[i] = 'b'
			} else {
				b[i] = 'a'
			}
			return b
		},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Verify(mutate(bytes.Clone(out)))
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Verify = %v, want ErrInvalid", err)
			}
		})
	}
}

// pdfsig (poppler) is what an officer's viewer-side check looks like.
func TestPdfsigValidates(t *testing.T) {
	if _, err := exec.LookPath("pdfsig"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdfsig (poppler-utils) is missing")
		}
		t.Skip("pdfsig not installed")
	}
	_, out, _ := signed(t)
	p := filepath.Join(t.TempDir(), "signed.pdf")
	if err := os.WriteFile(p, out, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := exec.Command("pdfsig", "-nocert", p).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfsig: %v\n%s", err, got)
	}
	for _, want := range []string{"Signature Type: ETSI.CAdES.detached", "Signature Validation: Signature is Valid.", "Total document signed", "Signer Certificate Common Name: Tan Wei Ling"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("pdfsig output lacks %q:\n%s", want, got)
		}
	}
	if q, err := exec.LookPath("qpdf"); err == nil {
		if out, err := exec.Command(q, "--check", p).CombinedOutput(); err != nil {
			t.Errorf("qpdf --check: %v\n%s", err, out)
		}
	}
}

func TestCheckChainFaults(t *testing.T) {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	now := time.Now()
	good := devChain(t, k)
	if err := CheckChain(good, &k.PublicKey, now); err != nil {
		t.Fatalf("a good chain is refused: %v", err)
	}
	self := func(mod func(*x509.Certificate)) []*x509.Certificate {
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Declarant"},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
		mod(tmpl)
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := x509.ParseCertificate(der)
		return []*x509.Certificate{c}
	}
	for name, tc := range map[string]struct {
		chain []*x509.Certificate
		want  string
	}{
		"expired":       {self(func(c *x509.Certificate) { c.NotAfter = now.Add(-time.Minute) }), "expired on"},
		"not yet valid": {self(func(c *x509.Certificate) { c.NotBefore = now.Add(time.Hour) }), "is not valid before"},
		"TLS only":      {self(func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth} }), "not for signing documents"},
		"cert signing":  {self(func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageCertSign }), "not for digital signatures"},
	} {
		t.Run(name, func(t *testing.T) {
			err := CheckChain(tc.chain, &k.PublicKey, now)
			if !errors.Is(err, ErrCertificate) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("CheckChain = %v, want %q", err, tc.want)
			}
		})
	}
	t.Run("other key", func(t *testing.T) {
		err := CheckChain(good, &other.PublicKey, now)
		if !errors.Is(err, ErrCertificate) || !strings.Contains(err.Error(), "another key") {
			t.Fatalf("CheckChain = %v", err)
		}
	})
}

func BenchmarkSign(b *testing.B) {
	orig, err := os.ReadFile("testdata/invoice.pdf")
	if err != nil {
		b.Fatal(err)
	}
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	chainPEM, _, _ := DevCA(&k.PublicKey, "Bench", time.Now(), time.Hour)
	p := filepath.Join(b.TempDir(), "chain.pem")
	os.WriteFile(p, chainPEM, 0o600)
	chain, _ := ReadChainPEM(p)
	o := Options{Chain: chain, Signer: keySigner{k}, Box: &Box{Page: 1, LLX: 400, LLY: 300, URX: 560, URY: 340}, Time: time.Now()}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Sign(context.Background(), orig, o); err != nil {
			b.Fatal(err)
		}
	}
}
