// Package signing loads clearpack's signing key and produces detached
// signatures that standard tools verify.
//
// The document key is ECDSA P-256; every signature is ASN.1 DER ECDSA over
// SHA-256 of the signed bytes, which is what `openssl dgst -sha256 -verify`
// checks and, base64-encoded (CosignSig), what `cosign verify-blob --key`
// checks. The key comes from a PEM file (plain or password-encrypted, the
// password from an environment variable or a file, never a flag) or from a KMS
// by URI (awskms://..., hashivault://...) through sigstore's providers.
//
// Private key material is never formatted into errors or output: errors name
// the file or the environment variable, not their contents.
//
// The audit log's checkpoints are signed notes (golang.org/x/mod/sumdb/note),
// whose standard verifiers only know Ed25519. The Signer therefore also holds
// a checkpoint key: for a PEM document key it is derived deterministically from
// the private key (so no second secret needs managing), for a KMS key it is
// read from Options.CheckpointKeyPath. See CheckpointSigner.
package signing

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"github.com/sigstore/sigstore/pkg/signature"
	"github.com/sigstore/sigstore/pkg/signature/kms"
	"github.com/sigstore/sigstore/pkg/signature/options"

	// KMS providers register themselves with kms.Get by URI scheme.
	_ "github.com/sigstore/sigstore/pkg/signature/kms/aws"
	_ "github.com/sigstore/sigstore/pkg/signature/kms/hashivault"
)

// Options says where the signing key is. Exactly one of KeyPath and KMSURI
// must be set.
type Options struct {
	// KeyPath is a PEM private key file (PKCS#8, SEC 1, encrypted PKCS#8, or
	// a sigstore/cosign encrypted key).
	KeyPath string
	// PasswordEnv names the environment variable holding the key's password.
	PasswordEnv string
	// PasswordFile is a file holding the key's password (one trailing newline
	// is ignored).
	PasswordFile string
	// KMSURI is a sigstore KMS reference: awskms://..., hashivault://...
	KMSURI string
	// CheckpointKeyPath is an Ed25519 PEM private key (PKCS#8, e.g. from
	// `openssl genpkey -algorithm ed25519`) used to sign audit-log
	// checkpoints. Optional with KeyPath (the checkpoint key is then derived
	// from the document key); needed with KMSURI for checkpoints.
	CheckpointKeyPath string
}

// Signer signs documents with the loaded key.
type Signer struct {
	sv      signature.SignerVerifier
	pub     *ecdsa.PublicKey
	pubPEM  []byte
	keyID   string
	source  string              // "file /path" or the KMS URI, for messages
	cpKey   ed25519.PrivateKey  // nil when no checkpoint key is available
	cpError error               // why cpKey is nil
	chain   []*x509.Certificate // from a PKCS#12 key file, signer first; nil otherwise
}

// ErrPassword reports a missing or wrong password for an encrypted key.
var ErrPassword = errors.New("key password missing or wrong")

// Load loads the signing key described by o.
func Load(ctx context.Context, o Options) (*Signer, error) {
	switch {
	case o.KeyPath != "" && o.KMSURI != "":
		return nil, errors.New("loading signing key: set either a key file or a KMS URI, not both")
	case o.KeyPath != "":
		return loadFile(o)
	case o.KMSURI != "":
		return loadKMS(ctx, o)
	default:
		return nil, errors.New("loading signing key: no key file or KMS URI given")
	}
}

func password(o Options) ([]byte, error) {
	switch {
	case o.PasswordEnv != "" && o.PasswordFile != "":
		return nil, errors.New("set either a password environment variable or a password file, not both")
	case o.PasswordEnv != "":
		v, ok := os.LookupEnv(o.PasswordEnv)
		if !ok || v == "" {
			return nil, fmt.Errorf("%w: environment variable %s is not set", ErrPassword, o.PasswordEnv)
		}
		return []byte(v), nil
	case o.PasswordFile != "":
		b, err := os.ReadFile(o.PasswordFile)
		if err != nil {
			return nil, fmt.Errorf("reading password file: %w", err)
		}
		b = bytes.TrimSuffix(b, []byte("\n"))
		b = bytes.TrimSuffix(b, []byte("\r"))
		if len(b) == 0 {
			return nil, fmt.Errorf("%w: password file %s is empty", ErrPassword, o.PasswordFile)
		}
		return b, nil
	}
	return nil, nil
}

