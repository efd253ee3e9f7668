package main

import (
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/clearpack/clearpack/pipeline"
)

// memoryLimit is the --memory-limit flag: a size in bytes with an optional
// B, KiB, MiB, GiB or TiB suffix (as GOMEMLIMIT), or "off".
type memoryLimit struct {
	text  string
	bytes int64
	set   bool
}

// memoryLimitFlag registers --memory-limit on fs. The command's run calls
// apply.
func memoryLimitFlag(fs *pflag.FlagSet) *memoryLimit {
	m := defaultMemoryLimit()
	fs.Var(m, "memory-limit", "soft memory limit, such as 200MiB or 1GiB, or off (GOMEMLIMIT, when set, replaces the default); "+
		"above it memory is reclaimed more eagerly, at some cost in speed")
	return m
}

// defaultMemoryLimit is pipeline.MemoryLimit, the soft limit of run,
// validate and serve: a backstop that makes the collector work harder near
// it, not a cap (a larger live heap still runs, more slowly).
func defaultMemoryLimit() *memoryLimit {
	return &memoryLimit{text: fmt.Sprintf("%dMiB", pipeline.MemoryLimit>>20), bytes: pipeline.MemoryLimit}
}

func (m *memoryLimit) String() string {
	if m == nil {
		return ""
	}
	return m.text
}

func (m *memoryLimit) Set(s string) error {
	if err := m.parse(s); err != nil {
		return err
	}
	m.set = true
	return nil
}

func (m *memoryLimit) parse(s string) error {
	t := strings.TrimSpace(s)
	if strings.EqualFold(t, "off") {
		m.text, m.bytes = "off", math.MaxInt64
		return nil
	}
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}} {
		if n, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(n), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64/mult {
		return fmt.Errorf("found %q, expected a size such as 200MiB or 1GiB, or off", s)
	}
	m.text, m.bytes = s, n*mult
	return nil
}

// apply sets the process's soft memory limit, and the collector's target
// while a limit is in force, and returns the function that restores both.
// Without the flag, a GOMEMLIMIT in the environment wins over the default;
// a GOGC in the environment always wins.
func (m *memoryLimit) apply() (restore func()) {
	limited := m.bytes != math.MaxInt64
	var undo []func()
	if m.set || os.Getenv("GOMEMLIMIT") == "" {
		prev := debug.SetMemoryLimit(m.bytes)
		undo = append(undo, func() { debug.SetMemoryLimit(prev) })
	} else {
		limited = true // the environment's
	}
	if limited && os.Getenv("GOGC") == "" {
		prev := debug.SetGCPercent(pipeline.GCPercent)
		undo = append(undo, func() { debug.SetGCPercent(prev) })
	}
	return func() {
		for _, u := range undo {
			u()
		}
	}
}

func (m *memoryLimit) Type() string { return "size" }
