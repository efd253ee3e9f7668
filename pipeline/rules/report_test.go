package rules

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/pipeline/model"
)

func TestWriteTable(t *testing.T) {
	b := mustLoad(t, "")
	good := newFixture()
	bad := newFixture()
	bad.ship().ID = "SG-VN-BAD"
	bad.ship().Permits = nil
	reports := append(b.Check(good.input()), b.Check(bad.input())...)
	var buf bytes.Buffer
	if err := WriteTable(&buf, reports); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"Shipment SG-VN-1  SG → VN (forward)  PASS",
		"Shipment SG-VN-BAD  SG → VN (forward)  FAIL",
		"RULE", "RESULT", "SOURCE", "DETAIL",
		"used-import", "Circular 31/2015/TT-BTTTT",
		"plan.yaml:4: shipment SG-VN-BAD: permits: none of type relocation-exception",
		"language vi; keep 5 years",
		"2 shipments checked: 1 passed, 1 failed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if AllOK(reports) || !AllOK(reports[:1]) {
		t.Error("AllOK wrong")
	}
}

func TestWriteJSON(t *testing.T) {
	b := mustLoad(t, "")
	bad := newFixture()
	bad.refurb().YearOfMfr = 2010
	var buf bytes.Buffer
	if err := WriteJSON(&buf, b.Version(), b.Check(bad.input())); err != nil {
		t.Fatal(err)
	}
	var got struct {
		RulesVersion string `json:"rules_version"`
		OK           bool   `json:"ok"`
		Shipments    []struct {
			OK         bool                `json:"ok"`
			ShipmentID string              `json:"shipment_id"`
			Results    []model.CheckResult `json:"results"`
			Documents  []model.DocKind     `json:"documents"`
		} `json:"shipments"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	if got.OK || len(got.Shipments) != 1 || got.Shipments[0].OK || got.RulesVersion != b.Version() || got.Shipments[0].ShipmentID != "SG-VN-1" {
		t.Fatalf("json = %+v", got)
	}
	var age *model.CheckResult
	for i, c := range got.Shipments[0].Results {
		if c.Rule == "age-limit" {
			age = &got.Shipments[0].Results[i]
		}
	}
	if age == nil || age.Status != model.Fail || !strings.Contains(age.Detail, "2010 is 16 years") {
		t.Errorf("age-limit in json = %+v", age)
	}
}
