package signing

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"github.com/youmark/pkcs8"
)

// keyPBKDF2Iterations is the PBKDF2-HMAC-SHA256 work factor for encrypted
// private keys (OWASP 2023 recommendation for SHA-256).
const keyPBKDF2Iterations = 600_000

// PublicKeyPath is where Keygen writes the public key for a private key at
// path: "key.pem" gives "key.pub", anything else gets ".pub" appended.
func PublicKeyPath(path string) string {
	return strings.TrimSuffix(path, ".pem") + ".pub"
}

// Keygen creates an ECDSA P-256 key pair: the private key as PKCS#8 PEM at
// path (mode 0600; encrypted PKCS#8, PBES2 with PBKDF2-SHA256 and AES-256-CBC,
// when password is non-empty, which `openssl pkey` can read) and the public
// key as PEM at PublicKeyPath(path). It refuses to overwrite either file.
func Keygen(path string, password []byte) error {
	pubPath := PublicKeyPath(path)
	for _, p := range []string{path, pubPath} {
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("generating key: %s: %w", p, fs.ErrExist)
		}
	}
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("generating key: %w", err)
	}
	privPEM, err := encodePrivate(priv, password)
	if err != nil {
		return fmt.Errorf("generating key: %w", err)
	}
	pubPEM, err := cryptoutils.MarshalPublicKeyToPEM(priv.Public())
	if err != nil {
		return fmt.Errorf("generating key: %w", err)
	}
	if err := writeNew(path, privPEM, 0o600); err != nil {
		return fmt.Errorf("generating key: %w", err)
	}
	if err := writeNew(pubPath, pubPEM, 0o644); err != nil {
		// We created the private key file a moment ago; do not leave half a pair.
		os.Remove(path)
		return fmt.Errorf("generating key: %w", err)
	}
	return nil
}

func encodePrivate(priv crypto.PrivateKey, password []byte) ([]byte, error) {
	if len(password) == 0 {
		return cryptoutils.MarshalPrivateKeyToPEM(priv)
	}
	der, err := pkcs8.MarshalPrivateKey(priv, password, &pkcs8.Opts{
		Cipher: pkcs8.AES256CBC,
		KDFOpts: pkcs8.PBKDF2Opts{
			SaltSize:       16,
			IterationCount: keyPBKDF2Iterations,
			HMACHash:       crypto.SHA256,
		},
	})
	if err != nil {
		return nil, fmt.Errorf("encrypting private key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der}), nil
}

// writeNew creates path exclusively with perm and writes b, syncing it.
func writeNew(path string, b []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return errors.Join(err)
	}
	return nil
}
