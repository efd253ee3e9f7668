// Package tsatest starts sigstore's timestamp-server (make tools installs
// it into bin/) on loopback for tests, with an in-memory signing chain.
package tsatest

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/clearpack/clearpack/internal/testenv"
)

// Server is a running time-stamp authority.
type Server struct {
	// URL is the RFC 3161 endpoint.
	URL string
	// ChainPEM is the authority's certificate chain, RootPEM its root alone
	// (what an auditor trusts); Roots holds the root.
	ChainPEM, RootPEM []byte
	Roots             *x509.CertPool
	// ChainFile and RootFile hold ChainPEM and RootPEM.
	ChainFile, RootFile string
	cmd                 *exec.Cmd
	exited              chan struct{}
}

// Start starts a timestamp-server; it is stopped when the test ends.
// Without the binary the test is skipped, or failed in CI.
//
// timestamp-server always serves its metrics on :2112, so only one runs on
// a machine at a time: Start waits (up to two minutes) for another test's
// server to end.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := testenv.Tool(t, "timestamp-server")
	dir := t.TempDir()
	deadline := time.Now().Add(2 * time.Minute)
	for attempt := 0; ; attempt++ {
		s, log, err := start(bin, dir, attempt)
		if err == nil {
			t.Cleanup(s.Stop)
			s.setChain(t, dir)
			return s
		}
		if !bytes.Contains(log, []byte("address already in use")) || time.Now().After(deadline) {
			t.Fatalf("timestamp-server did not start: %v\n%s", err, log)
		}
		time.Sleep(time.Second)
	}
}

// start runs one server and waits until it answers or exits.
func start(bin, dir string, attempt int) (*Server, []byte, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	logPath := filepath.Join(dir, fmt.Sprintf("timestamp-server-%d.log", attempt))
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, nil, err
	}
	defer logf.Close()
	cmd := exec.Command(bin, "serve", "--host", "127.0.0.1", "--port", strconv.Itoa(port),
		"--timestamp-signer", "memory", "--include-chain-in-response", "--disable-ntp-monitoring")
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	exited := make(chan struct{})
	s := &Server{URL: fmt.Sprintf("http://127.0.0.1:%d/api/v1/timestamp", port), cmd: cmd, exited: exited}
	go func() { cmd.Wait(); close(exited) }()
	until := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-exited:
			log, _ := os.ReadFile(logPath)
			return nil, log, fmt.Errorf("exited")
		default:
		}
		resp, err := http.Get(s.URL + "/certchain")
		if err == nil {
			s.ChainPEM, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil, nil
			}
		}
		if time.Now().After(until) {
			s.Stop()
			log, _ := os.ReadFile(logPath)
			return nil, log, fmt.Errorf("no answer on %s: %v", s.URL, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *Server) setChain(t testing.TB, dir string) {
	t.Helper()
	var last []byte
	for rest := s.ChainPEM; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		last = b.Bytes
	}
	root, err := x509.ParseCertificate(last)
	if err != nil {
		t.Fatalf("timestamp-server certificate chain: %v", err)
	}
	s.Roots = x509.NewCertPool()
	s.Roots.AddCert(root)
	s.RootPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: root.Raw})
	s.ChainFile, s.RootFile = filepath.Join(dir, "tsa-chain.pem"), filepath.Join(dir, "tsa-root.pem")
	if err := os.WriteFile(s.ChainFile, s.ChainPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.RootFile, bytes.TrimSpace(s.RootPEM), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Stop stops the server (a TSA that is down) and waits until it is gone.
func (s *Server) Stop() {
	select {
	case <-s.exited:
	default:
		s.cmd.Process.Kill()
		<-s.exited
	}
}
