package ingest

import (
	"strings"
	"testing"
)

// TestAbsurdValueByCurrency (issue 14): the per-unit bound is in US
// dollars, so a server of 20,000,000 VND (about US$770) is read, while
// 20,000,000 USD, or a VND value beyond any exchange rate, is refused as
// absurd with the bound in the record's currency.
func TestAbsurdValueByCurrency(t *testing.T) {
	c := newChecker()
	for _, tc := range []struct {
		value, cur string
		want       string // "" = accepted
	}{
		{"20000000", "VND", ""},
		{"250000000000", "VND", ""},
		{"9000000.00", "USD", ""},
		{"20000000.00", "USD", "absurd value: found \"20000000.00\", expected at most 10000000 per unit"},
		{"2000000000000", "VND", "absurd value: found \"2000000000000\", expected at most 1000000000000 VND per unit (10000000 US dollars at up to 100000 VND per dollar)"},
	} {
		rec := map[string]any{"asset_tag": "A-1", "unit_value": tc.value, "currency": tc.cur}
		fs := c.checkValues(rec, []string{}, nil)
		var got []string
		for _, f := range fs {
			got = append(got, f.msg+": found "+f.found+", expected "+f.expected)
		}
		switch {
		case tc.want == "" && len(got) > 0:
			t.Errorf("%s %s refused: %v", tc.value, tc.cur, got)
		case tc.want != "" && (len(got) != 1 || !strings.Contains(got[0], tc.want)):
			t.Errorf("%s %s: got %v, want %q", tc.value, tc.cur, got, tc.want)
		}
	}
}
