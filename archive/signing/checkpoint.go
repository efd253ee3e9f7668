package signing

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// checkpointKDFInfo separates the derived checkpoint key from any other use of
// the document key. Changing it changes every derived checkpoint key.
const checkpointKDFInfo = "clearpack checkpoint key ed25519 v1"

func (s *Signer) deriveCheckpointKey(ec *ecdsa.PrivateKey) error {
	der, err := x509.MarshalPKCS8PrivateKey(ec)
	if err != nil {
		return fmt.Errorf("deriving checkpoint key: %w", err)
	}
	seed, err := hkdf.Key(sha256.New, der, nil, checkpointKDFInfo, ed25519.SeedSize)
	if err != nil {
		return fmt.Errorf("deriving checkpoint key: %w", err)
	}
	s.cpKey = ed25519.NewKeyFromSeed(seed)
	return nil
}

func (s *Signer) loadCheckpointKey(path string, pw []byte) error {
	priv, err := readPrivateKey(path, pw)
	if err != nil {
		return fmt.Errorf("loading checkpoint key %s: %w", path, err)
	}
	ed, ok := priv.(ed25519.PrivateKey)
	if !ok {
		return fmt.Errorf("loading checkpoint key %s: want an Ed25519 key, got %s", path, keyKind(priv))
	}
	s.cpKey = ed
	return nil
}

// CheckpointVerifierKey is the note verifier key ("<name>+<hash>+<key>") of
// the checkpoint key under the given key name (the log origin). Auditors
// pass it to note.NewVerifier, or compare it with the one stored in the
// archive next to its signature by the document key.
func (s *Signer) CheckpointVerifierKey(name string) (string, error) {
	if s.cpKey == nil {
		return "", fmt.Errorf("checkpoint key: %w", s.cpError)
	}
	vkey, err := note.NewEd25519VerifierKey(name, s.cpKey.Public().(ed25519.PublicKey))
	if err != nil {
		return "", fmt.Errorf("checkpoint key %q: %w", name, err)
	}
	return vkey, nil
}

// CheckpointSigner returns a note signer named name (the log origin) with the
// checkpoint key. The checkpoint key is Ed25519 because that is the algorithm
// note verifiers (and C2SP tlog-checkpoint tooling) understand.
func (s *Signer) CheckpointSigner(name string) (note.Signer, error) {
	vkey, err := s.CheckpointVerifierKey(name)
	if err != nil {
		return nil, err
	}
	// vkey is name+hash+base64(alg||pub); the signer key reuses name and
	// hash. Names hold no '+', base64 may.
	_, rest, _ := strings.Cut(vkey, "+")
	hash, _, _ := strings.Cut(rest, "+")
	prefix := name + "+" + hash
	seed := s.cpKey.Seed()
	skey := "PRIVATE+KEY+" + prefix + "+" + base64.StdEncoding.EncodeToString(append([]byte{1}, seed...))
	ns, err := note.NewSigner(skey)
	if err != nil {
		return nil, fmt.Errorf("checkpoint key %q: %w", name, err)
	}
	return ns, nil
}
