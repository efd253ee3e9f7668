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

// State is a whole log as read and checked by Audit.
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

	tree *tree
}

// Root is the root hash of the first size entries.
func (s *State) Root(size uint64) []byte { return s.tree.root(0, int(size)) }

// InclusionProof proves entry index in the tree of size.
func (s *State) InclusionProof(index, size uint64) [][]byte {
	return s.tree.inclusion(int(index), 0, int(size))
}

// ConsistencyProof proves the tree of size old is a prefix of that of new.
func (s *State) ConsistencyProof(old, new uint64) [][]byte {
	if old == 0 || old == new {
		return nil
	}
	return s.tree.consistency(int(old), int(new))
}

// Audit reads the whole log and checks it: entries are numbered 0..n-1 with
// no gap, each holds its own index, and every stored checkpoint verifies with
// known, names one origin, and matches the root of the entries it covers.
// Errors match ErrTampered or ErrCheckpoint and name the object.
func Audit(ctx context.Context, st archive.Store, known note.Verifiers) (*State, error) {
	var keys []string
	err := st.List(ctx, EntriesPrefix, func(in archive.Info) error {
		keys = append(keys, in.Key)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("auditing log: %w", err)
	}
	s := &State{}
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
		var e Entry
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("%w: %s is not a log entry: %v", ErrTampered, key, err)
		}
		if e.Index != uint64(i) {
			return nil, fmt.Errorf("%w: %s holds entry index %d: entries reordered or replaced", ErrTampered, key, e.Index)
		}
		s.Entries = append(s.Entries, e)
		s.Raw = append(s.Raw, b)
		s.Leaves = append(s.Leaves, LeafHash(b))
	}

	s.tree = newTree(s.Leaves)
	var cps []string
	if err := st.List(ctx, CheckpointsPrefix, func(in archive.Info) error {
		cps = append(cps, in.Key)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("auditing log: %w", err)
	}
	var prev uint64 // size of the last checkpoint that matched
	for _, key := range cps {
		msg, err := archive.ReadAll(ctx, st, key)
		if err != nil {
			return nil, fmt.Errorf("auditing log: reading %s: %w", key, err)
		}
		cp, err := ParseCheckpoint(msg, known)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		if CheckpointKey(cp.Size) != key {
			return nil, fmt.Errorf("%w: %s holds a checkpoint of size %d", ErrTampered, key, cp.Size)
		}
		if s.Origin == "" {
			s.Origin = cp.Origin
		} else if cp.Origin != s.Origin {
			return nil, fmt.Errorf("%w: %s is for log %q, earlier checkpoints for %q", ErrCheckpoint, key, cp.Origin, s.Origin)
		}
		if cp.Size > uint64(len(s.Entries)) {
			return nil, fmt.Errorf("%w: log truncated: %s covers %d entries but only %d exist (%s is missing)",
				ErrTampered, key, cp.Size, len(s.Entries), EntryKey(uint64(len(s.Entries))))
		}
		if !bytes.Equal(s.Root(cp.Size), cp.Root) {
			return nil, fmt.Errorf("%w: %s does not match the stored entries: one of %s .. %s was altered, removed or reordered",
				ErrTampered, key, EntryKey(prev), EntryKey(cp.Size-1))
		}
		prev = cp.Size
		s.Latest, s.LatestNote = cp, msg
		s.Checkpoints++
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
