package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startAndInterrupt starts the built binary, waits until it has archived a
// first pack into arch, sends it SIGINT and returns its exit code and output.
func startAndInterrupt(t *testing.T, bin, arch string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		packs, _ := filepath.Glob(filepath.Join(arch, "programs", "*", "shipments", "*", "v0001", "manifest.intoto.json"))
		if len(packs) > 0 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("no pack archived within a minute\n%s", errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		return cmd.ProcessState.ExitCode(), out.String(), errOut.String()
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("still running a minute after SIGINT\n%s", errOut.String())
	}
	return
}

// Ctrl-C on run prints the summary so far (archived, failed, not started)
// and exits 130; a second run does the rest (issue 20).
func TestInterruptedRunPrintsSummary(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	key, arch := filepath.Join(dir, "key.pem"), filepath.Join(dir, "archive")
	if code, _, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK {
		t.Fatal(errOut)
	}
	args := []string{"run", "--inventory", sampleInv, "--plan", samplePlan, "--clearances", sampleClear, "--key", key, "--archive", arch, "--workers", "1"}
	code, out, errOut := startAndInterrupt(t, bin, arch, args...)
	if code != ExitCanceled {
		t.Fatalf("run after SIGINT: exit %d, want %d\n%s\n%s", code, ExitCanceled, out, errOut)
	}
	m := regexp.MustCompile(`(?m)^(\d+) archived, (\d+) unchanged \(already archived\), (\d+) rejected, (\d+) failed, (\d+) not started$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no summary with the shipments not started after SIGINT:\n%s\n%s", out, errOut)
	}
	archived, _ := strconv.Atoi(m[1])
	notStarted, _ := strconv.Atoi(m[5])
	if archived < 1 || notStarted < 1 {
		t.Errorf("summary after SIGINT: %d archived, %d not started; want some of each", archived, notStarted)
	}
	if rows := statusRows(out, "archived"); rows != archived {
		t.Errorf("the table lists %d archived shipments, the totals %d:\n%s", rows, archived, out)
	}
	if rows := statusRows(out, "not-started"); rows != notStarted {
		t.Errorf("the table lists %d shipments not started, the totals %d:\n%s", rows, notStarted, out)
	}
	if !strings.Contains(errOut, "interrupted: ") {
		t.Errorf("no 'interrupted' message:\n%s", errOut)
	}

	// What was archived stays; the next run does the rest and verify passes.
	code, out, errOut = clearpack(t, args...)
	if code != ExitPartial || statusRows(out, "unchanged") != archived {
		t.Errorf("run after the interrupted one: exit %d, want %d with %d unchanged\n%s\n%s", code, ExitPartial, archived, out, errOut)
	}
	if code, out, _ := clearpack(t, "verify", "--archive", arch, "--pub", strings.TrimSuffix(key, ".pem")+".pub", "--quiet"); code != ExitOK {
		t.Errorf("verify after an interrupted run and its rerun: exit %d\n%s", code, out)
	}
}

// Ctrl-C on run --once prints the batches so far, with the stopped batch's
// counts, and exits 130.
func TestInterruptedRunOncePrintsSummary(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	key, arch, in := filepath.Join(dir, "key.pem"), filepath.Join(dir, "archive"), filepath.Join(dir, "inbox")
	if code, _, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK {
		t.Fatal(errOut)
	}
	dropSample(t, in, "monday")
	code, out, errOut := startAndInterrupt(t, bin, arch, "run", "--once", "--inbox", in, "--archive", arch, "--key", key, "--workers", "1")
	if code != ExitCanceled {
		t.Fatalf("run --once after SIGINT: exit %d, want %d\n%s\n%s", code, ExitCanceled, out, errOut)
	}
	if !regexp.MustCompile(`(?m)^\S*monday\S*\s+released\s+[1-9]`).MatchString(out) {
		t.Errorf("the batch table does not show the stopped batch released with what it archived:\n%s", out)
	}
	m := regexp.MustCompile(`interrupted after 1 batch\(es\): (\d+) shipment\(s\) archived, (\d+) failed, (\d+) not started`).FindStringSubmatch(errOut)
	if m == nil || m[1] == "0" || m[3] == "0" {
		t.Errorf("no summary with shipments archived and not started:\n%s", errOut)
	}
	if _, err := os.Stat(filepath.Join(in, "monday", "READY")); err != nil {
		t.Errorf("the stopped batch left the inbox: %v", err)
	}
}

// statusRows counts the rows of run's table with this status.
func statusRows(out, status string) int {
	return len(regexp.MustCompile(`(?m)^\S+\s+\S+\s+`+regexp.QuoteMeta(status)+`\s`).FindAllString(out, -1))
}
