package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/clearpack/clearpack/pipeline/rules"
)

type validateOptions struct {
	config string
	in     inputFlags
	json   bool
}

func newValidateCmd() *command {
	o := &validateOptions{}
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	mem := memoryLimitFlag(fs)
	fs.StringVar(&o.config, "config", "", "YAML config file; its keys are these flags' names")
	o.in.register(fs)
	fs.BoolVar(&o.json, "json", false, "print the results as JSON")
	return &command{
		name:    "validate",
		summary: "check the inputs and every shipment against the country rules, archiving nothing",
		usage:   "--inventory FILE --plan FILE [--clearances FILE] [--rules-dir DIR] [--json]",
		flags:   fs,
		run: func(ctx context.Context, _ []string, out, _ io.Writer) error {
			defer mem.apply()()
			return runValidate(ctx, o, out)
		},
	}
}

func runValidate(ctx context.Context, o *validateOptions, out io.Writer) error {
	files, lim, err := o.in.files()
	if err != nil {
		return err
	}
	book, err := rules.Load(o.in.rulesDir)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	batch, err := ingest.Load(ctx, files, lim)
	if err != nil {
		return withCode(ExitInput, err)
	}
	reports := book.Check(rules.Input{Plan: batch.Plan, Assets: batch.Assets, Clearances: batch.Clearances})
	// Input faults that fail a shipment are checks too: they come first.
	for i := range reports {
		var checks []model.CheckResult
		for _, p := range batch.ShipmentProblems(reports[i].ShipmentID) {
			checks = append(checks, model.CheckResult{Rule: "input", Status: model.Fail, Source: p.File, Detail: p.Error()})
		}
		reports[i].Results = append(checks, reports[i].Results...)
	}
	if o.json {
		if err := rules.WriteJSON(out, book.Version(), reports); err != nil {
			return err
		}
	} else {
		if err := rules.WriteTable(out, reports); err != nil {
			return err
		}
		for _, p := range batch.FileProblems() {
			fmt.Fprintf(out, "input problem (no shipment affected): %s\n", p.Error())
		}
	}
	failed := 0
	for _, r := range reports {
		if !r.OK() {
			failed++
		}
	}
	if failed > 0 {
		return errorf(ExitPartial, "%d of %d shipments would be stopped", failed, len(reports))
	}
	return nil
}
