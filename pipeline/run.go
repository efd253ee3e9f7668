// Package pipeline runs clearpack's job: ingest the inputs, check every
// shipment against the country rules, render its documents, sign them and
// archive them as a pack, recording each event in the audit log.
//
// One bad shipment never stops the others: each shipment is processed on its
// own, and a shipment that fails validation gets its failure report archived
// instead of documents. A pack is complete only once its manifest is written
// (last); a crash leaves at most an incomplete version directory, which never
// verifies and is skipped by the next run.
package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/manifest"
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

// Runner holds what a run needs. All fields but Logger, Workers and Clock are
// required.
type Runner struct {
	Store    archive.Store
	Signer   *signing.Signer
	Renderer Renderer
	Rules    Checker
	Log      *auditlog.Log
	Logger   *slog.Logger
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
	// OnShipment, when set, is called with each shipment's result as soon
	// as it is known (progress displays, metrics). It is called from the
	// worker goroutines, possibly concurrently, and must not block long.
	OnShipment func(ShipmentResult)
	// Stop, when closed, starts no further shipment; the shipments in hand
	// finish (under ctx, which may still cancel them). Shipments never
	// started end as NotStarted.
	Stop <-chan struct{}
}

// DefaultStaleAfter is Runner.StaleAfter's default: far longer than a pack
// takes to write (well under a second per document), short enough that the
// remains of a crashed run are redone soon.
const DefaultStaleAfter = 2 * time.Minute

// Status of one shipment after a run.
type Status string

const (
	// Archived: a new pack version was written.
	Archived Status = "archived"
	// Unchanged: the archive already holds a pack for exactly these inputs.
	Unchanged Status = "unchanged"
	// Rejected: the shipment failed validation; its failure report was
	// archived instead of documents.
	Rejected Status = "rejected"
	// Failed: processing failed (archive, signing, rendering); nothing of the
	// shipment was completed and a re-run will retry it.
	Failed Status = "failed"
	// InProgress: another instance is writing this shipment's pack right now.
	InProgress Status = "in-progress"
	// NotStarted: the run was stopped (Runner.Stop) before this shipment.
	NotStarted Status = "not-started"
)

// DocRef names an archived document.
type DocRef struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Bytes  int    `json:"bytes"`
}

// ShipmentResult is what happened to one shipment.
type ShipmentResult struct {
	ID          string   `json:"id"`
	Destination string   `json:"destination"`
	Status      Status   `json:"status"`
	Version     int      `json:"version,omitempty"`
	Supersedes  int      `json:"supersedes,omitempty"`
	Path        string   `json:"path,omitempty"` // archive key prefix of the pack or report
	InputDigest string   `json:"input_digest"`
	Documents   []DocRef `json:"documents,omitempty"`
	Reasons     []string `json:"reasons,omitempty"`
}

// Summary is the outcome of a run.
type Summary struct {
	Program   string           `json:"program"`
	Archive   string           `json:"archive"`
	Inputs    []ingest.Input   `json:"inputs"`
	Shipments []ShipmentResult `json:"shipments"`
	// Problems are input faults that belong to no shipment (a spare asset's
	// bad row, say): reported, not fatal.
	Problems []string `json:"problems,omitempty"`
}

// Count returns how many shipments ended with status s.
func (s *Summary) Count(st Status) int {
	n := 0
	for _, r := range s.Shipments {
		if r.Status == st {
			n++
		}
	}
	return n
}

// InputError means an input file could not be used at all.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Run processes every shipment of the inputs. The error is non-nil only when
// nothing could be processed (unusable input, cancelled context); per-shipment
// outcomes are in the summary.
func (r *Runner) Run(ctx context.Context, files ingest.Files, lim ingest.Limits) (*Summary, error) {
	batch, err := ingest.Load(ctx, files, lim)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	return r.RunBatch(ctx, batch)
}

