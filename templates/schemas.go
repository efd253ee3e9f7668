package templates

import (
	"embed"
	"io/fs"
)

//go:embed schemas/*.schema.json
var schemaFiles embed.FS

// Schemas returns the JSON Schemas (draft 2020-12) of clearpack's three
// inputs (read-only), rooted at the schemas directory:
// inventory.schema.json (one inventory record), plan.schema.json (the whole
// shipment plan) and clearances.schema.json (one clearance record). Package
// ingest validates every input against them; users can read them to see
// what is accepted.
//
// Beside them, <command>.output.schema.json describe the documents the
// commands print with --json (run, run-once, validate, verify, capability, version),
// each naming its "schema_version".
func Schemas() fs.FS {
	sub, err := fs.Sub(schemaFiles, "schemas")
	if err != nil { // cannot happen: "schemas" is a valid embedded directory
		return schemaFiles
	}
	return sub
}
