package pipeline

import "time"

// The Go runtime settings clearpack's commands run with (cmd/clearpack
// --memory-limit; GOGC and GOMEMLIMIT in the environment override them).
// MemoryLimit is a soft limit: a 100,000-unit program fits under it (issue
// 8: under 300 MB peak RSS). GCPercent is the collector's target (as GOGC)
// while a limit is in force: the heap may grow to three times the live data
// before a cycle, since the limit, not GOGC, bounds it. Rendering allocates
// fast and keeps little; at 1,000 units this takes 15% off the CPU time
// (pipebench Run1000 at GOGC=100 against 200).
const (
	MemoryLimit = 200 << 20
	GCPercent   = 200
)

// KeyRetention is how long the public key stored beside the packs is locked.
// It outlives any pack it signs (retention is counted from ship dates).
const KeyRetention = 30 * 365 * 24 * time.Hour

// DefaultStaleAfter is Runner.StaleAfter's default: far longer than a pack
// takes to write (well under a second per document), short enough that the
// remains of a crashed run are redone soon.
const DefaultStaleAfter = 2 * time.Minute