// RunBatch processes a batch already read. It consumes the batch: once a
// shipment is under way, its plan entry and the assets no later shipment
// lists are let go, so that a large program's live heap shrinks as it runs.
func (r *Runner) RunBatch(ctx context.Context, batch *ingest.Batch) (*Summary, error) {
	program, err := Slug(batch.Plan.Program)
	if err != nil {
		return nil, &InputError{Err: fmt.Errorf("%s: program: %w", batch.Plan.Src.File, err)}
	}
	if err := r.publishKey(ctx); err != nil {
		return nil, err
	}
	sum := &Summary{Program: batch.Plan.Program, Archive: r.Store.String(), Inputs: batch.Inputs}
	for _, p := range batch.FileProblems() {
		sum.Problems = append(sum.Problems, p.Error())
	}
	checked := r.Rules.Prepare(rules.Input{Plan: batch.Plan, Assets: batch.Assets, Clearances: batch.Clearances, Reported: batch.Reported})

	// uses counts the shipments still to come that list each asset.
	uses := make(map[string]int, len(batch.Assets))
	for i := range batch.Plan.Shipments {
		for _, tag := range batch.Plan.Shipments[i].Assets {
			uses[tag]++
		}
	}
	for tag := range batch.Assets {
		if uses[tag] == 0 { // a spare unit no shipment lists
			delete(batch.Assets, tag)
		}
	}
	results := make([]ShipmentResult, len(batch.Plan.Shipments))
	cpus := runtime.GOMAXPROCS(0)
	workers := r.Workers
	if workers <= 0 {
		workers = 2 * cpus
	}
	sem := make(chan struct{}, workers)
	renders := make(renderSlots, min(workers, cpus))
	var wg sync.WaitGroup
	stopped := false
	for i := range batch.Plan.Shipments {
		sh := &batch.Plan.Shipments[i]
		if !stopped {
			select {
			case sem <- struct{}{}:
				select { // a stop that came while waiting wins
				case <-r.Stop:
					<-sem
					stopped = true
				default:
				}
			case <-r.Stop:
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
		rep := checked.Report(i) // before take: the checks read the plan entry
		checked.Release(i)
		in := take(batch, i, uses)
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i] = r.shipment(ctx, program, in, rep, renders)
			if r.OnShipment != nil {
				r.OnShipment(results[i])
			}
		}()
	}
	wg.Wait()
	sum.Shipments = results
	if err := ctx.Err(); err != nil {
		return sum, fmt.Errorf("run: %w", err)
	}
	return sum, nil
}

func (r *Runner) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (r *Runner) now() time.Time {
	if r.Clock != nil {
		return r.Clock().UTC()
	}
	return time.Now().UTC()
}

// The Go runtime settings clearpack's commands run with (cmd/clearpack
// --memory-limit; GOGC and GOMEMLIMIT in the environment override them).
// MemoryLimit is a soft limit: a 100,000-unit program fits under it (issue
// 8: under 300 MB peak RSS). GCPercent is the collector's target (as GOGC)
// while a limit is in force: the heap may grow to three times the live data
// before a cycle, since the limit, not GOGC, bounds it. Rendering allocates
// fast and keeps little; at 1,000 units this takes 15% off the CPU time
// (pipebench Run1000 at GOGC=100 against 200).
const (
	MemoryLimit = 200 << 20
	GCPercent   = 200
)

// KeyRetention is how long the public key stored beside the packs is locked.
// It outlives any pack it signs (retention is counted from ship dates).
const KeyRetention = 30 * 365 * 24 * time.Hour

// publishKey stores the signing public key under keys/<keyid>.pub once.
func (r *Runner) publishKey(ctx context.Context) error {
	key := "keys/" + r.Signer.KeyID() + ".pub"
	err := archive.PutBytes(ctx, r.Store, key, r.Signer.PublicKeyPEM(),
		archive.PutOptions{ContentType: "application/x-pem-file", RetainUntil: r.now().Add(KeyRetention)})
	if err != nil && !errors.Is(err, archive.ErrExists) {
		return fmt.Errorf("publishing public key: %w", err)
	}
	return nil
}

func shipmentPrefix(program, id string) string {
	return "programs/" + program + "/shipments/" + id + "/"
}

// packInput is everything a pack is made from; its digest addresses the pack.
// Record positions (file, line) are left out on purpose: moving a row in the
// inventory does not make a new version.
type packInput struct {
	Format          string           `json:"format"`
	Program         string           `json:"program"`
	Shipment        model.Shipment   `json:"shipment"`
	Assets          []model.Asset    `json:"assets"`
	Clearance       *model.Clearance `json:"clearance,omitempty"`
	RulesVersion    string           `json:"rules_version"`
	TemplateVersion string           `json:"template_version"`
}

func digest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// renderSlots bounds how many documents are rendered at once.
type renderSlots chan struct{}

