// Package manifest builds and checks the signed manifest of a pack (all
// documents of one shipment version) and its SHA256SUMS file.
//
// The manifest is an in-toto v1 Statement (https://in-toto.io/Statement/v1)
// whose subjects are the pack's documents with their SHA-256 digests and whose
// predicate (type PredicateType) records where the pack came from. It is
// signed as a DSSE envelope with payload type PayloadType, so
// `cosign verify-blob-attestation --key pub.pem --type
// https://clearpack.dev/pack/v1 --signature manifest.intoto.json
// --insecure-ignore-tlog=true <document>` checks both the signature and that
// the document is a subject.
package manifest

import (
	"bytes"
	"context"
	"crypto"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/sigstore/sigstore/pkg/signature"
	"github.com/sigstore/sigstore/pkg/signature/dsse"
)

const (
	// StatementType is the in-toto v1 Statement type.
	StatementType = "https://in-toto.io/Statement/v1"
	// PredicateType identifies clearpack's pack predicate.
	PredicateType = "https://clearpack.dev/pack/v1"
	// PayloadType is the DSSE payload type of an in-toto Statement.
	PayloadType = "application/vnd.in-toto+json"
	// FileName is the manifest's name in a pack directory; SumsName the
	// checksum file's.
	FileName = "manifest.intoto.json"
	SumsName = "SHA256SUMS"
)

// Subject is a named file and its SHA-256 digest (lowercase hex). In JSON it
// is an in-toto ResourceDescriptor: {"name":..., "digest":{"sha256":...}}.
type Subject struct {
	Name   string
	SHA256 string
}

type resourceDescriptor struct {
	Name   string            `json:"name"`
	Digest map[string]string `json:"digest"`
}

// MarshalJSON writes the in-toto ResourceDescriptor form.
func (s Subject) MarshalJSON() ([]byte, error) {
	return json.Marshal(resourceDescriptor{Name: s.Name, Digest: map[string]string{"sha256": s.SHA256}})
}

// UnmarshalJSON reads the in-toto ResourceDescriptor form.
func (s *Subject) UnmarshalJSON(b []byte) error {
	var rd resourceDescriptor
	if err := json.Unmarshal(b, &rd); err != nil {
		return err
	}
	s.Name, s.SHA256 = rd.Name, rd.Digest["sha256"]
	return nil
}

// Clearance is what customs accepted, as recorded in a pack.
type Clearance struct {
	EntryNumber string `json:"entryNumber"`
	EntryDate   string `json:"entryDate,omitempty"`
	ReleaseDate string `json:"releaseDate,omitempty"`
	Port        string `json:"port,omitempty"`
	// Held says the shipment was held at the border before release.
	Held bool `json:"held,omitempty"`
}

// Amendment says how a version amends the one it supersedes.
type Amendment struct {
	// Reason is what changed: "transport" for a re-routing.
	Reason string `json:"reason"`
	// Reused are the documents carried over byte for byte from the
	// superseded version (their own version number stays on them).
	Reused []string `json:"reused,omitempty"`
	// ChecksFrom is the version whose compliance checks still hold and were
	// not run again.
	ChecksFrom int `json:"checksFrom,omitempty"`
}

