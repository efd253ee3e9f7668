package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMessagesNameWhere covers messages that once left out where the fault
// was: each input is written next to the good fixtures and loaded; the
// error or a problem must read as want.
func TestMessagesNameWhere(t *testing.T) {
	good := filepath.Join("..", "..", "testdata", "ingest")
	asset := `{"asset_tag": "A-1001", "serial": "SN1001", "manufacturer": "Dell", "model": "R740", "category": "server", "description": "server", "condition": "used", "hs_code": "84714100", "country_of_origin": "CN", "unit_value": "100.00", "currency": "USD", "net_weight_kg": "20", "gross_weight_kg": "25"}`
	tests := []struct {
		name  string
		file  string // written as this name; the others are the good fixtures
		body  string
		want  string // an exact problem or error text
		fails string // the shipment the problem fails, if any
	}{
		{name: "inventory record not an object", file: "inventory.json", body: "[\n  1,\n  " + asset + "\n]\n",
			want: "inventory.json:2: [0]: wrong type: found \"1\", expected "},
		{name: "inventory record under assets not an object", file: "inventory.json", body: `{"assets": ["x"]}`,
			want: "inventory.json:1: assets[0]: wrong type: found \"x\", expected "},
		{name: "clearance record not an object", file: "clearances.json", body: `[true]`,
			want: "clearances.json:1: [0]: wrong type: found true, expected "},
		{name: "empty plan", file: "plan.yaml", body: "",
			want: "plan.yaml:1: file is empty: found 0 bytes, expected a shipment plan: YAML or JSON with a program and a list of shipments"},
		{name: "truncated JSON on one line", file: "inventory.json", body: `[{"asset_tag": "A-1001", "description": "M\u00`,
			want: "inventory.json:1: not parseable as YAML or JSON: found the end of the input in the middle of a value (did not find expected hexdecimal number), expected a YAML or JSON document"},
		{name: "truncated JSON over lines", file: "inventory.json", body: "[\n" + asset + ",\n" + asset[:60],
			want: "inventory.json: not parseable as YAML or JSON: found line 3: "}, // the parser names the line itself
		{name: "release before entry", file: "clearances.csv",
			body:  "shipment_id,entry_number,entry_date,release_date,port,currency,duties,vat,fees\nSHP-001,1,2026-03-04,2026-03-01,SGN,USD,0,0,0\n",
			want:  `clearances.csv:2: release_date: release before entry: found "2026-03-01", expected the entry date 2026-03-04 or later`,
			fails: "SHP-001"},
		{name: "release on entry day is fine", file: "clearances.csv",
			body: "shipment_id,entry_number,entry_date,release_date,port,currency,duties,vat,fees\nSHP-001,1,2026-03-04,2026-03-04,SGN,USD,0,0,0\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			files := Files{Inventory: filepath.Join(good, "inventory.csv"), Plan: filepath.Join(good, "plan.yaml")}
			p := filepath.Join(tmp, tc.file)
			if err := os.WriteFile(p, []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			switch strings.TrimSuffix(tc.file, filepath.Ext(tc.file)) {
			case "inventory":
				files.Inventory = p
			case "plan":
				files.Plan = p
			case "clearances":
				files.Clearances = p
			}
			b, err := Load(context.Background(), files, Limits{})
			var got []string
			if err != nil {
				got = append(got, strings.TrimPrefix(err.Error(), tmp+string(filepath.Separator)))
			} else {
				for _, pr := range b.Problems {
					got = append(got, strings.TrimPrefix(pr.Error(), tmp+string(filepath.Separator)))
				}
			}
			found := false
			for _, g := range got {
				if strings.HasPrefix(g, tc.want) && tc.want != "" {
					found = true
				}
				if tc.want == "" && strings.Contains(g, "release") {
					t.Errorf("unexpected problem %s", g)
				}
			}
			if tc.want != "" && !found {
				t.Fatalf("no %q in:\n%s", tc.want, strings.Join(got, "\n"))
			}
			if tc.fails != "" {
				if b == nil || len(b.ShipmentProblems(tc.fails)) == 0 {
					t.Errorf("shipment %s does not fail", tc.fails)
				}
				if _, kept := b.Clearances[tc.fails]; kept {
					t.Errorf("the faulty clearance of %s was kept", tc.fails)
				}
			}
		})
	}
}
