package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/deliver"
	"github.com/clearpack/clearpack/archive/pack"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/pipeline/schedule"
)

// deliverFlags say where bundle sends a bundle and how.
type deliverFlags struct {
	targets    []string
	smtp       string
	from       string
	smtpCA     string
	attachMax  int64
	knownHosts string
	attempts   int
	pause      time.Duration
}

func (d *deliverFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVar(&d.targets, "deliver", nil, "send the bundle to the broker: mailto:broker@example.com or sftp://user@host[:port]/dir (repeatable); each delivery, or its failure, is an audit-log event")
	d.registerSettings(fs)
}

// registerSettings registers how deliveries are made, without the targets
// (serve takes those from each batch's deliver.yaml).
func (d *deliverFlags) registerSettings(fs *pflag.FlagSet) {
	fs.StringVar(&d.smtp, "smtp", "", "mail server for --deliver mailto: smtp://host:587 (STARTTLS) or smtps://host:465 (implicit TLS); credentials from "+deliver.EnvSMTPUser+" and "+deliver.EnvSMTPPassword)
	fs.StringVar(&d.from, "mail-from", "", "sender address of delivery mail")
	fs.StringVar(&d.smtpCA, "smtp-ca", "", "PEM file of the CA that signs the mail server's certificate (default: the system's)")
	fs.Int64Var(&d.attachMax, "attach-max", deliver.DefaultAttachMax, "largest bundle (bytes) sent as a mail attachment; a larger one goes as a download link (s3:// archive) valid --presign long (default 72h)")
	fs.StringVar(&d.knownHosts, "sftp-known-hosts", "", "known_hosts file that must list the SFTP server's host key (default ~/.ssh/known_hosts); SSH key from "+deliver.EnvSFTPKey+" or password from "+deliver.EnvSFTPPassword)
	fs.IntVar(&d.attempts, "deliver-attempts", 3, "attempts per delivery before it is recorded as failed")
	fs.DurationVar(&d.pause, "deliver-pause", 5*time.Second, "pause before the second attempt, doubled after each")
}

// parse checks the targets before anything is built or recorded.
func (d *deliverFlags) parse() ([]deliver.Deliverer, error) {
	if d.attempts < 1 || d.attempts > 10 {
		return nil, errorf(ExitUsage, "--deliver-attempts %d: want 1 to 10", d.attempts)
	}
	cfg := deliver.Config{
		Mail: deliver.MailConfig{Server: d.smtp, From: d.from, CAFile: d.smtpCA, AttachMax: d.attachMax},
		SFTP: deliver.SFTPConfig{KnownHosts: d.knownHosts},
	}
	var out []deliver.Deliverer
	for _, t := range d.targets {
		dl, err := deliver.Parse(t, cfg)
		if err != nil {
			return nil, withCode(ExitUsage, err)
		}
		out = append(out, dl)
	}
	return out, nil
}

// parseEach is parse for a batch's targets: an unusable target does not
// stop the others; its error (which never repeats a secret) is returned so
// that it is recorded as a failed delivery.
func (d *deliverFlags) parseEach() ([]deliver.Deliverer, []error, error) {
	if d.attempts < 1 || d.attempts > 10 {
		return nil, nil, errorf(ExitUsage, "--deliver-attempts %d: want 1 to 10", d.attempts)
	}
	cfg := deliver.Config{
		Mail: deliver.MailConfig{Server: d.smtp, From: d.from, CAFile: d.smtpCA, AttachMax: d.attachMax},
		SFTP: deliver.SFTPConfig{KnownHosts: d.knownHosts},
	}
	var ok []deliver.Deliverer
	var bad []error
	for _, t := range d.targets {
		dl, err := deliver.Parse(t, cfg)
		if err != nil {
			bad = append(bad, err)
			continue
		}
		ok = append(ok, dl)
	}
	return ok, bad, nil
}

