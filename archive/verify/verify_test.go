package verify_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/local"
	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/mem"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/archive/verify"
	"github.com/clearpack/clearpack/internal/testenv"
)

// tool: see internal/testenv.
func tool(t *testing.T, name string) string {
	t.Helper()
	return testenv.Tool(t, name)
}

func loadKey(t testing.TB, dir string) (*signing.Signer, string) {
	t.Helper()
	p := filepath.Join(dir, "key.pem")
	if err := signing.Keygen(p, nil); err != nil {
		t.Fatal(err)
	}
	s, err := signing.Load(context.Background(), signing.Options{KeyPath: p})
	if err != nil {
		t.Fatal(err)
	}
	return s, signing.PublicKeyPath(p)
}

// fixture is an archive written the way the pipeline writes it.
type fixture struct {
	root    string // local archive root ("" for other stores)
	st      archive.Store
	key     *signing.Signer
	pubPath string
	log     *auditlog.Log
	put     archive.PutOptions
	kept    []byte // checkpoint after the first pack
	latest  []byte
}

func pdf(shipment, kind string, version int) []byte {
	return fmt.Appendf(nil, "%%PDF-1.7\n%% %s %s v%d\n%%%%EOF\n", shipment, kind, version)
}

func newFixture(t testing.TB, st archive.Store, root string, put archive.PutOptions) *fixture {
	t.Helper()
	return newFixtureWith(t, st, root, put, nil, "test-archive")
}

