package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"

	"github.com/spf13/pflag"

	"github.com/clearpack/clearpack/archive/tsa"
	"github.com/clearpack/clearpack/archive/witness"

	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/pack"
	"github.com/clearpack/clearpack/internal/termtable"
	"github.com/clearpack/clearpack/pipeline"
	"github.com/clearpack/clearpack/pipeline/ingest"
)

// inputFlags name the three input files.
type inputFlags struct {
	inventory, plan, clearances, rulesDir, mapping string
	maxInputBytes                                  int64
}

func (i *inputFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&i.inventory, "inventory", "", "asset inventory: CSV or JSON (required); - reads standard input")
	fs.StringVar(&i.plan, "plan", "", "shipment plan: YAML or JSON (required); - reads standard input")
	fs.StringVar(&i.clearances, "clearances", "", "clearance records: CSV, YAML or JSON (optional); - reads standard input")
	fs.StringVar(&i.rulesDir, "rules-dir", "", "directory of country-profile YAML files that override or extend the built-in ones")
	fs.StringVar(&i.mapping, "mapping", "", mappingUsage)
	fs.Int64Var(&i.maxInputBytes, "max-input-bytes", ingest.DefaultLimits().MaxFileBytes, "largest input file accepted, in bytes")
}

// files returns the input files, and a function that removes the copy of
// standard input when one of them is "-".
func (i *inputFlags) files() (ingest.Files, ingest.Limits, func(), error) {
	if i.inventory == "" || i.plan == "" {
		return ingest.Files{}, ingest.Limits{}, nil, errorf(ExitUsage, "--inventory and --plan are required")
	}
	lim := ingest.DefaultLimits()
	lim.MaxFileBytes = i.maxInputBytes
	sp := newStdinSpool()
	f := ingest.Files{}
	var err error
	for _, in := range []struct {
		flag, path, kind string
		dst              *string
	}{
		{"inventory", i.inventory, ".csv", &f.Inventory},
		{"plan", i.plan, ".yaml", &f.Plan},
		{"clearances", i.clearances, "", &f.Clearances},
		{"mapping", i.mapping, ".yaml", &f.Mapping},
	} {
		if in.path == "" {
			continue
		}
		if *in.dst, err = sp.path(in.flag, in.path, in.kind, i.maxInputBytes); err != nil {
			sp.remove()
			return ingest.Files{}, ingest.Limits{}, nil, err
		}
	}
	return f, lim, sp.remove, nil
}

const mappingUsage = "mapping file for the inventory's export: column renames, value maps, defaults, units (see docs/mappings/)"

type runOptions struct {
	in      inputFlags
	archive archiveFlags
	key     keyFlags
	render  renderFlags
	workers int
	actor   string
	json    bool
	output  outputFlag
	once    onceFlags
	shard   shardFlags
}

func newRunCmd() *command {
	o := &runOptions{}
	fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
	mem := memoryLimitFlag(fs)
	o.in.register(fs)
	o.archive.register(fs)
	o.key.register(fs)
	o.key.registerTSA(fs)
	o.render.register(fs)
	fs.IntVar(&o.workers, "workers", 0, "shipments in flight at once (0: two per CPU; rendering is capped at one document per CPU)")
	fs.StringVar(&o.actor, "actor", actorDefault(), "who runs the job, as recorded in the audit log")
	fs.BoolVar(&o.json, "json", false, "print the run summary as JSON")
	o.output.register(fs)
	o.once.register(fs)
	o.shard.register(fs)
	return &command{
		name:    "run",
		summary: "check, render, sign and archive every shipment of a plan",
		usage:   "--inventory FILE --plan FILE [--clearances FILE] --key FILE --archive DIR|s3://...",
		flags:   fs,
		run: func(ctx context.Context, _ []string, out, errOut io.Writer) error {
			defer mem.apply()()
			return runRun(ctx, o, out, errOut)
		},
	}
}

