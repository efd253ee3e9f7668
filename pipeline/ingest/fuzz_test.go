package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReadInventoryCSV: any inventory bytes give a Batch or an error, never
// a panic, and every problem names a file and a line.
func FuzzReadInventoryCSV(f *testing.F) {
	fx := readFixtures(f)
	f.Add([]byte(fx.inv))
	f.Add([]byte("\ufeff" + fx.inv))
	f.Add([]byte(strings.ReplaceAll(fx.inv, ",", ";")))
	f.Add([]byte("asset_tag,serial\n\"a\n"))
	f.Add([]byte(strings.Replace(fx.inv, "A-1001,SN1001,Dell,", "A-1001,", 1)))
	f.Add([]byte("Asset Tag,Serial,x\n../a,\x00,=cmd|x\n"))
	dir := f.TempDir()
	plan := filepath.Join(dir, "plan.yaml")
	if err := os.WriteFile(plan, []byte(fx.plan), 0o600); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		inv := filepath.Join(t.TempDir(), "inventory.csv")
		if err := os.WriteFile(inv, data, 0o600); err != nil {
			t.Fatal(err)
		}
		b, err := Load(context.Background(), Files{Inventory: inv, Plan: plan}, Limits{MaxRows: 1000})
		if err != nil {
			return
		}
		for _, p := range b.Problems {
			if p.File == "" || p.Line < 1 || p.Field == "" {
				t.Fatalf("problem without file, line or field: %+v", p)
			}
		}
	})
}

// FuzzLoadPlan: any plan bytes give a Batch or an error, never a panic.
func FuzzLoadPlan(f *testing.F) {
	fx := readFixtures(f)
	f.Add([]byte(fx.plan))
	f.Add([]byte(`{"program": "p", "shipments": [{"id": "x", "assets": ["A-1001"]}]}`))
	f.Add([]byte("program: p\nshipments:\n  - &a {id: x}\n  - *a\n"))
	f.Add([]byte("program: p\nx-a: &a {id: x, reason: sale, <<: *a}\nshipments:\n  - <<: [*a, *a]\n  - {<<: *a, id: y}\n  - &l [*l]\n"))
	f.Add([]byte("program: p\nprogram: q\nshipments: 3\n"))
	f.Add([]byte("shipments: [{id: ../x, packages: [{assets: [1, [2]]}], assets: {a: b}}]"))
	dir := f.TempDir()
	inv := filepath.Join(dir, "inventory.csv")
	if err := os.WriteFile(inv, []byte(fx.inv), 0o600); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		plan := filepath.Join(t.TempDir(), "plan.yaml")
		if err := os.WriteFile(plan, data, 0o600); err != nil {
			t.Fatal(err)
		}
		b, err := Load(context.Background(), Files{Inventory: inv, Plan: plan}, Limits{})
		if err != nil {
			return
		}
		for _, s := range b.Plan.Shipments {
			if s.ID == "" {
				t.Fatalf("shipment without id in Batch.Plan: %+v", s)
			}
		}
	})
}

// BenchmarkLoadInventory reads a 10,000-row inventory (and a plan shipping
// all of it) and reports rows per second.
func BenchmarkLoadInventory(b *testing.B) {
	fx := readFixtures(b)
	const rows = 10_000
	var inv strings.Builder
	inv.WriteString(strings.SplitN(fx.inv, "\n", 2)[0] + "\n")
	var tags []string
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&inv, "A-%05d,SN%05d,Dell,PowerEdge R740,R740-X,server,\"Máy chủ 2U, xử lý kép\",refurbished,2019,2,yes,8471.41.00,CN,1850.00,USD,6,9400.00,28.5,32.0,purge\n", i, i)
		tags = append(tags, fmt.Sprintf("A-%05d", i))
	}
	plan := strings.Replace(fx.plan, "    packages:\n      - {id: P1, type: pallet, length_cm: 120, width_cm: 80, height_cm: 110, gross_weight_kg: 75.0, assets: [A-1001, A-1002]}\n", "", 1)
	plan = strings.Replace(plan, "assets: [A-1001, A-1002]", "assets: ["+strings.Join(tags[:rows/2], ", ")+"]", 1)
	plan = strings.Replace(plan, "assets: [A-1003]", "assets: ["+strings.Join(tags[rows/2:], ", ")+"]", 1)
	dir := b.TempDir()
	invPath, planPath := filepath.Join(dir, "inventory.csv"), filepath.Join(dir, "plan.yaml")
	if err := os.WriteFile(invPath, []byte(inv.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(planPath, []byte(plan), 0o600); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		batch, err := Load(context.Background(), Files{Inventory: invPath, Plan: planPath}, Limits{})
		if err != nil {
			b.Fatal(err)
		}
		if len(batch.Assets) != rows || len(batch.Problems) != 0 {
			b.Fatalf("%d assets, problems %v", len(batch.Assets), batch.Problems[:min(3, len(batch.Problems))])
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