// render renders one document in a free slot.
func (s renderSlots) render(ctx context.Context, r Renderer, kind model.DocKind, p renderers.Pack) (renderers.Document, error) {
	select {
	case s <- struct{}{}:
	case <-ctx.Done():
		return renderers.Document{}, fmt.Errorf("rendering %s: %w", kind, ctx.Err())
	}
	defer func() { <-s }()
	return r.Render(ctx, kind, p)
}

// shipmentInput is what one shipment needs of its batch, copied out of it.
type shipmentInput struct {
	program   string // as the plan names it
	sh        *model.Shipment
	assets    []model.Asset
	clearance *model.Clearance
	problems  []ingest.Problem
	inputs    []ingest.Input
}

// take copies shipment i's share of the batch out of it, then lets go of
// the batch's own: the plan entry (its id and destination stay) and each
// asset that no later shipment lists (uses counts them down). RunBatch's
// dispatching loop is the only reader and writer of the batch meanwhile.
func take(batch *ingest.Batch, i int, uses map[string]int) shipmentInput {
	src := &batch.Plan.Shipments[i]
	sh := *src
	in := shipmentInput{program: batch.Plan.Program, sh: &sh, assets: make([]model.Asset, 0, len(sh.Assets)),
		clearance: batch.Clearances[sh.ID], problems: batch.ShipmentProblems(sh.ID), inputs: batch.Inputs}
	for _, tag := range sh.Assets {
		if a, ok := batch.Assets[tag]; ok {
			in.assets = append(in.assets, *a)
		}
		if uses[tag]--; uses[tag] <= 0 {
			delete(batch.Assets, tag)
		}
	}
	*src = model.Shipment{ID: sh.ID, Destination: sh.Destination, Src: sh.Src}
	return in
}

func (r *Runner) shipment(ctx context.Context, program string, si shipmentInput, rep rules.Report, renders renderSlots) ShipmentResult {
	sh, assets := si.sh, si.assets
	res := ShipmentResult{ID: sh.ID, Destination: sh.Destination}
	log := r.logger().With("shipment", sh.ID)
	in := packInput{
		Format:          "clearpack-pack-input/1",
		Program:         si.program,
		Shipment:        *sh,
		Assets:          assets,
		Clearance:       si.clearance,
		RulesVersion:    r.Rules.Version(),
		TemplateVersion: r.Renderer.TemplateVersion(),
	}
	inBytes, err := json.Marshal(in)
	if err != nil {
		res.Status, res.Reasons = Failed, []string{err.Error()}
		return res
	}
	res.InputDigest = digest(inBytes)

	var reasons []string
	for _, p := range si.problems {
		reasons = append(reasons, p.Error())
	}
	for _, c := range rep.Results {
		if c.Status == model.Fail {
			reasons = append(reasons, fmt.Sprintf("%s: %s", c.Rule, c.Detail))
		}
	}
	if rep.ShipmentID == "" && len(reasons) == 0 {
		reasons = append(reasons, "no compliance report was produced for this shipment")
	}
	if len(reasons) > 0 {
		if err := r.programOwns(ctx, program, si.program, sh.ID); err != nil {
			res.Status, res.Reasons = Failed, append(reasons, err.Error())
			return res
		}
		return r.reject(ctx, log, program, si.program, sh, res, reasons, rep)
	}

	// Two instances may race for the same version; the loser re-plans.
	for attempt := 0; ; attempt++ {
		out, err := r.writePack(ctx, program, sh, assets, in, si.inputs, rep, res, renders)
		if errors.Is(err, archive.ErrExists) && attempt < 3 {
			log.Info("another writer took the pack version; planning again", "attempt", attempt+1)
			continue
		}
		if err != nil {
			log.Error("shipment failed", "err", err)
			res.Status, res.Reasons = Failed, []string{err.Error()}
			return res
		}
		return out
	}
}

// rejection is the archived report of a shipment that failed validation.
type rejection struct {
	Program     string              `json:"program"`
	ProgramName string              `json:"program_name,omitempty"` // as the plan writes it
	Shipment    string              `json:"shipment"`
	Origin      string              `json:"origin"`
	Destination string              `json:"destination"`
	InputDigest string              `json:"input_digest"`
	Reasons     []string            `json:"reasons"`
	Checks      []model.CheckResult `json:"checks"`
}

