// Package auditlog is clearpack's append-only audit trail: a Merkle tree log
// (RFC 6962 / Certificate Transparency construction) kept in the write-once
// archive, with signed checkpoints in the C2SP tlog-checkpoint note format.
//
// Layout in the archive:
//
//	audit/entries/<20-digit index>.json   one entry, JSON, never rewritten
//	audit/checkpoints/<20-digit size>     signed checkpoint note of that size
//	audit/keys/<sha256 of vkey>.vkey      note verifier key of a checkpoint key
//	audit/keys/<sha256 of vkey>.vkey.sig  its signature by the document key
//	                                      (cosign blob format, like every .sig)
//
// Appending takes the next free index with a create-only Put. Two writers
// racing for index i see exactly one win; the loser moves to i+1. Entries are
// therefore never lost, never overwritten and the log never forks, across
// goroutines, processes and machines sharing one store.
//
// Leaf i of the tree is the RFC 6962 leaf hash of the stored bytes of entry i.
// A checkpoint's body is
//
//	clearpack/<archive name>
//	<tree size, decimal>
//	<root hash, base64>
//
// signed as a note (golang.org/x/mod/sumdb/note) by an Ed25519 checkpoint key
// whose note name is the origin line. Standard note verifiers only know
// Ed25519, so the checkpoint key is Ed25519 (see signing.Signer.
// CheckpointSigner) and is vouched for by the document signing key: the
// verifier key under audit/keys is signed by it. An auditor who trusts the
// document public key checks that signature with openssl or cosign, then any
// checkpoint with note.Open, or with any C2SP signed-note implementation.
package auditlog

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/pack"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/transparency-dev/merkle/proof"
	"golang.org/x/mod/sumdb/note"
)

// Key prefixes of the log in the archive.
const (
	EntriesPrefix     = "audit/entries/"
	CheckpointsPrefix = "audit/checkpoints/"
	KeysPrefix        = "audit/keys/"
	// OriginPrefix starts every checkpoint origin line.
	OriginPrefix = "clearpack/"
)

// Events recorded in the log.
const (
	EventPackArchived       = "pack.archived"
	EventPackSuperseded     = "pack.superseded"
	EventValidationRejected = "validation-failure.archived"
	EventBundleIssued       = "bundle.issued"
	// A bundle sent to a broker (mail, SFTP), or every attempt failed.
	EventBundleDelivered      = "bundle.delivered"
	EventBundleDeliveryFailed = "bundle.delivery-failed"
	// An auditor downloaded an evidence package (the packs a search found,
	// with their proofs).
	EventEvidenceRetrieved = "evidence.retrieved"
	EventPackRetrieved     = "pack.retrieved"
	EventLegalHoldPlaced   = "legal-hold.placed"
	EventLegalHoldLifted   = "legal-hold.lifted"
	// EventPackAbandoned records an incomplete pack version a crashed run
	// left (Digests: every object in it), written by the run that
	// supersedes it.
	EventPackAbandoned = "pack.abandoned"
	// EventRunReportArchived records a scheduled run's signed report
	// (Object: its directory; Digests: report.json and report.pdf).
	EventRunReportArchived = "run-report.archived"
)

// Entry is one event in the log.
type Entry struct {
	// Index is the entry's position, set by Append.
	Index uint64    `json:"index"`
	Time  time.Time `json:"time"`
	// Actor is who caused the event (a user, "scheduler", a broker id).
	Actor    string `json:"actor"`
	Event    string `json:"event"`
	Program  string `json:"program,omitempty"`
	Shipment string `json:"shipment,omitempty"`
	// Object is the archive key the event is about: a pack directory
	// ("programs/p/shipments/s/v0002"), a rejected report, a bundle.
	Object string `json:"object,omitempty"`
	// Digests maps file names to lowercase hex SHA-256, e.g. the manifest's.
	Digests map[string]string `json:"digests,omitempty"`
	Detail  string            `json:"detail,omitempty"`
	// TokenSHA256 is, for events caused through the auditor web interface,
	// the SHA-256 of the bearer token used (as in the tokens file).
	TokenSHA256 string `json:"token_sha256,omitempty"`
	// KeyID names the document key that signed the entry, Sig is the
	// signature (see SignedEntryBytes). Set by Append.
	KeyID string `json:"key_id,omitempty"`
	Sig   string `json:"sig,omitempty"`
}

// EntryKey is the archive key of entry i.
func EntryKey(i uint64) string { return fmt.Sprintf("%s%020d.json", EntriesPrefix, i) }

