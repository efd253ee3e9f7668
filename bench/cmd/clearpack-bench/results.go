package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// E2E is one clearpack run end to end.
type E2E struct {
	Units       int     `json:"units"`
	Shipments   int     `json:"shipments"`
	Target      string  `json:"archive"`
	Workers     int     `json:"workers"`
	Documents   int     `json:"documents"`
	Packs       int     `json:"packs"`
	Seconds     float64 `json:"seconds"`
	CPUSeconds  float64 `json:"cpu_seconds"`
	DocsPerSec  float64 `json:"docs_per_sec"`
	PacksPerSec float64 `json:"packs_per_sec"`
	PeakRSSMB   float64 `json:"peak_rss_mb"`
	// VsFloor is this run's time over maroto alone rendering the same
	// documents with the same number of workers.
	VsFloor float64 `json:"vs_floor,omitempty"`
	// VsFloorCPU is this run's CPU time (user+system) over maroto alone's:
	// on a shared machine, where wall time includes waiting for a core
	// taken by others, the steadier of the two ratios.
	VsFloorCPU float64 `json:"vs_floor_cpu,omitempty"`
}

// Floor is maroto alone rendering a program's documents.
type Floor struct {
	Units     int     `json:"units"`
	Documents int     `json:"documents"`
	Seconds   float64 `json:"seconds"`
	// CPUSeconds is the process's CPU time (user+system, GC included)
	// while rendering.
	CPUSeconds float64 `json:"cpu_seconds"`
	DocsPerSec float64 `json:"docs_per_sec"`
	MeanKB     float64 `json:"mean_kb"`
}

// Stage is the cost of one pipeline stage per document, one at a time.
type Stage struct {
	Units    int     `json:"units"`
	Stage    string  `json:"stage"`
	MsPerDoc float64 `json:"ms_per_doc"`
	Share    float64 `json:"share"`
}

// Alt is one way of printing the same commercial invoices.
type Alt struct {
	Name     string  `json:"name"`
	Docs     int     `json:"docs"`
	MsPerDoc float64 `json:"ms_per_doc"`
	// Ratio is clearpack's end-to-end time per document (all cores, local
	// archive, largest program) over this alternative's.
	Ratio float64 `json:"clearpack_ratio"`
	// CPUMsPerDoc is the process's CPU time per document, for clearpack's
	// renderer (in this process); 0 for the others, which run elsewhere.
	CPUMsPerDoc float64 `json:"cpu_ms_per_doc,omitempty"`
	// VsRenderer is this alternative's time per document over clearpack's
	// renderer's on the same invoices, one at a time: how many times
	// slower it is.
	VsRenderer float64 `json:"vs_renderer,omitempty"`
}

// Results is everything one bench run measured.
type Results struct {
	Date         string  `json:"date"`
	Command      string  `json:"command"`
	GoVersion    string  `json:"go"`
	CPU          string  `json:"cpu"`
	CPUs         int     `json:"cpus"`
	EndToEnd     []E2E   `json:"end_to_end"`
	Floor        []Floor `json:"floor"`
	Stages       []Stage `json:"stages"`
	Memory       E2E     `json:"memory"`
	Alternatives []Alt   `json:"alternatives"`
	// Validate is `clearpack validate` alone at each size.
	Validate []Validate `json:"validate,omitempty"`
	// Render is the renderers benchmark of a 30-line invoice.
	Render *RenderCPU `json:"render,omitempty"`
	Shards []Shards   `json:"shards,omitempty"`
	// ShardFixedCPU is the CPU time of a shard that holds none of the
	// shard program's shipments: what every shard pays whatever its share.
	ShardFixedCPU float64 `json:"shard_fixed_cpu_seconds,omitempty"`
	// ClearpackMsPerDoc is the end-to-end wall time per document of the
	// largest local run, the figure the alternatives are compared with.
	ClearpackMsPerDoc float64 `json:"clearpack_ms_per_doc"`
}

