// Package pipelinetest builds, for tests and benchmarks, the world a run
// needs: a signing key, an archive, the real renderers and country rules, an
// audit log and a pipeline.Runner over them, so that each test package does
// not assemble them by hand.
package pipelinetest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/mem"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/pipeline"
	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/rules"
	"github.com/clearpack/clearpack/renderers"
)

// World is what runs share: one archive, one signing key, the renderers and
// the built-in country rules.
type World struct {
	Store    archive.Store
	Signer   *signing.Signer
	Renderer *renderers.Renderer
	Rules    *rules.Book
}

// New builds a world on st (an in-memory archive when nil) with a new
// in-memory signing key.
func New(t testing.TB, st archive.Store) *World {
	t.Helper()
	if st == nil {
		st = mem.New()
	}
	rend, err := renderers.New()
	if err != nil {
		t.Fatal(err)
	}
	book, err := rules.Load("")
	if err != nil {
		t.Fatal(err)
	}
	return &World{Store: st, Signer: Key(t), Renderer: rend, Rules: book}
}

// On is the same world through another store: another client of the same
// archive, as a second instance would have.
func (w *World) On(st archive.Store) *World {
	c := *w
	c.Store = st
	return &c
}

// Key is a new ECDSA P-256 signing key, in memory.
func Key(t testing.TB) *signing.Signer {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := signing.FromKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Runner opens the archive's audit log with o (Name "test" when empty), as
// a new process would, and returns a Runner over the world acting as
// "test". The caller may set its other fields before running it.
func (w *World) Runner(t testing.TB, o auditlog.Options) *pipeline.Runner {
	t.Helper()
	if o.Name == "" {
		o.Name = "test"
	}
	l, err := auditlog.Open(context.Background(), w.Store, w.Signer, o)
	if err != nil {
		t.Fatal(err)
	}
	return &pipeline.Runner{Store: w.Store, Signer: w.Signer, Renderer: w.Renderer, Rules: w.Rules, Log: l, Actor: "test"}
}

// Run runs files through r and signs a checkpoint, as clearpack run does;
// an error from either fails the test.
func Run(t testing.TB, r *pipeline.Runner, files ingest.Files) *pipeline.Summary {
	t.Helper()
	ctx := context.Background()
	sum, err := r.Run(ctx, files, ingest.DefaultLimits())
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if _, err := r.Log.Checkpoint(ctx); err != nil {
		t.Fatalf("checkpoint: %v", err)
	}
	return sum
}

// Sample is the sample program (testdata/sample): 20 shipments, 19 of which
// archive and one (APL26-BR-03) is stopped at the desk.
func Sample() ingest.Files {
	dir := filepath.Join(root(), "testdata", "sample")
	return ingest.Files{
		Inventory:  filepath.Join(dir, "inventory.csv"),
		Plan:       filepath.Join(dir, "plan.yaml"),
		Clearances: filepath.Join(dir, "clearances.yaml"),
	}
}

// root is the repository's root, found from this file's place in it.
func root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}
