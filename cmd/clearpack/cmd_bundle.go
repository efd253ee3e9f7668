package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/bundle"
	"github.com/clearpack/clearpack/archive/deliver"
	"github.com/clearpack/clearpack/archive/pack"
	"github.com/clearpack/clearpack/archive/s3"
	"github.com/clearpack/clearpack/archive/verify"
)

type bundleOptions struct {
	archive  archiveFlags
	program  string
	broker   string
	pub      string
	version  int
	out      string
	presign  time.Duration
	actor    string
	key      keyFlags
	shipment string
	deliver  deliverFlags
	// selfPub: the pack is verified with, and the bundle carries, the
	// public key of --key itself (serve's deliveries) instead of --pub.
	selfPub bool
	// badTargets are the targets of a batch that cannot be used (selfPub
	// only); each is recorded as a failed delivery.
	badTargets []error
}

func newBundleCmd() *command {
	o := &bundleOptions{}
	fs := pflag.NewFlagSet("bundle", pflag.ContinueOnError)
	o.archive.register(fs)
	o.key.register(fs)
	o.key.registerTSA(fs)
	fs.StringVar(&o.program, "program", "", "the shipment's program (its archive slug) (required)")
	fs.StringVar(&o.broker, "for", "", "the broker the bundle is for (letters, digits, - _ .), recorded in the audit log (required)")
	fs.StringVar(&o.pub, "pub", "", "the issuer's public key (PEM): the pack must verify with it, and it goes into the bundle (required)")
	fs.IntVar(&o.version, "pack-version", 0, "bundle this pack version instead of the current (latest) one")
	fs.StringVar(&o.out, "out", "", "write the zip here, or to standard output with - (default: <shipment>-vNNNN-<broker>.zip in the current directory); never overwrites")
	fs.DurationVar(&o.presign, "presign", 0, "instead of writing a file, store the zip in the S3 archive and print a download link valid this long (at most 168h)")
	fs.StringVar(&o.actor, "actor", actorDefault(), "who issues the bundle, as recorded in the audit log")
	o.deliver.register(fs)
	return &command{
		name:    "bundle",
		summary: "zip a shipment's current documents, signatures, manifest and key for a customs broker",
		usage:   "SHIPMENT --program P --for BROKER --pub PUB.pem --archive DIR|s3://... [--out FILE.zip | --presign 72h | --deliver mailto:...|sftp://...] --key KEY.pem",
		flags:   fs,
		args:    cobra.ArbitraryArgs, // checked by run
		run: func(ctx context.Context, args []string, out, errOut io.Writer) error {
			shipment, err := shipmentArg(args)
			if err != nil {
				return err
			}
			o.shipment = shipment
			return runBundle(ctx, o, out, errOut)
		},
	}
}

// presigner is an archive that can hand out time-limited download links.
type presigner interface {
	Presign(ctx context.Context, key string, ttl time.Duration) (*url.URL, error)
}

