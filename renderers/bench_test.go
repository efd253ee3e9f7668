package renderers

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/clearpack/clearpack/pipeline/model"
)

// BenchmarkRender renders each document kind; it reports documents per
// second and bytes per document. The invoice has 30 distinct lines; the
// "5000" cases have 5,000 units.
func BenchmarkRender(b *testing.B) {
	r, err := New()
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name string
		kind model.DocKind
		pack Pack
	}{
		{"commercial-invoice-30-lines", model.CommercialInvoice, bigPack(30, 30)},
		{"packing-list-30", model.PackingList, bigPack(30, 30)},
		{"condition-declaration-30", model.ConditionDeclaration, bigPack(30, 30)},
		{"spec-list-origin-30", model.SpecListOrigin, bigPack(30, 30)},
		{"spec-list-destination-30", model.SpecListDestination, bigPack(30, 30)},
		{"post-clearance", model.PostClearance, fixturePack()},
		{"compliance-summary", model.ComplianceSummary, fixturePack()},
		{"spec-list-destination-5000", model.SpecListDestination, bigPack(5000, 30)},
		{"commercial-invoice-5000-units-30-lines", model.CommercialInvoice, bigPack(5000, 30)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var size int
			cpu0 := cpuTime()
			for b.Loop() {
				d, err := r.Render(context.Background(), c.kind, c.pack)
				if err != nil {
					b.Fatal(err)
				}
				size = len(d.PDF)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
			b.ReportMetric(float64(size), "bytes/doc")
			// CPU time of the process per document: on a shared machine the
			// wall time above includes waiting for a core.
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/doc")
		})
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
