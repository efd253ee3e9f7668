package pack_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/mem"
	"github.com/clearpack/clearpack/archive/pack"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/pipeline/pipelinetest"
)

func read(t *testing.T, st archive.Store, key string) []byte {
	t.Helper()
	b, err := archive.ReadAll(context.Background(), st, key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWriter(t *testing.T) {
	ctx := context.Background()
	st, s := mem.New(), pipelinetest.Key(t)
	retain := time.Date(2031, 3, 1, 0, 0, 0, 0, time.UTC)
	v1 := pack.Ref{Program: "p", Shipment: "S-1", Version: 1}
	w, err := pack.Create(st, s, v1, retain)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"packing-list.pdf", "commercial-invoice.pdf"} {
		if _, err := w.Add(ctx, name, []byte("%PDF "+name)); err != nil {
			t.Fatal(err)
		}
	}
	// Until Finish, the version is incomplete.
	if h, _ := pack.Versions(ctx, st, v1.WithVersion(0)); !h.Incomplete() {
		t.Errorf("before Finish: %+v, want incomplete", h)
	}
	env, err := w.Finish(ctx, manifest.Predicate{Created: "2026-03-01"})
	if err != nil {
		t.Fatal(err)
	}
	if got := read(t, st, v1.ManifestKey()); string(got) != string(env) {
		t.Error("Finish returned other bytes than it archived")
	}
	stmt, err := manifest.Open(env, s.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	if p := stmt.Predicate; p.Program != "p" || p.Shipment != "S-1" || p.Version != 1 || p.KeyID != s.KeyID() {
		t.Errorf("predicate %+v", p)
	}
	sums, err := manifest.ParseSHA256SUMS(read(t, st, v1.Key(manifest.SumsName)))
	if err != nil {
		t.Fatal(err)
	}
	want := manifest.Subjects(map[string][]byte{
		"packing-list.pdf": []byte("%PDF packing-list.pdf"), "commercial-invoice.pdf": []byte("%PDF commercial-invoice.pdf"),
	})
	if !slices.Equal(sums, want) || !slices.Equal(stmt.Subject, want) {
		t.Errorf("SHA256SUMS %v, manifest %v; want %v", sums, stmt.Subject, want)
	}
	for _, name := range []string{"commercial-invoice.pdf", manifest.SumsName} {
		der, err := signing.ParseCosignSig(read(t, st, v1.Key(name+".sig")))
		if err != nil || signing.VerifyBlob(s.PublicKey(), read(t, st, v1.Key(name)), der) != nil {
			t.Errorf("%s.sig does not verify: %v", name, err)
		}
	}
	if in, err := st.Stat(ctx, v1.ManifestKey()); err != nil || !in.RetainUntil.Equal(retain) {
		t.Errorf("manifest retained until %v (%v), want %v", in.RetainUntil, err, retain)
	}
	if _, err := w.Add(ctx, "late.pdf", []byte("x")); err == nil {
		t.Error("Add after Finish: no error")
	}

	// v2 carries one document over and refuses one whose digest is not the manifest's.
	w2, err := pack.Create(st, s, v1.WithVersion(2), retain)
	if err != nil {
		t.Fatal(err)
	}
	d, err := w2.Carry(ctx, v1, "packing-list.pdf", want[1].SHA256)
	if err != nil || d.SHA256 != want[1].SHA256 {
		t.Fatalf("carry: %+v, %v", d, err)
	}
	if string(read(t, st, v1.WithVersion(2).Key("packing-list.pdf.sig"))) != string(read(t, st, v1.Key("packing-list.pdf.sig"))) {
		t.Error("a carried document's signature is not the original's")
	}
	if _, err := w2.Carry(ctx, v1, "commercial-invoice.pdf", want[1].SHA256); err == nil || !strings.Contains(err.Error(), "but the manifest says") {
		t.Errorf("carrying a document with the wrong digest: %v", err)
	}
	if _, err := w2.Add(ctx, "packing-list.pdf", []byte("again")); !errors.Is(err, archive.ErrExists) {
		t.Errorf("writing a name twice: %v, want ErrExists", err)
	}
	if _, err := pack.Create(st, s, v1.WithVersion(0), retain); err == nil {
		t.Error("Create of version 0: no error")
	}
	if _, err := pack.Create(st, s, pack.Ref{Program: "p", Shipment: "../x", Version: 1}, retain); err == nil {
		t.Error("Create with a shipment escaping its directory: no error")
	}
}

func TestPutRejection(t *testing.T) {
	ctx := context.Background()
	st, s := mem.New(), pipelinetest.Key(t)
	rj := &pack.Rejection{Program: "p", Shipment: "S-2", Destination: "BR", InputDigest: strings.Repeat("ab", 32), Reasons: []string{"no import licence"}}
	key, body, err := pack.PutRejection(ctx, st, s, rj, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if key != "programs/p/shipments/S-2/rejected/abababababababab/report.json" {
		t.Errorf("key %s", key)
	}
	got, err := pack.ParseRejection(read(t, st, key))
	if err != nil || got.Destination != "BR" || !slices.Equal(got.Reasons, rj.Reasons) || string(body) != string(read(t, st, key)) {
		t.Errorf("archived report %+v, %v", got, err)
	}
	der, err := signing.ParseCosignSig(read(t, st, key+".sig"))
	if err != nil || signing.VerifyBlob(s.PublicKey(), body, der) != nil {
		t.Errorf("report.json.sig does not verify: %v", err)
	}
	if k2, _, err := pack.PutRejection(ctx, st, s, rj, time.Time{}); !errors.Is(err, archive.ErrExists) || k2 != key {
		t.Errorf("the same rejection again: %s, %v; want %s and ErrExists", k2, err, key)
	}
	rj.Shipment = ".."
	if _, _, err := pack.PutRejection(ctx, st, s, rj, time.Time{}); err == nil {
		t.Error("a rejection with shipment '..' was archived")
	}
}
