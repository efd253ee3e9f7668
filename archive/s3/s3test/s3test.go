// Package s3test starts real S3 servers for tests: MinIO and Versity Gateway,
// each on 127.0.0.1 with a random free port, random root credentials and a
// fresh data directory, stopped when the test ends.
//
// Binaries are looked up in $PATH, then in the bin/ directory of the module
// (found by walking up from the working directory to go.mod); `make tools`
// installs them there. When a binary is missing the test is skipped, except
// when the environment variable CI is set: then it fails, so that a CI run
// never passes by skipping the tests that matter.
package s3test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Kind names an S3 server implementation.
type Kind string

const (
	MinIO   Kind = "minio"
	Versity Kind = "versitygw"
)

// Kinds lists every server the driver is tested against.
func Kinds() []Kind { return []Kind{MinIO, Versity} }

// Server is a running S3 server.
type Server struct {
	Kind      Kind
	Endpoint  string // host:port, plain HTTP
	AccessKey string
	SecretKey string
	// Client is a raw client with root credentials, for tests that attack
	// the store behind the driver's back.
	Client *minio.Client

	log *syncBuffer
}

// Creds returns static credentials for the server's root user.
func (s *Server) Creds() *credentials.Credentials {
	return credentials.NewStaticV4(s.AccessKey, s.SecretKey, "")
}

// Log returns what the server printed so far (for failure messages).
func (s *Server) Log() string { return s.log.String() }

// startTimeout bounds how long a server may take to answer its first request.
// It is a safety net for a hung start, not an assertion about speed.
const startTimeout = 90 * time.Second

// Start starts a server of the given kind for the duration of the test.
func Start(t testing.TB, kind Kind) *Server {
	t.Helper()
	bin := FindBinary(t, string(kind))
	var lastErr error
	// A free port found by listening on :0 can be taken by someone else
	// before the server binds it; try a few ports before giving up.
	for range 3 {
		s, err := start(t, kind, bin)
		if err == nil {
			return s
		}
		lastErr = err
	}
	t.Fatalf("starting %s: %v", kind, lastErr)
	return nil
}

func start(t testing.TB, kind Kind, bin string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &Server{
		Kind:      kind,
		Endpoint:  fmt.Sprintf("127.0.0.1:%d", port),
		AccessKey: "ak" + randHex(9),
		SecretKey: "sk" + randHex(18),
		log:       &syncBuffer{},
	}
	dir := t.TempDir()
	var cmd *exec.Cmd
	env := os.Environ()
	switch kind {
	case MinIO:
		cmd = exec.Command(bin, "server", "--quiet", "--address", s.Endpoint, filepath.Join(dir, "data"))
		env = append(env,
			"MINIO_ROOT_USER="+s.AccessKey,
			"MINIO_ROOT_PASSWORD="+s.SecretKey,
			"MINIO_BROWSER=off",
			"MINIO_UPDATE=off",
			"MINIO_CI_CD=on",
		)
	case Versity:
		data, vers := filepath.Join(dir, "data"), filepath.Join(dir, "versions")
		for _, d := range []string{data, vers} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return nil, err
			}
		}
		cmd = exec.Command(bin, "--port", s.Endpoint, "--quiet", "posix", "--versioning-dir", vers, data)
		env = append(env, "ROOT_ACCESS_KEY="+s.AccessKey, "ROOT_SECRET_KEY="+s.SecretKey)
	default:
		return nil, fmt.Errorf("unknown server kind %q", kind)
	}
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = s.log, s.log
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}

	s.Client, err = minio.New(s.Endpoint, &minio.Options{Creds: s.Creds(), Secure: false, Region: "us-east-1"})
	if err != nil {
		stop()
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	for {
		_, err := s.Client.ListBuckets(ctx)
		if err == nil {
			break
		}
		select {
		case <-exited:
			return nil, fmt.Errorf("%s exited before it was ready: %s", kind, s.Log())
		case <-ctx.Done():
			stop()
			return nil, fmt.Errorf("%s not ready after %v: %v; log: %s", kind, startTimeout, err, s.Log())
		case <-time.After(100 * time.Millisecond):
		}
	}
	t.Cleanup(stop)
	return s, nil
}

// NewBucket creates a bucket with a random name. With locked, the bucket has
// object lock (and therefore versioning) enabled and no default retention.
func (s *Server) NewBucket(t testing.TB, locked bool) string {
	t.Helper()
	name := "cp-test-" + randHex(6)
	err := s.Client.MakeBucket(context.Background(), name, minio.MakeBucketOptions{ObjectLocking: locked})
	if err != nil {
		t.Fatalf("creating bucket %s on %s: %v", name, s.Kind, err)
	}
	return name
}

// FindBinary returns the path of the named program from $PATH or the
// module's bin/ directory. When it is missing the test fails if CI is set and
// is skipped otherwise.
func FindBinary(t testing.TB, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if root, err := moduleRoot(); err == nil {
		p := filepath.Join(root, "bin", name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p
		}
	}
	msg := fmt.Sprintf("%s not found in $PATH or the module's bin/ (run `make tools`)", name)
	if os.Getenv("CI") != "" {
		t.Fatal(msg + "; CI is set, so a missing server is a failure")
	}
	t.Skip(msg)
	return ""
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return strings.ToLower(hex.EncodeToString(b))
}

// syncBuffer collects a server's output; the server writes from its own
// goroutines while tests read it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 1<<20 {
		return len(p), nil // keep the first MiB; enough to see why it failed
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
