package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns
// their paths and a pool that trusts the certificate.
func selfSigned(t *testing.T, dir string) (certPath, keyPath string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "clearpack test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPath, keyPath = filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certPath, keyPath, pool
}

// serve with --tls-cert/--tls-key answers over HTTPS to a client that
// trusts the certificate, refuses plain HTTP and untrusting clients, and
// closes a kept-alive connection after --idle-timeout. A signing key
// every user can read is warned about in the log.
func TestServeTLSAndIdleTimeout(t *testing.T) {
	dir := t.TempDir()
	key, arch, in := filepath.Join(dir, "key.pem"), filepath.Join(dir, "archive"), filepath.Join(dir, "inbox")
	if code, _, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK {
		t.Fatal(errOut)
	}
	if err := os.Chmod(key, 0o644); err != nil {
		t.Fatal(err)
	}
	certPath, keyPath, pool := selfSigned(t, dir)
	base := []string{"serve", "--inbox", in, "--archive", arch, "--key", key, "--schedule", "inbox=@every 1h", "--listen", "127.0.0.1:0"}

	// Half a pair, or a certificate that is not one, stops serve at start.
	if code, _, errOut := clearpack(t, append(base, "--tls-cert", certPath)...); code != ExitUsage || !strings.Contains(errOut, "--tls-cert and --tls-key go together") {
		t.Errorf("--tls-cert alone: exit %d %s", code, errOut)
	}
	if code, _, errOut := clearpack(t, append(base, "--tls-cert", keyPath, "--tls-key", keyPath)...); code != ExitUsage || !strings.Contains(errOut, "--tls-cert "+keyPath) {
		t.Errorf("a key as certificate: exit %d %s", code, errOut)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuf
	exit := make(chan int, 1)
	go func() {
		exit <- Main(ctx, append(base, "--tls-cert", certPath, "--tls-key", keyPath, "--idle-timeout", "1s"), io.Discard, &logs)
	}()
	var addr string
	waitFor(t, "the HTTPS server", func() bool {
		if m := addrRE.FindStringSubmatch(logs.String()); m != nil {
			addr = m[1]
			return true
		}
		return false
	})
	if !strings.Contains(logs.String(), `"tls":true`) {
		t.Errorf("the start line does not say TLS:\n%s", logs.String())
	}
	if want := "signing key " + key + " is readable by every user of this machine (mode 0644): make it private with chmod 600 " + key; !strings.Contains(logs.String(), want) {
		t.Errorf("no warning about the world-readable key; want %q in:\n%s", want, logs.String())
	}

	tlsCfg := &tls.Config{RootCAs: pool}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsCfg}}
	resp, err := client.Get("https://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "ok\n" || resp.TLS == nil {
		t.Errorf("https /healthz: %d %q (TLS %v)", resp.StatusCode, body, resp.TLS != nil)
	}
	if _, err := http.Get("https://" + addr + "/healthz"); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("a client that does not trust the certificate: %v", err)
	}
	if code, _ := get("http://" + addr + "/healthz"); code != http.StatusBadRequest {
		t.Errorf("plain HTTP to the HTTPS port: status %d, want 400", code)
	}

	// A kept-alive connection left idle is closed by the server: the next
	// read ends (EOF or reset), well before this test's own deadline.
	conn, err := tls.Dial("tcp", addr, tlsCfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: "+addr+"\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	r, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, r.Body)
	r.Body.Close()
	if r.Close {
		t.Fatal("the server closed the connection after one request; it should keep it alive until idle")
	}
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	_, err = br.ReadByte()
	var ne net.Error
	if err == nil || errors.As(err, &ne) && ne.Timeout() {
		t.Errorf("idle connection still open after 30 s with --idle-timeout 1s: %v", err)
	}

	cancel()
	if code := <-exit; code != ExitOK {
		t.Errorf("serve: exit %d\n%s", code, logs.String())
	}
}

// keygen warns when the password file it reads can be read by every user.
func TestKeygenWarnsWorldReadablePassword(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte("correct horse\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := clearpack(t, "keygen", "--out", filepath.Join(dir, "k.pem"), "--password-file", pw)
	want := "clearpack: warning: password file " + pw + " is readable by every user of this machine (mode 0644)"
	if code != ExitOK || !strings.Contains(errOut, want) {
		t.Errorf("keygen: exit %d, stderr %q; want the warning %q", code, errOut, want)
	}
	if strings.Contains(errOut, "correct horse") {
		t.Error("the password is in the warning")
	}
	if err := os.Chmod(pw, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := clearpack(t, "keygen", "--out", filepath.Join(dir, "k2.pem"), "--password-file", pw); code != ExitOK || errOut != "" {
		t.Errorf("private password file: exit %d, stderr %q", code, errOut)
	}
}

// A named pipe given as the config file or in --rules-dir is refused at
// once (exit 2) instead of waited on.
func TestValidateRefusesFIFOConfigAndRules(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "clearpack.yaml")
	rulesDir := filepath.Join(dir, "rules")
	if err := os.Mkdir(rulesDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{fifo, filepath.Join(rulesDir, "VN.yaml")} {
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"validate", "--config", fifo}, fifo + ": not a file: found mode prw-------, expected a regular file"},
		{[]string{"validate", "--inventory", sampleInv, "--plan", samplePlan, "--rules-dir", rulesDir},
			filepath.Join(rulesDir, "VN.yaml") + ": not a file: found mode prw-------, expected a regular file"},
	} {
		done := make(chan struct{})
		var code int
		var errOut string
		go func() {
			defer close(done)
			code, _, errOut = clearpack(t, tc.args...)
		}()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("%v: still waiting on the named pipe after 30 s", tc.args)
		}
		if code != ExitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errOut, ExitUsage, tc.want)
		}
	}
}
