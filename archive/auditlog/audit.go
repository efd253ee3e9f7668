package auditlog

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/signing"
	"golang.org/x/mod/sumdb/note"
)

// ErrTampered: the stored log is not what was appended and checkpointed.
var ErrTampered = errors.New("audit log altered")

// TrustedVerifiers reads the checkpoint verifier keys under audit/keys and
// returns those signed by one of the trusted document keys. A key file whose
// signature does not verify with any trusted key is an error naming it.
func TrustedVerifiers(ctx context.Context, st archive.Store, trusted ...crypto.PublicKey) (note.Verifiers, []string, error) {
	var keys []string
	err := st.List(ctx, KeysPrefix, func(in archive.Info) error {
		if strings.HasSuffix(in.Key, ".vkey") {
			keys = append(keys, in.Key)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("reading checkpoint keys: %w", err)
	}
	var vs []note.Verifier
	var names []string
	for _, key := range keys {
		vkeyFile, err := archive.ReadAll(ctx, st, key)
		if err != nil {
			return nil, nil, fmt.Errorf("reading %s: %w", key, err)
		}
		sigFile, err := archive.ReadAll(ctx, st, key+".sig")
		if err != nil {
			return nil, nil, fmt.Errorf("reading %s.sig: %w", key, err)
		}
		der, err := signing.ParseCosignSig(sigFile)
		if err != nil {
			return nil, nil, fmt.Errorf("%s.sig: %w", key, err)
		}
		ok := false
		for _, pub := range trusted {
			if signing.VerifyBlob(pub, vkeyFile, der) == nil {
				ok = true
				break
			}
		}
		if !ok {
			return nil, nil, fmt.Errorf("%s: %w: not signed by a trusted key", key, signing.ErrBadSignature)
		}
		vkey := strings.TrimSpace(string(vkeyFile))
		v, err := note.NewVerifier(vkey)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", key, err)
		}
		vs = append(vs, v)
		names = append(names, vkey)
	}
	return note.VerifierList(vs...), names, nil
}

// State is a whole log as read and checked by Audit or a Follower. Its
// methods are safe for concurrent use.
type State struct {
	Origin  string
	Entries []Entry
	Raw     [][]byte // stored bytes of each entry
	Leaves  [][]byte
	// Latest is the largest stored checkpoint (Size 0 and no Note if none);
	// Checkpoints counts the stored checkpoints.
	Latest      Checkpoint
	LatestNote  []byte
	Checkpoints int

	idx *stateIndex
}

// stateIndex is what a State shares with the later, larger States of the
// same Follower: the tree's memoised hashes and the first entry of each
// (event, object). Both stay valid as entries are appended, so they are kept
// across Refresh calls; mu guards them.
type stateIndex struct {
	mu    sync.Mutex
	tree  *tree
	first map[string]uint64
}

func newState() *State {
	return &State{idx: &stateIndex{tree: newTree(nil), first: map[string]uint64{}}}
}

// Root is the root hash of the first size entries.
func (s *State) Root(size uint64) []byte {
	s.idx.mu.Lock()
	defer s.idx.mu.Unlock()
	return s.idx.tree.root(0, int(size))
}

// InclusionProof proves entry index in the tree of size.
func (s *State) InclusionProof(index, size uint64) [][]byte {
	s.idx.mu.Lock()
	defer s.idx.mu.Unlock()
	return s.idx.tree.inclusion(int(index), 0, int(size))
}

// ConsistencyProof proves the tree of size old is a prefix of that of new.
func (s *State) ConsistencyProof(old, new uint64) [][]byte {
	if old == 0 || old == new {
		return nil
	}
	s.idx.mu.Lock()
	defer s.idx.mu.Unlock()
	return s.idx.tree.consistency(int(old), int(new))
}

// First returns the index of the first entry of event about object.
func (s *State) First(event, object string) (uint64, bool) {
	s.idx.mu.Lock()
	i, ok := s.idx.first[recordKey(event, object, "")]
	s.idx.mu.Unlock()
	if !ok || i >= uint64(len(s.Entries)) {
		return 0, false
	}
	return i, true
}

// addEntry checks the stored bytes b of entry i (key EntryKey(i)) and
// appends it. On error s is unchanged.
func (s *State) addEntry(key string, b []byte) error {
	i := uint64(len(s.Entries))
	var e Entry
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return fmt.Errorf("%w: %s is not a log entry: %v", ErrTampered, key, err)
	}
	if e.Index != i {
		return fmt.Errorf("%w: %s holds entry index %d: entries reordered or replaced", ErrTampered, key, e.Index)
	}
	s.Entries = append(s.Entries, e)
	s.Raw = append(s.Raw, b)
	s.Leaves = append(s.Leaves, LeafHash(b))
	s.idx.mu.Lock()
	s.idx.tree.leaves = s.Leaves
	if k := recordKey(e.Event, e.Object, ""); e.Object != "" {
		if _, ok := s.idx.first[k]; !ok {
			s.idx.first[k] = i
		}
	}
	s.idx.mu.Unlock()
	return nil
}