func (r *Runner) reject(ctx context.Context, log *slog.Logger, program, name string, sh *model.Shipment, res ShipmentResult, reasons []string, rep rules.Report) ShipmentResult {
	res.Status, res.Reasons = Rejected, reasons
	if err := archive.ValidSegment(sh.ID); err != nil {
		// An id that cannot name an archive path (missing, "../x") is
		// reported, never used to build a key.
		res.Reasons = append(reasons, fmt.Sprintf("the failure report is not archived: shipment id %q cannot name an archive path: %v", sh.ID, err))
		return res
	}
	res.Path = shipmentPrefix(program, sh.ID) + "rejected/" + res.InputDigest[:16] + "/"
	opts := archive.PutOptions{ContentType: "text/plain", RetainUntil: retainUntil(sh, rep)}
	body, err := json.MarshalIndent(rejection{Program: program, ProgramName: name, Shipment: sh.ID, Origin: sh.Origin, Destination: sh.Destination, InputDigest: res.InputDigest, Reasons: reasons, Checks: rep.Results}, "", "  ")
	if err != nil {
		res.Status, res.Reasons = Failed, append(reasons, err.Error())
		return res
	}
	sig, err := r.Signer.SignBlob(ctx, body)
	if err != nil {
		res.Status, res.Reasons = Failed, append(reasons, fmt.Sprintf("signing the failure report: %v", err))
		return res
	}
	// The signature first, the report last: a report present means complete.
	sigErr := archive.PutBytes(ctx, r.Store, res.Path+"report.json.sig", signing.CosignSig(sig), opts)
	if sigErr != nil && !errors.Is(sigErr, archive.ErrExists) {
		res.Status, res.Reasons = Failed, append(reasons, fmt.Sprintf("archiving the failure report: %v", sigErr))
		return res
	}
	opts.ContentType = "application/json"
	err = archive.PutBytes(ctx, r.Store, res.Path+"report.json", body, opts)
	if errors.Is(err, archive.ErrExists) {
		log.Info("shipment rejected again; its report is already archived", "path", res.Path)
		if err := r.recordLate(ctx, program, sh, res.Path, auditlog.EventValidationRejected, "report.json"); err != nil {
			res.Status, res.Reasons = Failed, append(reasons, err.Error())
		}
		return res
	}
	if err != nil {
		res.Status, res.Reasons = Failed, append(reasons, fmt.Sprintf("archiving the failure report: %v", err))
		return res
	}
	log.Warn("shipment rejected", "reasons", len(reasons), "path", res.Path)
	if _, err := r.Log.Append(ctx, auditlog.Entry{
		Time: r.now(), Actor: r.Actor, Event: auditlog.EventValidationRejected,
		Program: program, Shipment: sh.ID, Object: res.Path + "report.json",
		Digests: map[string]string{"report.json": digest(body), "input": res.InputDigest},
	}); err != nil {
		res.Reasons = append(res.Reasons, fmt.Sprintf("recording in the audit log: %v", err))
		res.Status = Failed
	}
	return res
}

// recordLate records in the audit log an object a run archived but stopped
// before recording (killed between the two writes): dir+name must be the
// subject of an event entry, or verify will say it is not in the log.
func (r *Runner) recordLate(ctx context.Context, program string, sh *model.Shipment, dir, event, name string) error {
	b, err := archive.ReadAll(ctx, r.Store, dir+name)
	if err != nil {
		return fmt.Errorf("reading %s: %w", dir+name, err)
	}
	d := digest(b)
	obj := strings.TrimSuffix(dir, "/")
	if event == auditlog.EventValidationRejected {
		obj = dir + name
	}
	ok, err := r.Log.Recorded(ctx, event, obj, d)
	if err != nil || ok {
		return err
	}
	r.logger().Warn("archived but never recorded (an earlier run stopped in between); recording it now", "shipment", sh.ID, "object", obj)
	_, err = r.Log.Append(ctx, auditlog.Entry{
		Time: r.now(), Actor: r.Actor, Event: event, Program: program, Shipment: sh.ID, Object: obj,
		Digests: map[string]string{name: d},
		Detail:  "recorded by a later run: the run that archived it stopped before recording it",
	})
	if err != nil {
		return fmt.Errorf("recording %s in the audit log: %w", obj, err)
	}
	return nil
}

