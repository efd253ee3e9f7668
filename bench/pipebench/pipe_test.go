// Package pipebench profiles the pipeline in process: a generated program run
// into a local archive, with and without rendering, so the pipeline's own
// overhead can be measured apart from maroto.
package pipebench

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/local"
	"github.com/clearpack/clearpack/bench/floor"
	"github.com/clearpack/clearpack/bench/gen"
	"github.com/clearpack/clearpack/pipeline"
	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/clearpack/clearpack/pipeline/pipelinetest"
	"github.com/clearpack/clearpack/renderers"
)

// cannedRenderer returns one fixed tiny PDF per kind, so a run measures
// everything but maroto.
type cannedRenderer struct{ *renderers.Renderer }

func (c cannedRenderer) Render(ctx context.Context, kind model.DocKind, p renderers.Pack) (renderers.Document, error) {
	return renderers.Document{Kind: kind, Name: string(kind) + ".pdf",
		PDF: []byte("%PDF-1.4 " + string(kind) + " " + p.Shipment.ID + "\n%%EOF\n")}, nil
}

// setup writes a generated program of about units units and builds the
// world its runs share (their archives are each run's own).
func setup(b testing.TB, units int) (ingest.Files, *pipelinetest.World) {
	b.Helper()
	dir := b.TempDir()
	s, err := gen.ReadSample(filepath.Join("..", "..", "testdata", "sample"))
	if err != nil {
		b.Fatal(err)
	}
	f, _, err := s.Write(dir, units)
	if err != nil {
		b.Fatal(err)
	}
	return ingest.Files{Inventory: f.Inventory, Plan: f.Plan, Clearances: f.Clearances}, pipelinetest.New(b, nil)
}

// runner is a run's Runner on st, as the bench has always run it: a fixed
// clock, the key kept as long as clearpack keeps it.
func runner(b testing.TB, w *pipelinetest.World, st archive.Store, rend pipeline.Renderer, workers int) *pipeline.Runner {
	b.Helper()
	r := w.On(st).Runner(b, auditlog.Options{Name: "bench", Retain: pipeline.KeyRetention})
	r.Renderer, r.Actor, r.Workers = rend, "bench", workers
	r.Clock = func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	return r
}

func benchRun(b *testing.B, render bool, workers int) { benchRunUnits(b, 1000, render, workers) }

func benchRunUnits(b *testing.B, units int, render bool, workers int) {
	files, w := setup(b, units)
	ctx := context.Background()
	var r pipeline.Renderer = w.Renderer
	if !render {
		r = cannedRenderer{w.Renderer}
	}
	defer reportCPU(b)()
	for b.Loop() {
		st, err := local.New(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		run := runner(b, w, st, r, workers)
		sum, err := run.Run(ctx, files, ingest.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		if n := sum.Count(pipeline.Archived); n != len(sum.Shipments) {
			b.Fatalf("%d of %d shipments archived", n, len(sum.Shipments))
		}
		if _, err := run.Log.Checkpoint(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRun1000 is clearpack run on 1,000 units into a local archive.
func BenchmarkRun1000(b *testing.B) { benchRun(b, true, 0) }

// BenchmarkRun1000OneWorkerPerCPU is the run with as many shipments in
// flight as CPUs (the default before renders were bounded separately).
func BenchmarkRun1000OneWorkerPerCPU(b *testing.B) { benchRun(b, true, runtime.GOMAXPROCS(0)) }

// BenchmarkRun1000NoRender is the same with a canned renderer: the
// pipeline's own overhead.
func BenchmarkRun1000NoRender(b *testing.B) { benchRun(b, false, 0) }

// BenchmarkRun10000NoRender is the pipeline's own overhead at 10,000 units:
// per document it should cost what it costs at 1,000.
func BenchmarkRun10000NoRender(b *testing.B) { benchRunUnits(b, 10000, false, 0) }

// BenchmarkFloor1000 renders the same documents with maroto alone, one
// worker per CPU, as bench's floor does.
func BenchmarkFloor1000(b *testing.B) { benchFloor(b, 1000) }

// BenchmarkFloor10000 is the floor at 10,000 units.
func BenchmarkFloor10000(b *testing.B) { benchFloor(b, 10000) }

func benchFloor(b *testing.B, units int) {
	files, w := setup(b, units)
	rend, book := w.Renderer, w.Rules
	ctx := context.Background()
	jobs, err := floor.Jobs(ctx, files, book)
	if err != nil {
		b.Fatal(err)
	}
	defer reportCPU(b)()
	for b.Loop() {
		if err := floor.Render(ctx, rend, jobs, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// reportCPU reports the process's CPU seconds per op: on a shared machine
// wall time includes waiting for a core.
func reportCPU(b *testing.B) func() {
	cpu0 := floor.CPUTime()
	return func() {
		b.ReportMetric((floor.CPUTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	}
}

// BenchmarkRun10000 is clearpack run on 10,000 units into a local archive.
func BenchmarkRun10000(b *testing.B) { benchRunUnits(b, 10000, true, 0) }
