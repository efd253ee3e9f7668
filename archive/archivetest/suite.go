// Package archivetest is the test suite every archive driver must pass.
package archivetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive"
)

// Run runs the suite against stores made by open. Each subtest gets a fresh,
// empty store.
func Run(t *testing.T, open func(t *testing.T) archive.Store) {
	t.Run("PutGetStat", func(t *testing.T) { testPutGet(t, open(t)) })
	t.Run("CreateOnly", func(t *testing.T) { testCreateOnly(t, open(t)) })
	t.Run("NotFound", func(t *testing.T) { testNotFound(t, open(t)) })
	t.Run("BadKeys", func(t *testing.T) { testBadKeys(t, open(t)) })
	t.Run("RacingWriters", func(t *testing.T) { testRace(t, open(t)) })
	t.Run("CancelledPut", func(t *testing.T) { testCancel(t, open(t)) })
	t.Run("ListOrderAndPrefix", func(t *testing.T) { testList(t, open(t)) })
	t.Run("ShortReader", func(t *testing.T) { testShort(t, open(t)) })
}

func put(t *testing.T, s archive.Store, key, body string) {
	t.Helper()
	if err := archive.PutBytes(context.Background(), s, key, []byte(body), archive.PutOptions{}); err != nil {
		t.Fatalf("Put(%s): %v", key, err)
	}
}

func get(t *testing.T, s archive.Store, key string) string {
	t.Helper()
	b, err := archive.ReadAll(context.Background(), s, key)
	if err != nil {
		t.Fatalf("Get(%s): %v", key, err)
	}
	return string(b)
}

func testPutGet(t *testing.T, s archive.Store) {
	body := strings.Repeat("clearpack ", 1000)
	put(t, s, "programs/p/shipments/s1/v0001/a.pdf", body)
	if got := get(t, s, "programs/p/shipments/s1/v0001/a.pdf"); got != body {
		t.Fatalf("Get returned %d bytes, want %d", len(got), len(body))
	}
	info, err := s.Stat(context.Background(), "programs/p/shipments/s1/v0001/a.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if info.Size != int64(len(body)) || info.Key != "programs/p/shipments/s1/v0001/a.pdf" {
		t.Fatalf("Stat = %+v", info)
	}
}

func testCreateOnly(t *testing.T, s archive.Store) {
	put(t, s, "k/one", "first")
	err := archive.PutBytes(context.Background(), s, "k/one", []byte("second"), archive.PutOptions{})
	if !errors.Is(err, archive.ErrExists) {
		t.Fatalf("second Put: got %v, want ErrExists", err)
	}
	if got := get(t, s, "k/one"); got != "first" {
		t.Fatalf("object changed by a refused Put: %q", got)
	}
}

func testNotFound(t *testing.T, s archive.Store) {
	ctx := context.Background()
	if _, err := s.Get(ctx, "no/such"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("Get missing: %v", err)
	}
	if _, err := s.Stat(ctx, "no/such"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("Stat missing: %v", err)
	}
	put(t, s, "dir/file", "x")
	if _, err := s.Get(ctx, "dir"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("Get of a prefix: %v", err)
	}
}

func testBadKeys(t *testing.T, s archive.Store) {
	for _, k := range []string{"", "../x", "a/../../x", "/abs", "a//b", "a/./b", "a\\b", "a\x00b", "a/b/", "ü"} {
		err := archive.PutBytes(context.Background(), s, k, []byte("x"), archive.PutOptions{})
		if !errors.Is(err, archive.ErrBadKey) {
			t.Errorf("Put(%q): got %v, want ErrBadKey", k, err)
		}
	}
}

func testRace(t *testing.T, s archive.Store) {
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = archive.PutBytes(context.Background(), s, "race/key", []byte(fmt.Sprintf("writer %d", i)), archive.PutOptions{})
		}()
	}
	wg.Wait()
	won := -1
	for i, err := range errs {
		switch {
		case err == nil:
			if won >= 0 {
				t.Fatalf("writers %d and %d both won", won, i)
			}
			won = i
		case !errors.Is(err, archive.ErrExists):
			t.Fatalf("writer %d: %v, want ErrExists", i, err)
		}
	}
	if won < 0 {
		t.Fatal("no writer won")
	}
	if got := get(t, s, "race/key"); got != fmt.Sprintf("writer %d", won) {
		t.Fatalf("stored %q, but writer %d won", got, won)
	}
}

// slowReader yields data until its context is cancelled.
type slowReader struct {
	cancel context.CancelFunc
	n      int
}

func (r *slowReader) Read(p []byte) (int, error) {
	r.n++
	if r.n == 3 {
		r.cancel()
		time.Sleep(10 * time.Millisecond)
	}
	if r.n > 1000 {
		return 0, io.EOF
	}
	for i := range p {
		p[i] = 'z'
	}
	return len(p), nil
}

func testCancel(t *testing.T, s archive.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err := s.Put(ctx, "cancel/key", &slowReader{cancel: cancel}, -1, archive.PutOptions{})
	if err == nil {
		t.Fatal("Put with a cancelled context succeeded")
	}
	if _, err := s.Stat(context.Background(), "cancel/key"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("after a cancelled Put, Stat = %v, want ErrNotFound", err)
	}
	// The key is still free.
	put(t, s, "cancel/key", "ok")
}

func testList(t *testing.T, s archive.Store) {
	for _, k := range []string{"p/a/x", "p/a-b/x", "p/a/y", "p/b", "q/c"} {
		put(t, s, k, k)
	}
	var got []string
	if err := s.List(context.Background(), "p/a", func(i archive.Info) error {
		got = append(got, i.Key)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := "p/a-b/x p/a/x p/a/y"
	if strings.Join(got, " ") != want {
		t.Fatalf("List(p/a) = %v, want %s", got, want)
	}
	stop := errors.New("stop")
	n := 0
	err := s.List(context.Background(), "", func(archive.Info) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Fatalf("List did not stop on callback error: n=%d err=%v", n, err)
	}
	got = nil
	if err := s.List(context.Background(), "nothing/", func(i archive.Info) error { got = append(got, i.Key); return nil }); err != nil || len(got) != 0 {
		t.Fatalf("List(nothing/) = %v, %v", got, err)
	}
}

func testShort(t *testing.T, s archive.Store) {
	err := s.Put(context.Background(), "short/key", bytes.NewReader([]byte("abc")), 10, archive.PutOptions{})
	if err == nil {
		t.Fatal("Put accepted 3 bytes declared as 10")
	}
	if _, err := s.Stat(context.Background(), "short/key"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("after a short Put, Stat = %v, want ErrNotFound", err)
	}
}
