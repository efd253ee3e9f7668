package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/clearpack/clearpack/pipeline"
)

// dropSample puts the sample inputs into inbox/<id> with the READY marker.
func dropSample(t *testing.T, inboxDir, id string) {
	t.Helper()
	dir := filepath.Join(inboxDir, id)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{sampleInv, samplePlan, sampleClear} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(src)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "READY"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRunOnce(t *testing.T) {
	dir := t.TempDir()
	key, arch, in := filepath.Join(dir, "key.pem"), filepath.Join(dir, "archive"), filepath.Join(dir, "inbox")
	if code, _, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK {
		t.Fatal(errOut)
	}
	// serve's config file, also read by run --once.
	cfg := filepath.Join(dir, "clearpack.yaml")
	os.WriteFile(cfg, []byte("inbox: "+in+"\narchive: "+arch+"\nkey: "+key+"\nschedule: \"inbox=@every 5m\"\nstarting-deadline: 10m\nlisten: 127.0.0.1:0\nlease: 1m\n"), 0o644)

	code, out, errOut := clearpack(t, "run", "--once", "--config", cfg)
	if code != ExitOK || !strings.Contains(out, "No complete batch") {
		t.Fatalf("empty inbox: exit %d\n%s\n%s", code, out, errOut)
	}
	dropSample(t, in, "monday")
	// The sample stops APL26-BR-03 at the desk: run exits 3 on it, and so
	// does run --once (the systemd sample's SuccessExitStatus relies on it).
	prom := filepath.Join(dir, "clearpack.prom")
	code, out, errOut = clearpack(t, "run", "--once", "--config", cfg, "--metrics-file", prom, "-o", "wide")
	if code != ExitPartial || !strings.Contains(errOut, "1 shipment(s) were not archived") {
		t.Fatalf("run --once with a rejected shipment: exit %d, want %d\n%s\n%s", code, ExitPartial, out, errOut)
	}
	metrics, merr := os.ReadFile(prom)
	if merr != nil {
		t.Fatal(merr)
	}
	for _, want := range []string{
		`clearpack_batches_total{outcome="done"} 1`,
		`clearpack_shipments_total{status="archived"} 19`,
		`clearpack_shipments_total{status="rejected"} 1`,
		`clearpack_failures_total{reason="validation"} 1`,
		`clearpack_failures_total{reason="processing"} 0`,
		`clearpack_failures_total{reason="input"} 0`,
		"clearpack_once_exit_code 3",
		"clearpack_once_last_run_timestamp_seconds ",
		`clearpack_build_info{goversion="` + runtime.Version() + `"`,
	} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("metrics file lacks %q:\n%s", want, metrics)
		}
	}
	// node-exporter exports go_* and process_* itself: a textfile that
	// repeats them is refused, so they are not in it.
	if strings.Contains(string(metrics), "go_goroutines") || strings.Contains(string(metrics), "process_") {
		t.Errorf("metrics file carries the Go or process collector:\n%s", metrics)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".clearpack.prom.*")); len(leftovers) > 0 {
		t.Errorf("temporary metrics files left: %v", leftovers)
	}
	for _, want := range []string{"monday-", "done", "19", "runs/", filepath.Join(in, "done", "monday")} {
		if !strings.Contains(out, want) {
			t.Errorf("run --once output lacks %q:\n%s", want, out)
		}
	}
	// Every log line carries the run id (JSON: stderr is not a terminal).
	var runID string
	for _, line := range strings.Split(strings.TrimSpace(errOut), "\n") {
		if strings.HasPrefix(line, "clearpack run: ") { // the exit reason
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		id, _ := rec["run_id"].(string)
		if id == "" {
			t.Errorf("log line without run_id: %s", line)
		}
		runID = id
	}
	rep, err := os.ReadFile(filepath.Join(in, "done", "monday", "run-report.json"))
	if err != nil || !strings.Contains(string(rep), `"run_id": "`+runID+`"`) {
		t.Errorf("run report in done/: %v\n%s", err, rep)
	}
	if code, out, _ := clearpack(t, "verify", "--archive", arch, "--pub", filepath.Join(dir, "key.pub")); code != ExitOK {
		t.Errorf("verify after run --once: exit %d\n%s", code, out)
	}

	// A batch that cannot be read goes to failed/ with its report, exit 3.
	os.MkdirAll(filepath.Join(in, "broken"), 0o755)
	os.WriteFile(filepath.Join(in, "broken", "plan.yaml"), []byte("program: x\n"), 0o644)
	os.WriteFile(filepath.Join(in, "broken", "READY"), nil, 0o644)
	code, out, _ = clearpack(t, "run", "--once", "--config", cfg)
	if code != ExitPartial || !strings.Contains(out, "failed") {
		t.Errorf("broken batch: exit %d, want %d\n%s", code, ExitPartial, out)
	}
	rep, err = os.ReadFile(filepath.Join(in, "failed", "broken", "run-report.json"))
	if err != nil || !strings.Contains(string(rep), "batch lacks inventory.csv") {
		t.Errorf("failed batch report: %v\n%s", err, rep)
	}
	if code, _, errOut := clearpack(t, "run", "--once", "--config", cfg, "--inventory", sampleInv); code != ExitUsage {
		t.Errorf("--once with --inventory: exit %d %s", code, errOut)
	}
}