func runBundle(ctx context.Context, o *bundleOptions, out, errOut io.Writer) error {
	switch {
	case o.program == "":
		return errorf(ExitUsage, "--program is required")
	case o.broker == "":
		return errorf(ExitUsage, "--for BROKER is required: the audit log records to whom each bundle went")
	case o.pub == "" && !o.selfPub:
		return errorf(ExitUsage, "--pub is required: the pack is verified with the issuer's key before it is handed out")
	case o.presign < 0 || o.presign > s3.MaxPresign:
		return errorf(ExitUsage, "--presign %v: a link can be valid for at most %v", o.presign, s3.MaxPresign)
	case o.presign > 0 && o.out != "":
		return errorf(ExitUsage, "--out and --presign exclude each other")
	case o.out == "-" && isTerminal(out):
		return errorf(ExitUsage, "--out -: standard output is a terminal; redirect it to a file or a pipe")
	case o.version < 0:
		return errorf(ExitUsage, "--pack-version %d: a pack version is 1 or more (0, the default, is the latest)", o.version)
	}
	if err := archive.ValidSegment(o.broker); err != nil {
		return errorf(ExitUsage, "--for %q: %v", o.broker, err)
	}
	var targets []deliver.Deliverer
	var err error
	if o.selfPub {
		targets, o.badTargets, err = o.deliver.parseEach()
	} else {
		targets, err = o.deliver.parse()
	}
	if err != nil {
		return err
	}
	if len(targets) > 0 && o.out != "" {
		return errorf(ExitUsage, "--out and --deliver exclude each other")
	}
	var trusted crypto.PublicKey
	var pubPEM []byte
	if !o.selfPub {
		if trusted, err = readPub(o.pub); err != nil {
			return err
		}
		if pubPEM, err = os.ReadFile(o.pub); err != nil {
			return withCode(ExitUsage, err)
		}
	}
	st, err := o.archive.open(ctx)
	if err != nil {
		return err
	}
	signer, err := o.key.load(ctx)
	if err != nil {
		return err
	}
	warnf(ctx, errOut, o.key.exposed()...)
	if o.selfPub {
		trusted, pubPEM = signer.PublicKey(), signer.PublicKeyPEM()
	}
	var ps presigner
	if o.presign > 0 && len(targets) == 0 {
		p, ok := st.(presigner)
		if !ok {
			return errorf(ExitUsage, "--presign needs an s3:// archive; %s cannot make download links", st)
		}
		ps = p
	}
	b, err := bundle.Build(ctx, st, bundle.Options{
		Program: o.program, Shipment: o.shipment, Version: o.version, Broker: o.broker, PublicKeyPEM: pubPEM,
	})
	switch {
	case errors.Is(err, pack.ErrNoPack):
		return withCode(ExitUsage, err)
	case err != nil && errors.Is(err, archive.ErrBadKey):
		return withCode(ExitUsage, err)
	case err != nil && strings.Contains(err.Error(), "public key"):
		return errorf(ExitUsage, "--pub %s: %v", o.pub, err)
	case err != nil:
		return withCode(ExitArchive, err)
	}
	// Never hand out a pack that does not verify.
	rep, err := verify.Verify(ctx, st, trusted, verify.Options{Program: o.program, Shipment: o.shipment, Version: b.Version})
	if err != nil && !errors.Is(err, verify.ErrFailed) {
		return withCode(ExitArchive, err)
	}
	if f := rep.FirstFailure(); f != nil {
		return errorf(ExitVerify, "%s does not verify, no bundle issued (%s): %s: %s", b.Pack, f.Kind, f.Object, f.Detail)
	}
	z, err := b.Zip()
	if err != nil {
		return err
	}
	sum := sha256.Sum256(z)
	zipDigest := hex.EncodeToString(sum[:])
	digests := b.Digests()
	digests[b.Name()] = zipDigest

	stamper, err := o.key.timestamper(ctx)
	if err != nil {
		return err
	}
	alog, err := openStampedLog(ctx, st, signer, &o.key, stamper, o.key.witnesses...)
	if err != nil {
		return err
	}
	entry := auditlog.Entry{
		Actor: o.actor, Event: auditlog.EventBundleIssued, Program: o.program, Shipment: o.shipment,
		Object: b.Pack, Digests: digests,
	}
	if len(targets)+len(o.badTargets) > 0 {
		names := make([]string, len(targets))
		for i, d := range targets {
			names[i] = fmt.Sprint(d)
		}
		entry.Detail = fmt.Sprintf("issued to %s: %s for delivery to %s", o.broker, b.Pack, strings.Join(names, ","))
		if len(o.badTargets) > 0 {
			entry.Detail += fmt.Sprintf(" (%d unusable target(s) recorded as failed)", len(o.badTargets))
		}
		if _, err := alog.Append(ctx, entry); err != nil {
			return withCode(ExitArchive, fmt.Errorf("recording the bundle in the audit log (nothing sent): %w", err))
		}
		return deliverBundle(ctx, o, targets, st, alog, signer, deliver.Parcel{
			Name: b.Name(), Data: z, SHA256: zipDigest, Broker: o.broker, Pack: b.Pack,
		}, digests, out, errOut)
	}
	if ps != nil {
		ref := pack.Ref{Program: b.Program, Shipment: b.Shipment, Version: b.Version}
		key := pack.BundleKey(ref, strings.TrimSuffix(b.Name(), ".zip")+"-"+zipDigest[:16]+".zip")
		retain := time.Now().Add(o.presign)
		if in, err := st.Stat(ctx, ref.ManifestKey()); err == nil && in.RetainUntil.After(retain) {
			retain = in.RetainUntil
		}
		err := st.Put(ctx, key, bytes.NewReader(z), int64(len(z)), archive.PutOptions{ContentType: "application/zip", RetainUntil: retain})
		if err != nil && !errors.Is(err, archive.ErrExists) { // the same bytes were issued before
			return withCode(ExitArchive, fmt.Errorf("storing the bundle: %w", err))
		}
		link, err := ps.Presign(ctx, key, o.presign)
		if err != nil {
			return withCode(ExitArchive, err)
		}
		until := time.Now().Add(o.presign).UTC().Truncate(time.Second)
		entry.Object = key
		entry.Detail = fmt.Sprintf("issued to %s: %s as a download link valid until %s", o.broker, b.Pack, until.Format(time.RFC3339))
		if _, err := alog.Append(ctx, entry); err != nil {
			return withCode(ExitArchive, fmt.Errorf("recording the bundle in the audit log (no link given): %w", err))
		}
		signCheckpoint(ctx, alog, errOut)
		fmt.Fprintf(out, "bundle for %s: %s (%d files, sha256 %s)\nlink valid until %s:\n%s\n", o.broker, b.Pack, len(b.Files), zipDigest, until.Format(time.RFC3339), link)
		return nil
	}
	if o.out == "-" {
		return bundleToStdout(ctx, o, b, z, zipDigest, alog, entry, out, errOut)
	}
	path := o.out
	if path == "" {
		path = b.Name()
	}
	// The file first, complete and closed; then the audit-log entry: the
	// log never records an issuance whose file was not written, and a
	// bundle whose issuance could not be recorded is taken back.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return withCode(ExitUsage, fmt.Errorf("writing the bundle: %w", err))
	}
	if _, err := f.Write(z); err != nil {
		f.Close()
		os.Remove(path)
		return withCode(ExitFailure, fmt.Errorf("writing the bundle: %w", err))
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return withCode(ExitFailure, fmt.Errorf("writing the bundle: %w", err))
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return withCode(ExitFailure, fmt.Errorf("writing the bundle: %w", err))
	}
	entry.Detail = fmt.Sprintf("issued to %s: %s as file %s", o.broker, b.Pack, b.Name())
	if _, err := alog.Append(ctx, entry); err != nil {
		os.Remove(path)
		return withCode(ExitArchive, fmt.Errorf("recording the bundle in the audit log (file %s removed): %w", path, err))
	}
	signCheckpoint(ctx, alog, errOut)
	fmt.Fprintf(out, "bundle for %s: %s (%d files) written to %s, sha256 %s\n", o.broker, b.Pack, len(b.Files), path, zipDigest)
	return nil
}

// bundleToStdout writes the zip to standard output, then records the
// issuance (what is said about it goes to stderr). Bytes written cannot be
// taken back: when the record fails, the error says not to hand them out.
func bundleToStdout(ctx context.Context, o *bundleOptions, b *bundle.Bundle, z []byte, zipDigest string, alog *auditlog.Log, entry auditlog.Entry, out, errOut io.Writer) error {
	if _, err := out.Write(z); err != nil {
		return withCode(ExitFailure, fmt.Errorf("writing the bundle to standard output (not recorded as issued): %w", err))
	}
	entry.Detail = fmt.Sprintf("issued to %s: %s as file %s on standard output", o.broker, b.Pack, b.Name())
	if _, err := alog.Append(ctx, entry); err != nil {
		return withCode(ExitArchive, fmt.Errorf("recording the bundle in the audit log: %w (the bundle written to standard output is not recorded: do not hand it out)", err))
	}
	signCheckpoint(ctx, alog, errOut)
	fmt.Fprintf(errOut, "bundle for %s: %s (%d files) written to standard output, sha256 %s\n", o.broker, b.Pack, len(b.Files), zipDigest)
	return nil
}
