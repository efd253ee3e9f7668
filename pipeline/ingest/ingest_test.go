package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixtures are the good inputs of testdata/ingest; each case changes them.
type fixtures struct{ inv, plan, clr string }

func readFixtures(t testing.TB) fixtures {
	t.Helper()
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "ingest", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	return fixtures{read("inventory.csv"), read("plan.yaml"), read("clearances.csv")}
}

// write puts the inputs in a temporary directory under the given names and
// returns their paths.
func write(t testing.TB, dir string, files map[string]string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		out[name] = p
	}
	return out
}

func replace(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("fixture does not contain %q", old)
	}
	return strings.Replace(s, old, new, 1)
}

func TestLoadGood(t *testing.T) {
	fx := readFixtures(t)
	dir := t.TempDir()
	p := write(t, dir, map[string]string{"inventory.csv": fx.inv, "plan.yaml": fx.plan, "clearances.csv": fx.clr})
	b, err := Load(context.Background(), Files{Inventory: p["inventory.csv"], Plan: p["plan.yaml"], Clearances: p["clearances.csv"]}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Problems) != 0 {
		t.Fatalf("problems in good input: %v", b.Problems)
	}
	if len(b.Assets) != 3 || len(b.Plan.Shipments) != 2 || len(b.Clearances) != 1 || len(b.Inputs) != 3 {
		t.Fatalf("got %d assets, %d shipments, %d clearances, %d inputs", len(b.Assets), len(b.Plan.Shipments), len(b.Clearances), len(b.Inputs))
	}
	a := b.Assets["A-1001"]
	if a.HSCode != "84714100" || a.UnitValue.StringFixed(2) != "1850.00" || a.Description != "Máy chủ 2U, xử lý kép" || !a.TPM || a.YearOfMfr != 2019 {
		t.Errorf("asset A-1001 read as %+v", a)
	}
	if a.Src.Line != 2 || a.Src.File != p["inventory.csv"] {
		t.Errorf("asset source %+v, want line 2 of %s", a.Src, p["inventory.csv"])
	}
	if got := b.Assets["A-1002"].Description; got != "=cmd|' /C calc'!A0" {
		t.Errorf("formula text changed on reading: %q", got)
	}
	if got := b.Assets["A-1003"].Description; got != "เซิร์ฟเวอร์" {
		t.Errorf("Thai text changed: %q", got)
	}
	s := b.Plan.Shipments[0]
	if s.ID != "SHP-001" || s.Src.Line != 3 || s.Freight.StringFixed(2) != "1200.00" || s.Parties.Exporter.Address != "Hauptstraße 1\n60311 Frankfurt" ||
		len(s.Packages) != 1 || s.Packages[0].GrossWeightKg.String() != "75" || s.ShipDate != "2026-03-02" {
		t.Errorf("shipment read as %+v", s)
	}
	if c := b.Clearances["SHP-001"]; c == nil || c.VAT.StringFixed(2) != "249.00" || c.Src.Line != 2 {
		t.Errorf("clearance read as %+v", c)
	}
	if b.Inputs[0].Bytes != int64(len(fx.inv)) || len(b.Inputs[0].SHA256) != 64 {
		t.Errorf("input record %+v", b.Inputs[0])
	}
}

// TestProblems has one case per fault: each asserts the message a user sees
// (file, line, field, what was found, what was expected) and which shipments
// fail.
func TestProblems(t *testing.T) {
	fx := readFixtures(t)
	const row3 = "A-1003,SN1003,HPE,ProLiant DL380,P20172,server,เซิร์ฟเวอร์,used,2018,2,true,847141,US,1200.50,USD,6,8000.00,25,29.5,destroy"
	spare := "\nA-2000,SN2000,Dell,R640,X,server,spare,used,2019,2,no,847141,CN,100.00,USD,6,900.00,20,22,clear"
	type tc struct {
		name        string
		inv, plan   string // "" keeps the fixture
		clr         string
		planName    string   // default plan.yaml
		invName     string   // default inventory.csv
		want        []string // all in one problem's message
		fail        []string // shipments that must fail
		pass        []string // shipments that must not fail
		fileProblem bool     // the problem fails no shipment
	}
	cases := []tc{
		{name: "missing serial", inv: replace(t, fx.inv, "A-1001,SN1001,", "A-1001,,"),
			want: []string{"inventory.csv:2: serial: missing required field: found nothing, expected 1 to 64 letters"}, fail: []string{"SHP-001"}, pass: []string{"SHP-002"}},
		{name: "unknown country", inv: replace(t, fx.inv, ",CN,1850.00", ",XX,1850.00"),
			want: []string{"inventory.csv:2: country_of_origin: unknown country: found \"XX\", expected an ISO 3166-1 alpha-2"}, fail: []string{"SHP-001"}, pass: []string{"SHP-002"}},
		{name: "country written as a name", inv: replace(t, fx.inv, ",CN,1850.00", ",Germany,1850.00"),
			want: []string{`inventory.csv:2: country_of_origin: invalid value: found "Germany", expected an ISO 3166-1 alpha-2 country code in capitals, such as DE; "Germany" is DE: write DE, or add it to a mapping file (--mapping) under values: country_of_origin: "Germany": DE`}, fail: []string{"SHP-001"}},
		{name: "country in lower case", inv: replace(t, fx.inv, ",CN,1850.00", ",cn,1850.00"),
			want: []string{"inventory.csv:2: country_of_origin: invalid value: found \"cn\", expected an ISO 3166-1 alpha-2 country code in capitals"}, fail: []string{"SHP-001"}},
		{name: "country name instead of code", plan: replace(t, fx.plan, "destination: VN", "destination: Vietnam"),
			want: []string{"plan.yaml:6: destination: invalid value: found \"Vietnam\", expected an ISO 3166-1 alpha-2"}, fail: []string{"SHP-001"}, pass: []string{"SHP-002"}},
		{name: "unknown currency", inv: replace(t, fx.inv, "1850.00,USD", "1850.00,XYZ"),
			want: []string{"inventory.csv:2: currency: unknown currency: found \"XYZ\", expected an ISO 4217 currency code"}, fail: []string{"SHP-001"}},
		{name: "unknown currency in plan", plan: replace(t, fx.plan, "currency: EUR", "currency: EUX"),
			want: []string{"plan.yaml:28: currency: unknown currency: found \"EUX\", expected an ISO 4217"}, fail: []string{"SHP-002"}, pass: []string{"SHP-001"}},
		{name: "negative value", inv: replace(t, fx.inv, "1850.00,USD", "-1850.00,USD"),
			want: []string{"inventory.csv:2: unit_value: negative value: found \"-1850.00\", expected a value of 0 or more"}, fail: []string{"SHP-001"}},
		{name: "non-numeric value", inv: replace(t, fx.inv, "28.5,32.0", "heavy,32.0"),
			want: []string{"inventory.csv:2: net_weight_kg: not a number: found \"heavy\", expected a plain decimal number"}, fail: []string{"SHP-001"}},
		{name: "thousands separator", inv: replace(t, fx.inv, "1850.00,USD", "\"1,850.00\",USD"),
			want: []string{"inventory.csv:2: unit_value: number with thousands separators or a decimal comma: found \"1,850.00\", expected a plain decimal number with a dot"}, fail: []string{"SHP-001"}},
		{name: "exponent", inv: replace(t, fx.inv, "1850.00,USD", "1.85e3,USD"),
			want: []string{"inventory.csv:2: unit_value: number with an exponent: found \"1.85e3\""}, fail: []string{"SHP-001"}},
		{name: "absurd value", inv: replace(t, fx.inv, "1850.00,USD", "25000000.00,USD"),
			want: []string{"inventory.csv:2: unit_value: absurd value: found \"25000000.00\", expected at most 10000000 per unit"}, fail: []string{"SHP-001"}},
		{name: "absurd weight", inv: replace(t, fx.inv, "28.5,32.0", "2500,2600"),
			want: []string{"inventory.csv:2: gross_weight_kg: absurd value: found \"2600\", expected at most 2000 kg per unit"}, fail: []string{"SHP-001"}},
		{name: "absurd cpu sockets", inv: replace(t, fx.inv, "refurbished,2019,2,", "refurbished,2019,64,"),
			want: []string{"inventory.csv:2: cpu_sockets: absurd value: found 64, expected a whole number of CPU sockets from 0 to 16"}, fail: []string{"SHP-001"}},
		{name: "integer that is not", inv: replace(t, fx.inv, "refurbished,2019,2,", "refurbished,2019,two,"),
			want: []string{"inventory.csv:2: cpu_sockets: wrong type: found \"two\", expected a whole number of CPU sockets"}, fail: []string{"SHP-001"}},
		{name: "year too old", inv: replace(t, fx.inv, "refurbished,2019,", "refurbished,1985,"),
			want: []string{"inventory.csv:2: year_of_manufacture: value too small: found 1985, expected a year from 1990 to the ship year"}, fail: []string{"SHP-001"}},
		{name: "year after ship year", inv: replace(t, fx.inv, "refurbished,2019,", "refurbished,2027,"),
			want: []string{"inventory.csv:2: year_of_manufacture: year of manufacture after the ship year: found 2027, expected 1990 to 2026 (shipment SHP-001 ships 2026-03-02)"}, fail: []string{"SHP-001"}, pass: []string{"SHP-002"}},
		{name: "net above gross", inv: replace(t, fx.inv, "28.5,32.0", "34.5,32.0"),
			want: []string{"inventory.csv:2: net_weight_kg: net weight above gross weight: found 34.5 kg, expected at most the gross weight 32.0 kg"}, fail: []string{"SHP-001"}},
		{name: "hs code with letters", inv: replace(t, fx.inv, "8471.41.00", "8471AB"),
			want: []string{"inventory.csv:2: hs_code: invalid value: found \"8471AB\", expected an HS code of 6 to 10 digits"}, fail: []string{"SHP-001"}},
		{name: "bad category", inv: replace(t, fx.inv, ",server,\"M", ",Sevrer,\"M"),
			want: []string{"inventory.csv:2: category: not an allowed value: found \"Sevrer\", expected one of server, storage, network-switch, power-supply, part; nearest known value \"server\"; or add it to a mapping file (--mapping) under values: category: \"Sevrer\": server"}, fail: []string{"SHP-001"}},
		{name: "bad boolean", inv: replace(t, fx.inv, "2019,2,yes,", "2019,2,maybe,"),
			want: []string{"inventory.csv:2: tpm: wrong type: found \"maybe\", expected true or false"}, fail: []string{"SHP-001"}},
		{name: "duplicate asset tag", inv: fx.inv + "A-1001,SN9999,Dell,R640,X,server,dup,used,2019,2,no,847141,CN,100.00,USD,6,900.00,20,22,clear\n",
			want: []string{"inventory.csv:5: asset_tag: duplicate asset tag: found \"A-1001\" on lines 2 and 5, expected each asset tag once"}, fail: []string{"SHP-001"}, pass: []string{"SHP-002"}},
		{name: "duplicate serial", inv: fx.inv + "A-2000,SN1003,Dell,R640,X,server,dup,used,2019,2,no,847141,CN,100.00,USD,6,900.00,20,22,clear\n",
			want: []string{"inventory.csv:5: serial: duplicate serial: found \"SN1003\" on line 4 (asset A-1003) and line 5 (asset A-2000), expected each serial once"}, fail: []string{"SHP-002"}, pass: []string{"SHP-001"}},
		{name: "asset on two shipments", plan: replace(t, fx.plan, "assets: [A-1003]", "assets: [A-1003, A-1001]"),
			want: []string{"plan.yaml:36: assets[1]: asset on two shipments: found \"A-1001\" also on shipment SHP-001 (line 21), expected each asset on one shipment"}, fail: []string{"SHP-001", "SHP-002"}},
		{name: "asset on two shipments names the other", plan: replace(t, fx.plan, "assets: [A-1003]", "assets: [A-1003, A-1001]"),
			want: []string{"plan.yaml:21: assets: asset on two shipments: found \"A-1001\" also on shipment SHP-002 (line 36)"}, fail: []string{"SHP-001", "SHP-002"}},
		{name: "unknown asset", plan: replace(t, fx.plan, "assets: [A-1003]", "assets: [A-1003, A-9999]"),
			want: []string{"plan.yaml:36: assets[1]: unknown asset: found \"A-9999\", expected an asset tag of the inventory"}, fail: []string{"SHP-002"}, pass: []string{"SHP-001"}},
		{name: "packed asset not on shipment", plan: replace(t, fx.plan, "assets: [A-1001, A-1002]}", "assets: [A-1001, A-1002, A-1003]}"),
			want: []string{"plan.yaml:20: packages[0].assets[2]: packed asset not on this shipment: found \"A-1003\", expected one of the shipment's assets"}, fail: []string{"SHP-001"}, pass: []string{"SHP-002"}},
		{name: "asset in no package", plan: replace(t, fx.plan, "assets: [A-1001, A-1002]}", "assets: [A-1001]}"),
			want: []string{"plan.yaml:21: assets: asset in no package: found \"A-1002\", expected every asset of the shipment in one of its packages"}, fail: []string{"SHP-001"}},
		{name: "duplicate shipment id", plan: replace(t, fx.plan, "id: SHP-002", "id: SHP-001"),
			want: []string{"plan.yaml:22: id: duplicate shipment id: found \"SHP-001\" on lines 3 and 22, expected each shipment id once"}, fail: []string{"SHP-001"}},
		{name: "clearance for unknown shipment", clr: fx.clr + "SHP-404,1,2026-03-04,2026-03-05,SGN,USD,0.00,0.00,0.00,no\n",
			want: []string{"clearances.csv:3: shipment_id: clearance for an unknown shipment: found \"SHP-404\", expected the id of a shipment in the plan"}, pass: []string{"SHP-001", "SHP-002"}, fileProblem: true},
		{name: "clearance with bad date", clr: replace(t, fx.clr, "2026-03-04,2026-03-05", "2026-03-04,05/03/2026"),
			want: []string{"clearances.csv:2: release_date: invalid date: found \"05/03/2026\", expected a date YYYY-MM-DD"}, fail: []string{"SHP-001"}, pass: []string{"SHP-002"}},
		{name: "date that is not a date", plan: replace(t, fx.plan, "ship_date: 2026-03-02", "ship_date: 2026-02-30"),
			want: []string{"plan.yaml:10: ship_date: invalid date: found \"2026-02-30\", expected a date YYYY-MM-DD"}, fail: []string{"SHP-001"}, pass: []string{"SHP-002"}},
		{name: "unknown field in plan", plan: replace(t, fx.plan, "    currency: USD\n", "    currency: USD\n    colour: red\n"),
			want: []string{"plan.yaml:10: colour: unknown field: found \"colour\", expected only the fields of the schema (acquisition_country, assets, currency,"}, fail: []string{"SHP-001"}, pass: []string{"SHP-002"}},
		{name: "yaml duplicate key", plan: replace(t, fx.plan, "    currency: USD\n", "    currency: USD\n    currency: EUR\n"),
			want: []string{"plan.yaml:10: currency: duplicate key: found \"currency\" again (first on line 9), expected each key once"}, fail: []string{"SHP-001"}, pass: []string{"SHP-002"}},
		{name: "missing party field", plan: replace(t, fx.plan, "address: \"Hauptstraße 1\\n60311 Frankfurt\", ", ""),
			want: []string{"plan.yaml:13: parties.exporter.address: missing required field: found nothing, expected text of 1 to 4096 characters"}, fail: []string{"SHP-001"}, pass: []string{"SHP-002"}},
		{name: "control character in name", plan: replace(t, fx.plan, "name: Anna Weber", "name: \"Anna\\u0007Weber\""),
			want: []string{"plan.yaml:16: declarant.name: control character U+0007 at character 5: found \"Anna\\aWeber\", expected text without control characters"}, fail: []string{"SHP-001"}},
		{name: "ragged row", inv: replace(t, fx.inv, "A-1002,SN1002,Cisco,", "A-1002,"),
			want: []string{"inventory.csv:3: row: wrong number of fields: found 18 fields, expected 20 fields, as in the header"}, fail: []string{"SHP-001"}, pass: []string{"SHP-002"}},
		{name: "invalid UTF-8 in a cell", inv: replace(t, fx.inv, "Catalyst 9300", "Catalyst \xff9300"),
			want: []string{"inventory.csv:3: model: invalid UTF-8 at column 30: found \"Catalyst \ufffd9300\", expected UTF-8 text"}, fail: []string{"SHP-001"}},
		{name: "field too long", inv: replace(t, fx.inv, "=cmd|' /C calc'!A0", strings.Repeat("x", 5000)),
			want: []string{"inventory.csv:3: description: field too long: found 5000 bytes, expected at most 4096 bytes"}, fail: []string{"SHP-001"}, pass: []string{"SHP-002"}},
		{name: "asset tag escaping the archive", inv: replace(t, fx.inv, "A-1003,", "../A-1003,"),
			want: []string{"inventory.csv:4: asset_tag: invalid value: found \"../A-1003\", expected 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"}, fail: []string{"SHP-002"}, pass: []string{"SHP-001"}, fileProblem: true},
		{name: "serial with slash", inv: replace(t, fx.inv, "SN1003", "SN/1003"),
			want: []string{"inventory.csv:4: serial: invalid value: found \"SN/1003\", expected 1 to 64 letters"}, fail: []string{"SHP-002"}},
		{name: "serial with NUL", inv: replace(t, fx.inv, "SN1003", "SN\x001003"),
			want: []string{"inventory.csv:4: serial: invalid value: found \"SN\\x001003\", expected 1 to 64 letters"}, fail: []string{"SHP-002"}},
		{name: "formula as asset tag", inv: replace(t, fx.inv, "A-1003,", "\"=cmd|' /C calc'!A0\","),
			want: []string{"inventory.csv:4: asset_tag: invalid value: found \"=cmd|' /C calc'!A0\", expected 1 to 64 letters"}, fail: []string{"SHP-002"}, fileProblem: true},
		{name: "shipment id escaping the archive", plan: replace(t, fx.plan, "id: SHP-002", "id: ../SHP-002"),
			want: []string{"plan.yaml:22: id: invalid value: found \"../SHP-002\", expected 1 to 64 letters"}, fail: []string{"../SHP-002"}, pass: []string{"SHP-001"}},
		{name: "package id with slash", plan: replace(t, fx.plan, "{id: P1,", "{id: P/1,"),
			want: []string{"plan.yaml:20: packages[0].id: invalid value: found \"P/1\", expected 1 to 64 letters"}, fail: []string{"SHP-001"}},
		{name: "shipment without id", plan: replace(t, fx.plan, "  - id: SHP-002\n    direction", "  - direction"),
			want: []string{"plan.yaml:22: id: missing required field: found nothing"}, fail: []string{"#2"}, pass: []string{"SHP-001"}},
		{name: "bad spare asset fails no shipment", inv: fx.inv + strings.Replace(spare, "CN,100.00", "ZZ,100.00", 1)[1:] + "\n",
			want: []string{"inventory.csv:5: country_of_origin: unknown country: found \"ZZ\""}, pass: []string{"SHP-001", "SHP-002"}, fileProblem: true},
		{name: "BOM and header spelling", inv: "\ufeff" + replace(t, fx.inv, "asset_tag,serial,manufacturer,model,part_number", "Asset Tag,SERIAL,Manufacturer,Model,PartNumber"),
			pass: []string{"SHP-001", "SHP-002"}},
		{name: "Snipe-IT export", inv: "Asset Tag,Serial,Manufacturer,Model,Model Number,Category,Purchase Cost,Purchase Date,Status,Notes,HS Code,ECCN,Condition Grade,Condition,Country of Origin,Unit Value,Currency,Net Weight Kg,Gross Weight Kg\n" +
			"A-1001,SN1001,Dell,PowerEdge R740,R740-X,server,9400.00,2019-05-01,Ready to Deploy,rack 4,8471.41.00,5A992.c,B,refurbished,CN,1850.00,USD,28.5,32.0\n" +
			"A-1002,SN1002,Cisco,Catalyst 9300,C9300-48P,network-switch,\"5,200.00\",2020-01-01,Ready to Deploy,,85176200,5A992.c,A,used,MY,640.00,USD,7.1,9.0\n" +
			row3[:0] + "A-1003,SN1003,HPE,ProLiant DL380,P20172,server,8000.00,2018-01-01,Pending,,847141,EAR99,C,used,US,1200.50,USD,25,29.5\n",
			want: []string{"inventory.csv:3: Purchase Cost: number with thousands separators or a decimal comma: found \"5,200.00\", expected a plain decimal number with a dot"}, fail: []string{"SHP-001"}, pass: []string{"SHP-002"}},
		{name: "JSON inventory", invName: "inventory.json", inv: `{"assets": [
  {"asset_tag": "A-1001", "serial": "SN1001", "manufacturer": "Dell", "model": "R740", "category": "server", "condition": "used",
   "hs_code": "847141", "country_of_origin": "CN", "unit_value": 1850.00, "currency": "USD", "net_weight_kg": 28.5, "gross_weight_kg": 32},
  {"asset_tag": "A-1002", "serial": "SN1002", "manufacturer": "Cisco", "model": "C9300", "category": "network-switch", "condition": "used",
   "hs_code": "85176200", "country_of_origin": "MY", "unit_value": 640.00, "currency": "USD", "net_weight_kg": 7.1, "gross_weight_kg": 9},
  {"asset_tag": "A-1003", "serial": "SN1003", "manufacturer": "HPE", "model": "DL380", "category": "server", "condition": "used",
   "hs_code": "847141", "country_of_origin": "US", "unit_value": 1.2e3, "currency": "USD", "net_weight_kg": 25, "gross_weight_kg": 29.5}
]}`,
			want: []string{"inventory.json:7: unit_value: number with an exponent: found \"1.2e3\", expected a plain decimal number with a dot"}, fail: []string{"SHP-002"}, pass: []string{"SHP-001"}},
		{name: "JSON inventory with a duplicate top-level key", invName: "inventory.json", inv: `{"assets": [], "assets": []}`,
			want: []string{"inventory.json:1: assets: duplicate key: found \"assets\" again (first on line 1), expected each key once"}, fail: []string{"SHP-001", "SHP-002"}, fileProblem: true},
		{name: "JSON plan", planName: "plan.json", plan: `{"program": "p", "shipments": [
  {"id": "SHP-001", "direction": "forward", "origin": "DE", "destination": "VN", "reason": "sale",
   "incoterms": {"rule": "DAP", "place": "HCMC"}, "currency": "USD", "ship_date": "2026-03-02",
   "transport": {"mode": "air", "route": "FRA-SGN"},
   "parties": {"exporter": {"name": "E", "address": "A", "country": "DE"}, "importer_of_record": {"name": "I", "address": "A", "country": "VN"},
               "consignee": {"name": "C", "address": "A", "country": "VN"}},
   "declarant": {"name": "D", "position": "P"}, "freight": "1200.00", "assets": ["A-1001", "A-1002"]},
  {"id": "SHP-002", "direction": "sideways", "origin": "TH", "destination": "DE", "reason": "sale",
   "incoterms": {"rule": "FCA", "place": "BKK"}, "currency": "EUR", "ship_date": "2026-04-10",
   "transport": {"mode": "sea", "route": "BKK-HAM"},
   "parties": {"exporter": {"name": "E", "address": "A", "country": "TH"}, "importer_of_record": {"name": "I", "address": "A", "country": "DE"},
               "consignee": {"name": "C", "address": "A", "country": "DE"}},
   "declarant": {"name": "D", "position": "P"}, "assets": ["A-1003"]}
]}`, clr: "-",
			want: []string{"plan.json:8: direction: not an allowed value: found \"sideways\", expected one of forward, return"}, fail: []string{"SHP-002"}, pass: []string{"SHP-001"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			invName, planName := "inventory.csv", "plan.yaml"
			if c.invName != "" {
				invName = c.invName
			}
			if c.planName != "" {
				planName = c.planName
			}
			inv, plan, clr := fx.inv, fx.plan, fx.clr
			if c.inv != "" {
				inv = c.inv
			}
			if c.plan != "" {
				plan = c.plan
			}
			if c.clr != "" {
				clr = c.clr
			}
			files := map[string]string{invName: inv, planName: plan}
			if clr != "-" {
				files["clearances.csv"] = clr
			}
			p := write(t, t.TempDir(), files)
			b, err := Load(context.Background(), Files{Inventory: p[invName], Plan: p[planName], Clearances: p["clearances.csv"]}, Limits{})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			var msgs []string
			found := -1
			for i, pr := range b.Problems {
				msgs = append(msgs, pr.Error())
				ok := len(c.want) > 0
				for _, w := range c.want {
					if !strings.Contains(pr.Error(), w) {
						ok = false
					}
				}
				if ok && found < 0 {
					found = i
				}
			}
			if len(c.want) == 0 && len(b.Problems) > 0 {
				t.Errorf("unexpected problems:\n%s", strings.Join(msgs, "\n"))
			}
			if len(c.want) > 0 && found < 0 {
				t.Fatalf("no problem says %q; got:\n%s", c.want, strings.Join(msgs, "\n"))
			}
			if found >= 0 {
				pr := b.Problems[found]
				if !strings.HasPrefix(pr.File, filepath.Dir(p[invName])) || pr.Line < 1 || pr.Field == "" || pr.Found == "" || pr.Expected == "" {
					t.Errorf("problem lacks file, line, field, found or expected: %+v", pr)
				}
				inFile := false
				for _, fp := range b.FileProblems() {
					inFile = inFile || fp.Error() == pr.Error()
				}
				if inFile != c.fileProblem {
					t.Errorf("problem among FileProblems = %v, want %v", inFile, c.fileProblem)
				}
			}
			for _, id := range c.fail {
				if len(b.ShipmentProblems(id)) == 0 {
					t.Errorf("shipment %s does not fail; problems:\n%s", id, strings.Join(msgs, "\n"))
				}
			}
			for _, id := range c.pass {
				if ps := b.ShipmentProblems(id); len(ps) > 0 {
					t.Errorf("shipment %s fails: %v", id, ps)
				}
			}
			ids := map[string]bool{}
			for _, s := range b.Plan.Shipments {
				ids[s.ID] = true
			}
			for _, id := range append(append([]string(nil), c.fail...), c.pass...) {
				if !ids[id] {
					t.Errorf("shipment %s not in Batch.Plan (got %v)", id, ids)
				}
			}
		})
	}
}
