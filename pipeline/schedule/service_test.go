package schedule

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/mem"
	"github.com/clearpack/clearpack/pipeline"
	"github.com/clearpack/clearpack/pipeline/inbox"
	"github.com/clearpack/clearpack/pipeline/pipelinetest"
)

// localWorker is a worker on a local inbox and an in-memory archive.
func localWorker(t *testing.T, st archive.Store, owner string) (*Worker, string) {
	t.Helper()
	r := pipelinetest.New(t, st).Runner(t, auditlog.Options{Name: "archive-test"})
	r.Workers, r.Actor = 1, owner
	root := t.TempDir()
	ib, err := inbox.NewDir(root, inbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return &Worker{
		Inbox:   ib,
		Claims:  &inbox.Claims{Store: st, Owner: owner},
		Runner:  r,
		TempDir: t.TempDir(),
	}, root
}

func dropLocal(t *testing.T, root, id string, files map[string][]byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(root, id), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(root, id, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A batch recorded as done but still in the inbox (its instance stopped
// between the two) is moved out by the next pass, not processed again.
func TestPassFinishesAnInterruptedMove(t *testing.T) {
	ctx := context.Background()
	st := mem.New()
	w, root := localWorker(t, st, "me")
	dropLocal(t, root, "b1", smallBatch(t, "Tidy Program"))
	bs, _, err := w.Inbox.List(ctx)
	if err != nil || len(bs) != 1 {
		t.Fatalf("list %v %v", bs, err)
	}
	other := &inbox.Claims{Store: st, Owner: "crashed"}
	cl, err := other.Acquire(ctx, bs[0].Key)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Finish(ctx, cl, inbox.Failed, "runs/2026-03-01/x/report.json"); err != nil {
		t.Fatal(err)
	}
	res, err := w.Pass(ctx, Trigger{Mode: "once"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Outcome != OutcomeTidied || res[0].Report != "runs/2026-03-01/x/report.json" {
		t.Fatalf("results %+v", res)
	}
	if _, err := os.Stat(filepath.Join(root, "failed", "b1", "plan.yaml")); err != nil {
		t.Errorf("not moved to failed/ as recorded: %v", err)
	}
	n := 0
	_ = st.List(ctx, "programs/", func(archive.Info) error { n++; return nil })
	if n != 0 {
		t.Errorf("the batch was processed again: %d objects under programs/", n)
	}
}

// A worker whose batch was taken over while it worked stops, does not mark
// it done and leaves it in the inbox for the new owner.
func TestPassLeavesALostBatch(t *testing.T) {
	ctx := context.Background()
	st := mem.New()
	w, root := localWorker(t, st, "slow")
	dropLocal(t, root, "b1", smallBatch(t, "Lost Program"))
	w.OnBatch = func(b inbox.Batch, _ *slog.Logger, _ int) func(pipeline.ShipmentResult) {
		// Another instance writes the next claim generation meanwhile
		// (as a takeover would).
		next := inbox.ClaimsPrefix + b.Key + "/0000000002"
		if err := archive.PutBytes(ctx, st, next, []byte(`{"owner":"fast"}`), archive.PutOptions{}); err != nil {
			t.Error(err)
		}
		return nil
	}
	res, err := w.Pass(ctx, Trigger{Mode: "once"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Outcome != OutcomeLost {
		t.Fatalf("results %+v, want lost", res)
	}
	if _, err := w.Claims.Done(ctx, res[0].Batch); err == nil {
		t.Error("a lost batch was marked done")
	}
	if _, err := os.Stat(filepath.Join(root, "b1", "plan.yaml")); err != nil {
		t.Errorf("a lost batch was moved out of the inbox: %v", err)
	}
}

// At start, a slot missed within the deadline runs once at once; one
// missed beyond it is only logged.
func TestServiceCatchUp(t *testing.T) {
	for _, tc := range []struct {
		name     string
		deadline time.Duration
		runs     bool
		logged   string
	}{
		{"within the deadline", 2 * time.Hour, true, "slot missed while stopped; running it once now"},
		{"beyond the deadline", time.Nanosecond, false, "beyond the starting deadline; not replayed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := mem.New()
			w, _ := localWorker(t, st, "me")
			slots := &Slots{Store: st}
			now := time.Now().UTC()
			// The last completed slot was two hours ago: the @hourly slot
			// of one hour ago was missed (the next is up to an hour away).
			last := now.Truncate(time.Hour).Add(-2 * time.Hour)
			if err := slots.Record(ctx, "inbox", last, "earlier"); err != nil {
				t.Fatal(err)
			}
			var logs bytes.Buffer
			svc := &Service{Worker: w, Slots: slots, Schedules: []Schedule{{Name: "inbox", Spec: "@hourly", Deadline: tc.deadline}},
				Logger: slog.New(slog.NewTextHandler(&syncWriter{w: &logs}, nil))}
			stop, cancel := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- svc.Run(stop, ctx) }()
			if tc.runs {
				deadline := time.Now().Add(time.Minute) // safety net only
				for {
					got, err := slots.Last(ctx, "inbox")
					if err != nil {
						t.Fatal(err)
					}
					if got.After(last) {
						break
					}
					if time.Now().After(deadline) {
						t.Fatal("the missed slot did not run")
					}
					time.Sleep(20 * time.Millisecond)
				}
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(logs.String(), tc.logged) {
				t.Errorf("log lacks %q:\n%s", tc.logged, logs.String())
			}
			if got, _ := slots.Last(ctx, "inbox"); !tc.runs && !got.Equal(last) {
				t.Errorf("a slot beyond the deadline ran (last slot now %v)", got)
			}
		})
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
