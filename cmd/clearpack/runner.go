package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/clearpack/clearpack/pipeline"
	"github.com/clearpack/clearpack/pipeline/rules"
	"github.com/clearpack/clearpack/renderers"
	"github.com/spf13/pflag"
)

// renderFlags configure the documents (run, serve).
type renderFlags struct {
	verifyURL string
}

func (f *renderFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.verifyURL, "verify-url", "", "https URL the QR code on every page links to, followed by /SHIPMENT/Vn/KIND/SHA-256 of the attached JSON (default: no URL, the QR holds the identity and digest only); upper case keeps the code small")
}

func (f renderFlags) renderer() (*renderers.Renderer, error) {
	var opts []renderers.Option
	if f.verifyURL != "" {
		opts = append(opts, renderers.WithVerifyURL(f.verifyURL))
	}
	rend, err := renderers.New(opts...)
	if err != nil {
		return nil, withCode(ExitUsage, fmt.Errorf("--verify-url: %w", err))
	}
	return rend, nil
}

// newRunner is the one place a command assembles a pipeline.Runner: it
// completes r (whose Workers, Actor, StaleAfter and Logger the command has
// set) with the country rules, the renderers, the signing key, the archive
// and its audit log, in that order, each failure with its exit code.
func newRunner(ctx context.Context, a *archiveFlags, k *keyFlags, rf renderFlags, rulesDir string, r pipeline.Runner) (*pipeline.Runner, error) {
	book, err := rules.Load(rulesDir)
	if err != nil {
		return nil, withCode(ExitUsage, err)
	}
	rend, err := rf.renderer()
	if err != nil {
		return nil, err
	}
	signer, err := k.load(ctx)
	if err != nil {
		return nil, err
	}
	var notes strings.Builder
	pdfSigner, err := k.pdfSigner(signer, &notes)
	if err != nil {
		return nil, err
	}
	if notes.Len() > 0 && r.Logger != nil {
		r.Logger.Warn(strings.TrimSpace(strings.TrimPrefix(notes.String(), "clearpack: ")))
	}
	stamper, err := k.timestamper(ctx)
	if err != nil {
		return nil, err
	}
	st, err := a.open(ctx)
	if err != nil {
		return nil, err
	}
	alog, err := openStampedLog(ctx, st, signer, k, stamper, k.witnesses...)
	if err != nil {
		return nil, err
	}
	r.Store, r.Signer, r.Renderer, r.Rules, r.Log = st, signer, rend, book, alog
	if stamper != nil {
		r.TSA = stamper
		if pdfSigner != nil {
			pdfSigner.TSA = stamper
		}
	}
	if pdfSigner != nil {
		r.PDF = pdfSigner
	}
	return &r, nil
}
