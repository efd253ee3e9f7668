package auditlog_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/local"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"
)

func newKey(t testing.TB, dir string) (*signing.Signer, string) {
	t.Helper()
	p := filepath.Join(dir, "key.pem")
	if _, err := os.Stat(p); err != nil {
		if err := signing.Keygen(p, nil); err != nil {
			t.Fatal(err)
		}
	}
	s, err := signing.Load(context.Background(), signing.Options{KeyPath: p})
	if err != nil {
		t.Fatal(err)
	}
	return s, p
}

func openLog(t testing.TB, st archive.Store, s *signing.Signer, name string) *auditlog.Log {
	t.Helper()
	l, err := auditlog.Open(context.Background(), st, s, auditlog.Options{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func entry(actor string, n int) auditlog.Entry {
	return auditlog.Entry{
		Time: time.Date(2026, 11, 20, 12, 0, n, 0, time.UTC), Actor: actor, Event: auditlog.EventPackArchived,
		Program: "p", Shipment: "S" + strconv.Itoa(n), Object: "programs/p/shipments/S" + strconv.Itoa(n) + "/v0001",
		Digests: map[string]string{"manifest.intoto.json": fmt.Sprintf("%064x", n)},
	}
}

// The proofs we generate verify with transparency-dev/merkle's verifiers,
// and our roots equal those of its compact ranges, for every small tree.
func TestProofsAgainstLibrary(t *testing.T) {
	ctx := context.Background()
	st, _ := local.New(t.TempDir())
	s, _ := newKey(t, t.TempDir())
	l := openLog(t, st, s, "proofs")
	var raw [][]byte
	rf := compact.RangeFactory{Hash: rfc6962.DefaultHasher.HashChildren}
	cr := rf.NewEmptyRange(0)
	roots := [][]byte{rfc6962.DefaultHasher.EmptyRoot()}
	const n = 33
	for i := range n {
		if _, err := l.Append(ctx, entry("t", i)); err != nil {
			t.Fatal(err)
		}
		b, _ := archive.ReadAll(ctx, st, auditlog.EntryKey(uint64(i)))
		raw = append(raw, b)
		cr.Append(auditlog.LeafHash(b), nil)
		r, _ := cr.GetRootHash(nil)
		roots = append(roots, r)
	}
	for size := uint64(1); size <= n; size++ {
		for i := uint64(0); i < size; i++ {
			p, err := l.InclusionProof(ctx, i, size)
			if err != nil {
				t.Fatal(err)
			}
			if err := proof.VerifyInclusion(rfc6962.DefaultHasher, i, size, auditlog.LeafHash(raw[i]), p, roots[size]); err != nil {
				t.Fatalf("inclusion %d in %d: %v", i, size, err)
			}
		}
		for old := uint64(0); old <= size; old++ {
			p, err := l.ConsistencyProof(ctx, old, size)
			if err != nil {
				t.Fatal(err)
			}
			if err := proof.VerifyConsistency(rfc6962.DefaultHasher, old, size, p, roots[old], roots[size]); err != nil {
				t.Fatalf("consistency %d -> %d: %v", old, size, err)
			}
		}
	}
	if _, err := l.InclusionProof(ctx, 5, n+1); err == nil {
		t.Fatal("inclusion proof beyond the log succeeded")
	}
}

func TestCheckpoints(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, _ := local.New(filepath.Join(dir, "archive"))
	s, _ := newKey(t, dir)
	l := openLog(t, st, s, "acme-prod")
	for i := range 5 {
		l.Append(ctx, entry("batch", i))
	}
	cp5, err := l.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(cp5), "clearpack/acme-prod\n5\n") || !strings.Contains(string(cp5), "\n\n— clearpack/acme-prod ") {
		t.Fatalf("checkpoint note:\n%s", cp5)
	}
	// Checkpointing again at the same size returns the stored note.
	again, err := l.Checkpoint(ctx)
	if err != nil || !bytes.Equal(again, cp5) {
		t.Fatalf("second checkpoint at size 5: %v", err)
	}
	for i := 5; i < 12; i++ {
		l.Append(ctx, entry("batch", i))
	}
	cp12, err := l.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// An auditor holding only the document public key.
	known, vkeys, err := auditlog.TrustedVerifiers(ctx, st, s.PublicKey())
	if err != nil || len(vkeys) != 1 || vkeys[0] != l.VerifierKey() {
		t.Fatalf("TrustedVerifiers: %v %v", vkeys, err)
	}
	old, err := auditlog.ParseCheckpoint(cp5, known)
	if err != nil {
		t.Fatal(err)
	}
	cur, err := auditlog.ParseCheckpoint(cp12, known)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := l.ConsistencyProof(ctx, 5, 12)
	if err := auditlog.VerifyConsistency(old, cur, p); err != nil {
		t.Fatal(err)
	}
	e7, _ := archive.ReadAll(ctx, st, auditlog.EntryKey(7))
	ip, _ := l.InclusionProof(ctx, 7, 12)
	if err := auditlog.VerifyInclusion(cur, 7, e7, ip); err != nil {
		t.Fatal(err)
	}
	if err := auditlog.VerifyInclusion(cur, 6, e7, ip); err == nil {
		t.Fatal("entry 7 proved at index 6")
	}
	state, err := auditlog.Audit(ctx, st, known)
	if err != nil {
		t.Fatal(err)
	}
	if len(state.Entries) != 12 || state.Latest.Size != 12 || state.Checkpoints != 2 || state.Origin != "clearpack/acme-prod" {
		t.Fatalf("audit state: %d entries, latest %d, %d checkpoints", len(state.Entries), state.Latest.Size, state.Checkpoints)
	}

	t.Run("untrusted document key", func(t *testing.T) {
		other, _ := newKey(t, t.TempDir())
		if _, _, err := auditlog.TrustedVerifiers(ctx, st, other.PublicKey()); !errors.Is(err, signing.ErrBadSignature) {
			t.Fatalf("verifier keys accepted under an untrusted key: %v", err)
		}
	})
	t.Run("checkpoint from a different log", func(t *testing.T) {
		st2, _ := local.New(t.TempDir())
		for _, name := range []string{"acme-prod", "other-archive"} {
			// Same origin name with another key, and another origin.
			other, _ := newKey(t, t.TempDir())
			l2 := openLog(t, st2, other, name)
			l2.Append(ctx, entry("x", 1))
			foreign, err := l2.Checkpoint(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := auditlog.ParseCheckpoint(foreign, known); !errors.Is(err, auditlog.ErrCheckpoint) {
				t.Fatalf("foreign checkpoint %q accepted: %v", name, err)
			}
			st2, _ = local.New(t.TempDir())
		}
	})
	t.Run("fork refused", func(t *testing.T) {
		// A second log in another store with other entries cannot reuse a size
		// whose checkpoint exists in this store.
		dir2 := t.TempDir()
		st2, _ := local.New(dir2)
		l2 := openLog(t, st2, s, "acme-prod")
		l2.Append(ctx, entry("x", 99))
		cp, _ := l2.Checkpoint(ctx)
		// Copy its checkpoint into a store whose entry 0 differs (after
		// the log there was opened: Open would refuse it at once).
		st3, _ := local.New(t.TempDir())
		l3 := openLog(t, st3, s, "acme-prod")
		l3.Append(ctx, entry("x", 100))
		archive.PutBytes(ctx, st3, auditlog.CheckpointKey(1), cp, archive.PutOptions{})
		if _, err := l3.Checkpoint(ctx); !errors.Is(err, auditlog.ErrFork) {
			t.Fatalf("checkpoint over a different history: %v", err)
		}
	})
}

func TestOpenRejectsBadName(t *testing.T) {
	st, _ := local.New(t.TempDir())
	for _, name := range []string{"", "has space", "a+b"} {
		if _, err := auditlog.Open(context.Background(), st, nil, auditlog.Options{Name: name}); err == nil {
			t.Errorf("Open accepted name %q", name)
		}
	}
}

// checkEveryEntryOnce audits the log and checks that each (actor, shipment)
// pair in want appears exactly once.
func checkEveryEntryOnce(t *testing.T, st archive.Store, want map[string]bool) {
	t.Helper()
	state, err := auditlog.Audit(context.Background(), st, note.VerifierList())
	if err != nil {
		t.Fatal(err)
	}
	if len(state.Entries) != len(want) {
		t.Fatalf("log has %d entries, want %d", len(state.Entries), len(want))
	}
	seen := map[string]bool{}
	for _, e := range state.Entries {
		k := e.Actor + "/" + e.Shipment
		if !want[k] || seen[k] {
			t.Fatalf("entry %d %s unexpected or repeated", e.Index, k)
		}
		seen[k] = true
	}
}

func TestConcurrentAppendsGoroutines(t *testing.T) {
	ctx := context.Background()
	st, _ := local.New(t.TempDir())
	const writers, each = 4, 25
	want := map[string]bool{}
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	s, _ := newKey(t, t.TempDir())
	for w := range writers {
		// Each writer is a separate Log, as two pipeline instances would be.
		l := openLog(t, st, s, "race")
		actor := fmt.Sprintf("instance-%d", w)
		for i := range each {
			want[fmt.Sprintf("%s/S%d", actor, i)] = true
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if _, err := l.Append(ctx, entry(actor, i)); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	checkEveryEntryOnce(t, st, want)
}

// TestHelperAppendProcess is run as a child process by
// TestConcurrentAppendsProcesses.
func TestHelperAppendProcess(t *testing.T) {
	dir, actor := os.Getenv("AUDITLOG_HELPER_DIR"), os.Getenv("AUDITLOG_HELPER_ACTOR")
	if dir == "" {
		t.Skip("helper process only")
	}
	n, _ := strconv.Atoi(os.Getenv("AUDITLOG_HELPER_N"))
	st, err := local.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := newKey(t, os.Getenv("AUDITLOG_HELPER_KEYDIR"))
	l := openLog(t, st, s, "race")
	for i := range n {
		if _, err := l.Append(context.Background(), entry(actor, i)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestConcurrentAppendsProcesses(t *testing.T) {
	dir, keyDir := t.TempDir(), t.TempDir()
	newKey(t, keyDir)
	const procs, each = 2, 40
	want := map[string]bool{}
	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for p := range procs {
		actor := fmt.Sprintf("process-%d", p)
		for i := range each {
			want[fmt.Sprintf("%s/S%d", actor, i)] = true
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperAppendProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), "AUDITLOG_HELPER_DIR="+dir, "AUDITLOG_HELPER_KEYDIR="+keyDir, "AUDITLOG_HELPER_ACTOR="+actor, "AUDITLOG_HELPER_N="+strconv.Itoa(each))
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, &out)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("helper %d: %v\n%s", i, err, outs[i])
		}
	}
	st, _ := local.New(dir)
	checkEveryEntryOnce(t, st, want)
}

func TestAuditDetectsTampering(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		tamper func(t *testing.T, root string)
		want   string
	}{
		{"delete an entry", func(t *testing.T, root string) {
			rm(t, root, auditlog.EntryKey(3))
		}, auditlog.EntryKey(3) + " is missing"},
		{"swap two entries", func(t *testing.T, root string) {
			a, b := read(t, root, auditlog.EntryKey(2)), read(t, root, auditlog.EntryKey(4))
			overwrite(t, root, auditlog.EntryKey(2), b)
			overwrite(t, root, auditlog.EntryKey(4), a)
		}, auditlog.EntryKey(2) + " holds entry index 4"},
		{"swap entries and renumber them", func(t *testing.T, root string) {
			a, b := read(t, root, auditlog.EntryKey(2)), read(t, root, auditlog.EntryKey(4))
			overwrite(t, root, auditlog.EntryKey(2), bytes.Replace(b, []byte(`"index":4`), []byte(`"index":2`), 1))
			overwrite(t, root, auditlog.EntryKey(4), bytes.Replace(a, []byte(`"index":2`), []byte(`"index":4`), 1))
		}, auditlog.CheckpointKey(6) + " does not match the stored entries"},
		{"edit an entry", func(t *testing.T, root string) {
			a := read(t, root, auditlog.EntryKey(7))
			overwrite(t, root, auditlog.EntryKey(7), bytes.Replace(a, []byte(`"actor":"batch"`), []byte(`"actor":"mallory"`), 1))
		}, "one of " + auditlog.EntryKey(6) + " .. " + auditlog.EntryKey(9) + " was altered"},
		{"truncate", func(t *testing.T, root string) {
			rm(t, root, auditlog.EntryKey(9))
			rm(t, root, auditlog.EntryKey(8))
		}, "log truncated: " + auditlog.CheckpointKey(10) + " covers 10 entries but only 8 exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			root := filepath.Join(dir, "archive")
			st, _ := local.New(root)
			s, _ := newKey(t, dir)
			l := openLog(t, st, s, "acme")
			for i := range 10 {
				l.Append(ctx, entry("batch", i))
				if i == 5 || i == 9 {
					if _, err := l.Checkpoint(ctx); err != nil {
						t.Fatal(err)
					}
				}
			}
			known, _, err := auditlog.TrustedVerifiers(ctx, st, s.PublicKey())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := auditlog.Audit(ctx, st, known); err != nil {
				t.Fatalf("untampered log: %v", err)
			}
			tc.tamper(t, root)
			_, err = auditlog.Audit(ctx, st, known)
			if !errors.Is(err, auditlog.ErrTampered) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Audit: %v\nwant an ErrTampered saying %q", err, tc.want)
			}
		})
	}
}

func read(t *testing.T, root, key string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, key))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func rm(t *testing.T, root, key string) {
	t.Helper()
	if err := os.Remove(filepath.Join(root, key)); err != nil {
		t.Fatal(err)
	}
}

func overwrite(t *testing.T, root, key string, b []byte) {
	t.Helper()
	p := filepath.Join(root, key)
	os.Chmod(p, 0o644)
	if err := os.WriteFile(p, b, 0o444); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkAppend(b *testing.B) {
	st, _ := local.New(b.TempDir())
	s, _ := newKey(b, b.TempDir())
	l := openLog(b, st, s, "bench")
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := l.Append(ctx, entry("bench", i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkAudit1000(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	st, _ := local.New(filepath.Join(dir, "a"))
	s, _ := newKey(b, dir)
	l := openLog(b, st, s, "bench")
	for i := range 1000 {
		l.Append(ctx, entry("bench", i))
	}
	l.Checkpoint(ctx)
	known, _, _ := auditlog.TrustedVerifiers(ctx, st, s.PublicKey())
	for b.Loop() {
		if _, err := auditlog.Audit(ctx, st, known); err != nil {
			b.Fatal(err)
		}
	}
}