// deliverBundle sends an issued bundle to every target and records each
// delivery, or its failure after the retries, in the audit log. The pack is
// never touched. It fails when any delivery failed (each is recorded).
func deliverBundle(ctx context.Context, o *bundleOptions, targets []deliver.Deliverer, st archive.Store, alog *auditlog.Log,
	signer *signing.Signer, p deliver.Parcel, digests map[string]string, out, errOut io.Writer) error {
	if ps, ok := st.(presigner); ok {
		ttl := o.presign
		if ttl == 0 {
			ttl = 72 * time.Hour
		}
		p.Link = func(ctx context.Context) (string, time.Time, error) {
			key := pack.BundleKey(pack.Ref{Program: o.program, Shipment: o.shipment}, strings.TrimSuffix(p.Name, ".zip")+"-"+p.SHA256[:16]+".zip")
			retain := time.Now().Add(ttl)
			err := st.Put(ctx, key, bytes.NewReader(p.Data), int64(len(p.Data)), archive.PutOptions{ContentType: "application/zip", RetainUntil: retain})
			if err != nil && !errors.Is(err, archive.ErrExists) {
				return "", time.Time{}, fmt.Errorf("storing the bundle: %w", err)
			}
			u, err := ps.Presign(ctx, key, ttl)
			if err != nil {
				return "", time.Time{}, err
			}
			return u.String(), time.Now().Add(ttl).UTC().Truncate(time.Second), nil
		}
	}
	var failed []string
	for _, err := range o.badTargets {
		_, lerr := alog.Append(ctx, auditlog.Entry{
			Actor: o.actor, Event: auditlog.EventBundleDeliveryFailed, Program: o.program, Shipment: o.shipment, Object: p.Pack, Digests: digests,
			Detail: fmt.Sprintf("for %s: unusable target, nothing sent: %v", o.broker, err),
		})
		if lerr != nil {
			return withCode(ExitArchive, fmt.Errorf("recording an unusable delivery target in the audit log: %w", lerr))
		}
		failed = append(failed, err.Error())
	}
	for _, d := range targets {
		rc, err := deliver.Send(ctx, d, p, deliver.Retry{Attempts: o.deliver.attempts, Pause: o.deliver.pause,
			OnFailure: func(n int, err error) {
				warnf(ctx, errOut, fmt.Sprintf("delivery to %s, attempt %d of %d failed: %v", d, n, o.deliver.attempts, err))
			}})
		entry := auditlog.Entry{
			Actor: o.actor, Program: o.program, Shipment: o.shipment, Object: p.Pack, Digests: digests,
		}
		if err != nil {
			entry.Event = auditlog.EventBundleDeliveryFailed
			entry.Detail = fmt.Sprintf("to %s for %s: %v", d, o.broker, err)
			failed = append(failed, err.Error())
		} else {
			entry.Event = auditlog.EventBundleDelivered
			entry.Detail = fmt.Sprintf("to %s for %s: %s (attempt %d)", d, o.broker, rc.Detail(), rc.Attempts)
			if rc.RemotePath != "" {
				entry.Object = rc.RemotePath
			}
		}
		if _, lerr := alog.Append(ctx, entry); lerr != nil {
			return withCode(ExitArchive, fmt.Errorf("recording the delivery to %s in the audit log: %w", d, lerr))
		}
		if err == nil {
			fmt.Fprintf(out, "bundle for %s: %s delivered: %s\n", o.broker, p.Pack, rc.Detail())
		}
	}
	signCheckpoint(ctx, alog, errOut)
	if len(failed) > 0 {
		return errorf(ExitFailure, "%d of %d deliveries failed (recorded in the audit log as %s): %s",
			len(failed), len(targets)+len(o.badTargets), auditlog.EventBundleDeliveryFailed, strings.Join(failed, "; "))
	}
	return nil
}

// batchDeliverer sends the packs an inbox batch archived to the brokers its
// deliver.yaml names (schedule.DeliveriesName), exactly as `bundle
// --deliver` would: the bundle is issued and each delivery, or its failure
// after the retries, is recorded in the audit log. The bundle carries, and
// the pack must verify with, the public key of the key the worker signs
// with.
type batchDeliverer struct {
	archive archiveFlags
	key     keyFlags
	actor   string
	deliver deliverFlags
}

func (b *batchDeliverer) DeliverPack(ctx context.Context, d schedule.Delivery, log *slog.Logger) error {
	o := &bundleOptions{
		archive: b.archive, key: b.key, actor: b.actor, deliver: b.deliver, selfPub: true,
		program: d.Program, shipment: d.Shipment, version: d.Version, broker: d.Broker,
	}
	o.deliver.targets = append([]string(nil), d.Targets...)
	var errOut bytes.Buffer
	err := runBundle(ctx, o, io.Discard, &errOut)
	for _, line := range strings.Split(strings.TrimSpace(errOut.String()), "\n") {
		if line != "" {
			log.Warn(strings.TrimPrefix(line, "clearpack: "), "shipment", d.Shipment, "version", d.Version)
		}
	}
	return err
}
