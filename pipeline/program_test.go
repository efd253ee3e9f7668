package pipeline_test

import (
	"strings"
	"testing"

	"github.com/clearpack/clearpack/pipeline"
)

// Two program names with one archive slug share a folder; the second must
// not supersede the first's packs nor file failure reports beside them.
// Every shipment the first program archived fails, naming both programs,
// and nothing is written; the first program's own re-run is untouched.
func TestProgramNamesWithOneSlug(t *testing.T) {
	e := newEnv(t)
	e.run(t, sample)
	before := e.snapshot(t)
	other := copySample(t, func(s string) string {
		return strings.Replace(s, "program: APAC-LATAM Server Refresh 2026", "program: apac latam server-refresh 2026", 1)
	}, nil)
	sum := e.run(t, other)
	// 19 packs and APL26-BR-03's failure report are the other program's.
	if n := sum.Count(pipeline.Failed); n != 20 {
		t.Errorf("%d shipments failed, want all 20", n)
	}
	if n := sum.Count(pipeline.Archived) + sum.Count(pipeline.Unchanged); n != 0 {
		t.Errorf("%d shipments archived or taken as unchanged under another program's packs", n)
	}
	vn := byID(sum)["APL26-VN-01"]
	want := `program "apac latam server-refresh 2026" has the archive name "apac-latam-server-refresh-2026", which program "APAC-LATAM Server Refresh 2026" already uses (programs/apac-latam-server-refresh-2026/shipments/APL26-VN-01/v0001)`
	if vn.Status != pipeline.Failed || !strings.Contains(strings.Join(vn.Reasons, "\n"), want) {
		t.Errorf("APL26-VN-01: %s %v\nwant failed with: %s", vn.Status, vn.Reasons, want)
	}
	after := e.snapshot(t)
	for k, v := range after {
		if strings.HasPrefix(k, "programs/") && before[k] != v {
			t.Errorf("%s written by the other program", k)
		}
	}
	if rep := e.verify(t); !rep.OK() {
		t.Errorf("verify after the refused run: %v", rep.Failures())
	}
	again := e.run(t, sample)
	if n := again.Count(pipeline.Unchanged); n != 19 {
		t.Errorf("the first program's re-run: %d unchanged, want 19", n)
	}
}

// A unit priced in another currency than its shipment's is a validation
// fault: the shipment is rejected with its failure report archived, not
// left to fail at rendering with no report (issue 13).
func TestUnitInAnotherCurrencyIsRejected(t *testing.T) {
	e := newEnv(t)
	var tag string
	files := copySample(t, nil, func(s string) string {
		lines := strings.Split(s, "\n")
		tag, _, _ = strings.Cut(lines[1], ",")
		if !strings.Contains(lines[1], ",USD,") {
			t.Fatalf("first inventory row is not in USD: %s", lines[1])
		}
		lines[1] = strings.Replace(lines[1], ",USD,", ",EUR,", 1)
		return strings.Join(lines, "\n")
	})
	sum := e.run(t, files)
	var hit *pipeline.ShipmentResult
	for i, s := range sum.Shipments {
		if strings.Contains(strings.Join(s.Reasons, "\n"), "asset "+tag) {
			hit = &sum.Shipments[i]
		}
	}
	if hit == nil {
		t.Fatalf("no shipment names asset %s: %+v", tag, sum.Shipments)
	}
	msg := strings.Join(hit.Reasons, "\n")
	if hit.Status != pipeline.Rejected || !strings.Contains(msg, "inventory.csv:2") || !strings.Contains(msg, `currency: "EUR", expected "USD"`) {
		t.Errorf("%s: %s %v; want rejected naming inventory.csv:2 and the currency", hit.ID, hit.Status, hit.Reasons)
	}
	if _, ok := e.snapshot(t)[hit.Path+"report.json"]; !ok {
		t.Errorf("no failure report archived at %sreport.json", hit.Path)
	}
	if n := sum.Count(pipeline.Failed); n != 0 {
		t.Errorf("%d shipments failed", n)
	}
}
