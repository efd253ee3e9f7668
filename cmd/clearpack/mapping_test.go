package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	snipeDir = "../../testdata/snipeit-eu/"
)

// TestValidateSnipeITWithMapping: the EU sample validates clean from the
// Snipe-IT web export, and from the Snipe-IT API CSV with the shipped
// mapping given in the config file (the mapping key) as on the command line.
func TestValidateSnipeITWithMapping(t *testing.T) {
	code, out, errOut := clearpack(t, "validate", "--inventory", snipeDir+"inventory.csv", "--plan", snipeDir+"plan.yaml")
	if code != ExitOK || !strings.Contains(out, "3 shipments checked: 3 passed, 0 failed") || strings.Contains(out, "input problem") {
		t.Errorf("Snipe-IT export: exit %d\n%s%s", code, out, errOut)
	}
	// Without its mapping the API CSV lacks the required columns.
	code, _, errOut = clearpack(t, "validate", "--inventory", snipeDir+"snipeit-api.csv", "--plan", snipeDir+"plan.yaml")
	if code != ExitInput || !strings.Contains(errOut, "missing required column") {
		t.Errorf("API CSV without mapping: exit %d %s", code, errOut)
	}
	cfg := filepath.Join(t.TempDir(), "clearpack.yaml")
	os.WriteFile(cfg, []byte("mapping: ../../docs/mappings/snipeit-api.yaml\n"), 0o644)
	code, out, errOut = clearpack(t, "validate", "--config", cfg, "--inventory", snipeDir+"snipeit-api.csv", "--plan", snipeDir+"plan.yaml")
	if code != ExitOK || !strings.Contains(out, "3 shipments checked: 3 passed, 0 failed") {
		t.Errorf("API CSV with the mapping from the config file: exit %d\n%s%s", code, out, errOut)
	}
}

// TestValidateUnknownOrigin: a country without a profile is checked under
// the generic profile: validate WARNs naming what it did not check, and the
// shipment is not stopped for that alone.
func TestValidateUnknownOrigin(t *testing.T) {
	plan, err := os.ReadFile(snipeDir + "plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(plan), "  origin: NL\n", "  origin: KE\n", 1)
	edited = strings.ReplaceAll(edited, "    country: DE\n", "    country: KE\n")
	p := filepath.Join(t.TempDir(), "plan.yaml")
	os.WriteFile(p, []byte(edited), 0o644)
	code, out, errOut := clearpack(t, "validate", "--inventory", snipeDir+"inventory.csv", "--plan", p, "-o", "wide")
	if code != ExitOK {
		t.Errorf("exit %d, want %d (warnings do not stop a shipment)\n%s%s", code, ExitOK, out, errOut)
	}
	for _, want := range []string{
		"Shipment EU26-SG-01  KE → SG (forward)  WARN",
		`no country profile for origin "KE": checked with the generic profile (HS 2022 subheadings and categories, ECCN, valuation, second-hand record, document set); not checked: the country's export rules`,
		"templates/generic/profile.yaml",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("validate output lacks %q:\n%s", want, out)
		}
	}
}
