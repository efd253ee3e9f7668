// Package pipeline runs clearpack's job: ingest the inputs, check every
// shipment against the country rules, render its documents, sign them and
// archive them as a pack, recording each event in the audit log.
//
// One bad shipment never stops the others: each shipment is processed on its
// own, and a shipment that fails validation gets its failure report archived
// instead of documents. A pack is complete only once its manifest is written
// (last); a crash leaves at most an incomplete version directory, which never
// verifies and is skipped by the next run.
//
// This file dispatches shipments and decides what each one gets; the pack's
// layout and writing belong to archive/pack, the events to record.go.
package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/pack"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/clearpack/clearpack/pipeline/rules"
	"github.com/clearpack/clearpack/renderers"
)

// Renderer renders one document; renderers.Renderer is one.
type Renderer interface {
	Render(ctx context.Context, kind model.DocKind, p renderers.Pack) (renderers.Document, error)
	TemplateVersion() string
}

// Checker runs the country rules; rules.Book is one.
type Checker interface {
	// Prepare runs the checks across shipments; each shipment's report is
	// then made on demand, so a large plan never holds every report at once.
	Prepare(in rules.Input) *rules.Checked
	Version() string
}

// Runner holds what every run needs; it is not changed by a run, so one
// Runner may serve runs one after another or at once. All fields but Logger,
// Workers, Clock and StaleAfter are required.
type Runner struct {
	Store    archive.Store
	Signer   *signing.Signer
	Renderer Renderer
	Rules    Checker
	Log      *auditlog.Log
	// Logger is the default of RunOptions.Logger.
	Logger *slog.Logger
	// Workers bounds how many shipments are processed at once; 0 means two
	// per CPU. Rendering, the CPU-bound part, runs at most one document per
	// CPU (and at most Workers) at a time whatever Workers says: the extra
	// shipments in flight are signing and archiving (waiting on fsync or the
	// network), which would otherwise leave a CPU idle.
	Workers int
	// Actor is recorded in the audit log as who ran the job.
	Actor string
	// Clock stamps audit entries; time.Now when nil. Documents never read it.
	Clock func() time.Time
	// StaleAfter is how long an incomplete pack version may go without a new
	// object before it is taken for the remains of a crashed run (and a new
	// version is written). Until then it is another instance's work in
	// progress, and the shipment is left to it. Zero means
	// DefaultStaleAfter.
	StaleAfter time.Duration
	// PDF, when set, embeds a signature (PAdES) in every rendered document
	// before it is archived; the detached .sig, SHA256SUMS and manifest are
	// then over the signed bytes, and the manifest names each first revision.
	PDF PDFSigner
	// TSA, when set, time-stamps every manifest (RFC 3161): the response is
	// archived beside it as manifest.intoto.json.tsr, before the manifest.
	TSA Stamper
}

// RunOptions are what one run has of its own.
type RunOptions struct {
	// Logger is where the run logs (Runner.Logger when nil; nothing when
	// both are nil).
	Logger *slog.Logger
	// OnShipment, when set, is called with each shipment's result as soon
	// as it is known (progress displays, metrics). It is called from the
	// worker goroutines, possibly concurrently, and must not block long.
	OnShipment func(ShipmentResult)
	// Stop, when closed, starts no further shipment; the shipments in hand
	// finish (under ctx, which may still cancel them). Shipments never
	// started end as NotStarted.
	Stop <-chan struct{}
	// Shard, when set, processes only the shard's share of the shipments
	// (see Shard); the summary lists only those. The checks still see the
	// whole plan.
	Shard Shard
}

func (r *Runner) now() time.Time {
	if r.Clock != nil {
		return r.Clock().UTC()
	}
	return time.Now().UTC()
}

// Run reads the inputs and processes every shipment. The error is non-nil
// only when nothing could be processed (unusable input, cancelled context);
// per-shipment outcomes are in the summary.
func (r *Runner) Run(ctx context.Context, files ingest.Files, lim ingest.Limits) (*Summary, error) {
	batch, err := ingest.Index(ctx, files, lim)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	defer batch.Close()
	return r.RunBatch(ctx, batch, RunOptions{})
}