// syncBuf is a buffer written by one goroutine and read by another.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// waitFor polls cond; the limit is a safety net for a hung server, not a
// speed assertion.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func get(url string) (int, string) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var addrRE = regexp.MustCompile(`"addr":"(127\.0\.0\.1:\d+)"`)

func TestServeMetricsHealth(t *testing.T) {
	dir := t.TempDir()
	key, arch, in := filepath.Join(dir, "key.pem"), filepath.Join(dir, "archive"), filepath.Join(dir, "inbox")
	if code, _, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK {
		t.Fatal(errOut)
	}
	dropSample(t, in, "b1")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuf
	exit := make(chan int, 1)
	go func() {
		exit <- Main(ctx, []string{"serve", "--inbox", in, "--archive", arch, "--key", key,
			"--schedule", "inbox=@every 1s", "--listen", "127.0.0.1:0"}, io.Discard, &logs)
	}()
	var base string
	waitFor(t, "the HTTP server", func() bool {
		if m := addrRE.FindStringSubmatch(logs.String()); m != nil {
			base = "http://" + m[1]
			return true
		}
		return false
	})
	if code, body := get(base + "/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	waitFor(t, "/readyz", func() bool { code, _ := get(base + "/readyz"); return code == 200 })
	waitFor(t, "the batch to be done", func() bool {
		_, err := os.Stat(filepath.Join(in, "done", "b1", "run-report.json"))
		return err == nil
	})
	_, metrics := get(base + "/metrics")
	for _, want := range []string{
		`clearpack_batches_total{outcome="done"} 1`,
		`clearpack_shipments_total{status="archived"} 19`,
		`clearpack_shipments_total{status="rejected"} 1`,
		`clearpack_failures_total{reason="validation"} 1`,
		"clearpack_documents_total 86",
		"clearpack_archived_bytes_total",
		"clearpack_claim_takeovers_total 0",
		"clearpack_batch_duration_seconds_count 1",
		`clearpack_failures_total{reason="processing"} 0`,
		`version="` + pipeline.ReleaseVersion() + `"`,
		"clearpack_build_info{",
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	cancel()
	if code := <-exit; code != ExitOK {
		t.Errorf("serve after its context ended: exit %d\n%s", code, logs.String())
	}
	if !strings.Contains(logs.String(), `"msg":"clearpack serve stopped"`) {
		t.Errorf("no clean stop in the log:\n%s", logs.String())
	}
}

// buildBinary builds clearpack into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "clearpack")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

type claimRecord struct {
	Owner    string `json:"owner"`
	Released bool   `json:"released"`
}

// claimState reads what the archive says about the one batch's claim:
// "done", "released", or "held by <owner>".
func claimState(t *testing.T, arch string) string {
	t.Helper()
	dirs, _ := filepath.Glob(filepath.Join(arch, "scheduler", "claims", "*"))
	if len(dirs) != 1 {
		t.Fatalf("claims: %v", dirs)
	}
	if _, err := os.Stat(filepath.Join(dirs[0], "done")); err == nil {
		return "done"
	}
	gens, _ := filepath.Glob(filepath.Join(dirs[0], "0*"))
	b, err := os.ReadFile(gens[len(gens)-1])
	if err != nil {
		t.Fatal(err)
	}
	var rec claimRecord
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Released {
		return "released"
	}
	return "held by " + rec.Owner
}

// verifyOnlyIncomplete runs verify: every pack must verify, except packs
// left incomplete (no manifest), which must be reported as such; after a
// stop at once the log may also lack its checkpoint (the next run signs it).
func verifyOnlyIncomplete(t *testing.T, arch, pub string, uncheckpointed bool) {
	t.Helper()
	code, out, errOut := clearpack(t, "verify", "--archive", arch, "--pub", pub)
	if code == ExitOK {
		return
	}
	if code != ExitVerify {
		t.Fatalf("verify: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, line := range strings.Split(out, "\n") {
		if uncheckpointed && strings.HasPrefix(line, "FAIL checkpoint") {
			continue
		}
		if strings.HasPrefix(line, "FAIL") && !strings.Contains(line, "incomplete") {
			t.Errorf("a fault other than an incomplete pack: %s", line)
		}
	}
}

// SIGTERM: stop taking batches, finish within the grace period, release
// the claim, exit 0; a second signal stops at once. Either way nothing
// half-written passes verification, and the next run completes the batch.
func TestServeSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	for _, tc := range []struct {
		name     string
		grace    string
		signals  int
		wantCode int
		states   []string // acceptable claim states after exit
	}{
		// The shipment in hand finishes; the others wait for the next run.
		{"SIGTERM with time to finish", "10m", 1, ExitOK, []string{"released", "done"}},
		{"SIGTERM with no grace", "1ns", 1, ExitOK, []string{"released", "done"}},
		{"second SIGTERM stops at once", "10m", 2, ExitCanceled, []string{"held by test-instance", "done"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			key, arch, in := filepath.Join(dir, "key.pem"), filepath.Join(dir, "archive"), filepath.Join(dir, "inbox")
			if code, _, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK {
				t.Fatal(errOut)
			}
			dropSample(t, in, "b1")
			cmd := exec.Command(bin, "serve", "--inbox", in, "--archive", arch, "--key", key, "--workers", "1",
				"--schedule", "inbox=@every 1s", "--listen", "off", "--grace", tc.grace, "--instance", "test-instance")
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var logs syncBuf
			claimed, stopping := make(chan struct{}), make(chan struct{})
			go func() {
				sc := bufio.NewScanner(stderr)
				var claimedOnce, stoppingOnce sync.Once
				for sc.Scan() {
					logs.Write(append(sc.Bytes(), '\n'))
					if strings.Contains(sc.Text(), "batch claimed; running") {
						claimedOnce.Do(func() { close(claimed) })
					}
					if strings.Contains(sc.Text(), "stopping: no new batches") {
						stoppingOnce.Do(func() { close(stopping) })
					}
				}
			}()
			select {
			case <-claimed:
			case <-time.After(2 * time.Minute): // safety net, not a speed assertion
				cmd.Process.Kill()
				t.Fatalf("no batch claimed:\n%s", logs.String())
			}
			for i := range tc.signals {
				if i > 0 {
					// A second SIGTERM sent before the first was handled
					// is merged with it by the kernel: send it once serve
					// says it is stopping.
					select {
					case <-stopping:
					case <-time.After(2 * time.Minute): // safety net, not a speed assertion
						cmd.Process.Kill()
						t.Fatalf("serve did not say it was stopping:\n%s", logs.String())
					}
				}
				if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
					t.Fatal(err)
				}
			}
			err = cmd.Wait()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.wantCode {
				t.Errorf("exit %d, want %d\n%s", code, tc.wantCode, logs.String())
			}
			state := claimState(t, arch)
			ok := false
			for _, s := range tc.states {
				ok = ok || s == state
			}
			if !ok {
				t.Errorf("claim %q after exit, want one of %v\n%s", state, tc.states, logs.String())
			}
			verifyOnlyIncomplete(t, arch, filepath.Join(dir, "key.pub"), tc.signals > 1)

			// The next run completes the batch (a released or done claim
			// at once; one held by the stopped instance after its lease).
			// --stale-after 1ns: the stopped instance is gone, so a pack it
			// left half-written is redone now instead of after two minutes.
			args := []string{"run", "--once", "--inbox", in, "--archive", arch, "--key", key, "--instance", "next", "--stale-after", "1ns"}
			if strings.HasPrefix(state, "held") {
				args = append(args, "--instance", "test-instance") // the same instance, restarted, takes its own batch back
			}
			code, out, errOut := clearpack(t, args...)
			// exit 3: the sample stops one shipment at the desk, as run does.
			if state != "done" && (code != ExitPartial || !strings.Contains(out, " done ")) {
				t.Errorf("next run: exit %d\n%s\n%s", code, out, errOut)
			}
			if _, err := os.Stat(filepath.Join(in, "done", "b1")); err != nil {
				t.Errorf("batch not in done/ after the next run: %v", err)
			}
			verifyOnlyIncomplete(t, arch, filepath.Join(dir, "key.pub"), false)
		})
	}
}

// The sample config in docs/ is read by both serve and run --once (no
// setting unknown to either).
func TestSampleConfigAccepted(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{"serve"}, {"run", "--once"}} {
		args = append(args, "--config", "../../docs/clearpack.yaml", "--inbox", filepath.Join(dir, "inbox"),
			"--archive", filepath.Join(dir, "archive"), "--key", filepath.Join(dir, "no-such-key.pem"))
		code, _, errOut := clearpack(t, args...)
		if code != ExitArchive || !strings.Contains(errOut, "no-such-key.pem") {
			t.Errorf("%v: exit %d, want %d about the missing key:\n%s", args[:len(args)-8], code, ExitArchive, errOut)
		}
	}
}
