package inbox

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/mem"
)

// clock is an injected wall clock plus a monotonic clock that only moves
// forward, the way a machine's clocks behave when NTP steps the wall clock.
type clock struct {
	mu   sync.Mutex
	wall time.Time
	mono time.Duration
}

func newClock() *clock {
	return &clock{wall: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.wall }
func (c *clock) Mono() time.Duration { c.mu.Lock(); defer c.mu.Unlock(); return c.mono }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.wall = c.wall.Add(d)
	c.mono += d
	c.mu.Unlock()
}

// Jump steps only the wall clock (NTP correction, an operator's date -s).
func (c *clock) Jump(d time.Duration) { c.mu.Lock(); c.wall = c.wall.Add(d); c.mu.Unlock() }

func claimsFor(st archive.Store, owner string, c *clock) *Claims {
	return &Claims{Store: st, Owner: owner, Lease: time.Minute, Skew: 5 * time.Second, Clock: c.Now, Mono: c.Mono}
}

func TestClaimLifecycle(t *testing.T) {
	ctx := context.Background()
	st := mem.New()
	ca, cb := newClock(), newClock()
	a, b := claimsFor(st, "instance-a", ca), claimsFor(st, "instance-b", cb)

	cl, err := a.Acquire(ctx, "batch-1")
	if err != nil {
		t.Fatal(err)
	}
	if cl.Gen != 1 || cl.TookOver != "" {
		t.Fatalf("first claim: %+v", cl)
	}
	// B cannot take a live lease, and is told who holds it.
	_, err = b.Acquire(ctx, "batch-1")
	var held *HeldError
	if !errors.As(err, &held) || held.Owner != "instance-a" {
		t.Fatalf("B on a live lease: %v", err)
	}

	t.Run("a renewed lease is not taken over", func(t *testing.T) {
		ca.Advance(50 * time.Second)
		cb.Advance(50 * time.Second)
		if err := a.Renew(ctx, cl); err != nil {
			t.Fatal(err)
		}
		// Past the first expiry (60 s) and its skew, but not the renewed one.
		ca.Advance(20 * time.Second)
		cb.Advance(20 * time.Second)
		if _, err := b.Acquire(ctx, "batch-1"); !errors.Is(err, ErrHeld) {
			t.Fatalf("B took a renewed lease: %v", err)
		}
	})

	t.Run("an expired lease is taken over, and its old owner has lost it", func(t *testing.T) {
		// A dies: no renewal. Its lease (renewed at 50 s, until 110 s) runs
		// out; B waits for the skew too.
		cb.Advance(40 * time.Second) // B at 110 s: expiry, not expiry+skew
		if _, err := b.Acquire(ctx, "batch-1"); !errors.Is(err, ErrHeld) {
			t.Fatalf("B took over within the skew: %v", err)
		}
		cb.Advance(6 * time.Second)
		clB, err := b.Acquire(ctx, "batch-1")
		if err != nil {
			t.Fatal(err)
		}
		if clB.TookOver != "instance-a" {
			t.Errorf("TookOver = %q, want instance-a", clB.TookOver)
		}
		if err := a.Renew(ctx, cl); !errors.Is(err, ErrLost) {
			t.Errorf("A renewing after the takeover: %v, want ErrLost", err)
		}
		if err := b.Finish(ctx, clB, Done, "runs/x/report.json"); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Acquire(ctx, "batch-1"); !errors.Is(err, ErrDone) {
			t.Errorf("acquire after done: %v", err)
		}
		rec, err := a.Done(ctx, "batch-1")
		if err != nil || rec.Owner != "instance-b" || rec.Outcome != Done || rec.Report != "runs/x/report.json" {
			t.Errorf("done record %+v, %v", rec, err)
		}
	})
}