// CheckpointKey is the archive key of the checkpoint of size n.
func CheckpointKey(n uint64) string { return fmt.Sprintf("%s%020d", CheckpointsPrefix, n) }

// Options configures a Log.
type Options struct {
	// Name identifies the archive; the log origin is "clearpack/"+Name. It
	// must not contain spaces or '+'.
	Name string
	// Retain, when positive, asks the store to lock every log object for
	// this long (S3 object lock), in Mode (Compliance when empty).
	Retain time.Duration
	Mode   archive.RetentionMode
	// Now is the clock for entries without a time; time.Now when nil.
	Now func() time.Time
	// AlsoTrusted are earlier document keys (after a key rotation): entries
	// they signed, and checkpoints by checkpoint keys they vouch for under
	// audit/keys, are accepted as the signer's own.
	AlsoTrusted []crypto.PublicKey
	// Timestamp, when set, gets an RFC 3161 time-stamp response for each
	// checkpoint, stored at TimestampKey(size) (see Checkpoint).
	Timestamp func(ctx context.Context, checkpoint []byte) ([]byte, error)
	// Cosign, when set, has each checkpoint cosigned by witnesses: given the
	// checkpoint and a consistency prover, it returns the checkpoint with
	// the witnesses' cosignatures, stored at CosignedKey(size).
	Cosign func(ctx context.Context, checkpoint []byte, prove func(ctx context.Context, old uint64) ([][]byte, error)) ([]byte, error)
}

// Log is an open audit log. It is safe for concurrent use, and several Logs
// (in one or several processes) may append to one store at once.
type Log struct {
	st     archive.Store
	origin string
	opts   Options
	signer note.Signer // nil: no checkpoints
	vkey   string
	doc    *signing.Signer // signs entries; nil: read-only

	// bad is the first entry written by someone else that does not verify
	// with the document key (found by a sync): no checkpoint is signed over
	// it. checkFrom is the first index such syncs verify.
	bad       error
	checkFrom uint64
	checking  bool

	mu     sync.Mutex
	leaves [][]byte // leaf hashes of entries 0..len-1, as read or written
	next   uint64   // first index not known to be taken
	// seen holds recordKey of every entry read or written, so a writer can
	// tell whether an event was recorded (see Recorded).
	seen map[string]bool
}

func recordKey(event, object, digest string) string {
	return event + "\x00" + object + "\x00" + digest
}

// note remembers an entry's identity for Recorded.
func (l *Log) note(b []byte) {
	var e Entry
	if json.Unmarshal(b, &e) != nil || (e.Event != EventPackArchived && e.Event != EventValidationRejected && e.Event != EventPackAbandoned) {
		return
	}
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	if e.Event == EventPackAbandoned {
		l.seen[recordKey(e.Event, e.Object, "")] = true
		return
	}
	for _, d := range e.Digests {
		l.seen[recordKey(e.Event, e.Object, d)] = true
	}
}

// Recorded reports whether the log holds an entry of event (EventPackArchived
// or EventValidationRejected) about object with digest among its digests, or
// (EventPackAbandoned, digest "") one recording object as abandoned. A writer that stopped between archiving an object
// and recording it uses this to record it on the next run.
func (l *Log) Recorded(ctx context.Context, event, object, digest string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := l.syncLocked(ctx); err != nil {
		return false, err
	}
	return l.seen[recordKey(event, object, digest)], nil
}

// ErrFork: a checkpoint for a size already exists with a different root, so
// the log's history was changed.
var ErrFork = errors.New("audit log history differs from a stored checkpoint")

