package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	domainInv   = "../../testdata/domain/inventory.csv"
	domainPlan  = "../../testdata/domain/plan.yaml"
	domainClear = "../../testdata/domain/clearances.yaml"
)

type validateJSON struct {
	OK        bool `json:"ok"`
	Shipments []struct {
		ShipmentID string `json:"shipment_id"`
		OK         bool   `json:"ok"`
		Results    []struct {
			Rule, Status, Source, Detail string
		} `json:"results"`
	} `json:"shipments"`
}

func validateJSONOf(t *testing.T, args ...string) (int, validateJSON) {
	t.Helper()
	code, out, errOut := clearpack(t, append([]string{"validate", "--json"}, args...)...)
	var v validateJSON
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("validate --json: exit %d, output not JSON: %v\n%s%s", code, err, out, errOut)
	}
	return code, v
}

// bend writes a copy of a fixture with one text replaced.
func bend(t *testing.T, path, old, new string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	out := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := os.WriteFile(out, []byte(strings.Replace(string(b), old, new, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestValidateCrossShipment: two shipments of one plan that classify the
// same model differently, and list the same unit twice (its serial written
// in another case, valued under another method), are both stopped by
// `clearpack validate`: the classification by the cross check, naming both
// shipments and both inventory rows; the unit listed twice already at
// input, naming both rows. With the divergences removed, both pass.
func TestValidateCrossShipment(t *testing.T) {
	code, v := validateJSONOf(t, "--inventory", domainInv, "--plan", domainPlan)
	if code != ExitPartial || v.OK {
		t.Fatalf("exit %d ok %v, want %d and not ok", code, v.OK, ExitPartial)
	}
	want := map[string][]string{
		"same-model-classification": {"model Dell PowerEdge R740", "HS 8471.50 / 5A992.c in shipment DOM-MX-1", "inventory.csv:2 asset DX-1",
			"HS 8471.41 / 5A992.c in shipment DOM-CL-1", "inventory.csv:3 asset DX-2"},
		// One physical unit has one record, whatever the case of its
		// serial (the cross check same-unit-value-basis never sees it).
		"input": {`duplicate serial: found "czj9310g71" on line 4 (asset HX-1) and "CZJ9310G71" on line 5 (asset HX-2)`},
	}
	if len(v.Shipments) != 2 {
		t.Fatalf("%d shipments reported, want 2", len(v.Shipments))
	}
	for _, s := range v.Shipments {
		seen := map[string]bool{}
		for _, r := range s.Results {
			words, cross := want[r.Rule]
			if !cross {
				if r.Status == "fail" {
					t.Errorf("%s: rule %s fails too (the fixture should fail only the cross checks): %s", s.ShipmentID, r.Rule, r.Detail)
				}
				continue
			}
			seen[r.Rule] = true
			if r.Status != "fail" {
				t.Errorf("%s: %s is %s, want fail: %s", s.ShipmentID, r.Rule, r.Status, r.Detail)
			}
			for _, w := range words {
				if !strings.Contains(r.Detail, w) {
					t.Errorf("%s: %s detail lacks %q: %s", s.ShipmentID, r.Rule, w, r.Detail)
				}
			}
		}
		for rule := range want {
			if !seen[rule] {
				t.Errorf("%s: rule %s not reported", s.ShipmentID, rule)
			}
		}
	}
	// The table a person reads says the same.
	code, out, _ := clearpack(t, "validate", "--inventory", domainInv, "--plan", domainPlan, "-o", "wide")
	if code != ExitPartial || !strings.Contains(out, "same-model-classification") ||
		strings.Count(out, "in shipment DOM-MX-1 (") < 2 || strings.Count(out, "in shipment DOM-CL-1 (") < 2 ||
		strings.Count(out, "duplicate serial") < 2 {
		t.Errorf("validate table: exit %d; want each cross failure under both shipments naming both:\n%s", code, out)
	}

	// Same classification everywhere, and two units: both pass.
	inv := consistentDomainInventory(t)
	if code, v := validateJSONOf(t, "--inventory", inv, "--plan", domainPlan); code != ExitOK || !v.OK {
		t.Errorf("consistent plan: exit %d ok %v; results %+v", code, v.OK, v.Shipments)
	}
}

// consistentDomainInventory is the domain fixture without its divergences:
// one classification for the model, and HX-2 a unit of its own.
func consistentDomainInventory(t *testing.T) string {
	t.Helper()
	inv := bend(t, domainInv, "84714101", "84715001")
	return bend(t, inv, "HX-2,CZJ9310G71,", "HX-2,CZJ9310G72,")
}

// TestValidateClearanceDomain: a Mexican clearance is checked for its
// pedimento number (format and year digits) and its tariff lines (duty =
// value × rate; duties add up), through `clearpack validate`.
func TestValidateClearanceDomain(t *testing.T) {
	inv := consistentDomainInventory(t)
	tests := []struct {
		name     string
		old, new string
		code     int
		rule     string
		want     string
	}{
		{name: "accepted pedimento with lines", code: ExitOK, rule: "entry-number", want: "26  24  3456  6000412"},
		{name: "pedimento of another year", old: `"26  24  3456  6000412"`, new: `"25  24  3456  5000412"`, code: ExitPartial, rule: "entry-number",
			want: `year digits "25" do not agree with the entry_date 2026-04-08 (expected "26")`},
		{name: "pedimento too short", old: `"26  24  3456  6000412"`, new: `"2624 3456 600041"`, code: ExitPartial, rule: "entry-number",
			want: "15 digits = year (2) + customs office (2) + broker licence (4) + last digit of the year (1) + sequence (6)"},
		{name: "duty not value times rate", old: "duty_rate: 0\n        duty: 0.00\n        vat: 460.00", new: "duty_rate: 5\n        duty: 0.00\n        vat: 460.00",
			code: ExitPartial, rule: "input", want: "clearances.yaml:26: lines[1].duty: duty does not match customs value × duty rate: found 0.00 USD, expected 143.75 USD"},
		{name: "line of the wrong subheading", old: `- tariff_line: "8471.50.01.00"`, new: `- tariff_line: "8517.62.99.99"`,
			code: ExitPartial, rule: "input", want: "clearances.yaml:16: lines[0].tariff_line: tariff line not under the units' HS subheading"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clr := domainClear
			if tt.old != "" {
				clr = bend(t, domainClear, tt.old, tt.new)
			}
			code, v := validateJSONOf(t, "--inventory", inv, "--plan", domainPlan, "--clearances", clr)
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			found := false
			for _, s := range v.Shipments {
				if s.ShipmentID != "DOM-MX-1" {
					continue
				}
				for _, r := range s.Results {
					if r.Rule == tt.rule && strings.Contains(r.Detail, tt.want) {
						found = true
						if wantStatus := map[int]string{ExitOK: "pass", ExitPartial: "fail"}[tt.code]; r.Status != wantStatus {
							t.Errorf("%s is %s, want %s: %s", r.Rule, r.Status, wantStatus, r.Detail)
						}
					}
				}
				if !found {
					t.Errorf("no %s result says %q: %+v", tt.rule, tt.want, s.Results)
				}
			}
		})
	}
}
