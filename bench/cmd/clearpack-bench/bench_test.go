package main

import (
	"strings"
	"testing"
)

// TestInvoiceHTML: the HTML the browsers print carries every fact and line
// of the invoice source, escaped.
func TestInvoiceHTML(t *testing.T) {
	src := `{"document_number": "INV-1", "data": {"total": 141716.76, "payment_terms": "Net 30 <T/T>",
		"lines": [{"description": "Máy chủ 2U", "quantity": 8, "serials": ["SN1", "SN2"]}]}}`
	page, err := invoiceHTML("Commercial Invoice INV-1", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"INV-1", "141716.76", "Net 30 &lt;T/T&gt;", "Máy chủ 2U", "<td class=\"n\">8</td>", "SN1, SN2", "<h2>lines</h2>"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
	if _, err := invoiceHTML("x", []byte("{")); err == nil {
		t.Error("a torn source gave no error")
	}
}

// TestFinish: ratios compare clearpack's per-document time of the largest
// local run with each alternative, and each run with its floor.
func TestFinish(t *testing.T) {
	r := &Results{
		EndToEnd: []E2E{
			{Units: 100, Target: "local", Workers: 2, Documents: 50, Seconds: 1},
			{Units: 1000, Target: "local", Workers: 2, Documents: 500, Seconds: 5, CPUSeconds: 9},
			{Units: 1000, Target: "minio (loopback)", Workers: 2, Documents: 500, Seconds: 8},
		},
		Floor:        []Floor{{Units: 1000, Documents: 500, Seconds: 4, CPUSeconds: 7.5}},
		Stages:       []Stage{{Units: 1000, Stage: "sign", MsPerDoc: 2}},
		Alternatives: []Alt{{Name: "wk", MsPerDoc: 100}},
	}
	r.finish()
	if r.ClearpackMsPerDoc != 10 {
		t.Errorf("clearpack ms/doc %v, want 10 (the 1000-unit local run)", r.ClearpackMsPerDoc)
	}
	if got := r.Alternatives[0].Ratio; got != 0.1 {
		t.Errorf("ratio %v, want 0.1", got)
	}
	if got := r.EndToEnd[2].VsFloor; got != 2 {
		t.Errorf("MinIO run vs floor %v, want 2", got)
	}
	if got := r.EndToEnd[1].VsFloorCPU; got != 1.2 {
		t.Errorf("local run vs floor in CPU time %v, want 1.2", got)
	}
	if md := r.markdown(); !strings.Contains(md, "| 1000 | 0 | local | 500 | 0 | 5.00 | 9.00 | 0.0 | 0.00 | 0 | 1.25 | 1.20 |") {
		t.Errorf("markdown lacks the local run's row with both ratios:\n%s", md)
	}
	if got := r.Stages[0].Share; got != 0.1 {
		t.Errorf("stage share %v, want 0.1 (2 ms of 20 core-ms per document)", got)
	}
	if md := r.markdown(); !strings.Contains(md, "| wk | 0 | 100.0 | 0.100 |") {
		t.Errorf("markdown lacks the alternative's row:\n%s", md)
	}
}

// TestMarkdownScaleAndShards: the memory run's CPU per unit is set against
// the largest local run's with a verdict on the 1.1x target, and the shard
// runs get their table and the fixed cost.
func TestMarkdownScaleAndShards(t *testing.T) {
	r := &Results{
		EndToEnd: []E2E{
			{Units: 1000, Target: "local", Documents: 500, Seconds: 5, CPUSeconds: 8},
			{Units: 10000, Target: "local", Documents: 5000, Seconds: 50, CPUSeconds: 80},
			{Units: 10000, Target: "minio (loopback)", Documents: 5000, Seconds: 60, CPUSeconds: 90},
		},
		Memory:        E2E{Units: 100000, Target: "local", Seconds: 500, CPUSeconds: 840, PeakRSSMB: 180},
		Shards:        []Shards{{Units: 1000, Shipments: 123, Shards: 2, CPUSeconds: 13.5, MaxShardCPU: 7.1, Seconds: 40, ShipmentsSec: 3.08}},
		ShardFixedCPU: 0.19,
	}
	r.finish()
	md := r.markdown()
	for _, want := range []string{
		"CPU (user+system) per unit at 100000 units: 8.40 ms against 8.00 ms at 10000 units: 1.05x, within the 1.1x target.",
		"| 1000 | 123 | 2 | 13.50 | 7.10 | 40.0 | 3.08 |",
		"Fixed cost of a shard (reads and checks the whole plan, signs a checkpoint, holds no shipment): 0.19 CPU seconds.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	r.Memory.CPUSeconds = 2780
	if md := r.markdown(); !strings.Contains(md, "3.48x, OVER the 1.1x target") {
		t.Errorf("a memory run at 3.48x the per-unit cost is not called over:\n%s", md)
	}
}