// RunBatch processes a batch already read. It consumes the batch: once the
// checks have run, each shipment's plan entry, assets, clearance and report
// are written to a temporary spool file (see spool) and let go of in the
// batch (its id and destination stay), so that the live heap during the run
// is the shipments in flight whatever the program's size; a batch read by
// ingest.Index is then closed (its stores' indexes and files let go of:
// the spool has what the run reads). The caller's Close stays safe.
func (r *Runner) RunBatch(ctx context.Context, batch *ingest.Batch, o RunOptions) (*Summary, error) {
	program, err := Slug(batch.Plan.Program)
	if err != nil {
		return nil, &InputError{Err: fmt.Errorf("%s: program: %w", batch.Plan.Src.File, err)}
	}
	if err := r.publishKey(ctx); err != nil {
		return nil, err
	}
	if o.Logger == nil {
		o.Logger = r.Logger
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if err := o.Shard.Valid(); err != nil {
		return nil, err
	}
	sum := &Summary{Program: batch.Plan.Program, Archive: r.Store.String(), Inputs: batch.Inputs, Shard: o.Shard.String()}
	for _, p := range batch.FileProblems() {
		sum.Problems = append(sum.Problems, p.Error())
	}
	// The checks find each shipment's assets and clearance when they
	// report it (in an indexed batch, reading them back from its stores); a
	// store that fails to read fails the run below, before any shipment is
	// dispatched.
	look := batch.Lookup()
	checked := r.Rules.Prepare(rules.Input{Plan: batch.Plan, Asset: look.Asset, Clearance: look.Clearance, Reported: batch.Reported})
	uses := assetUses(batch)
	// Each shipment's id and destination, all the dispatching loop and the
	// summary read of the plan.
	plan := make([]planRef, batch.Plan.Len())
	for i := range plan {
		sh := batch.Plan.Outline(i)
		plan[i] = planRef{ID: sh.ID, Destination: sh.Destination}
	}
	var sp *spool
	if !holdProgram {
		if sp, err = spoolBatch(batch, checked, uses, o.Shard); err != nil {
			return nil, fmt.Errorf("run: writing the checked shipments to a spool file: %w", err)
		}
		defer sp.Close()
		if err := look.Err(); err != nil {
			return nil, fmt.Errorf("run: reading the program's assets or clearances back: %w", err)
		}
		// What is left of the plan's entries (whole, ~1 KB a shipment;
		// indexed, their outlines), the clearances and the asset counts
		// are spooled too.
		*batch.Plan = model.Plan{Program: batch.Plan.Program, Src: batch.Plan.Src}
		batch.Clearances, uses = map[string]*model.Clearance{}, nil
		// So are the stores' records: their indexes (~40 bytes a unit)
		// and files (about the inputs' size on disk) are not needed.
		if err := batch.Close(); err != nil {
			return nil, fmt.Errorf("run: closing the program's temporary stores: %w", err)
		}
		// The batch's program is garbage now: give its pages back, so
		// that the run's resident size is what it holds, not what
		// reading the program once took.
		debug.FreeOSMemory()
	}
	results := make([]ShipmentResult, len(plan))
	cpus := runtime.GOMAXPROCS(0)
	workers := r.Workers
	if workers <= 0 {
		workers = 2 * cpus
	}
	sem := make(chan struct{}, workers)
	renders := make(renderSlots, min(workers, cpus))
	var wg sync.WaitGroup
	stopped := false
	for i := range plan {
		sh := plan[i]
		if !o.Shard.Owns(sh.ID) {
			if sp == nil {
				checked.Release(i)
				drop(batch, i, uses)
			}
			sum.OtherShards++
			continue
		}
		if !stopped {
			select {
			case sem <- struct{}{}:
				select { // a stop that came while waiting wins
				case <-o.Stop:
					<-sem
					stopped = true
				default:
				}
			case <-o.Stop:
				stopped = true
			case <-ctx.Done():
				wg.Wait()
				return nil, fmt.Errorf("run: %w", ctx.Err())
			}
		}
		if stopped {
			results[i] = ShipmentResult{ID: sh.ID, Destination: sh.Destination, Status: NotStarted,
				Reasons: []string{"the run was stopped before this shipment; the next run does it"}}
			continue
		}
		var in shipmentInput
		var rep rules.Report
		if sp != nil {
			if in, rep, err = sp.next(sh.ID, batch.Plan.Program, batch.Inputs); err != nil {
				<-sem
				results[i] = ShipmentResult{ID: sh.ID, Destination: sh.Destination, Status: Failed, Reasons: []string{err.Error()}}
				continue
			}
		} else {
			rep = checked.Report(i) // before take: the checks read the plan entry
			checked.Release(i)
			if in, err = take(batch, i, uses); err != nil {
				<-sem
				results[i] = ShipmentResult{ID: sh.ID, Destination: sh.Destination, Status: Failed, Reasons: []string{err.Error()}}
				continue
			}
		}
		j := &job{r: r, renders: renders, ref: pack.Ref{Program: program, Shipment: sh.ID}, in: in, rep: rep,
			res: ShipmentResult{ID: sh.ID, Destination: sh.Destination}, log: o.Logger.With("shipment", sh.ID)}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i] = j.run(ctx)
			if o.OnShipment != nil {
				o.OnShipment(results[i])
			}
		}()
	}
	wg.Wait()
	sum.Shipments = o.Shard.mine(results, plan)
	if err := ctx.Err(); err != nil {
		return sum, fmt.Errorf("run: %w", err)
	}
	return sum, nil
}