// versions lists a shipment's pack versions: the highest number used (complete
// or not), the complete ones, and when the highest was last written to.
func (r *Runner) versions(ctx context.Context, prefix string) (highest int, complete []int, touched time.Time, err error) {
	err = r.Store.List(ctx, prefix+"v", func(in archive.Info) error {
		rest := strings.TrimPrefix(in.Key, prefix)
		dir, file, ok := strings.Cut(rest, "/")
		if !ok || len(dir) != 5 {
			return nil
		}
		n, convErr := strconv.Atoi(dir[1:])
		if convErr != nil {
			return nil
		}
		if n > highest {
			highest, touched = n, time.Time{}
		}
		if n == highest && in.ModTime.After(touched) {
			touched = in.ModTime
		}
		if file == manifest.FileName {
			complete = append(complete, n)
		}
		return nil
	})
	sort.Ints(complete)
	return highest, complete, touched, err
}

func versionDir(prefix string, v int) string { return fmt.Sprintf("%sv%04d/", prefix, v) }

// printsTransport says whether a document kind prints the shipment's
// transport (mode, route, carrier reference). A re-routing re-issues these and
// carries the others over unchanged. TestPrintsTransport guards the list.
func printsTransport(kind model.DocKind) bool {
	return kind == model.CommercialInvoice || kind == model.PackingList
}

// latestPack reads the newest complete version's statement.
func (r *Runner) latestPack(ctx context.Context, prefix string, complete []int) (*manifest.Statement, error) {
	latest := complete[len(complete)-1]
	env, err := archive.ReadAll(ctx, r.Store, versionDir(prefix, latest)+manifest.FileName)
	if err != nil {
		return nil, fmt.Errorf("reading the manifest of v%04d: %w", latest, err)
	}
	return manifest.Open(env, r.Signer.PublicKey())
}

func (r *Runner) writePack(ctx context.Context, program string, sh *model.Shipment, assets []model.Asset, in packInput, inputs []ingest.Input, rep rules.Report, res ShipmentResult, renders renderSlots) (ShipmentResult, error) {
	prefix := shipmentPrefix(program, sh.ID)
	highest, complete, touched, err := r.versions(ctx, prefix)
	if err != nil {
		return res, fmt.Errorf("listing versions: %w", err)
	}
	if highest > 0 && (len(complete) == 0 || complete[len(complete)-1] != highest) {
		stale := r.StaleAfter
		if stale == 0 {
			stale = DefaultStaleAfter
		}
		if age := r.now().Sub(touched); age < stale {
			res.Status, res.Version, res.Path = InProgress, highest, versionDir(prefix, highest)
			res.Reasons = []string{fmt.Sprintf("v%04d is being written by another instance (last object %s ago); left to it", highest, age.Round(time.Second))}
			return res, nil
		}
		r.logger().Warn("incomplete pack version left by an earlier run; writing the next", "shipment", sh.ID, "version", highest)
	}
	core := in
	core.Shipment.Transport = model.Transport{}
	coreBytes, err := json.Marshal(core)
	if err != nil {
		return res, err
	}
	w := packWriter{r: r, sh: sh, rep: rep, res: &res, files: map[string][]byte{},
		pred: manifest.Predicate{CoreDigest: digest(coreBytes), Checks: rep.Results}}

	var prev *manifest.Statement
	if len(complete) > 0 {
		prev, err = r.latestPack(ctx, prefix, complete)
		if err != nil {
			// Signed by another (older) key, or damaged: a new version
			// signed by the key in force is the safe answer.
			r.logger().Warn("latest pack's manifest does not open with the current key; writing a new version",
				"shipment", sh.ID, "version", complete[len(complete)-1], "err", err)
			prev = nil
		} else if err := sameProgram(prev.Predicate.ProgramName, in.Program, prev.Predicate.Program, fmt.Sprintf("%sv%04d", prefix, prev.Predicate.Version)); err != nil {
			return res, err
		} else if prev.Predicate.InputDigest == res.InputDigest {
			res.Status, res.Version, res.Path = Unchanged, prev.Predicate.Version, versionDir(prefix, prev.Predicate.Version)
			return res, r.recordLate(ctx, program, sh, res.Path, auditlog.EventPackArchived, manifest.FileName)
		}
		res.Supersedes = complete[len(complete)-1]
	}
	res.Version = highest + 1
	w.dir = versionDir(prefix, res.Version)
	res.Path = w.dir

	// A re-routing: only the transport changed since the version superseded.
	// Its checks still hold and the documents that do not print the
	// transport are carried over as they are.
	amend := prev != nil && prev.Predicate.CoreDigest == w.pred.CoreDigest
	if amend {
		from := prev.Predicate.Version
		if a := prev.Predicate.Amendment; a != nil && a.ChecksFrom > 0 {
			from = a.ChecksFrom
		}
		w.pred.Checks = prev.Predicate.Checks
		w.pred.Amendment = &manifest.Amendment{Reason: "transport", ChecksFrom: from}
	}
	pack := renderers.Pack{
		Program: in.Program, Shipment: *sh, Assets: assets, Clearance: in.Clearance,
		Version: res.Version, Supersedes: res.Supersedes, Lang: rep.Language, Checks: w.pred.Checks, Extras: rep.Extras,
	}
	prevDigests := map[string]string{}
	if prev != nil {
		for _, s := range prev.Subject {
			prevDigests[s.Name] = s.SHA256
		}
	}
	for _, kind := range rep.Documents {
		if kind == model.PostClearance {
			continue // made last, against the digests of the others
		}
		name := string(kind) + ".pdf"
		if amend && !printsTransport(kind) && prevDigests[name] != "" {
			if err := w.carry(ctx, versionDir(prefix, prev.Predicate.Version), name, prevDigests[name]); err != nil {
				return res, err
			}
			w.pred.Amendment.Reused = append(w.pred.Amendment.Reused, name)
			continue
		}
		doc, err := renders.render(ctx, r.Renderer, kind, pack)
		if err != nil {
			return res, err // the renderer names the document
		}
		if err := w.store(ctx, doc.Name, doc.PDF, nil); err != nil {
			return res, err
		}
	}
	if slices.Contains(rep.Documents, model.PostClearance) {
		pack.PreShipment = map[string]string{}
		for _, s := range w.subjects {
			pack.PreShipment[s.Name] = s.SHA256
		}
		doc, err := renders.render(ctx, r.Renderer, model.PostClearance, pack)
		if err != nil {
			return res, err
		}
		if err := w.store(ctx, doc.Name, doc.PDF, nil); err != nil {
			return res, err
		}
	}
	if err := w.sums(ctx); err != nil {
		return res, err
	}
	return res, r.finishPack(ctx, program, sh, in, inputs, rep, w.subjects, w.pred, &res)
}

