package faults

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clearpack/clearpack/pipeline"
)

// TestDiskFull runs clearpack into a local archive on a 1 MiB tmpfs, far too
// small for the program. The run ends with exit 3 (or 5 when not even the
// archive's first objects fit), the shipments it could not archive are
// failed with an error saying the disk is full and naming the object, no
// temporary file is left, and every object that was published is whole:
// verify finds nothing wrong but incomplete packs. With room again (and
// once the abandoned packs are stale), a rerun completes the batch.
//
// Needs root for mount(8); otherwise (or when mount is refused) it limits
// the size of each file the run may write instead (prlimit --fsize), which
// fails a write with EFBIG rather than ENOSPC.
func TestDiskFull(t *testing.T) {
	p, st := program(t, 150)
	key, pub := keypair(t)
	root := filepath.Join(t.TempDir(), "archive")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	args := runArgs(p, key, root)
	wantErr := "no space left on device"
	var remount func()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", root).CombinedOutput(); err == nil {
		t.Cleanup(func() { exec.Command("umount", root).Run() })
		remount = func() {
			if out, err := exec.Command("mount", "-o", "remount,size=256m", root).CombinedOutput(); err != nil {
				t.Fatalf("remount: %v %s", err, out)
			}
		}
	} else {
		t.Logf("mount tmpfs refused (%v: %s); limiting file size instead", err, strings.TrimSpace(string(out)))
		prl := needTool(t, "prlimit")
		args = append([]string{"--fsize=30000", "--", clearpackBin}, args...)
		wantErr = "file too large"
		args = append([]string{prl}, args...)[1:]
		remount = func() { args = args[3:] }
	}

	r := runMaybeLimited(t, args)
	t.Logf("run on a full disk: exit %d, %d objects published", r.code, publishedFiles(root))
	if r.code != 3 && r.code != 5 {
		t.Fatalf("run on a full disk: exit %d, want 3 or 5\n%s", r.code, r)
	}
	if r.code == 3 {
		s := summary(t, r)
		failed := 0
		for _, sh := range s.Shipments {
			if sh.Status != pipeline.Failed {
				continue
			}
			failed++
			if failed == 1 {
				t.Logf("%s: %s", sh.ID, sh.Reasons)
			}
			msg := strings.Join(sh.Reasons, "; ")
			if !strings.Contains(msg, wantErr) || !strings.Contains(msg, sh.ID) {
				t.Errorf("%s failed without saying the disk is full and which object: %s", sh.ID, msg)
			}
		}
		if failed == 0 {
			t.Errorf("exit 3 but no shipment failed:\n%s", r)
		}
	} else if !strings.Contains(r.stderr, wantErr) {
		t.Errorf("exit 5 without saying the disk is full:\n%s", r)
	}
	if tmp, _ := os.ReadDir(filepath.Join(root, ".tmp")); len(tmp) != 0 {
		t.Errorf("%d temporary files left in .tmp", len(tmp))
	}
	// The checkpoint signed at the end of the run may not fit either: the
	// run must say so, and the entries it leaves uncovered are the only
	// inclusion failures allowed until a run with room signs one.
	noCheckpoint := strings.Contains(r.stderr, "checkpoint") && strings.Contains(r.stderr, wantErr)
	if r.code == 3 {
		checkNoCorrupt(t, root, pub, noCheckpoint)
	}

	remount()
	age(t, root, time.Hour)
	r = runMaybeLimited(t, args)
	c := statuses(summary(t, r))
	if r.code != 0 || c[pipeline.Archived]+c[pipeline.Unchanged] != st.Shipments {
		t.Fatalf("rerun with room again: %v\n%s", c, r)
	}
	checkArchive(t, root, pub, st.Shipments, nil)
}

func runMaybeLimited(t *testing.T, args []string) result {
	t.Helper()
	if args[0] == "run" {
		return cli(t, context.Background(), nil, args...)
	}
	c := exec.Command("prlimit", args...)
	var o, e strings.Builder
	c.Stdout, c.Stderr = &o, &e
	err := c.Run()
	r := result{stdout: o.String(), stderr: e.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}

// checkNoCorrupt: verify reports nothing but incomplete packs (and, when
// the run said it could not store its checkpoint, log entries no checkpoint
// covers yet); every published object is whole: its digest and signature
// check.
func checkNoCorrupt(t *testing.T, root, pub string, noCheckpoint bool) {
	t.Helper()
	rep, _ := verifyReport(t, root, pub, nil)
	for _, c := range rep.Failures() {
		switch {
		case c.Kind == "incomplete":
		case noCheckpoint && (c.Kind == "inclusion" || c.Kind == "checkpoint") && strings.Contains(c.Detail, "checkpoint"):
		default:
			t.Errorf("after the disk filled: %s", c)
		}
	}
}
