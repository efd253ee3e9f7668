package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/clearpack/clearpack/pipeline/rules"
)

// wholeBatch is what `clearpack validate` printed when it checked every
// shipment at once and held the reports: the reference the streaming command
// must match byte for byte. The JSON is encoding/json's rendering of the
// whole envelope.
func wholeBatch(t *testing.T, f ingest.Files) (table, js string, code int) {
	t.Helper()
	book, err := rules.Load("")
	if err != nil {
		t.Fatal(err)
	}
	batch, err := ingest.Load(context.Background(), f, ingest.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	reports := book.Check(rules.Input{Plan: batch.Plan, Assets: batch.Assets, Clearances: batch.Clearances, Reported: batch.Reported})
	type shipment struct {
		OK bool `json:"ok"`
		rules.Report
		InputProblems []ingest.Problem `json:"input_problems"`
	}
	doc := struct {
		SchemaVersion string           `json:"schema_version"`
		RulesVersion  string           `json:"rules_version"`
		OK            bool             `json:"ok"`
		Shipments     []shipment       `json:"shipments"`
		InputProblems []ingest.Problem `json:"input_problems"`
	}{SchemaVersion: schemaValidate, RulesVersion: book.Version(), OK: true, Shipments: []shipment{}, InputProblems: nonNil(batch.FileProblems())}
	for i := range reports {
		var checks []model.CheckResult
		for _, p := range batch.ShipmentProblems(reports[i].ShipmentID) {
			checks = append(checks, model.CheckResult{Rule: "input", Status: model.Fail, Source: p.File, Detail: p.Error()})
		}
		reports[i].Results = append(checks, reports[i].Results...)
		doc.Shipments = append(doc.Shipments, shipment{OK: reports[i].OK(), Report: reports[i], InputProblems: nonNil(batch.ShipmentProblems(reports[i].ShipmentID))})
		doc.OK = doc.OK && reports[i].OK()
	}
	var tb, jb bytes.Buffer
	if err := rules.WriteTable(&tb, reports); err != nil {
		t.Fatal(err)
	}
	for _, p := range batch.FileProblems() {
		fmt.Fprintf(&tb, "input problem (no shipment affected): %s\n", p.Error())
	}
	enc := json.NewEncoder(&jb)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		t.Fatal(err)
	}
	code = ExitOK
	if !doc.OK {
		code = ExitPartial
	}
	return tb.String(), jb.String(), code
}

// TestValidateStreamsTheWholeBatchOutput: `clearpack validate`, which checks
// each shipment when it prints it and keeps no report, prints exactly what
// checking the whole batch at once printed, table and --json, exit code
// included: for the sample (one shipment stopped), a plan whose only
// failures are cross-shipment ones, the same plan passing throughout
// ("ok": true, which the JSON must state before any shipment), a plan with
// input faults on two shipments, and a clearance file with a fault that
// fails no shipment.
func TestValidateStreamsTheWholeBatchOutput(t *testing.T) {
	const (
		good = "../../testdata/ingest/"
		bad  = "../../testdata/bad/"
	)
	cases := []struct {
		name  string
		files func(t *testing.T) ingest.Files
	}{
		{"sample", func(*testing.T) ingest.Files {
			return ingest.Files{Inventory: sampleInv, Plan: samplePlan, Clearances: sampleClear}
		}},
		{"cross-shipment failures", func(*testing.T) ingest.Files {
			return ingest.Files{Inventory: domainInv, Plan: domainPlan}
		}},
		{"all pass", func(t *testing.T) ingest.Files {
			// One classification per model, and HX-2 another unit than HX-1
			// (not the same serial in another case): nothing left to stop.
			inv := bend(t, domainInv, "84714101", "84715001")
			inv = bend(t, inv, "HX-2,CZJ9310G71,", "HX-2,CZJ9310G72,")
			return ingest.Files{Inventory: inv, Plan: domainPlan}
		}},
		{"input faults on shipments", func(*testing.T) ingest.Files {
			return ingest.Files{Inventory: good + "inventory.csv", Plan: bad + "plan-asset-on-two-shipments/plan.yaml"}
		}},
		{"input fault on no shipment", func(*testing.T) ingest.Files {
			return ingest.Files{Inventory: good + "inventory.csv", Plan: good + "plan.yaml", Clearances: bad + "clr-unknown-shipment/clearances.csv"}
		}},
	}
	seen := map[int]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.files(t)
			wantTable, wantJSON, wantCode := wholeBatch(t, f)
			seen[wantCode] = true
			args := []string{"validate", "--inventory", f.Inventory, "--plan", f.Plan}
			if f.Clearances != "" {
				args = append(args, "--clearances", f.Clearances)
			}
			// -o wide: the reference table is every column in full.
			code, out, errOut := clearpack(t, append(args, "-o", "wide")...)
			if code != wantCode || out != wantTable {
				t.Errorf("table: exit %d, want %d; output differs from the whole batch's:\n--- got\n%s\n--- want\n%s\n%s", code, wantCode, out, wantTable, errOut)
			}
			code, out, errOut = clearpack(t, append(args, "--json")...)
			if code != wantCode || out != wantJSON {
				t.Errorf("json: exit %d, want %d; output differs from the whole batch's:\n--- got\n%s\n--- want\n%s\n%s", code, wantCode, out, wantJSON, errOut)
			}
		})
	}
	if !seen[ExitOK] || !seen[ExitPartial] {
		t.Errorf("the cases cover exit codes %v; they must cover both a passing and a stopped plan", seen)
	}
}
