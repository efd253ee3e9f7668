package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/pack"
)

type holdOptions struct {
	archive  archiveFlags
	program  string
	on, off  bool
	reason   string
	actor    string
	key      keyFlags
	fs       *pflag.FlagSet
	shipment string
}

func newHoldCmd() *command {
	o := &holdOptions{}
	fs := pflag.NewFlagSet("hold", pflag.ContinueOnError)
	o.fs = fs
	o.archive.register(fs)
	o.key.register(fs)
	o.key.registerTSA(fs)
	fs.StringVar(&o.program, "program", "", "the shipment's program (its archive slug) (required)")
	fs.BoolVar(&o.on, "on", false, "place a legal hold")
	fs.BoolVar(&o.off, "off", false, "lift the legal hold")
	fs.StringVar(&o.reason, "reason", "", "why (a case or request reference), recorded in the audit log (required)")
	fs.StringVar(&o.actor, "actor", actorDefault(), "who places or lifts the hold, as recorded in the audit log")
	return &command{
		name:    "hold",
		summary: "place or lift a legal hold on every archived object of a shipment",
		usage:   "SHIPMENT --program P --archive s3://... --on|--off --reason TEXT --key KEY.pem",
		flags:   fs,
		args:    cobra.ArbitraryArgs, // checked by run
		run: func(ctx context.Context, args []string, out, errOut io.Writer) error {
			shipment, err := shipmentArg(args)
			if err != nil {
				return err
			}
			o.shipment = shipment
			return runHold(ctx, o, out, errOut)
		},
	}
}

// holdStore is what hold needs from the archive.
type holdStore interface {
	archive.Store
	archive.Holder
}

func runHold(ctx context.Context, o *holdOptions, out, errOut io.Writer) error {
	switch {
	case o.on == o.off:
		return errorf(ExitUsage, "say --on to place the hold or --off to lift it")
	case o.program == "":
		return errorf(ExitUsage, "--program is required")
	case strings.TrimSpace(o.reason) == "":
		return errorf(ExitUsage, "--reason is required: the audit log records why a hold was placed or lifted")
	case o.actor == "":
		return errorf(ExitUsage, "--actor must not be empty")
	}
	if err := archive.ValidSegment(o.program); err != nil {
		return errorf(ExitUsage, "--program %q: %v", o.program, err)
	}
	if err := archive.ValidSegment(o.shipment); err != nil {
		return errorf(ExitUsage, "shipment %q: %v", o.shipment, err)
	}
	if o.archive.spec != "" && !strings.HasPrefix(o.archive.spec, "s3://") {
		// Said before the archive is opened, so nothing is created there.
		return errorf(ExitArchive, "%s", localHoldRefusal(o.archive.spec))
	}
	st, err := o.archive.open(ctx)
	if err != nil {
		return err
	}
	hs, ok := st.(holdStore)
	if !ok {
		return errorf(ExitArchive, "%s cannot place legal holds (use an s3:// archive with object lock)", st)
	}
	signer, err := o.key.load(ctx)
	if err != nil {
		return err
	}
	warnf(ctx, errOut, o.key.exposed()...)
	stamper, err := o.key.timestamper(ctx)
	if err != nil {
		return err
	}
	alog, err := openStampedLog(ctx, st, signer, &o.key, stamper, o.key.witnesses...)
	if err != nil {
		return err
	}
	// Group the shipment's objects by directory (pack version or rejected
	// report): one audit entry per directory, written once all its objects
	// are held.
	prefix := pack.Ref{Program: o.program, Shipment: o.shipment}.ShipmentPrefix()
	var dirs []string
	byDir := map[string][]string{}
	err = st.List(ctx, prefix, func(in archive.Info) error {
		i := strings.LastIndex(in.Key, "/")
		dir := in.Key[:i]
		if _, seen := byDir[dir]; !seen {
			dirs = append(dirs, dir)
		}
		byDir[dir] = append(byDir[dir], in.Key)
		return nil
	})
	if err != nil {
		return withCode(ExitArchive, fmt.Errorf("listing %s: %w", prefix, err))
	}
	if len(dirs) == 0 {
		return errorf(ExitUsage, "no archived objects for shipment %s in program %s", o.shipment, o.program)
	}
	event, verb := auditlog.EventLegalHoldPlaced, "placed"
	if o.off {
		event, verb = auditlog.EventLegalHoldLifted, "lifted"
	}
	total := 0
	for _, dir := range dirs {
		for _, key := range byDir[dir] {
			if err := hs.SetLegalHold(ctx, key, o.on); err != nil {
				return withCode(ExitArchive, fmt.Errorf("legal hold %s on %s after %d objects: %w", verb, key, total, err))
			}
			total++
		}
		_, err := alog.Append(ctx, auditlog.Entry{
			Actor: o.actor, Event: event, Program: o.program, Shipment: o.shipment, Object: dir,
			Detail: fmt.Sprintf("%d objects; reason: %s", len(byDir[dir]), o.reason),
		})
		if err != nil {
			return withCode(ExitArchive, fmt.Errorf("recording the hold on %s in the audit log: %w", dir, err))
		}
		fmt.Fprintf(out, "legal hold %s on %s (%d objects)\n", verb, dir, len(byDir[dir]))
	}
	fmt.Fprintf(out, "%d objects of shipment %s: legal hold %s, recorded in the audit log\n", total, o.shipment, verb)
	signCheckpoint(ctx, alog, errOut)
	return nil
}

// localHoldRefusal says why a local archive cannot take a legal hold and
// what to do instead.
func localHoldRefusal(dir string) string {
	return fmt.Sprintf("--archive %s is a local directory, and a legal hold needs an S3 archive with object lock "+
		"(--archive s3://bucket/prefix, see \"On S3 with object lock\" in the README): there the store itself refuses "+
		"to delete a held object until the hold is lifted, whatever its retention. A local directory cannot refuse; "+
		"nothing was changed. To keep this shipment's files, run against an S3 archive, or protect the directory "+
		"by the file system's own means (a read-only snapshot or mount, chattr +i)", dir)
}
