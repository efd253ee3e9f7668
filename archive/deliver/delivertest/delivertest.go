// Package delivertest starts the servers delivery tests talk to: a real
// mailpit (SMTP with TLS and a password, checked through its HTTP API).
package delivertest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/clearpack/clearpack/internal/testenv"
)

// The credentials mailpit accepts.
const (
	User     = "clearpack"
	Password = "s3cret-Pa55word-never-shown"
)

// FreePort returns a loopback address nobody listens on (now).
func FreePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// SelfSigned writes a certificate for 127.0.0.1 and its key; returns their paths.
func SelfSigned(t *testing.T, dir string) (cert, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kd, _ := x509.MarshalECPrivateKey(k)
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kd}), 0o600)
	return cert, key
}

// Mailpit is a running mailpit: SMTP and API addresses, and the CA file
// that signs its certificate.
type Mailpit struct {
	SMTP, API, CA string
}

// StartMailpit runs a real mailpit on loopback that requires TLS (STARTTLS,
// or implicit TLS when implicit) and User/Password, until the test ends.
func StartMailpit(t *testing.T, implicit bool) *Mailpit {
	t.Helper()
	exe := testenv.Tool(t, "mailpit")
	dir := t.TempDir()
	cert, key := SelfSigned(t, dir)
	hash, err := bcrypt.GenerateFromPassword([]byte(Password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	auth := filepath.Join(dir, "smtp-auth")
	os.WriteFile(auth, []byte(User+":"+string(hash)+"\n"), 0o600)
	m := &Mailpit{SMTP: FreePort(t), API: FreePort(t), CA: cert}
	args := []string{"--smtp", m.SMTP, "--listen", m.API, "--database", filepath.Join(dir, "mailpit.db"),
		"--smtp-tls-cert", cert, "--smtp-tls-key", key, "--smtp-auth-file", auth, "--smtp-disable-rdns", "--quiet"}
	if implicit {
		args = append(args, "--smtp-require-tls")
	} else {
		args = append(args, "--smtp-require-starttls")
	}
	cmd := exec.Command(exe, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for i := 0; ; i++ {
		resp, err := http.Get("http://" + m.API + "/api/v1/messages")
		if err == nil {
			resp.Body.Close()
			if c, err := net.Dial("tcp", m.SMTP); err == nil {
				c.Close()
				break
			}
		}
		if i == 100 {
			t.Fatalf("mailpit did not start: %s", out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return m
}

// Addr is an address as mailpit reports it.
type Addr struct{ Address string }

// Message is a received message as mailpit reports it.
type Message struct {
	ID, MessageID, Subject, Text string
	To                           []Addr
	Attachments                  []struct {
		PartID, FileName, ContentType string
		Size                          int
	}
}

// Get returns the body of an API path.
func (m *Mailpit) Get(t *testing.T, path string) []byte {
	t.Helper()
	resp, err := http.Get("http://" + m.API + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("mailpit %s: %d %s", path, resp.StatusCode, b)
	}
	return b
}

// Messages returns every message mailpit received, newest first, in full.
func (m *Mailpit) Messages(t *testing.T) []Message {
	t.Helper()
	var list struct{ Messages []struct{ ID string } }
	json.Unmarshal(m.Get(t, "/api/v1/messages"), &list)
	var out []Message
	for _, s := range list.Messages {
		var msg Message
		if err := json.Unmarshal(m.Get(t, "/api/v1/message/"+s.ID), &msg); err != nil {
			t.Fatal(err)
		}
		out = append(out, msg)
	}
	return out
}