// job is one shipment's way through a run.
type job struct {
	r       *Runner
	renders renderSlots
	ref     pack.Ref // the program's slug and the shipment; Version 0
	in      shipmentInput
	rep     rules.Report
	pin     packInput
	res     ShipmentResult // as it forms
	log     *slog.Logger
	// unsigned are the first revisions of the documents signed inside
	// (Runner.PDF), for the manifest.
	unsigned []manifest.Revision
}

// run decides what the shipment gets: a failure report, or a pack.
func (j *job) run(ctx context.Context) ShipmentResult {
	sh := j.in.sh
	j.pin = packInput{
		Format: "clearpack-pack-input/1", Program: j.in.program, Shipment: *sh, Assets: j.in.assets, Clearance: j.in.clearance,
		RulesVersion: j.r.Rules.Version(), TemplateVersion: j.r.Renderer.TemplateVersion(),
	}
	inBytes, err := json.Marshal(j.pin)
	if err != nil {
		return j.fail(err.Error())
	}
	j.res.InputDigest = digest(inBytes)

	var reasons []string
	for _, p := range j.in.problems {
		reasons = append(reasons, p.Error())
	}
	for _, c := range j.rep.Results {
		if c.Status == model.Fail {
			reasons = append(reasons, fmt.Sprintf("%s: %s", c.Rule, c.Detail))
		}
	}
	if j.rep.ShipmentID == "" && len(reasons) == 0 {
		reasons = append(reasons, "no compliance report was produced for this shipment")
	}
	if len(reasons) > 0 {
		if err := j.r.programOwns(ctx, j.ref.Program, j.in.program, sh.ID); err != nil {
			return j.fail(append(reasons, err.Error())...)
		}
		return j.reject(ctx, reasons)
	}
	// Two instances may race for the same version; the loser re-plans.
	base := j.res
	for attempt := 0; ; attempt++ {
		j.res = base
		err := j.pack(ctx)
		if errors.Is(err, archive.ErrExists) && attempt < 3 {
			j.log.Info("another writer took the pack version; planning again", "attempt", attempt+1)
			continue
		}
		if err != nil {
			j.log.Error("shipment failed", "err", err)
			if j.res.Version > 0 && j.res.Path != "" && !errors.Is(err, archive.ErrExists) {
				j.abandonOwn(ctx, j.ref.WithVersion(j.res.Version), err)
			}
			j.res = base
			return j.fail(err.Error())
		}
		return j.res
	}
}

// fail ends the shipment as Failed with the reasons given.
func (j *job) fail(reasons ...string) ShipmentResult {
	j.res.Status, j.res.Reasons = Failed, reasons
	return j.res
}

// reject archives the signed failure report of a shipment that failed
// validation and records it.
func (j *job) reject(ctx context.Context, reasons []string) ShipmentResult {
	sh := j.in.sh
	j.res.Status, j.res.Reasons = Rejected, reasons
	if err := archive.ValidSegment(sh.ID); err != nil {
		// An id that cannot name an archive path (missing, "../x") is
		// reported, never used to build a key.
		j.res.Reasons = append(reasons, fmt.Sprintf("the failure report is not archived: shipment id %q cannot name an archive path: %v", sh.ID, err))
		return j.res
	}
	j.res.Path = j.ref.RejectionPrefix(pack.RejectionID(j.res.InputDigest))
	rj := &pack.Rejection{Program: j.ref.Program, ProgramName: j.in.program, Shipment: sh.ID, Origin: sh.Origin, Destination: sh.Destination,
		InputDigest: j.res.InputDigest, Reasons: reasons, Checks: j.rep.Results}
	key, body, err := pack.PutRejection(ctx, j.r.Store, j.r.Signer, rj, retainUntil(sh, j.rep))
	switch {
	case errors.Is(err, archive.ErrExists):
		j.log.Info("shipment rejected again; its report is already archived", "path", j.res.Path)
		if err := j.recordLate(ctx, j.res.Path, auditlog.EventValidationRejected, pack.RejectionName); err != nil {
			return j.fail(append(reasons, err.Error())...)
		}
		return j.res
	case err != nil:
		return j.fail(append(reasons, err.Error())...)
	}
	j.log.Warn("shipment rejected", "reasons", len(reasons), "path", j.res.Path)
	digests := map[string]string{pack.RejectionName: digest(body), "input": j.res.InputDigest}
	if err := j.record(ctx, auditlog.EventValidationRejected, key, digests, ""); err != nil {
		j.res.Reasons = append(j.res.Reasons, fmt.Sprintf("recording in the audit log: %v", err))
		j.res.Status = Failed
	}
	return j.res
}

