package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/spf13/pflag"

	"github.com/clearpack/clearpack/internal/termtable"
	"github.com/clearpack/clearpack/pipeline"
	"github.com/clearpack/clearpack/pipeline/inbox"
	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/runreport"
	"github.com/clearpack/clearpack/pipeline/schedule"
)

// onceFlags add --once and the worker settings to run, so that run --once
// reads serve's config file (settings only serve has are skipped, as every
// command skips the top-level settings of others).
type onceFlags struct {
	once        bool
	metricsFile string
	svc         serviceFlags
}

func (o *onceFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&o.once, "once", false, "process every complete inbox batch once, then exit (for an external scheduler: Kubernetes CronJob, systemd timer); reads the inbox as serve does")
	fs.StringVar(&o.metricsFile, "metrics-file", "", "with --once: write the run's metrics to this file (Prometheus text format, replaced atomically), e.g. for node-exporter's textfile collector: /var/lib/node_exporter/textfile/clearpack.prom")
	o.svc.register(fs)
}

// runWithProgress is pipeline.Runner.Run with a progress display on errOut:
// a bar on a terminal, a line every 10 s otherwise. When ctx ends (Ctrl-C,
// SIGTERM) no further shipment starts and those in hand may finish for
// grace (a second signal stops them at once): the summary then lists what
// was archived, failed and not started.
func runWithProgress(ctx context.Context, r *pipeline.Runner, files ingest.Files, lim ingest.Limits, shard pipeline.Shard, grace time.Duration, errOut io.Writer) (*pipeline.Summary, error) {
	batch, err := ingest.Index(ctx, files, lim)
	if err != nil {
		return nil, &pipeline.InputError{Err: err}
	}
	defer batch.Close()
	var p *runreport.Progress
	if !isTerminal(errOut) && logOptionsFrom(ctx).format != "" {
		// --log-format asked for one format on stderr: progress is a log
		// record (info).
		p = runreport.NewProgressLog(r.Logger, 0, nil)
		p.Start(shard.Share(batch.Plan))
		defer p.Finish()
	} else {
		sink := newStderrSink(errOut)
		p = sink.progress(shard.Share(batch.Plan))
		defer sink.finish(p)
	}
	work, _, _, done := stopping(ctx, grace)
	defer done()
	return r.RunBatch(work, batch, pipeline.RunOptions{OnShipment: p.Shipment, Shard: shard, Stop: ctx.Done()})
}

// runOnce is `run --once`: one pass over the inbox.
func runOnce(ctx context.Context, o *runOptions, out, errOut io.Writer) error {
	if o.in.inventory != "" || o.in.plan != "" {
		return errorf(ExitUsage, "--once reads its inputs from --inbox; --inventory and --plan do not apply")
	}
	if o.once.metricsFile != "" {
		if err := checkMetricsDir(o.once.metricsFile); err != nil {
			return withCode(ExitUsage, err)
		}
	}
	errOut = newStderrSink(errOut) // log lines go above the progress bar
	logger := serviceLogger(ctx, errOut)
	sp := newStdinSpool()
	defer sp.remove()
	mapping, err := sp.path("mapping", o.in.mapping, ".yaml", o.in.maxInputBytes)
	if err != nil {
		return err
	}
	ws := &workerSetup{archive: o.archive, key: o.key, rulesDir: o.in.rulesDir, mapping: mapping, maxInputBytes: o.in.maxInputBytes,
		workers: o.workers, actor: o.actor, svc: o.once.svc}
	m := schedule.NewMetrics()
	m.Registry.MustRegister(buildInfo())
	b, err := buildWorker(ctx, ws, logger, m)
	if err != nil {
		return err
	}
	err = runOncePass(ctx, o, b, logger, out, errOut)
	if o.once.metricsFile != "" {
		code := ExitOK
		var ee *exitError
		switch {
		case errors.As(err, &ee):
			code = ee.code
		case err != nil:
			code = ExitFailure
		}
		if werr := writeMetricsFile(o.once.metricsFile, m, code, time.Now()); werr != nil {
			logger.Error("writing the metrics file", "file", o.once.metricsFile, "err", werr)
			if err == nil {
				err = withCode(ExitFailure, werr)
			}
		}
	}
	return err
}

