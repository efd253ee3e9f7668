package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/clearpack/clearpack/templates"
)

// outputSchema compiles templates/schemas/<name>.output.schema.json.
func outputSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	b, err := fs.ReadFile(templates.Schemas(), name+".output.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	id := doc.(map[string]any)["$id"].(string)
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(id)
	if err != nil {
		t.Fatalf("compiling the %s schema: %v", name, err)
	}
	return sch
}

// dataMaps are the objects whose keys are data (asset tags, country
// codes, permit types), not names a program reads: their keys may be in
// capitals.
var dataMaps = map[string]bool{"export_lines": true, "tax_id_names": true, "permit_names": true}

// upperKeys lists every key of v with a capital letter.
func upperKeys(v any, path string) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if strings.ToLower(k) != k {
				out = append(out, path+"."+k)
			}
			if !dataMaps[k] {
				out = append(out, upperKeys(x, path+"."+k)...)
			}
		}
	case []any:
		for i, x := range v {
			out = append(out, upperKeys(x, fmt.Sprintf("%s[%d]", path, i))...)
		}
	}
	return out
}

// checkJSONOutput asserts that out is one JSON document that its schema
// accepts, that it names its schema version, and that no key has a capital.
func checkJSONOutput(t *testing.T, name, out string) map[string]any {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("%s --json: not JSON: %v\n%s", name, err, out)
	}
	if err := outputSchema(t, name).Validate(inst); err != nil {
		t.Errorf("%s --json does not match templates/schemas/%s.output.schema.json: %v\n%s", name, name, err, out)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%s --json: not a JSON object: %v", name, err)
	}
	if sv, _ := doc["schema_version"].(string); !regexp.MustCompile(`^clearpack\.[a-z-]+/[0-9]+$`).MatchString(sv) {
		t.Errorf("%s --json: schema_version %q", name, doc["schema_version"])
	}
	if up := upperKeys(doc, ""); len(up) > 0 {
		t.Errorf("%s --json: keys with capitals (snake_case wanted): %v", name, up)
	}
	return doc
}

