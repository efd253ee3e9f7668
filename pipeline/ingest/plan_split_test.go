package ingest

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// loadBoth loads the same files with the plan read in parts and read whole,
// and fails unless a user would see exactly the same.
func loadBoth(t *testing.T, files Files) *Batch {
	t.Helper()
	split, errSplit := load(context.Background(), files, Limits{}, false)
	whole, errWhole := load(context.Background(), files, Limits{}, true)
	if (errSplit == nil) != (errWhole == nil) || errSplit != nil && errSplit.Error() != errWhole.Error() {
		t.Fatalf("read in parts: %v\nread whole: %v", errSplit, errWhole)
	}
	if errSplit != nil {
		return nil
	}
	if !reflect.DeepEqual(problemText(split.Problems), problemText(whole.Problems)) {
		t.Fatalf("read in parts:\n%s\nread whole:\n%s", strings.Join(problemText(split.Problems), "\n"), strings.Join(problemText(whole.Problems), "\n"))
	}
	if !reflect.DeepEqual(split.Problems, whole.Problems) {
		t.Fatalf("problems differ in attribution:\n%+v\n%+v", split.Problems, whole.Problems)
	}
	if !reflect.DeepEqual(split.Plan, whole.Plan) {
		t.Fatalf("plans differ:\n%+v\n%+v", split.Plan, whole.Plan)
	}
	for _, s := range whole.Plan.Shipments {
		if !reflect.DeepEqual(split.ShipmentProblems(s.ID), whole.ShipmentProblems(s.ID)) {
			t.Fatalf("shipment %s: problems differ:\n%+v\n%+v", s.ID, split.ShipmentProblems(s.ID), whole.ShipmentProblems(s.ID))
		}
	}
	if !reflect.DeepEqual(split.FileProblems(), whole.FileProblems()) {
		t.Fatalf("file problems differ:\n%+v\n%+v", split.FileProblems(), whole.FileProblems())
	}
	if !reflect.DeepEqual(split.Assets, whole.Assets) || !reflect.DeepEqual(split.Clearances, whole.Clearances) {
		t.Fatalf("assets or clearances differ")
	}
	return split
}

func problemText(ps []Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Error() + " [" + p.Shipment + "]"
	}
	return out
}

// TestPlanInPartsSameAsWhole runs every plan of the test data, good and bad,
// both ways.
func TestPlanInPartsSameAsWhole(t *testing.T) {
	root := filepath.Join("..", "..", "testdata")
	good := filepath.Join(root, "ingest")
	dirs := []string{good, filepath.Join(root, "sample")}
	bad, err := filepath.Glob(filepath.Join(root, "bad", "*"))
	if err != nil {
		t.Fatal(err)
	}
	dirs = append(dirs, bad...)
	n := 0
	for _, dir := range dirs {
		plans, _ := filepath.Glob(filepath.Join(dir, "plan.*"))
		for _, plan := range plans {
			n++
			t.Run(filepath.Base(dir), func(t *testing.T) {
				files := Files{Inventory: filepath.Join(good, "inventory.csv"), Plan: plan}
				if dir == filepath.Join(root, "sample") {
					files = Files{Inventory: filepath.Join(dir, "inventory.csv"), Plan: plan, Clearances: filepath.Join(dir, "clearances.yaml")}
				}
				loadBoth(t, files)
			})
		}
	}
	if n < 15 {
		t.Fatalf("only %d plans found in testdata", n)
	}
}

