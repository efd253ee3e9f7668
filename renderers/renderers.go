// Package renderers turns a shipment's records into PDF documents, one file
// per document kind, with maroto v2.
package renderers

import (
	"github.com/clearpack/clearpack/pipeline/model"
)

// Pack is everything the documents of one shipment version are made from.
// Renderers read nothing else: no clock, no environment, no files.
type Pack struct {
	Program  string
	Shipment model.Shipment
	// Assets are the shipment's units, in the order the plan lists them.
	Assets    []model.Asset
	Clearance *model.Clearance
	// Version of the pack (1, 2, ...) and the version it supersedes (0: none).
	Version    int
	Supersedes int
	// Lang is the destination's customs language as a BCP 47 tag ("vi", "es",
	// "pt", "id", "th"); labels are printed in English and in Lang.
	Lang string
	// Checks are the compliance checks run against the shipment.
	Checks []model.CheckResult
	// PreShipment maps the file names of the pre-shipment documents the
	// clearance was made against to their SHA-256 (hex); used by the
	// post-clearance pack.
	PreShipment map[string]string
}

// Document is one rendered document.
type Document struct {
	Kind model.DocKind
	// Name is the file name in the pack, e.g. "commercial-invoice.pdf".
	Name string
	PDF  []byte
	// Source is the document's machine-readable data (JSON), also embedded in
	// the PDF as an attached file.
	Source []byte
}
