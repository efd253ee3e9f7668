package inbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/clearpack/clearpack/archive"
)

// ClaimsPrefix is where claims live in the archive.
const ClaimsPrefix = "scheduler/claims/"

// Claims hands each batch to one instance at a time, with leases, using only
// the archive's create-only Put (the archive contract has no overwrite and
// no delete):
//
//	scheduler/claims/<batch key>/<generation, 10 digits>   {owner, expires, ...}
//	scheduler/claims/<batch key>/done                      {owner, outcome, report}
//
// Taking a batch writes generation n+1, where n is the latest; of two
// instances racing for n+1 exactly one wins. Its owner renews the lease by
// writing n+2, n+3, ... while it works. Anyone may write the next generation
// once the latest is released or its expiry (plus Skew) has passed: a
// takeover of a dead instance's batch. A holder that finds its next
// generation taken has lost the lease and must stop. Once "done" exists the
// batch is never taken again. An instance takes a claim of its own Owner
// name back at once (a restart after a crash): Owner must therefore be
// unique among the instances running at one time.
//
// Clocks. Instances compare a lease's expiry with their own wall clock, so
// their clocks must agree within Skew (NTP keeps them within milliseconds;
// the default Skew is 10 s). A holder computes the expiry it writes from
// the wall clock only when it takes the batch; renewals advance it by the
// monotonic time elapsed since the previous write, and the holder counts its
// lease down on the monotonic clock too. A holder's wall clock that jumps
// backwards (or forwards) after that therefore neither shortens the expiry
// others see nor lengthens the time the holder believes it holds the batch.
type Claims struct {
	Store archive.Store
	// Owner names this instance in claims and logs (host, pid, random).
	Owner string
	// Lease is how long a claim holds without renewal; 2 minutes when zero.
	Lease time.Duration
	// Skew is the clock difference tolerated between instances; 10 s when
	// zero. Takeover waits for expiry + Skew; a holder stops Skew before
	// its lease ends when it could not renew.
	Skew time.Duration
	// Clock is the wall clock (time.Now when nil).
	Clock func() time.Time
	// Mono reads a monotonic clock as a duration since any fixed origin;
	// when nil, time elapsed since the first call (Go's monotonic clock).
	Mono func() time.Duration

	monoOnce  sync.Once
	monoStart time.Time
}

// DefaultLease and DefaultSkew are Claims' defaults.
const (
	DefaultLease = 2 * time.Minute
	DefaultSkew  = 10 * time.Second
)

var (
	// ErrHeld: another instance holds the batch's lease.
	ErrHeld = errors.New("batch is claimed by another instance")
	// ErrDone: the batch was processed already.
	ErrDone = errors.New("batch already processed")
	// ErrLost: another instance took the batch over; stop working on it.
	ErrLost = errors.New("claim lost to another instance")
)

// claimRecord is one stored generation.
type claimRecord struct {
	Batch      string    `json:"batch"`
	Generation int       `json:"generation"`
	Owner      string    `json:"owner"`
	Written    time.Time `json:"written"`
	Expires    time.Time `json:"expires"`
	Released   bool      `json:"released,omitempty"`
	TakenFrom  string    `json:"taken_from,omitempty"`
}

// DoneRecord is the final record of a processed batch.
type DoneRecord struct {
	Batch   string    `json:"batch"`
	Owner   string    `json:"owner"`
	Outcome Outcome   `json:"outcome"`
	Report  string    `json:"report,omitempty"` // archive key of the run report
	Time    time.Time `json:"time"`
}

// Claim is a lease this instance holds.
type Claim struct {
	Batch   string
	Gen     int
	Owner   string
	Expires time.Time // as written in the archive
	// TookOver names the previous owner when the batch was taken from an
	// instance whose lease had expired.
	TookOver string

	mono time.Duration // monotonic reading when Gen was written
}