// TestPlanInPartsEdges covers the shapes splitPlan must either cut right or
// refuse: each plan is read both ways and must give the same.
func TestPlanInPartsEdges(t *testing.T) {
	good := filepath.Join("..", "..", "testdata", "ingest")
	base, err := os.ReadFile(filepath.Join(good, "plan.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	plan := string(base)
	second := strings.Index(plan, "  - id: SHP-002")
	tests := []struct {
		name  string
		text  string
		split bool // splitPlan should accept it
		parts bool // and the parts parse, so the plan is read in parts
	}{
		{"as is", plan, true, true},
		{"CRLF line ends", strings.ReplaceAll(plan, "\n", "\r\n"), true, true},
		{"items at column 0", strings.ReplaceAll(plan, "\n  ", "\n"), true, true},
		{"comments and blank lines", strings.Replace(plan, "shipments:\n", "# the plan\nshipments: # all of them\n\n  # first\n", 1) + "\n# end\n", true, true},
		{"key after the shipments", plan + "owner: someone\n", true, true},
		{"program too long after the shipments", strings.Replace(plan, "program: dc-exit-2026\n", "", 1) + "program: " + strings.Repeat("x", 5000) + "\n", true, true},
		{"program missing", strings.Replace(plan, "program: dc-exit-2026\n", "", 1), true, true},
		{"shipments twice", plan + "shipments:\n  - id: X\n", false, false},
		{"quoted shipments key twice", plan + "\"shipments\": []\n", true, false},
		{"shipment not a mapping", plan[:second] + "  - just text\n" + plan[second:], true, true},
		{"shipment is an alias", strings.Replace(plan, "  - id: SHP-001", "  - &first\n    id: SHP-001", 1) + "  - *first\n", true, false},
		{"alias across shipments", strings.Replace(strings.Replace(plan, "currency: USD", "currency: &cur USD", 1), "currency: EUR", "currency: *cur", 1), true, false},
		{"quoted text across a cut", plan[:second] + "    marks: \"one\n  - two\"\n" + plan[second:], true, false},
		{"flow list across a cut", plan[:second] + "    permits: [\n  - x]\n" + plan[second:], true, false},
		{"missing id and required field", strings.Replace(strings.Replace(plan, "  - id: SHP-002\n    direction: return\n", "  - direction: return\n", 1), "    reason: sale\n", "", 1), true, true},
		{"duplicate key in a shipment", strings.Replace(plan, "    currency: EUR\n", "    currency: EUR\n    currency: EUR\n", 1), true, true},
		{"duplicate shipment id", strings.Replace(plan, "SHP-002", "SHP-001", 1), true, true},
		{"document marker", "---\n" + plan, false, false},
		{"flow style plan", "{program: p, shipments: [{id: a}]}\n", false, false},
		{"json plan", `{"program": "p", "shipments": [{"id": "a"}]}`, false, false},
		{"odd indentation", strings.Replace(plan, "  - id: SHP-002", " - id: SHP-002", 1), false, false},
		{"empty shipments", "program: p\nshipments:\nother: x\n", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			p := filepath.Join(tmp, "plan.yaml")
			if err := os.WriteFile(p, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, ok := splitPlan([]byte(tc.text)); ok != tc.split {
				t.Errorf("splitPlan accepts it: %v, want %v", ok, tc.split)
			}
			b := loadBoth(t, Files{Inventory: filepath.Join(good, "inventory.csv"), Plan: p})
			if b != nil && b.planInParts != tc.parts {
				t.Errorf("plan read in parts: %v, want %v", b.planInParts, tc.parts)
			}
		})
	}
}

// TestClearancesInPartsSameAsWhole reads clearance documents, good and bad,
// one record at a time and whole: a user must see the same either way, and
// a document that cannot be cut for certain is read whole.
func TestClearancesInPartsSameAsWhole(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "sample")
	base, err := os.ReadFile(filepath.Join(dir, "clearances.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	clr := string(base)
	second := strings.Index(clr, "  - shipment_id: APL26-ID-01")
	if second < 0 {
		t.Fatal("the sample's clearances changed: no APL26-ID-01")
	}
	first := clr[strings.Index(clr, "  - shipment_id:"):second]
	tests := []struct {
		name  string
		text  string
		parts bool
	}{
		{"as is", clr, true},
		{"CRLF line ends", strings.ReplaceAll(clr, "\n", "\r\n"), true},
		{"items at column 0", strings.ReplaceAll(clr, "\n  ", "\n"), true},
		{"key after the clearances", clr + "owner: someone\n", true},
		{"duplicate key outside the records", "note: a\nnote: b\n" + clr, true},
		{"unknown shipment", strings.Replace(clr, "APL26-ID-01", "APL26-XX-99", 1), true},
		{"field of the wrong type", strings.Replace(clr, "    held: false\n", "    held: maybe\n", 1), true},
		{"duplicate key in a record", strings.Replace(clr, "    held: false\n", "    held: false\n    held: true\n", 1), true},
		{"two clearances for one shipment", clr + first, true},
		{"record not a mapping", clr[:second] + "  - just text\n" + clr[second:], true},
		{"record missing its shipment", clr[:second] + "  - port: X\n" + clr[second:], true},
		{"alias across records", strings.Replace(strings.Replace(clr, "    held: false\n", "    held: &h false\n", 1), "    held: false\n", "    held: *h\n", 1), false},
		{"quoted text across a cut", clr[:second] + "    port: \"one\n  - two\"\n" + clr[second:], false},
		{"clearances twice", clr + "clearances:\n  - shipment_id: X\n", false},
		{"list at the top", "- shipment_id: X\n", false},
		{"json", `{"clearances": [{"shipment_id": "X"}]}`, false},
		{"empty clearances", "clearances:\nother: x\n", false},
	}
	clean := map[string]bool{"as is": true, "CRLF line ends": true, "items at column 0": true, "key after the clearances": true}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "clearances.yaml")
			if err := os.WriteFile(p, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			b := loadBoth(t, Files{Inventory: filepath.Join(dir, "inventory.csv"), Plan: filepath.Join(dir, "plan.yaml"), Clearances: p})
			if b != nil && b.clearancesInParts != tc.parts {
				t.Errorf("clearances read in parts: %v, want %v", b.clearancesInParts, tc.parts)
			}
			// The faulty documents read in parts must show their fault
			// (not only the same nothing both ways).
			if b != nil && tc.parts && !clean[tc.name] && len(b.Problems) == 0 {
				t.Errorf("no problem found in %q", tc.name)
			}
		})
	}
}
