package ingest

import (
	"context"
	"path/filepath"
	"testing"
)

// Batch.Reported names the asset tags shipments list that are missing from
// Assets for a reason a problem already gives: a refused row, or no row.
func TestReportedAssets(t *testing.T) {
	good, bad := filepath.Join("..", "..", "testdata", "ingest"), filepath.Join("..", "..", "testdata", "bad")
	for _, tc := range []struct {
		name, inventory, plan string
		want                  map[string]bool // tag -> reported
	}{
		{"good batch", filepath.Join(good, "inventory.csv"), filepath.Join(good, "plan.yaml"),
			map[string]bool{"A-1001": false, "A-1002": false}},
		{"one unit listed twice", filepath.Join(bad, "inv-duplicate-serial-case", "inventory.csv"), filepath.Join(good, "plan.yaml"),
			map[string]bool{"A-1001": true, "A-1002": true, "A-1003": false}},
		{"no row at all", filepath.Join(good, "inventory.csv"), filepath.Join(bad, "plan-unknown-asset", "plan.yaml"),
			map[string]bool{"A-9999": true, "A-1001": false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Load(context.Background(), Files{Inventory: tc.inventory, Plan: tc.plan}, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			for tag, want := range tc.want {
				if b.Reported[tag] != want {
					t.Errorf("Reported[%s] = %v, want %v (problems: %v)", tag, b.Reported[tag], want, b.Problems)
				}
			}
		})
	}
}
