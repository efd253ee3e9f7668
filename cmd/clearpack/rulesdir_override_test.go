package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// resultOf is the detail and status of the first result of a shipment whose
// rule starts with rule.
func resultOf(t *testing.T, v validateJSON, ship, rule string) (status, detail string) {
	t.Helper()
	for _, s := range v.Shipments {
		if s.ShipmentID != ship {
			continue
		}
		for _, r := range s.Results {
			if strings.HasPrefix(r.Rule, rule) {
				return r.Status, r.Detail
			}
		}
	}
	t.Fatalf("%s: no %s result", ship, rule)
	return "", ""
}

// TestRulesDirOverridesIncotermsAndBorderShares (issue 14): the Incoterms
// data and the border freight shares are rule data a --rules-dir overrides
// like the country profiles: an incoterms.yaml there replaces the rules it
// names, a profile's border_freight replaces the share the customs value of
// a road delivery to an inland place takes; a bad file is named with its line.
func TestRulesDirOverridesIncotermsAndBorderShares(t *testing.T) {
	// Built in: MX-01 (DAP El Marqués, Qro. by road, no freight_to_border
	// in the plan) takes 30 % of its freight to Laredo; its clearance
	// agrees; VN-01 is DAP by air.
	_, v := validateJSONOf(t, "--inventory", sampleInv, "--plan", samplePlan, "--clearances", sampleClear)
	st, d := resultOf(t, v, "APL26-MX-01", "incoterms")
	if st != "warn" || !strings.Contains(d, "freight_to_border: not given: estimated at 15817.50 MXN, 0.30 of the freight 52725.00 MXN to the border at Laredo") {
		t.Errorf("MX-01 incoterms %s: %s", st, d)
	}
	if st, d := resultOf(t, v, "APL26-MX-01", "customs-value"); st != "pass" {
		t.Errorf("MX-01 customs-value %s: %s", st, d)
	}
	if st, d := resultOf(t, v, "APL26-VN-01", "incoterms"); st != "pass" {
		t.Errorf("VN-01 incoterms %s: %s", st, d)
	}

	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("incoterms.yaml", "rules:\n  DAP: {modes: [sea], seller_carriage: true, at_destination: true}\n")
	write("MX.yaml", `country: MX
border_freight:
  - from: US
    places: ["Querétaro", "Qro"]
    crossing: "Colombia, N.L."
    share: "0.90"
    source: "our carrier's 2026 rate card"
    effective: 2026-01-01
    confidence: confirmed
`)
	_, v = validateJSONOf(t, "--inventory", sampleInv, "--plan", samplePlan, "--clearances", sampleClear, "--rules-dir", dir)
	if st, d := resultOf(t, v, "APL26-VN-01", "incoterms"); st != "fail" || !strings.Contains(d, "DAP is a rule for sea transport, but the shipment moves by air") {
		t.Errorf("VN-01 incoterms under the override %s: %s", st, d)
	}
	if _, d := resultOf(t, v, "APL26-MX-01", "incoterms"); !strings.Contains(d, "estimated at 47452.50 MXN, 0.90 of the freight 52725.00 MXN to the border at Colombia, N.L.") {
		t.Errorf("MX-01 incoterms under the override: %s", d)
	}
	// The clearance was made at 30 %: against the overridden share it
	// no longer agrees.
	if st, d := resultOf(t, v, "APL26-MX-01", "customs-value"); st != "fail" {
		t.Errorf("MX-01 customs-value under a 90 %% share %s: %s", st, d)
	}

	write("incoterms.yaml", "rules:\n  DAP: {modes: [sea]}\nplaces: []\n")
	code, _, errOut := clearpack(t, "validate", "--inventory", sampleInv, "--plan", samplePlan, "--rules-dir", dir)
	if code == ExitOK || !strings.Contains(errOut, filepath.Join(dir, "incoterms.yaml")) || !strings.Contains(errOut, "line 3: field places not found") {
		t.Errorf("bad incoterms.yaml: exit %d, stderr %s", code, errOut)
	}
}
