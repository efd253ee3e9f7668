package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/clearpack/clearpack/bench/gen"
	"github.com/clearpack/clearpack/pipeline"
)

var execLookPath = exec.LookPath

func goBuild(ctx context.Context, out string) error {
	c := exec.CommandContext(ctx, "go", "build", "-o", out, "github.com/clearpack/clearpack/cmd/clearpack")
	if b, err := c.CombinedOutput(); err != nil {
		return fmt.Errorf("building clearpack: %v\n%s", err, b)
	}
	return nil
}

type usage struct {
	wall        time.Duration
	user, sys   time.Duration
	maxRSSBytes int64
}

// clearpack runs the binary and returns its stdout and resource usage.
func clearpackUsage(ctx context.Context, bin string, env []string, args ...string) ([]byte, usage, error) {
	c := exec.CommandContext(ctx, bin, args...)
	c.Env = append(os.Environ(), env...)
	var o, e bytes.Buffer
	c.Stdout, c.Stderr = &o, &e
	start := time.Now()
	err := c.Run()
	u := usage{wall: time.Since(start)}
	if c.ProcessState != nil {
		u.user, u.sys = c.ProcessState.UserTime(), c.ProcessState.SystemTime()
		if ru, ok := c.ProcessState.SysUsage().(*syscall.Rusage); ok {
			u.maxRSSBytes = ru.Maxrss * 1024
		}
	}
	if err != nil {
		return o.Bytes(), u, fmt.Errorf("clearpack %s: %v\n%s", args[0], err, tail(e.String(), 2000))
	}
	return o.Bytes(), u, nil
}

func clearpack(ctx context.Context, bin string, env []string, args ...string) ([]byte, error) {
	out, _, err := clearpackUsage(ctx, bin, env, args...)
	return out, err
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// endToEnd runs clearpack run on a generated program into a fresh archive.
func endToEnd(ctx context.Context, bin, key string, f gen.Files, st gen.Stats, target, spec string, env []string) (E2E, error) {
	out, u, err := clearpackUsage(ctx, bin, env, "run", "--json", "--inventory", f.Inventory, "--plan", f.Plan,
		"--clearances", f.Clearances, "--key", key, "--archive", spec)
	if err != nil {
		return E2E{}, err
	}
	var sum pipeline.Summary
	if err := json.Unmarshal(out, &sum); err != nil {
		return E2E{}, fmt.Errorf("reading the run summary: %w", err)
	}
	row := E2E{Units: st.Units, Shipments: st.Shipments, Target: target, Workers: runtime.NumCPU(),
		Seconds: u.wall.Seconds(), CPUSeconds: (u.user + u.sys).Seconds(), PeakRSSMB: float64(u.maxRSSBytes) / (1 << 20)}
	for _, s := range sum.Shipments {
		if s.Status != pipeline.Archived {
			return row, fmt.Errorf("%s: %s %v (the generated program should archive whole)", s.ID, s.Status, s.Reasons)
		}
		row.Packs++
		row.Documents += len(s.Documents)
	}
	row.DocsPerSec = float64(row.Documents) / row.Seconds
	row.PacksPerSec = float64(row.Packs) / row.Seconds
	return row, nil
}

// minioServer is a MinIO on loopback with random credentials.
type minioServer struct {
	cmd       *exec.Cmd
	addr      string
	user, pwd string
	client    *minio.Client
}

func startMinio(ctx context.Context, bin, dir string) (*minioServer, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	m := &minioServer{addr: addr, user: "bench-root", pwd: fmt.Sprintf("bench-%d", time.Now().UnixNano())}
	m.cmd = exec.Command(bin, "server", "--quiet", "--address", addr, dir)
	m.cmd.Env = append(os.Environ(), "MINIO_ROOT_USER="+m.user, "MINIO_ROOT_PASSWORD="+m.pwd, "MINIO_BROWSER=off")
	if err := m.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting minio: %w", err)
	}
	for deadline := time.Now().Add(60 * time.Second); ; {
		resp, err := http.Get("http://" + addr + "/minio/health/live")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			m.stop()
			return nil, fmt.Errorf("minio did not start on %s", addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	m.client, err = minio.New(addr, &minio.Options{Creds: credentials.NewStaticV4(m.user, m.pwd, "")})
	if err != nil {
		m.stop()
		return nil, err
	}
	return m, nil
}

func (m *minioServer) stop() {
	m.cmd.Process.Signal(syscall.SIGTERM)
	m.cmd.Wait()
}

func (m *minioServer) env() []string {
	return []string{"AWS_ACCESS_KEY_ID=" + m.user, "AWS_SECRET_ACCESS_KEY=" + m.pwd}
}

// bucket makes a bucket with object lock and returns its archive URL.
func (m *minioServer) bucket(ctx context.Context, name string) (string, error) {
	name = strings.ToLower(name)
	if err := m.client.MakeBucket(ctx, name, minio.MakeBucketOptions{ObjectLocking: true}); err != nil {
		return "", fmt.Errorf("making bucket %s: %w", name, err)
	}
	return "s3://" + name + "/archive?endpoint=" + m.addr + "&insecure=true", nil
}
