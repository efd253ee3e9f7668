package pipeline_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/bench/gen"
	"github.com/clearpack/clearpack/pipeline"
	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/pipelinetest"
)

// runHeldAndSpooled runs files twice, each into a fresh local archive with
// one signing key and one clock: once holding the whole program while it
// runs (as runs went before the spool) and once through the spool file.
// It returns both summaries and archives.
func runHeldAndSpooled(t *testing.T, files ingest.Files, o pipeline.RunOptions) (held, spooled *pipeline.Summary, heldArc, spooledArc map[string]string) {
	t.Helper()
	key := pipelinetest.Key(t)
	one := func(hold bool) (*pipeline.Summary, map[string]string) {
		defer pipeline.HoldProgram(hold)()
		e := newEnv(t)
		e.signer = key
		e.World.Signer = key
		r := e.Runner(t, auditlog.Options{})
		r.Clock = func() time.Time { return time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC) }
		batch, err := ingest.Load(context.Background(), files, ingest.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		sum, err := r.RunBatch(context.Background(), batch, o)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Log.Checkpoint(context.Background()); err != nil {
			t.Fatal(err)
		}
		if v := e.verify(t); !v.OK() {
			t.Errorf("hold %v: archive does not verify: %v", hold, v.FirstFailure())
		}
		return sum, e.snapshot(t)
	}
	held, heldArc = one(true)
	spooled, spooledArc = one(false)
	return
}

// sameArchive compares two archives object by object: documents, sums,
// failure reports and manifests byte for byte; for a signed envelope
// (manifest, failure report, audit entry) its signed payload, the ECDSA
// signature itself differing on every signing; detached .sig files are
// checked by verify, not compared.
func sameArchive(t *testing.T, a, b map[string]string) {
	t.Helper()
	if len(a) != len(b) {
		t.Errorf("%d objects held, %d spooled", len(a), len(b))
	}
	compared := 0
	for k, av := range a {
		bv, ok := b[k]
		if !ok {
			t.Errorf("%s archived holding the program, not through the spool", k)
			continue
		}
		if strings.HasSuffix(k, ".sig") {
			continue
		}
		if strings.HasPrefix(k, "audit/") {
			// Entries are appended as shipments end, in whatever order the
			// workers finish; each names its index and the one before.
			continue
		}
		if pa, pb, ok := payloads(av, bv); ok {
			av, bv = pa, pb
		}
		if av != bv {
			t.Errorf("%s differs:\nheld    %.300s\nspooled %.300s", k, av, bv)
		}
		compared++
	}
	if compared == 0 {
		t.Error("nothing compared")
	}
	ea, eb := entries(t, a), entries(t, b)
	if len(ea) == 0 || strings.Join(ea, "\n") != strings.Join(eb, "\n") {
		t.Errorf("audit entries differ (in any order):\nheld:\n%s\nspooled:\n%s", strings.Join(ea, "\n"), strings.Join(eb, "\n"))
	}
}

// entries are an archive's audit entries without their place in the log
// (index, links, signature), sorted.
func entries(t *testing.T, arc map[string]string) []string {
	t.Helper()
	var out []string
	for k, v := range arc {
		if !strings.HasPrefix(k, "audit/entries/") {
			continue
		}
		var e map[string]any
		if err := json.Unmarshal([]byte(v), &e); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		for _, f := range []string{"index", "prev", "prev_hash", "signature", "sig", "leaf_hash"} {
			delete(e, f)
		}
		// The digests of signed envelopes differ with their signatures;
		// sameArchive compares their payloads.
		if d, ok := e["digests"].(map[string]any); ok {
			delete(d, "manifest.intoto.json")
			delete(d, "report.json")
		}
		b, _ := json.Marshal(e)
		out = append(out, string(b))
	}
	sort.Strings(out)
	return out
}

// payloads returns the signed payloads of two DSSE envelopes (or of two
// JSON documents holding one), if both are.
func payloads(a, b string) (string, string, bool) {
	var ea, eb struct {
		Payload string `json:"payload"`
	}
	if json.Unmarshal([]byte(a), &ea) != nil || json.Unmarshal([]byte(b), &eb) != nil || ea.Payload == "" || eb.Payload == "" {
		return "", "", false
	}
	return ea.Payload, eb.Payload, true
}

func sameSummary(t *testing.T, a, b *pipeline.Summary) {
	t.Helper()
	ca, cb := *a, *b
	ca.Archive, cb.Archive = "", "" // two directories
	ja, _ := json.MarshalIndent(ca, "", " ")
	jb, _ := json.MarshalIndent(cb, "", " ")
	la, lb := strings.Split(string(ja), "\n"), strings.Split(string(jb), "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			t.Errorf("summaries differ at line %d:\nheld    %s\nspooled %s", i+1, la[i], lb[i])
			return
		}
	}
	if len(la) != len(lb) {
		t.Errorf("summaries differ: %d lines held, %d spooled", len(la), len(lb))
	}
}

