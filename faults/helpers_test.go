package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive/verify"
	"github.com/clearpack/clearpack/bench/gen"
	"github.com/clearpack/clearpack/internal/testenv"
	"github.com/clearpack/clearpack/pipeline"
)

// clearpackBin is the binary under test, built once by TestMain.
var clearpackBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "clearpack-faults-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	clearpackBin = filepath.Join(dir, "clearpack")
	out, err := exec.Command("go", "build", "-o", clearpackBin, "github.com/clearpack/clearpack/cmd/clearpack").CombinedOutput()
	code := 1
	if err != nil {
		fmt.Fprintf(os.Stderr, "building clearpack: %v\n%s", err, out)
	} else {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// program writes a generated program of about units units.
func program(t testing.TB, units int) (gen.Files, gen.Stats) {
	t.Helper()
	s, err := gen.ReadSample("../testdata/sample")
	if err != nil {
		t.Fatal(err)
	}
	fs, st, err := s.Write(t.TempDir(), units)
	if err != nil {
		t.Fatal(err)
	}
	return fs, st
}

// keypair makes a plain signing key and returns its .pem and .pub paths.
func keypair(t testing.TB) (string, string) {
	t.Helper()
	k := filepath.Join(t.TempDir(), "key.pem")
	if r := cli(t, context.Background(), nil, "keygen", "--out", k); r.code != 0 {
		t.Fatalf("keygen: %s", r)
	}
	return k, strings.TrimSuffix(k, ".pem") + ".pub"
}

type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// cmd prepares clearpack with args; env is added to the test's environment.
func cmd(ctx context.Context, env []string, args ...string) *exec.Cmd {
	c := exec.CommandContext(ctx, clearpackBin, args...)
	c.Env = append(append(os.Environ(), "CLEARPACK_KEY_PASSWORD="), env...)
	c.Env = slicesWithout(c.Env, "CLEARPACK_KEY_PASSWORD=")
	return c
}

func slicesWithout(env []string, drop string) []string {
	out := env[:0:0]
	for _, e := range env {
		if e != drop {
			out = append(out, e)
		}
	}
	return out
}

// cli runs clearpack to the end.
func cli(t testing.TB, ctx context.Context, env []string, args ...string) result {
	t.Helper()
	c := cmd(ctx, env, args...)
	var o, e bytes.Buffer
	c.Stdout, c.Stderr = &o, &e
	err := c.Run()
	r := result{stdout: o.String(), stderr: e.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("running clearpack %v: %v", args, err)
	}
	return r
}

func runArgs(p gen.Files, key, archiveSpec string, extra ...string) []string {
	return append([]string{"run", "--json", "--inventory", p.Inventory, "--plan", p.Plan,
		"--clearances", p.Clearances, "--key", key, "--archive", archiveSpec}, extra...)
}

// summary parses run --json output.
func summary(t testing.TB, r result) *pipeline.Summary {
	t.Helper()
	var s pipeline.Summary
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatalf("run printed no JSON summary (%v): %s", err, r)
	}
	return &s
}

// statuses counts shipments per status.
func statuses(s *pipeline.Summary) map[pipeline.Status]int {
	m := map[pipeline.Status]int{}
	for _, r := range s.Shipments {
		m[r.Status]++
	}
	return m
}

// verifyReport runs clearpack verify --json on the archive.
func verifyReport(t testing.TB, archiveSpec, pub string, env []string) (*verify.Report, result) {
	t.Helper()
	r := cli(t, context.Background(), env, "verify", "--json", "--archive", archiveSpec, "--pub", pub)
	var rep verify.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("verify printed no JSON report (%v): %s", err, r)
	}
	return &rep, r
}

// checkArchive asserts what a user must find after a fault and a completed
// rerun: verify of the whole archive passes (issue 13: the remains of the
// fault are recorded as abandoned by the rerun and accounted for, never a
// pack); every shipment has exactly one complete pack; every complete
// pack, its signatures, digests and inclusion in the audit log verify, and
// so does the log itself. It returns how many abandoned versions verify
// reported.
func checkArchive(t testing.TB, archiveSpec, pub string, shipments int, env []string) int {
	t.Helper()
	rep, r := verifyReport(t, archiveSpec, pub, env)
	if r.code != 0 {
		t.Errorf("verify of the whole archive after the rerun: exit %d, want 0", r.code)
	}
	complete := map[string]int{} // shipment dir -> complete versions
	abandoned := 0
	for _, c := range rep.Checks {
		switch {
		case !c.OK:
			t.Errorf("verify failure after the rerun: %s", c)
		case c.Kind == verify.KindIncomplete && strings.Contains(c.Detail, "abandoned incomplete version"):
			abandoned++
		case c.Kind == verify.KindIncomplete:
			t.Errorf("an incomplete version no entry records: %s", c)
		case c.Kind == verify.KindManifest && strings.HasSuffix(c.Object, "manifest.intoto.json"):
			dir := filepath.Dir(filepath.Dir(c.Object))
			complete[dir]++
		}
	}
	if len(complete) != shipments {
		t.Errorf("%d shipments have a complete pack that verifies, want %d\n%s", len(complete), shipments, r.stdout[:min(len(r.stdout), 4000)])
	}
	for dir, n := range complete {
		if n != 1 {
			t.Errorf("%s: %d complete packs of the same inputs, want 1 (a pack was doubled)", dir, n)
		}
	}
	logOK := false
	for _, c := range rep.Checks {
		if c.Kind == verify.KindLog {
			logOK = c.OK
			if !c.OK {
				break
			}
		}
	}
	if !logOK || rep.LogSize == 0 {
		t.Errorf("the audit log does not verify (log size %d)", rep.LogSize)
	}
	return abandoned
}

// publishedFiles counts the archive's objects (files outside .tmp).
func publishedFiles(root string) int {
	n := 0
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && d.Name() == ".tmp" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// age sets back the modification time of every archived object, as if
// the time after which an incomplete pack counts as abandoned (15 minutes)
// had passed.
func age(t testing.TB, root string, by time.Duration) {
	t.Helper()
	when := time.Now().Add(-by)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		return os.Chtimes(p, when, when)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// needTool: see internal/testenv.
func needTool(t testing.TB, name string) string {
	t.Helper()
	return testenv.Tool(t, name)
}

// wantCode is run's exit code for these statuses: 3 while any shipment is
// left in progress (not archived by this run), 0 when all are done.
func wantCode(c map[pipeline.Status]int) int {
	if c[pipeline.InProgress]+c[pipeline.NotStarted] > 0 {
		return 3
	}
	return 0
}