// Open opens the log in st. With a signer, Open records the checkpoint
// verifier key (signed by the document key) and the document public key under
// keys/, so checkpoints can be verified from the archive and one trusted key;
// without one, the log can be read but not appended to or checkpointed.
//
// Open refuses (errors matching ErrForeignLog, ErrTampered or
// ErrUnverifiedEntry, naming the object) a log whose checkpoints are for
// another origin (the archive-id was changed or removed), one altered since
// the signer's latest checkpoint, or one holding an entry after that
// checkpoint that does not verify with the signer's key: a writer never
// extends, or signs a checkpoint over, a log it cannot vouch for.
func Open(ctx context.Context, st archive.Store, s *signing.Signer, o Options) (*Log, error) {
	if err := validName(o.Name); err != nil {
		return nil, fmt.Errorf("opening audit log: %w", err)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	l := &Log{st: st, origin: OriginPrefix + o.Name, opts: o}
	if s != nil {
		ns, err := s.CheckpointSigner(l.origin)
		if err != nil {
			return nil, fmt.Errorf("opening audit log: %w", err)
		}
		vkey, err := s.CheckpointVerifierKey(l.origin)
		if err != nil {
			return nil, fmt.Errorf("opening audit log: %w", err)
		}
		l.signer, l.vkey, l.doc = ns, vkey, s
	}
	if err := l.bindName(ctx, s != nil); err != nil {
		return nil, fmt.Errorf("opening audit log: %w", err)
	}
	if err := checkOrigin(ctx, st, l.origin); err != nil {
		return nil, fmt.Errorf("opening audit log: %w", err)
	}
	if s != nil {
		if err := l.publishKeys(ctx, s); err != nil {
			return nil, fmt.Errorf("opening audit log: %w", err)
		}
	}
	leaves, err := l.sync(ctx)
	if err != nil {
		return nil, fmt.Errorf("opening audit log: %w", err)
	}
	if s != nil {
		if err := l.vouch(ctx, leaves); err != nil {
			return nil, fmt.Errorf("opening audit log: %w", err)
		}
	}
	return l, nil
}

// trusted are the document keys whose entries this writer accepts.
func (l *Log) trusted() []crypto.PublicKey {
	return append([]crypto.PublicKey{l.doc.PublicKey()}, l.opts.AlsoTrusted...)
}

// ArchiveIDKey holds the archive's identity, the log's name: its origin
// is OriginPrefix + the key's content (trimmed).
const ArchiveIDKey = "archive-id"

// bindName checks that the archive's identity is the log's name. A writer
// (write true) names an archive that has none yet, unless it already holds
// a log: a new name would fork it.
func (l *Log) bindName(ctx context.Context, write bool) error {
	b, err := archive.ReadAll(ctx, l.st, ArchiveIDKey)
	if errors.Is(err, archive.ErrNotFound) {
		var logged string
		lerr := l.st.List(ctx, "audit/", func(in archive.Info) error {
			logged = in.Key
			return errStop
		})
		if lerr != nil && !errors.Is(lerr, errStop) {
			return lerr
		}
		if logged != "" {
			return fmt.Errorf("%w: %s is missing but the archive holds an audit log (%s): refusing to start a second log; restore %s", ErrForeignLog, ArchiveIDKey, logged, ArchiveIDKey)
		}
		if !write {
			return nil
		}
		err = l.putOnce(ctx, ArchiveIDKey, []byte(l.opts.Name+"\n"), "text/plain")
		if err != nil {
			return fmt.Errorf("naming the archive: %w", err)
		}
		b, err = archive.ReadAll(ctx, l.st, ArchiveIDKey)
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", ArchiveIDKey, err)
	}
	if got := strings.TrimSpace(string(b)); got != l.opts.Name {
		return fmt.Errorf("%w: %s names %q, not %q", ErrForeignLog, ArchiveIDKey, got, l.opts.Name)
	}
	return nil
}

var errStop = errors.New("stop")

// ErrForeignLog: the archive's log belongs to another origin than the one
// asked for (its archive-id was changed or removed).
var ErrForeignLog = errors.New("audit log has another identity")

// checkOrigin refuses to open a log whose first checkpoint names another
// origin: writing on would fork the log under a new name.
func checkOrigin(ctx context.Context, st archive.Store, origin string) error {
	cps, err := listCheckpoints(ctx, st, "")
	if err != nil || len(cps) == 0 {
		return err
	}
	msg, err := archive.ReadAll(ctx, st, cps[0])
	if err != nil {
		return fmt.Errorf("reading %s: %w", cps[0], err)
	}
	first, _, _ := strings.Cut(string(msg), "\n")
	if first != origin {
		return fmt.Errorf("%w: %s is for log %q, but this archive's archive-id names %q: refusing to fork the log (restore archive-id)", ErrForeignLog, cps[0], first, origin)
	}
	return nil
}

// vouch checks every entry the signer's latest checkpoint does not cover
// against the signer's key, and has later syncs check new entries.
func (l *Log) vouch(ctx context.Context, leaves [][]byte) error {
	v, err := note.NewVerifier(l.vkey)
	if err != nil {
		return err
	}
	known := note.Verifiers(note.VerifierList(v))
	if len(l.opts.AlsoTrusted) > 0 {
		tv, _, err := TrustedVerifiers(ctx, l.st, l.trusted()...)
		if err != nil {
			return err
		}
		known = tv
	}
	from, err := vouchedSize(ctx, l.st, known, leaves)
	if err != nil {
		return err
	}
	for i := from; i < uint64(len(leaves)); i++ {
		b, err := archive.ReadAll(ctx, l.st, EntryKey(i))
		if err != nil {
			return fmt.Errorf("reading %s: %w", EntryKey(i), err)
		}
		if !bytes.Equal(LeafHash(b), leaves[i]) {
			return fmt.Errorf("%w: %s changed while being read", ErrTampered, EntryKey(i))
		}
		if _, _, err := VerifyEntry(l.origin, b, l.trusted()...); err != nil {
			return fmt.Errorf("%s: %w", EntryKey(i), err)
		}
	}
	l.mu.Lock()
	l.checkFrom, l.checking = uint64(len(leaves)), true
	l.mu.Unlock()
	return nil
}

func validName(name string) error {
	if name == "" || strings.ContainsRune(name, '+') || strings.IndexFunc(name, unicode.IsSpace) >= 0 {
		return fmt.Errorf("archive name %q: want a non-empty name without spaces or '+'", name)
	}
	return nil
}

// Origin is the log's origin line, "clearpack/<name>".
func (l *Log) Origin() string { return l.origin }

// VerifierKey is the note verifier key of the checkpoint key ("" without a
// signer). Auditors keep it with the document public key.
func (l *Log) VerifierKey() string { return l.vkey }

func (l *Log) putOpts(contentType string) archive.PutOptions {
	po := archive.PutOptions{ContentType: contentType}
	if l.opts.Retain > 0 {
		po.RetainUntil = l.opts.Now().Add(l.opts.Retain)
		po.Mode = l.opts.Mode
	}
	return po
}

// putOnce stores b under key create-only; an existing object with the same
// bytes counts as success, one with other bytes is an error.
func (l *Log) putOnce(ctx context.Context, key string, b []byte, contentType string) error {
	err := archive.PutBytes(ctx, l.st, key, b, l.putOpts(contentType))
	if errors.Is(err, archive.ErrExists) {
		old, rerr := archive.ReadAll(ctx, l.st, key)
		if rerr != nil {
			return fmt.Errorf("reading %s: %w", key, rerr)
		}
		if !bytes.Equal(old, b) {
			return fmt.Errorf("%s already exists with other content", key)
		}
		return nil
	}
	return err
}

func (l *Log) publishKeys(ctx context.Context, s *signing.Signer) error {
	sum := sha256.Sum256([]byte(l.vkey))
	base := KeysPrefix + hex.EncodeToString(sum[:]) + ".vkey"
	vkeyFile := []byte(l.vkey + "\n")
	sig, err := s.SignBlob(ctx, vkeyFile)
	if err != nil {
		return err
	}
	// The signature bytes differ on every signing (ECDSA), so an existing one
	// is kept as long as it verifies.
	if err := l.putOnce(ctx, base, vkeyFile, "text/plain"); err != nil {
		return err
	}
	err = archive.PutBytes(ctx, l.st, base+".sig", signing.CosignSig(sig), l.putOpts("text/plain"))
	if errors.Is(err, archive.ErrExists) {
		old, rerr := archive.ReadAll(ctx, l.st, base+".sig")
		if rerr != nil {
			return fmt.Errorf("reading %s.sig: %w", base, rerr)
		}
		der, perr := signing.ParseCosignSig(old)
		if perr != nil || signing.VerifyBlob(s.PublicKey(), vkeyFile, der) != nil {
			return fmt.Errorf("%s.sig exists and does not verify with %s", base, s.KeyID())
		}
		err = nil
	}
	if err != nil {
		return err
	}
	// The pipeline writes the same file; any PEM encoding of the same key is
	// fine.
	pubKey := pack.PublicKeyKey(s.KeyID())
	err = archive.PutBytes(ctx, l.st, pubKey, s.PublicKeyPEM(), l.putOpts("application/x-pem-file"))
	if errors.Is(err, archive.ErrExists) {
		old, rerr := archive.ReadAll(ctx, l.st, pubKey)
		if rerr != nil {
			return fmt.Errorf("reading %s: %w", pubKey, rerr)
		}
		if pub, perr := signing.ParsePublicKeyPEM(old); perr != nil || !pub.Equal(s.PublicKey()) {
			return fmt.Errorf("%s exists and is not the key %s", pubKey, s.KeyID())
		}
		return nil
	}
	return err
}

// sync reads entries appended since the last call (by anyone) and returns the
// leaf hashes of the whole log. Caller must not hold l.mu.
func (l *Log) sync(ctx context.Context) ([][]byte, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.syncLocked(ctx)
}

func (l *Log) syncLocked(ctx context.Context) ([][]byte, error) {
	for {
		i := uint64(len(l.leaves))
		b, err := archive.ReadAll(ctx, l.st, EntryKey(i))
		if errors.Is(err, archive.ErrNotFound) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", EntryKey(i), err)
		}
		if l.checking && i >= l.checkFrom && l.bad == nil {
			if _, _, verr := VerifyEntry(l.origin, b, l.trusted()...); verr != nil {
				l.bad = fmt.Errorf("%s: %w", EntryKey(i), verr)
			}
		}
		l.leaves = append(l.leaves, LeafHash(b))
		l.note(b)
	}
	if n := uint64(len(l.leaves)); n > l.next {
		l.next = n
	}
	return l.leaves[:len(l.leaves):len(l.leaves)], nil
}

