package delivertest

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/clearpack/clearpack/internal/testenv"
)

// SSHD is a running OpenSSH server on loopback that accepts one client key.
type SSHD struct {
	Addr string // 127.0.0.1:port
	User string // the account the client logs in as (the test's own)
	// KeyFile is the client's private key; KnownHosts a known_hosts file
	// listing the server's host key.
	KeyFile, KnownHosts string
}

func writeKey(t *testing.T, path string) ssh.PublicKey {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	sp, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// StartSSHD runs Debian's sshd (openssh-server) on loopback with OpenSSH's
// sftp-server as its sftp subsystem, for the test's user and a fresh key.
// sshd needs root (privilege separation); without it the test is skipped,
// or failed in CI.
func StartSSHD(t *testing.T) *SSHD {
	t.Helper()
	exe := testenv.Tool(t, "/usr/sbin/sshd")
	server := testenv.Tool(t, "/usr/lib/openssh/sftp-server")
	if os.Geteuid() != 0 {
		testenv.Missing(t, "sshd needs root to run (privilege separation)")
	}
	if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
		testenv.Missing(t, "sshd's /run/sshd: %v", err)
	}
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	hostPub := writeKey(t, filepath.Join(dir, "host_key"))
	clientPub := writeKey(t, filepath.Join(dir, "client_key"))
	os.WriteFile(filepath.Join(dir, "authorized_keys"), ssh.MarshalAuthorizedKey(clientPub), 0o600)
	addr := FreePort(t)
	host, port, _ := net.SplitHostPort(addr)
	cfg := strings.Join([]string{
		"Port " + port, "ListenAddress " + host,
		"HostKey " + filepath.Join(dir, "host_key"),
		"AuthorizedKeysFile " + filepath.Join(dir, "authorized_keys"),
		"StrictModes no", "UsePAM no", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
		"PermitRootLogin prohibit-password", "PidFile " + filepath.Join(dir, "sshd.pid"),
		"Subsystem sftp " + server, "",
	}, "\n")
	os.WriteFile(filepath.Join(dir, "sshd_config"), []byte(cfg), 0o600)
	kh := filepath.Join(dir, "known_hosts")
	os.WriteFile(kh, []byte(fmt.Sprintf("[%s]:%s %s", host, port, ssh.MarshalAuthorizedKey(hostPub))), 0o600)
	cmd := exec.Command(exe, "-D", "-e", "-f", filepath.Join(dir, "sshd_config"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for i := 0; ; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if i == 100 {
			t.Fatalf("sshd did not start: %s", out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return &SSHD{Addr: addr, User: u.Username, KeyFile: filepath.Join(dir, "client_key"), KnownHosts: kh}
}
