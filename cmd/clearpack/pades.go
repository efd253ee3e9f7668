package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/clearpack/clearpack/archive/pades"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/archive/tsa"
	"github.com/clearpack/clearpack/pipeline"
)

// certPath is where keygen puts the development certificate chain of a key
// file, and where run looks for one when --cert is not given.
func certPath(keyPath string) string { return strings.TrimSuffix(keyPath, ".pem") + ".crt" }

// caPath is where keygen puts the development CA certificate alone: what an
// auditor or an officer's viewer is told to trust for development packs.
func caPath(keyPath string) string { return strings.TrimSuffix(keyPath, ".pem") + ".ca.crt" }

// pdfSigner loads the certificate chain for embedded PDF signatures and
// checks it against the signing key now: an expired, not yet valid or
// wrong-usage certificate, or one for another key, stops the run before
// anything is signed (ExitArchive). Without a chain it returns nil: the
// documents then carry only their detached signatures, and it says so.
func (k *keyFlags) pdfSigner(s *signing.Signer, errOut io.Writer) (*pipeline.PAdES, error) {
	path := k.cert
	if path == "" && k.path != "" {
		if _, err := os.Stat(certPath(k.path)); err == nil {
			path = certPath(k.path)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, withCode(ExitArchive, err)
		}
	}
	chain := s.Chain() // from a PKCS#12 key file
	if path == "" && chain == nil {
		fmt.Fprintln(errOut, "clearpack: no signing certificate (--cert): documents carry detached signatures only, no embedded (PAdES) signature")
		return nil, nil
	}
	if path != "" {
		var err error
		if chain, err = pades.ReadChainPEM(path); err != nil {
			return nil, withCode(ExitArchive, err)
		}
	} else {
		path = k.path
	}
	if err := pades.CheckChain(chain, s.PublicKey(), time.Now()); err != nil {
		return nil, withCode(ExitArchive, fmt.Errorf("%s: %w", path, err))
	}
	return &pipeline.PAdES{Chain: chain, Signer: s}, nil
}

// devCertificate makes the development CA and declarant certificate for the
// key whose public key is at pubPath.
func devCertificate(keyPath, pubPath, declarant string, out io.Writer) error {
	pemBytes, err := os.ReadFile(pubPath)
	if err != nil {
		return withCode(ExitArchive, err)
	}
	pub, err := signing.ParsePublicKeyPEM(pemBytes)
	if err != nil {
		return withCode(ExitArchive, fmt.Errorf("%s: %w", pubPath, err))
	}
	chain, ca, err := pades.DevCA(pub, declarant, time.Now(), 2*365*24*time.Hour)
	if err != nil {
		return withCode(ExitArchive, err)
	}
	for _, f := range []struct {
		path string
		b    []byte
	}{{certPath(keyPath), chain}, {caPath(keyPath), ca}} {
		if err := writeNew(f.path, f.b); err != nil {
			return withCode(ExitArchive, err)
		}
	}
	fmt.Fprintf(out, "wrote development certificate %s (issued by the development CA in %s; for testing only)\n", certPath(keyPath), caPath(keyPath))
	return nil
}

func writeNew(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// timestamper returns the time-stamp authority client for --tsa, after one
// time-stamp proved it answers properly: a TSA that is down or answers
// garbage stops the run before anything is signed (ExitArchive). nil
// without --tsa.
func (k *keyFlags) timestamper(ctx context.Context) (*tsa.Client, error) {
	if k.tsa == "" {
		return nil, nil
	}
	c := &tsa.Client{URL: k.tsa}
	if _, _, err := c.Stamp(ctx, []byte("clearpack: checking the time-stamp authority")); err != nil {
		return nil, withCode(ExitArchive, err)
	}
	return c, nil
}

// readCertPool reads trusted certificates from a PEM file. Every
// certificate in it is a root of trust: give the authority's root (and no
// more) when its chain is in the time-stamps.
func readCertPool(path string) (*x509.CertPool, error) {
	certs, err := pades.ReadChainPEM(path)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	for _, c := range certs {
		pool.AddCert(c)
	}
	return pool, nil
}