// Every --json output, made by the commands on a real archive, matches its
// published schema (issue 20).
func TestJSONOutputsMatchSchemas(t *testing.T) {
	dir := t.TempDir()
	key, arch, in := filepath.Join(dir, "key.pem"), filepath.Join(dir, "archive"), filepath.Join(dir, "inbox")
	if code, _, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK {
		t.Fatal(errOut)
	}
	pub := strings.TrimSuffix(key, ".pem") + ".pub"
	inputs := []string{"--inventory", sampleInv, "--plan", samplePlan, "--clearances", sampleClear}

	code, out, errOut := clearpack(t, "version", "--json")
	if code != ExitOK {
		t.Fatalf("version --json: exit %d\n%s", code, errOut)
	}
	checkJSONOutput(t, "version", out)

	code, out, errOut = clearpack(t, append([]string{"run", "--json", "--key", key, "--archive", arch}, inputs...)...)
	if code != ExitPartial {
		t.Fatalf("run: exit %d\n%s", code, errOut)
	}
	doc := checkJSONOutput(t, "run", out)
	if n := len(doc["shipments"].([]any)); n == 0 {
		t.Errorf("run --json lists no shipment")
	}

	code, out, errOut = clearpack(t, "verify", "--json", "--archive", arch, "--pub", pub)
	if code != ExitOK {
		t.Fatalf("verify: exit %d\n%s", code, errOut)
	}
	doc = checkJSONOutput(t, "verify", out)
	if doc["ok"] != true || len(doc["checks"].([]any)) == 0 {
		t.Errorf("verify --json of a good archive: ok %v, %d checks", doc["ok"], len(doc["checks"].([]any)))
	}

	code, out, errOut = clearpack(t, "capability", "--json", "--archive", arch, "--pub", pub)
	if code != ExitOK {
		t.Fatalf("capability: exit %d\n%s", code, errOut)
	}
	checkJSONOutput(t, "capability", out)

	code, out, errOut = clearpack(t, append([]string{"validate", "--json"}, inputs...)...)
	if code != ExitPartial {
		t.Fatalf("validate: exit %d\n%s", code, errOut)
	}
	checkJSONOutput(t, "validate", out)

	dropSample(t, in, "monday")
	code, out, errOut = clearpack(t, "run", "--once", "--json", "--inbox", in, "--archive", arch, "--key", key)
	if code != ExitPartial {
		t.Fatalf("run --once: exit %d\n%s", code, errOut)
	}
	doc = checkJSONOutput(t, "run-once", out)
	if n := len(doc["batches"].([]any)); n != 1 {
		t.Errorf("run --once --json: %d batches, want 1", n)
	}

	// A failing verify is still a document of its schema.
	victim := ""
	filepath.WalkDir(arch, func(p string, d fs.DirEntry, err error) error {
		if err == nil && victim == "" && strings.HasSuffix(p, ".pdf") {
			victim = p
		}
		return nil
	})
	os.Chmod(victim, 0o644)
	if err := os.WriteFile(victim, []byte("%PDF-1.7 forged"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = clearpack(t, "verify", "--json", "--archive", arch, "--pub", pub)
	if code != ExitVerify {
		t.Fatalf("verify of a tampered archive: exit %d", code)
	}
	if doc = checkJSONOutput(t, "verify", out); doc["ok"] != false {
		t.Errorf("verify --json of a tampered archive: ok %v", doc["ok"])
	}
}

// validate --json carries every input problem the table shows, with its
// file, line, field and message (issue 20).
func TestValidateJSONHasInputProblems(t *testing.T) {
	dir := t.TempDir()
	inv, err := os.ReadFile(sampleInv)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(inv), "\n", 3)
	lines[1] = strings.Replace(lines[1], ",USD,", ",XYZ,", 1)
	badInv := filepath.Join(dir, "inventory.csv")
	os.WriteFile(badInv, []byte(strings.Join(lines, "\n")), 0o644)
	args := []string{"validate", "--inventory", badInv, "--plan", samplePlan, "--clearances", "../../testdata/bad/clr-unknown-shipment/clearances.csv"}

	code, table, errOut := clearpack(t, append(args, "-o", "wide")...)
	if code != ExitPartial {
		t.Fatalf("validate (table): exit %d\n%s", code, errOut)
	}
	code, out, errOut := clearpack(t, append(args, "--json")...)
	if code != ExitPartial {
		t.Fatalf("validate --json: exit %d\n%s", code, errOut)
	}
	checkJSONOutput(t, "validate", out)
	var doc struct {
		Shipments []struct {
			ShipmentID    string        `json:"shipment_id"`
			InputProblems []jsonProblem `json:"input_problems"`
		} `json:"shipments"`
		InputProblems []jsonProblem `json:"input_problems"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	// The table's input problems: "input FAIL" rows and the closing lines.
	var tableProblems []string
	for _, l := range strings.Split(table, "\n") {
		if rest, ok := strings.CutPrefix(l, "input problem (no shipment affected): "); ok {
			tableProblems = append(tableProblems, rest)
		} else if f := strings.Fields(l); len(f) > 2 && f[0] == "input" && f[1] == "FAIL" {
			tableProblems = append(tableProblems, l)
		}
	}
	var jsonProblems []jsonProblem
	jsonProblems = append(jsonProblems, doc.InputProblems...)
	for _, s := range doc.Shipments {
		for _, p := range s.InputProblems {
			if p.Shipment != s.ShipmentID {
				t.Errorf("shipment %s lists a problem of shipment %q", s.ShipmentID, p.Shipment)
			}
			jsonProblems = append(jsonProblems, p)
		}
	}
	if len(jsonProblems) < 2 || len(jsonProblems) != len(tableProblems) {
		t.Fatalf("the table shows %d input problems, the JSON %d (want the same, at least the currency and the clearance):\ntable: %q\njson: %+v", len(tableProblems), len(jsonProblems), tableProblems, jsonProblems)
	}
	for _, p := range jsonProblems {
		if p.File == "" || p.Line == 0 || p.Field == "" || p.Message == "" {
			t.Errorf("JSON problem without file, line, field or message: %+v", p)
		}
		want := fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Field, p.Message)
		found := false
		for _, l := range tableProblems {
			found = found || strings.Contains(l, want)
		}
		if !found {
			t.Errorf("JSON problem %q is not in the table:\n%s", want, strings.Join(tableProblems, "\n"))
		}
	}
	var sawCurrency, sawClearance bool
	for _, p := range jsonProblems {
		sawCurrency = sawCurrency || (p.Field == "currency" && p.Line == 2 && p.Found != "")
		sawClearance = sawClearance || (p.Field == "shipment_id" && strings.HasSuffix(p.File, "clearances.csv") && p.Shipment == "")
	}
	if !sawCurrency || !sawClearance {
		t.Errorf("JSON problems lack the bad currency (inventory line 2) or the unknown clearance: %+v", jsonProblems)
	}
}

type jsonProblem struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Field    string `json:"field"`
	Found    string `json:"found"`
	Expected string `json:"expected"`
	Message  string `json:"message"`
	Shipment string `json:"shipment"`
}

// The README's JSON examples are documents of the schemas they name.
func TestREADMEJSONExamples(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```json\n(.*?)```").FindAllStringSubmatch(string(b), -1)
	n := 0
	for _, m := range blocks {
		sv := regexp.MustCompile(`"schema_version": "clearpack\.([a-z-]+)/1"`).FindStringSubmatch(m[1])
		if sv == nil {
			continue
		}
		n++
		checkJSONOutput(t, sv[1], m[1])
	}
	if n < 2 {
		t.Errorf("the README shows %d --json examples, want the verify and validate ones", n)
	}
}
