package auditlog_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/clearpack/clearpack/archive/archivetest"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/local"
	"github.com/clearpack/clearpack/archive/mem"
	"golang.org/x/mod/sumdb/note"
)

func sameState(t *testing.T, got, want *auditlog.State) {
	t.Helper()
	if got.Origin != want.Origin || got.Checkpoints != want.Checkpoints || !reflect.DeepEqual(got.Latest, want.Latest) || !bytes.Equal(got.LatestNote, want.LatestNote) {
		t.Fatalf("follower: origin %q, %d checkpoints, latest %+v\naudit: origin %q, %d checkpoints, latest %+v",
			got.Origin, got.Checkpoints, got.Latest, want.Origin, want.Checkpoints, want.Latest)
	}
	if !reflect.DeepEqual(got.Entries, want.Entries) || !reflect.DeepEqual(got.Raw, want.Raw) || !reflect.DeepEqual(got.Leaves, want.Leaves) {
		t.Fatalf("follower has %d entries, audit %d, or their bytes differ", len(got.Entries), len(want.Entries))
	}
	n := uint64(len(want.Entries))
	for size := uint64(0); size <= n; size++ {
		if !bytes.Equal(got.Root(size), want.Root(size)) {
			t.Fatalf("root of size %d differs", size)
		}
		if size > 0 && !reflect.DeepEqual(got.InclusionProof(size-1, n), want.InclusionProof(size-1, n)) {
			t.Fatalf("inclusion proof of %d in %d differs", size-1, n)
		}
		if !reflect.DeepEqual(got.ConsistencyProof(size, n), want.ConsistencyProof(size, n)) {
			t.Fatalf("consistency proof %d..%d differs", size, n)
		}
	}
}