// HeldError says who holds a batch.
type HeldError struct {
	Owner   string
	Expires time.Time
}

func (e *HeldError) Error() string {
	if e.Owner == "" {
		return ErrHeld.Error()
	}
	return fmt.Sprintf("%s: %s until %s", ErrHeld, e.Owner, e.Expires.UTC().Format(time.RFC3339))
}
func (e *HeldError) Unwrap() error { return ErrHeld }

func (c *Claims) lease() time.Duration {
	if c.Lease > 0 {
		return c.Lease
	}
	return DefaultLease
}

func (c *Claims) skew() time.Duration {
	if c.Skew > 0 {
		return c.Skew
	}
	return DefaultSkew
}

func (c *Claims) now() time.Time {
	if c.Clock != nil {
		return c.Clock().UTC()
	}
	return time.Now().UTC()
}

func (c *Claims) mono() time.Duration {
	if c.Mono != nil {
		return c.Mono()
	}
	c.monoOnce.Do(func() { c.monoStart = time.Now() })
	return time.Since(c.monoStart)
}

func genKey(batch string, n int) string {
	return fmt.Sprintf("%s%s/%010d", ClaimsPrefix, batch, n)
}

func doneKey(batch string) string { return ClaimsPrefix + batch + "/done" }

// latest returns the highest generation of a batch (0 when none) and
// whether the batch is done.
func (c *Claims) latest(ctx context.Context, batch string) (int, bool, error) {
	n, done := 0, false
	err := c.Store.List(ctx, ClaimsPrefix+batch+"/", func(in archive.Info) error {
		name := in.Key[strings.LastIndex(in.Key, "/")+1:]
		if name == "done" {
			done = true
			return nil
		}
		if g, err := strconv.Atoi(name); err == nil && g > n {
			n = g
		}
		return nil
	})
	return n, done, err
}

func (c *Claims) read(ctx context.Context, key string, v any) error {
	b, err := archive.ReadAll(ctx, c.Store, key)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("reading %s: %w", key, err)
	}
	return nil
}

func (c *Claims) write(ctx context.Context, key string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return archive.PutBytes(ctx, c.Store, key, b, archive.PutOptions{ContentType: "application/json"})
}

// Acquire takes the batch: it returns ErrDone when it was processed, a
// HeldError (matching ErrHeld) when another instance's lease is live or
// another instance won the race for it.
func (c *Claims) Acquire(ctx context.Context, batch string) (*Claim, error) {
	if err := archive.ValidSegment(batch); err != nil {
		return nil, fmt.Errorf("claiming %q: %w: %v", batch, archive.ErrBadKey, err)
	}
	n, done, err := c.latest(ctx, batch)
	if err != nil {
		return nil, fmt.Errorf("claiming %s: %w", batch, err)
	}
	if done {
		return nil, fmt.Errorf("claiming %s: %w", batch, ErrDone)
	}
	now := c.now()
	var took string
	if n > 0 {
		var prev claimRecord
		if err := c.read(ctx, genKey(batch, n), &prev); err != nil {
			return nil, fmt.Errorf("claiming %s: %w", batch, err)
		}
		// A claim of our own name is from an earlier life of this instance
		// (restarted after a crash or a hard stop): take it back at once.
		if !prev.Released && prev.Owner != c.Owner {
			if now.Before(prev.Expires.Add(c.skew())) {
				return nil, &HeldError{Owner: prev.Owner, Expires: prev.Expires}
			}
			took = prev.Owner
		}
	}
	mono := c.mono()
	rec := claimRecord{Batch: batch, Generation: n + 1, Owner: c.Owner, Written: now, Expires: now.Add(c.lease()), TakenFrom: took}
	if err := c.write(ctx, genKey(batch, n+1), rec); err != nil {
		if errors.Is(err, archive.ErrExists) {
			return nil, &HeldError{} // lost the race for n+1
		}
		return nil, fmt.Errorf("claiming %s: %w", batch, err)
	}
	return &Claim{Batch: batch, Gen: n + 1, Owner: c.Owner, Expires: rec.Expires, TookOver: took, mono: mono}, nil
}

