package auditlog_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/local"
)

// An entry someone with write access adds to the log (unsigned, or signed
// by another key, or a signed one edited) is refused: by Open, so a run
// writes nothing, and by Checkpoint when it appears while a writer has the
// log open, so no checkpoint ever covers it. Both name the entry.
func TestForgedEntriesAreNeverCheckpointed(t *testing.T) {
	ctx := context.Background()
	s, _ := newKey(t, t.TempDir())
	other, _ := newKey(t, t.TempDir())
	forgeries := map[string]func(st archive.Store) []byte{
		"unsigned": func(archive.Store) []byte {
			return []byte(`{"index":1,"time":"2026-11-20T12:00:00Z","actor":"alice","event":"pack.retrieved","object":"programs/p/shipments/S1/v0001/x.pdf"}` + "\n")
		},
		"signed by another key": func(archive.Store) []byte {
			st2, _ := local.New(t.TempDir())
			l2 := openLog(t, st2, other, "acme")
			l2.Append(ctx, entry("x", 0))
			l2.Append(ctx, entry("mallory", 1))
			b, _ := archive.ReadAll(ctx, st2, auditlog.EntryKey(1))
			return b
		},
		"signed, then edited": func(st archive.Store) []byte {
			st2, _ := local.New(t.TempDir())
			l2 := openLog(t, st2, s, "acme")
			l2.Append(ctx, entry("x", 0))
			l2.Append(ctx, entry("alice", 1))
			b, _ := archive.ReadAll(ctx, st2, auditlog.EntryKey(1))
			return []byte(strings.Replace(string(b), `"alice"`, `"bob"`, 1))
		},
		"signed for another archive": func(archive.Store) []byte {
			st2, _ := local.New(t.TempDir())
			l2 := openLog(t, st2, s, "elsewhere")
			l2.Append(ctx, entry("x", 0))
			l2.Append(ctx, entry("alice", 1))
			b, _ := archive.ReadAll(ctx, st2, auditlog.EntryKey(1))
			return b
		},
	}
	for name, forge := range forgeries {
		t.Run(name, func(t *testing.T) {
			st, _ := local.New(t.TempDir())
			l := openLog(t, st, s, "acme")
			if _, err := l.Append(ctx, entry("run", 0)); err != nil {
				t.Fatal(err)
			}
			if _, err := l.Checkpoint(ctx); err != nil {
				t.Fatal(err)
			}
			if err := archive.PutBytes(ctx, st, auditlog.EntryKey(1), forge(st), archive.PutOptions{}); err != nil {
				t.Fatal(err)
			}
			// The writer that had the log open meets it on its next sync.
			l.Append(ctx, entry("run", 2))
			_, err := l.Checkpoint(ctx)
			if !errors.Is(err, auditlog.ErrUnverifiedEntry) || !strings.Contains(err.Error(), auditlog.EntryKey(1)) {
				t.Fatalf("checkpoint over a forged entry: %v", err)
			}
			if _, err := archive.ReadAll(ctx, st, auditlog.CheckpointKey(3)); !errors.Is(err, archive.ErrNotFound) {
				t.Fatalf("a checkpoint of size 3 was stored: %v", err)
			}
			// A new writer refuses to open the log at all.
			_, err = auditlog.Open(ctx, st, s, auditlog.Options{Name: "acme"})
			if !errors.Is(err, auditlog.ErrUnverifiedEntry) || !strings.Contains(err.Error(), auditlog.EntryKey(1)) {
				t.Fatalf("Open over a forged entry: %v", err)
			}
		})
	}
}

// A log whose archive-id was edited or deleted is not extended under a new
// name: Open refuses, naming what is wrong.
func TestOpenRefusesAnotherOrigin(t *testing.T) {
	ctx := context.Background()
	s, _ := newKey(t, t.TempDir())
	dir := t.TempDir()
	st, _ := local.New(dir)
	l := openLog(t, st, s, "acme")
	l.Append(ctx, entry("run", 0))
	if _, err := l.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := auditlog.Open(ctx, st, s, auditlog.Options{Name: "acme-renamed"})
	if !errors.Is(err, auditlog.ErrForeignLog) || !strings.Contains(err.Error(), auditlog.ArchiveIDKey) {
		t.Fatalf("Open under another name: %v", err)
	}
	idFile := filepath.Join(dir, auditlog.ArchiveIDKey)
	os.Chmod(idFile, 0o644)
	os.WriteFile(idFile, []byte("acme-renamed\n"), 0o444)
	_, err = auditlog.Open(ctx, st, s, auditlog.Options{Name: "acme-renamed"})
	if !errors.Is(err, auditlog.ErrForeignLog) || !strings.Contains(err.Error(), auditlog.CheckpointKey(1)) {
		t.Fatalf("Open after archive-id was edited: %v", err)
	}
	os.Remove(idFile)
	_, err = auditlog.Open(ctx, st, s, auditlog.Options{Name: "acme-new"})
	if !errors.Is(err, auditlog.ErrForeignLog) || !strings.Contains(err.Error(), "archive-id is missing") {
		t.Fatalf("Open after archive-id was deleted: %v", err)
	}
	if _, err := os.Stat(idFile); err == nil {
		t.Fatal("a new archive-id was written over a log")
	}
}

// Entries verify with the key that wrote them and the log's origin only.
func TestVerifyEntry(t *testing.T) {
	ctx := context.Background()
	s, _ := newKey(t, t.TempDir())
	other, _ := newKey(t, t.TempDir())
	st, _ := local.New(t.TempDir())
	l := openLog(t, st, s, "acme")
	l.Append(ctx, entry("run", 0))
	b, _ := archive.ReadAll(ctx, st, auditlog.EntryKey(0))
	if _, id, err := auditlog.VerifyEntry("clearpack/acme", b, other.PublicKey(), s.PublicKey()); err != nil || id != s.KeyID() {
		t.Fatalf("VerifyEntry = %s, %v", id, err)
	}
	if _, _, err := auditlog.VerifyEntry("clearpack/other", b, s.PublicKey()); !errors.Is(err, auditlog.ErrUnverifiedEntry) {
		t.Fatalf("entry verified under another origin: %v", err)
	}
	if _, _, err := auditlog.VerifyEntry("clearpack/acme", b, other.PublicKey()); !errors.Is(err, auditlog.ErrUnverifiedEntry) {
		t.Fatalf("entry verified with another key: %v", err)
	}
}
