package local_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/archivetest"
	"github.com/clearpack/clearpack/archive/local"
)

// stagings are the two ways Put stages a file: unnamed (O_TMPFILE, where
// the filesystem has it) and named in .tmp.
var stagings = []struct {
	name string
	open func(string) (*local.Store, error)
}{
	{"unnamed-temps", local.New},
	{"named-temps", local.NewNamedTemps},
}

func TestSuite(t *testing.T) {
	for _, c := range stagings {
		t.Run(c.name, func(t *testing.T) {
			archivetest.Run(t, func(t *testing.T) archive.Store {
				s, err := c.open(t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				return s
			})
		})
	}
}

// A Put that fails (short body, cancelled) leaves nothing behind: no object,
// no temporary file in .tmp, on either staging path; a Put into a new
// directory tree creates it.
func TestNoLeftovers(t *testing.T) {
	for _, c := range stagings {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := c.open(dir)
			if err != nil {
				t.Fatal(err)
			}
			if runtime.GOOS == "linux" && c.name == "unnamed-temps" && !s.StagesUnnamed() {
				t.Logf("this filesystem has no O_TMPFILE: the named path is used")
			}
			ctx := context.Background()
			err = s.Put(ctx, "a/b/short.pdf", strings.NewReader("abc"), 10, archive.PutOptions{})
			if err == nil {
				t.Fatal("a short body was stored")
			}
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			if err := s.Put(cctx, "a/b/cancelled.pdf", strings.NewReader("abc"), 3, archive.PutOptions{}); !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled put: %v", err)
			}
			if err := archive.PutBytes(ctx, s, "x/y/z/ok.pdf", []byte("%PDF"), archive.PutOptions{}); err != nil {
				t.Fatal(err)
			}
			got, err := archive.ReadAll(ctx, s, "x/y/z/ok.pdf")
			if err != nil || string(got) != "%PDF" {
				t.Fatalf("read back %q, %v", got, err)
			}
			st, err := os.Stat(filepath.Join(dir, "x", "y", "z", "ok.pdf"))
			if err != nil || st.Mode().Perm() != 0o444 {
				t.Fatalf("stored file: %v, %v; want mode 0444", st.Mode(), err)
			}
			left, err := os.ReadDir(filepath.Join(dir, ".tmp"))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range left {
				t.Errorf(".tmp still holds %s", e.Name())
			}
			for _, k := range []string{"a/b/short.pdf", "a/b/cancelled.pdf"} {
				if _, err := s.Stat(ctx, k); !errors.Is(err, archive.ErrNotFound) {
					t.Errorf("%s after a failed put: %v, want not found", k, err)
				}
			}
		})
	}
}

// BenchmarkPutPack stores a pack's worth of objects (13 of about 25 KB) in a
// new directory, as the pipeline does for each shipment version.
func BenchmarkPutPack(b *testing.B) {
	s, err := local.New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	body := bytes.Repeat([]byte("clearpack "), 2500)
	n := 0
	for b.Loop() {
		n++
		for i := range 13 {
			key := fmt.Sprintf("programs/p/shipments/S-%d/v0001/doc-%d.pdf", n, i)
			if err := archive.PutBytes(ctx, s, key, body, archive.PutOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
