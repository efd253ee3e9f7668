package main

import (
	"fmt"
	"strconv"

	"github.com/spf13/pflag"

	"github.com/clearpack/clearpack/pipeline"
)

// jobIndexEnv is where a Kubernetes Indexed Job gives each pod its index.
const jobIndexEnv = "JOB_COMPLETION_INDEX"

// shardFlags choose a run's share of the program when several machines run
// it: --shard I/N, or --shards N with the index from JOB_COMPLETION_INDEX.
type shardFlags struct {
	spec  string
	count int
}

func (s *shardFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&s.spec, "shard", "", "process only shard I of N (I/N, I from 0) of the shipments, chosen by a hash of the shipment id; N runs with 0/N to N-1/N against one archive archive what one run would")
	fs.IntVar(&s.count, "shards", 0, "process one of this many shards, the one named by $"+jobIndexEnv+" (set by a Kubernetes Indexed Job); see --shard")
}

// resolve returns the shard asked for (the zero Shard when neither flag is
// set). Errors carry ExitUsage.
func (s *shardFlags) resolve(lookupEnv func(string) (string, bool)) (pipeline.Shard, error) {
	switch {
	case s.spec != "" && s.count != 0:
		return pipeline.Shard{}, errorf(ExitUsage, "--shard %s and --shards %d are both set: give one", s.spec, s.count)
	case s.spec != "":
		sh, err := pipeline.ParseShard(s.spec)
		if err != nil {
			return pipeline.Shard{}, withCode(ExitUsage, fmt.Errorf("--shard: %w", err))
		}
		return sh, nil
	case s.count != 0:
		v, ok := lookupEnv(jobIndexEnv)
		if !ok || v == "" {
			return pipeline.Shard{}, errorf(ExitUsage, "--shards %d: $%s is not set (a Kubernetes Indexed Job sets it); give --shard I/N instead", s.count, jobIndexEnv)
		}
		i, err := strconv.Atoi(v)
		if err != nil {
			return pipeline.Shard{}, errorf(ExitUsage, "--shards %d: $%s is %q: want a whole number", s.count, jobIndexEnv, v)
		}
		sh := pipeline.Shard{Index: i, Count: s.count}
		if err := sh.Valid(); err != nil {
			return pipeline.Shard{}, withCode(ExitUsage, fmt.Errorf("--shards %d with $%s=%s: %w", s.count, jobIndexEnv, v, err))
		}
		return sh, nil
	}
	return pipeline.Shard{}, nil
}