func (r *Results) finish() {
	floors := map[int]Floor{}
	for _, f := range r.Floor {
		floors[f.Units] = f
	}
	var best E2E
	for i, e := range r.EndToEnd {
		if f, ok := floors[e.Units]; ok && f.Seconds > 0 {
			r.EndToEnd[i].VsFloor = e.Seconds / f.Seconds
		}
		if f, ok := floors[e.Units]; ok && f.CPUSeconds > 0 {
			r.EndToEnd[i].VsFloorCPU = e.CPUSeconds / f.CPUSeconds
		}
		if e.Target == "local" && e.Units >= best.Units {
			best = e
		}
	}
	if best.Documents > 0 {
		r.ClearpackMsPerDoc = best.Seconds * 1000 / float64(best.Documents)
	}
	var rend Alt
	for _, a := range r.Alternatives {
		if a.Name == rendererAlt {
			rend = a
		}
	}
	for i, a := range r.Alternatives {
		if a.MsPerDoc > 0 {
			r.Alternatives[i].Ratio = r.ClearpackMsPerDoc / a.MsPerDoc
		}
		if rend.MsPerDoc > 0 {
			r.Alternatives[i].VsRenderer = a.MsPerDoc / rend.MsPerDoc
		}
	}
	// A stage's share: its cost per document, one at a time, over
	// clearpack's CPU-time per document end to end (local archive).
	cpuPerDoc := map[int]float64{}
	for _, e := range r.EndToEnd {
		if e.Target == "local" && e.Documents > 0 {
			cpuPerDoc[e.Units] = e.Seconds * float64(e.Workers) * 1000 / float64(e.Documents)
		}
	}
	for i, s := range r.Stages {
		if c := cpuPerDoc[s.Units]; c > 0 {
			r.Stages[i].Share = s.MsPerDoc / c
		}
	}
}

func (r *Results) write(dir string, show bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	j, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "latest.json"), append(j, '\n'), 0o644); err != nil {
		return err
	}
	md := r.markdown()
	if err := os.WriteFile(filepath.Join(dir, "latest.md"), []byte(md), 0o644); err != nil {
		return err
	}
	if show {
		fmt.Print(md)
	}
	return nil
}

