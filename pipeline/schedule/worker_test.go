package schedule

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"gopkg.in/yaml.v3"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/pack"
	"github.com/clearpack/clearpack/archive/s3"
	"github.com/clearpack/clearpack/archive/s3/s3test"
	"github.com/clearpack/clearpack/archive/verify"
	"github.com/clearpack/clearpack/pipeline/inbox"
	"github.com/clearpack/clearpack/pipeline/pipelinetest"
	"github.com/clearpack/clearpack/pipeline/runreport"
)

const sampleDir = "../../testdata/sample"

// smallBatch is the sample inputs cut to the plan's first two shipments,
// under a program of its own (so every batch archives packs of its own).
func smallBatch(t *testing.T, program string) map[string][]byte {
	t.Helper()
	inv, err := os.ReadFile(filepath.Join(sampleDir, "inventory.csv"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(sampleDir, "plan.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		switch root.Content[i].Value {
		case "program":
			root.Content[i+1].Value = program
		case "shipments":
			root.Content[i+1].Content = root.Content[i+1].Content[:2]
		}
	}
	plan, err := yaml.Marshal(&doc)
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{"inventory.csv": inv, "plan.yaml": plan, inbox.Marker: nil}
}

type fixture struct {
	srv     *s3test.Server
	archive string              // bucket
	inbox   string              // bucket
	world   *pipelinetest.World // its key, renderers and rules; each worker has its own store
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	srv := s3test.Start(t, s3test.MinIO)
	f := &fixture{srv: srv, archive: srv.NewBucket(t, true), inbox: srv.NewBucket(t, false)}
	f.world = pipelinetest.New(t, nil)
	return f
}

func (f *fixture) drop(t *testing.T, id string, files map[string][]byte) {
	t.Helper()
	for name, body := range files {
		_, err := f.srv.Client.PutObject(context.Background(), f.inbox, "drop/"+id+"/"+name, bytes.NewReader(body), int64(len(body)), minio.PutObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// store opens the archive as one instance would: its own client.
func (f *fixture) store(t *testing.T) archive.Store {
	t.Helper()
	st, err := s3.New(context.Background(), s3.Config{Bucket: f.archive, Prefix: "cp", Endpoint: f.srv.Endpoint, Insecure: true}, f.srv.Creds())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// worker is one instance: its own archive client, audit log, inbox client
// and claim client.
func (f *fixture) worker(t *testing.T, name string, m *Metrics) *Worker {
	t.Helper()
	st := f.store(t)
	r := f.world.On(st).Runner(t, auditlog.Options{Name: "archive-test"})
	r.Workers, r.Actor = 2, name
	client, err := minio.New(f.srv.Endpoint, &minio.Options{Creds: f.srv.Creds(), Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	return &Worker{
		Inbox:   inbox.NewS3(client, f.inbox, "drop", inbox.Options{}),
		Claims:  &inbox.Claims{Store: st, Owner: name, Lease: 30 * time.Second},
		Runner:  r,
		Metrics: m,
		TempDir: t.TempDir(),
	}
}

func (f *fixture) inboxKeys(t *testing.T) []string {
	t.Helper()
	var keys []string
	for o := range f.srv.Client.ListObjects(context.Background(), f.inbox, minio.ListObjectsOptions{Prefix: "drop/", Recursive: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		keys = append(keys, o.Key)
	}
	return keys
}

// Three instances work one inbox and one archive at the same time: every
// batch is processed exactly once.
func TestThreeInstancesProcessEachBatchOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const batches = 5
	for k := range batches {
		f.drop(t, fmt.Sprintf("batch-%d", k), smallBatch(t, fmt.Sprintf("Batch Program %d", k)))
	}
	var mu sync.Mutex
	done := map[string][]string{} // batch id -> instances that finished it
	var wg sync.WaitGroup
	for i := range 3 {
		name := fmt.Sprintf("instance-%d", i)
		w := f.worker(t, name, nil)
		wg.Go(func() {
			// Each instance passes over the inbox until it is empty, the
			// way cron slots would.
			for range 4 {
				res, err := w.Pass(ctx, Trigger{Mode: "serve", Schedule: "inbox"})
				if err != nil {
					t.Errorf("%s: %v", name, err)
					return
				}
				for _, r := range res {
					switch r.Outcome {
					case string(inbox.Done):
						mu.Lock()
						id := r.Batch[:strings.LastIndex(r.Batch, "-")]
						done[id] = append(done[id], name)
						mu.Unlock()
					case OutcomeHeld, OutcomeTidied:
					default:
						t.Errorf("%s: batch %s: %s %s", name, r.Batch, r.Outcome, r.Err)
					}
				}
			}
		})
	}
	wg.Wait()

	for k := range batches {
		id := fmt.Sprintf("batch-%d", k)
		if len(done[id]) != 1 {
			t.Errorf("%s processed by %v, want exactly one instance", id, done[id])
		}
	}
	// The inbox: every batch moved to done/ with its report, none left.
	keys := f.inboxKeys(t)
	for k := range batches {
		for _, name := range []string{"inventory.csv", "plan.yaml", inbox.Marker, inbox.ReportName} {
			want := fmt.Sprintf("drop/done/batch-%d/%s", k, name)
			if !contains(keys, want) {
				t.Errorf("inbox lacks %s; has %v", want, keys)
			}
		}
		if contains(keys, fmt.Sprintf("drop/batch-%d/plan.yaml", k)) {
			t.Errorf("batch-%d left in the inbox", k)
		}
	}

	// The archive: one run report per batch; each shipment archived once
	// (one pack version, one pack.archived entry in the audit log).
	st := f.store(t)
	var reports, archivedEntries int
	versions := map[string]int{}
	err := st.List(ctx, "", func(in archive.Info) error {
		switch {
		case strings.HasPrefix(in.Key, pack.RunsPrefix) && strings.HasSuffix(in.Key, "/report.json"):
			reports++
			b, err := archive.ReadAll(ctx, st, in.Key)
			if err != nil {
				return err
			}
			var r runreport.Report
			if err := json.Unmarshal(b, &r); err != nil {
				return err
			}
			if r.Counts.Archived != 2 || r.Counts.Unchanged+r.Counts.InProgress+r.Counts.Failed != 0 {
				t.Errorf("report %s: counts %+v, want 2 archived and nothing else", in.Key, r.Counts)
			}
		case strings.HasPrefix(in.Key, auditlog.EntriesPrefix):
			b, err := archive.ReadAll(ctx, st, in.Key)
			if err != nil {
				return err
			}
			var e auditlog.Entry
			if err := json.Unmarshal(b, &e); err != nil {
				return err
			}
			if e.Event == auditlog.EventPackArchived {
				archivedEntries++
			}
		case strings.HasPrefix(in.Key, "programs/") && strings.HasSuffix(in.Key, "/manifest.intoto.json"):
			versions[in.Key[:strings.LastIndex(in.Key, "/v")]]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if reports != batches {
		t.Errorf("%d run reports, want %d", reports, batches)
	}
	if archivedEntries != 2*batches || len(versions) != 2*batches {
		t.Errorf("%d pack.archived entries and %d shipments with packs, want %d", archivedEntries, len(versions), 2*batches)
	}
	for sh, n := range versions {
		if n != 1 {
			t.Errorf("%s has %d pack versions, want 1", sh, n)
		}
	}
	rep, err := verify.Verify(ctx, st, f.world.Signer.PublicKey(), verify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		var b strings.Builder
		_ = rep.WriteText(&b)
		t.Errorf("the archive does not verify:\n%s", b.String())
	}
}

// A batch whose claim was left by a dead instance is taken over once the
// lease has expired; a live lease is left alone.
func TestDeadInstanceBatchIsTakenOver(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.drop(t, "orphan", smallBatch(t, "Orphan Program"))
	f.drop(t, "busy", smallBatch(t, "Busy Program"))

	w := f.worker(t, "survivor", NewMetrics())
	batches, _, err := w.Inbox.List(ctx)
	if err != nil || len(batches) != 2 {
		t.Fatalf("list: %v %v", batches, err)
	}
	keyOf := map[string]string{}
	for _, b := range batches {
		keyOf[b.ID] = b.Key
	}
	// "dead" claimed the orphan 10 minutes ago with a 2-minute lease and
	// never came back; "busy" holds its batch with a lease that is live.
	past := func() time.Time { return time.Now().Add(-10 * time.Minute) }
	dead := &inbox.Claims{Store: f.store(t), Owner: "dead", Lease: 2 * time.Minute, Clock: past}
	if _, err := dead.Acquire(ctx, keyOf["orphan"]); err != nil {
		t.Fatal(err)
	}
	busy := &inbox.Claims{Store: f.store(t), Owner: "busy", Lease: 10 * time.Minute}
	if _, err := busy.Acquire(ctx, keyOf["busy"]); err != nil {
		t.Fatal(err)
	}

	res, err := w.Pass(ctx, Trigger{Mode: "once"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range res {
		got[r.Batch] = r.Outcome
	}
	if got[keyOf["orphan"]] != string(inbox.Done) || got[keyOf["busy"]] != OutcomeHeld {
		t.Errorf("outcomes %v: want the orphan done and the busy batch held", got)
	}
	var takeovers float64
	mfs, err := w.Metrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == "clearpack_claim_takeovers_total" {
			takeovers = mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	if takeovers != 1 {
		t.Errorf("clearpack_claim_takeovers_total = %v, want 1", takeovers)
	}
	rec, err := w.Claims.Done(ctx, keyOf["orphan"])
	if err != nil || rec.Owner != "survivor" {
		t.Errorf("done record %+v %v", rec, err)
	}
	b, err := archive.ReadAll(ctx, w.Runner.Store, rec.Report)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"batch": "`+keyOf["orphan"]+`"`)) || !bytes.Contains(b, []byte(`"instance": "survivor"`)) {
		t.Errorf("run report:\n%s", b)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
