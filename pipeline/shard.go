package pipeline

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/model"
)

// MaxShards bounds Shard.Count: far more machines than any program needs,
// small enough that a typo (an index pasted as the count) is caught.
const MaxShards = 10000

// Shard is one machine's share of a program when a run is spread over
// several (the pods of a Kubernetes Indexed Job, say): shard Index of Count,
// 0 <= Index < Count. The zero Shard, like any Shard of Count 1, is the
// whole program.
//
// A shipment belongs to shard SHA-256(id) mod Count, taken over the first
// eight bytes of the digest as a big-endian integer: the same on every
// machine, every run and every Go version, and independent of the
// shipment's place in the plan, so that adding or reordering shipments
// moves no other shipment to another shard. Every shard still reads and
// checks the whole plan (cross-shipment checks see all of it); it archives
// only its own share. Shards of one Count are disjoint and together are
// the whole program, so N shards against one archive write the packs one
// run would, each once.
type Shard struct {
	Index, Count int
}

// ParseShard reads "I/N" (0-based index I of N shards).
func ParseShard(s string) (Shard, error) {
	is, ns, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: want INDEX/COUNT, e.g. 0/3 (the index counts from 0)", s)
	}
	i, ierr := strconv.Atoi(is)
	n, nerr := strconv.Atoi(ns)
	if ierr != nil || nerr != nil {
		return Shard{}, fmt.Errorf("shard %q: want INDEX/COUNT as two whole numbers, e.g. 0/3", s)
	}
	sh := Shard{Index: i, Count: n}
	return sh, sh.Valid()
}

// Valid reports whether the shard is usable: 1 <= Count <= MaxShards and
// 0 <= Index < Count (or the zero Shard).
func (s Shard) Valid() error {
	if s == (Shard{}) {
		return nil
	}
	if s.Count < 1 || s.Count > MaxShards {
		return fmt.Errorf("shard count %d: want 1 to %d", s.Count, MaxShards)
	}
	if s.Index < 0 || s.Index >= s.Count {
		return fmt.Errorf("shard index %d of %d: want 0 to %d (the index counts from 0)", s.Index, s.Count, s.Count-1)
	}
	return nil
}

// Whole reports whether the shard is the whole program.
func (s Shard) Whole() bool { return s.Count <= 1 }

// String is "I/N", or "" for the whole program.
func (s Shard) String() string {
	if s.Whole() {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// Of is the shard, of count, that shipment id belongs to.
func Of(id string, count int) int {
	if count <= 1 {
		return 0
	}
	h := sha256.Sum256([]byte(id))
	return int(binary.BigEndian.Uint64(h[:8]) % uint64(count))
}

// Owns reports whether shipment id is this shard's to process.
func (s Shard) Owns(id string) bool {
	return s.Whole() || Of(id, s.Count) == s.Index
}

// Share counts the shipments of the plan that are this shard's.
func (s Shard) Share(p *model.Plan) int {
	n := 0
	for i := range p.Len() {
		if s.Owns(p.Outline(i).ID) {
			n++
		}
	}
	return n
}

// drop lets go of shipment i's share of the batch without taking it: the
// shipment is another shard's. As take, it keeps the plan entry's id and
// destination and releases each asset no later shipment lists.
func drop(batch *ingest.Batch, i int, uses map[string]int) {
	for _, tag := range batch.Plan.Outline(i).Assets {
		release(batch, uses, tag)
	}
	batch.Plan.Release(i)
}

// planRef is a plan entry's id and destination.
type planRef struct{ ID, Destination string }

// mine keeps the results of the shipments the shard owns, in plan order.
func (s Shard) mine(results []ShipmentResult, shipments []planRef) []ShipmentResult {
	if s.Whole() {
		return results
	}
	out := make([]ShipmentResult, 0, len(results))
	for i, r := range results {
		if s.Owns(shipments[i].ID) {
			out = append(out, r)
		}
	}
	return out
}