// addCheckpoint checks the checkpoint note msg stored under key against the
// entries read so far and makes it the latest. Checkpoints must be added in
// key order. On error s is unchanged.
func (s *State) addCheckpoint(key string, msg []byte, known note.Verifiers) error {
	cp, err := ParseCheckpoint(msg, known)
	if err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	if CheckpointKey(cp.Size) != key {
		return fmt.Errorf("%w: %s holds a checkpoint of size %d", ErrTampered, key, cp.Size)
	}
	if s.Origin != "" && cp.Origin != s.Origin {
		return fmt.Errorf("%w: %s is for log %q, earlier checkpoints for %q", ErrCheckpoint, key, cp.Origin, s.Origin)
	}
	if cp.Size > uint64(len(s.Entries)) {
		return fmt.Errorf("%w: log truncated: %s covers %d entries but only %d exist (%s is missing)",
			ErrTampered, key, cp.Size, len(s.Entries), EntryKey(uint64(len(s.Entries))))
	}
	if !bytes.Equal(s.Root(cp.Size), cp.Root) {
		return fmt.Errorf("%w: %s does not match the stored entries: one of %s .. %s was altered, removed or reordered",
			ErrTampered, key, EntryKey(s.Latest.Size), EntryKey(cp.Size-1))
	}
	s.Origin = cp.Origin
	s.Latest, s.LatestNote = cp, msg
	s.Checkpoints++
	return nil
}

// listCheckpoints returns the keys under CheckpointsPrefix after the key
// after ("" for all), in key (so size) order.
func listCheckpoints(ctx context.Context, st archive.Store, after string) ([]string, error) {
	var cps []string
	err := st.List(ctx, CheckpointsPrefix, func(in archive.Info) error {
		if in.Key > after {
			cps = append(cps, in.Key)
		}
		return nil
	})
	return cps, err
}

// Audit reads the whole log and checks it: entries are numbered 0..n-1 with
// no gap, each holds its own index, and every stored checkpoint verifies with
// known, names one origin, and matches the root of the entries it covers.
// Errors match ErrTampered or ErrCheckpoint and name the object.
func Audit(ctx context.Context, st archive.Store, known note.Verifiers) (*State, error) {
	// Checkpoints are listed first: each covers only entries stored before
	// it, so entries appended meanwhile cannot make it look truncated.
	cps, err := listCheckpoints(ctx, st, "")
	if err != nil {
		return nil, fmt.Errorf("auditing log: %w", err)
	}
	var keys []string
	err = st.List(ctx, EntriesPrefix, func(in archive.Info) error {
		keys = append(keys, in.Key)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("auditing log: %w", err)
	}
	s := newState()
	for i, key := range keys {
		if want := EntryKey(uint64(i)); key != want {
			if n, ok := entryIndex(key); ok && n > uint64(i) {
				return nil, fmt.Errorf("%w: %s is missing (entries after it exist, up to %s)", ErrTampered, want, keys[len(keys)-1])
			}
			return nil, fmt.Errorf("%w: unexpected object %s in the log", ErrTampered, key)
		}
		b, err := archive.ReadAll(ctx, st, key)
		if err != nil {
			return nil, fmt.Errorf("auditing log: reading %s: %w", key, err)
		}
		if err := s.addEntry(key, b); err != nil {
			return nil, err
		}
	}
	for _, key := range cps {
		msg, err := archive.ReadAll(ctx, st, key)
		if err != nil {
			return nil, fmt.Errorf("auditing log: reading %s: %w", key, err)
		}
		if err := s.addCheckpoint(key, msg, known); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func entryIndex(key string) (uint64, bool) {
	name, ok := strings.CutPrefix(key, EntriesPrefix)
	if !ok {
		return 0, false
	}
	name, ok = strings.CutSuffix(name, ".json")
	if !ok || len(name) != 20 {
		return 0, false
	}
	n, err := strconv.ParseUint(name, 10, 64)
	return n, err == nil
}