// After appends and checkpoints in several steps, each Refresh equals a full
// Audit and reads only the entries and checkpoints stored since the last one.
func TestFollowerFollowsAppends(t *testing.T) {
	ctx := context.Background()
	cs := &archivetest.Reads{Store: mem.New()}
	s, _ := newKey(t, t.TempDir())
	l := openLog(t, cs, s, "acme")
	known, _, err := auditlog.TrustedVerifiers(ctx, cs, s.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	f := auditlog.NewFollower(cs)
	var snapshots []*auditlog.State
	n := 0
	for _, step := range []struct {
		appends     int
		checkpoints bool
	}{{0, false}, {3, false}, {4, true}, {1, false}, {9, true}, {0, true}, {0, false}, {6, true}} {
		first := n
		for range step.appends {
			if _, err := l.Append(ctx, entry("batch", n)); err != nil {
				t.Fatal(err)
			}
			n++
		}
		var newCP []string
		if step.checkpoints {
			if _, err := l.Checkpoint(ctx); err != nil {
				t.Fatal(err)
			}
			if k := auditlog.CheckpointKey(uint64(n)); len(snapshots) == 0 || snapshots[len(snapshots)-1].Latest.Size != uint64(n) {
				newCP = append(newCP, k)
			}
		}
		cs.Take()
		got, err := f.Refresh(ctx, known)
		if err != nil {
			t.Fatalf("after %d entries: %v", n, err)
		}
		var want []string
		for i := first; i <= n; i++ { // n: the read that finds the end
			want = append(want, auditlog.EntryKey(uint64(i)))
		}
		want = append(want, newCP...)
		if reads := cs.Take(); !slices.Equal(reads, want) {
			t.Fatalf("after %d entries Refresh read\n%v\nwant only the new objects\n%v", n, reads, want)
		}
		audited, err := auditlog.Audit(ctx, cs, known)
		if err != nil {
			t.Fatal(err)
		}
		sameState(t, got, audited)
		if i, ok := got.First(auditlog.EventPackArchived, entry("x", n-1).Object); n > 0 && (!ok || i != uint64(n-1)) {
			t.Fatalf("First of the last pack: %d %v, want %d", i, ok, n-1)
		}
		snapshots = append(snapshots, got)
	}
	// Earlier snapshots are unchanged by later Refresh calls.
	s1 := snapshots[1]
	if len(s1.Entries) != 3 || s1.Latest.Size != 0 {
		t.Fatalf("snapshot after 3 entries now has %d entries, checkpoint %d", len(s1.Entries), s1.Latest.Size)
	}
	if _, ok := s1.First(auditlog.EventPackArchived, entry("x", 5).Object); ok {
		t.Fatal("snapshot of 3 entries finds entry 5")
	}
}

// A new entry or checkpoint that Audit refuses, a Follower that has checked
// the log before it refuses with the same error, and keeps refusing.
func TestFollowerRefusesTamperedNewObjects(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		tamper func(t *testing.T, root string, l *auditlog.Log)
		kind   error
		want   string
	}{
		{"swap two new entries", func(t *testing.T, root string, l *auditlog.Log) {
			a, b := read(t, root, auditlog.EntryKey(11)), read(t, root, auditlog.EntryKey(12))
			overwrite(t, root, auditlog.EntryKey(11), b)
			overwrite(t, root, auditlog.EntryKey(12), a)
		}, auditlog.ErrTampered, auditlog.EntryKey(11) + " holds entry index 12"},
		{"new entry with an unknown field", func(t *testing.T, root string, l *auditlog.Log) {
			a := read(t, root, auditlog.EntryKey(12))
			overwrite(t, root, auditlog.EntryKey(12), bytes.Replace(a, []byte(`{`), []byte(`{"approved":true,`), 1))
		}, auditlog.ErrTampered, auditlog.EntryKey(12) + " is not a log entry"},
		{"edit a new entry", func(t *testing.T, root string, l *auditlog.Log) {
			a := read(t, root, auditlog.EntryKey(13))
			overwrite(t, root, auditlog.EntryKey(13), bytes.Replace(a, []byte(`"actor":"batch"`), []byte(`"actor":"mallory"`), 1))
		}, auditlog.ErrTampered, "one of " + auditlog.EntryKey(10) + " .. " + auditlog.EntryKey(13) + " was altered"},
		{"truncate new entries", func(t *testing.T, root string, l *auditlog.Log) {
			rm(t, root, auditlog.EntryKey(13))
			rm(t, root, auditlog.EntryKey(12))
		}, auditlog.ErrTampered, "log truncated: " + auditlog.CheckpointKey(14) + " covers 14 entries but only 12 exist"},
		{"checkpoint under another size's key", func(t *testing.T, root string, l *auditlog.Log) {
			overwrite(t, root, auditlog.CheckpointKey(15), read(t, root, auditlog.CheckpointKey(14)))
		}, auditlog.ErrTampered, auditlog.CheckpointKey(15) + " holds a checkpoint of size 14"},
		{"forged checkpoint", func(t *testing.T, root string, l *auditlog.Log) {
			cp := read(t, root, auditlog.CheckpointKey(14))
			text, _, _ := strings.Cut(string(cp), "\n\n")
			forger, _ := newKey(t, t.TempDir())
			ns, err := forger.CheckpointSigner(l.Origin())
			if err != nil {
				t.Fatal(err)
			}
			forged, err := note.Sign(&note.Note{Text: text + "\n"}, ns)
			if err != nil {
				t.Fatal(err)
			}
			overwrite(t, root, auditlog.CheckpointKey(14), forged)
		}, auditlog.ErrCheckpoint, auditlog.CheckpointKey(14) + ": checkpoint does not verify: note has no verifiable signatures"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			root := filepath.Join(dir, "archive")
			st, _ := local.New(root)
			s, _ := newKey(t, dir)
			l := openLog(t, st, s, "acme")
			known, _, err := auditlog.TrustedVerifiers(ctx, st, s.PublicKey())
			if err != nil {
				t.Fatal(err)
			}
			f := auditlog.NewFollower(st)
			for i := range 14 {
				l.Append(ctx, entry("batch", i))
				if i == 5 || i == 9 || i == 13 {
					if _, err := l.Checkpoint(ctx); err != nil {
						t.Fatal(err)
					}
				}
				if i == 9 {
					if _, err := f.Refresh(ctx, known); err != nil {
						t.Fatalf("untampered log: %v", err)
					}
				}
			}
			tc.tamper(t, root, l)
			_, auditErr := auditlog.Audit(ctx, st, known)
			if !errors.Is(auditErr, tc.kind) || !strings.Contains(auditErr.Error(), tc.want) {
				t.Fatalf("Audit: %v\nwant %v saying %q", auditErr, tc.kind, tc.want)
			}
			for range 2 {
				_, err := f.Refresh(ctx, known)
				if err == nil || err.Error() != auditErr.Error() || !errors.Is(err, tc.kind) {
					t.Fatalf("Refresh: %v\nwant Audit's error %v", err, auditErr)
				}
			}
		})
	}
}

// Refresh, proofs and appends from several goroutines at once (run with
// -race): every state a reader sees verifies against its own checkpoint.
func TestFollowerConcurrent(t *testing.T) {
	ctx := context.Background()
	st := mem.New()
	s, _ := newKey(t, t.TempDir())
	l := openLog(t, st, s, "acme")
	known, _, err := auditlog.TrustedVerifiers(ctx, st, s.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	f := auditlog.NewFollower(st)
	done := make(chan struct{})
	errs := make(chan error, 4)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				state, err := f.Refresh(ctx, known)
				if err != nil {
					errs <- err
					return
				}
				size := state.Latest.Size
				for i := range size {
					p := state.InclusionProof(i, size)
					if err := auditlog.VerifyInclusion(state.Latest, i, state.Raw[i], p); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	for i := range 200 {
		l.Append(ctx, entry("batch", i))
		if i%7 == 6 {
			if _, err := l.Checkpoint(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	state, err := f.Refresh(ctx, known)
	if err != nil || len(state.Entries) != 200 || state.Latest.Size != 196 {
		t.Fatalf("after the appends: %v, %d entries, checkpoint %d", err, len(state.Entries), state.Latest.Size)
	}
}
