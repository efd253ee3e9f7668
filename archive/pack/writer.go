package pack

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/signing"
)

// Document names a document written into a pack.
type Document struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Bytes  int    `json:"bytes"`
}

// Writer writes one pack version: Create, then Add or Carry every document,
// then Finish, which writes SHA256SUMS and, last, the signed manifest that
// makes the pack complete. Every object is written create-only and locked
// until the retention date given to Create. A Writer keeps the digests of
// what it wrote, not the documents. It is not safe for concurrent use.
type Writer struct {
	st      archive.Store
	signer  *signing.Signer
	ref     Ref
	retain  time.Time
	docs    []Document
	written bool
	// Timestamp, when set, gets an RFC 3161 time-stamp response for the
	// manifest envelope; Finish archives it as TimestampName before the
	// manifest, so a pack is never complete without it.
	Timestamp func(ctx context.Context, env []byte) ([]byte, error)
}

// TimestampName is the manifest's time-stamp response in a pack.
const TimestampName = manifest.FileName + ".tsr"

// Create starts writing pack version ref (Version 1 or more). Nothing is
// written until the first Add or Carry.
func Create(st archive.Store, signer *signing.Signer, ref Ref, retainUntil time.Time) (*Writer, error) {
	if err := ref.Valid(); err != nil {
		return nil, err
	}
	if ref.Version < 1 {
		return nil, fmt.Errorf("writing %s: a pack version is 1 or more", ref)
	}
	return &Writer{st: st, signer: signer, ref: ref, retain: retainUntil}, nil
}

// Ref is the pack version being written.
func (w *Writer) Ref() Ref { return w.ref }

// Documents are the documents written so far, in order.
func (w *Writer) Documents() []Document { return w.docs }

func (w *Writer) put(ctx context.Context, name string, b []byte, contentType string) error {
	err := archive.PutBytes(ctx, w.st, w.ref.Key(name), b, archive.PutOptions{ContentType: contentType, RetainUntil: w.retain})
	if err != nil {
		return fmt.Errorf("archiving %s: %w", name, err)
	}
	return nil
}

// Add signs a document and archives it with its detached signature.
func (w *Writer) Add(ctx context.Context, name string, pdf []byte) (Document, error) {
	der, err := w.signer.SignBlob(ctx, pdf)
	if err != nil {
		return Document{}, fmt.Errorf("signing %s: %w", name, err)
	}
	return w.store(ctx, name, pdf, signing.CosignSig(der))
}

// Carry copies a document and its signature from an earlier version of the
// same shipment as they are, after checking the document is the one whose
// digest (from that version's signed manifest) is want.
func (w *Writer) Carry(ctx context.Context, from Ref, name, want string) (Document, error) {
	src := from.Key(name)
	pdf, err := archive.ReadAll(ctx, w.st, src)
	if err != nil {
		return Document{}, fmt.Errorf("carrying over %s: %w", src, err)
	}
	if got := manifest.Digest(pdf); got != want {
		return Document{}, fmt.Errorf("carrying over %s: its sha256 is %s, but the manifest says %s", src, got, want)
	}
	sig, err := archive.ReadAll(ctx, w.st, src+".sig")
	if err != nil {
		return Document{}, fmt.Errorf("carrying over %s.sig: %w", src, err)
	}
	return w.store(ctx, name, pdf, sig)
}

func (w *Writer) store(ctx context.Context, name string, pdf, sig []byte) (Document, error) {
	if w.written {
		return Document{}, fmt.Errorf("archiving %s: %s is finished", name, w.ref)
	}
	if err := archive.ValidSegment(name); err != nil {
		return Document{}, fmt.Errorf("archiving %q: %w", name, err)
	}
	if err := w.put(ctx, name, pdf, "application/pdf"); err != nil {
		return Document{}, err
	}
	if err := w.put(ctx, name+".sig", sig, "text/plain"); err != nil {
		return Document{}, err
	}
	d := Document{Name: name, SHA256: manifest.Digest(pdf), Bytes: len(pdf)}
	w.docs = append(w.docs, d)
	return d, nil
}

