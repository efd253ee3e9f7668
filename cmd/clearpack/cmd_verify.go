package main

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/clearpack/clearpack/archive/witness"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/archive/verify"
)

type verifyOptions struct {
	archive        archiveFlags
	pub            string
	alsoTrust      []string
	program        string
	shipment       string
	version        int
	keptCheckpoint string
	saveCheckpoint string
	json           bool
	quiet          bool
	staleAfter     time.Duration
	tsaCert        string
	witnesses      []string
	quorum         int
}

func newVerifyCmd() *command {
	o := &verifyOptions{}
	fs := pflag.NewFlagSet("verify", pflag.ContinueOnError)
	o.archive.register(fs)
	fs.StringVar(&o.pub, "pub", "", "the public key you trust (PEM), obtained from the issuer, not from the archive (required)")
	fs.StringSliceVar(&o.alsoTrust, "also-trust", nil, "further public keys (PEM files), e.g. retired keys of older packs (repeatable, or comma-separated)")
	fs.StringVar(&o.program, "program", "", "only this program (its archive slug)")
	fs.StringVar(&o.shipment, "shipment", "", "only this shipment (needs --program)")
	fs.IntVar(&o.version, "pack-version", 0, "only this pack version of the shipment")
	fs.StringVar(&o.keptCheckpoint, "checkpoint", "", "a checkpoint you kept from an earlier verify: the log must be consistent with it")
	fs.StringVar(&o.saveCheckpoint, "save-checkpoint", "", "after a clean verify, write the latest checkpoint here, to pass as --checkpoint next time")
	fs.StringVar(&o.tsaCert, "tsa-cert", "", "certificates (PEM) of the time-stamp authorities you trust: every manifest and the latest checkpoint must then carry a time-stamp from one of them, and embedded signatures' time-stamps are checked")
	fs.StringArrayVar(&o.witnesses, "witness", nil, "a witness you trust: its verifier key (<name>+<hash>+<key>) or a file holding it (repeatable); the latest checkpoint must be cosigned by --witness-quorum of them")
	fs.IntVar(&o.quorum, "witness-quorum", 0, "how many of the --witness keys must cosign (0: all)")
	fs.BoolVar(&o.json, "json", false, "print the checks as JSON")
	fs.BoolVar(&o.quiet, "quiet", false, "print failures and the summary only")
	fs.DurationVar(&o.staleAfter, "stale-after", verify.DefaultStaleAfter, "an incomplete pack version or run report no log entry accounts for is work in progress for this long after its last object, a fault after")
	return &command{
		name:    "verify",
		summary: "verify documents, signatures, manifests, the audit log and retention in an archive",
		usage:   "--archive DIR|s3://... --pub PUB.pem [--program P [--shipment S [--pack-version N]]] [--checkpoint FILE]",
		flags:   fs,
		run: func(ctx context.Context, _ []string, out, _ io.Writer) error {
			return runVerify(ctx, o, out)
		},
	}
}

func readPub(path string) (crypto.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, withCode(ExitUsage, err)
	}
	pub, err := signing.ParsePublicKeyPEM(b)
	if err != nil {
		return nil, errorf(ExitUsage, "%s: %v", path, err)
	}
	return pub, nil
}

func runVerify(ctx context.Context, o *verifyOptions, out io.Writer) error {
	if o.pub == "" {
		return errorf(ExitUsage, "--pub is required: verification trusts only a key you hold")
	}
	if o.shipment != "" && o.program == "" {
		return errorf(ExitUsage, "--shipment needs --program")
	}
	trusted, err := readPub(o.pub)
	if err != nil {
		return err
	}
	vo := verify.Options{Program: o.program, Shipment: o.shipment, Version: o.version, StaleAfter: o.staleAfter}
	for _, p := range o.alsoTrust {
		k, err := readPub(strings.TrimSpace(p))
		if err != nil {
			return err
		}
		vo.AlsoTrusted = append(vo.AlsoTrusted, k)
	}
	for _, w := range o.witnesses {
		vkey := w
		if b, err := os.ReadFile(w); err == nil {
			vkey = strings.TrimSpace(string(b))
		}
		v, err := witness.NewVerifier(vkey)
		if err != nil {
			return withCode(ExitUsage, err)
		}
		vo.Witnesses = append(vo.Witnesses, v)
	}
	vo.Quorum = o.quorum
	if o.tsaCert != "" {
		roots, err := readCertPool(o.tsaCert)
		if err != nil {
			return withCode(ExitUsage, err)
		}
		vo.TSARoots = roots
	}
	if o.keptCheckpoint != "" {
		if vo.KeptCheckpoint, err = os.ReadFile(o.keptCheckpoint); err != nil {
			return withCode(ExitUsage, err)
		}
	}
	st, err := o.archive.openExisting(ctx)
	if err != nil {
		return err
	}
	rep, err := verify.Verify(ctx, st, trusted, vo)
	if err != nil && !errors.Is(err, verify.ErrFailed) {
		return withCode(ExitArchive, err)
	}
	if o.json {
		if err := writeJSON(out, verifyJSON{SchemaVersion: schemaVerify, OK: rep.OK(), Report: rep}); err != nil {
			return err
		}
	} else if o.quiet {
		for _, c := range rep.Failures() {
			fmt.Fprintln(out, c.String())
		}
		fmt.Fprintln(out, rep.Summary())
	} else if err := rep.WriteText(out); err != nil {
		return err
	}
	if f := rep.FirstFailure(); f != nil {
		return errorf(ExitVerify, "verification failed (%s): %s: %s", f.Kind, f.Object, f.Detail)
	}
	if o.saveCheckpoint != "" && rep.CheckpointSize > 0 {
		cp, err := archive.ReadAll(ctx, st, auditlog.CheckpointKey(rep.CheckpointSize))
		if err != nil {
			return withCode(ExitArchive, err)
		}
		if err := os.WriteFile(o.saveCheckpoint, cp, 0o644); err != nil {
			return withCode(ExitUsage, err)
		}
		fmt.Fprintf(out, "kept checkpoint of size %d in %s\n", rep.CheckpointSize, o.saveCheckpoint)
	}
	return nil
}