// passFunc returns the password, or an error naming where to put one when the
// key turns out to be encrypted.
func passFunc(pw []byte, what string) cryptoutils.PassFunc {
	return func(bool) ([]byte, error) {
		if pw == nil {
			return nil, fmt.Errorf("%w: %s is encrypted: give its password through an environment variable or a password file", ErrPassword, what)
		}
		return pw, nil
	}
}

func readPrivateKey(path string, pw []byte) (crypto.PrivateKey, error) {
	pemBytes, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	priv, err := cryptoutils.UnmarshalPEMToPrivateKey(pemBytes, passFunc(pw, path))
	if err != nil {
		if errors.Is(err, ErrPassword) {
			return nil, err
		}
		if pw != nil && isDecryptError(err) {
			return nil, fmt.Errorf("%w: cannot decrypt %s", ErrPassword, path)
		}
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	return priv, nil
}

func isDecryptError(err error) bool {
	s := err.Error()
	return strings.Contains(s, "decrypt") || strings.Contains(s, "incorrect password") ||
		strings.Contains(s, "pkcs8")
}

func loadFile(o Options) (*Signer, error) {
	pw, err := password(o)
	if err != nil {
		return nil, fmt.Errorf("loading signing key %s: %w", o.KeyPath, err)
	}
	var priv crypto.PrivateKey
	var chain []*x509.Certificate
	if isPKCS12(o.KeyPath) {
		priv, chain, err = readPKCS12(o.KeyPath, pw)
	} else {
		priv, err = readPrivateKey(o.KeyPath, pw)
	}
	if err != nil {
		return nil, fmt.Errorf("loading signing key %s: %w", o.KeyPath, err)
	}
	ec, ok := priv.(*ecdsa.PrivateKey)
	if !ok || ec.Curve != elliptic.P256() {
		return nil, fmt.Errorf("loading signing key %s: want an ECDSA P-256 key, got %s", o.KeyPath, keyKind(priv))
	}
	if o.CheckpointKeyPath == "" {
		s, err := fromKey(ec, "file "+o.KeyPath)
		if s != nil {
			s.chain = chain
		}
		return s, err
	}
	s, err := newKeySigner(ec, "file "+o.KeyPath)
	if err != nil {
		return nil, err
	}
	s.chain = chain
	if err := s.loadCheckpointKey(o.CheckpointKeyPath, pw); err != nil {
		return nil, err
	}
	return s, nil
}

// FromKey is a Signer for a key already in memory (tests, tools that make
// their own key), with its checkpoint key derived from it as Load does for a
// key file.
func FromKey(key *ecdsa.PrivateKey) (*Signer, error) {
	switch {
	case key == nil:
		return nil, errors.New("signing key in memory: no key")
	case key.Curve != elliptic.P256():
		return nil, fmt.Errorf("signing key in memory: want an ECDSA P-256 key, got %s", keyKind(key))
	}
	return fromKey(key, "key in memory")
}

func fromKey(ec *ecdsa.PrivateKey, source string) (*Signer, error) {
	s, err := newKeySigner(ec, source)
	if err != nil {
		return nil, err
	}
	if err := s.deriveCheckpointKey(ec); err != nil {
		return nil, err
	}
	return s, nil
}

func newKeySigner(ec *ecdsa.PrivateKey, source string) (*Signer, error) {
	sv, err := signature.LoadSignerVerifier(ec, crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("loading signing key %s: %w", strings.TrimPrefix(source, "file "), err)
	}
	return newSigner(sv, &ec.PublicKey, source)
}

func loadKMS(ctx context.Context, o Options) (*Signer, error) {
	sv, err := kms.Get(ctx, o.KMSURI, crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("loading KMS key %s: %w", o.KMSURI, err)
	}
	pub, err := sv.PublicKey(options.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("loading KMS public key %s: %w", o.KMSURI, err)
	}
	ec, ok := pub.(*ecdsa.PublicKey)
	if !ok || ec.Curve != elliptic.P256() {
		return nil, fmt.Errorf("loading KMS key %s: want an ECDSA P-256 key, got %s", o.KMSURI, keyKind(pub))
	}
	s, err := newSigner(sv, ec, o.KMSURI)
	if err != nil {
		return nil, err
	}
	if o.CheckpointKeyPath != "" {
		pw, err := password(o)
		if err != nil {
			return nil, fmt.Errorf("loading checkpoint key %s: %w", o.CheckpointKeyPath, err)
		}
		if err := s.loadCheckpointKey(o.CheckpointKeyPath, pw); err != nil {
			return nil, err
		}
	} else {
		s.cpError = errors.New("a KMS signing key needs a checkpoint key file (Ed25519 PEM) to sign audit-log checkpoints")
	}
	return s, nil
}

func newSigner(sv signature.SignerVerifier, pub *ecdsa.PublicKey, source string) (*Signer, error) {
	pubPEM, err := cryptoutils.MarshalPublicKeyToPEM(pub)
	if err != nil {
		return nil, fmt.Errorf("encoding public key of %s: %w", source, err)
	}
	id, err := KeyIDOf(pub)
	if err != nil {
		return nil, fmt.Errorf("encoding public key of %s: %w", source, err)
	}
	return &Signer{sv: sv, pub: pub, pubPEM: pubPEM, keyID: id, source: source}, nil
}

func keyKind(k any) string {
	switch k := k.(type) {
	case *ecdsa.PrivateKey:
		return "ECDSA " + k.Curve.Params().Name
	case *ecdsa.PublicKey:
		return "ECDSA " + k.Curve.Params().Name
	case nil:
		return "no key"
	}
	return fmt.Sprintf("%T", k)
}

// SignBlob returns the ASN.1 DER ECDSA signature over SHA-256(data).
func (s *Signer) SignBlob(ctx context.Context, data []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	sig, err := s.sv.SignMessage(bytes.NewReader(data), options.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("signing with %s: %w", s.source, err)
	}
	// A signature that does not verify must never be written to an archive.
	if err := VerifyBlob(s.pub, data, sig); err != nil {
		return nil, fmt.Errorf("signing with %s: produced signature does not verify: %w", s.source, err)
	}
	return sig, nil
}

// PublicKeyPEM is the PEM "PUBLIC KEY" (SubjectPublicKeyInfo) of the signer.
func (s *Signer) PublicKeyPEM() []byte { return bytes.Clone(s.pubPEM) }

// PublicKey is the signer's public key.
func (s *Signer) PublicKey() crypto.PublicKey { return s.pub }

// KeyID is the hex SHA-256 of the DER SubjectPublicKeyInfo of the public key:
// `openssl pkey -pubin -in pub.pem -outform DER | sha256sum` prints it.
func (s *Signer) KeyID() string { return s.keyID }

// String names the key without revealing it.
func (s *Signer) String() string { return "signing key " + s.keyID[:16] + " (" + s.source + ")" }

// KeyIDOf computes the key id of a public key (see Signer.KeyID).
func KeyIDOf(pub crypto.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:]), nil
}

