// Package verify checks an archive the way an auditor would: every document
// digest and signature, every pack manifest and SHA256SUMS, the inclusion of
// every pack in the audit log, the log's own integrity and its consistency
// with a checkpoint the auditor kept, and (for stores that report it) the
// retention of every object. It trusts nothing in the archive but what the
// trusted public keys sign.
//
// Verify returns a Report listing every check made, in order. The first
// failure also comes back as the error (matching ErrFailed), naming the
// object; Report.FirstFailure gives its Kind, which the CLI maps to an exit
// code.
package verify

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/pack"
	"github.com/clearpack/clearpack/archive/signing"
	"golang.org/x/mod/sumdb/note"
)

// Kind classifies a check.
type Kind string

// Kinds of checks, in the order a pack is checked.
const (
	KindIncomplete Kind = "incomplete" // a pack directory without a manifest
	KindMissing    Kind = "missing"    // an object the manifest or layout requires is absent
	KindManifest   Kind = "manifest"   // manifest contents disagree with the archive
	KindSignature  Kind = "signature"  // a signature does not verify with a trusted key
	KindDigest     Kind = "digest"     // a document's SHA-256 differs from the manifest
	KindInclusion  Kind = "inclusion"  // a pack is not provably in the audit log
	KindLog        Kind = "log"        // the audit log is altered, truncated or reordered
	KindCheckpoint Kind = "checkpoint" // a checkpoint is unsigned, foreign or inconsistent
	KindRetention  Kind = "retention"  // an object lacks the required retention lock
	KindEntry      Kind = "entry"      // an audit-log entry is not signed by a trusted key
	KindIdentity   Kind = "identity"   // archive-id is missing or names another log
	KindStray      Kind = "stray"      // an object nothing in the log or the layout accounts for
	KindAltered    Kind = "altered"    // an object was deleted or overwritten behind clearpack's back (S3 versions)
)