// runOncePass is one pass of the built worker; its error carries the exit
// code.
func runOncePass(ctx context.Context, o *runOptions, b *built, logger *slog.Logger, out, errOut io.Writer) error {
	b.worker.Logger = logger.With("instance", b.worker.Instance)
	sink := newStderrSink(errOut)
	tty := isTerminal(sink)
	var current *runreport.Progress
	finish := func() {
		if current != nil {
			sink.finish(current)
			current = nil
		}
	}
	b.worker.OnBatch = func(_ inbox.Batch, log *slog.Logger, n int) func(pipeline.ShipmentResult) {
		finish()
		if tty {
			current = sink.progress(n)
		} else {
			current = runreport.NewProgressLog(log, 0, nil)
			current.Start(n)
		}
		return current.Shipment
	}
	work, abort, hard, done := stopping(ctx, o.once.svc.grace)
	defer done()
	results, err := b.worker.Pass(work, schedule.Trigger{Mode: "once", Stop: ctx.Done(), Abort: abort})
	finish()
	if perr := printBatches(out, results, o.json, o.output.width(out)); perr != nil {
		return perr
	}
	if err != nil && ctx.Err() == nil {
		return withCode(ExitArchive, err)
	}
	if hard() {
		return errorf(ExitCanceled, "stopped at once by a second signal")
	}
	if ctx.Err() != nil {
		// Ctrl-C: the table above says what was done so far.
		var c runreport.Counts
		for _, r := range results {
			c.Archived += r.Counts.Archived
			c.Failed += r.Counts.Failed
			c.NotStarted += r.Counts.NotStarted
		}
		return errorf(ExitCanceled, "interrupted after %d batch(es): %d shipment(s) archived, %d failed, %d not started; a stopped batch stays in the inbox for the next run",
			len(results), c.Archived, c.Failed, c.NotStarted)
	}
	failed, troubled, notArchived := 0, 0, 0
	for _, r := range results {
		switch r.Outcome {
		case string(inbox.Failed):
			failed++
		case schedule.OutcomeError, schedule.OutcomeLost:
			troubled++
		}
		// As in run: a rejected, failed or in-progress shipment was not
		// archived, and the scheduler must see it (exit 3).
		notArchived += r.Counts.Rejected + r.Counts.Failed + r.Counts.InProgress
	}
	switch {
	case troubled > 0:
		return errorf(ExitFailure, "%d batch(es) could not be handled (see the log); they stay in the inbox for the next run", troubled)
	case failed > 0:
		return errorf(ExitPartial, "%d of %d batch(es) failed; their run reports are in the archive and in the inbox's failed/", failed, len(results))
	case notArchived > 0:
		return errorf(ExitPartial, "%d shipment(s) were not archived (rejected, failed or in progress in another instance); see the run reports", notArchived)
	}
	return nil
}

// printBatches prints what a pass did with each batch: JSON, or a table
// fitted to width (0: every column in full).
func printBatches(w io.Writer, results []schedule.BatchResult, asJSON bool, width int) error {
	if asJSON {
		if results == nil {
			results = []schedule.BatchResult{}
		}
		return writeJSON(w, runOnceJSON{SchemaVersion: schemaRunOnce, Batches: results})
	}
	if len(results) == 0 {
		fmt.Fprintln(w, "No complete batch in the inbox.")
		return nil
	}
	cols := []termtable.Column{{Header: "BATCH", Fit: termtable.Cut, Min: 16}, {Header: "OUTCOME"}, {Header: "ARCHIVED"}, {Header: "UNCHANGED", Drop: 1},
		{Header: "REJECTED"}, {Header: "FAILED"}, {Header: "REPORT", Fit: termtable.Cut, Min: 16, Drop: 3}, {Header: "MOVED TO", Fit: termtable.Cut, Min: 16, Drop: 2}}
	var rows [][]string
	for _, r := range results {
		c := r.Counts
		rows = append(rows, []string{r.Batch, r.Outcome, strconv.Itoa(c.Archived), strconv.Itoa(c.Unchanged), strconv.Itoa(c.Rejected), strconv.Itoa(c.Failed), orNone(r.Report), orNone(r.Where)})
	}
	if err := termtable.Write(w, width, cols, rows); err != nil {
		return err
	}
	for _, r := range results {
		if r.Err != "" {
			fmt.Fprintf(w, "%s: %s\n", r.Batch, r.Err)
		}
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
