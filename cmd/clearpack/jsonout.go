package main

import (
	"encoding/json"
	"io"

	"github.com/clearpack/clearpack/archive/verify"
	"github.com/clearpack/clearpack/pipeline"
	"github.com/clearpack/clearpack/pipeline/capability"
	"github.com/clearpack/clearpack/pipeline/schedule"
)

// The schema versions of clearpack's --json outputs. Every document carries
// its own as "schema_version"; templates/schemas/<name>.output.schema.json
// describes it (JSON Schema 2020-12). The number after the slash changes
// only when a key is removed or changes meaning; new keys may appear within
// a version, so programs should ignore keys they do not know.
const (
	schemaRun        = "clearpack.run/1"
	schemaRunOnce    = "clearpack.run-once/1"
	schemaValidate   = "clearpack.validate/1"
	schemaVerify     = "clearpack.verify/1"
	schemaCapability = "clearpack.capability/1"
	schemaVersionDoc = "clearpack.version/1"
)

// writeJSON prints v as the two-space-indented JSON every --json output
// uses.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// runJSON is `run --json`: the run summary.
type runJSON struct {
	SchemaVersion string `json:"schema_version"`
	*pipeline.Summary
}

// runOnceJSON is `run --once --json`: one entry per inbox batch handled.
type runOnceJSON struct {
	SchemaVersion string                 `json:"schema_version"`
	Batches       []schedule.BatchResult `json:"batches"`
}

// verifyJSON is `verify --json`: every check, and whether all passed.
type verifyJSON struct {
	SchemaVersion string `json:"schema_version"`
	OK            bool   `json:"ok"`
	*verify.Report
}

// capabilityJSON is `capability --json`: one entry per destination.
type capabilityJSON struct {
	SchemaVersion string               `json:"schema_version"`
	Destinations  []capability.Country `json:"destinations"`
}

// nonNil makes an empty list print as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