func TestReleasedClaimIsFreeAtOnce(t *testing.T) {
	ctx := context.Background()
	st := mem.New()
	c := newClock()
	a, b := claimsFor(st, "a", c), claimsFor(st, "b", c)
	cl, err := a.Acquire(ctx, "batch")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Release(ctx, cl); err != nil {
		t.Fatal(err)
	}
	clB, err := b.Acquire(ctx, "batch")
	if err != nil {
		t.Fatalf("a released claim is not free: %v", err)
	}
	if clB.TookOver != "" {
		t.Errorf("taking a released claim counted as a takeover of %q", clB.TookOver)
	}
}

// Many instances race for one batch: exactly one gets it.
func TestClaimRaceHasOneWinner(t *testing.T) {
	ctx := context.Background()
	st := mem.New()
	c := newClock()
	var wg sync.WaitGroup
	wins := make(chan string, 16)
	for i := range 16 {
		wg.Go(func() {
			cl, err := claimsFor(st, string(rune('a'+i)), c).Acquire(ctx, "batch")
			if err == nil {
				wins <- cl.Owner
			} else if !errors.Is(err, ErrHeld) {
				t.Errorf("racer %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	close(wins)
	if n := len(wins); n != 1 {
		t.Fatalf("%d winners, want 1", n)
	}
}

// A holder's wall clock stepping backwards after it took the batch must not
// shorten the expiry it writes (which would let another instance in while
// it still works), and stepping forwards must not lengthen the time it
// believes it holds the batch.
func TestClockJumpDoesNotLetTwoOwnersWork(t *testing.T) {
	ctx := context.Background()
	for _, jump := range []time.Duration{-time.Hour, -50 * time.Second, time.Hour} {
		t.Run(jump.String(), func(t *testing.T) {
			st := mem.New()
			ca, cb := newClock(), newClock()
			a, b := claimsFor(st, "a", ca), claimsFor(st, "b", cb)
			cl, err := a.Acquire(ctx, "batch")
			if err != nil {
				t.Fatal(err)
			}
			// A works and renews every 20 s; its wall clock jumps at 10 s.
			for step := 1; step <= 6; step++ {
				ca.Advance(10 * time.Second)
				cb.Advance(10 * time.Second)
				if step == 1 {
					ca.Jump(jump)
				}
				if step%2 == 0 {
					if err := a.Renew(ctx, cl); err != nil {
						t.Fatalf("renewal at %ds: %v", step*10, err)
					}
				}
				if a.Remaining(cl) <= 0 {
					t.Fatalf("A believes its renewed lease ended at %ds", step*10)
				}
				// B, whose clock is right, must never get in while A holds.
				if _, err := b.Acquire(ctx, "batch"); !errors.Is(err, ErrHeld) {
					t.Fatalf("at %ds B took the batch while A holds it: %v", step*10, err)
				}
			}
			// A stops renewing (it died). Its own count-down ends before B
			// may take over: never two owners at once.
			var aStops, bEnters time.Duration
			for s := time.Duration(0); s < 5*time.Minute && bEnters == 0; s += time.Second {
				ca.Advance(time.Second)
				cb.Advance(time.Second)
				if aStops == 0 && a.Remaining(cl) <= 0 {
					aStops = s
				}
				if _, err := b.Acquire(ctx, "batch"); err == nil {
					bEnters = s
				}
			}
			if aStops == 0 || bEnters == 0 || aStops >= bEnters {
				t.Fatalf("A stops at %v, B enters at %v: A must stop first", aStops, bEnters)
			}
		})
	}
}

func TestClaimRecordsAreReadable(t *testing.T) {
	ctx := context.Background()
	st := mem.New()
	c := newClock()
	a := claimsFor(st, "host-1-abc", c)
	if _, err := a.Acquire(ctx, "batch-7"); err != nil {
		t.Fatal(err)
	}
	b, err := archive.ReadAll(ctx, st, "scheduler/claims/batch-7/0000000001")
	if err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	if rec["owner"] != "host-1-abc" || rec["expires"] != "2026-03-01T12:01:00Z" {
		t.Errorf("claim record: %s", b)
	}
	if _, err := a.Acquire(ctx, "../escape"); !errors.Is(err, archive.ErrBadKey) {
		t.Errorf("bad batch name: %v", err)
	}
}
