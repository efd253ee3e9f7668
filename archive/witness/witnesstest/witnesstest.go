// Package witnesstest starts litewitness (filippo.io/torchwood v0.6.1,
// installed into bin/ by make tools) on loopback for tests, with its key in
// a dedicated ssh-agent, and registers logs with it through its SQLite
// database (as witnessctl does).
package witnesstest

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clearpack/clearpack/internal/testenv"
)

// Witness is a running litewitness.
type Witness struct {
	URL  string // base URL (add-checkpoint is below it)
	VKey string // its cosignature verifier key
	db   string
	t    testing.TB
}

var vkeyRE = regexp.MustCompile(`vkey=(\S+)`)

// Start starts a witness named name; it is stopped when the test ends.
func Start(t testing.TB, name string) *Witness {
	t.Helper()
	bin := testenv.Tool(t, "litewitness")
	for _, tool := range []string{"ssh-agent", "ssh-add", "ssh-keygen", "sqlite3"} {
		testenv.Tool(t, tool)
	}
	dir := t.TempDir()
	key := filepath.Join(dir, "witness")
	run(t, "", "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key)
	sock := filepath.Join(dir, "agent.sock")
	agent := exec.Command("ssh-agent", "-D", "-a", sock)
	if err := agent.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { agent.Process.Kill(); agent.Wait() })
	for i := 0; ; i++ {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		if i > 100 {
			t.Fatal("ssh-agent did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	run(t, sock, "ssh-add", "-q", key)
	fp := strings.Fields(run(t, "", "ssh-keygen", "-l", "-E", "sha256", "-f", key+".pub"))[1]

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	db := filepath.Join(dir, "litewitness.db")
	logPath := filepath.Join(dir, "litewitness.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-name", name, "-db", db, "-ssh-agent", sock, "-key", fp, "-listen", addr)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		select {
		case <-exited:
		default:
			cmd.Process.Kill()
			<-exited
		}
		logf.Close()
	})
	w := &Witness{URL: "http://" + addr, db: db, t: t}
	deadline := time.Now().Add(30 * time.Second)
	for {
		log, _ := os.ReadFile(logPath)
		if m := vkeyRE.FindSubmatch(log); m != nil && w.VKey == "" {
			w.VKey = strings.Trim(string(m[1]), `"`)
		}
		if w.VKey != "" {
			if resp, err := http.Get(w.URL + "/"); err == nil {
				resp.Body.Close()
				return w
			}
		}
		select {
		case <-exited:
			t.Fatalf("litewitness exited:\n%s", log)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("litewitness did not start:\n%s", log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// AddLog has the witness accept checkpoints of origin signed by vkey,
// starting from the empty tree.
func (w *Witness) AddLog(origin, vkey string) {
	w.t.Helper()
	empty := sha256.Sum256(nil)
	q := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	sql := fmt.Sprintf("INSERT INTO log (origin, tree_size, tree_hash) VALUES (%s, 0, %s); INSERT INTO key (origin, key) VALUES (%s, %s);",
		q(origin), q(base64.StdEncoding.EncodeToString(empty[:])), q(origin), q(vkey))
	run(w.t, "", "sqlite3", w.db, sql)
}

// Size is the size of the latest checkpoint of origin the witness cosigned.
func (w *Witness) Size(origin string) int {
	w.t.Helper()
	out := run(w.t, "", "sqlite3", w.db, "SELECT tree_size FROM log WHERE origin = '"+strings.ReplaceAll(origin, "'", "''")+"';")
	n, _ := strconv.Atoi(strings.TrimSpace(out))
	return n
}

func run(t testing.TB, sock, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	if sock != "" {
		cmd.Env = append(os.Environ(), "SSH_AUTH_SOCK="+sock)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}
