package main

import (
	"math"
	"runtime/debug"
	"testing"

	"github.com/clearpack/clearpack/pipeline"
)

// The soft memory limit and the collector's target that run, validate and
// serve set, and what the environment overrides.
func TestMemoryLimitApply(t *testing.T) {
	for _, tc := range []struct {
		name      string
		flag      string // "" for the default
		env       map[string]string
		wantLimit int64 // -1: left as it was
		wantGC    int   // -1: left as it was
	}{
		{"default", "", nil, pipeline.MemoryLimit, pipeline.GCPercent},
		{"flag", "1GiB", nil, 1 << 30, pipeline.GCPercent},
		{"off: no limit, the collector's own target", "off", nil, math.MaxInt64, -1},
		{"GOGC wins", "", map[string]string{"GOGC": "100"}, pipeline.MemoryLimit, -1},
		{"GOMEMLIMIT wins over the default", "", map[string]string{"GOMEMLIMIT": "300MiB"}, -1, pipeline.GCPercent},
		{"the flag wins over GOMEMLIMIT", "1GiB", map[string]string{"GOMEMLIMIT": "300MiB"}, 1 << 30, pipeline.GCPercent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GOGC", "")
			t.Setenv("GOMEMLIMIT", "")
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			// Known values before, to see what apply changes and restores.
			const beforeLimit, beforeGC = 123 << 20, 77
			prevLimit, prevGC := debug.SetMemoryLimit(beforeLimit), debug.SetGCPercent(beforeGC)
			defer func() { debug.SetMemoryLimit(prevLimit); debug.SetGCPercent(prevGC) }()

			m := defaultMemoryLimit()
			if tc.flag != "" {
				if err := m.Set(tc.flag); err != nil {
					t.Fatal(err)
				}
			}
			restore := m.apply()
			limit, gc := debug.SetMemoryLimit(-1), debug.SetGCPercent(-1)
			debug.SetGCPercent(gc) // SetGCPercent(-1) turned the collector off: put back what we read
			want := func(w, before int64) int64 {
				if w == -1 {
					return before
				}
				return w
			}
			if wl := want(tc.wantLimit, beforeLimit); limit != wl {
				t.Errorf("memory limit %d, want %d", limit, wl)
			}
			if wg := want(int64(tc.wantGC), beforeGC); int64(gc) != wg {
				t.Errorf("GOGC %d, want %d", gc, wg)
			}
			restore()
			if l, g := debug.SetMemoryLimit(-1), debug.SetGCPercent(beforeGC); l != beforeLimit || g != beforeGC {
				t.Errorf("after restore: limit %d GOGC %d, want %d and %d", l, g, beforeLimit, beforeGC)
			}
		})
	}
}
