package auditlog

import (
	"bytes"
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/signing"
	"golang.org/x/mod/sumdb/note"
)

// Every entry is signed by its writer's document key (a run's, or the
// auditor web server's for download events): Entry.KeyID names the key and
// Entry.Sig is the base64 DER ECDSA signature over SignedEntryBytes. The
// signed bytes name the log's origin and the entry's index, so an entry
// copied from another archive, or moved within this one, does not verify.
// Anyone with write access to the archive can add an object under
// audit/entries/, but not one that verifies with a trusted key.

// entryDomain starts the bytes an entry signature covers.
const entryDomain = "clearpack-audit-entry/1\n"

// ErrUnverifiedEntry: an entry is unsigned, signed by an unknown key, or its
// signature does not cover its content.
var ErrUnverifiedEntry = errors.New("audit-log entry does not verify")

// SignedEntryBytes is what an entry's signature covers: a domain line, the
// log origin, and the entry's JSON without its signature.
func SignedEntryBytes(origin string, e Entry) ([]byte, error) {
	e.Sig = ""
	b, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	return append([]byte(entryDomain+origin+"\n"), b...), nil
}

// signEntry sets e's KeyID and Sig with s.
func signEntry(ctx context.Context, s *signing.Signer, origin string, e *Entry) error {
	e.KeyID = s.KeyID()
	msg, err := SignedEntryBytes(origin, *e)
	if err != nil {
		return err
	}
	der, err := s.SignBlob(ctx, msg)
	if err != nil {
		return fmt.Errorf("signing entry %d: %w", e.Index, err)
	}
	e.Sig = base64.StdEncoding.EncodeToString(der)
	return nil
}

// VerifyEntry checks the stored bytes raw of an entry of the log origin:
// a well-formed entry in the exact form Append writes, signed by one of
// trusted. It returns the entry and the id of the key that signed it.
// Errors match ErrUnverifiedEntry.
func VerifyEntry(origin string, raw []byte, trusted ...crypto.PublicKey) (Entry, string, error) {
	var e Entry
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return e, "", fmt.Errorf("%w: not a log entry: %v", ErrUnverifiedEntry, err)
	}
	if e.Sig == "" {
		return e, "", fmt.Errorf("%w: unsigned (every entry is signed by its writer)", ErrUnverifiedEntry)
	}
	canon, err := json.Marshal(e)
	if err != nil || !bytes.Equal(append(canon, '\n'), raw) {
		return e, "", fmt.Errorf("%w: not in the form clearpack writes (edited after signing?)", ErrUnverifiedEntry)
	}
	der, err := base64.StdEncoding.DecodeString(e.Sig)
	if err != nil {
		return e, "", fmt.Errorf("%w: signature is not base64", ErrUnverifiedEntry)
	}
	msg, err := SignedEntryBytes(origin, e)
	if err != nil {
		return e, "", fmt.Errorf("%w: %v", ErrUnverifiedEntry, err)
	}
	for _, pub := range trusted {
		id, err := signing.KeyIDOf(pub)
		if err != nil || id != e.KeyID {
			continue
		}
		if signing.VerifyBlob(pub, msg, der) == nil {
			return e, id, nil
		}
		return e, "", fmt.Errorf("%w: signature does not verify with key %s (forged or altered)", ErrUnverifiedEntry, id)
	}
	return e, "", fmt.Errorf("%w: signed by key %q, not a trusted key", ErrUnverifiedEntry, e.KeyID)
}

// vouchedSize returns how many leading entries of leaves a checkpoint
// signed by a known key covers with a matching root: those entries were checked by
// the writer that signed it. A stored checkpoint of v whose root differs
// from the entries is an error: the log was altered after it was signed.
func vouchedSize(ctx context.Context, st archive.Store, known note.Verifiers, leaves [][]byte) (uint64, error) {
	cps, err := listCheckpoints(ctx, st, "")
	if err != nil {
		return 0, err
	}
	for i := len(cps) - 1; i >= 0; i-- {
		msg, err := archive.ReadAll(ctx, st, cps[i])
		if err != nil {
			return 0, fmt.Errorf("reading %s: %w", cps[i], err)
		}
		cp, err := ParseCheckpoint(msg, known)
		if err != nil {
			continue // another key's checkpoint (or not one): not ours to vouch for
		}
		if cp.Size > uint64(len(leaves)) {
			return 0, fmt.Errorf("%w: log truncated: %s covers %d entries but only %d exist (%s is missing)",
				ErrTampered, cps[i], cp.Size, len(leaves), EntryKey(uint64(len(leaves))))
		}
		if !bytes.Equal(newTree(leaves).root(0, int(cp.Size)), cp.Root) {
			return 0, fmt.Errorf("%w: %s does not match the stored entries: an entry it covers was altered, removed or reordered", ErrTampered, cps[i])
		}
		return cp.Size, nil
	}
	return 0, nil
}
