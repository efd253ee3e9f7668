package rules

import (
	"bytes"
	"context"
	"testing"

	"github.com/clearpack/clearpack/pipeline/ingest"
)

// TestSampleProgram runs the checks over testdata/sample: the sample is
// built so that every shipment passes except one a border would hold.
func TestSampleProgram(t *testing.T) {
	batch, err := ingest.Load(context.Background(), ingest.Files{
		Inventory:  "../../testdata/sample/inventory.csv",
		Plan:       "../../testdata/sample/plan.yaml",
		Clearances: "../../testdata/sample/clearances.yaml",
	}, ingest.Limits{})
	if err != nil {
		t.Fatalf("ingest: %v", err)
	}
	for _, p := range batch.Problems {
		t.Logf("ingest problem: %v", p)
	}
	b := mustLoad(t, "")
	reports := b.Check(Input{Plan: batch.Plan, Assets: batch.Assets, Clearances: batch.Clearances})
	var buf bytes.Buffer
	if err := WriteTable(&buf, reports); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + buf.String())
	var failed []string
	for _, r := range reports {
		if !r.OK() {
			failed = append(failed, r.ShipmentID)
		}
	}
	if len(reports) != len(batch.Plan.Shipments) || len(failed) > 1 {
		t.Errorf("%d reports for %d shipments; failed %v, want at most the one deliberate failure", len(reports), len(batch.Plan.Shipments), failed)
	}
}