// Append adds e to the log, signed by the document key, and returns its
// index. e.Time defaults to now (UTC); Actor and Event are required. A Log
// opened without a signer cannot append.
func (l *Log) Append(ctx context.Context, e Entry) (uint64, error) {
	if e.Actor == "" || e.Event == "" {
		return 0, errors.New("appending to audit log: entry needs an actor and an event")
	}
	if l.doc == nil {
		return 0, errors.New("appending to audit log: opened without a signing key (every entry is signed by its writer)")
	}
	if e.Time.IsZero() {
		e.Time = l.opts.Now()
	}
	e.Time = e.Time.UTC()
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := l.next; ; i++ {
		e.Index = i
		if err := signEntry(ctx, l.doc, l.origin, &e); err != nil {
			return 0, fmt.Errorf("appending to audit log: %w", err)
		}
		b, err := json.Marshal(e)
		if err != nil {
			return 0, fmt.Errorf("appending to audit log: %w", err)
		}
		b = append(b, '\n')
		err = archive.PutBytes(ctx, l.st, EntryKey(i), b, l.putOpts("application/json"))
		if errors.Is(err, archive.ErrExists) {
			continue // another writer took i
		}
		if err != nil {
			return 0, fmt.Errorf("appending to audit log: %w", err)
		}
		l.next = i + 1
		if uint64(len(l.leaves)) == i {
			l.leaves = append(l.leaves, LeafHash(b))
			l.note(b)
		}
		return i, nil
	}
}