func runRun(ctx context.Context, o *runOptions, out, errOut io.Writer) error {
	if err := o.output.check(); err != nil {
		return err
	}
	o.json = o.json || o.output.json()
	shard, err := o.shard.resolve(os.LookupEnv)
	if err != nil {
		return err
	}
	if o.once.once {
		if !shard.Whole() {
			return errorf(ExitUsage, "--once takes whole inbox batches; --shard and --shards do not apply")
		}
		return runOnce(ctx, o, out, errOut)
	}
	files, lim, done, err := o.in.files()
	if err != nil {
		return err
	}
	defer done()
	warnf(ctx, errOut, o.key.exposed()...)
	errOut = newStderrSink(errOut) // log lines go above the progress bar
	r, err := newRunner(ctx, &o.archive, &o.key, o.render, o.in.rulesDir, pipeline.Runner{
		Logger:  logOptionsFrom(ctx).logger(errOut, slog.LevelWarn, "text"),
		Workers: o.workers, Actor: o.actor, StaleAfter: o.once.svc.staleAfter,
	})
	if err != nil {
		return err
	}
	sum, err := runWithProgress(ctx, r, files, lim, shard, o.once.svc.grace, errOut)
	var cpErr error
	if sum != nil {
		_, cpErr = r.Log.Checkpoint(context.WithoutCancel(ctx))
		if cpErr != nil {
			warnf(ctx, errOut, fmt.Sprintf("signing the audit-log checkpoint: %v", cpErr))
		}
		if perr := printSummary(out, sum, o.json, o.output.width(out)); perr != nil {
			return perr
		}
		// A witness that refuses, or a time-stamp authority that fails,
		// leaves the checkpoint unattested: the archive cannot be used as
		// asked for (the next run tries again).
		if errors.Is(cpErr, witness.ErrRefused) || errors.Is(cpErr, tsa.ErrUnavailable) {
			return withCode(ExitArchive, cpErr)
		}
	}
	if ctx.Err() != nil && sum != nil {
		// Ctrl-C: the summary above says what was done so far.
		n := sum.Count(pipeline.Rejected) + sum.Count(pipeline.Failed) + sum.Count(pipeline.InProgress) + sum.Count(pipeline.NotStarted)
		return errorf(ExitCanceled, "interrupted: %d of %d shipments were not archived; run again to do them (what was archived stays)", n, len(sum.Shipments))
	}
	var inErr *pipeline.InputError
	switch {
	case errors.As(err, &inErr):
		return withCode(ExitInput, err)
	case err != nil:
		return err
	case errors.Is(cpErr, auditlog.ErrUnverifiedEntry), errors.Is(cpErr, auditlog.ErrTampered), errors.Is(cpErr, auditlog.ErrFork):
		// An entry someone else put in the log while this run wrote (named
		// in the error): no checkpoint covers it; the archive needs an eye.
		return withCode(ExitArchive, cpErr)
	}
	// A shipment left in progress to another writer (or to the remains of a
	// stopped run, until --stale-after) is not archived by this run either:
	// a scheduler must see that, and run again.
	n := sum.Count(pipeline.Rejected) + sum.Count(pipeline.Failed) + sum.Count(pipeline.InProgress) + sum.Count(pipeline.NotStarted)
	if n > 0 {
		return errorf(ExitPartial, "%d of %d shipments were not archived (see above)", n, len(sum.Shipments))
	}
	return nil
}

// printSummary prints the run's summary: JSON, or a table fitted to width
// (0: every column in full).
func printSummary(w io.Writer, sum *pipeline.Summary, asJSON bool, width int) error {
	if asJSON {
		return writeJSON(w, runJSON{SchemaVersion: schemaRun, Summary: sum})
	}
	fmt.Fprintln(w, termtable.WrapLine(fmt.Sprintf("Program %q → %s", sum.Program, sum.Archive), width))
	if sum.Shard != "" {
		fmt.Fprintln(w, termtable.WrapLine(fmt.Sprintf("Shard %s: %d of the plan's %d shipments; the other shards process the rest", sum.Shard, len(sum.Shipments), len(sum.Shipments)+sum.OtherShards), width))
	}
	fmt.Fprintln(w)
	var rows [][]string
	for _, s := range sum.Shipments {
		ver := "-"
		if s.Version > 0 {
			ver = pack.VersionName(s.Version)
			if s.Supersedes > 0 {
				ver += " (supersedes " + pack.VersionName(s.Supersedes) + ")"
			}
		}
		rows = append(rows, []string{s.ID, s.Destination, string(s.Status), ver, strconv.Itoa(len(s.Documents)), s.Path})
	}
	if err := termtable.Write(w, width, summaryColumns, rows); err != nil {
		return err
	}
	for _, s := range sum.Shipments {
		// Not started (Ctrl-C): the totals line counts them, and they all
		// have the one reason.
		if len(s.Reasons) == 0 || s.Status == pipeline.NotStarted {
			continue
		}
		fmt.Fprintf(w, "\n%s %s:\n", s.ID, s.Status)
		for _, r := range s.Reasons {
			fmt.Fprintln(w, termtable.Item(r, width))
		}
	}
	if len(sum.Problems) > 0 {
		fmt.Fprintf(w, "\nInput problems outside any shipment:\n")
		for _, p := range sum.Problems {
			fmt.Fprintln(w, termtable.Item(p, width))
		}
	}
	fmt.Fprintf(w, "\n%d archived, %d unchanged (already archived), %d rejected, %d failed",
		sum.Count(pipeline.Archived), sum.Count(pipeline.Unchanged), sum.Count(pipeline.Rejected), sum.Count(pipeline.Failed))
	if n := sum.Count(pipeline.InProgress); n > 0 {
		fmt.Fprintf(w, ", %d in progress in another instance", n)
	}
	if n := sum.Count(pipeline.NotStarted); n > 0 {
		fmt.Fprintf(w, ", %d not started", n)
	}
	fmt.Fprintln(w)
	return nil
}

// summaryColumns are run's: the archive path gives way first (-o wide, or
// the JSON, has it whole), then the superseded version and the count of
// documents.
var summaryColumns = []termtable.Column{
	{Header: "SHIPMENT"}, {Header: "DEST"}, {Header: "STATUS"},
	{Header: "VERSION", Fit: termtable.Cut, Min: 5, Drop: 2}, {Header: "DOCS", Drop: 1},
	{Header: "WHERE", Fit: termtable.Cut, Min: 16, Drop: 3},
}
