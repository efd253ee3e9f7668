package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/local"
	"github.com/clearpack/clearpack/archive/s3"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/bench/floor"
	"github.com/clearpack/clearpack/bench/gen"
	"github.com/clearpack/clearpack/pipeline"
	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/rules"
	"github.com/clearpack/clearpack/renderers"
)

// measureFloor renders the program's documents with maroto alone (see
// package floor); then it times each other stage of the pipeline, one
// document at a time, on at most stageSample of the documents rendered.
func measureFloor(ctx context.Context, f gen.Files, keyPath string, srv *minioServer, st gen.Stats) (Floor, []Stage, error) {
	jobs, err := programJobs(ctx, f)
	if err != nil {
		return Floor{}, nil, err
	}
	rend, err := renderers.New()
	if err != nil {
		return Floor{}, nil, err
	}
	// The floor keeps what clearpack keeps: no document outlives its
	// turn. Holding every PDF (140 MB at 10,000 units, pointer-free) would
	// raise the garbage collector's target and make the floor's own
	// rendering cheaper than it is in any real program: at 10,000 units
	// the floor measured 61 CPU seconds holding them and 74 without.
	// A sample, spread evenly, is kept to time the other stages on.
	workers := runtime.NumCPU()
	every := max(1, (len(jobs)+stageSample-1)/stageSample)
	docs := make([][]byte, (len(jobs)+every-1)/every) // the sample
	var bytes atomic.Int64
	// The runtime settings clearpack runs with, so that the ratio is about
	// the work, not the collector's settings.
	defer debug.SetGCPercent(debug.SetGCPercent(pipeline.GCPercent))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(pipeline.MemoryLimit))
	runtime.GC() // the reading above is not the floor's garbage
	cpu0 := floor.CPUTime()
	start := time.Now()
	err = floor.Render(ctx, rend, jobs, func(i int, d renderers.Document) {
		bytes.Add(int64(len(d.PDF)))
		if i%every == 0 {
			docs[i/every] = d.PDF
		}
	})
	el := time.Since(start)
	cpu := floor.CPUTime() - cpu0
	if err != nil {
		return Floor{}, nil, err
	}
	fl := Floor{Units: st.Units, Documents: len(jobs), Seconds: el.Seconds(), CPUSeconds: cpu.Seconds(), DocsPerSec: float64(len(jobs)) / el.Seconds(),
		MeanKB: float64(bytes.Load()) / float64(len(jobs)) / 1024}

	perDoc := func(d time.Duration) float64 { return d.Seconds() * 1000 / float64(len(docs)) }
	stages := []Stage{{Units: st.Units, Stage: "render (maroto)", MsPerDoc: el.Seconds() * 1000 / float64(len(jobs)) * float64(workers)}}
	t := time.Now()
	for _, d := range docs {
		sha256.Sum256(d)
	}
	stages = append(stages, Stage{Units: st.Units, Stage: "hash (SHA-256)", MsPerDoc: perDoc(time.Since(t))})

	signer, err := signing.Load(ctx, signing.Options{KeyPath: keyPath})
	if err != nil {
		return fl, nil, err
	}
	t = time.Now()
	for _, d := range docs {
		if _, err := signer.SignBlob(ctx, d); err != nil {
			return fl, nil, err
		}
	}
	stages = append(stages, Stage{Units: st.Units, Stage: "sign (ECDSA P-256)", MsPerDoc: perDoc(time.Since(t))})

	put := func(name string, store archive.Store) error {
		t := time.Now()
		for i, d := range docs {
			key := fmt.Sprintf("stage/%d/%06d.pdf", st.Units, i)
			if err := archive.PutBytes(ctx, store, key, d, archive.PutOptions{ContentType: "application/pdf", RetainUntil: time.Now().Add(24 * time.Hour)}); err != nil {
				return fmt.Errorf("upload %s: %w", name, err)
			}
		}
		stages = append(stages, Stage{Units: st.Units, Stage: "upload " + name, MsPerDoc: perDoc(time.Since(t))})
		return nil
	}
	ls, err := local.New(fmt.Sprintf("%s-stage-archive", f.Inventory))
	if err != nil {
		return fl, nil, err
	}
	if err := put("(local, fsync)", ls); err != nil {
		return fl, nil, err
	}
	if srv != nil {
		spec, err := srv.bucket(ctx, fmt.Sprintf("stage-%d", st.Units))
		if err != nil {
			return fl, nil, err
		}
		cfg, err := s3.ParseURL(spec)
		if err != nil {
			return fl, nil, err
		}
		s3s, err := s3.New(ctx, cfg, credentials.NewStaticV4(srv.user, srv.pwd, ""))
		if err != nil {
			return fl, nil, err
		}
		if err := put("(MinIO)", s3s); err != nil {
			return fl, nil, err
		}
	}
	return fl, stages, nil
}

// stageSample is how many of the floor's documents, at most, the hashing,
// signing and upload stages are timed on.
const stageSample = 500

// programJobs is the documents of a generated program (package floor).
func programJobs(ctx context.Context, f gen.Files) ([]floor.Job, error) {
	book, err := rules.Load("")
	if err != nil {
		return nil, err
	}
	return floor.Jobs(ctx, ingest.Files{Inventory: f.Inventory, Plan: f.Plan, Clearances: f.Clearances}, book)
}
