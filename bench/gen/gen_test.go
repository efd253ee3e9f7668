package gen

import (
	"context"
	"testing"

	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/rules"
)

// TestWriteLoadsClean: a generated program reads without a single problem
// and every shipment passes the rules, so a benchmark measures archiving, not
// rejection.
func TestWriteLoadsClean(t *testing.T) {
	s, err := ReadSample("../../testdata/sample")
	if err != nil {
		t.Fatal(err)
	}
	book, err := rules.Load("")
	if err != nil {
		t.Fatal(err)
	}
	for _, units := range []int{1, 100, 400} {
		dir := t.TempDir()
		fs, st, err := s.Write(dir, units)
		if err != nil {
			t.Fatal(err)
		}
		if st.Units > units && st.Shipments > 1 || st.Shipments == 0 {
			t.Fatalf("%d units asked: %+v", units, st)
		}
		b, err := ingest.Load(context.Background(), ingest.Files{Inventory: fs.Inventory, Plan: fs.Plan, Clearances: fs.Clearances}, ingest.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Problems) != 0 {
			t.Fatalf("%d units: problems %v", units, b.Problems[:min(5, len(b.Problems))])
		}
		if len(b.Assets) != st.Units || len(b.Plan.Shipments) != st.Shipments {
			t.Fatalf("%d units: read %d assets, %d shipments; wrote %+v", units, len(b.Assets), len(b.Plan.Shipments), st)
		}
		for _, rep := range book.Check(rules.Input{Plan: b.Plan, Assets: b.Assets, Clearances: b.Clearances}) {
			if !rep.OK() {
				t.Fatalf("%d units: %s fails the rules: %+v", units, rep.ShipmentID, rep)
			}
		}
	}
}