func (r *Results) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# clearpack benchmark\n\n`%s` on %s, %d CPUs, %s, %s.\n\n", r.Command, r.CPU, r.CPUs, r.GoVersion, r.Date)
	b.WriteString("## End to end (ingest, validate, render, sign, archive)\n\n")
	b.WriteString("× maroto alone: wall time over the floor's (below); CPU: CPU time (user+system) over the floor's, steadier on a shared machine.\n\n")
	b.WriteString("| units | shipments | archive | documents | packs | seconds | CPU seconds | docs/s | packs/s | peak RSS MB | × maroto alone | × maroto alone, CPU |\n|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, e := range r.EndToEnd {
		fmt.Fprintf(&b, "| %d | %d | %s | %d | %d | %.2f | %.2f | %.1f | %.2f | %.0f | %.2f | %.2f |\n",
			e.Units, e.Shipments, e.Target, e.Documents, e.Packs, e.Seconds, e.CPUSeconds, e.DocsPerSec, e.PacksPerSec, e.PeakRSSMB, e.VsFloor, e.VsFloorCPU)
	}
	b.WriteString("\n## The floor: maroto alone (clearpack's templates; no validation, signing or archive; one worker per CPU; like clearpack, it keeps no document once rendered and runs with GOGC=200 under a 200 MiB soft memory limit)\n\n")
	b.WriteString("| units | documents | seconds | CPU seconds | docs/s | mean KB/doc |\n|---:|---:|---:|---:|---:|---:|\n")
	for _, f := range r.Floor {
		fmt.Fprintf(&b, "| %d | %d | %.2f | %.2f | %.1f | %.1f |\n", f.Units, f.Documents, f.Seconds, f.CPUSeconds, f.DocsPerSec, f.MeanKB)
	}
	b.WriteString("\n## Cost of each stage, one document at a time\n\nShare: the stage's time per document over clearpack's end-to-end core-time per document (wall × CPUs ÷ documents, local archive).\n\n")
	b.WriteString("| units | stage | ms/doc | share |\n|---:|---|---:|---:|\n")
	for _, s := range r.Stages {
		fmt.Fprintf(&b, "| %d | %s | %.3f | %.1f%% |\n", s.Units, s.Stage, s.MsPerDoc, 100*s.Share)
	}
	if rc := r.Render; rc != nil {
		fmt.Fprintf(&b, "\n## Rendering a 30-line commercial invoice\n\n`%s` (renderers/bench_test.go: 30 distinct lines, 2 pages, one renderer reused, one document at a time, one CPU, the collector set as `clearpack run` sets it: GOGC=200 under a 200 MiB soft limit), %d documents a count: CPU time (user+system, collector included) per document in each count:", rc.Benchmark, rc.Docs)
		for _, v := range rc.CPUMs {
			fmt.Fprintf(&b, " %.2f", v)
		}
		verdict := "within"
		if rc.Median > renderTargetMs {
			verdict = "OVER"
		}
		fmt.Fprintf(&b, " ms. Median %.2f ms, %s the %.0f ms target. %.0f bytes and %.0f allocations per document.\n", rc.Median, verdict, renderTargetMs, rc.Bytes, rc.Allocs)
	}
	if len(r.Validate) > 0 {
		b.WriteString("\n## Reading and checking alone: `clearpack validate --json`\n\n")
		b.WriteString("| units | shipments | seconds | CPU seconds | CPU ms per unit | × the smallest run's | peak RSS MB |\n|---:|---:|---:|---:|---:|---:|---:|\n")
		base := r.Validate[0]
		for _, v := range r.Validate {
			fmt.Fprintf(&b, "| %d | %d | %.2f | %.2f | %.4f | %.2f | %.0f |\n", v.Units, v.Shipments, v.Seconds, v.CPUSeconds, v.CPUMsPerUnit(), v.CPUMsPerUnit()/base.CPUMsPerUnit(), v.PeakRSSMB)
		}
		if big, base, ok := r.validateScale(); ok {
			verdict := "within"
			if big.CPUMsPerUnit() > 1.1*base.CPUMsPerUnit() {
				verdict = "OVER"
			}
			fmt.Fprintf(&b, "\n`validate` CPU per unit at %d units: %.4f ms against %.4f ms at %d units: %.2fx, %s the 1.1x target; peak RSS %.0f MB.\n",
				big.Units, big.CPUMsPerUnit(), base.CPUMsPerUnit(), base.Units, big.CPUMsPerUnit()/base.CPUMsPerUnit(), verdict, big.PeakRSSMB)
		}
	}
	if r.Memory.Units > 0 {
		b.WriteString("\n## Memory\n\n| units | shipments | documents | seconds | peak RSS MB |\n|---:|---:|---:|---:|---:|\n")
		for _, e := range r.EndToEnd {
			if e.Target == "local" {
				fmt.Fprintf(&b, "| %d | %d | %d | %.1f | %.0f |\n", e.Units, e.Shipments, e.Documents, e.Seconds, e.PeakRSSMB)
			}
		}
		m := r.Memory
		fmt.Fprintf(&b, "| %d | %d | %d | %.1f | %.0f |\n", m.Units, m.Shipments, m.Documents, m.Seconds, m.PeakRSSMB)
		verdict := "under"
		if m.PeakRSSMB >= 300 {
			verdict = "OVER"
		}
		fmt.Fprintf(&b, "\nPeak RSS at %d units: %.0f MB, %s the 300 MB target.\n", m.Units, m.PeakRSSMB, verdict)
		if base, ok := r.perUnitBase(); ok && m.CPUSeconds > 0 {
			per := m.CPUSeconds * 1000 / float64(m.Units)
			bper := base.CPUSeconds * 1000 / float64(base.Units)
			verdict := "within"
			if per > 1.1*bper {
				verdict = "OVER"
			}
			fmt.Fprintf(&b, "CPU (user+system) per unit at %d units: %.2f ms against %.2f ms at %d units: %.2fx, %s the 1.1x target.\n",
				m.Units, per, bper, base.Units, per/bper, verdict)
		}
	}
	if len(r.Shards) > 0 {
		b.WriteString("\n## Shards: `run --shard I/N`, N processes at once into one local archive (verified after, every shipment archived once)\n\n")
		b.WriteString("On one machine the shards share its CPUs: total CPU is what sharding costs; the largest shard's CPU is what each machine would spend with one machine per shard.\n\n")
		b.WriteString("| units | shipments | shards | CPU seconds, all shards | largest shard's CPU seconds | seconds | shipments/s |\n|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, s := range r.Shards {
			fmt.Fprintf(&b, "| %d | %d | %d | %.2f | %.2f | %.1f | %.2f |\n", s.Units, s.Shipments, s.Shards, s.CPUSeconds, s.MaxShardCPU, s.Seconds, s.ShipmentsSec)
		}
		if r.ShardFixedCPU > 0 {
			fmt.Fprintf(&b, "\nFixed cost of a shard (reads and checks the whole plan, signs a checkpoint, holds no shipment): %.2f CPU seconds.\n", r.ShardFixedCPU)
		}
	}
	b.WriteString("\n## What users pick instead: the same commercial invoices, one at a time\n\n")
	fmt.Fprintf(&b, "clearpack end to end: %.1f ms per document (largest local run, all CPUs). Ratio: that over the alternative's time per document (below 1: clearpack is faster).\n\n", r.ClearpackMsPerDoc)
	b.WriteString("× clearpack's renderer: the alternative's time per document over clearpack's renderer's, same invoices, one at a time (wall time; clearpack's CPU time per document beside it).\n\n")
	b.WriteString("| how | invoices | ms/doc | CPU ms/doc | clearpack ÷ it | × clearpack's renderer |\n|---|---:|---:|---:|---:|---:|\n")
	var rend Alt
	for _, a := range r.Alternatives {
		cpu, vs := "", ""
		if a.CPUMsPerDoc > 0 {
			cpu = fmt.Sprintf("%.2f", a.CPUMsPerDoc)
		}
		if a.VsRenderer > 0 {
			vs = fmt.Sprintf("%.1f", a.VsRenderer)
		}
		fmt.Fprintf(&b, "| %s | %d | %.1f | %s | %.3f | %s |\n", a.Name, a.Docs, a.MsPerDoc, cpu, a.Ratio, vs)
		if a.Name == rendererAlt {
			rend = a
		}
	}
	for _, a := range r.Alternatives {
		if a.Name == warmChromeAlt && rend.MsPerDoc > 0 {
			verdict := "meets"
			if a.VsRenderer < 30 {
				verdict = "SHORT of"
			}
			fmt.Fprintf(&b, "\nWarm Chromium takes %.1f ms per invoice, %.1fx clearpack's renderer (%.2f ms): %s the 30x target.\n", a.MsPerDoc, a.VsRenderer, rend.MsPerDoc, verdict)
		}
	}
	return b.String()
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// validateScale is the largest validate run and the largest one at a
// tenth of its size or less, the base of the per-unit comparison.
func (r *Results) validateScale() (big, base Validate, ok bool) {
	for _, v := range r.Validate {
		if v.Units > big.Units {
			big = v
		}
	}
	for _, v := range r.Validate {
		if v.Units*10 <= big.Units+big.Units/100 && v.Units > base.Units && v.CPUSeconds > 0 {
			base = v
		}
	}
	return big, base, base.Units > 0
}

// perUnitBase is the largest local end-to-end run, the base of the memory
// run's CPU per unit.
func (r *Results) perUnitBase() (E2E, bool) {
	var best E2E
	for _, e := range r.EndToEnd {
		if e.Target == "local" && e.Units > best.Units && e.CPUSeconds > 0 {
			best = e
		}
	}
	return best, best.Units > 0
}
