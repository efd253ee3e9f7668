package faults

import (
	"context"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/clearpack/clearpack/pipeline"
)

// TestKillAtTenPoints kills clearpack run with SIGKILL after the Nth archive
// object appears, for ten values of N spread over a whole run, then reruns
// it as a scheduler would. The first rerun leaves packs written within the
// last 15 minutes to the instance it takes to be writing them (reported as
// in progress, nothing failed); once they are older than that, the next rerun
// completes the batch. Then every complete pack and the audit log verify,
// no shipment has two packs, and the remains of the killed run never verify.
func TestKillAtTenPoints(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: ten killed runs")
	}
	p, st := program(t, 150)
	key, pub := keypair(t)

	// A complete run tells how many objects a run writes.
	full := t.TempDir()
	if r := cli(t, context.Background(), nil, runArgs(p, key, full)...); r.code != 0 {
		t.Fatalf("uninterrupted run: %s", r)
	}
	total := publishedFiles(full)
	if total < 50 {
		t.Fatalf("a run writes only %d objects", total)
	}
	for i := 1; i <= 10; i++ {
		n := total * i / 11
		t.Run(strconv.Itoa(n)+"-objects", func(t *testing.T) {
			root := t.TempDir()
			killAfter(t, exec.Command(clearpackBin, runArgs(p, key, root)...), root, n)

			r := cli(t, context.Background(), nil, runArgs(p, key, root)...)
			s := summary(t, r)
			c := statuses(s)
			// Packs the killed run left half-written are in progress until
			// they are stale: not archived yet, so exit 3.
			if r.code != wantCode(c) || c[pipeline.Failed]+c[pipeline.Rejected] > 0 || c[pipeline.Archived]+c[pipeline.Unchanged]+c[pipeline.InProgress] != st.Shipments {
				t.Fatalf("rerun right after the kill: %v\n%s", c, r)
			}

			age(t, root, time.Hour)
			r = cli(t, context.Background(), nil, runArgs(p, key, root)...)
			c = statuses(summary(t, r))
			if r.code != 0 || c[pipeline.Archived]+c[pipeline.Unchanged] != st.Shipments {
				t.Fatalf("rerun once the killed run's packs are stale: %v\n%s", c, r)
			}
			checkArchive(t, root, pub, st.Shipments, nil)
		})
	}
}

// killAfter starts c and kills it with SIGKILL as soon as root holds n
// published objects. It fails the test if c ends before that.
func killAfter(t *testing.T, c *exec.Cmd, root string, n int) {
	t.Helper()
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			t.Fatalf("run ended (%v) before %d objects were written (%d)", err, n, publishedFiles(root))
		case <-tick.C:
			if publishedFiles(root) >= n {
				if err := c.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
				<-done
				t.Logf("killed after %d objects", publishedFiles(root))
				return
			}
		}
	}
}
