package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"

	"github.com/clearpack/clearpack/bench/gen"
	"github.com/clearpack/clearpack/pipeline"
)

// Validate is `clearpack validate` alone on a generated program: reading
// and checking it, the part of a run that sees the whole program at once.
type Validate struct {
	Units      int     `json:"units"`
	Shipments  int     `json:"shipments"`
	Seconds    float64 `json:"seconds"`
	CPUSeconds float64 `json:"cpu_seconds"`
	PeakRSSMB  float64 `json:"peak_rss_mb"`
}

// CPUMsPerUnit is the run's CPU time (user+system) per unit.
func (v Validate) CPUMsPerUnit() float64 { return v.CPUSeconds * 1000 / float64(v.Units) }

// validateRun times `clearpack validate --json` on a generated program,
// which must pass (exit 0): a program that fails is not the one measured.
func validateRun(ctx context.Context, bin string, f gen.Files, st gen.Stats) (Validate, error) {
	_, u, err := clearpackUsage(ctx, bin, nil, "validate", "--json", "--inventory", f.Inventory, "--plan", f.Plan,
		"--clearances", f.Clearances)
	if err != nil {
		return Validate{}, err
	}
	return Validate{Units: st.Units, Shipments: st.Shipments, Seconds: u.wall.Seconds(),
		CPUSeconds: (u.user + u.sys).Seconds(), PeakRSSMB: float64(u.maxRSSBytes) / (1 << 20)}, nil
}

// RenderCPU is the renderers package's benchmark of one document kind:
// the CPU time (user+system, collector included) per document, sequential,
// one renderer reused, in each of several counts.
type RenderCPU struct {
	Benchmark string    `json:"benchmark"`
	Docs      int       `json:"docs_per_count"`
	CPUMs     []float64 `json:"cpu_ms_per_doc"`
	Median    float64   `json:"cpu_ms_per_doc_median"`
	Bytes     float64   `json:"bytes_per_doc"`
	Allocs    float64   `json:"allocs_per_doc"`
}

// The target of issue 18: a 30-line invoice in at most this much CPU.
const renderTargetMs = 4.0

var benchLine = regexp.MustCompile(`^Benchmark\S+\s+(\d+)\s+(.*)$`)

// renderBench runs `go test -bench` for one renderers benchmark count
// times and reads its cpu-ms/doc, bytes/doc and allocs/op.
func renderBench(ctx context.Context, name string, docs, count int) (RenderCPU, error) {
	c := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", "^BenchmarkRender$/^"+name+"$",
		"-benchtime", fmt.Sprintf("%dx", docs), "-count", strconv.Itoa(count), "-benchmem", "-cpu", "1",
		"github.com/clearpack/clearpack/renderers")
	// The collector as clearpack run sets it (pipeline.GCPercent under
	// pipeline.MemoryLimit), as the floor's renders run too.
	c.Env = append(os.Environ(), fmt.Sprintf("GOGC=%d", pipeline.GCPercent), fmt.Sprintf("GOMEMLIMIT=%dB", pipeline.MemoryLimit))
	var o bytes.Buffer
	c.Stdout, c.Stderr = &o, &o
	if err := c.Run(); err != nil {
		return RenderCPU{}, fmt.Errorf("renderers benchmark %s: %v\n%s", name, err, tail(o.String(), 2000))
	}
	return parseRenderBench(name, docs, o.String())
}

func parseRenderBench(name string, docs int, out string) (RenderCPU, error) {
	r := RenderCPU{Benchmark: "BenchmarkRender/" + name, Docs: docs}
	for _, l := range bytes.Split([]byte(out), []byte("\n")) {
		m := benchLine.FindSubmatch(bytes.TrimSpace(l))
		if m == nil {
			continue
		}
		f := bytes.Fields(m[2])
		for i := 1; i < len(f); i++ {
			v, err := strconv.ParseFloat(string(f[i-1]), 64)
			if err != nil {
				continue
			}
			switch string(f[i]) {
			case "cpu-ms/doc":
				r.CPUMs = append(r.CPUMs, v)
			case "bytes/doc":
				r.Bytes = v
			case "allocs/op":
				r.Allocs = v
			}
		}
	}
	if len(r.CPUMs) == 0 {
		return r, fmt.Errorf("renderers benchmark %s printed no cpu-ms/doc:\n%s", name, tail(out, 2000))
	}
	s := append([]float64(nil), r.CPUMs...)
	sort.Float64s(s)
	r.Median = s[len(s)/2]
	if len(s)%2 == 0 {
		r.Median = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return r, nil
}
