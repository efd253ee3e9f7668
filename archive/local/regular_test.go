package local_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/local"
)

// Things planted in a local archive by someone with write access to the
// directory are never read as objects: a symlink to a secret, a version
// directory that is a symlink, a FIFO (which must not hang the reader). List
// names them so that verify can report them; Put never writes through a
// symlinked directory.
func TestOnlyRegularFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := local.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	const pack = "programs/p/shipments/S1/v0001/"
	if err := archive.PutBytes(ctx, st, pack+"invoice.pdf", []byte("%PDF"), archive.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	secretDir := t.TempDir()
	secret := filepath.Join(secretDir, "signing-key.pem")
	os.WriteFile(secret, []byte("PRIVATE KEY"), 0o600)
	p := func(key string) string { return filepath.Join(dir, filepath.FromSlash(key)) }
	if err := os.Symlink(secret, p(pack+"leak.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secretDir, p("programs/p/shipments/S1/v0002")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(p(pack+"fifo.pdf"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{pack + "leak.txt", "programs/p/shipments/S1/v0002/signing-key.pem", pack + "fifo.pdf"} {
		done := make(chan error, 1)
		go func() {
			rc, err := st.Get(ctx, key)
			if err == nil {
				rc.Close()
			}
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, archive.ErrNotRegular) {
				t.Errorf("Get %s: %v, want ErrNotRegular", key, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Get %s hangs", key)
		}
		if _, err := st.Stat(ctx, key); !errors.Is(err, archive.ErrNotRegular) {
			t.Errorf("Stat %s: %v, want ErrNotRegular", key, err)
		}
	}
	var listed []string
	st.List(ctx, "programs/", func(in archive.Info) error { listed = append(listed, in.Key); return nil })
	for _, want := range []string{pack + "invoice.pdf", pack + "leak.txt", pack + "fifo.pdf", "programs/p/shipments/S1/v0002"} {
		if !slices.Contains(listed, want) {
			t.Errorf("List does not name %s: %v", want, listed)
		}
	}
	err = archive.PutBytes(ctx, st, "programs/p/shipments/S1/v0002/new.pdf", []byte("x"), archive.PutOptions{})
	if !errors.Is(err, archive.ErrNotRegular) {
		t.Errorf("Put through a symlinked directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(secretDir, "new.pdf")); err == nil {
		t.Error("Put wrote outside the archive through a symlink")
	}
	if b, err := archive.ReadAll(ctx, st, pack+"invoice.pdf"); err != nil || string(b) != "%PDF" {
		t.Errorf("the real object: %q %v", b, err)
	}
}
