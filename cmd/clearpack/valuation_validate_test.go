package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dropLine writes a copy of a fixture without the line that contains text.
func dropLine(t *testing.T, path, text string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	n := 0
	var out strings.Builder
	for _, l := range lines {
		if strings.Contains(l, text) {
			n++
			continue
		}
		out.WriteString(l)
	}
	if n != 1 {
		t.Fatalf("%s: %d lines contain %q, want 1", path, n, text)
	}
	p := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := os.WriteFile(p, []byte(out.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestValidateMethod6Reason (issue 14): a shipment of units declared under
// WTO method 6 without saying why methods 2 and 3 did not apply is stopped
// where the destination's value declaration asks for the reason (Colombia's
// DAV), and only warned about where it does not (Viet Nam).
func TestValidateMethod6Reason(t *testing.T) {
	plan := dropLine(t, samplePlan, "fallback_reason: 'No sale: no transaction value (method 1). No sales of identical or similar refurbished units of the same model and grade for export to CO at")
	plan = dropLine(t, plan, "fallback_reason: 'No sale: no transaction value (method 1). No sales of identical or similar refurbished units of the same model and grade for export to VN at")
	code, v := validateJSONOf(t, "--inventory", sampleInv, "--plan", plan, "--clearances", sampleClear)
	if code != ExitPartial {
		t.Errorf("exit %d, want %d", code, ExitPartial)
	}
	seen := 0
	for _, s := range v.Shipments {
		switch s.ShipmentID {
		case "APL26-CO-01":
			seen++
			if s.OK {
				t.Errorf("%s passes without the method-6 reason its DAV asks", s.ShipmentID)
			}
			found := false
			for _, r := range s.Results {
				if strings.HasPrefix(r.Rule, "valuation-declaration") && r.Status == "fail" &&
					strings.Contains(r.Detail, "valuation_declaration.fallback_reason: missing") && strings.Contains(r.Detail, "Declaración Andina del Valor (DAV) asks why methods 2 and 3") {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: no failing valuation-declaration result naming fallback_reason: %+v", s.ShipmentID, s.Results)
			}
		case "APL26-VN-02":
			seen++
			if !s.OK {
				t.Errorf("%s stopped; VN asks no method-6 reason: %+v", s.ShipmentID, s.Results)
			}
			found := false
			for _, r := range s.Results {
				if r.Rule == "valuation" && r.Status == "warn" && strings.Contains(r.Detail, "fallback_reason: missing") {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: no warning naming fallback_reason", s.ShipmentID)
			}
		}
	}
	if seen != 2 {
		t.Fatalf("saw %d of the 2 shipments", seen)
	}
}