// newFixtureWith writes the fixture signed by s (a new key when nil) into
// an archive named name.
func newFixtureWith(t testing.TB, st archive.Store, root string, put archive.PutOptions, s *signing.Signer, name string) *fixture {
	t.Helper()
	ctx := context.Background()
	var pub string
	if s == nil {
		s, pub = loadKey(t, t.TempDir())
	}
	if err := archive.PutBytes(ctx, st, "archive-id", []byte(name+"\n"), put); err != nil {
		t.Fatal(err)
	}
	l, err := auditlog.Open(ctx, st, s, auditlog.Options{Name: name, Retain: time.Until(put.RetainUntil), Mode: put.Mode})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{root: root, st: st, key: s, pubPath: pub, log: l, put: put}
	f.writePack(t, s, "SHP-1", 1, 0)
	f.kept = f.checkpoint(t)
	f.writePack(t, s, "SHP-1", 2, 1)
	f.writePack(t, s, "SHP-2", 1, 0)
	for _, ev := range []string{auditlog.EventPackRetrieved, auditlog.EventLegalHoldPlaced} {
		if _, err := l.Append(ctx, auditlog.Entry{Actor: "auditor@example.com", Event: ev, Program: "fleet", Shipment: "SHP-1",
			Object: "programs/fleet/shipments/SHP-1/v0002"}); err != nil {
			t.Fatal(err)
		}
	}
	// A validation failure report, signed like every document.
	report := []byte(`{"shipment":"SHP-1","problems":["plan.yaml:12: destination: unknown country \"XX\""]}`)
	rkey := "programs/fleet/shipments/SHP-1/rejected/" + manifest.Digest([]byte("bad plan")) + "/report.json"
	der, err := s.SignBlob(ctx, report)
	if err != nil {
		t.Fatal(err)
	}
	for key, b := range map[string][]byte{rkey: report, rkey + ".sig": signing.CosignSig(der)} {
		if err := archive.PutBytes(ctx, st, key, b, put); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.Append(ctx, auditlog.Entry{Actor: "scheduler", Event: auditlog.EventValidationRejected, Program: "fleet", Shipment: "SHP-1",
		Object: rkey, Digests: map[string]string{"report.json": manifest.Digest(report)}}); err != nil {
		t.Fatal(err)
	}
	// A finished run report.
	runDigests := map[string]string{}
	for name, b := range map[string][]byte{"report.json": []byte(`{"run_id":"r1","outcome":"done"}`), "report.pdf": pdf("run r1", "report", 1)} {
		der, err := s.SignBlob(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		for key, b := range map[string][]byte{runDir + name: b, runDir + name + ".sig": signing.CosignSig(der)} {
			if err := archive.PutBytes(ctx, st, key, b, put); err != nil {
				t.Fatal(err)
			}
		}
		runDigests[name] = manifest.Digest(b)
	}
	if _, err := l.Append(ctx, auditlog.Entry{Actor: "scheduler", Event: auditlog.EventRunReportArchived,
		Object: strings.TrimSuffix(runDir, "/"), Digests: runDigests}); err != nil {
		t.Fatal(err)
	}
	f.latest = f.checkpoint(t)
	return f
}

// runDir holds the fixture's finished run report.
const runDir = "runs/2026-03-01/r1/"

func (f *fixture) checkpoint(t testing.TB) []byte {
	t.Helper()
	cp, err := f.log.Checkpoint(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

func packPrefix(shipment string, version int) string {
	return fmt.Sprintf("programs/fleet/shipments/%s/v%04d/", shipment, version)
}

// writePack stores one pack signed by s: documents and signatures, SHA256SUMS
// and its signature, the public key, the manifest last, then the log entry.
func (f *fixture) writePack(t testing.TB, s *signing.Signer, shipment string, version, supersedes int) {
	t.Helper()
	ctx := context.Background()
	prefix := packPrefix(shipment, version)
	docs := map[string][]byte{}
	for _, kind := range []string{"commercial-invoice", "packing-list", "condition-declaration"} {
		docs[kind+".pdf"] = pdf(shipment, kind, version)
	}
	put := func(key string, b []byte) {
		t.Helper()
		if err := archive.PutBytes(ctx, f.st, key, b, f.put); err != nil && !errors.Is(err, archive.ErrExists) {
			t.Fatal(err)
		}
	}
	sign := func(key string, b []byte) {
		t.Helper()
		der, err := s.SignBlob(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		put(key+".sig", signing.CosignSig(der))
	}
	for name, b := range docs {
		put(prefix+name, b)
		sign(prefix+name, b)
	}
	sums := manifest.SHA256SUMS(docs)
	put(prefix+manifest.SumsName, sums)
	sign(prefix+manifest.SumsName, sums)
	put("keys/"+s.KeyID()+".pub", s.PublicKeyPEM())
	stmt, err := manifest.Build(manifest.Subjects(docs), manifest.Predicate{
		Program: "fleet", Shipment: shipment, Version: version, Supersedes: supersedes,
		Inputs:       []manifest.Subject{{Name: "inventory.csv", SHA256: manifest.Digest([]byte(shipment))}},
		RulesVersion: "rules-1", TemplateVersion: "templates-1", KeyID: s.KeyID(), Created: "2026-11-20T00:00:00Z",
	})
	if err != nil {
		t.Fatal(err)
	}
	env, err := manifest.Sign(ctx, s, stmt)
	if err != nil {
		t.Fatal(err)
	}
	put(prefix+manifest.FileName, env)
	if _, err := f.log.Append(ctx, auditlog.Entry{Actor: "scheduler", Event: auditlog.EventPackArchived, Program: "fleet",
		Shipment: shipment, Object: strings.TrimSuffix(prefix, "/"),
		Digests: map[string]string{manifest.FileName: manifest.Digest(env)}}); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) path(key string) string { return filepath.Join(f.root, filepath.FromSlash(key)) }

func (f *fixture) read(t *testing.T, key string) []byte {
	t.Helper()
	b, err := os.ReadFile(f.path(key))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// overwrite and remove go behind the archive's back, as an attacker with
// file-system access would.
func (f *fixture) overwrite(t *testing.T, key string, b []byte) {
	t.Helper()
	os.Chmod(f.path(key), 0o644)
	if err := os.WriteFile(f.path(key), b, 0o444); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) remove(t *testing.T, keys ...string) {
	t.Helper()
	for _, key := range keys {
		if err := os.Remove(f.path(key)); err != nil {
			t.Fatal(err)
		}
	}
}

// rejectedKey is the fixture's rejection report.
var rejectedKey = "programs/fleet/shipments/SHP-1/rejected/" + manifest.Digest([]byte("bad plan")) + "/report.json"

func (f *fixture) removeAll(t *testing.T, prefix string) {
	t.Helper()
	if err := os.RemoveAll(f.path(prefix)); err != nil {
		t.Fatal(err)
	}
}

// copyFrom copies the object or directory from of another local fixture to
// key in f, behind the archive's back.
func (f *fixture) copyFrom(t *testing.T, other *fixture, from, to string) {
	t.Helper()
	src := other.path(from)
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		dst := filepath.Join(f.path(to), rel)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		os.MkdirAll(filepath.Dir(dst), 0o755)
		return os.WriteFile(dst, b, 0o444)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// newFixtureNamed is a local fixture signed by key whose log is named name.
func newFixtureNamed(t *testing.T, key *signing.Signer, name string) *fixture {
	t.Helper()
	root := filepath.Join(t.TempDir(), "archive")
	st, err := local.New(root)
	if err != nil {
		t.Fatal(err)
	}
	return newFixtureWith(t, st, root, archive.PutOptions{}, key, name)
}

func newLocalFixture(t *testing.T) *fixture {
	t.Helper()
	root := filepath.Join(t.TempDir(), "archive")
	st, err := local.New(root)
	if err != nil {
		t.Fatal(err)
	}
	return newFixture(t, st, root, archive.PutOptions{})
}

func TestCleanArchiveVerifies(t *testing.T) {
	ctx := context.Background()
	f := newLocalFixture(t)
	for _, tc := range []struct {
		name  string
		o     verify.Options
		packs int
		runs  string // run reports in the summary: only when the whole archive is verified
	}{
		{"everything", verify.Options{KeptCheckpoint: f.kept}, 3, "1 run reports, "},
		{"one shipment", verify.Options{Program: "fleet", Shipment: "SHP-1"}, 2, ""},
		{"one pack", verify.Options{Program: "fleet", Shipment: "SHP-1", Version: 2, KeptCheckpoint: f.latest}, 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := verify.Verify(ctx, f.st, f.key.PublicKey(), tc.o)
			if err != nil {
				var buf bytes.Buffer
				r.WriteText(&buf)
				t.Fatalf("%v\n%s", err, buf.String())
			}
			if r.Packs != tc.packs || r.LogSize != 7 || r.CheckpointSize != 7 {
				t.Fatalf("report: %d packs, log %d, checkpoint %d", r.Packs, r.LogSize, r.CheckpointSize)
			}
			var buf bytes.Buffer
			r.WriteText(&buf)
			out := buf.String()
			for _, want := range []string{
				"ok   digest     programs/fleet/shipments/SHP-1/v0002/packing-list.pdf: sha256 " + manifest.Digest(pdf("SHP-1", "packing-list", 2)),
				"ok   signature  programs/fleet/shipments/SHP-1/v0002/SHA256SUMS.sig: signed by " + f.key.KeyID(),
				"ok   inclusion  programs/fleet/shipments/SHP-1/v0002/manifest.intoto.json: " + auditlog.EntryKey(1) + " proved in checkpoint of size 7",
				fmt.Sprintf("%d packs, %s7 log entries (latest checkpoint 7)", tc.packs, tc.runs),
				"0 failed",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("report lacks %q:\n%s", want, out)
				}
			}
		})
	}
	t.Run("unknown shipment", func(t *testing.T) {
		_, err := verify.Verify(ctx, f.st, f.key.PublicKey(), verify.Options{Program: "fleet", Shipment: "SHP-9"})
		if !errors.Is(err, verify.ErrFailed) || !strings.Contains(err.Error(), "programs/fleet/shipments/SHP-9: no pack found") {
			t.Fatalf("got %v", err)
		}
	})
}

// Each tampering must make Verify fail with the right kind, naming the object.
func TestTampering(t *testing.T) {
	ctx := context.Background()
	inv := packPrefix("SHP-1", 2) + "commercial-invoice.pdf"
	pl := packPrefix("SHP-1", 2) + "packing-list.pdf"
	for _, tc := range []struct {
		name   string
		tamper func(t *testing.T, f *fixture, o *verify.Options)
		kind   verify.Kind
		object string
		detail string
	}{
		{"flip one byte of a PDF", func(t *testing.T, f *fixture, o *verify.Options) {
			b := f.read(t, inv)
			b[10] ^= 0x01
			f.overwrite(t, inv, b)
		}, verify.KindDigest, inv, "manifest says"},
		{"replace a PDF by a signed PDF of another shipment", func(t *testing.T, f *fixture, o *verify.Options) {
			other := packPrefix("SHP-2", 1) + "commercial-invoice.pdf"
			f.overwrite(t, inv, f.read(t, other))
			f.overwrite(t, inv+".sig", f.read(t, other+".sig"))
		}, verify.KindDigest, inv, "manifest says"},
		{"delete a document", func(t *testing.T, f *fixture, o *verify.Options) {
			f.remove(t, pl, pl+".sig")
		}, verify.KindMissing, pl, "object is missing"},
		{"delete the manifest", func(t *testing.T, f *fixture, o *verify.Options) {
			f.remove(t, packPrefix("SHP-1", 2)+manifest.FileName)
		}, verify.KindIncomplete, packPrefix("SHP-1", 2), "incomplete pack"},
		{"delete a log entry", func(t *testing.T, f *fixture, o *verify.Options) {
			f.remove(t, auditlog.EntryKey(2))
		}, verify.KindLog, "audit log", auditlog.EntryKey(2) + " is missing"},
		{"reorder log entries", func(t *testing.T, f *fixture, o *verify.Options) {
			a, b := f.read(t, auditlog.EntryKey(1)), f.read(t, auditlog.EntryKey(3))
			f.overwrite(t, auditlog.EntryKey(1), b)
			f.overwrite(t, auditlog.EntryKey(3), a)
		}, verify.KindLog, "audit log", auditlog.EntryKey(1) + " holds entry index 3"},
		{"reorder log entries and renumber them", func(t *testing.T, f *fixture, o *verify.Options) {
			a, b := f.read(t, auditlog.EntryKey(1)), f.read(t, auditlog.EntryKey(3))
			f.overwrite(t, auditlog.EntryKey(1), bytes.Replace(b, []byte(`"index":3`), []byte(`"index":1`), 1))
			f.overwrite(t, auditlog.EntryKey(3), bytes.Replace(a, []byte(`"index":1`), []byte(`"index":3`), 1))
		}, verify.KindLog, "audit log", auditlog.CheckpointKey(7) + " does not match the stored entries"},
		{"swap a signature", func(t *testing.T, f *fixture, o *verify.Options) {
			f.overwrite(t, inv+".sig", f.read(t, pl+".sig"))
		}, verify.KindSignature, inv + ".sig", "does not verify with a trusted key"},
		{"checkpoint from a different log", func(t *testing.T, f *fixture, o *verify.Options) {
			other := newLocalFixture(t)
			o.KeptCheckpoint = other.latest
		}, verify.KindCheckpoint, "kept checkpoint", "not a checkpoint of this archive's log"},
		{"pack re-signed with an untrusted key", func(t *testing.T, f *fixture, o *verify.Options) {
			// The attacker rewrites SHP-2 v0001 completely, signed by their key.
			mallory, _ := loadKey(t, t.TempDir())
			prefix := packPrefix("SHP-2", 1)
			for _, name := range []string{"commercial-invoice.pdf", "packing-list.pdf", "condition-declaration.pdf", "SHA256SUMS", manifest.FileName} {
				f.remove(t, prefix+name)
				if name != manifest.FileName {
					f.remove(t, prefix+name+".sig")
				}
			}
			f.writePack(t, mallory, "SHP-2", 1, 0)
		}, verify.KindSignature, packPrefix("SHP-2", 1) + manifest.FileName, "does not verify with a trusted key"},
		{"truncate the log", func(t *testing.T, f *fixture, o *verify.Options) {
			f.remove(t, auditlog.EntryKey(6), auditlog.EntryKey(5), auditlog.EntryKey(4), auditlog.EntryKey(3))
		}, verify.KindLog, "audit log", "log truncated: " + auditlog.CheckpointKey(7) + " covers 7 entries but only 3 exist"},
		{"truncate the log and its checkpoints", func(t *testing.T, f *fixture, o *verify.Options) {
			f.remove(t, auditlog.EntryKey(6), auditlog.EntryKey(5), auditlog.EntryKey(4), auditlog.EntryKey(3), auditlog.CheckpointKey(7))
			o.KeptCheckpoint = f.latest
		}, verify.KindLog, "kept checkpoint", "log truncated: kept checkpoint covers 7 entries, the archive holds 3"},
		{"forged log entry not covered by a checkpoint", func(t *testing.T, f *fixture, o *verify.Options) {
			// A pack added behind the pipeline's back, with its own log entry
			// but no checkpoint (the attacker lacks the checkpoint key... and
			// here also the document key, so the pack fails first: use the
			// trusted key to isolate the log check).
			f.writePack(t, f.key, "SHP-3", 1, 0)
		}, verify.KindInclusion, packPrefix("SHP-3", 1) + manifest.FileName, "not covered by a signed checkpoint"},
		{"run report altered", func(t *testing.T, f *fixture, o *verify.Options) {
			b := f.read(t, runDir+"report.json")
			f.overwrite(t, runDir+"report.json", bytes.Replace(b, []byte("done"), []byte("fine"), 1))
		}, verify.KindSignature, runDir + "report.json.sig", "does not verify"},
		{"run report's PDF deleted", func(t *testing.T, f *fixture, o *verify.Options) {
			f.remove(t, runDir+"report.pdf")
		}, verify.KindMissing, runDir + "report.pdf", "object is missing"},
		{"rejected report altered", func(t *testing.T, f *fixture, o *verify.Options) {
			key := "programs/fleet/shipments/SHP-1/rejected/" + manifest.Digest([]byte("bad plan")) + "/report.json"
			f.overwrite(t, key, bytes.Replace(f.read(t, key), []byte("XX"), []byte("VN"), 1))
		}, verify.KindSignature, "programs/fleet/shipments/SHP-1/rejected/" + manifest.Digest([]byte("bad plan")) + "/report.json.sig", "does not verify"},
		// Issue 13: deletions, forgeries, planted files, identity.
		{"delete the newest pack version", func(t *testing.T, f *fixture, o *verify.Options) {
			f.removeAll(t, packPrefix("SHP-1", 2))
		}, verify.KindMissing, packPrefix("SHP-1", 2), "recorded in " + auditlog.EntryKey(1) + " as archived, but the pack is not in the archive"},
		{"delete a whole shipment", func(t *testing.T, f *fixture, o *verify.Options) {
			f.removeAll(t, "programs/fleet/shipments/SHP-2/")
		}, verify.KindMissing, packPrefix("SHP-2", 1), "as archived, but the pack is not in the archive"},
		{"delete a rejection report", func(t *testing.T, f *fixture, o *verify.Options) {
			f.removeAll(t, "programs/fleet/shipments/SHP-1/rejected/")
		}, verify.KindMissing, rejectedKey, "recorded in " + auditlog.EntryKey(5) + ", but not in the archive"},
		{"delete a run report", func(t *testing.T, f *fixture, o *verify.Options) {
			f.removeAll(t, runDir)
		}, verify.KindMissing, runDir + "report.json", "recorded in " + auditlog.EntryKey(6) + ", but not in the archive"},
		{"unsigned entry appended", func(t *testing.T, f *fixture, o *verify.Options) {
			os.WriteFile(f.path(auditlog.EntryKey(7)), []byte(`{"index":7,"time":"2026-11-20T12:00:00Z","actor":"alice","event":"pack.retrieved","object":"programs/fleet/shipments/SHP-1/v0002/commercial-invoice.pdf"}`+"\n"), 0o444)
		}, verify.KindEntry, auditlog.EntryKey(7), "unsigned"},
		{"entry edited after signing", func(t *testing.T, f *fixture, o *verify.Options) {
			// Entry 3 is covered by a checkpoint: the log check names it first.
			b := f.read(t, auditlog.EntryKey(6))
			f.overwrite(t, auditlog.EntryKey(6), bytes.Replace(b, []byte("scheduler"), []byte("mallory00"), 1))
			o.KeptCheckpoint = f.kept
		}, verify.KindLog, "audit log", "does not match the stored entries"},
		{"pack copied in from another archive signed by the same key", func(t *testing.T, f *fixture, o *verify.Options) {
			other := newFixtureNamed(t, f.key, "other-archive")
			f.copyFrom(t, other, packPrefix("SHP-2", 1), packPrefix("SHP-2", 1))
			f.removeAll(t, packPrefix("SHP-2", 1))
			f.copyFrom(t, other, packPrefix("SHP-2", 1), packPrefix("SHP-2", 1))
		}, verify.KindInclusion, packPrefix("SHP-2", 1) + manifest.FileName, "no pack.archived entry with this manifest's digest"},
		{"pack and its entry copied in from another archive signed by the same key", func(t *testing.T, f *fixture, o *verify.Options) {
			other := newFixtureNamed(t, f.key, "other-archive")
			other.writePack(t, f.key, "SHP-3", 1, 0) // entry 7 there
			f.copyFrom(t, other, packPrefix("SHP-3", 1), packPrefix("SHP-3", 1))
			f.copyFrom(t, other, auditlog.EntryKey(7), auditlog.EntryKey(7))
		}, verify.KindEntry, auditlog.EntryKey(7), "does not verify with key"},
		{"symlink to a secret planted in a pack", func(t *testing.T, f *fixture, o *verify.Options) {
			secret := filepath.Join(t.TempDir(), "signing-key.pem")
			os.WriteFile(secret, []byte("PRIVATE"), 0o600)
			if err := os.Symlink(secret, f.path(packPrefix("SHP-1", 2)+"leak.txt")); err != nil {
				t.Fatal(err)
			}
		}, verify.KindManifest, packPrefix("SHP-1", 2) + "leak.txt", "not listed in manifest.intoto.json"},
		{"version folder that is a symlink", func(t *testing.T, f *fixture, o *verify.Options) {
			if err := os.Symlink(t.TempDir(), f.path("programs/fleet/shipments/SHP-1/v0003")); err != nil {
				t.Fatal(err)
			}
		}, verify.KindStray, "programs/fleet/shipments/SHP-1/v0003", "accounts for this object"},
		{"FIFO planted in the archive", func(t *testing.T, f *fixture, o *verify.Options) {
			if err := syscall.Mkfifo(f.path("programs/fleet/shipments/SHP-2/notes.pdf"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, verify.KindStray, "programs/fleet/shipments/SHP-2/notes.pdf", "accounts for this object"},
		{"archive-id edited", func(t *testing.T, f *fixture, o *verify.Options) {
			f.overwrite(t, "archive-id", []byte("forked-archive\n"))
		}, verify.KindIdentity, "archive-id", "archive-id was changed"},
		{"archive-id deleted", func(t *testing.T, f *fixture, o *verify.Options) {
			f.remove(t, "archive-id")
		}, verify.KindIdentity, "archive-id", "missing"},
		{"stray version folder", func(t *testing.T, f *fixture, o *verify.Options) {
			os.MkdirAll(f.path("programs/fleet/shipments/SHP-1/v0002x"), 0o755)
			os.WriteFile(f.path("programs/fleet/shipments/SHP-1/v0002x/commercial-invoice.pdf"), f.read(t, inv), 0o444)
		}, verify.KindStray, "programs/fleet/shipments/SHP-1/v0002x/commercial-invoice.pdf", "accounts for this object"},
		{"lone run report PDF", func(t *testing.T, f *fixture, o *verify.Options) {
			os.MkdirAll(f.path("runs/2026-03-01/r2"), 0o755)
			os.WriteFile(f.path("runs/2026-03-01/r2/report.pdf"), pdf("run r2", "report", 1), 0o444)
			o.Now = func() time.Time { return time.Now().Add(time.Hour) }
		}, verify.KindStray, "runs/2026-03-01/r2/", "run report never finished"},
		{"signed run report no entry records", func(t *testing.T, f *fixture, o *verify.Options) {
			f.copyFrom(t, f, runDir+"report.json", "runs/2026-03-02/r9/report.json")
			f.copyFrom(t, f, runDir+"report.json.sig", "runs/2026-03-02/r9/report.json.sig")
			f.copyFrom(t, f, runDir+"report.pdf", "runs/2026-03-02/r9/report.pdf")
			f.copyFrom(t, f, runDir+"report.pdf.sig", "runs/2026-03-02/r9/report.pdf.sig")
		}, verify.KindInclusion, "runs/2026-03-02/r9/report.json", "no audit-log entry records this report"},
		{"file planted among the operational records", func(t *testing.T, f *fixture, o *verify.Options) {
			os.MkdirAll(f.path("scheduler/claims"), 0o755)
			os.WriteFile(f.path("scheduler/claims/stash.pdf"), []byte("%PDF"), 0o444)
		}, verify.KindStray, "scheduler/claims/stash.pdf", "accounts for this object"},
		{"file at the archive's root", func(t *testing.T, f *fixture, o *verify.Options) {
			os.WriteFile(f.path("notes.txt"), []byte("x"), 0o444)
		}, verify.KindStray, "notes.txt", "accounts for this object"},
		{"incomplete version no entry accounts for", func(t *testing.T, f *fixture, o *verify.Options) {
			os.MkdirAll(f.path(packPrefix("SHP-2", 2)), 0o755)
			os.WriteFile(f.path(packPrefix("SHP-2", 2)+"commercial-invoice.pdf"), f.read(t, inv), 0o444)
			o.Now = func() time.Time { return time.Now().Add(time.Hour) }
		}, verify.KindIncomplete, packPrefix("SHP-2", 2), "no audit-log entry records it as abandoned"},
		{"extra document not in the manifest", func(t *testing.T, f *fixture, o *verify.Options) {
			os.WriteFile(f.path(packPrefix("SHP-1", 2)+"extra.pdf"), []byte("%PDF"), 0o444)
		}, verify.KindManifest, packPrefix("SHP-1", 2) + "extra.pdf", "not listed in manifest.intoto.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newLocalFixture(t)
			o := verify.Options{KeptCheckpoint: f.kept}
			if r, err := verify.Verify(ctx, f.st, f.key.PublicKey(), o); err != nil {
				var buf bytes.Buffer
				r.WriteText(&buf)
				t.Fatalf("before tampering: %v\n%s", err, buf.String())
			}
			tc.tamper(t, f, &o)
			r, err := verify.Verify(ctx, f.st, f.key.PublicKey(), o)
			if !errors.Is(err, verify.ErrFailed) {
				t.Fatalf("Verify after tampering: %v", err)
			}
			first := r.FirstFailure()
			if first.Kind != tc.kind || first.Object != tc.object || !strings.Contains(first.Detail, tc.detail) {
				var buf bytes.Buffer
				r.WriteText(&buf)
				t.Fatalf("first failure %q\nwant kind %s, object %s, detail containing %q\n%s", first, tc.kind, tc.object, tc.detail, buf.String())
			}
			if !strings.Contains(err.Error(), tc.object) {
				t.Fatalf("error does not name %s: %v", tc.object, err)
			}
		})
	}
}

func TestRetention(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	until := now.Add(5 * 365 * 24 * time.Hour)
	st := mem.New()
	f := newFixture(t, st, "", archive.PutOptions{RetainUntil: until, Mode: archive.Compliance})
	r, err := verify.Verify(ctx, st, f.key.PublicKey(), verify.Options{})
	if err != nil {
		var buf bytes.Buffer
		r.WriteText(&buf)
		t.Fatalf("%v\n%s", err, buf.String())
	}
	var buf bytes.Buffer
	r.WriteText(&buf)
	want := "ok   retention  " + packPrefix("SHP-1", 1) + "commercial-invoice.pdf: COMPLIANCE until " + until.UTC().Format(time.RFC3339)
	if !strings.Contains(buf.String(), want) {
		t.Fatalf("report lacks %q:\n%s", want, buf.String())
	}
	for _, tc := range []struct {
		name   string
		put    archive.PutOptions
		now    time.Time
		detail string
	}{
		{"governance mode", archive.PutOptions{RetainUntil: until, Mode: archive.Governance}, now, `retention mode "GOVERNANCE"`},
		{"retention over", archive.PutOptions{RetainUntil: until, Mode: archive.Compliance}, until.Add(time.Hour), "retention ended"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := mem.New()
			f := newFixture(t, st, "", tc.put)
			r, err := verify.Verify(ctx, st, f.key.PublicKey(), verify.Options{Now: func() time.Time { return tc.now }})
			if !errors.Is(err, verify.ErrFailed) {
				t.Fatalf("Verify: %v", err)
			}
			first := r.FirstFailure()
			if first.Kind != verify.KindRetention || !strings.Contains(first.Detail, tc.detail) {
				t.Fatalf("first failure %s, want retention: %s", first, tc.detail)
			}
		})
	}
}

// TestAuditorCommands runs the shell blocks of AUDITOR.md, exactly as
// written, against a pack, and checks they fail after tampering.
func TestAuditorCommands(t *testing.T) {
	for _, name := range []string{"bash", "sha256sum", "base64", "openssl"} {
		tool(t, name)
	}
	cosign := tool(t, "../../bin/cosign")
	doc, err := os.ReadFile("AUDITOR.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) != 6 {
		t.Fatalf("AUDITOR.md has %d sh blocks, want 6 (the third runs in TestAuditorPAdESCommands, the fourth and fifth in cmd/clearpack)", len(blocks))
	}
	// The pack, the checkpoint, and (as block index 2 here) the entries.
	blocks = append(blocks[:2:2], blocks[5])
	runBlock := func(t *testing.T, f *fixture, block string) (string, error) {
		cmd := exec.Command("bash", "-c", block)
		cmd.Env = append(os.Environ(),
			"PATH="+filepath.Dir(cosign)+string(os.PathListSeparator)+os.Getenv("PATH"),
			"PUB="+f.pubPath, "ARCHIVE="+f.root, "PACK="+f.path(packPrefix("SHP-1", 2)), "WORK="+t.TempDir())
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	f := newLocalFixture(t)
	for i, b := range blocks {
		out, err := runBlock(t, f, b[1])
		if err != nil {
			t.Fatalf("block %d fails on a good archive: %v\n%s", i+1, err, out)
		}
		if i == 0 && (strings.Count(out, ": OK") != 3 || strings.Count(out, "Verified OK") != 4+4+3) {
			t.Fatalf("block 1 output:\n%s", out)
		}
		if i == 1 && (!strings.Contains(out, "Signature Verified Successfully") || !strings.Contains(out, "clearpack/test-archive\n7\n")) {
			t.Fatalf("block 2 output:\n%s", out)
		}
		if i == 2 && strings.Count(out, "Verified OK") != 7 {
			t.Fatalf("block 3 output (want every one of the 7 entries verified):\n%s", out)
		}
	}
	for _, tc := range []struct {
		name   string
		block  int
		tamper func(t *testing.T, f *fixture)
	}{
		{"flipped byte", 0, func(t *testing.T, f *fixture) {
			key := packPrefix("SHP-1", 2) + "packing-list.pdf"
			b := f.read(t, key)
			b[12] ^= 1
			f.overwrite(t, key, b)
		}},
		{"deleted document", 0, func(t *testing.T, f *fixture) {
			f.remove(t, packPrefix("SHP-1", 2)+"packing-list.pdf")
		}},
		{"document and checksums replaced, signatures kept", 0, func(t *testing.T, f *fixture) {
			p := packPrefix("SHP-1", 2)
			f.overwrite(t, p+"packing-list.pdf", []byte("%PDF forged"))
			f.overwrite(t, p+"SHA256SUMS", bytes.Replace(f.read(t, p+"SHA256SUMS"),
				[]byte(manifest.Digest(pdf("SHP-1", "packing-list", 2))), []byte(manifest.Digest([]byte("%PDF forged"))), 1))
		}},
		{"swapped signature", 0, func(t *testing.T, f *fixture) {
			p := packPrefix("SHP-1", 2)
			f.overwrite(t, p+"packing-list.pdf.sig", f.read(t, p+"commercial-invoice.pdf.sig"))
		}},
		{"altered checkpoint", 1, func(t *testing.T, f *fixture) {
			key := auditlog.CheckpointKey(7)
			f.overwrite(t, key, bytes.Replace(f.read(t, key), []byte("\n7\n"), []byte("\n6\n"), 1))
		}},
		{"edited entry", 2, func(t *testing.T, f *fixture) {
			key := auditlog.EntryKey(3)
			f.overwrite(t, key, bytes.Replace(f.read(t, key), []byte("auditor@example.com"), []byte("someone@example.com"), 1))
		}},
		{"unsigned entry added", 2, func(t *testing.T, f *fixture) {
			os.WriteFile(f.path(auditlog.EntryKey(7)), []byte(`{"index":7,"time":"2026-11-20T12:00:00Z","actor":"alice","event":"pack.retrieved"}`+"\n"), 0o444)
		}},
		{"entry from another archive", 2, func(t *testing.T, f *fixture) {
			other := newFixtureNamed(t, f.key, "other-archive")
			f.overwrite(t, auditlog.EntryKey(3), other.read(t, auditlog.EntryKey(3)))
		}},
		{"checkpoint key not vouched for", 1, func(t *testing.T, f *fixture) {
			other := newLocalFixture(t)
			matches, _ := filepath.Glob(filepath.Join(f.root, "audit/keys/*.vkey"))
			om, _ := filepath.Glob(filepath.Join(other.root, "audit/keys/*.vkey"))
			b, _ := os.ReadFile(om[0])
			os.Chmod(matches[0], 0o644)
			os.WriteFile(matches[0], b, 0o444)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newLocalFixture(t)
			tc.tamper(t, f)
			if out, err := runBlock(t, f, blocks[tc.block][1]); err == nil {
				t.Fatalf("block %d passes after tampering:\n%s", tc.block+1, out)
			}
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	ctx := context.Background()
	for _, packs := range []int{3, 60} {
		b.Run(fmt.Sprintf("packs=%d", packs), func(b *testing.B) {
			root := filepath.Join(b.TempDir(), "archive")
			st, _ := local.New(root)
			f := newFixture(b, st, root, archive.PutOptions{})
			for i := 3; i < packs; i++ {
				f.writePack(b, f.key, fmt.Sprintf("SHP-%d", i), 1, 0)
			}
			f.checkpoint(b)
			for b.Loop() {
				if _, err := verify.Verify(ctx, st, f.key.PublicKey(), verify.Options{KeptCheckpoint: f.kept}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