// Checkpoint signs and stores a checkpoint of the log's current size and
// returns the note. If a checkpoint of that size is already stored (another
// instance made it), that one is returned after checking it names the same
// root; a different root returns ErrFork.
func (l *Log) Checkpoint(ctx context.Context) ([]byte, error) {
	if l.signer == nil {
		return nil, errors.New("checkpointing audit log: opened without a signing key")
	}
	l.mu.Lock()
	leaves, err := l.syncLocked(ctx)
	bad := l.bad
	l.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("checkpointing audit log: %w", err)
	}
	if bad != nil {
		return nil, fmt.Errorf("checkpointing audit log: refusing to sign over %w", bad)
	}
	cp := Checkpoint{Origin: l.origin, Size: uint64(len(leaves)), Root: newTree(leaves).root(0, len(leaves))}
	msg, err := note.Sign(&note.Note{Text: cp.Text()}, l.signer)
	if err != nil {
		return nil, fmt.Errorf("checkpointing audit log: %w", err)
	}
	key := CheckpointKey(cp.Size)
	err = archive.PutBytes(ctx, l.st, key, msg, l.putOpts("text/plain"))
	if errors.Is(err, archive.ErrExists) {
		old, rerr := archive.ReadAll(ctx, l.st, key)
		if rerr != nil {
			return nil, fmt.Errorf("checkpointing audit log: reading %s: %w", key, rerr)
		}
		v, _ := note.NewVerifier(l.vkey)
		oc, perr := ParseCheckpoint(old, note.VerifierList(v))
		if perr != nil {
			return nil, fmt.Errorf("checkpointing audit log: %s: %w", key, perr)
		}
		if !bytes.Equal(oc.Root, cp.Root) || oc.Origin != cp.Origin {
			return nil, fmt.Errorf("checkpointing audit log: %s: %w", key, ErrFork)
		}
		return old, l.attest(ctx, cp.Size, old)
	}
	if err != nil {
		return nil, fmt.Errorf("checkpointing audit log: %w", err)
	}
	return msg, l.attest(ctx, cp.Size, msg)
}

