package ingest

import (
	"context"
	"strings"
	"testing"
)

// TestMoneyMinorUnits: an amount with more decimals than its currency has
// is refused, naming the currency, in every file and format (the amounts of
// a clearance's lines in the clearance's currency); trailing zeros and
// currencies with three decimals or none are taken as written.
func TestMoneyMinorUnits(t *testing.T) {
	fx := readFixtures(t)
	clrLines := "clearances:\n  - shipment_id: SHP-002\n    entry_number: \"X1\"\n    entry_date: 2026-04-20\n    release_date: 2026-04-21\n    port: DEHAM\n    currency: KWD\n    duties: 1.125\n    vat: 0\n    fees: 0.500\n" +
		"    lines:\n      - {tariff_line: \"84714100\", assets: [A-1003], customs_value: \"1200.5055\", duty_rate: \"0.125\", duty: \"0\", vat: \"0\"}\n"
	cases := []struct {
		name  string
		files map[string]string
		whole bool // read the plan whole, not one shipment at a time
		want  []string
	}{
		{name: "fine as written", files: map[string]string{
			"inventory.csv": replace(t, replace(t, fx.inv, ",CN,1850.00,USD,6,9400.00,", ",CN,1850.000,USD,6,9400.0000,"), ",MY,640.00,USD,6,5200.00,", ",MY,640,JPY,6,5200,"),
			"plan.yaml":     fx.plan}},
		{name: "plan read whole", whole: true, files: map[string]string{"inventory.csv": fx.inv,
			"plan.yaml": replace(t, fx.plan, "insurance: 45.50", "insurance: 45.505")},
			want: []string{`plan.yaml:18: insurance: more decimals than USD has: found "45.505", expected at most 2 decimals (the minor unit of USD)`}},
		{name: "clearance lines in the clearance's currency", files: map[string]string{"inventory.csv": fx.inv, "plan.yaml": fx.plan, "clearances.yaml": clrLines},
			want: []string{`clearances.yaml:12: lines[0].customs_value: more decimals than KWD has: found "1200.5055", expected at most 3 decimals (the minor unit of KWD)`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := write(t, t.TempDir(), tc.files)
			f := Files{Inventory: p["inventory.csv"], Plan: p["plan.yaml"], Clearances: p["clearances.yaml"]}
			b, err := load(context.Background(), f, Limits{}, tc.whole)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, pr := range b.Problems {
				got = append(got, strings.TrimPrefix(pr.Error(), strings.TrimSuffix(p["inventory.csv"], "inventory.csv")))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
