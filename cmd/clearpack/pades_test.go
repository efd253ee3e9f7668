package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive/pades"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/archive/tsa/tsatest"
	"github.com/clearpack/clearpack/internal/testenv"
	"software.sslmate.com/src/go-pkcs12"
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

// With --tsa, a real time-stamp authority on loopback vouches for every
// manifest, checkpoint and embedded signature; verify --tsa-cert checks
// them, and so do AUDITOR.md's openssl commands. A TSA that is down or
// answers garbage stops the run with exit 5 before anything is archived.
func TestTimestampedRun(t *testing.T) {
	srv := tsatest.Start(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	if code, _, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK {
		t.Fatalf("keygen: %d %s", code, errOut)
	}
	garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("not a time-stamp")) }))
	defer garbage.Close()
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	down := "http://" + l.Addr().String() + "/api/v1/timestamp"
	l.Close()
	for name, tc := range map[string]struct{ url, want string }{
		"down":    {down, "connection refused"},
		"garbage": {garbage.URL, "not a valid time-stamp response"},
	} {
		t.Run("TSA "+name, func(t *testing.T) {
			archiveDir := filepath.Join(t.TempDir(), "archive")
			code, _, errOut := clearpack(t, "run", "--inventory", sampleInv, "--plan", samplePlan, "--key", key, "--tsa", tc.url, "--archive", archiveDir)
			if code != ExitArchive || !strings.Contains(errOut, "time-stamp authority unusable") || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d naming %q", code, errOut, ExitArchive, tc.want)
			}
			if _, err := os.Stat(filepath.Join(archiveDir, "programs")); !os.IsNotExist(err) {
				t.Errorf("something was archived: %v", err)
			}
		})
	}

	archiveDir := filepath.Join(dir, "archive")
	code, _, errOut := clearpack(t, "run", "--inventory", sampleInv, "--plan", samplePlan, "--clearances", sampleClear,
		"--key", key, "--tsa", srv.URL, "--archive", archiveDir)
	if code != ExitPartial {
		t.Fatalf("run --tsa: exit %d\n%s", code, errOut)
	}
	code, out, errOut := clearpack(t, "verify", "--archive", archiveDir, "--pub", signing.PublicKeyPath(key), "--tsa-cert", srv.RootFile)
	if code != ExitOK {
		t.Fatalf("verify --tsa-cert: exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"manifest existed at", "(trusted time-stamp authority)", "checkpoint of size", "embedded PAdES B-T, time-stamped"} {
		if !strings.Contains(out, want) {
			t.Errorf("verify output lacks %q", want)
		}
	}
	// Trusting another authority: every time-stamp is refused.
	other := filepath.Join(dir, "other-root.pem")
	if err := os.WriteFile(other, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: otherTSARoot(t).Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := clearpack(t, "verify", "--archive", archiveDir, "--pub", signing.PublicKeyPath(key), "--tsa-cert", other); code != ExitVerify || !strings.Contains(out, "not trusted") {
		t.Errorf("verify trusting another TSA: exit %d\n%s", code, out)
	}

	// AUDITOR.md section 4, as written.
	doc, err := os.ReadFile("../../archive/verify/AUDITOR.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) != 6 {
		t.Fatalf("AUDITOR.md has %d sh blocks, want 6", len(blocks))
	}
	packs, _ := filepath.Glob(filepath.Join(archiveDir, "programs", "*", "shipments", "APL26-BR-01", "v0001"))
	if len(packs) != 1 {
		t.Fatalf("no APL26-BR-01 pack: %v", packs)
	}
	runBlock := func() (string, error) {
		cmd := exec.Command("bash", "-c", blocks[3][1])
		cmd.Env = append(os.Environ(), "PACK="+packs[0], "ARCHIVE="+archiveDir, "TSA_ROOT="+srv.RootFile, "TSA_CHAIN="+srv.ChainFile)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := runBlock(); err != nil || strings.Count(out, "Verification: OK") < 2 || !strings.Contains(out, "Time stamp:") {
		t.Fatalf("AUDITOR.md block 4: %v\n%s", err, out)
	}
	m := filepath.Join(packs[0], "manifest.intoto.json")
	b, _ := os.ReadFile(m)
	os.Chmod(m, 0o644)
	if err := os.WriteFile(m, append(b, ' '), 0o444); err != nil {
		t.Fatal(err)
	}
	if out, err := runBlock(); err == nil {
		t.Errorf("AUDITOR.md block 4 passes with the manifest changed:\n%s", out)
	}
}

func otherTSARoot(t *testing.T) *x509.Certificate {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(9), Subject: pkix.Name{CommonName: "Another TSA"}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return c
}

// A company's PKCS#12 (key and certificate chain, password-protected):
// every document is signed inside with its certificate; a wrong password
// exits 5 without showing it.
func TestPKCS12Key(t *testing.T) {
	pdfsig := testenv.Tool(t, "pdfsig")
	dir := t.TempDir()
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	chainPEM, _, err := pades.DevCA(&k.PublicKey, "Rebecca Alvarez", time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var chain []*x509.Certificate
	for rest := chainPEM; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		c, _ := x509.ParseCertificate(b.Bytes)
		chain = append(chain, c)
	}
	const secret = "correct horse battery staple"
	p12, err := pkcs12.Modern.Encode(k, chain[0], chain[1:], secret)
	if err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, "company.p12")
	if err := os.WriteFile(key, p12, 0o600); err != nil {
		t.Fatal(err)
	}
	archiveDir := filepath.Join(dir, "archive")
	t.Setenv("CLEARPACK_KEY_PASSWORD", "wrong password")
	code, out, errOut := clearpack(t, "run", "--inventory", sampleInv, "--plan", samplePlan, "--key", key, "--archive", archiveDir)
	if code != ExitArchive || !strings.Contains(errOut, "cannot decrypt") || strings.Contains(out+errOut, "wrong password") {
		t.Fatalf("wrong password: exit %d\n%s", code, errOut)
	}
	t.Setenv("CLEARPACK_KEY_PASSWORD", secret)
	code, _, errOut = clearpack(t, "run", "--inventory", sampleInv, "--plan", samplePlan, "--key", key, "--archive", archiveDir)
	if code != ExitPartial || strings.Contains(errOut, secret) {
		t.Fatalf("run with a PKCS#12 key: exit %d\n%s", code, errOut)
	}
	docs, _ := filepath.Glob(filepath.Join(archiveDir, "programs", "*", "shipments", "APL26-BR-01", "v0001", "*.pdf"))
	if len(docs) == 0 {
		t.Fatal("no documents")
	}
	got, err := exec.Command(pdfsig, "-nocert", docs[0]).CombinedOutput()
	if err != nil || !strings.Contains(string(got), "Signer Certificate Common Name: Rebecca Alvarez") || !strings.Contains(string(got), "Signature is Valid.") {
		t.Fatalf("pdfsig %s: %v\n%s", docs[0], err, got)
	}
}
