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
// it as a scheduler would. The killed run's leases name this host and a
// process that no longer exists, so the rerun takes over at once: it
// records every half-written version as abandoned and completes the batch
// (exit 0). Then verify of the whole archive passes, every shipment has
// exactly one complete pack, and a further run archives nothing new.
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
	abandoned := 0
	for i := 1; i <= 10; i++ {
		n := total * i / 11
		t.Run(strconv.Itoa(n)+"-objects", func(t *testing.T) {
			root := t.TempDir()
			killAfter(t, exec.Command(clearpackBin, runArgs(p, key, root)...), root, n)

			r := cli(t, context.Background(), nil, runArgs(p, key, root)...)
			c := statuses(summary(t, r))
			if r.code != 0 || c[pipeline.Archived]+c[pipeline.Unchanged] != st.Shipments {
				t.Fatalf("rerun right after the kill: %v\n%s", c, r)
			}
			abandoned += checkArchive(t, root, pub, st.Shipments, nil)

			r = cli(t, context.Background(), nil, runArgs(p, key, root)...)
			c = statuses(summary(t, r))
			if r.code != 0 || c[pipeline.Unchanged] != st.Shipments {
				t.Fatalf("a further run: %v\n%s", c, r)
			}
		})
	}
	t.Logf("%d half-written versions recorded as abandoned over the ten kills", abandoned)
	if abandoned == 0 {
		t.Error("no kill left a half-written version: the test no longer exercises recovery")
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
