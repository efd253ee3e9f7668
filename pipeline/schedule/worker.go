package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/clearpack/clearpack/pipeline"
	"github.com/clearpack/clearpack/pipeline/inbox"
	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/runreport"
)

// Worker makes passes over the inbox: every complete batch is claimed, run
// through the pipeline, reported and moved to done/ or failed/.
type Worker struct {
	Inbox  inbox.Inbox
	Claims *inbox.Claims
	// Runner runs every batch (with the batch's logger, stop and progress
	// as its RunOptions); Store, Signer and Log also serve the run reports.
	Runner *pipeline.Runner
	Limits ingest.Limits
	// Mapping is the mapping file for batches that bring no mapping.* of
	// their own ("" for none).
	Mapping string
	Logger  *slog.Logger
	// Metrics may be nil.
	Metrics *Metrics
	// Instance names this instance in reports (Claims.Owner by default).
	Instance string
	// TempDir holds each batch's inputs while it runs (os.TempDir() when
	// empty); removed after.
	TempDir string
	// Clock is time.Now when nil.
	Clock func() time.Time
	// OnBatch, when set, is called with a batch, its logger (which carries
	// the run id) and its shipment count before it runs; the function it
	// returns is passed each shipment result (progress displays).
	OnBatch func(b inbox.Batch, log *slog.Logger, shipments int) func(pipeline.ShipmentResult)
	// Deliver, when set, sends each pack a batch archived to the brokers
	// its DeliveriesName file names (deliver.go), after the batch's
	// checkpoint; a delivery that fails is recorded and logged, never
	// failing the batch.
	Deliver Deliverer
}

// Trigger says why a pass runs.
type Trigger struct {
	Mode     string // "serve" or "once"
	Schedule string // the schedule's name, "" for once
	// Stop, when closed, stops the pass from taking another batch; the batch
	// in hand goes on until ctx ends.
	Stop <-chan struct{}
	// Abort, when closed (a second signal), means exit at once: a batch
	// cut short is not even released (its lease runs out instead).
	Abort <-chan struct{}
}

// BatchResult is what a pass did with one batch.
type BatchResult struct {
	Batch   string           `json:"batch"` // claim key
	RunID   string           `json:"run_id,omitempty"`
	Outcome string           `json:"outcome"` // done, failed, held, already-done, released, lost, error
	Report  string           `json:"report,omitempty"`
	Where   string           `json:"where,omitempty"`
	Err     string           `json:"error,omitempty"`
	Counts  runreport.Counts `json:"counts"`
}

// Pass outcomes besides inbox.Done and inbox.Failed.
const (
	OutcomeHeld     = "held"         // another instance holds it
	OutcomeTidied   = "already-done" // processed earlier; moved out of the inbox now
	OutcomeReleased = "released"     // stopped (shutdown) before it finished; claim released
	OutcomeLost     = "lost"         // the lease was lost; another instance finishes it
	OutcomeError    = "error"        // claim or inbox trouble; retried next pass
)

