package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/clearpack/clearpack/archive/signing"
)

type keygenOptions struct {
	out          string
	ifMissing    bool
	passwordEnv  string
	passwordFile string
	declarant    string
}

func newKeygenCmd() *command {
	o := &keygenOptions{}
	fs := pflag.NewFlagSet("keygen", pflag.ContinueOnError)
	fs.StringVar(&o.out, "out", "clearpack-key.pem", "where to write the private key (mode 0600); the public key goes beside it (.pub)")
	fs.BoolVar(&o.ifMissing, "if-missing", false, "do nothing, successfully, when the key file already exists")
	fs.StringVar(&o.passwordEnv, "password-env", "", "encrypt the key with the password in this environment variable")
	fs.StringVar(&o.passwordFile, "password-file", "", "encrypt the key with the password in this file")
	fs.StringVar(&o.declarant, "declarant", "clearpack development declarant", "name in the development certificate made for the key (.crt beside it, issued by a development CA, .ca.crt)")
	return &command{
		name:    "keygen",
		summary: "create an ECDSA P-256 signing key pair (PEM)",
		usage:   "[--out FILE] [--password-env NAME | --password-file FILE] [--if-missing]",
		flags:   fs,
		run: func(ctx context.Context, _ []string, out, errOut io.Writer) error {
			return runKeygen(ctx, o, out, errOut)
		},
	}
}

func runKeygen(ctx context.Context, o *keygenOptions, out, errOut io.Writer) error {
	if _, err := os.Stat(o.out); err == nil {
		if o.ifMissing {
			fmt.Fprintf(out, "signing key %s exists; public key %s\n", o.out, signing.PublicKeyPath(o.out))
			if err := printKeyID(out, signing.PublicKeyPath(o.out)); err != nil {
				return err
			}
			if _, err := os.Stat(certPath(o.out)); errors.Is(err, fs.ErrNotExist) {
				return devCertificate(o.out, signing.PublicKeyPath(o.out), o.declarant, out)
			}
			return nil
		}
		return errorf(ExitUsage, "%s exists; refusing to overwrite a signing key", o.out)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return withCode(ExitArchive, err)
	}
	var password []byte
	switch {
	case o.passwordEnv != "" && o.passwordFile != "":
		return errorf(ExitUsage, "--password-env and --password-file exclude each other")
	case o.passwordEnv != "":
		v, ok := os.LookupEnv(o.passwordEnv)
		if !ok || v == "" {
			return errorf(ExitUsage, "environment variable %s is not set", o.passwordEnv)
		}
		password = []byte(v)
	case o.passwordFile != "":
		b, err := os.ReadFile(o.passwordFile)
		if err != nil {
			return withCode(ExitUsage, err)
		}
		password = []byte(strings.TrimSuffix(string(b), "\n"))
		warnf(ctx, errOut, worldReadable("password file", o.passwordFile))
	}
	if err := os.MkdirAll(filepath.Dir(o.out), 0o700); err != nil {
		return withCode(ExitArchive, err)
	}
	if err := signing.Keygen(o.out, password); err != nil {
		return withCode(ExitArchive, err)
	}
	fmt.Fprintf(out, "wrote signing key %s (mode 0600) and public key %s\n", o.out, signing.PublicKeyPath(o.out))
	if err := printKeyID(out, signing.PublicKeyPath(o.out)); err != nil {
		return err
	}
	return devCertificate(o.out, signing.PublicKeyPath(o.out), o.declarant, out)
}

// printKeyID prints the key's fingerprint: the key id that manifests record
// and the archive files the key under (keys/<id>.pub), which auditors compare
// with the one the Importer of Record gave them.
func printKeyID(out io.Writer, pubPath string) error {
	b, err := os.ReadFile(pubPath)
	if err != nil {
		return withCode(ExitArchive, fmt.Errorf("reading the public key: %w", err))
	}
	pub, err := signing.ParsePublicKeyPEM(b)
	if err != nil {
		return withCode(ExitArchive, fmt.Errorf("public key %s: %w", pubPath, err))
	}
	id, err := signing.KeyIDOf(pub)
	if err != nil {
		return withCode(ExitArchive, err)
	}
	_, err = fmt.Fprintf(out, "key fingerprint (SHA-256 of the public key; openssl pkey -pubin -in %s -outform DER | sha256sum):\n  %s\n", pubPath, id)
	return err
}
