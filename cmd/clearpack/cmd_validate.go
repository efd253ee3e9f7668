package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/clearpack/clearpack/internal/termtable"
	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/clearpack/clearpack/pipeline/rules"
)

type validateOptions struct {
	in     inputFlags
	json   bool
	output outputFlag
}

func newValidateCmd() *command {
	o := &validateOptions{}
	fs := pflag.NewFlagSet("validate", pflag.ContinueOnError)
	mem := memoryLimitFlag(fs)
	o.in.register(fs)
	fs.BoolVar(&o.json, "json", false, "print the results as JSON")
	o.output.register(fs)
	return &command{
		name:    "validate",
		summary: "check the inputs and every shipment against the country rules, archiving nothing",
		usage:   "--inventory FILE --plan FILE [--clearances FILE] [--rules-dir DIR] [--json | -o wide]",
		flags:   fs,
		run: func(ctx context.Context, _ []string, out, _ io.Writer) error {
			defer mem.apply()()
			return runValidate(ctx, o, out)
		},
	}
}

func runValidate(ctx context.Context, o *validateOptions, out io.Writer) error {
	if err := o.output.check(); err != nil {
		return err
	}
	o.json = o.json || o.output.json()
	files, lim, done, err := o.in.files()
	if err != nil {
		return err
	}
	defer done()
	book, err := rules.Load(o.in.rulesDir)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	// Indexed: the assets stay in a temporary file, read back per shipment,
	// so what validate holds does not grow with the inventory's records.
	batch, err := ingest.Index(ctx, files, lim)
	if err != nil {
		return withCode(ExitInput, err)
	}
	defer batch.Close()
	look := batch.Lookup()
	checked := book.Prepare(rules.Input{Plan: batch.Plan, Asset: look.Asset, Clearance: look.Clearance, Reported: batch.Reported})
	// Each shipment's report is made when it is printed and dropped after:
	// a large plan never holds every report at once.
	report := func(i int) rules.Report {
		r := checked.Report(i)
		// Input faults that fail a shipment are checks too: they come first.
		var checks []model.CheckResult
		for _, p := range batch.ShipmentProblems(r.ShipmentID) {
			checks = append(checks, model.CheckResult{Rule: "input", Status: model.Fail, Source: p.File, Detail: p.Error()})
		}
		r.Results = append(checks, r.Results...)
		return r
	}
	var w interface {
		Write(rules.Report) error
		Close() error
	}
	var jw *rules.JSONWriter
	if o.json {
		// The document's "ok" precedes the shipments: a first pass works it
		// out, stopping at the first failure.
		ok := true
		for i := 0; i < checked.Len() && ok; i++ {
			ok = report(i).OK()
		}
		jw = rules.NewJSONWriter(out, book.Version(), ok)
		jw.SchemaVersion = schemaValidate
		w = jw
	} else {
		tw := rules.NewTableWriter(out)
		tw.Width = o.output.width(out)
		w = tw
	}
	failed := 0
	for i := range checked.Len() {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("validating: %w", err)
		}
		r := report(i)
		if !r.OK() {
			failed++
		}
		if jw != nil {
			// The input problems behind the shipment's "input" checks, as
			// fields: file, line, field, found, expected, message.
			err = jw.WriteWith(r, rules.Field{Key: "input_problems", Value: nonNil(batch.ShipmentProblems(r.ShipmentID))})
		} else {
			err = w.Write(r)
		}
		if err != nil {
			return err
		}
	}
	if jw != nil {
		// What the table prints as "input problem (no shipment affected)".
		err = jw.CloseWith(rules.Field{Key: "input_problems", Value: nonNil(batch.FileProblems())})
	} else {
		err = w.Close()
	}
	if err != nil {
		return err
	}
	if err := look.Err(); err != nil {
		return fmt.Errorf("validating: %w", err)
	}
	if err := checked.Err(); err != nil {
		return fmt.Errorf("validating: %w", err)
	}
	if !o.json {
		for _, p := range batch.FileProblems() {
			fmt.Fprintf(out, "%s\n", termtable.WrapLine("input problem (no shipment affected): "+p.Error(), o.output.width(out)))
		}
	}
	if failed > 0 {
		return errorf(ExitPartial, "%d of %d shipments would be stopped", failed, checked.Len())
	}
	return nil
}