func (w *Worker) logger() *slog.Logger {
	if w.Logger != nil {
		return w.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (w *Worker) now() time.Time {
	if w.Clock != nil {
		return w.Clock()
	}
	return time.Now()
}

func stopped(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// Pass processes every complete batch in the inbox once. The error is
// non-nil only when the inbox could not be listed or ctx ended.
func (w *Worker) Pass(ctx context.Context, t Trigger) ([]BatchResult, error) {
	start := w.now()
	if w.Metrics != nil {
		defer func() {
			w.Metrics.PassSeconds.WithLabelValues(t.Schedule).Observe(w.now().Sub(start).Seconds())
			w.Metrics.LastPass.WithLabelValues(t.Schedule).Set(float64(w.now().Unix()))
		}()
	}
	batches, skipped, err := w.Inbox.List(ctx)
	if err != nil {
		w.Metrics.failure(ReasonInbox)
		return nil, err
	}
	for _, s := range skipped {
		w.logger().Warn("inbox folder skipped", "folder", s.ID, "reason", s.Reason)
	}
	var out []BatchResult
	for _, b := range batches {
		if stopped(t.Stop) || ctx.Err() != nil {
			break
		}
		out = append(out, w.batch(ctx, b, t))
	}
	if err := ctx.Err(); err != nil {
		return out, fmt.Errorf("inbox pass: %w", err)
	}
	return out, nil
}

func (w *Worker) batch(ctx context.Context, b inbox.Batch, t Trigger) BatchResult {
	res := BatchResult{Batch: b.Key}
	log := w.logger().With("batch", b.Key)
	cl, err := w.Claims.Acquire(ctx, b.Key)
	switch {
	case errors.Is(err, inbox.ErrHeld):
		log.Debug("batch held by another instance", "err", err)
		res.Outcome = OutcomeHeld
		return res
	case errors.Is(err, inbox.ErrDone):
		// Processed, but still in the inbox: the instance that did it
		// stopped before moving it. Finish the move.
		res.Outcome = OutcomeTidied
		rec, derr := w.Claims.Done(ctx, b.Key)
		if derr != nil {
			res.Err = derr.Error()
			return res
		}
		where, ferr := w.Inbox.Finish(ctx, b, rec.Outcome, nil)
		if ferr != nil && !errors.Is(ferr, inbox.ErrNoBatch) {
			w.Metrics.failure(ReasonInbox)
			log.Error("moving a processed batch out of the inbox", "err", ferr)
			res.Err = ferr.Error()
		}
		res.Where, res.Report = where, rec.Report
		log.Info("batch was processed earlier; moved out of the inbox", "to", where, "report", rec.Report)
		return res
	case err != nil:
		w.Metrics.failure(ReasonClaim)
		log.Error("claiming batch", "err", err)
		res.Outcome, res.Err = OutcomeError, err.Error()
		return res
	}
	if cl.TookOver != "" {
		if w.Metrics != nil {
			w.Metrics.ClaimTakeovers.Inc()
		}
		log.Warn("took the batch over from an instance whose lease expired", "previous_owner", cl.TookOver)
	}
	return w.process(ctx, b, cl, t)
}

// process runs a claimed batch.
func (w *Worker) process(ctx context.Context, b inbox.Batch, cl *inbox.Claim, t Trigger) BatchResult {
	started := w.now()
	runID := runreport.NewRunID(started)
	res := BatchResult{Batch: b.Key, RunID: runID}
	log := w.logger().With("run_id", runID, "batch", b.Key)
	instance := w.Instance
	if instance == "" {
		instance = w.Claims.Owner
	}

	work, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stopKeep := w.Claims.Keep(ctx, cl, func(err error) {
		log.Error("lost the claim; stopping work on the batch", "err", err)
		cancel(fmt.Errorf("%w: %v", inbox.ErrLost, err))
	})
	keeping := true
	defer func() {
		if keeping {
			stopKeep()
		}
	}()

	log.Info("batch claimed; running", "claim_generation", cl.Gen, "schedule", t.Schedule, "mode", t.Mode)
	rep := runreport.New(runID, t.Mode, started)
	rep.Schedule, rep.Batch, rep.Instance, rep.Archive = t.Schedule, b.Key, instance, w.Runner.Store.String()

	sum, deliveries, runErr := w.run(work, b, rep, log, t.Stop)

	// Inputs that could not be read may mean another instance was moving
	// the batch out of the inbox while this one listed it (a batch mid-move
	// lists under another key, its files vanishing). If the batch as listed
	// is gone, it is not ours to fail: give the claim back.
	if runErr != nil && sum == nil && work.Err() == nil && w.vanished(ctx, b) {
		stopKeep()
		keeping = false
		if err := w.Claims.Release(ctx, cl); err != nil {
			log.Error("releasing the claim", "err", err)
		}
		log.Info("batch vanished from the inbox while being read (moved by another instance); claim released", "err", runErr)
		res.Outcome = OutcomeTidied
		return res
	}

	// Shutdown or a lost lease: nothing more is written for this batch. A
	// batch with shipments not started (stopped) or left to a writer that may
	// have died (in progress) is released, not finished: a later pass
	// completes it.
	unfinished := sum != nil && sum.Count(pipeline.NotStarted)+sum.Count(pipeline.InProgress) > 0
	if work.Err() != nil || unfinished {
		stopKeep()
		keeping = false
		if errors.Is(context.Cause(work), inbox.ErrLost) {
			w.Metrics.failure(ReasonClaim)
			w.Metrics.batch(OutcomeLost, 0)
			res.Outcome, res.Err = OutcomeLost, context.Cause(work).Error()
			return res
		}
		// The pass was stopped: sign a checkpoint over what was archived
		// and release the claim for the next instance. A second signal
		// skips even that: the lease runs out, the next run checkpoints.
		if sum != nil {
			// What the stopped run did so far, for the caller's summary.
			done := runreport.New(runID, t.Mode, started)
			done.AddSummary(sum)
			res.Counts = done.Counts
		}
		if stopped(t.Abort) {
			log.Warn("stopped at once before the batch finished; the next run redoes what is missing")
			w.Metrics.batch(OutcomeReleased, 0)
			res.Outcome = OutcomeReleased
			return res
		}
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer rcancel()
		if w.Runner.Log != nil {
			if _, err := w.Runner.Log.Checkpoint(rctx); err != nil {
				log.Error("signing the audit-log checkpoint", "err", err)
			}
		}
		if err := w.Claims.Release(rctx, cl); err != nil {
			log.Error("releasing the claim", "err", err)
		}
		if unfinished && work.Err() == nil && !stopped(t.Stop) {
			log.Warn("shipments left to another writer; claim released, a later pass finishes the batch",
				"in_progress", sum.Count(pipeline.InProgress))
		} else {
			log.Warn("stopped before the batch finished; claim released, the next run redoes what is missing")
		}
		w.Metrics.batch(OutcomeReleased, 0)
		res.Outcome = OutcomeReleased
		return res
	}

	rep.AddSummary(sum)
	rep.Finish(w.now(), runErr)
	res.Counts = rep.Counts
	outcome := inbox.Done
	if rep.Outcome == "failed" {
		outcome = inbox.Failed
	}
	// A run report is part of the audit trail: locked as long as the log,
	// recorded in it, and covered by the batch's checkpoint.
	key, err := runreport.Store(ctx, w.Runner.Store, w.Runner.Signer, rep, w.now().Add(pipeline.KeyRetention))
	if err == nil && w.Runner.Log != nil {
		err = runreport.Record(ctx, w.Runner.Store, w.Runner.Log, rep, w.Runner.Actor, w.now())
	}
	if err != nil {
		w.Metrics.failure(ReasonReport)
		log.Error("archiving the run report", "err", err)
	}
	res.Report = key
	if w.Runner.Log != nil && sum != nil {
		if _, err := w.Runner.Log.Checkpoint(ctx); err != nil {
			log.Error("signing the audit-log checkpoint", "err", err)
		}
	}
	w.deliver(work, deliveries.plan(sum), log)

	// Still ours? A last renewal proves no one took the batch over.
	stopKeep()
	keeping = false
	if err := w.Claims.Renew(ctx, cl); err != nil {
		w.Metrics.failure(ReasonClaim)
		log.Error("the claim could not be renewed before finishing; leaving the batch to its new owner", "err", err)
		res.Outcome, res.Err = OutcomeLost, err.Error()
		return res
	}
	if err := w.Claims.Finish(ctx, cl, outcome, key); err != nil {
		w.Metrics.failure(ReasonClaim)
		log.Error("recording the batch as processed", "err", err)
		res.Outcome, res.Err = OutcomeError, err.Error()
		return res
	}
	js, _ := rep.JSON()
	where, err := w.Inbox.Finish(ctx, b, outcome, map[string][]byte{inbox.ReportName: js})
	if err != nil {
		// Recorded as done: the next pass finishes the move.
		w.Metrics.failure(ReasonInbox)
		log.Error("moving the batch out of the inbox; the next pass retries", "err", err)
		res.Err = err.Error()
	}
	res.Outcome, res.Where = string(outcome), where
	w.Metrics.batch(string(outcome), rep.Seconds)
	log.Info("batch finished", "outcome", outcome, "archived", rep.Counts.Archived, "unchanged", rep.Counts.Unchanged,
		"rejected", rep.Counts.Rejected, "failed", rep.Counts.Failed, "in_progress", rep.Counts.InProgress,
		"documents", rep.Documents, "bytes", rep.BytesArchived, "seconds", rep.Seconds, "report", key, "moved_to", where)
	return res
}

// run fetches the batch and runs the pipeline on it.
func (w *Worker) run(ctx context.Context, b inbox.Batch, rep *runreport.Report, log *slog.Logger, stop <-chan struct{}) (*pipeline.Summary, *Deliveries, error) {
	dir, err := os.MkdirTemp(w.TempDir, "clearpack-batch-")
	if err != nil {
		return nil, nil, fmt.Errorf("making a work folder: %w", err)
	}
	defer os.RemoveAll(dir)
	if err := w.Inbox.Fetch(ctx, b, dir); err != nil {
		w.Metrics.failure(ReasonInbox)
		return nil, nil, err
	}
	files, err := inbox.Inputs(dir)
	if err != nil {
		w.Metrics.failure(ReasonInput)
		log.Error("batch inputs", "err", err)
		return nil, nil, err
	}
	// A batch's broker list that cannot be used sends nothing, loudly; the
	// packs are made all the same.
	deliveries, err := loadDeliveries(dir)
	switch {
	case err != nil:
		log.Error("the batch's deliveries are unusable; its packs are archived but not delivered", "err", err)
	case deliveries != nil && w.Deliver == nil:
		log.Error("the batch names brokers but this instance is not set up to deliver; its packs are archived but not delivered", "file", DeliveriesName)
	}
	if files.Mapping == "" {
		files.Mapping = w.Mapping
	}
	batch, err := ingest.Index(ctx, files, w.Limits)
	if err != nil {
		w.Metrics.failure(ReasonInput)
		log.Error("batch inputs unusable", "err", err)
		return nil, nil, err
	}
	defer batch.Close()
	var progress func(pipeline.ShipmentResult)
	if w.OnBatch != nil {
		progress = w.OnBatch(b, log, batch.Plan.Len())
	}
	sum, err := w.Runner.RunBatch(ctx, batch, pipeline.RunOptions{Logger: log, Stop: stop, OnShipment: func(res pipeline.ShipmentResult) {
		w.Metrics.shipment(res)
		if progress != nil {
			progress(res)
		}
	}})
	return sum, deliveries, err
}

// deliver sends each archived pack to its brokers; failures are logged (the
// Deliverer records them in the audit log) and never fail the batch.
func (w *Worker) deliver(ctx context.Context, ds []Delivery, log *slog.Logger) {
	if w.Deliver == nil {
		return
	}
	for _, d := range ds {
		if ctx.Err() != nil {
			log.Error("stopped before delivering; not delivered", "shipment", d.Shipment, "version", d.Version)
			continue
		}
		if err := w.Deliver.DeliverPack(ctx, d, log); err != nil {
			log.Error("delivering a pack's bundle failed (recorded in the audit log); the batch goes on",
				"shipment", d.Shipment, "version", d.Version, "broker", d.Broker, "err", err)
			continue
		}
		log.Info("pack delivered", "shipment", d.Shipment, "version", d.Version, "broker", d.Broker, "targets", len(d.Targets))
	}
}

// vanished reports whether batch b, as it was listed, is no longer in the
// inbox.
func (w *Worker) vanished(ctx context.Context, b inbox.Batch) bool {
	batches, _, err := w.Inbox.List(ctx)
	if err != nil {
		return false
	}
	for _, x := range batches {
		if x.Key == b.Key {
			return false
		}
	}
	return true
}
