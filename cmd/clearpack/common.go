package main

import (
	"context"
	"crypto"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/local"
	"github.com/clearpack/clearpack/archive/s3"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/archive/tsa"
	"github.com/clearpack/clearpack/archive/witness"
	"github.com/clearpack/clearpack/pipeline"
)

// archiveFlags name the archive: a local directory or s3://bucket/prefix.
type archiveFlags struct {
	spec string
}

func (a *archiveFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&a.spec, "archive", "var/archive", "the archive: a local directory, or s3://bucket/prefix?endpoint=host:port[&insecure=true] (credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or ~/.aws/credentials)")
}

// open opens the archive. Errors carry ExitArchive.
func (a *archiveFlags) open(ctx context.Context) (archive.Store, error) {
	if a.spec == "" {
		return nil, errorf(ExitUsage, "--archive is required")
	}
	if strings.HasPrefix(a.spec, "s3://") {
		cfg, err := parseS3(a.spec)
		if err != nil {
			return nil, withCode(ExitUsage, err)
		}
		st, err := s3.New(ctx, cfg, s3.Credentials())
		if err != nil {
			return nil, withCode(ExitArchive, err)
		}
		return st, nil
	}
	if strings.Contains(a.spec, "://") {
		return nil, errorf(ExitUsage, "--archive %q: only local directories and s3:// are supported", a.spec)
	}
	st, err := local.New(a.spec)
	if err != nil {
		return nil, withCode(ExitArchive, err)
	}
	return st, nil
}

// openExisting opens the archive for a command that only reads it (verify,
// capability): a local directory must exist, and nothing is created in it.
func (a *archiveFlags) openExisting(ctx context.Context) (archive.Store, error) {
	if a.spec == "" || strings.Contains(a.spec, "://") {
		return a.open(ctx)
	}
	st, err := local.Open(a.spec)
	if err != nil {
		return nil, withCode(ExitArchive, fmt.Errorf("%w (is --archive right?)", err))
	}
	return st, nil
}

// defaultPasswordEnv is the variable read for the key's password by default.
const defaultPasswordEnv = "CLEARPACK_KEY_PASSWORD"

// keyFlags say where the signing key is. The password is never a flag value:
// only the name of an environment variable or a file holding it.
type keyFlags struct {
	path, passwordEnv, passwordFile, kms, checkpointKey string
	alsoTrust                                           []string
	cert                                                string
	tsa                                                 string   // set only by commands that register it
	witnesses                                           []string // likewise
}

// registerTSA adds --tsa and --witness to the commands that sign checkpoints
// (run, serve, hold, bundle).
func (k *keyFlags) registerTSA(fs *pflag.FlagSet) {
	fs.StringVar(&k.tsa, "tsa", "", "RFC 3161 time-stamp authority URL: time-stamps every pack manifest, every checkpoint and every embedded PDF signature (PAdES B-T)")
	fs.StringArrayVar(&k.witnesses, "witness", nil, "URL of a C2SP tlog-witness that must cosign every audit-log checkpoint (repeatable; all must cosign)")
}

func (k *keyFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&k.path, "key", "", "signing key: PEM file (ECDSA P-256; plain or password-encrypted), or PKCS#12 (.p12, .pfx) holding the key and its certificate chain")
	fs.StringVar(&k.passwordEnv, "key-password-env", defaultPasswordEnv, "name of the environment variable holding the key's password, read when it is set and --key-password-file is not given")
	fs.StringVar(&k.passwordFile, "key-password-file", "", "file holding the key's password; it wins over "+defaultPasswordEnv+" (naming another variable with --key-password-env as well is an error)")
	fs.StringVar(&k.kms, "kms", "", "signing key held in a KMS: awskms://..., hashivault://...")
	fs.StringVar(&k.checkpointKey, "checkpoint-key", "", "Ed25519 PEM key for audit-log checkpoints (needed with --kms; derived from --key otherwise)")
	fs.StringVar(&k.cert, "cert", "", "X.509 certificate chain of the signing key (PEM, signer first) for the signatures embedded in every PDF (PAdES); default: the key file's .crt when present (keygen makes a development one)")
	fs.StringSliceVar(&k.alsoTrust, "also-trust", nil, "public keys (PEM files) of earlier signing keys, after a key rotation: audit-log entries they signed are accepted (repeatable, or comma-separated)")
}

// trusted reads the --also-trust public keys.
func (k *keyFlags) trusted() ([]crypto.PublicKey, error) {
	var out []crypto.PublicKey
	for _, p := range k.alsoTrust {
		pub, err := readPub(strings.TrimSpace(p))
		if err != nil {
			return nil, err
		}
		out = append(out, pub)
	}
	return out, nil
}