// The spool changes where a run keeps its shipments, not what it makes: on
// the sample (one shipment rejected at the desk) the summary and every
// archived object are the same as when the run holds the whole program.
func TestSpoolSameArchiveSample(t *testing.T) {
	h, s, ha, sa := runHeldAndSpooled(t, sample, pipeline.RunOptions{})
	if h.Count(pipeline.Archived) != 19 || h.Count(pipeline.Rejected) != 1 {
		t.Fatalf("held run: %d archived, %d rejected; want 19 and 1", h.Count(pipeline.Archived), h.Count(pipeline.Rejected))
	}
	sameSummary(t, h, s)
	sameArchive(t, ha, sa)
}

// The same on a generated program of 300 units in which one inventory row
// is bad (its shipment is rejected naming the file, line and field; the
// others archive) and on one shard of it.
func TestSpoolSameArchiveGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("renders ~40 packs twice")
	}
	smp, err := gen.ReadSample(filepath.Join("..", "testdata", "sample"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gf, _, err := smp.Write(dir, 300)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := os.ReadFile(gf.Inventory)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(inv), "\n")
	if !strings.Contains(lines[7], ",USD,") {
		t.Fatalf("inventory line 8 not in USD: %s", lines[7])
	}
	lines[7] = strings.Replace(lines[7], ",USD,", ",EUR,", 1)
	if err := os.WriteFile(gf.Inventory, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	files := ingest.Files{Inventory: gf.Inventory, Plan: gf.Plan, Clearances: gf.Clearances}

	h, s, ha, sa := runHeldAndSpooled(t, files, pipeline.RunOptions{})
	if h.Count(pipeline.Rejected) != 1 || h.Count(pipeline.Archived) != len(h.Shipments)-1 {
		t.Fatalf("held run: %d archived, %d rejected of %d; want one rejected", h.Count(pipeline.Archived), h.Count(pipeline.Rejected), len(h.Shipments))
	}
	for _, r := range s.Shipments {
		if r.Status == pipeline.Rejected && (!strings.Contains(strings.Join(r.Reasons, "\n"), "inventory.csv:8: asset") || !strings.Contains(strings.Join(r.Reasons, "\n"), `currency: "EUR"`)) {
			t.Errorf("%s rejected without naming inventory.csv:8 and the field: %v", r.ID, r.Reasons)
		}
	}
	sameSummary(t, h, s)
	sameArchive(t, ha, sa)

	h, s, ha, sa = runHeldAndSpooled(t, files, pipeline.RunOptions{Shard: pipeline.Shard{Index: 1, Count: 3}})
	sameSummary(t, h, s)
	sameArchive(t, ha, sa)
}

// Once the checks have run, the batch no longer holds the program: before
// the first shipment ends, its assets, plan entries and clearances are gone; the spool file is gone from the directory
// (unlinked while open) during the run and after it.
func TestSpoolLetsGoOfTheBatchBeforeDispatch(t *testing.T) {
	dir := t.TempDir()
	defer pipeline.SpoolDir(dir)()
	e := newEnv(t)
	batch, err := ingest.Load(context.Background(), sample, ingest.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	type seen struct {
		assets, entries, clearances int
		files                       []os.DirEntry
	}
	first := make(chan seen, 1)
	o := pipeline.RunOptions{OnShipment: func(pipeline.ShipmentResult) {
		s := seen{assets: len(batch.Assets), entries: len(batch.Plan.Shipments), clearances: len(batch.Clearances)}
		s.files, _ = os.ReadDir(dir)
		select {
		case first <- s:
		default:
		}
	}}
	sum, err := e.runner(t, nil).RunBatch(context.Background(), batch, o)
	if err != nil {
		t.Fatal(err)
	}
	if got := sum.Count(pipeline.Archived); got != 19 {
		t.Errorf("%d archived, want 19", got)
	}
	s := <-first
	if s.assets != 0 || s.entries != 0 || s.clearances != 0 {
		t.Errorf("when the first shipment ended the batch still held %d assets, %d plan entries and %d clearances", s.assets, s.entries, s.clearances)
	}
	if len(s.files) != 0 {
		t.Errorf("spool directory during the run: %v, want empty (the spool is unlinked)", s.files)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left in the spool directory: %v", left)
	}
}

// A spool that cannot be made (its directory is gone) stops the run before
// any shipment, with an error that says so.
func TestSpoolUnwritable(t *testing.T) {
	defer pipeline.SpoolDir(filepath.Join(t.TempDir(), "gone"))()
	e := newEnv(t)
	_, err := e.runner(t, nil).Run(context.Background(), sample, ingest.Limits{})
	if err == nil || !strings.Contains(err.Error(), "spool file") {
		t.Fatalf("err = %v, want one naming the spool file", err)
	}
	if snap := e.snapshot(t); len(snap) > 0 {
		for k := range snap {
			if strings.HasPrefix(k, "programs/") {
				t.Errorf("%s archived although the run could not start", k)
			}
		}
	}
}
