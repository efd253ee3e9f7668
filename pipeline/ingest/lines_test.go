package ingest

import (
	"context"
	"strings"
	"testing"
)

// TestClearanceLines: the tariff lines of a clearance are read with their
// lines in the file, and each fault (a tariff line outside the units' HS
// subheading, a duty that is not value × rate, line duties that do not add
// up to the entry's) is a problem naming file, line and field that fails the
// shipment.
func TestClearanceLines(t *testing.T) {
	fx := readFixtures(t)
	entry := func(duties string, lines string) string {
		return "clearances:\n  - shipment_id: SHP-001\n    entry_number: \"105234567890\"\n    entry_date: 2026-03-04\n" +
			"    release_date: 2026-03-05\n    port: SGN\n    currency: USD\n    duties: " + duties + "\n    vat: 249.00\n    fees: 35.00\n    lines:\n" + lines
	}
	// Line 12 is the first item of lines.
	good := "      - {tariff_line: \"8471.41.00\", assets: [A-1001], customs_value: 1850.55, duty_rate: 10, duty: 185.06, vat: 203.56}\n" +
		"      - tariff_line: \"85176200\"\n        assets: [A-1002]\n        customs_value: 640.00\n        duty_rate: 0\n        duty: 0\n"
	cases := []struct {
		name, body string
		want       []string // problems, none when empty
	}{
		{name: "good", body: entry("185.06", good)},
		{name: "duty truncated, not rounded, is within a minor unit", body: entry("185.05", strings.Replace(good, "duty: 185.06", "duty: 185.05", 1))},
		{name: "description instead of assets", body: entry("0", "      - {tariff_line: \"8471.41.00\", description: servers, customs_value: 1850, duty: 0}\n")},
		{name: "tariff line under another subheading", body: entry("185.06", strings.Replace(good, "\"85176200\"", "\"84714100\"", 1)),
			want: []string{`clearances.yaml:13: lines[1].tariff_line: tariff line not under the units' HS subheading: found "84714100" (asset A-1002 has HS code 85176200), expected a tariff line starting 8517.62`}},
		{name: "duty not value times rate", body: entry("180.00", strings.Replace(good, "duty: 185.06", "duty: 180.00", 1)),
			want: []string{`clearances.yaml:12: lines[0].duty: duty does not match customs value × duty rate: found 180.00 USD, expected 185.06 USD (customs_value 1850.55 × duty_rate 10%, to the currency's minor unit 0.01)`}},
		{name: "line duties do not add up", body: entry("200.00", good),
			want: []string{`clearances.yaml:8: duties: entry duties differ from the sum of the line duties: found 200.00 USD, expected 185.06 USD (the sum of the duty of 2 lines)`}},
		{name: "unit of another shipment", body: entry("185.06", strings.Replace(good, "[A-1002]", "[A-1003]", 1)),
			want: []string{`clearances.yaml:14: lines[1].assets[0]: asset not on this shipment: found "A-1003"`}},
		{name: "unit in two lines", body: entry("185.06", strings.Replace(good, "[A-1002]", "[A-1001]", 1)),
			want: []string{`clearances.yaml:14: lines[1].assets[0]: asset in two tariff lines: found "A-1001" in lines[0] and lines[1]`}},
		{name: "rate with a comma", body: entry("185.06", strings.Replace(good, "duty_rate: 0\n", "duty_rate: \"0,5\"\n", 1)),
			want: []string{`clearances.yaml:16: lines[1].duty_rate: invalid value: found "0,5", expected the ad valorem duty rate in percent`}},
		{name: "absurd rate", body: entry("185.06", strings.Replace(good, "duty_rate: 0\n", "duty_rate: 5000\n", 1)),
			want: []string{`clearances.yaml:16: lines[1].duty_rate: absurd value: found "5000", expected at most 1000 (percent)`}},
		{name: "missing duty", body: entry("0", "      - {tariff_line: \"8471.41.00\", customs_value: 1850}\n"),
			want: []string{`clearances.yaml:12: lines[0].duty: missing required field`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := write(t, t.TempDir(), map[string]string{"inventory.csv": fx.inv, "plan.yaml": fx.plan, "clearances.yaml": c.body})
			b, err := Load(context.Background(), Files{Inventory: p["inventory.csv"], Plan: p["plan.yaml"], Clearances: p["clearances.yaml"]}, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, pr := range b.ShipmentProblems("SHP-001") {
				got = append(got, strings.TrimPrefix(pr.Error(), p["clearances.yaml"][:len(p["clearances.yaml"])-len("clearances.yaml")]))
			}
			all := strings.Join(got, "\n")
			if len(c.want) == 0 {
				if len(got) > 0 {
					t.Fatalf("unexpected problems:\n%s", all)
				}
				cl := b.Clearances["SHP-001"]
				if cl == nil || len(cl.Lines) == 0 || cl.Lines[0].Src.Line != 12 {
					t.Fatalf("clearance lines not read with their lines: %+v", cl)
				}
				return
			}
			for _, w := range c.want {
				if !strings.Contains(all, w) {
					t.Errorf("want problem\n  %s\ngot:\n%s", w, all)
				}
			}
			if b.Clearances["SHP-001"] != nil {
				t.Errorf("a clearance with faulty lines was kept")
			}
		})
	}
}

// TestAcquisitionProvenance: the plan's countries of acquisition and
// provenance are read as ISO codes and default to the origin.
func TestAcquisitionProvenance(t *testing.T) {
	fx := readFixtures(t)
	cases := []struct {
		name, add string
		want      string // a problem of SHP-001, "" for none
		acq, prov string
	}{
		{name: "defaults to the origin", acq: "DE", prov: "DE"},
		{name: "given", add: "    acquisition_country: US\n    provenance_country: NL\n", acq: "US", prov: "NL"},
		{name: "unknown country", add: "    acquisition_country: XX\n",
			want: `plan.yaml:6: acquisition_country: unknown country: found "XX", expected an ISO 3166-1 alpha-2 country code in capitals`},
		{name: "lower case", add: "    provenance_country: nl\n",
			want: `plan.yaml:6: provenance_country: invalid value: found "nl", expected the country the goods were shipped from`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plan := replace(t, fx.plan, "    origin: DE\n", "    origin: DE\n"+c.add)
			p := write(t, t.TempDir(), map[string]string{"inventory.csv": fx.inv, "plan.yaml": plan})
			b, err := Load(context.Background(), Files{Inventory: p["inventory.csv"], Plan: p["plan.yaml"]}, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, pr := range b.ShipmentProblems("SHP-001") {
				got = append(got, pr.Error())
			}
			all := strings.Join(got, "\n")
			if c.want == "" {
				if len(got) > 0 {
					t.Fatalf("unexpected problems:\n%s", all)
				}
				s := b.Plan.Shipments[0]
				if s.Acquisition() != c.acq || s.Provenance() != c.prov {
					t.Errorf("acquisition %s, provenance %s; want %s, %s", s.Acquisition(), s.Provenance(), c.acq, c.prov)
				}
				return
			}
			if !strings.Contains(all, c.want) {
				t.Errorf("want problem\n  %s\ngot:\n%s", c.want, all)
			}
		})
	}
}
