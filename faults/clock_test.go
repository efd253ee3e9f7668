package faults

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/local"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/archive/verify"
	"github.com/clearpack/clearpack/bench/gen"
	"github.com/clearpack/clearpack/pipeline"
	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/pipelinetest"
)

// runner builds a pipeline.Runner on a local archive with the given clock,
// signing with the key the CLI made.
func runner(t *testing.T, root, key string, now func() time.Time) *pipeline.Runner {
	t.Helper()
	st, err := local.New(root)
	if err != nil {
		t.Fatal(err)
	}
	w := pipelinetest.New(t, st)
	if w.Signer, err = signing.Load(context.Background(), signing.Options{KeyPath: key}); err != nil {
		t.Fatal(err)
	}
	r := w.Runner(t, auditlog.Options{Name: "faults-clock", Now: now})
	r.Actor, r.Clock = "faults", now
	return r
}

// runAt runs the pipeline with the clock at now, then signs a checkpoint as
// clearpack run does.
func runAt(t *testing.T, root, key string, files ingest.Files, now time.Time) (*pipeline.Summary, error) {
	t.Helper()
	r := runner(t, root, key, func() time.Time { return now })
	sum, err := r.Run(context.Background(), files, ingest.Limits{})
	if _, cerr := r.Log.Checkpoint(context.Background()); cerr != nil {
		t.Fatalf("checkpoint: %v", cerr)
	}
	return sum, err
}

// TestClockJumpsBackwards: a run whose clock is two hours behind the
// previous run's still archives (new inputs get a new version that
// supersedes the old one), the audit log keeps its order by index (entry
// times are what the clock said, and go backwards), and the whole archive
// verifies. An incomplete pack written "in the future" of a clock set back
// counts as in progress until the clock passes its time plus 15 minutes.
func TestClockJumpsBackwards(t *testing.T) {
	p, st := program(t, 40)
	key, pub := keypair(t)
	root := t.TempDir()
	t0 := time.Now()
	files := ingest.Files{Inventory: p.Inventory, Plan: p.Plan, Clearances: p.Clearances}

	sum, err := runAt(t, root, key, files, t0)
	if err != nil || sum.Count(pipeline.Archived) != st.Shipments {
		t.Fatalf("first run: %v %+v", err, sum)
	}
	// New inputs (every payment term changed), clock two hours behind.
	changePlan(t, p, "payment_terms: ", "payment_terms: Revised. ")
	back := t0.Add(-2 * time.Hour)
	sum, err = runAt(t, root, key, files, back)
	if err != nil || sum.Count(pipeline.Archived) != st.Shipments {
		t.Fatalf("run with the clock set back: %v %+v", err, sum)
	}
	for _, s := range sum.Shipments {
		if s.Version != 2 || s.Supersedes != 1 {
			t.Errorf("%s: v%d supersedes v%d, want v2 superseding v1", s.ID, s.Version, s.Supersedes)
		}
	}
	checkArchive2(t, root, pub)

	// An incomplete pack (v0003 with one object, written now by the real
	// clock) seen by an instance whose clock is two hours behind.
	changePlan(t, p, "payment_terms: Revised. ", "payment_terms: Again. ")
	id := sum.Shipments[0].ID
	partial := filepath.Join(root, filepath.Dir(strings.TrimSuffix(sum.Shipments[0].Path, "/")), "v0003", "commercial-invoice.pdf")
	if err := os.MkdirAll(filepath.Dir(partial), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(partial, []byte("%PDF-1.4 torn"), 0o444); err != nil {
		t.Fatal(err)
	}
	sum, err = runAt(t, root, key, files, back)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sum.Shipments {
		want := pipeline.Archived
		if s.ID == id {
			want = pipeline.InProgress
		}
		if s.Status != want {
			t.Errorf("%s: %s, want %s (%v)", s.ID, s.Status, want, s.Reasons)
		}
	}
	// Once the clock is right again and 15 minutes have passed, the next
	// version is written.
	later := t0.Add(16 * time.Minute)
	sum, err = runAt(t, root, key, files, later)
	if err != nil {
		t.Fatal(err)
	}
	if s := sum.Shipments[0]; s.Status != pipeline.Archived || s.Version != 4 {
		t.Errorf("%s after the clock caught up: %s v%d, want archived v4 (%v)", s.ID, s.Status, s.Version, s.Reasons)
	}
}

func changePlan(t *testing.T, p gen.Files, old, new string) {
	t.Helper()
	b, err := os.ReadFile(p.Plan)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("plan has no %q", old)
	}
	if err := os.WriteFile(p.Plan, []byte(strings.ReplaceAll(string(b), old, new)), 0o600); err != nil {
		t.Fatal(err)
	}
}

// checkArchive2 verifies the whole archive in-process: every check passes.
func checkArchive2(t *testing.T, root, pubPath string) {
	t.Helper()
	st, err := local.New(root)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(pubPath)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := signing.ParsePublicKeyPEM(b)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := verify.Verify(context.Background(), st, pub, verify.Options{})
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if !rep.OK() || rep.Packs == 0 {
		t.Fatalf("archive does not verify: %v", rep.Failures())
	}
}