func (k *keyFlags) load(ctx context.Context) (*signing.Signer, error) {
	o := signing.Options{KeyPath: k.path, PasswordFile: k.passwordFile, KMSURI: k.kms, CheckpointKeyPath: k.checkpointKey}
	// One rule: --key-password-file, when given, holds the password;
	// otherwise the variable --key-password-env names, when it is set.
	switch {
	case k.passwordFile != "" && k.passwordEnv != "" && k.passwordEnv != defaultPasswordEnv:
		return nil, errorf(ExitUsage, "--key-password-env %s and --key-password-file %s: give one of them", k.passwordEnv, k.passwordFile)
	case k.passwordFile != "":
	case k.passwordEnv != "":
		if _, ok := os.LookupEnv(k.passwordEnv); ok {
			o.PasswordEnv = k.passwordEnv
		}
	}
	if o.KeyPath == "" && o.KMSURI == "" {
		return nil, errorf(ExitUsage, "a signing key is required: --key FILE or --kms URI (make one with 'clearpack keygen')")
	}
	s, err := signing.Load(ctx, o)
	if err != nil {
		return nil, withCode(ExitArchive, err)
	}
	return s, nil
}

// exposed returns a warning for each secret file of these flags (the key,
// its password file, the checkpoint key) that every user of the machine may
// read.
func (k *keyFlags) exposed() []string {
	var out []string
	for _, f := range []struct{ what, path string }{
		{"signing key", k.path}, {"key password file", k.passwordFile}, {"checkpoint key", k.checkpointKey},
	} {
		if w := worldReadable(f.what, f.path); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// worldReadable warns when a secret file may be read by every user: a
// private key or password there is as good as published on a shared
// machine. "" when the file is private (or absent: loading it says so).
func worldReadable(what, path string) string {
	if path == "" {
		return ""
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm()&0o004 == 0 {
		return ""
	}
	return fmt.Sprintf("%s %s is readable by every user of this machine (mode %04o): make it private with chmod 600 %s",
		what, path, st.Mode().Perm(), path)
}

// archiveName returns the archive's stable identity, or a new random one
// for an archive that has none yet (auditlog.Open records it, and refuses
// to when the archive already holds a log). It names the audit log (its
// checkpoints' origin), so that a checkpoint of one archive never passes
// for another's.
func archiveName(ctx context.Context, st archive.Store) (string, error) {
	b, err := archive.ReadAll(ctx, st, auditlog.ArchiveIDKey)
	if errors.Is(err, archive.ErrNotFound) {
		var raw [8]byte
		if _, err := rand.Read(raw[:]); err != nil {
			return "", err
		}
		return "archive-" + hex.EncodeToString(raw[:]), nil
	}
	if err != nil {
		return "", fmt.Errorf("reading the archive's identity: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

// openStampedLog opens the audit log; with a time-stamp authority, every
// checkpoint it signs is time-stamped.
func openStampedLog(ctx context.Context, st archive.Store, s *signing.Signer, k *keyFlags, stamper *tsa.Client, witnesses ...string) (*auditlog.Log, error) {
	name, err := archiveName(ctx, st)
	if err != nil {
		return nil, withCode(ExitArchive, err)
	}
	also, err := k.trusted()
	if err != nil {
		return nil, err
	}
	// On stores with object lock, the log outlives every pack it records.
	o := auditlog.Options{Name: name, Retain: pipeline.KeyRetention, AlsoTrusted: also}
	if stamper != nil {
		o.Timestamp = func(ctx context.Context, cp []byte) ([]byte, error) {
			tsr, _, err := stamper.Stamp(ctx, cp)
			return tsr, err
		}
	}
	if len(witnesses) > 0 {
		o.Cosign = cosigner(witnesses)
	}
	l, err := auditlog.Open(ctx, st, s, o)
	if err != nil {
		// Writers started at once on an archive with no identity yet (the
		// shards of a first sharded run) each make one up and one names the
		// archive: the others open its log by that name.
		if b, rerr := archive.ReadAll(ctx, st, auditlog.ArchiveIDKey); rerr == nil {
			if named := strings.TrimSpace(string(b)); named != name {
				o.Name = named
				l, err = auditlog.Open(ctx, st, s, o)
			}
		}
	}
	if err != nil {
		return nil, withCode(ExitArchive, err)
	}
	return l, nil
}

// signCheckpoint signs a checkpoint of the audit log after a command
// recorded entries, so that an auditor's kept checkpoint covers them at once.
// The entries are recorded either way, so a failure is a warning.
func signCheckpoint(ctx context.Context, l *auditlog.Log, errOut io.Writer) {
	if _, err := l.Checkpoint(ctx); err != nil {
		warnf(ctx, errOut, fmt.Sprintf("recorded in the audit log, but its checkpoint could not be signed (the next run signs one): %v", err))
	}
}

func actorDefault() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "clearpack"
}

// shipmentArg is the one SHIPMENT argument of hold and bundle.
func shipmentArg(args []string) (string, error) {
	if len(args) != 1 {
		return "", errorf(ExitUsage, "want exactly one SHIPMENT, got %d arguments", len(args))
	}
	return args[0], nil
}

// cosigner has every witness cosign a checkpoint; one that does not fails
// the whole (the next checkpoint tries again).
func cosigner(urls []string) func(context.Context, []byte, func(context.Context, uint64) ([][]byte, error)) ([]byte, error) {
	return func(ctx context.Context, cp []byte, prove func(context.Context, uint64) ([][]byte, error)) ([]byte, error) {
		var lines [][]byte
		for _, u := range urls {
			l, err := (&witness.Client{URL: u}).AddCheckpoint(ctx, cp, prove)
			if err != nil {
				return nil, err
			}
			lines = append(lines, l)
		}
		return witness.Cosigned(cp, lines...), nil
	}
}