// Check is one thing verified about one object.
type Check struct {
	Kind   Kind   `json:"kind"`
	Object string `json:"object"` // archive key, or "kept checkpoint"
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

func (c Check) String() string {
	status := "ok  "
	if !c.OK {
		status = "FAIL"
	}
	s := fmt.Sprintf("%s %-10s %s", status, c.Kind, c.Object)
	if c.Detail != "" {
		s += ": " + c.Detail
	}
	return s
}

// Report is everything Verify checked.
type Report struct {
	Checks []Check `json:"checks"`
	// Packs counts the pack directories checked, RunReports the run
	// reports (runs/); LogSize is the number of
	// audit-log entries, CheckpointSize the size of its latest checkpoint.
	Packs          int    `json:"packs"`
	RunReports     int    `json:"run_reports"`
	LogSize        uint64 `json:"log_size"`
	CheckpointSize uint64 `json:"checkpoint_size"`
}

// OK reports whether every check passed.
func (r *Report) OK() bool { return r.FirstFailure() == nil }

// FirstFailure is the first failed check, or nil.
func (r *Report) FirstFailure() *Check {
	for i := range r.Checks {
		if !r.Checks[i].OK {
			return &r.Checks[i]
		}
	}
	return nil
}

// Failures are the failed checks.
func (r *Report) Failures() []Check {
	var out []Check
	for _, c := range r.Checks {
		if !c.OK {
			out = append(out, c)
		}
	}
	return out
}

// WriteText prints one line per check and a summary.
func (r *Report) WriteText(w io.Writer) error {
	var b bytes.Buffer
	for _, c := range r.Checks {
		b.WriteString(c.String())
		b.WriteByte('\n')
	}
	fails := len(r.Failures())
	fmt.Fprintf(&b, "%d packs, %s%d log entries (latest checkpoint %d), %d checks, %d failed\n",
		r.Packs, r.runReports(), r.LogSize, r.CheckpointSize, len(r.Checks), fails)
	_, err := w.Write(b.Bytes())
	return err
}

// runReports is "N run reports, " when there are any.
func (r *Report) runReports() string {
	if r.RunReports == 0 {
		return ""
	}
	return fmt.Sprintf("%d run reports, ", r.RunReports)
}

// Summary is the closing line of WriteText without the checkpoint size.
func (r *Report) Summary() string {
	return fmt.Sprintf("%d packs, %s%d log entries, %d checks, %d failed", r.Packs, r.runReports(), r.LogSize, len(r.Checks), len(r.Failures()))
}

func (r *Report) ok(k Kind, obj, detail string) {
	r.Checks = append(r.Checks, Check{k, obj, true, detail})
}
func (r *Report) fail(k Kind, obj, detail string) {
	r.Checks = append(r.Checks, Check{k, obj, false, detail})
}

// ErrFailed: verification found a failure. The error text names the first.
var ErrFailed = errors.New("verification failed")

// Options selects what to verify.
type Options struct {
	// Program (slug) and Shipment narrow the packs checked; Version narrows
	// to one pack version (1, 2, ...). Empty/zero means all.
	Program  string
	Shipment string
	Version  int
	// KeptCheckpoint is a checkpoint note the auditor saved earlier; the log
	// must be consistent with it.
	KeptCheckpoint []byte
	// AlsoTrusted are further document keys (retired keys still valid for
	// older packs).
	AlsoTrusted []crypto.PublicKey
	// Now is the clock for retention checks; time.Now when nil.
	Now func() time.Time
	// StaleAfter is how long an incomplete pack version or run report
	// that no log entry accounts for may go without a new object before
	// it is a fault rather than work in progress; DefaultStaleAfter when
	// zero (as clearpack run's --stale-after).
	StaleAfter time.Duration
	// TSARoots, when set, are the time-stamp authorities trusted: every
	// manifest and the latest checkpoint must carry an RFC 3161 time-stamp
	// from one of them, and embedded B-T signatures' time-stamps are checked.
	TSARoots *x509.CertPool
	// Witnesses are the witnesses trusted to cosign checkpoints; the latest
	// checkpoint must carry the cosignatures of at least Quorum of them
	// (all when Quorum is 0).
	Witnesses []note.Verifier
	Quorum    int
}

// DefaultStaleAfter is Options.StaleAfter's default, the same as the
// pipeline's: a writer older than this is taken for gone.
const DefaultStaleAfter = 2 * time.Minute

// Verify checks the archive in st against the trusted document key.
func Verify(ctx context.Context, st archive.Store, trusted crypto.PublicKey, o Options) (*Report, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.StaleAfter <= 0 {
		o.StaleAfter = DefaultStaleAfter
	}
	if _, err := signing.KeyIDOf(trusted); err != nil || trusted == nil {
		return nil, errors.New("verifying: no usable trusted public key given")
	}
	if o.Shipment != "" && o.Program == "" {
		return nil, errors.New("verifying: a shipment needs its program")
	}
	if o.Shipment != "" || o.Program != "" {
		for _, seg := range []string{o.Program, o.Shipment} {
			if seg == "" {
				continue
			}
			if err := archive.ValidSegment(seg); err != nil {
				return nil, fmt.Errorf("verifying: %q: %w", seg, err)
			}
		}
	}
	v := &verifier{st: st, o: o, r: &Report{}, trusted: append([]crypto.PublicKey{trusted}, o.AlsoTrusted...)}
	if err := v.run(ctx); err != nil {
		return v.r, err
	}
	if f := v.r.FirstFailure(); f != nil {
		return v.r, fmt.Errorf("%w: %s", ErrFailed, f)
	}
	return v.r, nil
}

type verifier struct {
	st      archive.Store
	o       Options
	r       *Report
	trusted []crypto.PublicKey
	state   *auditlog.State // nil when the log could not be read
	// archived maps pack directory + NUL + manifest digest to the index of
	// its first pack.archived entry.
	archived map[string]int
	objects  []string // every object key checked, for retention
	// origin is the log's origin ("clearpack/" + archive-id).
	origin string
	// signed says which entries verify with a trusted key: only those
	// account for anything.
	signed []bool
	// packs maps each pack directory checked (with its trailing slash) to
	// the digest of its verified manifest ("" when incomplete).
	packs map[string]string
}

// packDir is one programs/<p>/shipments/<s>/vNNNN directory.
type packDir struct {
	prefix            string // with trailing slash
	program, shipment string
	version           int
	files             map[string]bool // names inside the directory
	touched           time.Time       // newest object's time
}

func (v *verifier) run(ctx context.Context) error {
	if err := v.checkLog(ctx); err != nil {
		return err
	}
	if err := v.checkCheckpointStamps(ctx); err != nil {
		return err
	}
	if err := v.checkWitnesses(ctx); err != nil {
		return err
	}
	packs, rejected, err := v.listPacks(ctx)
	if err != nil {
		return err
	}
	if len(packs) == 0 && (v.o.Program != "" || v.o.Shipment != "") {
		v.r.fail(KindMissing, v.scopeName(), "no pack found")
	}
	for _, p := range packs {
		if err := v.checkPack(ctx, p, packs); err != nil {
			return err
		}
		v.r.Packs++
	}
	for _, key := range rejected {
		if err := v.checkSigned(ctx, key); err != nil {
			return err
		}
	}
	if v.o.Program == "" {
		if err := v.checkRunReports(ctx); err != nil {
			return err
		}
	}
	if err := v.checkCompleteness(ctx); err != nil {
		return err
	}
	return v.checkRetention(ctx)
}

// clearpack serve and run --once keep their signed run reports in
// pack.RunsPrefix: runs/<date>/<run id>/report.{json,pdf} (+ .sig).

// checkRunReports checks the signatures of every run report. report.json
// is archived last, so a directory without it is a report an interrupted
// run never finished: work in progress for StaleAfter, a fault after.
func (v *verifier) checkRunReports(ctx context.Context) error {
	dirs := map[string]map[string]bool{}
	touched := map[string]time.Time{}
	err := v.st.List(ctx, pack.RunsPrefix, func(in archive.Info) error {
		if !pack.IsRunReportKey(in.Key) {
			return nil // a stray object (checkCompleteness names it)
		}
		i := strings.LastIndexByte(in.Key, '/')
		dir, name := in.Key[:i+1], in.Key[i+1:]
		if dirs[dir] == nil {
			dirs[dir] = map[string]bool{}
		}
		dirs[dir][name] = true
		if in.ModTime.After(touched[dir]) {
			touched[dir] = in.ModTime
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("verifying: listing run reports: %w", err)
	}
	for _, dir := range slices.Sorted(maps.Keys(dirs)) {
		if !dirs[dir]["report.json"] {
			// report.json is archived last: the remains of a run stopped
			// while archiving its report, or one archiving it now.
			if age := v.o.Now().Sub(touched[dir]); age < v.o.StaleAfter {
				v.r.ok(KindIncomplete, dir, fmt.Sprintf("run report being written (last object %s ago); not checked", age.Round(time.Second)))
				continue
			}
			v.r.fail(KindStray, dir, "run report never finished (no report.json) and no audit-log entry accounts for it")
			continue
		}
		for _, name := range []string{"report.json", "report.pdf"} {
			if err := v.checkSigned(ctx, dir+name); err != nil {
				return err
			}
		}
		v.r.RunReports++
	}
	return nil
}

func (v *verifier) scopeName() string {
	return pack.ScopeName(pack.Ref{Program: v.o.Program, Shipment: v.o.Shipment, Version: v.o.Version})
}

// listPacks finds pack directories and rejected reports in scope.
func (v *verifier) listPacks(ctx context.Context) ([]*packDir, []string, error) {
	byPrefix := map[string]*packDir{}
	var rejected []string
	err := pack.Scan(ctx, v.st, pack.Ref{Program: v.o.Program, Shipment: v.o.Shipment}, func(k pack.Key, in archive.Info) error {
		if !k.IsPack() {
			if k.IsRejection() && v.o.Version == 0 {
				rejected = append(rejected, in.Key)
			}
			return nil
		}
		if v.o.Version != 0 && k.Version != v.o.Version {
			return nil
		}
		prefix := k.Ref.Prefix()
		p := byPrefix[prefix]
		if p == nil {
			p = &packDir{prefix: prefix, program: k.Program, shipment: k.Shipment, version: k.Version, files: map[string]bool{}}
			byPrefix[prefix] = p
		}
		p.files[k.Name] = true
		if in.ModTime.After(p.touched) {
			p.touched = in.ModTime
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("verifying: listing packs: %w", err)
	}
	packs := make([]*packDir, 0, len(byPrefix))
	for _, p := range byPrefix {
		packs = append(packs, p)
	}
	sort.Slice(packs, func(i, j int) bool { return packs[i].prefix < packs[j].prefix })
	return packs, rejected, nil
}

// read returns the object, or nil and records a missing-object failure.
func (v *verifier) read(ctx context.Context, key string) ([]byte, error) {
	b, err := archive.ReadAll(ctx, v.st, key)
	if errors.Is(err, archive.ErrNotFound) {
		v.r.fail(KindMissing, key, "object is missing")
		return nil, nil
	}
	if errors.Is(err, archive.ErrNotRegular) {
		v.r.fail(KindStray, key, "not an archived object: "+err.Error())
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("verifying: reading %s: %w", key, err)
	}
	v.objects = append(v.objects, key)
	return b, nil
}

// verifySig checks key's detached signature key+".sig" and reports it.
func (v *verifier) verifySig(ctx context.Context, key string, data []byte) error {
	sigFile, err := v.read(ctx, key+".sig")
	if err != nil || sigFile == nil {
		return err
	}
	der, err := signing.ParseCosignSig(sigFile)
	if err != nil {
		v.r.fail(KindSignature, key+".sig", err.Error())
		return nil
	}
	for _, pub := range v.trusted {
		if signing.VerifyBlob(pub, data, der) == nil {
			id, _ := signing.KeyIDOf(pub)
			v.r.ok(KindSignature, key+".sig", "signed by "+id)
			return nil
		}
	}
	v.r.fail(KindSignature, key+".sig", "does not verify with a trusted key over "+key)
	return nil
}

// checkSigned reads key and checks its detached signature.
func (v *verifier) checkSigned(ctx context.Context, key string) error {
	b, err := v.read(ctx, key)
	if err != nil || b == nil {
		return err
	}
	return v.verifySig(ctx, key, b)
}

func (v *verifier) checkPack(ctx context.Context, p *packDir, all []*packDir) error {
	mkey := p.prefix + manifest.FileName
	if v.packs == nil {
		v.packs = map[string]string{}
	}
	v.packs[p.prefix] = ""
	if !p.files[manifest.FileName] {
		return v.checkIncomplete(ctx, p)
	}
	env, err := v.read(ctx, mkey)
	if err != nil || env == nil {
		return err
	}
	var stmt *manifest.Statement
	var signer crypto.PublicKey
	for _, pub := range v.trusted {
		if s, err := manifest.Open(env, pub); err == nil {
			stmt, signer = s, pub
			break
		} else if !errors.Is(err, manifest.ErrBadEnvelope) {
			v.r.fail(KindManifest, mkey, err.Error())
			return nil
		}
	}
	if stmt == nil {
		v.r.fail(KindSignature, mkey, "DSSE envelope does not verify with a trusted key")
		return nil
	}
	keyID, _ := signing.KeyIDOf(signer)
	v.r.ok(KindSignature, mkey, "DSSE envelope signed by "+keyID)

	pr := stmt.Predicate
	switch {
	case pr.Program != p.program || pr.Shipment != p.shipment || pr.Version != p.version:
		v.r.fail(KindManifest, mkey, fmt.Sprintf("manifest is for %s, stored at %s", pack.Ref{Program: pr.Program, Shipment: pr.Shipment, Version: pr.Version}, p.prefix))
		return nil
	case pr.KeyID != keyID:
		v.r.fail(KindManifest, mkey, fmt.Sprintf("predicate names key %s, signed by %s", pr.KeyID, keyID))
		return nil
	}
	v.r.ok(KindManifest, mkey, fmt.Sprintf("%s, %d documents, rules %s, templates %s", pack.Ref{Program: pr.Program, Shipment: pr.Shipment, Version: pr.Version}, len(stmt.Subject), pr.RulesVersion, pr.TemplateVersion))
	if pr.Supersedes > 0 {
		prev := pack.Ref{Program: p.program, Shipment: p.shipment, Version: pr.Supersedes}.ManifestKey()
		if _, err := v.st.Stat(ctx, prev); errors.Is(err, archive.ErrNotFound) {
			v.r.fail(KindMissing, prev, fmt.Sprintf("superseded by %s but missing", mkey))
		} else if err != nil {
			return fmt.Errorf("verifying: %s: %w", prev, err)
		}
	}
	pubKey := pack.PublicKeyKey(keyID)
	if pem, err := v.read(ctx, pubKey); err != nil {
		return err
	} else if pem != nil {
		if got, perr := signing.ParsePublicKeyPEM(pem); perr != nil || !got.Equal(signer) {
			v.r.fail(KindManifest, pubKey, "is not the key that signed "+mkey)
		}
	}

	// Documents: each subject present, its digest right, its signature valid.
	listed := map[string]string{}
	for _, s := range stmt.Subject {
		listed[s.Name] = s.SHA256
		key := p.prefix + s.Name
		b, err := v.read(ctx, key)
		if err != nil {
			return err
		}
		if b == nil {
			continue
		}
		if got := manifest.Digest(b); got != s.SHA256 {
			v.r.fail(KindDigest, key, fmt.Sprintf("sha256 %s, manifest says %s", got, s.SHA256))
		} else {
			v.r.ok(KindDigest, key, "sha256 "+got)
		}
		if err := v.verifySig(ctx, key, b); err != nil {
			return err
		}
		v.checkEmbedded(key, b, pr.Unsigned, s.Name, signer)
	}
	for name := range p.files {
		base := strings.TrimSuffix(name, ".sig")
		if name == manifest.FileName || base == manifest.SumsName || name == manifestStampName {
			continue
		}
		if _, ok := listed[base]; !ok {
			v.r.fail(KindManifest, p.prefix+name, "not listed in "+manifest.FileName)
		}
	}

	// SHA256SUMS: signed, and the same list as the manifest.
	skey := p.prefix + manifest.SumsName
	sums, err := v.read(ctx, skey)
	if err != nil {
		return err
	}
	if sums != nil {
		if err := v.verifySig(ctx, skey, sums); err != nil {
			return err
		}
		subs, perr := manifest.ParseSHA256SUMS(sums)
		switch {
		case perr != nil:
			v.r.fail(KindManifest, skey, perr.Error())
		case !sameSubjects(subs, listed):
			v.r.fail(KindManifest, skey, "lists other files or digests than "+manifest.FileName)
		default:
			v.r.ok(KindManifest, skey, fmt.Sprintf("%d files, same as the manifest", len(subs)))
		}
	}
	v.checkInclusion(p, mkey, env)
	v.packs[p.prefix] = manifest.Digest(env)
	return v.checkManifestStamp(ctx, p, env)
}

func sameSubjects(subs []manifest.Subject, listed map[string]string) bool {
	if len(subs) != len(listed) {
		return false
	}
	for _, s := range subs {
		if listed[s.Name] != s.SHA256 {
			return false
		}
	}
	return true
}

// checkInclusion finds the pack's "pack.archived" entry and proves it is in
// the tree of the latest signed checkpoint.
func (v *verifier) checkInclusion(p *packDir, mkey string, env []byte) {
	if v.state == nil {
		v.r.fail(KindInclusion, mkey, "audit log unreadable; inclusion not checked")
		return
	}
	obj := strings.TrimSuffix(p.prefix, "/")
	digest := manifest.Digest(env)
	found, ok := v.archived[obj+"\x00"+digest]
	if !ok {
		found = -1
	}
	switch {
	case found < 0:
		v.r.fail(KindInclusion, mkey, "no "+auditlog.EventPackArchived+" entry with this manifest's digest in the audit log")
	case uint64(found) >= v.state.Latest.Size:
		v.r.fail(KindInclusion, mkey, fmt.Sprintf("%s is not covered by a signed checkpoint (latest size %d)", auditlog.EntryKey(uint64(found)), v.state.Latest.Size))
	default:
		pf := v.state.InclusionProof(uint64(found), v.state.Latest.Size)
		if err := auditlog.VerifyInclusion(v.state.Latest, uint64(found), v.state.Raw[found], pf); err != nil {
			v.r.fail(KindInclusion, mkey, err.Error())
			return
		}
		v.r.ok(KindInclusion, mkey, fmt.Sprintf("%s proved in checkpoint of size %d", auditlog.EntryKey(uint64(found)), v.state.Latest.Size))
	}
}

// checkLog audits the whole log and its consistency with the kept checkpoint.
func (v *verifier) checkLog(ctx context.Context) error {
	known, vkeys, err := auditlog.TrustedVerifiers(ctx, v.st, v.trusted...)
	if err != nil {
		if errors.Is(err, signing.ErrBadSignature) || !isIOError(err) {
			v.r.fail(KindCheckpoint, auditlog.KeysPrefix, err.Error())
			return nil
		}
		return fmt.Errorf("verifying: %w", err)
	}
	for _, k := range vkeys {
		v.r.ok(KindCheckpoint, auditlog.KeysPrefix, "checkpoint key "+k+" signed by a trusted key")
	}
	state, err := auditlog.Audit(ctx, v.st, known)
	if err != nil {
		switch {
		case errors.Is(err, auditlog.ErrTampered):
			v.r.fail(KindLog, "audit log", err.Error())
		case errors.Is(err, auditlog.ErrCheckpoint):
			v.r.fail(KindCheckpoint, "audit log", err.Error())
		default:
			return fmt.Errorf("verifying: %w", err)
		}
		return nil
	}
	v.state = state
	v.r.LogSize, v.r.CheckpointSize = uint64(len(state.Entries)), state.Latest.Size
	if state.Checkpoints == 0 {
		v.r.fail(KindCheckpoint, auditlog.CheckpointsPrefix, "no signed checkpoint")
	} else {
		v.r.ok(KindLog, "audit log", fmt.Sprintf("%d entries, %d checkpoints all match, latest %s", len(state.Entries), state.Checkpoints, auditlog.CheckpointKey(state.Latest.Size)))
	}
	if err := v.checkIdentity(ctx, vkeys); err != nil {
		return err
	}
	v.checkEntries()
	v.archived = map[string]int{}
	for i, e := range state.Entries {
		v.objects = append(v.objects, auditlog.EntryKey(uint64(i)))
		if e.Event != auditlog.EventPackArchived || !v.signed[i] {
			continue
		}
		k := e.Object + "\x00" + e.Digests[manifest.FileName]
		if _, dup := v.archived[k]; !dup {
			v.archived[k] = i
		}
	}
	if v.o.KeptCheckpoint != nil {
		v.checkKept(known)
	}
	return nil
}

func isIOError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func (v *verifier) checkKept(known note.Verifiers) {
	const obj = "kept checkpoint"
	kept, err := auditlog.ParseCheckpoint(v.o.KeptCheckpoint, known)
	if err != nil {
		v.r.fail(KindCheckpoint, obj, err.Error()+" (not a checkpoint of this archive's log)")
		return
	}
	s := v.state
	switch {
	case s.Origin != "" && kept.Origin != s.Origin:
		v.r.fail(KindCheckpoint, obj, fmt.Sprintf("is for log %q, the archive's log is %q", kept.Origin, s.Origin))
	case kept.Size > uint64(len(s.Entries)):
		v.r.fail(KindLog, obj, fmt.Sprintf("log truncated: kept checkpoint covers %d entries, the archive holds %d (%s is missing)", kept.Size, len(s.Entries), auditlog.EntryKey(uint64(len(s.Entries)))))
	case kept.Size > s.Latest.Size:
		v.r.fail(KindLog, obj, fmt.Sprintf("the archive's latest checkpoint (size %d) is older than the kept one (size %d): %s was removed", s.Latest.Size, kept.Size, auditlog.CheckpointKey(kept.Size)))
	default:
		pf := s.ConsistencyProof(kept.Size, s.Latest.Size)
		if err := auditlog.VerifyConsistency(kept, s.Latest, pf); err != nil {
			v.r.fail(KindLog, obj, fmt.Sprintf("log of size %d is not an extension of the kept checkpoint of size %d: %v", s.Latest.Size, kept.Size, err))
			return
		}
		v.r.ok(KindCheckpoint, obj, fmt.Sprintf("size %d is consistent with the latest checkpoint, size %d", kept.Size, s.Latest.Size))
	}
}

// checkRetention stats every object read and checks its object lock.
func (v *verifier) checkRetention(ctx context.Context) error {
	now := v.o.Now()
	reported := false
	for _, key := range v.objects {
		in, err := v.st.Stat(ctx, key)
		if err != nil {
			return fmt.Errorf("verifying: %w", err)
		}
		switch {
		case in.Mode == "" && in.RetainUntil.IsZero():
			if !reported {
				v.r.ok(KindRetention, v.st.String(), "store reports no retention; not checked")
				reported = true
			}
		case in.Mode != archive.Compliance:
			v.r.fail(KindRetention, key, fmt.Sprintf("retention mode %q, want %s", in.Mode, archive.Compliance))
		case !in.RetainUntil.After(now):
			v.r.fail(KindRetention, key, "retention ended "+in.RetainUntil.UTC().Format(time.RFC3339))
		default:
			v.r.ok(KindRetention, key, "COMPLIANCE until "+in.RetainUntil.UTC().Format(time.RFC3339))
		}
	}
	return nil
}
