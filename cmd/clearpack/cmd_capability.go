package main

import (
	"context"
	"io"

	"github.com/spf13/pflag"

	"github.com/clearpack/clearpack/pipeline/capability"
	"github.com/clearpack/clearpack/pipeline/rules"
)

type capabilityOptions struct {
	archive  archiveFlags
	pub      string
	rulesDir string
	json     bool
	output   outputFlag
}

func newCapabilityCmd() *command {
	o := &capabilityOptions{}
	fs := pflag.NewFlagSet("capability", pflag.ContinueOnError)
	o.archive.register(fs)
	fs.StringVar(&o.pub, "pub", "", "the public key you trust (PEM); only packs it verifies count (required)")
	fs.StringVar(&o.rulesDir, "rules-dir", "", "directory of country-profile overrides (for the documents required)")
	fs.BoolVar(&o.json, "json", false, "print the report as JSON")
	o.output.register(fs)
	return &command{
		name:    "capability",
		summary: "report, per destination, what the archive proves was executed and cleared",
		usage:   "--archive DIR|s3://... --pub PUB.pem [--json]",
		flags:   fs,
		run: func(ctx context.Context, _ []string, out, _ io.Writer) error {
			return runCapability(ctx, o, out)
		},
	}
}

func runCapability(ctx context.Context, o *capabilityOptions, out io.Writer) error {
	if err := o.output.check(); err != nil {
		return err
	}
	o.json = o.json || o.output.json()
	if o.pub == "" {
		return errorf(ExitUsage, "--pub is required: only packs a key you trust verifies count as evidence")
	}
	trusted, err := readPub(o.pub)
	if err != nil {
		return err
	}
	book, err := rules.Load(o.rulesDir)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	st, err := o.archive.openExisting(ctx)
	if err != nil {
		return err
	}
	rep, err := capability.Report(ctx, st, trusted, book)
	if err != nil {
		return withCode(ExitArchive, err)
	}
	if o.json {
		if rep == nil {
			rep = []capability.Country{}
		}
		return writeJSON(out, capabilityJSON{SchemaVersion: schemaCapability, Destinations: rep})
	}
	return capability.WriteTableWidth(out, o.output.width(out), rep)
}