// Subjects are the documents written so far as manifest subjects.
func (w *Writer) Subjects() []manifest.Subject {
	out := make([]manifest.Subject, len(w.docs))
	for i, d := range w.docs {
		out[i] = manifest.Subject{Name: d.Name, SHA256: d.SHA256}
	}
	return out
}

// Finish writes SHA256SUMS and its signature, then the manifest: a DSSE
// envelope over an in-toto statement of every document written, with pred
// as its predicate (its Program, Shipment, Version and KeyID are the
// writer's). It returns the envelope as archived.
func (w *Writer) Finish(ctx context.Context, pred manifest.Predicate) ([]byte, error) {
	if w.written {
		return nil, fmt.Errorf("finishing %s: already finished", w.ref)
	}
	if len(w.docs) == 0 {
		return nil, fmt.Errorf("finishing %s: no documents", w.ref)
	}
	subjects := w.Subjects()
	sums := manifest.SumsOf(subjects)
	sig, err := w.signer.SignBlob(ctx, sums)
	if err != nil {
		return nil, fmt.Errorf("signing %s: %w", manifest.SumsName, err)
	}
	if err := w.put(ctx, manifest.SumsName, sums, "text/plain"); err != nil {
		return nil, err
	}
	if err := w.put(ctx, manifest.SumsName+".sig", signing.CosignSig(sig), "text/plain"); err != nil {
		return nil, err
	}
	pred.Program, pred.Shipment, pred.Version, pred.KeyID = w.ref.Program, w.ref.Shipment, w.ref.Version, w.signer.KeyID()
	stmt, err := manifest.Build(subjects, pred)
	if err != nil {
		return nil, err
	}
	env, err := manifest.Sign(ctx, w.signer, stmt)
	if err != nil {
		return nil, err
	}
	if w.Timestamp != nil {
		tsr, err := w.Timestamp(ctx, env)
		if err != nil {
			return nil, err
		}
		if err := w.put(ctx, TimestampName, tsr, "application/timestamp-reply"); err != nil {
			return nil, err
		}
	}
	if err := w.put(ctx, manifest.FileName, env, "application/json"); err != nil {
		return nil, err
	}
	w.written = true
	return env, nil
}

// PutRejection archives a shipment's signed rejection report in the
// directory its input digest names: the signature first, the report last,
// so that a report present is complete. It returns the report's key and
// bytes; the error matches archive.ErrExists when the same report is
// already archived (the same input rejected again), and the key and bytes
// are still returned then.
func PutRejection(ctx context.Context, st archive.Store, signer *signing.Signer, rj *Rejection, retainUntil time.Time) (string, []byte, error) {
	ref := Ref{Program: rj.Program, Shipment: rj.Shipment}
	if err := ref.Valid(); err != nil {
		return "", nil, fmt.Errorf("the failure report is not archived: %w", err)
	}
	key := ref.RejectionPrefix(RejectionID(rj.InputDigest)) + RejectionName
	body, err := rj.Marshal()
	if err != nil {
		return "", nil, err
	}
	sig, err := signer.SignBlob(ctx, body)
	if err != nil {
		return "", nil, fmt.Errorf("signing the failure report: %w", err)
	}
	opts := archive.PutOptions{ContentType: "text/plain", RetainUntil: retainUntil}
	if err := archive.PutBytes(ctx, st, key+".sig", signing.CosignSig(sig), opts); err != nil && !errors.Is(err, archive.ErrExists) {
		return "", nil, fmt.Errorf("archiving the failure report: %w", err)
	}
	opts.ContentType = "application/json"
	if err := archive.PutBytes(ctx, st, key, body, opts); err != nil {
		if errors.Is(err, archive.ErrExists) {
			return key, body, err
		}
		return "", nil, fmt.Errorf("archiving the failure report: %w", err)
	}
	return key, body, nil
}
