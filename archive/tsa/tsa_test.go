package tsa_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive/tsa"
	"github.com/clearpack/clearpack/archive/tsa/tsatest"
	"github.com/clearpack/clearpack/internal/testenv"
)

// A real time-stamp authority on loopback: its response verifies with this
// package and with openssl, for the data stamped and no other.
func TestStampAndVerify(t *testing.T) {
	srv := tsatest.Start(t)
	data := []byte("manifest bytes")
	c := &tsa.Client{URL: srv.URL}
	tsr, token, err := c.Stamp(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	at, err := tsa.VerifyResponse(tsr, data, srv.Roots)
	if err != nil || time.Since(at) > time.Minute {
		t.Fatalf("VerifyResponse: %v at %v", err, at)
	}
	if _, err := tsa.VerifyToken(token, data, srv.Roots); err != nil {
		t.Fatalf("VerifyToken: %v", err)
	}
	if _, err := tsa.VerifyResponse(tsr, []byte("other bytes"), srv.Roots); !errors.Is(err, tsa.ErrInvalid) {
		t.Errorf("a time-stamp verifies for other data: %v", err)
	}
	if _, err := tsa.VerifyResponse(tsr, data, otherRoot(t)); !errors.Is(err, tsa.ErrInvalid) || !strings.Contains(err.Error(), "not trusted") {
		t.Errorf("a time-stamp verifies under another authority: %v", err)
	}

	openssl := testenv.Tool(t, "openssl")
	dir := t.TempDir()
	for name, b := range map[string][]byte{"data": data, "data.tsr": tsr, "other": []byte("x")} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	verify := func(file string) (string, error) {
		out, err := exec.Command(openssl, "ts", "-verify", "-data", filepath.Join(dir, file), "-in", filepath.Join(dir, "data.tsr"),
			"-CAfile", srv.RootFile, "-untrusted", srv.ChainFile).CombinedOutput()
		return string(out), err
	}
	if out, err := verify("data"); err != nil || !strings.Contains(out, "Verification: OK") {
		t.Errorf("openssl ts -verify: %v\n%s", err, out)
	}
	if out, err := verify("other"); err == nil {
		t.Errorf("openssl ts -verify passes for other data:\n%s", out)
	}
}

// A TSA that is down, answers an HTTP error or garbage, or stamps other
// data: an error naming the TSA and the cause, never a token.
func TestUnusableAuthority(t *testing.T) {
	srv := tsatest.Start(t)
	down := srv.URL
	srv.Stop()
	garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("<html>hello</html>")) }))
	defer garbage.Close()
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "no", http.StatusServiceUnavailable) }))
	defer failing.Close()
	for name, tc := range map[string]struct{ url, want string }{
		"down":       {down, "connection refused"},
		"garbage":    {garbage.URL, "not a valid time-stamp response"},
		"HTTP error": {failing.URL, "answered HTTP 503"},
	} {
		t.Run(name, func(t *testing.T) {
			_, tok, err := (&tsa.Client{URL: tc.url}).Stamp(context.Background(), []byte("x"))
			if !errors.Is(err, tsa.ErrUnavailable) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.url) || tok != nil {
				t.Fatalf("Stamp = %v, want ErrUnavailable naming %s and %q", err, tc.url, tc.want)
			}
		})
	}
}

func otherRoot(t *testing.T) *x509.CertPool {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Another TSA root"}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	p := x509.NewCertPool()
	p.AddCert(c)
	return p
}