// Size is the number of entries in the log now.
func (l *Log) Size(ctx context.Context) (uint64, error) {
	leaves, err := l.sync(ctx)
	return uint64(len(leaves)), err
}

// InclusionProof proves entry index is in the tree of the given size.
func (l *Log) InclusionProof(ctx context.Context, index, size uint64) ([][]byte, error) {
	leaves, err := l.sync(ctx)
	if err != nil {
		return nil, fmt.Errorf("inclusion proof: %w", err)
	}
	if index >= size || size > uint64(len(leaves)) {
		return nil, fmt.Errorf("inclusion proof: index %d, size %d: want index < size <= %d", index, size, len(leaves))
	}
	return newTree(leaves).inclusion(int(index), 0, int(size)), nil
}

// ConsistencyProof proves the tree of size old is a prefix of the tree of
// size new.
func (l *Log) ConsistencyProof(ctx context.Context, old, new uint64) ([][]byte, error) {
	leaves, err := l.sync(ctx)
	if err != nil {
		return nil, fmt.Errorf("consistency proof: %w", err)
	}
	if old > new || new > uint64(len(leaves)) {
		return nil, fmt.Errorf("consistency proof: sizes %d, %d: want old <= new <= %d", old, new, len(leaves))
	}
	if old == 0 || old == new {
		return nil, nil
	}
	return newTree(leaves).consistency(int(old), int(new)), nil
}

// Checkpoint is the parsed body of a checkpoint note.
type Checkpoint struct {
	Origin string
	Size   uint64
	Root   []byte
}

// Text is the checkpoint body in C2SP tlog-checkpoint form.
func (c Checkpoint) Text() string {
	return fmt.Sprintf("%s\n%d\n%s\n", c.Origin, c.Size, base64.StdEncoding.EncodeToString(c.Root))
}

// ErrCheckpoint: a checkpoint is malformed, unsigned by a known key, or from
// another log.
var ErrCheckpoint = errors.New("checkpoint does not verify")

// ParseCheckpoint verifies a checkpoint note with the known verifiers and
// parses its body. The note must carry a signature by a verifier whose name
// is the origin line.
func ParseCheckpoint(msg []byte, known note.Verifiers) (Checkpoint, error) {
	n, err := note.Open(msg, known)
	if err != nil {
		var unknown *note.UnknownVerifierError
		if errors.As(err, &unknown) {
			return Checkpoint{}, fmt.Errorf("%w: signed by unknown key %s+%08x", ErrCheckpoint, unknown.Name, unknown.KeyHash)
		}
		return Checkpoint{}, fmt.Errorf("%w: %v", ErrCheckpoint, err)
	}
	lines := strings.SplitN(n.Text, "\n", 4)
	if len(lines) < 4 {
		return Checkpoint{}, fmt.Errorf("%w: body has fewer than 3 lines", ErrCheckpoint)
	}
	size, err := strconv.ParseUint(lines[1], 10, 64)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("%w: size line %q", ErrCheckpoint, lines[1])
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != crypto.SHA256.Size() {
		return Checkpoint{}, fmt.Errorf("%w: root hash line %q", ErrCheckpoint, lines[2])
	}
	cp := Checkpoint{Origin: lines[0], Size: size, Root: root}
	signedByOrigin := false
	for _, s := range n.Sigs {
		if s.Name == cp.Origin {
			signedByOrigin = true
		}
	}
	if !signedByOrigin {
		return Checkpoint{}, fmt.Errorf("%w: origin %q has no signature by a key of that name", ErrCheckpoint, cp.Origin)
	}
	return cp, nil
}

// VerifyInclusion checks that entry (its stored bytes) is at index in the
// tree of cp.
func VerifyInclusion(cp Checkpoint, index uint64, entry []byte, p [][]byte) error {
	return proof.VerifyInclusion(hasher, index, cp.Size, LeafHash(entry), p, cp.Root)
}

// VerifyConsistency checks that the tree of old is a prefix of the tree of
// new.
func VerifyConsistency(old, new Checkpoint, p [][]byte) error {
	if old.Origin != new.Origin {
		return fmt.Errorf("%w: checkpoints of two logs: %q and %q", ErrCheckpoint, old.Origin, new.Origin)
	}
	return proof.VerifyConsistency(hasher, old.Size, new.Size, p, old.Root, new.Root)
}
