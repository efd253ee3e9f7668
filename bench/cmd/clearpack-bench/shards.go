package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/clearpack/clearpack/bench/gen"
	"github.com/clearpack/clearpack/pipeline"
)

// Shards is one program run as N shards at once (`clearpack run --shard
// I/N`, N processes) into one local archive, verified after.
type Shards struct {
	Units     int `json:"units"`
	Shipments int `json:"shipments"`
	Shards    int `json:"shards"`
	// CPUSeconds is the CPU time (user+system) of all N processes.
	CPUSeconds float64 `json:"cpu_seconds"`
	// Seconds is the wall time from the first start to the last exit.
	Seconds      float64 `json:"seconds"`
	ShipmentsSec float64 `json:"shipments_per_sec"`
	// MaxShardCPU is the largest one process's CPU time: with one machine
	// per shard, what the slowest machine spends.
	MaxShardCPU float64 `json:"max_shard_cpu_seconds"`
}

// shardRuns runs the program as 1, 2 and 4 shards into a fresh archive
// each, checks that the shards together archived every shipment once and
// that the archive verifies, and measures a shard that holds no shipment
// (the fixed cost: reading and checking the whole plan, a checkpoint).
func shardRuns(ctx context.Context, bin, key string, f gen.Files, st gen.Stats, work string) ([]Shards, float64, error) {
	var rows []Shards
	for _, n := range []int{1, 2, 4} {
		arc := filepath.Join(work, fmt.Sprintf("shards-%d", n))
		sums := make([]pipeline.Summary, n)
		us := make([]usage, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := time.Now()
		for i := range n {
			wg.Go(func() {
				var out []byte
				out, us[i], errs[i] = clearpackUsage(ctx, bin, nil, "run", "--json", "--shard", fmt.Sprintf("%d/%d", i, n),
					"--inventory", f.Inventory, "--plan", f.Plan, "--clearances", f.Clearances, "--key", key, "--archive", arc)
				if errs[i] == nil {
					errs[i] = json.Unmarshal(out, &sums[i])
				}
			})
		}
		wg.Wait()
		row := Shards{Units: st.Units, Shipments: st.Shipments, Shards: n, Seconds: time.Since(start).Seconds()}
		seen := map[string]int{}
		for i := range n {
			if errs[i] != nil {
				return nil, 0, fmt.Errorf("shard %d/%d: %w", i, n, errs[i])
			}
			cpu := (us[i].user + us[i].sys).Seconds()
			row.CPUSeconds += cpu
			row.MaxShardCPU = max(row.MaxShardCPU, cpu)
			for _, s := range sums[i].Shipments {
				if s.Status != pipeline.Archived {
					return nil, 0, fmt.Errorf("shard %d/%d: %s %s %v", i, n, s.ID, s.Status, s.Reasons)
				}
				seen[s.ID]++
			}
		}
		if len(seen) != st.Shipments {
			return nil, 0, fmt.Errorf("%d shards archived %d shipments of %d", n, len(seen), st.Shipments)
		}
		for id, c := range seen {
			if c != 1 {
				return nil, 0, fmt.Errorf("%d shards: %s archived %d times", n, id, c)
			}
		}
		pub := key[:len(key)-len(filepath.Ext(key))] + ".pub"
		if _, err := clearpack(ctx, bin, nil, "verify", "--archive", arc, "--pub", pub, "--quiet"); err != nil {
			return nil, 0, fmt.Errorf("%d shards: the archive does not verify: %w", n, err)
		}
		row.ShipmentsSec = float64(st.Shipments) / row.Seconds
		rows = append(rows, row)
		os.RemoveAll(arc)
	}
	arc := filepath.Join(work, "shards-fixed")
	_, u, err := clearpackUsage(ctx, bin, nil, "run", "--json", "--shard", fmt.Sprintf("0/%d", pipeline.MaxShards),
		"--inventory", f.Inventory, "--plan", f.Plan, "--clearances", f.Clearances, "--key", key, "--archive", arc)
	if err != nil {
		return nil, 0, fmt.Errorf("the fixed cost's shard: %w", err)
	}
	os.RemoveAll(arc)
	return rows, (u.user + u.sys).Seconds(), nil
}
