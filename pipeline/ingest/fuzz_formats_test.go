package ingest

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// records turns the CSV inventory fixture into one map per row.
func records(t testing.TB, src string) []map[string]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(src)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			if r[i] != "" {
				m[h] = r[i]
			}
		}
		out = append(out, m)
	}
	return out
}

// fuzzLoad writes data as name next to the other fixtures and loads it: an
// error must name the file; a Batch's every problem names a file and a line
// (a record that is not an object at all has no field to name).
func fuzzLoad(t *testing.T, fx fixtures, role, name string, data []byte) {
	dir := t.TempDir()
	files := map[string]string{"inventory.csv": fx.inv, "plan.yaml": fx.plan}
	paths := write(t, dir, files)
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f := Files{Inventory: paths["inventory.csv"], Plan: paths["plan.yaml"]}
	switch role {
	case "inventory":
		f.Inventory = p
	case "clearances":
		f.Clearances = p
	}
	b, err := Load(context.Background(), f, Limits{MaxRows: 1000, MaxFileBytes: 1 << 20})
	if err != nil {
		if !strings.Contains(err.Error(), name) {
			t.Fatalf("error does not name the file %s: %v", name, err)
		}
		return
	}
	for _, pr := range b.Problems {
		if pr.File == "" || pr.Line < 1 {
			t.Fatalf("problem without file or line: %+v", pr)
		}
	}
}

// FuzzReadInventoryJSON: any JSON inventory gives a Batch or an error naming
// the file, never a panic or a hang.
func FuzzReadInventoryJSON(f *testing.F) {
	fx := readFixtures(f)
	recs := records(f, fx.inv)
	list, _ := json.Marshal(recs)
	obj, _ := json.Marshal(map[string]any{"assets": recs})
	f.Add(list)
	f.Add(obj)
	f.Add([]byte(`[`))
	f.Add([]byte(`[{"asset_tag": 1e999, "serial": null, "unit_value": "1,850.00"}]`))
	f.Add([]byte(strings.Repeat("[", 10000)))
	f.Add([]byte(`[{"asset_tag": "A-1001"}, {"asset_tag": "A-1001"}]`))
	f.Add([]byte("\ufeff[{\"asset_tag\": \"../../etc/passwd\", \"serial\": \"\\u0000\"}]"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzLoad(t, fx, "inventory", "inventory.json", data) })
}

// FuzzReadInventoryYAML: the same for a YAML inventory, alias bombs
// included.
func FuzzReadInventoryYAML(f *testing.F) {
	fx := readFixtures(f)
	y, _ := yaml.Marshal(records(f, fx.inv))
	f.Add(y)
	f.Add([]byte("assets:\n" + strings.ReplaceAll("\n"+string(y), "\n", "\n  ")))
	f.Add([]byte("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"))
	f.Add([]byte("- !!binary aGVsbG8=\n- {asset_tag: [1], serial: {a: b}}\n"))
	f.Add([]byte("- asset_tag: A-1\n  asset_tag: A-2\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzLoad(t, fx, "inventory", "inventory.yaml", data) })
}

// FuzzReadClearances: clearance records in CSV, YAML or JSON (the first
// argument picks the format).
func FuzzReadClearances(f *testing.F) {
	fx := readFixtures(f)
	f.Add(uint8(0), []byte(fx.clr))
	f.Add(uint8(0), []byte("shipment_id,held\nSHP-001,maybe\n\"unterminated\n"))
	f.Add(uint8(1), []byte("clearances:\n  - shipment_id: SHP-001\n    entry_date: 2026-13-45\n    vat: 249,00\n"))
	f.Add(uint8(1), []byte("- &x {shipment_id: SHP-001}\n- *x\n"))
	f.Add(uint8(2), []byte(`[{"shipment_id": "SHP-002", "duties": -1, "fees": "NaN", "held": "sometimes"}]`))
	f.Add(uint8(2), []byte(`{"clearances": {"shipment_id": 3}}`))
	names := []string{"clearances.csv", "clearances.yaml", "clearances.json"}
	f.Fuzz(func(t *testing.T, format uint8, data []byte) {
		fuzzLoad(t, fx, "clearances", names[int(format)%len(names)], data)
	})
}