// ParsePublicKeyPEM parses a PEM public key and requires ECDSA P-256.
func ParsePublicKeyPEM(b []byte) (*ecdsa.PublicKey, error) {
	pub, err := cryptoutils.UnmarshalPEMToPublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("parsing public key: %w", err)
	}
	ec, ok := pub.(*ecdsa.PublicKey)
	if !ok || ec.Curve != elliptic.P256() {
		return nil, fmt.Errorf("parsing public key: want ECDSA P-256, got %s", keyKind(pub))
	}
	return ec, nil
}

// ErrBadSignature: a signature does not verify with the given key.
var ErrBadSignature = errors.New("signature does not verify")

// VerifyBlob checks a DER ECDSA signature over SHA-256(data).
func VerifyBlob(pub crypto.PublicKey, data, der []byte) error {
	ec, ok := pub.(*ecdsa.PublicKey)
	if !ok {
		return fmt.Errorf("%w: want an ECDSA public key, got %s", ErrBadSignature, keyKind(pub))
	}
	sum := sha256.Sum256(data)
	if !ecdsa.VerifyASN1(ec, sum[:], der) {
		return ErrBadSignature
	}
	return nil
}

// CosignSig encodes a DER signature as the text of a cosign blob signature
// (.sig) file: standard base64, no newline.
func CosignSig(der []byte) []byte {
	return []byte(base64.StdEncoding.EncodeToString(der))
}

// ParseCosignSig decodes a .sig file written by CosignSig (or by cosign).
func ParseCosignSig(b []byte) ([]byte, error) {
	der, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("decoding signature: not base64: %w", err)
	}
	if len(der) == 0 {
		return nil, errors.New("decoding signature: empty")
	}
	return der, nil
}
