package pipeline

import (
	"context"
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/pades"
	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/clearpack/clearpack/renderers"
)

// PDFSigner embeds a signature in a rendered document; PAdES is one.
type PDFSigner interface {
	SignPDF(ctx context.Context, doc renderers.Document, sh *model.Shipment) ([]byte, error)
}

// PAdES signs every document with an X.509 certificate (archive/pades):
// B-B, or B-T with a time-stamp authority. Signer is the same key that
// makes the detached signatures.
type PAdES struct {
	Chain  []*x509.Certificate
	Signer pades.BlobSigner
	TSA    pades.Timestamper // nil for B-B
	// Clock is the claimed signing time; time.Now when nil.
	Clock func() time.Time
}

// SignPDF signs doc on its signature box (invisibly on page 1 when it has
// none), in the name of the shipment's declarant.
func (p *PAdES) SignPDF(ctx context.Context, doc renderers.Document, sh *model.Shipment) ([]byte, error) {
	now := time.Now
	if p.Clock != nil {
		now = p.Clock
	}
	o := pades.Options{
		Chain: p.Chain, Signer: p.Signer, TSA: p.TSA, Time: now(),
		Name:     sh.Declarant.Name,
		Reason:   fmt.Sprintf("%s of shipment %s, declared by %s, %s", doc.Kind, sh.ID, sh.Declarant.Name, sh.Declarant.Position),
		Location: lastPart(sh.Parties.Exporter.Address),
	}
	if b := doc.SignatureBox; b != nil {
		o.Box = &pades.Box{Page: b.Page, LLX: b.LowerLeftX, LLY: b.LowerLeftY, URX: b.UpperRight[0], URY: b.UpperRight[1]}
	}
	out, err := pades.Sign(ctx, doc.PDF, o)
	if err != nil {
		return nil, fmt.Errorf("signing %s: %w", doc.Name, err)
	}
	return out, nil
}

func lastPart(addr string) string {
	parts := strings.Split(addr, ",")
	return strings.TrimSpace(parts[len(parts)-1])
}

// signInside embeds the runner's signature in a freshly rendered document
// and notes its first revision for the manifest; without Runner.PDF the
// document is archived as rendered.
func (j *job) signInside(ctx context.Context, doc renderers.Document) ([]byte, error) {
	if j.r.PDF == nil {
		return doc.PDF, nil
	}
	signed, err := j.r.PDF.SignPDF(ctx, doc, j.in.sh)
	if err != nil {
		return nil, err
	}
	j.unsigned = append(j.unsigned, manifest.Revision{Name: doc.Name, Bytes: len(doc.PDF), SHA256: digest(doc.PDF)})
	return signed, nil
}

// carryUnsigned keeps a carried-over document's first revision as the
// version it comes from named it.
func (j *job) carryUnsigned(prev *manifest.Statement, name string) {
	for _, u := range prev.Predicate.Unsigned {
		if u.Name == name {
			j.unsigned = append(j.unsigned, u)
		}
	}
}

// Stamper gets RFC 3161 time-stamps; tsa.Client is one.
type Stamper interface {
	Stamp(ctx context.Context, data []byte) (tsr, token []byte, err error)
}

// stampManifest gets the time-stamp response for a manifest envelope
// (pack.Writer archives it before the manifest: a pack whose TSA failed
// stays incomplete and is redone by the next run).
func (r *Runner) stampManifest(ctx context.Context, env []byte) ([]byte, error) {
	tsr, _, err := r.TSA.Stamp(ctx, env)
	if err != nil {
		return nil, fmt.Errorf("time-stamping %s: %w", manifest.FileName, err)
	}
	return tsr, nil
}
