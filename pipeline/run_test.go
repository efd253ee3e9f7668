package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/local"
	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/mem"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/archive/verify"
	"github.com/clearpack/clearpack/pipeline"
	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/clearpack/clearpack/pipeline/pipelinetest"
	"github.com/clearpack/clearpack/pipeline/rules"
	"github.com/clearpack/clearpack/renderers"
)

var sample = pipelinetest.Sample()

// env is one local archive with the real renderer, rules and signer.
type env struct {
	*pipelinetest.World
	dir    string
	store  *local.Store
	signer *signing.Signer
	rend   *renderers.Renderer
	book   *rules.Book
}

func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	st, err := local.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	w := pipelinetest.New(t, st)
	return &env{World: w, dir: dir, store: st, signer: w.Signer, rend: w.Renderer, book: w.Rules}
}

// runner is a Runner as a new process would have it: its own audit log.
func (e *env) runner(t *testing.T, rend pipeline.Renderer) *pipeline.Runner {
	t.Helper()
	r := e.Runner(t, auditlog.Options{})
	if rend != nil {
		r.Renderer = rend
	}
	return r
}

func (e *env) run(t *testing.T, files ingest.Files) *pipeline.Summary {
	t.Helper()
	return pipelinetest.Run(t, e.runner(t, nil), files)
}