// pack writes the shipment's next pack version, unless the archive holds one
// for these inputs already or another writer is at it.
func (j *job) pack(ctx context.Context) error {
	hist, err := pack.Versions(ctx, j.r.Store, j.ref)
	if err != nil {
		return fmt.Errorf("listing versions: %w", err)
	}
	if hist.Incomplete() {
		// Left to its writer unless it is provably gone or stale; the
		// version gone past is recorded as abandoned (issue 13).
		v := j.ref.WithVersion(hist.Highest)
		ok, why, err := j.r.takeOver(ctx, v, hist.Touched)
		if err != nil {
			return err
		}
		if !ok {
			j.res.Status, j.res.Version, j.res.Path = InProgress, hist.Highest, v.Prefix()
			j.res.Reasons = []string{fmt.Sprintf("%s is being written by another instance (last object %s ago); left to it", pack.VersionName(hist.Highest), j.r.now().Sub(hist.Touched).Round(time.Second))}
			return nil
		}
		if err := j.recordAbandoned(ctx, v, why); err != nil {
			return err
		}
	}
	core := j.pin
	core.Shipment.Transport = model.Transport{}
	coreBytes, err := json.Marshal(core)
	if err != nil {
		return err
	}
	pred := manifest.Predicate{CoreDigest: digest(coreBytes), Checks: j.rep.Results}

	var prev *manifest.Statement
	if latest, ok := hist.Latest(); ok {
		prev, err = j.r.latestPack(ctx, latest)
		if err != nil {
			// Signed by another (older) key, or damaged: a new version
			// signed by the key in force is the safe answer.
			j.log.Warn("latest pack's manifest does not open with the current key; writing a new version", "version", latest.Version, "err", err)
			prev = nil
		} else if err := sameProgram(prev.Predicate.ProgramName, j.pin.Program, prev.Predicate.Program, j.ref.WithVersion(prev.Predicate.Version).Dir()); err != nil {
			return err
		} else if prev.Predicate.InputDigest == j.res.InputDigest {
			j.res.Status, j.res.Version, j.res.Path = Unchanged, prev.Predicate.Version, j.ref.WithVersion(prev.Predicate.Version).Prefix()
			return j.recordLate(ctx, j.res.Path, auditlog.EventPackArchived, manifest.FileName)
		}
		j.res.Supersedes = latest.Version
	}
	j.res.Version = hist.Highest + 1
	if ok, err := j.claimVersion(ctx, retainUntil(j.in.sh, j.rep)); err != nil || !ok {
		if err == nil {
			j.res.Status, j.res.Reasons = InProgress, []string{fmt.Sprintf("%s is being written by another instance; left to it", pack.VersionName(j.res.Version))}
		}
		return err
	}
	w, err := pack.Create(j.r.Store, j.r.Signer, j.ref.WithVersion(j.res.Version), retainUntil(j.in.sh, j.rep))
	if err != nil {
		return err
	}
	j.unsigned = nil
	if j.r.TSA != nil {
		w.Timestamp = j.r.stampManifest
	}
	j.res.Path = w.Ref().Prefix()

	// A re-routing: only the transport changed since the version superseded.
	// Its checks still hold and the documents that do not print the
	// transport are carried over as they are.
	if prev != nil && prev.Predicate.CoreDigest == pred.CoreDigest {
		from := prev.Predicate.Version
		if a := prev.Predicate.Amendment; a != nil && a.ChecksFrom > 0 {
			from = a.ChecksFrom
		}
		pred.Checks = prev.Predicate.Checks
		pred.Amendment = &manifest.Amendment{Reason: "transport", ChecksFrom: from}
	}
	if err := j.documents(ctx, w, prev, &pred); err != nil {
		return err
	}
	return j.finish(ctx, w, pred)
}

