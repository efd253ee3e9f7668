package rules

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/model"
)

// TestSampleProgram runs the checks over testdata/sample: the sample is
// built so that every shipment passes except APL26-BR-03, refurbished units
// into Brazil without the LI (testdata/sample/README.md).
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
			for _, c := range r.Results {
				if c.Status == model.Fail && c.Rule != "used-import" {
					t.Errorf("%s fails %s: %s", r.ShipmentID, c.Rule, c.Detail)
				}
			}
		}
	}
	if len(reports) != len(batch.Plan.Shipments) || strings.Join(failed, " ") != "APL26-BR-03" {
		t.Errorf("%d reports for %d shipments; failed %v, want only the deliberate APL26-BR-03", len(reports), len(batch.Plan.Shipments), failed)
	}
}
