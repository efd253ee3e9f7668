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

// Locked is a store that enforces retention and legal holds (S3 object
// lock), together with raw access to its backend that bypasses the driver:
// the attacks an operator or a compromised writer could try.
type Locked struct {
	// Store must also implement archive.Holder.
	Store archive.Store
	// DeleteVersion permanently deletes the stored data of key (for S3:
	// DeleteObject with the version id the archive wrote). It must return
	// an error when the backend refuses.
	DeleteVersion func(ctx context.Context, key string) error
	// Delete deletes key the ordinary way (for S3 on a versioned bucket:
	// DeleteObject without version id, which only adds a delete marker).
	Delete func(ctx context.Context, key string) error
	// Overwrite writes body under key without create-only.
	Overwrite func(ctx context.Context, key string, body []byte) error
}

// RunLocking runs the retention and legal-hold cases against stores that
// enforce them. Each subtest gets a fresh, empty store. Stores that keep no
// retention (local, mem) are not asked for it: they run Run only.
func RunLocking(t *testing.T, open func(t *testing.T) Locked) {
	t.Run("RetentionReadBack", func(t *testing.T) { testRetention(t, open(t)) })
	t.Run("DeleteVersionRefused", func(t *testing.T) { testDeleteVersion(t, open(t)) })
	t.Run("DeleteMarkerDoesNotHide", func(t *testing.T) { testDeleteMarker(t, open(t)) })
	t.Run("OverwriteDoesNotReplace", func(t *testing.T) { testOverwrite(t, open(t)) })
	t.Run("LegalHold", func(t *testing.T) { testLegalHold(t, open(t)) })
}

// retainUntil is a retention date with a sub-second part, a while ahead.
func retainUntil() time.Time {
	return time.Now().Add(2 * time.Hour).Truncate(time.Second).Add(300 * time.Millisecond)
}

func putLocked(t *testing.T, s archive.Store, key, body string, opts archive.PutOptions) {
	t.Helper()
	if err := archive.PutBytes(context.Background(), s, key, []byte(body), opts); err != nil {
		t.Fatalf("Put(%s): %v", key, err)
	}
}

func testRetention(t *testing.T, l Locked) {
	tests := []struct {
		name string
		mode archive.RetentionMode
		want archive.RetentionMode
	}{
		{"default is compliance", "", archive.Compliance},
		{"compliance", archive.Compliance, archive.Compliance},
		{"governance", archive.Governance, archive.Governance},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := "ret/" + string(rune('a'+i))
			until := retainUntil()
			putLocked(t, l.Store, key, "locked", archive.PutOptions{RetainUntil: until, Mode: tt.mode})
			info, err := l.Store.Stat(context.Background(), key)
			if err != nil {
				t.Fatal(err)
			}
			if info.Mode != tt.want {
				t.Errorf("Stat mode = %q, want %q", info.Mode, tt.want)
			}
			if d := info.RetainUntil.Sub(until); d < -time.Second || d > time.Second {
				t.Errorf("Stat RetainUntil = %v, asked %v (off by %v)", info.RetainUntil, until, d)
			}
			if info.LegalHold {
				t.Error("Stat reports a legal hold nobody placed")
			}
		})
	}
}

func testDeleteVersion(t *testing.T, l Locked) {
	ctx := context.Background()
	putLocked(t, l.Store, "del/a", "evidence", archive.PutOptions{RetainUntil: retainUntil()})
	if err := l.DeleteVersion(ctx, "del/a"); err == nil {
		t.Fatal("the backend deleted an object under retention")
	}
	if got := get(t, l.Store, "del/a"); got != "evidence" {
		t.Fatalf("after a refused delete, Get = %q", got)
	}
}

func testDeleteMarker(t *testing.T, l Locked) {
	ctx := context.Background()
	putLocked(t, l.Store, "hide/a", "evidence", archive.PutOptions{RetainUntil: retainUntil()})
	// Allowed or not, an ordinary delete must not make the document vanish.
	_ = l.Delete(ctx, "hide/a")
	if got := get(t, l.Store, "hide/a"); got != "evidence" {
		t.Fatalf("after an ordinary delete, Get = %q", got)
	}
	if _, err := l.Store.Stat(ctx, "hide/a"); err != nil {
		t.Fatalf("after an ordinary delete, Stat: %v", err)
	}
	var keys []string
	if err := l.Store.List(ctx, "hide/", func(i archive.Info) error { keys = append(keys, i.Key); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || keys[0] != "hide/a" {
		t.Fatalf("after an ordinary delete, List = %v", keys)
	}
	err := archive.PutBytes(ctx, l.Store, "hide/a", []byte("replacement"), archive.PutOptions{})
	if !errors.Is(err, archive.ErrExists) {
		t.Fatalf("Put over a hidden document: %v, want ErrExists", err)
	}
}

func testOverwrite(t *testing.T, l Locked) {
	ctx := context.Background()
	putLocked(t, l.Store, "ow/a", "evidence", archive.PutOptions{RetainUntil: retainUntil()})
	err := archive.PutBytes(ctx, l.Store, "ow/a", []byte("forged"), archive.PutOptions{})
	if !errors.Is(err, archive.ErrExists) {
		t.Fatalf("second Put: %v, want ErrExists", err)
	}
	// Allowed or not, a raw overwrite must not replace what the archive reads.
	_ = l.Overwrite(ctx, "ow/a", []byte("forged"))
	if got := get(t, l.Store, "ow/a"); got != "evidence" {
		t.Fatalf("after a raw overwrite, Get = %q", got)
	}
	info, err := l.Store.Stat(ctx, "ow/a")
	if err != nil {
		t.Fatal(err)
	}
	if info.Size != int64(len("evidence")) || info.Mode != archive.Compliance {
		t.Fatalf("after a raw overwrite, Stat = %+v", info)
	}
}

func testLegalHold(t *testing.T, l Locked) {
	ctx := context.Background()
	h, ok := l.Store.(archive.Holder)
	if !ok {
		t.Fatalf("%T does not implement archive.Holder", l.Store)
	}
	if err := h.SetLegalHold(ctx, "hold/missing", true); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("SetLegalHold on a missing key: %v, want ErrNotFound", err)
	}
	// No retention: only the hold protects it.
	putLocked(t, l.Store, "hold/a", "disputed", archive.PutOptions{})
	if err := h.SetLegalHold(ctx, "hold/a", true); err != nil {
		t.Fatal(err)
	}
	if info, err := l.Store.Stat(ctx, "hold/a"); err != nil || !info.LegalHold {
		t.Fatalf("after placing a hold, Stat = %+v, %v", info, err)
	}
	if err := l.DeleteVersion(ctx, "hold/a"); err == nil {
		t.Fatal("the backend deleted an object under legal hold")
	}
	if err := h.SetLegalHold(ctx, "hold/a", false); err != nil {
		t.Fatal(err)
	}
	if info, err := l.Store.Stat(ctx, "hold/a"); err != nil || info.LegalHold {
		t.Fatalf("after lifting the hold, Stat = %+v, %v", info, err)
	}
	// Lifting the hold is what made the difference: now it can go.
	if err := l.DeleteVersion(ctx, "hold/a"); err != nil {
		t.Fatalf("delete after lifting the hold (no retention): %v", err)
	}
	if _, err := l.Store.Stat(ctx, "hold/a"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("after deleting the released object, Stat = %v", err)
	}
}
