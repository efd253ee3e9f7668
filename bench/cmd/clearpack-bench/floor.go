package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/local"
	"github.com/clearpack/clearpack/archive/s3"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/bench/gen"
	"github.com/clearpack/clearpack/pipeline"
	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/clearpack/clearpack/pipeline/rules"
	"github.com/clearpack/clearpack/renderers"
)

type job struct {
	kind model.DocKind
	pack *renderers.Pack
}

// packs reads a program and builds the Packs the pipeline would render (the
// reading and checking is not timed).
func packs(ctx context.Context, f gen.Files) ([]job, error) {
	b, err := ingest.Load(ctx, ingest.Files{Inventory: f.Inventory, Plan: f.Plan, Clearances: f.Clearances}, ingest.Limits{})
	if err != nil {
		return nil, err
	}
	book, err := rules.Load("")
	if err != nil {
		return nil, err
	}
	reps := map[string]rules.Report{}
	for _, r := range book.Check(rules.Input{Plan: b.Plan, Assets: b.Assets, Clearances: b.Clearances, Reported: b.Reported}) {
		reps[r.ShipmentID] = r
	}
	var jobs []job
	for i := range b.Plan.Shipments {
		sh := b.Plan.Shipments[i]
		rep := reps[sh.ID]
		p := &renderers.Pack{Program: b.Plan.Program, Shipment: sh, Clearance: b.Clearances[sh.ID],
			Version: 1, Lang: rep.Language, Checks: rep.Results}
		for _, tag := range sh.Assets {
			p.Assets = append(p.Assets, *b.Assets[tag])
		}
		for _, k := range rep.Documents {
			jobs = append(jobs, job{kind: k, pack: p})
		}
	}
	return jobs, nil
}

// floor renders the program's documents with maroto alone (clearpack's
// templates, no validation, signing or archive) in a pool of one goroutine
// per CPU, as the pipeline does; then it times each other stage of the
// pipeline, one document at a time, on at most stageSample of the documents
// rendered.
func floor(ctx context.Context, f gen.Files, keyPath string, srv *minioServer, st gen.Stats) (Floor, []Stage, error) {
	jobs, err := packs(ctx, f)
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
	sample := make([][]byte, (len(jobs)+every-1)/every)
	errs := make([]error, len(jobs))
	var bytes atomic.Int64
	// The runtime settings clearpack runs with, so that the ratio is about
	// the work, not the collector's settings.
	defer debug.SetGCPercent(debug.SetGCPercent(pipeline.GCPercent))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(pipeline.MemoryLimit))
	runtime.GC() // the reading above is not the floor's garbage
	cpu0 := processCPU()
	start := time.Now()
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				d, err := rend.Render(ctx, jobs[i].kind, *jobs[i].pack)
				errs[i] = err
				bytes.Add(int64(len(d.PDF)))
				if i%every == 0 {
					sample[i/every] = d.PDF
				}
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	el := time.Since(start)
	cpu := processCPU() - cpu0
	for i, err := range errs {
		if err != nil {
			return Floor{}, nil, fmt.Errorf("rendering %s of %s: %w", jobs[i].kind, jobs[i].pack.Shipment.ID, err)
		}
	}
	fl := Floor{Units: st.Units, Documents: len(jobs), Seconds: el.Seconds(), CPUSeconds: cpu.Seconds(), DocsPerSec: float64(len(jobs)) / el.Seconds(),
		MeanKB: float64(bytes.Load()) / float64(len(jobs)) / 1024}

	docs := sample
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

// processCPU is this process's CPU time so far (user+system).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
