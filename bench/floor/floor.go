// Package floor is the benchmarks' floor: the documents a program makes,
// rendered with maroto alone (clearpack's templates; no validation, signing
// or archive), in a pool of one worker per CPU as the pipeline renders.
// clearpack-bench and pipebench both measure against it.
package floor

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/clearpack/clearpack/pipeline/rules"
	"github.com/clearpack/clearpack/renderers"
)

// Job is one document to render.
type Job struct {
	Kind model.DocKind
	Pack *renderers.Pack
}

// Jobs reads a program and returns, in plan order, the documents the
// pipeline would render for it (the reading and checking is not the floor's
// work: callers time Render only).
func Jobs(ctx context.Context, files ingest.Files, book *rules.Book) ([]Job, error) {
	b, err := ingest.Load(ctx, files, ingest.Limits{})
	if err != nil {
		return nil, err
	}
	reps := map[string]rules.Report{}
	for _, r := range book.Check(rules.Input{Plan: b.Plan, Assets: b.Assets, Clearances: b.Clearances, Reported: b.Reported}) {
		reps[r.ShipmentID] = r
	}
	var jobs []Job
	for i := range b.Plan.Shipments {
		sh := b.Plan.Shipments[i]
		rep := reps[sh.ID]
		p := &renderers.Pack{Program: b.Plan.Program, Shipment: sh, Clearance: b.Clearances[sh.ID],
			Version: 1, Lang: rep.Language, Checks: rep.Results}
		for _, tag := range sh.Assets {
			p.Assets = append(p.Assets, *b.Assets[tag])
		}
		for _, k := range rep.Documents {
			jobs = append(jobs, Job{Kind: k, Pack: p})
		}
	}
	return jobs, nil
}

// Render renders every job with one worker per CPU and hands each document
// to each (called from the workers, concurrently) before dropping it: like
// clearpack, the floor keeps no document it is not asked to. The error names
// the first job that failed, in job order.
func Render(ctx context.Context, rend *renderers.Renderer, jobs []Job, each func(i int, d renderers.Document)) error {
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				d, err := rend.Render(ctx, jobs[i].Kind, *jobs[i].Pack)
				if errs[i] = err; err == nil && each != nil {
					each(i, d)
				}
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("rendering %s of %s: %w", jobs[i].Kind, jobs[i].Pack.Shipment.ID, err)
		}
	}
	return nil
}

// CPUTime is this process's CPU time so far (user+system): on a shared
// machine, steadier than wall time.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