// Predicate records where a pack came from.
type Predicate struct {
	// Program is the program slug, Shipment the shipment id, Version the
	// pack version (1, 2, ...).
	Program  string `json:"program"`
	Shipment string `json:"shipment"`
	Version  int    `json:"version"`
	// ProgramName is the program's name as the plan writes it. Two names
	// with one slug are one archive folder: a run refuses to supersede a
	// pack another program name made.
	ProgramName string `json:"programName,omitempty"`
	// Supersedes is the version this one replaces; 0 for the first.
	Supersedes int `json:"supersedes,omitempty"`
	// Inputs are the input files the pack was made from.
	Inputs []Subject `json:"inputs"`
	// InputDigest is the SHA-256 of the shipment's canonical input (its plan
	// entry, its assets, its clearance, the rules and template versions): the
	// pack's content address. A re-run with the same InputDigest archives
	// nothing new.
	InputDigest string `json:"inputDigest,omitempty"`
	// CoreDigest is the same digest with the shipment's transport left out:
	// two versions with equal CoreDigest differ only in their routing.
	CoreDigest string `json:"coreDigest,omitempty"`
	// Origin and Destination (ISO 3166 alpha-2) and Direction ("forward",
	// "return") of the shipment, so the archive alone can say where a
	// company has executed imports.
	Origin      string `json:"origin,omitempty"`
	Destination string `json:"destination,omitempty"`
	Direction   string `json:"direction,omitempty"`
	// Clearance summarises the customs clearance the pack records, if any.
	Clearance *Clearance `json:"clearance,omitempty"`
	// Amendment is set when this version amends the one it supersedes
	// without redoing it (a re-routing).
	Amendment       *Amendment `json:"amendment,omitempty"`
	RulesVersion    string     `json:"rulesVersion"`
	TemplateVersion string     `json:"templateVersion"`
	// KeyID is the signing key's id (signing.Signer.KeyID).
	KeyID string `json:"keyId"`
	// Created is the pack's date as taken from the inputs (RFC 3339), so that
	// the same inputs make the same manifest.
	Created string `json:"created"`
	// Generator names the program and its version ("clearpack v1.2.0").
	Generator string              `json:"generator,omitempty"`
	Checks    []model.CheckResult `json:"checks,omitempty"`
	// Unsigned names, for each document carrying an embedded (PAdES)
	// signature, its first revision: the document as rendered, before the
	// signature's incremental update. The same inputs render the same first
	// revision on any machine; the archived document starts with exactly
	// these Bytes bytes.
	Unsigned []Revision `json:"unsigned,omitempty"`
}

