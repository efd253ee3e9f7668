package pipebench

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/clearpack/clearpack/archive/local"
	"github.com/clearpack/clearpack/pipeline"
	"github.com/clearpack/clearpack/pipeline/ingest"
)

// BenchmarkShards runs a 1,000-unit program as N shards at once into one
// local archive, each shard with its own Runner and audit-log handle as
// separate processes would have, each signing a checkpoint at its end. On
// one machine the shards share its CPUs, so this measures what sharding
// costs (every shard reads and checks the whole plan) rather than what N
// machines gain: with N machines, the wall time is about that of
// BenchmarkShardFixedCost plus this benchmark's 1-shard time, less the
// fixed cost, over N.
func BenchmarkShards(b *testing.B) {
	files, w := setup(b, 1000)
	for _, n := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("shards=%d", n), func(b *testing.B) {
			ctx := context.Background()
			shipments := 0
			defer reportCPU(b)()
			for b.Loop() {
				st, err := local.New(b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				runners := make([]*pipeline.Runner, n)
				for i := range runners {
					runners[i] = runner(b, w, st, w.Renderer, 0)
				}
				sums := make([]*pipeline.Summary, n)
				errs := make([]error, n)
				var wg sync.WaitGroup
				for i, r := range runners {
					wg.Go(func() {
						sums[i], errs[i] = runShard(ctx, r, files, pipeline.Shard{Index: i, Count: n})
					})
				}
				wg.Wait()
				for i := range n {
					if errs[i] != nil {
						b.Fatalf("shard %d/%d: %v", i, n, errs[i])
					}
					if a := sums[i].Count(pipeline.Archived); a != len(sums[i].Shipments) {
						b.Fatalf("shard %d/%d archived %d of %d shipments", i, n, a, len(sums[i].Shipments))
					}
					shipments += len(sums[i].Shipments)
				}
			}
			b.ReportMetric(float64(shipments)/b.Elapsed().Seconds(), "shipments/s")
		})
	}
}

// BenchmarkShardFixedCost is what one shard pays whatever its share: reading
// and checking the whole plan, opening the log, signing the checkpoint. It
// runs a shard of 10,000 that holds none of the program's shipments.
func BenchmarkShardFixedCost(b *testing.B) {
	files, w := setup(b, 1000)
	ctx := context.Background()
	defer reportCPU(b)()
	for b.Loop() {
		st, err := local.New(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		sum, err := runShard(ctx, runner(b, w, st, w.Renderer, 0), files, pipeline.Shard{Index: 0, Count: pipeline.MaxShards})
		if err != nil {
			b.Fatal(err)
		}
		if len(sum.Shipments) > 1 {
			b.Fatalf("the empty shard holds %d shipments", len(sum.Shipments))
		}
	}
}

// runShard is `clearpack run --shard`: the whole plan read, the shard's
// share processed, a checkpoint signed.
func runShard(ctx context.Context, r *pipeline.Runner, files ingest.Files, s pipeline.Shard) (*pipeline.Summary, error) {
	batch, err := ingest.Load(ctx, files, ingest.Limits{})
	if err != nil {
		return nil, err
	}
	sum, err := r.RunBatch(ctx, batch, pipeline.RunOptions{Shard: s})
	if err != nil {
		return nil, err
	}
	_, err = r.Log.Checkpoint(ctx)
	return sum, err
}
