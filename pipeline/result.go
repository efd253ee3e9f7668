package pipeline

import (
	"github.com/clearpack/clearpack/archive/pack"
	"github.com/clearpack/clearpack/pipeline/ingest"
)

// Status of one shipment after a run.
type Status string

const (
	// Archived: a new pack version was written.
	Archived Status = "archived"
	// Unchanged: the archive already holds a pack for exactly these inputs.
	Unchanged Status = "unchanged"
	// Rejected: the shipment failed validation; its failure report was
	// archived instead of documents.
	Rejected Status = "rejected"
	// Failed: processing failed (archive, signing, rendering); nothing of the
	// shipment was completed and a re-run will retry it.
	Failed Status = "failed"
	// InProgress: another instance is writing this shipment's pack right now.
	InProgress Status = "in-progress"
	// NotStarted: the run was stopped (RunOptions.Stop) before this shipment.
	NotStarted Status = "not-started"
)

// DocRef names an archived document.
type DocRef = pack.Document

// ShipmentResult is what happened to one shipment.
type ShipmentResult struct {
	ID          string   `json:"id"`
	Destination string   `json:"destination"`
	Status      Status   `json:"status"`
	Version     int      `json:"version,omitempty"`
	Supersedes  int      `json:"supersedes,omitempty"`
	Path        string   `json:"path,omitempty"` // archive key prefix of the pack or report
	InputDigest string   `json:"input_digest"`
	Documents   []DocRef `json:"documents,omitempty"`
	Reasons     []string `json:"reasons,omitempty"`
}

// Summary is the outcome of a run.
type Summary struct {
	Program   string           `json:"program"`
	Archive   string           `json:"archive"`
	Inputs    []ingest.Input   `json:"inputs"`
	Shipments []ShipmentResult `json:"shipments"`
	// Problems are input faults that belong to no shipment (a spare asset's
	// bad row, say): reported, not fatal.
	Problems []string `json:"problems,omitempty"`
	// Shard is the share of the program this run processed ("1/3"; empty:
	// all of it), and OtherShards how many of the plan's shipments were
	// left to the other shards (RunOptions.Shard).
	Shard       string `json:"shard,omitempty"`
	OtherShards int    `json:"other_shards,omitempty"`
}

// Count returns how many shipments ended with status s.
func (s *Summary) Count(st Status) int {
	n := 0
	for _, r := range s.Shipments {
		if r.Status == st {
			n++
		}
	}
	return n
}

// InputError means an input file could not be used at all.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }
