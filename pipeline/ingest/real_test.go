package ingest

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/pipeline/model"
)

// anchoredPlan is testdata/ingest/plan.yaml written the way people write
// YAML: parties and shared fields defined once (top-level x- keys, anchors
// at first use) and referred to with aliases and merge keys.
const anchoredPlan = `program: dc-exit-2026
x-parties:
  gmbh: &gmbh {name: "Clearpack GmbH", address: "Hauptstraße 1, Frankfurt", country: DE}
  vn: &vn {name: "Công ty TNHH Clearpack", address: "12 Lê Lợi, Quận 1", country: VN}
x-forward: &forward
  direction: forward
  origin: DE
  destination: VN
  reason: intra-company transfer
  currency: SGD          # overridden below: the mapping's own key wins
shipments:
  - <<: *forward
    id: SHP-001
    incoterms: {rule: DAP, place: "Ho Chi Minh City"}
    currency: USD
    ship_date: 2026-03-02
    transport: {mode: air, route: FRA-SGN, carrier: LH Cargo}
    parties:
      exporter: {<<: *gmbh, address: "Hauptstraße 1\n60311 Frankfurt"}
      importer_of_record: {<<: *vn, tax_id: "0312345678"}
      consignee: *vn
    declarant: {name: Anna Weber, position: Trade Compliance Lead}
    freight: 1200.00
    insurance: 45.50
    packages:
      - {id: P1, type: pallet, length_cm: 120, width_cm: 80, height_cm: 110, gross_weight_kg: 75.0, assets: [A-1001, A-1002]}
    assets: [A-1001, A-1002]
  - id: SHP-002
    direction: return
    origin: TH
    destination: DE
    reason: return for refurbishment
    incoterms: {rule: FCA, place: Bangkok}
    currency: EUR
    ship_date: 2026-04-10
    transport: {mode: sea, route: BKK-HAM}
    parties:
      exporter: {name: "บริษัท เคลียร์แพ็ค จำกัด", address: "99 ถนนสีลม กรุงเทพฯ", country: TH}
      importer_of_record: *gmbh
      consignee: *gmbh
    declarant: {name: Somchai P., position: Logistics}
    assets: [A-1003]
`

// planJSON is a plan's shipments without their source lines, to compare
// two spellings of one plan.
func planJSON(t *testing.T, p *model.Plan) string {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestAnchorsAliasesMergeKeys(t *testing.T) {
	fx := readFixtures(t)
	p := write(t, t.TempDir(), map[string]string{"inventory.csv": fx.inv, "plan.yaml": fx.plan, "anchored.yaml": anchoredPlan})
	want, err := Load(context.Background(), Files{Inventory: p["inventory.csv"], Plan: p["plan.yaml"]}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, whole := range []bool{false, true} {
		got, err := load(context.Background(), Files{Inventory: p["inventory.csv"], Plan: p["anchored.yaml"]}, Limits{}, whole)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Problems) > 0 {
			t.Fatalf("anchored plan (whole=%v) has problems: %v", whole, got.Problems)
		}
		if g, w := planJSON(t, got.Plan), planJSON(t, want.Plan); g != w {
			t.Errorf("anchored plan (whole=%v) reads as\n%s\nwant the written-out plan's\n%s", whole, g, w)
		}
	}
}

func TestEnumsAsExportsWriteThem(t *testing.T) {
	fx := readFixtures(t)
	const row1 = "A-1001,SN1001,Dell,PowerEdge R740,R740-X,server,\"Máy chủ 2U, xử lý kép\",refurbished,2019,2,yes,8471.41.00,CN,1850.00,USD,6,9400.00,28.5,32.0,purge"
	cases := []struct {
		category, condition, tpm, sanitisation string
		wantCat, wantCond                      string
		wantTPM                                bool
		wantTPMText, wantMethod, wantSanText   string
	}{
		{"Server", "Refurbished", "TPM 2.0", "NIST 800-88 Purge", "server", "refurbished", true, "TPM 2.0", "purge", "NIST 800-88 Purge"},
		{"Network Switch", "Pre-owned", "none", "IEEE 2883 Cryptographic Erase", "network-switch", "used", false, "none", "purge", "IEEE 2883 Cryptographic Erase"},
		{"NETWORK_SWITCH", "used", "no", "Overwrite (1 pass, verified)", "network-switch", "used", false, "", "clear", "Overwrite (1 pass, verified)"},
		{"Rack Server", "Certified Refurbished", "Infineon SLB9670 TPM 2.0", "Shredded (NIST SP 800-88 Destroy)", "server", "refurbished", true, "Infineon SLB9670 TPM 2.0", "destroy", "Shredded (NIST SP 800-88 Destroy)"},
		{"Power Supply", "Second-hand", "yes", "Purge", "power-supply", "used", true, "", "purge", ""},
		{"Storage Array", "renewed", "2.0", "Degauss", "storage", "refurbished", true, "2.0", "purge", "Degauss"},
	}
	for _, c := range cases {
		t.Run(c.category+"/"+c.sanitisation, func(t *testing.T) {
			row := strings.Join([]string{"A-1001,SN1001,Dell,PowerEdge R740,R740-X", c.category, "\"Máy chủ 2U, xử lý kép\"", c.condition,
				"2019,2", c.tpm, "8471.41.00,CN,1850.00,USD,6,9400.00,28.5,32.0", "\"" + c.sanitisation + "\""}, ",")
			inv := replace(t, fx.inv, row1, row)
			p := write(t, t.TempDir(), map[string]string{"inventory.csv": inv, "plan.yaml": fx.plan})
			b, err := Load(context.Background(), Files{Inventory: p["inventory.csv"], Plan: p["plan.yaml"]}, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			for _, pr := range b.Problems {
				if pr.Line == 2 {
					t.Fatalf("row refused: %v", pr)
				}
			}
			a := b.Assets["A-1001"]
			if a.Category != c.wantCat || string(a.Condition) != c.wantCond || a.TPM != c.wantTPM || a.TPMText != c.wantTPMText ||
				a.SanitisationMethod != c.wantMethod || a.SanitisationText != c.wantSanText {
				t.Errorf("read as category %q condition %q tpm %v %q sanitisation %q %q", a.Category, a.Condition, a.TPM, a.TPMText, a.SanitisationMethod, a.SanitisationText)
			}
		})
	}
}

func TestMapping(t *testing.T) {
	// An export with its own column names, its own spellings, weights in
	// pounds, no currency column, and package dimensions in inches.
	const inv = `Tag,Serial,Maker,Model,Kind,State,Tariff,Made In,Customs Value,Net lb,Gross lb,Wipe,TPM Module
A-1001,SN1001,Dell,PowerEdge R740,Rack Mount Chassis,Gebraucht,8471.41.00,Germany,1850.00,62.83,70.55,Blancco purge,TPM 2.0
A-1002,SN1002,Cisco,Catalyst 9300,Switch,neu,85176200,MY,640.00,15.65,19.84,Vendor reset,none
A-1003,SN1003,HPE,ProLiant DL380,Rack Mount Chassis,Gebraucht,847141,US,1200.50,55.12,65.04,Shredded,no
`
	const mapping = `description: an in-house export
columns:
  Tag: asset_tag
  Maker: manufacturer
  Kind: category
  State: condition
  Tariff: hs_code
  Made In: country_of_origin
  Customs Value: unit_value
  Net lb: net_weight_kg
  Gross lb: gross_weight_kg
  Wipe: sanitisation_method
  TPM Module: tpm
values:
  category: {"Rack Mount Chassis": server}
  condition: {Gebraucht: used, neu: new}
  country_of_origin: {Germany: DE}
  sanitisation_method: {"Vendor reset": clear}
defaults:
  currency: USD
units:
  net_weight_kg: lb
  gross_weight_kg: lb
  packages.length_cm: in
`
	fx := readFixtures(t)
	plan := replace(t, fx.plan, "length_cm: 120", "length_cm: 48")
	p := write(t, t.TempDir(), map[string]string{"inventory.csv": inv, "plan.yaml": plan, "mapping.yaml": mapping})
	b, err := Load(context.Background(), Files{Inventory: p["inventory.csv"], Plan: p["plan.yaml"], Mapping: p["mapping.yaml"]}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Problems) > 0 {
		t.Fatalf("problems: %v", b.Problems)
	}
	a := b.Assets["A-1001"]
	if a.Category != "server" || a.Condition != model.Used || a.CountryOfOrigin != "DE" || a.Currency != "USD" || a.HSCode != "84714100" ||
		a.NetWeightKg.String() != "28.499" || a.GrossWeightKg.String() != "32.001" || a.SanitisationMethod != "purge" || a.SanitisationText != "Blancco purge" ||
		!a.TPM || a.TPMText != "TPM 2.0" || a.UnitValue.StringFixed(2) != "1850.00" {
		t.Errorf("A-1001 read as %+v", a)
	}
	if a := b.Assets["A-1002"]; a.SanitisationMethod != "clear" || a.SanitisationText != "Vendor reset" || a.Condition != model.New || a.TPM || a.TPMText != "none" {
		t.Errorf("A-1002 read as %+v", a)
	}
	if got := b.Plan.Shipments[0].Packages[0].LengthCm.String(); got != "121.92" {
		t.Errorf("package length 48 in read as %s cm, want 121.92", got)
	}
	if n := len(b.Inputs); n != 3 || b.Inputs[2].Path != p["mapping.yaml"] || len(b.Inputs[2].SHA256) != 64 {
		t.Errorf("inputs %+v: want the mapping recorded last", b.Inputs)
	}

	// A package of 900 inches passes the check of the value as written, and
	// is refused once converted.
	long := replace(t, plan, "length_cm: 48", "length_cm: 900")
	p = write(t, t.TempDir(), map[string]string{"inventory.csv": inv, "plan.yaml": long, "mapping.yaml": mapping})
	b, err = Load(context.Background(), Files{Inventory: p["inventory.csv"], Plan: p["plan.yaml"], Mapping: p["mapping.yaml"]}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Problems) != 1 || !strings.HasSuffix(b.Problems[0].Error(), `plan.yaml:3: packages[0].length_cm: absurd value: found 900, 2286 after the mapping's unit conversion, expected at most 2000 cm`) ||
		len(b.ShipmentProblems("SHP-001")) != 1 {
		t.Errorf("problems %v", b.Problems)
	}

	// A value the mapping does not know: the message names the mapping file.
	bad := strings.Replace(inv, "Switch,neu", "Switch,Gebrauch", 1)
	p = write(t, t.TempDir(), map[string]string{"inventory.csv": bad, "plan.yaml": plan, "mapping.yaml": mapping})
	b, err = Load(context.Background(), Files{Inventory: p["inventory.csv"], Plan: p["plan.yaml"], Mapping: p["mapping.yaml"]}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := `inventory.csv:3: State: not an allowed value: found "Gebrauch", expected one of new, refurbished, used; nearest known value "used"; or add it to the mapping file ` +
		p["mapping.yaml"] + ` under values: condition: "Gebrauch": used`
	if len(b.Problems) != 1 || !strings.HasSuffix(b.Problems[0].Error(), want) {
		t.Errorf("problems %v\nwant one ending %s", b.Problems, want)
	}
}

func TestMappingFileErrors(t *testing.T) {
	cases := []struct{ body, want string }{
		{"columns:\n  Weight: weight\n", `m.yaml:2: columns.Weight: unknown field: found "weight", expected one of asset_tag`},
		{"values:\n  category:\n    Chassis: chassis\n", `m.yaml:3: values.category.Chassis: not an allowed value: found "chassis", expected one of server, storage`},
		{"defaults:\n  currency: Euro\n", `m.yaml:2: defaults.currency: not a currency code: found "Euro", expected an ISO 4217 code in capitals, such as EUR`},
		{"values:\n  country_of_origin: {Germany: Deutschland}\n", `m.yaml:2: values.country_of_origin.Germany: not a country code: found "Deutschland"`},
		{"units:\n  net_weight_kg: stone\n", `m.yaml:2: units.net_weight_kg: unknown weight unit: found "stone", expected kg, g, lb or oz`},
		{"units:\n  unit_value: lb\n", `m.yaml:2: units.unit_value: no unit to convert`},
		{"colums:\n  A: asset_tag\n", `m.yaml:1: colums: unknown key: found "colums", expected description, columns, values, defaults or units`},
	}
	for _, c := range cases {
		_, err := ParseMapping("m.yaml", []byte(c.body))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("ParseMapping(%q) = %v, want an error starting %q", c.body, err, c.want)
		}
	}
}

// TestShippedMappings: every sample mapping in docs/mappings parses, and
// renames the header its export is known by.
func TestShippedMappings(t *testing.T) {
	cases := map[string][2]string{ // file -> a header of that export, the field it must become
		"snipeit-ui.yaml":              {"Customs Value", "unit_value"},
		"snipeit-api.yaml":             {"custom_fields.HS Code.value", "hs_code"},
		"netbox.yaml":                  {"Type", "model"},
		"servicenow-alm-hardware.yaml": {"model_category", "category"},
		"lansweeper.yaml":              {"Serialnumber", "serial"},
	}
	for file, c := range cases {
		data, err := os.ReadFile(filepath.Join("..", "..", "docs", "mappings", file))
		if err != nil {
			t.Fatal(err)
		}
		m, err := ParseMapping(file, data)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if got := m.column(inventoryColumn)(normHeader(c[0])); got != c[1] {
			t.Errorf("%s: header %q maps to %q, want %q", file, c[0], got, c[1])
		}
	}
}

// TestAliasLoops: an alias inside the value it names, or a merge key that
// refers to its own mapping, is refused with a message at once, never
// followed for ever.
func TestAliasLoops(t *testing.T) {
	cases := map[string]string{
		"a: &a {x: 1, <<: *a}\n":     `merge key (<<) refers to the mapping it is in: found *a`,
		"a: &a [*a]\n":               `YAML aliases nest too deep: found *a nesting more than 64 levels`,
		"a: &a {b: {c: *a}}\n":       `YAML aliases nest too deep: found *a nesting more than 64 levels`,
		"x: &x {k: v}\nm: {<<: 3}\n": `merge key (<<) of a non-mapping: found a value`,
	}
	for doc, want := range cases {
		tr, err := parseDoc("p.yaml", []byte(doc))
		if err != nil {
			t.Fatalf("%q: %v", doc, err)
		}
		var got []string
		for _, f := range tr.faults {
			got = append(got, f.msg+": found "+f.found)
		}
		if len(got) != 1 || !strings.HasPrefix(got[0], want) {
			t.Errorf("%q: faults %q, want one starting %q", doc, got, want)
		}
	}
}
