package main

import (
	"context"
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
	if md := r.markdown(); !strings.Contains(md, "| wk | 0 | 100.0 |  | 0.100 |  |") {
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

// TestRenderBench runs the renderers benchmark the bench reports (two
// documents, once) and reads its figures: a renamed benchmark or metric
// fails here rather than in a long make bench.
func TestRenderBench(t *testing.T) {
	rc, err := renderBench(context.Background(), "commercial-invoice-30-lines", 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(rc.CPUMs) != 1 || rc.Median <= 0 || rc.Bytes < 10000 || rc.Allocs <= 0 {
		t.Errorf("renderers benchmark read as %+v", rc)
	}
}

// TestParseRenderBench: every count's cpu-ms/doc is kept, the median is
// of them, and the verdict says whether it is within the 4 ms target.
func TestParseRenderBench(t *testing.T) {
	out := `goos: linux
BenchmarkRender/commercial-invoice-30-lines 	     200	   5100000 ns/op	       196.1 docs/s	    120167 bytes/doc	         5.10 cpu-ms/doc	 3900000 B/op	   29000 allocs/op
BenchmarkRender/commercial-invoice-30-lines 	     200	   3900000 ns/op	       256.4 docs/s	    120167 bytes/doc	         3.90 cpu-ms/doc	 3900000 B/op	   29000 allocs/op
BenchmarkRender/commercial-invoice-30-lines 	     200	   4200000 ns/op	       238.1 docs/s	    120167 bytes/doc	         4.20 cpu-ms/doc	 3900000 B/op	   29000 allocs/op
PASS
`
	rc, err := parseRenderBench("commercial-invoice-30-lines", 200, out)
	if err != nil {
		t.Fatal(err)
	}
	if len(rc.CPUMs) != 3 || rc.Median != 4.2 || rc.Bytes != 120167 || rc.Allocs != 29000 {
		t.Errorf("read as %+v", rc)
	}
	r := &Results{Render: &rc}
	if md := r.markdown(); !strings.Contains(md, "5.10 3.90 4.20 ms. Median 4.20 ms, OVER the 4 ms target.") {
		t.Errorf("markdown lacks the counts and the verdict:\n%s", md)
	}
	rc.Median = 3.9
	if md := r.markdown(); !strings.Contains(md, "Median 3.90 ms, within the 4 ms target.") {
		t.Errorf("a 3.9 ms median is not called within:\n%s", md)
	}
	if _, err := parseRenderBench("x", 1, "FAIL\n"); err == nil {
		t.Error("output without cpu-ms/doc gave no error")
	}
}

// TestValidateAndChromiumVerdicts: validate's largest run is set against
// the one a tenth its size, and warm Chromium against clearpack's renderer
// on the same invoices, each with its verdict.
func TestValidateAndChromiumVerdicts(t *testing.T) {
	r := &Results{
		Validate: []Validate{
			{Units: 999, Shipments: 123, CPUSeconds: 0.3},
			{Units: 9999, Shipments: 1249, CPUSeconds: 2.0, PeakRSSMB: 98},
			{Units: 99995, Shipments: 12498, CPUSeconds: 21.0, PeakRSSMB: 140},
		},
		Alternatives: []Alt{
			{Name: rendererAlt, Docs: 20, MsPerDoc: 3.5, CPUMsPerDoc: 3.4},
			{Name: warmChromeAlt, Docs: 20, MsPerDoc: 110},
		},
	}
	r.finish()
	md := r.markdown()
	for _, want := range []string{
		"`validate` CPU per unit at 99995 units: 0.2100 ms against 0.2000 ms at 9999 units: 1.05x, within the 1.1x target; peak RSS 140 MB.",
		"| 99995 | 12498 | 0.00 | 21.00 | 0.2100 | ",
		"| clearpack renderer (maroto), one at a time | 20 | 3.5 | 3.40 | ",
		"Warm Chromium takes 110.0 ms per invoice, 31.4x clearpack's renderer (3.50 ms): meets the 30x target.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	r.Validate[2].CPUSeconds = 58
	r.Alternatives[0].MsPerDoc = 9.4
	r.finish()
	md = r.markdown()
	for _, want := range []string{"2.90x, OVER the 1.1x target", "11.7x clearpack's renderer (9.40 ms): SHORT of the 30x target."} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}