// Renew extends the lease by writing the next generation. Its expiry is the
// previous one advanced by the monotonic time elapsed since it was written.
// ErrLost means another instance wrote that generation: stop at once.
func (c *Claims) Renew(ctx context.Context, cl *Claim) error {
	mono := c.mono()
	elapsed := mono - cl.mono
	if elapsed < 0 {
		elapsed = 0
	}
	rec := claimRecord{Batch: cl.Batch, Generation: cl.Gen + 1, Owner: c.Owner, Written: c.now(), Expires: cl.Expires.Add(elapsed)}
	if err := c.write(ctx, genKey(cl.Batch, cl.Gen+1), rec); err != nil {
		if errors.Is(err, archive.ErrExists) {
			return fmt.Errorf("renewing the claim on %s: %w", cl.Batch, ErrLost)
		}
		return fmt.Errorf("renewing the claim on %s: %w", cl.Batch, err)
	}
	cl.Gen, cl.Expires, cl.mono = cl.Gen+1, rec.Expires, mono
	return nil
}

// Remaining is how long this instance may keep working on the batch
// without renewing: the lease less Skew, counted on the monotonic clock
// from the last write. Zero or less: stop.
func (c *Claims) Remaining(cl *Claim) time.Duration {
	return c.lease() - c.skew() - (c.mono() - cl.mono)
}

// Release gives the batch up (unfinished) so that any instance may take it
// at once. A release that finds the lease already taken over is not an
// error.
func (c *Claims) Release(ctx context.Context, cl *Claim) error {
	rec := claimRecord{Batch: cl.Batch, Generation: cl.Gen + 1, Owner: c.Owner, Written: c.now(), Expires: c.now(), Released: true}
	err := c.write(ctx, genKey(cl.Batch, cl.Gen+1), rec)
	if err != nil && !errors.Is(err, archive.ErrExists) {
		return fmt.Errorf("releasing the claim on %s: %w", cl.Batch, err)
	}
	if err == nil {
		cl.Gen++
	}
	return nil
}

// Finish records that the batch was processed; it is never taken again.
func (c *Claims) Finish(ctx context.Context, cl *Claim, o Outcome, reportKey string) error {
	rec := DoneRecord{Batch: cl.Batch, Owner: c.Owner, Outcome: o, Report: reportKey, Time: c.now()}
	if err := c.write(ctx, doneKey(cl.Batch), rec); err != nil {
		return fmt.Errorf("recording %s as processed: %w", cl.Batch, err)
	}
	return nil
}

// Done reads the final record of a processed batch (archive.ErrNotFound
// when it is not done).
func (c *Claims) Done(ctx context.Context, batch string) (DoneRecord, error) {
	var rec DoneRecord
	err := c.read(ctx, doneKey(batch), &rec)
	return rec, err
}

// Keep renews cl every third of the lease until stop is called. When the
// lease is lost or runs out without a renewal, it calls lost (once), which
// should cancel the work. stop waits for the renewer to end.
func (c *Claims) Keep(ctx context.Context, cl *Claim, lost func(error)) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		every := c.lease() / 3
		t := time.NewTicker(every / 4)
		defer t.Stop()
		last := c.mono()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if c.mono()-last < every && c.Remaining(cl) > 0 {
				continue
			}
			err := c.Renew(ctx, cl)
			if err == nil {
				last = c.mono()
				continue
			}
			if ctx.Err() != nil {
				return
			}
			if errors.Is(err, ErrLost) || c.Remaining(cl) <= 0 {
				lost(err)
				return
			}
			// A transient failure: try again at the next tick while the
			// lease lasts.
		}
	}()
	return func() { cancel(); wg.Wait() }
}