// snapshot maps every archived file to its contents.
func (e *env) snapshot(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := e.store.List(context.Background(), "", func(in archive.Info) error {
		b, err := archive.ReadAll(context.Background(), e.store, in.Key)
		out[in.Key] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (e *env) verify(t *testing.T) *verify.Report {
	t.Helper()
	rep, err := verify.Verify(context.Background(), e.store, e.signer.PublicKey(), verify.Options{})
	if err != nil && !errors.Is(err, verify.ErrFailed) {
		t.Fatal(err)
	}
	return rep
}

func byID(sum *pipeline.Summary) map[string]pipeline.ShipmentResult {
	m := map[string]pipeline.ShipmentResult{}
	for _, s := range sum.Shipments {
		m[s.ID] = s
	}
	return m
}

// The sample program: 19 shipments archived and verified, the one that a
// border would hold stopped with its reason; a re-run changes nothing.
func TestSampleRunAndRerun(t *testing.T) {
	e := newEnv(t)
	sum := e.run(t, sample)
	if got := sum.Count(pipeline.Archived); got != 19 {
		t.Errorf("archived %d shipments, want 19: %+v", got, sum.Shipments)
	}
	br3 := byID(sum)["APL26-BR-03"]
	if br3.Status != pipeline.Rejected || !strings.Contains(strings.Join(br3.Reasons, "\n"), "plan.yaml:") {
		t.Errorf("APL26-BR-03 = %s %v; want rejected naming plan.yaml and line", br3.Status, br3.Reasons)
	}
	// Nothing of the rejected shipment but its failure report is archived.
	snap := e.snapshot(t)
	for k := range snap {
		if strings.Contains(k, "/APL26-BR-03/") && !strings.Contains(k, "/rejected/") {
			t.Errorf("rejected shipment has a document archived: %s", k)
		}
	}
	vn := byID(sum)["APL26-VN-02"]
	var names []string
	for _, d := range vn.Documents {
		names = append(names, d.Name)
	}
	sort.Strings(names)
	for _, want := range []string{"commercial-invoice.pdf", "condition-declaration.pdf", "packing-list.pdf", "compliance-summary.pdf"} {
		if _, ok := snap[vn.Path+want]; !ok {
			t.Errorf("%s: %s not archived (documents %v)", vn.ID, want, names)
		}
		if _, ok := snap[vn.Path+want+".sig"]; !ok {
			t.Errorf("%s: %s.sig not archived", vn.ID, want)
		}
	}
	if rep := e.verify(t); !rep.OK() || rep.Packs != 19 {
		t.Fatalf("verify: %d packs, failures %v", rep.Packs, rep.Failures())
	}
	documentsNameNoFiles(t, snap)
	sampleInlandFreight(t, snap, byID(sum))

	again := e.run(t, sample)
	if got := again.Count(pipeline.Unchanged); got != 19 {
		t.Errorf("re-run: %d unchanged, want 19", got)
	}
	if got := again.Count(pipeline.Archived); got != 0 {
		t.Errorf("re-run archived %d new packs, want 0", got)
	}
	after := e.snapshot(t)
	for k, v := range snap {
		if after[k] != v {
			t.Errorf("re-run changed or removed %s", k)
		}
	}
	for k := range after {
		if _, ok := snap[k]; !ok {
			t.Errorf("re-run added %s", k)
		}
	}
}

// copySample copies the sample inputs into a temp dir, applying edit to the
// plan text.
func copySample(t *testing.T, editPlan, editInventory func(string) string) ingest.Files {
	t.Helper()
	dir := t.TempDir()
	out := ingest.Files{
		Inventory:  filepath.Join(dir, "inventory.csv"),
		Plan:       filepath.Join(dir, "plan.yaml"),
		Clearances: filepath.Join(dir, "clearances.yaml"),
	}
	for src, dst := range map[string]string{sample.Inventory: out.Inventory, sample.Plan: out.Plan, sample.Clearances: out.Clearances} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if dst == out.Plan && editPlan != nil {
			s = editPlan(s)
		}
		if dst == out.Inventory && editInventory != nil {
			s = editInventory(s)
		}
		if err := os.WriteFile(dst, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// A changed shipment gets a new version that supersedes the old one; the old
// version stays as it was and every other shipment is unchanged.
func TestChangedInputSupersedes(t *testing.T) {
	e := newEnv(t)
	first := e.run(t, sample)
	snap := e.snapshot(t)
	// Re-route APL26-VN-01: a new carrier reference.
	files := copySample(t, func(s string) string {
		i := strings.Index(s, "id: APL26-VN-01")
		j := strings.Index(s[i:], "reference: ")
		if i < 0 || j < 0 {
			t.Fatal("sample plan has no APL26-VN-01 transport reference")
		}
		j += i + len("reference: ")
		return s[:j] + "AMENDED-" + s[j:]
	}, nil)
	sum := e.run(t, files)
	got := byID(sum)
	vn := got["APL26-VN-01"]
	if vn.Status != pipeline.Archived || vn.Version != 2 || vn.Supersedes != 1 {
		t.Fatalf("APL26-VN-01 after re-routing: %s v%d supersedes %d; want archived v2 superseding 1", vn.Status, vn.Version, vn.Supersedes)
	}
	if n := sum.Count(pipeline.Unchanged); n != 18 {
		t.Errorf("%d shipments unchanged, want 18", n)
	}
	after := e.snapshot(t)
	for k, v := range snap {
		if after[k] != v {
			t.Errorf("%s changed or vanished after the new version", k)
		}
	}
	if first.Shipments[0].ID != "APL26-VN-01" {
		t.Logf("first shipment is %s", first.Shipments[0].ID)
	}
	rep := e.verify(t)
	if !rep.OK() || rep.Packs != 20 {
		t.Fatalf("verify: %d packs, failures %v", rep.Packs, rep.Failures())
	}
	// A re-routing amends: the documents that do not print the transport
	// are carried over byte for byte, the checks are not run again.
	for _, d := range vn.Documents {
		old := snap[strings.Replace(vn.Path, "v0002", "v0001", 1)+d.Name]
		carried := after[vn.Path+d.Name] == old
		kind := model.DocKind(strings.TrimSuffix(d.Name, ".pdf"))
		// The post-clearance pack names the digests of the others, so it is
		// re-issued with the invoice.
		reissued := renderers.PrintsTransport(kind) || kind == model.PostClearance
		if carried == reissued {
			t.Errorf("%s: carried over unchanged = %v", d.Name, carried)
		}
	}
	st, err := manifest.Open([]byte(after[vn.Path+manifest.FileName]), e.signer.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	if a := st.Predicate.Amendment; a == nil || a.Reason != "transport" || a.ChecksFrom != 1 || len(a.Reused) == 0 {
		t.Errorf("v0002 manifest amendment = %+v; want transport, checks from v1, reused documents", a)
	}
	// The audit log says which version was superseded.
	var superseded bool
	for k, v := range after {
		if strings.HasPrefix(k, auditlog.EntriesPrefix) && strings.Contains(v, auditlog.EventPackSuperseded) &&
			strings.Contains(v, "APL26-VN-01/v0001") && strings.Contains(v, "v0002") {
			superseded = true
		}
	}
	if !superseded {
		t.Error("no pack.superseded entry naming APL26-VN-01 v0001 and v0002 in the audit log")
	}
}

// One bad inventory row fails only the shipment that carries the unit.
func TestBadRowStopsOnlyItsShipment(t *testing.T) {
	e := newEnv(t)
	var tag string
	files := copySample(t, nil, func(s string) string {
		lines := strings.Split(s, "\n")
		// Break the serial of the first unit of APL26-MY-01's kind: the
		// first data row.
		cols := strings.Split(lines[1], ",")
		tag = cols[0]
		cols[1] = "../../etc/passwd"
		lines[1] = strings.Join(cols, ",")
		return strings.Join(lines, "\n")
	})
	sum := e.run(t, files)
	var failed []pipeline.ShipmentResult
	for _, s := range sum.Shipments {
		if s.Status == pipeline.Rejected {
			failed = append(failed, s)
		}
	}
	if len(failed) != 2 { // the broken one and APL26-BR-03
		t.Fatalf("%d shipments rejected, want 2: %+v", len(failed), failed)
	}
	var found bool
	for _, f := range failed {
		msg := strings.Join(f.Reasons, "\n")
		if strings.Contains(msg, "inventory.csv:2") && strings.Contains(msg, "serial") {
			found = true
		}
	}
	if !found {
		t.Errorf("no rejection names inventory.csv:2 and the serial field (asset %s): %+v", tag, failed)
	}
	if got := sum.Count(pipeline.Archived); got != 18 {
		t.Errorf("%d archived, want 18", got)
	}
	for k := range e.snapshot(t) {
		if strings.Contains(k, "passwd") || strings.Contains(k, "..") {
			t.Errorf("a key built from bad input reached the archive: %s", k)
		}
	}
}

// failingRenderer fails one shipment's invoice, as a full disk or a
// rendering fault would.
type failingRenderer struct {
	pipeline.Renderer
	shipment string
}

func (f failingRenderer) Render(ctx context.Context, kind model.DocKind, p renderers.Pack) (renderers.Document, error) {
	if p.Shipment.ID == f.shipment && kind == model.PackingList {
		return renderers.Document{}, errors.New("disk full")
	}
	return f.Renderer.Render(ctx, kind, p)
}

// A processing failure half-way through a pack leaves no pack that verifies;
// the others are archived; the next run completes it.
func TestFailureMidPackThenRerun(t *testing.T) {
	e := newEnv(t)
	r := e.runner(t, failingRenderer{Renderer: e.rend, shipment: "APL26-TH-01"})
	r.StaleAfter = time.Nanosecond
	sum, err := r.Run(context.Background(), sample, ingest.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	th := byID(sum)["APL26-TH-01"]
	if th.Status != pipeline.Failed || !strings.Contains(strings.Join(th.Reasons, " "), "disk full") {
		t.Fatalf("APL26-TH-01 = %s %v; want failed with the cause", th.Status, th.Reasons)
	}
	if n := sum.Count(pipeline.Archived); n != 18 {
		t.Errorf("%d archived, want 18", n)
	}
	if _, err := r.Log.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The half-written v0001 never verifies as a pack: the run that failed
	// recorded it as abandoned (issue 13), so verify accounts for it and
	// the archive passes.
	rep := e.verify(t)
	if !rep.OK() {
		t.Fatalf("verify after a half-written, recorded pack: %v", rep.Failures())
	}
	if !hasCheck(rep, verify.KindIncomplete, "APL26-TH-01/v0001/", "abandoned incomplete version") || !hasCheck(rep, verify.KindIncomplete, "APL26-TH-01/v0001/", "disk full") {
		t.Fatalf("verify does not report v0001 as abandoned with its cause: %v", rep.Checks)
	}
	// It is not left as in progress: the next run writes v0002 at once.
	again := e.run(t, sample)
	th = byID(again)["APL26-TH-01"]
	if th.Status != pipeline.Archived || th.Version != 2 || th.Supersedes != 0 {
		t.Fatalf("re-run: APL26-TH-01 = %s v%d supersedes %d; want archived v2 superseding nothing", th.Status, th.Version, th.Supersedes)
	}
	if n := again.Count(pipeline.Unchanged); n != 18 {
		t.Errorf("re-run: %d unchanged, want 18", n)
	}
	r2 := e.runner(t, nil)
	if _, err := r2.Log.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The crashed v0001 stays (nothing is deleted), accounted for.
	if rep := e.verify(t); !rep.OK() {
		t.Errorf("verify after recovery: %v", rep.Failures())
	}
}

func hasCheck(rep *verify.Report, k verify.Kind, object, detail string) bool {
	for _, c := range rep.Checks {
		if c.OK && c.Kind == k && strings.Contains(c.Object, object) && strings.Contains(c.Detail, detail) {
			return true
		}
	}
	return false
}

// An incomplete version whose writer may be alive is left to it; one whose
// writer is provably gone (this host, a process that no longer runs) is
// taken over at once; one on another host after StaleAfter. Either way the
// run records what it goes past, and the archive verifies.
func TestIncompleteVersionTakeOver(t *testing.T) {
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	const dir = "programs/apac-latam-server-refresh-2026/shipments/APL26-TH-01/v0001/"
	const lease = "scheduler/writers/apac-latam-server-refresh-2026/APL26-TH-01/v0001.json"
	for _, tc := range []struct {
		name   string
		lease  string
		later  time.Duration // the run's clock ahead of the objects' times
		status pipeline.Status
		why    string
	}{
		{"writer on another host, fresh", `{"host":"other-host","pid":1,"started":"` + time.Now().UTC().Format(time.RFC3339) + `"}`, 0, pipeline.InProgress, ""},
		{"writer on this host, gone", fmt.Sprintf(`{"host":%q,"pid":%d,"pid_start":"1","started":%q}`, host, dead.Process.Pid, time.Now().UTC().Format(time.RFC3339)), 0, pipeline.Archived, "is no longer running"},
		{"writer on another host, stale", `{"host":"other-host","pid":1,"started":"` + time.Now().UTC().Format(time.RFC3339) + `"}`, time.Hour, pipeline.Archived, "stale after"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			for key, b := range map[string][]byte{dir + "commercial-invoice.pdf": []byte("%PDF-1.7 half"), lease: []byte(tc.lease)} {
				if err := archive.PutBytes(ctx, e.store, key, b, archive.PutOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			r := e.runner(t, nil)
			if tc.later > 0 {
				r.Clock = func() time.Time { return time.Now().Add(tc.later) }
			}
			sum, err := r.Run(ctx, sample, ingest.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			th := byID(sum)["APL26-TH-01"]
			if th.Status != tc.status {
				t.Fatalf("APL26-TH-01 = %s %v, want %s", th.Status, th.Reasons, tc.status)
			}
			if _, err := r.Log.Checkpoint(ctx); err != nil {
				t.Fatal(err)
			}
			rep, err := verify.Verify(ctx, e.store, e.signer.PublicKey(), verify.Options{Now: r.Clock})
			if err != nil {
				t.Fatalf("verify: %v", rep.Failures())
			}
			if tc.status == pipeline.Archived && (th.Version != 2 || !hasCheck(rep, verify.KindIncomplete, dir, tc.why)) {
				t.Fatalf("v%d; verify does not report %s as abandoned (%q): %v", th.Version, dir, tc.why, rep.Checks)
			}
			if tc.status == pipeline.InProgress && !hasCheck(rep, verify.KindIncomplete, dir, "being written") {
				t.Fatalf("verify does not report %s as being written", dir)
			}
		})
	}
}

// Two instances on one archive at once: every shipment gets exactly one pack.
func TestTwoInstancesOneArchive(t *testing.T) {
	e := newEnv(t)
	var wg sync.WaitGroup
	sums := make([]*pipeline.Summary, 2)
	for i := range sums {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.runner(t, nil)
			s, err := r.Run(context.Background(), sample, ingest.Limits{})
			if err != nil {
				t.Error(err)
				return
			}
			sums[i] = s
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for i, s := range sums {
		if n := s.Count(pipeline.Failed); n != 0 {
			t.Errorf("instance %d: %d failed: %+v", i, n, s.Shipments)
		}
	}
	// Every good shipment was archived by exactly one instance.
	for _, sh := range sums[0].Shipments {
		other := byID(sums[1])[sh.ID]
		if sh.ID == "APL26-BR-03" {
			continue
		}
		if (sh.Status == pipeline.Archived) == (other.Status == pipeline.Archived) {
			t.Errorf("%s: instance 0 %s, instance 1 %s; want exactly one archived", sh.ID, sh.Status, other.Status)
		}
	}
	versions := map[string]bool{}
	for k := range e.snapshot(t) {
		if strings.HasSuffix(k, "/manifest.intoto.json") {
			versions[k] = true
		}
	}
	if len(versions) != 19 {
		t.Errorf("%d complete packs, want 19 (one per good shipment): %v", len(versions), versions)
	}
	r := e.runner(t, nil)
	if _, err := r.Log.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	rep := e.verify(t)
	if f := rep.FirstFailure(); f != nil && f.Kind != verify.KindIncomplete {
		t.Fatalf("verify: %v", rep.Failures())
	}
}

func TestUnusableInput(t *testing.T) {
	e := newEnv(t)
	empty := filepath.Join(t.TempDir(), "inventory.csv")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := e.runner(t, nil).Run(context.Background(), ingest.Files{Inventory: empty, Plan: sample.Plan}, ingest.Limits{})
	var inErr *pipeline.InputError
	if !errors.As(err, &inErr) || !strings.Contains(err.Error(), "inventory.csv") {
		t.Fatalf("Run with an empty inventory: %v; want an InputError naming the file", err)
	}
	for k := range e.snapshot(t) {
		if strings.HasPrefix(k, "programs/") {
			t.Errorf("an unusable input archived %s", k)
		}
	}
}

// The list of documents a re-routing re-issues must match what the renderers
// print: a document not on it renders the same bytes whatever the transport.
func TestPrintsTransport(t *testing.T) {
	e := newEnv(t)
	batch, err := ingest.Load(context.Background(), sample, ingest.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	reps := e.book.Check(rules.Input{Plan: batch.Plan, Assets: batch.Assets, Clearances: batch.Clearances})
	seen := map[model.DocKind]int{}
	for i, sh := range batch.Plan.Shipments {
		if !reps[i].OK() {
			continue
		}
		var assets []model.Asset
		for _, tag := range sh.Assets {
			assets = append(assets, *batch.Assets[tag])
		}
		p := renderers.Pack{Program: batch.Plan.Program, Shipment: sh, Assets: assets, Clearance: batch.Clearances[sh.ID], Version: 1, Lang: reps[i].Language, Checks: reps[i].Results, Extras: reps[i].Extras}
		q := p
		q.Shipment.Transport = model.Transport{Mode: "sea", Route: "SGSIN-VNSGN", Carrier: "Other Line", Reference: "BL-AMENDED-1"}
		for _, kind := range reps[i].Documents {
			seen[kind]++
			a, err := e.rend.Render(context.Background(), kind, p)
			if err != nil {
				t.Fatal(err)
			}
			b, err := e.rend.Render(context.Background(), kind, q)
			if err != nil {
				t.Fatal(err)
			}
			if same := string(a.PDF) == string(b.PDF); same == renderers.PrintsTransport(kind) {
				t.Errorf("%s %s: bytes equal across transports = %v, but PrintsTransport = %v", sh.ID, kind, same, renderers.PrintsTransport(kind))
			}
		}
	}
	for _, kind := range renderers.Kinds() {
		if seen[kind] == 0 {
			t.Errorf("the sample has no shipment with a %s; the guard does not cover it", kind)
		}
	}
}

// A shipment id that would escape the archive is refused, reported, and never
// used to build a key; the other shipments are archived.
func TestHostileShipmentID(t *testing.T) {
	e := newEnv(t)
	files := copySample(t, func(s string) string {
		return strings.Replace(s, "id: APL26-CL-01", "id: ../../evil", 1)
	}, nil)
	sum := e.run(t, files)
	got := byID(sum)["../../evil"]
	if got.Status != pipeline.Rejected || got.Path != "" || !strings.Contains(strings.Join(got.Reasons, "\n"), "plan.yaml:") {
		t.Fatalf("hostile id: %+v; want rejected, no path, reasons naming plan.yaml", got)
	}
	if n := sum.Count(pipeline.Archived); n != 18 {
		t.Errorf("%d archived, want 18", n)
	}
	for k := range e.snapshot(t) {
		if strings.Contains(k, "evil") {
			t.Errorf("archived %s", k)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(e.dir))
	for _, en := range entries {
		if en.Name() == "evil" {
			t.Errorf("a file escaped the archive: %s", en.Name())
		}
	}
}

// A stopped run finishes the shipment in hand, starts no other, and leaves
// no incomplete pack: the next run does the rest.
func TestStopFinishesShipmentInHand(t *testing.T) {
	e := newEnv(t)
	r := e.runner(t, nil)
	r.Workers = 1
	stop := make(chan struct{})
	var once sync.Once
	batch, err := ingest.Load(context.Background(), sample, ingest.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := r.RunBatch(context.Background(), batch, pipeline.RunOptions{Stop: stop,
		OnShipment: func(pipeline.ShipmentResult) { once.Do(func() { close(stop) }) }})
	if err != nil {
		t.Fatal(err)
	}
	done := sum.Count(pipeline.Archived) + sum.Count(pipeline.Rejected)
	if done != 1 || sum.Count(pipeline.NotStarted) != 19 {
		t.Fatalf("after a stop: %d done, %d not started; want 1 and 19", done, sum.Count(pipeline.NotStarted))
	}
	if _, err := r.Log.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	if rep := e.verify(t); !rep.OK() {
		t.Fatalf("verify after a stop: %v", rep.Failures())
	}
	again := e.run(t, sample)
	if n := again.Count(pipeline.Archived) + again.Count(pipeline.Unchanged); n != 19 {
		t.Errorf("next run: %d archived or unchanged, want 19", n)
	}
}

// A run killed between writing a pack's manifest and recording it in the
// audit log leaves a complete pack the log does not know; the next run
// records it, and the archive verifies.
func TestUnrecordedPackIsRecordedLate(t *testing.T) {
	e := newEnv(t)
	r := e.runner(t, nil)
	// The first run's log lives elsewhere: as if every append was lost.
	lost, err := auditlog.Open(context.Background(), mem.New(), e.signer, auditlog.Options{Name: "lost"})
	if err != nil {
		t.Fatal(err)
	}
	r.Log = lost
	if _, err := r.Run(context.Background(), sample, ingest.Limits{}); err != nil {
		t.Fatal(err)
	}
	again := e.run(t, sample)
	if n := again.Count(pipeline.Unchanged); n != 19 {
		t.Fatalf("%d unchanged, want 19", n)
	}
	if rep := e.verify(t); !rep.OK() {
		t.Fatalf("verify: %v", rep.Failures())
	}
	// Recorded once: a third run adds nothing.
	before := len(e.snapshot(t))
	e.run(t, sample)
	if after := len(e.snapshot(t)); after != before {
		t.Errorf("a third run added %d objects", after-before)
	}
}

// RunBatch lets go of each shipment's share of the batch once it is under
// way (a 100,000-unit program would otherwise keep ~110 MB of input live
// for the whole run); the outcome is the same.
func TestRunBatchLetsGoOfTheBatch(t *testing.T) {
	e := newEnv(t)
	batch, err := ingest.Load(context.Background(), sample, ingest.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(batch.Plan.Shipments))
	for i, sh := range batch.Plan.Shipments {
		ids[i] = sh.ID
	}
	r := e.runner(t, nil)
	sum, err := r.RunBatch(context.Background(), batch, pipeline.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Log.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := sum.Count(pipeline.Archived); got != 19 {
		t.Errorf("%d archived, want 19", got)
	}
	if n := len(batch.Assets); n != 0 {
		t.Errorf("%d assets still held by the batch after the run", n)
	}
	// Since the spool, nothing of the plan's entries stays: the run keeps
	// each id and destination on its own.
	if n := len(batch.Plan.Shipments); n != 0 {
		t.Errorf("%d plan entries still held by the batch after the run", n)
	}
	if n := len(batch.Clearances); n != 0 {
		t.Errorf("%d clearances still held by the batch after the run", n)
	}
	for i, s := range sum.Shipments {
		if s.ID != ids[i] {
			t.Errorf("summary entry %d is %q, want %q (plan order)", i, s.ID, ids[i])
		}
	}
	if v := e.verify(t); !v.OK() {
		t.Errorf("archive does not verify: %v", v.FirstFailure())
	}
}

// TestRunBatchClosesAnIndexedBatchsStores: once a batch read by Index is
// spooled, its stores' files (about the inputs' size on disk) are let go
// of: while the first shipment is dispatched, the process holds no
// clearpack store file open, though it held three after Index.
func TestRunBatchClosesAnIndexedBatchsStores(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("counts open files through /proc/self/fd")
	}
	stores := func() int {
		fds, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, fd := range fds {
			if to, err := os.Readlink("/proc/self/fd/" + fd.Name()); err == nil && strings.Contains(to, "clearpack-") && strings.Contains(to, ".store") {
				n++
			}
		}
		return n
	}
	e := newEnv(t)
	batch, err := ingest.Index(context.Background(), sample, ingest.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer batch.Close()
	if n := stores(); n != 3 {
		t.Fatalf("%d store files open after Index, want the asset, plan and clearance stores", n)
	}
	var once sync.Once
	during := -1
	sum, err := e.runner(t, nil).RunBatch(context.Background(), batch, pipeline.RunOptions{OnShipment: func(pipeline.ShipmentResult) {
		once.Do(func() { during = stores() })
	}})
	if err != nil {
		t.Fatal(err)
	}
	if got := sum.Count(pipeline.Archived); got != 19 {
		t.Errorf("%d archived, want 19", got)
	}
	if during != 0 {
		t.Errorf("%d store files open while shipments were dispatched, want none", during)
	}
}
