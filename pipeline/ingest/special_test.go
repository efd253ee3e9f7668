//go:build unix

package ingest

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestSpecialFilesRefused: a named pipe, a device or a directory given as
// an input is refused at once, naming the file and what it is. Opening a
// FIFO would wait for a writer for ever (issue 13: validate hung on one).
func TestSpecialFilesRefused(t *testing.T) {
	fx := readFixtures(t)
	dir := t.TempDir()
	p := write(t, dir, map[string]string{"inventory.csv": fx.inv, "plan.yaml": fx.plan})
	fifo := filepath.Join(dir, "plan-fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// A link to the FIFO is refused as the FIFO; a link to a regular file
	// is read as that file.
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		files Files
		want  string
	}{
		{"fifo plan", Files{Inventory: p["inventory.csv"], Plan: fifo}, fifo + ": not a file: found a named pipe (FIFO), expected a regular file"},
		{"fifo inventory", Files{Inventory: fifo, Plan: p["plan.yaml"]}, fifo + ": not a file: found a named pipe (FIFO), expected a regular file"},
		{"fifo clearances", Files{Inventory: p["inventory.csv"], Plan: p["plan.yaml"], Clearances: fifo}, fifo + ": not a file: found a named pipe (FIFO), expected a regular file"},
		{"link to fifo", Files{Inventory: p["inventory.csv"], Plan: link}, link + ": not a file: found a named pipe (FIFO), expected a regular file"},
		{"device", Files{Inventory: "/dev/zero", Plan: p["plan.yaml"]}, "/dev/zero: not a file: found a character device, expected a regular file"},
		{"directory", Files{Inventory: p["inventory.csv"], Plan: dir}, dir + ": not a file: found a directory, expected a regular file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := Load(context.Background(), tc.files, Limits{})
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || err.Error() != tc.want {
					t.Fatalf("Load: %v\nwant: %s", err, tc.want)
				}
			case <-time.After(10 * time.Second):
				// Unblock the open so the goroutine ends.
				if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
					w.Close()
				}
				t.Fatal("Load still waiting on the special file after 10 s")
			}
		})
	}
	okLink := filepath.Join(dir, "ok.yaml")
	if err := os.Symlink(p["plan.yaml"], okLink); err != nil {
		t.Fatal(err)
	}
	if b, err := Load(context.Background(), Files{Inventory: p["inventory.csv"], Plan: okLink}, Limits{}); err != nil || len(b.Problems) != 0 {
		t.Fatalf("a link to a regular file: %v %v", err, b)
	}
}
