package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditweb"
)

type tokenOptions struct {
	name string
}

func newTokenCmd() *command {
	o := &tokenOptions{}
	fs := pflag.NewFlagSet("token", pflag.ContinueOnError)
	fs.StringVar(&o.name, "name", "", "who the token is for (letters, digits, - _ .); recorded as the actor of their downloads (required)")
	return &command{
		name:    "token",
		summary: "make an auditor access token for the web interface: prints it once, and the line for the tokens file",
		usage:   "--name AUDITOR",
		flags:   fs,
		run: func(ctx context.Context, _ []string, out, _ io.Writer) error {
			return runToken(ctx, o, out)
		},
	}
}

func runToken(_ context.Context, o *tokenOptions, out io.Writer) error {
	if o.name == "" {
		return errorf(ExitUsage, "--name is required: the audit log names the holder of the token")
	}
	if err := archive.ValidSegment(o.name); err != nil {
		return errorf(ExitUsage, "--name %q: %v", o.name, err)
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return err
	}
	tok := "cpa_" + base64.RawURLEncoding.EncodeToString(raw[:])
	fmt.Fprintf(out, "Token for %s (shown once; give it to them over a private channel):\n\n  %s\n\nAdd this line to the server's tokens file (it holds only the hash):\n\n  %s\n", o.name, tok, auditweb.HashLine(tok, o.name))
	return nil
}