// packWriter writes the objects of one pack version.
type packWriter struct {
	r        *Runner
	sh       *model.Shipment
	rep      rules.Report
	res      *ShipmentResult
	dir      string
	files    map[string][]byte
	subjects []manifest.Subject
	pred     manifest.Predicate
}

func (w *packWriter) opts(contentType string) archive.PutOptions {
	return archive.PutOptions{ContentType: contentType, RetainUntil: retainUntil(w.sh, w.rep)}
}

// store archives a document and its signature (made now when sig is nil).
func (w *packWriter) store(ctx context.Context, name string, pdf, sig []byte) error {
	if sig == nil {
		der, err := w.r.Signer.SignBlob(ctx, pdf)
		if err != nil {
			return fmt.Errorf("signing %s: %w", name, err)
		}
		sig = signing.CosignSig(der)
	}
	if err := archive.PutBytes(ctx, w.r.Store, w.dir+name, pdf, w.opts("application/pdf")); err != nil {
		return fmt.Errorf("archiving %s: %w", name, err)
	}
	if err := archive.PutBytes(ctx, w.r.Store, w.dir+name+".sig", sig, w.opts("text/plain")); err != nil {
		return fmt.Errorf("archiving %s.sig: %w", name, err)
	}
	w.files[name] = pdf
	d := digest(pdf)
	w.subjects = append(w.subjects, manifest.Subject{Name: name, SHA256: d})
	w.res.Documents = append(w.res.Documents, DocRef{Name: name, SHA256: d, Bytes: len(pdf)})
	return nil
}

// carry copies a document and its signature from an earlier version, after
// checking it is the one that version's signed manifest names.
func (w *packWriter) carry(ctx context.Context, fromDir, name, want string) error {
	pdf, err := archive.ReadAll(ctx, w.r.Store, fromDir+name)
	if err != nil {
		return fmt.Errorf("carrying over %s: %w", fromDir+name, err)
	}
	if got := digest(pdf); got != want {
		return fmt.Errorf("carrying over %s: its sha256 is %s, but the manifest says %s", fromDir+name, got, want)
	}
	sig, err := archive.ReadAll(ctx, w.r.Store, fromDir+name+".sig")
	if err != nil {
		return fmt.Errorf("carrying over %s.sig: %w", fromDir+name, err)
	}
	return w.store(ctx, name, pdf, sig)
}

