package ingest

import (
	"context"
	"strings"
	"testing"
)

// TestSnipeITColumns: a Snipe-IT export reads with its own headers; custom
// fields clearpack knows (HS Code, ECCN, Condition Grade) land in their
// fields, the rest in Extra under their header, nothing dropped.
func TestSnipeITColumns(t *testing.T) {
	fx := readFixtures(t)
	inv := "\ufeffAsset Tag,Serial,Manufacturer,Model,Model Number,Category,Purchase Cost,Purchase Date,Status,Notes,Location,HS Code,ECCN,Condition Grade,Condition,Country of Origin,Unit Value,Currency,Net Weight (kg),Gross Weight (kg)\n" +
		"A-1001,SN1001,Dell,PowerEdge R740,R740-X,server,9400.00,2019-05-01,Ready to Deploy,\"rack 4,\nslot 2\",Frankfurt DC,8471.41.00,5A992.c,B,refurbished,CN,1850.00,USD,28.5,32.0\n" +
		"A-1002,SN1002,Cisco,Catalyst 9300,C9300-48P,network-switch,5200.00,2020-01-01,Ready to Deploy,,Frankfurt DC,85176200,5A992.c,A,used,MY,640.00,USD,7.1,9.0\n" +
		"A-1003,SN1003,HPE,ProLiant DL380,P20172,server,8000.00,2018-01-01,Pending,,Bangkok,847141,EAR99,C,used,US,1200.50,USD,25,29.5\n"
	p := write(t, t.TempDir(), map[string]string{"inventory.csv": inv, "plan.yaml": fx.plan})
	b, err := Load(context.Background(), Files{Inventory: p["inventory.csv"], Plan: p["plan.yaml"]}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Problems) > 0 {
		t.Fatalf("problems: %v", b.Problems)
	}
	if a := b.Assets["A-1002"]; a == nil || a.Src.Line != 4 || a.NetWeightKg.String() != "7.1" {
		t.Errorf("asset after a two-line row: %+v (want line 4)", a)
	}
	a := b.Assets["A-1001"]
	if a == nil {
		t.Fatalf("asset A-1001 missing: %v", b.Assets)
	}
	if a.PartNumber != "R740-X" || a.OriginalCost.StringFixed(2) != "9400.00" || a.HSCode != "84714100" || a.ECCN != "5A992.c" || a.Grade != "B" {
		t.Errorf("mapped fields: %+v", a)
	}
	want := map[string]string{"Purchase Date": "2019-05-01", "Status": "Ready to Deploy", "Notes": "rack 4,\nslot 2", "Location": "Frankfurt DC"}
	for k, v := range want {
		if a.Extra[k] != v {
			t.Errorf("Extra[%q] = %q, want %q (Extra %v)", k, a.Extra[k], v, a.Extra)
		}
	}
}

// TestClearanceFormats: clearance records read from YAML and JSON as from
// CSV, with lines and fields named the same way.
func TestClearanceFormats(t *testing.T) {
	fx := readFixtures(t)
	cases := []struct {
		name, file, body string
		want             string // a problem, "" for none
		fail             string
	}{
		{name: "yaml", file: "clearances.yaml", body: "clearances:\n  - shipment_id: SHP-001\n    entry_number: \"105234567890\"\n    entry_date: 2026-03-04\n    release_date: 2026-03-05\n    port: SGN\n    currency: USD\n    duties: 0.00\n    vat: 249.00\n    fees: 35.00\n    held: false\n"},
		{name: "yaml with a bad amount", file: "clearances.yaml", body: "clearances:\n  - shipment_id: SHP-001\n    entry_number: \"1\"\n    entry_date: 2026-03-04\n    release_date: 2026-03-05\n    port: SGN\n    currency: USD\n    duties: 0.00\n    vat: 249,00\n    fees: 35.00\n",
			want: "clearances.yaml:9: vat: number with thousands separators or a decimal comma: found \"249,00\", expected a plain decimal number with a dot", fail: "SHP-001"},
		{name: "json list", file: "clearances.json", body: `[{"shipment_id": "SHP-002", "entry_number": "X1", "entry_date": "2026-04-20", "release_date": "2026-04-21", "port": "DEHAM", "currency": "EUR", "duties": 0, "vat": 0, "fees": 12.5, "held": "sometimes"}]`,
			want: "clearances.json:1: held: wrong type: found \"sometimes\", expected true or false", fail: "SHP-002"},
		{name: "csv with an unknown column", file: "clearances.csv", body: "shipment_id,entry_number,entry_date,release_date,port,currency,duties,vat,fees,colour\nSHP-001,1,2026-03-04,2026-03-05,SGN,USD,0,0,0,red\n",
			want: "clearances.csv:1: colour: unknown column, ignored: found \"colour\", expected only the columns of the clearances schema"},
		{name: "two clearances for one shipment", file: "clearances.csv", body: fx.clr + "SHP-001,2,2026-03-04,2026-03-05,SGN,USD,0,0,0,no\n",
			want: "clearances.csv:3: shipment_id: two clearances for one shipment: found \"SHP-001\" on lines 2 and 3, expected one clearance record per shipment", fail: "SHP-001"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := write(t, t.TempDir(), map[string]string{"inventory.csv": fx.inv, "plan.yaml": fx.plan, c.file: c.body})
			b, err := Load(context.Background(), Files{Inventory: p["inventory.csv"], Plan: p["plan.yaml"], Clearances: p[c.file]}, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			var msgs []string
			ok := c.want == ""
			for _, pr := range b.Problems {
				msgs = append(msgs, pr.Error())
				ok = ok || strings.Contains(pr.Error(), c.want)
			}
			if !ok || (c.want == "" && len(msgs) > 0) {
				t.Fatalf("want problem %q, got:\n%s", c.want, strings.Join(msgs, "\n"))
			}
			if c.want == "" && len(b.Clearances) != 1 {
				t.Errorf("clearances read: %v", b.Clearances)
			}
			if c.fail != "" && len(b.ShipmentProblems(c.fail)) == 0 {
				t.Errorf("shipment %s does not fail", c.fail)
			}
		})
	}
}
