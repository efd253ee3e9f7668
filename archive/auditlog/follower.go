package auditlog

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/clearpack/clearpack/archive"
	"golang.org/x/mod/sumdb/note"
)

// Follower reads a log incrementally for a long-running reader (the auditor
// web interface): each Refresh reads only the entries appended and the
// checkpoints stored since the previous one, and applies to them the checks
// Audit applies (entry index, strict entry JSON, checkpoint signature by a
// known key, one origin, checkpoint key naming its size, root equal to the
// tree of the entries it covers). It is safe for concurrent use.
//
// What it does not do, unlike Audit: re-read entries it has already checked
// (a Follower keeps the bytes it verified and serves those), or look for
// objects under EntriesPrefix beyond the first missing index. A checkpoint
// covering entries past a gap is still refused as a truncated log. Run Audit
// (clearpack verify) for the whole-archive check.
type Follower struct {
	st archive.Store

	mu     sync.Mutex
	s      *State
	lastCP string // key of the latest checkpoint checked
}

// NewFollower returns a Follower of the log in st that has read nothing yet.
func NewFollower(st archive.Store) *Follower {
	return &Follower{st: st, s: newState()}
}

// Refresh reads what was appended since the last Refresh and returns the
// log as checked so far. Checkpoints are verified with known (the caller
// passes the current TrustedVerifiers, so a key published later is honoured
// for checkpoints read later). Errors match ErrTampered or ErrCheckpoint and
// name the object, as Audit's; what failed is read and checked again by the
// next Refresh, so a refused object keeps being refused. The returned State
// is a snapshot: later Refresh calls do not change it.
func (f *Follower) Refresh(ctx context.Context, known note.Verifiers) (*State, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	// Checkpoints first, as in Audit: each covers only entries stored
	// before it, so reading entries afterwards finds all it covers.
	cps, err := listCheckpoints(ctx, f.st, f.lastCP)
	if err != nil {
		return nil, fmt.Errorf("following log: %w", err)
	}
	for {
		key := EntryKey(uint64(len(f.s.Entries)))
		b, err := archive.ReadAll(ctx, f.st, key)
		if errors.Is(err, archive.ErrNotFound) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("following log: reading %s: %w", key, err)
		}
		if err := f.s.addEntry(key, b); err != nil {
			return nil, err
		}
	}
	for _, key := range cps {
		msg, err := archive.ReadAll(ctx, f.st, key)
		if err != nil {
			return nil, fmt.Errorf("following log: reading %s: %w", key, err)
		}
		if err := f.s.addCheckpoint(key, msg, known); err != nil {
			return nil, err
		}
		f.lastCP = key
	}
	return f.s.snapshot(), nil
}

// snapshot is a copy of s that appends to s do not change: its slices are
// capped at their length and the shared index answers only below it.
func (s *State) snapshot() *State {
	c := *s
	n := len(s.Entries)
	c.Entries, c.Raw, c.Leaves = s.Entries[:n:n], s.Raw[:n:n], s.Leaves[:n:n]
	return &c
}