func (w *packWriter) sums(ctx context.Context) error {
	sums := manifest.SHA256SUMS(w.files)
	sig, err := w.r.Signer.SignBlob(ctx, sums)
	if err != nil {
		return fmt.Errorf("signing SHA256SUMS: %w", err)
	}
	if err := archive.PutBytes(ctx, w.r.Store, w.dir+manifest.SumsName, sums, w.opts("text/plain")); err != nil {
		return fmt.Errorf("archiving SHA256SUMS: %w", err)
	}
	if err := archive.PutBytes(ctx, w.r.Store, w.dir+manifest.SumsName+".sig", signing.CosignSig(sig), w.opts("text/plain")); err != nil {
		return fmt.Errorf("archiving SHA256SUMS.sig: %w", err)
	}
	return nil
}

// retainUntil is the ship date plus the longest retention the origin and
// destination demand.
func retainUntil(sh *model.Shipment, rep rules.Report) time.Time {
	years := rep.RetentionYears
	if years <= 0 {
		years = 5
	}
	d, err := model.Date(sh.ShipDate)
	if err != nil || d.IsZero() {
		return time.Time{}
	}
	return d.AddDate(years, 0, 0)
}

// finishPack writes the manifest, which completes the pack, and records it in
// the audit log.
func (r *Runner) finishPack(ctx context.Context, program string, sh *model.Shipment, in packInput, inputs []ingest.Input, rep rules.Report, subjects []manifest.Subject, pred manifest.Predicate, res *ShipmentResult) error {
	pred.Program, pred.Shipment, pred.Version, pred.Supersedes = program, sh.ID, res.Version, res.Supersedes
	pred.ProgramName = in.Program
	pred.InputDigest, pred.RulesVersion, pred.TemplateVersion = res.InputDigest, in.RulesVersion, in.TemplateVersion
	pred.KeyID, pred.Created, pred.Generator = r.Signer.KeyID(), sh.ShipDate, "clearpack "+Version
	pred.Origin, pred.Destination, pred.Direction = sh.Origin, sh.Destination, string(sh.Direction)
	if c := in.Clearance; c != nil {
		pred.Clearance = &manifest.Clearance{EntryNumber: c.EntryNumber, EntryDate: c.EntryDate, ReleaseDate: c.ReleaseDate, Port: c.Port, Held: c.Held}
	}
	for _, f := range inputs {
		pred.Inputs = append(pred.Inputs, manifest.Subject{Name: filepath.Base(f.Path), SHA256: f.SHA256})
	}
	stmt, err := manifest.Build(subjects, pred)
	if err != nil {
		return err
	}
	env, err := manifest.Sign(ctx, r.Signer, stmt)
	if err != nil {
		return err
	}
	opts := archive.PutOptions{ContentType: "application/json", RetainUntil: retainUntil(sh, rep)}
	if err := archive.PutBytes(ctx, r.Store, res.Path+manifest.FileName, env, opts); err != nil {
		return fmt.Errorf("archiving %s: %w", manifest.FileName, err)
	}
	res.Status = Archived
	obj := strings.TrimSuffix(res.Path, "/")
	digests := map[string]string{manifest.FileName: manifest.Digest(env)}
	for _, s := range subjects {
		digests[s.Name] = s.SHA256
	}
	if _, err := r.Log.Append(ctx, auditlog.Entry{
		Time: r.now(), Actor: r.Actor, Event: auditlog.EventPackArchived,
		Program: program, Shipment: sh.ID, Object: obj, Digests: digests,
	}); err != nil {
		// The pack is complete but unrecorded: verify will name it. Say so.
		return fmt.Errorf("recording %s in the audit log: %w", obj, err)
	}
	if res.Supersedes > 0 {
		prev := strings.TrimSuffix(versionDir(shipmentPrefix(program, sh.ID), res.Supersedes), "/")
		if _, err := r.Log.Append(ctx, auditlog.Entry{
			Time: r.now(), Actor: r.Actor, Event: auditlog.EventPackSuperseded,
			Program: program, Shipment: sh.ID, Object: prev,
			Detail: "superseded by " + obj,
		}); err != nil {
			return fmt.Errorf("recording that %s supersedes %s: %w", obj, prev, err)
		}
	}
	return nil
}