// Revision is the first revision of a signed document: its length and
// SHA-256 (the digest of the file's first Bytes bytes).
type Revision struct {
	Name   string `json:"name"`
	Bytes  int    `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// Statement is an in-toto v1 Statement with a clearpack pack predicate.
type Statement struct {
	Type          string    `json:"_type"`
	Subject       []Subject `json:"subject"`
	PredicateType string    `json:"predicateType"`
	Predicate     Predicate `json:"predicate"`
}

// Build returns the Statement JSON for a pack. Subjects are sorted by name so
// that equal packs give equal bytes.
func Build(subjects []Subject, p Predicate) ([]byte, error) {
	st := Statement{Type: StatementType, PredicateType: PredicateType, Predicate: p}
	st.Subject = append([]Subject(nil), subjects...)
	sort.Slice(st.Subject, func(i, j int) bool { return st.Subject[i].Name < st.Subject[j].Name })
	if err := st.check(); err != nil {
		return nil, fmt.Errorf("building manifest: %w", err)
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("building manifest: %w", err)
	}
	return append(b, '\n'), nil
}

func (st *Statement) check() error {
	if st.Type != StatementType {
		return fmt.Errorf("_type is %q, want %q", st.Type, StatementType)
	}
	if st.PredicateType != PredicateType {
		return fmt.Errorf("predicateType is %q, want %q", st.PredicateType, PredicateType)
	}
	if len(st.Subject) == 0 {
		return errors.New("subject: no documents")
	}
	seen := map[string]bool{}
	for i, s := range st.Subject {
		if err := checkSubject(s); err != nil {
			return fmt.Errorf("subject[%d]: %w", i, err)
		}
		if seen[s.Name] {
			return fmt.Errorf("subject[%d]: %s listed twice", i, s.Name)
		}
		seen[s.Name] = true
	}
	p := st.Predicate
	switch {
	case p.Program == "":
		return errors.New("predicate.program is empty")
	case p.Shipment == "":
		return errors.New("predicate.shipment is empty")
	case p.Version < 1:
		return fmt.Errorf("predicate.version is %d, want 1 or more", p.Version)
	case p.Supersedes < 0 || p.Supersedes >= p.Version:
		return fmt.Errorf("predicate.supersedes is %d, want 0 or a version below %d", p.Supersedes, p.Version)
	case len(p.KeyID) != 64:
		return fmt.Errorf("predicate.keyId %q is not a 64-digit hex key id", p.KeyID)
	}
	for _, seg := range []string{p.Program, p.Shipment} {
		if err := archive.ValidSegment(seg); err != nil {
			return fmt.Errorf("predicate: %q: %w", seg, err)
		}
	}
	for i, in := range p.Inputs {
		if in.Name == "" || !isSHA256(in.SHA256) {
			return fmt.Errorf("predicate.inputs[%d]: want a name and a 64-digit lowercase hex sha256, got %q %q", i, in.Name, in.SHA256)
		}
	}
	return nil
}

func checkSubject(s Subject) error {
	if err := archive.ValidSegment(s.Name); err != nil {
		return fmt.Errorf("name %q: %w", s.Name, err)
	}
	if !isSHA256(s.SHA256) {
		return fmt.Errorf("%s: digest %q is not a 64-digit lowercase hex sha256", s.Name, s.SHA256)
	}
	return nil
}

func isSHA256(h string) bool {
	if len(h) != 64 || strings.ToLower(h) != h {
		return false
	}
	_, err := hex.DecodeString(h)
	return err == nil
}

// ctxSigner adapts a signing.Signer to sigstore's signature.Signer, carrying
// the context the caller gave.
type ctxSigner struct {
	ctx context.Context
	s   *signing.Signer
}

func (c ctxSigner) PublicKey(...signature.PublicKeyOption) (crypto.PublicKey, error) {
	return c.s.PublicKey(), nil
}

func (c ctxSigner) SignMessage(r io.Reader, _ ...signature.SignOption) ([]byte, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return c.s.SignBlob(c.ctx, b)
}

// Sign wraps statement in a DSSE envelope signed by s. The envelope's
// signature has no keyid hint (DSSE verifiers in go-securesystemslib, and so
// sigstore and cosign, expect an SSH-style fingerprint there); the key id is
// in the signed predicate instead.
func Sign(ctx context.Context, s *signing.Signer, statement []byte) ([]byte, error) {
	var st Statement
	if err := json.Unmarshal(statement, &st); err != nil {
		return nil, fmt.Errorf("signing manifest: not a statement: %w", err)
	}
	if err := st.check(); err != nil {
		return nil, fmt.Errorf("signing manifest: %w", err)
	}
	if st.Predicate.KeyID != s.KeyID() {
		return nil, fmt.Errorf("signing manifest: predicate.keyId %s is not the signing key %s", st.Predicate.KeyID, s.KeyID())
	}
	env, err := dsse.WrapSigner(ctxSigner{ctx, s}, PayloadType).SignMessage(bytes.NewReader(statement))
	if err != nil {
		return nil, fmt.Errorf("signing manifest: %w", err)
	}
	return append(env, '\n'), nil
}

// ErrBadEnvelope: the envelope is malformed or its signature does not verify.
var ErrBadEnvelope = errors.New("manifest signature does not verify")

// Open verifies a DSSE envelope with pub and returns the Statement inside.
func Open(envelope []byte, pub crypto.PublicKey) (*Statement, error) {
	v, err := signature.LoadVerifier(pub, crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("opening manifest: %w", err)
	}
	var payload []byte
	dv := dsse.WrapVerifier(v, dsse.WithExpectedPayloadType(PayloadType), dsse.WithDecodedPayload(&payload))
	if err := dv.VerifySignature(bytes.NewReader(envelope), nil); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadEnvelope, err)
	}
	var st Statement
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return nil, fmt.Errorf("opening manifest: statement: %w", err)
	}
	if err := st.check(); err != nil {
		return nil, fmt.Errorf("opening manifest: %w", err)
	}
	return &st, nil
}