// latestPack reads the newest complete version's statement.
func (r *Runner) latestPack(ctx context.Context, latest pack.Ref) (*manifest.Statement, error) {
	env, err := archive.ReadAll(ctx, r.Store, latest.ManifestKey())
	if err != nil {
		return nil, fmt.Errorf("reading the manifest of %s: %w", pack.VersionName(latest.Version), err)
	}
	return manifest.Open(env, r.Signer.PublicKey())
}

// documents renders (or, amending, carries over) every document the checks
// require, the post-clearance pack last against the others' digests.
func (j *job) documents(ctx context.Context, w *pack.Writer, prev *manifest.Statement, pred *manifest.Predicate) error {
	sh := j.in.sh
	p := renderers.Pack{
		Program: j.pin.Program, Shipment: *sh, Assets: j.in.assets, Clearance: j.in.clearance,
		Version: j.res.Version, Supersedes: j.res.Supersedes, Lang: j.rep.Language, Checks: pred.Checks, Extras: j.rep.Extras,
	}
	prevDigests := map[string]string{}
	if prev != nil {
		for _, s := range prev.Subject {
			prevDigests[s.Name] = s.SHA256
		}
	}
	for _, kind := range j.rep.Documents {
		if kind == model.PostClearance {
			continue // made last, against the digests of the others
		}
		name := string(kind) + ".pdf"
		if pred.Amendment != nil && !renderers.PrintsTransport(kind) && prevDigests[name] != "" {
			if _, err := w.Carry(ctx, j.ref.WithVersion(prev.Predicate.Version), name, prevDigests[name]); err != nil {
				return err
			}
			j.carryUnsigned(prev, name)
			pred.Amendment.Reused = append(pred.Amendment.Reused, name)
			continue
		}
		if err := j.render(ctx, w, kind, p); err != nil {
			return err
		}
	}
	if slices.Contains(j.rep.Documents, model.PostClearance) {
		// Signed inside, a document is named by its first revision: the
		// signature's bytes differ on every run, the rendered ones do not.
		first := make(map[string]string, len(j.unsigned))
		for _, u := range j.unsigned {
			first[u.Name] = u.SHA256
		}
		p.PreShipment = map[string]string{}
		for _, d := range w.Documents() {
			// The compliance summary reports the clearance; it is not a
			// document the clearance was made against.
			if d.Name == string(model.ComplianceSummary)+".pdf" {
				continue
			}
			sum, ok := first[d.Name]
			if !ok {
				sum = d.SHA256
			}
			p.PreShipment[d.Name] = sum
		}
		return j.render(ctx, w, model.PostClearance, p)
	}
	return nil
}

func (j *job) render(ctx context.Context, w *pack.Writer, kind model.DocKind, p renderers.Pack) error {
	doc, err := j.renders.render(ctx, j.r.Renderer, kind, p)
	if err != nil {
		return err // the renderer names the document
	}
	pdf, err := j.signInside(ctx, doc)
	if err != nil {
		return err
	}
	_, err = w.Add(ctx, doc.Name, pdf)
	return err
}

// finish writes the manifest, which completes the pack, and records it in
// the audit log.
func (j *job) finish(ctx context.Context, w *pack.Writer, pred manifest.Predicate) error {
	sh := j.in.sh
	pred.ProgramName, pred.Supersedes, pred.InputDigest = j.pin.Program, j.res.Supersedes, j.res.InputDigest
	pred.RulesVersion, pred.TemplateVersion = j.pin.RulesVersion, j.pin.TemplateVersion
	pred.Created, pred.Generator = sh.ShipDate, "clearpack "+ReleaseVersion()
	pred.Origin, pred.Destination, pred.Direction = sh.Origin, sh.Destination, string(sh.Direction)
	if c := j.in.clearance; c != nil {
		pred.Clearance = &manifest.Clearance{EntryNumber: c.EntryNumber, EntryDate: c.EntryDate, ReleaseDate: c.ReleaseDate, Port: c.Port, Held: c.Held}
	}
	for _, f := range j.in.inputs {
		pred.Inputs = append(pred.Inputs, manifest.Subject{Name: filepath.Base(f.Path), SHA256: f.SHA256})
	}
	pred.Unsigned = j.unsigned
	env, err := w.Finish(ctx, pred)
	if err != nil {
		return err
	}
	j.res.Status, j.res.Documents = Archived, w.Documents()
	return j.recordPack(ctx, w.Ref(), env, w.Documents())
}
