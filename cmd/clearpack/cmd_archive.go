package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/s3"
)

type archiveOptions struct {
	archive       archiveFlags
	retentionDays uint
	allowUnlocked bool
}

func newArchiveCmd() *command {
	o := &archiveOptions{}
	fs := pflag.NewFlagSet("archive", pflag.ContinueOnError)
	o.archive.register(fs)
	fs.UintVar(&o.retentionDays, "retention-days", 0, "default retention of the bucket in days, COMPLIANCE mode (required; packs also carry their own, until ship date + the country's retention years)")
	fs.BoolVar(&o.allowUnlocked, "allow-unlocked-for-tests", false, "accept an existing bucket without object lock; such an archive protects nothing (tests only)")
	return &command{
		name:    "archive",
		summary: "prepare an S3 archive: 'archive init' creates the bucket with object lock, versioning and a default retention",
		usage:   "init --archive s3://bucket/prefix?endpoint=host:port --retention-days N [--allow-unlocked-for-tests]",
		flags:   fs,
		args:    cobra.ArbitraryArgs, // checked by run
		run: func(ctx context.Context, args []string, out, _ io.Writer) error {
			if len(args) != 1 || args[0] != "init" {
				return errorf(ExitUsage, "the only archive subcommand is 'init': clearpack archive init --archive s3://... --retention-days N")
			}
			return runArchiveInit(ctx, o, out)
		},
	}
}

func runArchiveInit(ctx context.Context, o *archiveOptions, out io.Writer) error {
	if !strings.HasPrefix(o.archive.spec, "s3://") {
		return errorf(ExitUsage, "--archive %q: archive init prepares s3:// archives (a local directory needs no preparing)", o.archive.spec)
	}
	if o.retentionDays == 0 {
		return errorf(ExitUsage, "--retention-days is required: the bucket's default retention in days (at least 1)")
	}
	cfg, err := parseS3(o.archive.spec)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	cfg.AllowUnlocked = o.allowUnlocked
	if err := s3.Init(ctx, cfg, s3.Credentials(), o.retentionDays); err != nil {
		if errors.Is(err, s3.ErrNotLocked) && !o.allowUnlocked {
			return withCode(ExitArchive, fmt.Errorf("%w (create a new bucket with 'archive init', or pass --allow-unlocked-for-tests for a throwaway test archive)", err))
		}
		return withCode(ExitArchive, err)
	}
	st, err := s3.New(ctx, cfg, s3.Credentials())
	if err != nil {
		return withCode(ExitArchive, err)
	}
	mode := cfg.Mode
	if mode == "" {
		mode = archive.Compliance
	}
	if st.Locked() {
		fmt.Fprintf(out, "%s is ready: object lock and versioning on, default retention %s %d days\n", cfg, mode, o.retentionDays)
	} else {
		fmt.Fprintf(out, "%s is ready WITHOUT object lock (tests only): nothing in it is protected\n", cfg)
	}
	return nil
}
