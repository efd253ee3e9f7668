package schedule

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/clearpack/clearpack/pipeline"
	"github.com/clearpack/clearpack/pipeline/inbox"
)

// Metrics are the service's Prometheus metrics, in their own registry (no
// global state): serve exposes Registry at /metrics.
type Metrics struct {
	Registry *prometheus.Registry

	Batches        *prometheus.CounterVec // by outcome: done, failed, released, lost
	Shipments      *prometheus.CounterVec // by status
	Documents      prometheus.Counter
	Failures       *prometheus.CounterVec // by reason
	BytesArchived  prometheus.Counter
	ClaimTakeovers prometheus.Counter
	BatchSeconds   prometheus.Histogram
	PassSeconds    *prometheus.HistogramVec // by schedule
	LastPass       *prometheus.GaugeVec     // unix time of the last pass, by schedule
}

// Failure reasons counted in clearpack_failures_total.
const (
	ReasonInput      = "input"      // batch inputs unusable
	ReasonValidation = "validation" // shipment rejected by the rules
	ReasonProcessing = "processing" // shipment failed rendering, signing or archiving
	ReasonClaim      = "claim"      // claim store unreachable, or a lease lost
	ReasonInbox      = "inbox"      // listing, fetching or moving failed
	ReasonReport     = "report"     // the run report could not be archived
)

// NewMetrics registers the metrics (and the Go and process collectors).
func NewMetrics() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		Registry: reg,
		Batches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "clearpack_batches_total", Help: "Inbox batches handled, by outcome (done, failed, released at shutdown, lost to another instance).",
		}, []string{"outcome"}),
		Shipments: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "clearpack_shipments_total", Help: "Shipments processed, by status (archived, unchanged, rejected, failed, in-progress).",
		}, []string{"status"}),
		Documents: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "clearpack_documents_total", Help: "Documents archived (PDFs in new pack versions).",
		}),
		Failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "clearpack_failures_total", Help: "Failures by reason (input, validation, processing, claim, inbox, report).",
		}, []string{"reason"}),
		BytesArchived: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "clearpack_archived_bytes_total", Help: "Bytes of documents archived.",
		}),
		ClaimTakeovers: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "clearpack_claim_takeovers_total", Help: "Batches taken over from an instance whose lease had expired.",
		}),
		BatchSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "clearpack_batch_duration_seconds", Help: "Time to process one inbox batch.",
			Buckets: prometheus.ExponentialBuckets(0.25, 2, 14),
		}),
		PassSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "clearpack_pass_duration_seconds", Help: "Time of one pass over the inbox, by schedule.",
			Buckets: prometheus.ExponentialBuckets(0.25, 2, 16),
		}, []string{"schedule"}),
		LastPass: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "clearpack_last_pass_timestamp_seconds", Help: "Unix time the last pass over the inbox ended, by schedule.",
		}, []string{"schedule"}),
	}
	// Every failure reason, batch outcome and shipment status is exported
	// from the start, at zero: an alert on increase() or rate() needs the
	// series before the first failure, and a one-shot run's metrics file
	// must say "0 failures", not nothing.
	for _, r := range []string{ReasonInput, ReasonValidation, ReasonProcessing, ReasonClaim, ReasonInbox, ReasonReport} {
		m.Failures.WithLabelValues(r)
	}
	for _, o := range []string{string(inbox.Done), string(inbox.Failed), OutcomeReleased, OutcomeLost} {
		m.Batches.WithLabelValues(o)
	}
	for _, s := range []pipeline.Status{pipeline.Archived, pipeline.Unchanged, pipeline.Rejected, pipeline.Failed, pipeline.InProgress} {
		m.Shipments.WithLabelValues(string(s))
	}
	reg.MustRegister(m.Batches, m.Shipments, m.Documents, m.Failures, m.BytesArchived, m.ClaimTakeovers,
		m.BatchSeconds, m.PassSeconds, m.LastPass,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// shipment counts one shipment's result.
func (m *Metrics) shipment(res pipeline.ShipmentResult) {
	if m == nil {
		return
	}
	m.Shipments.WithLabelValues(string(res.Status)).Inc()
	switch res.Status {
	case pipeline.Archived:
		m.Documents.Add(float64(len(res.Documents)))
		for _, d := range res.Documents {
			m.BytesArchived.Add(float64(d.Bytes))
		}
	case pipeline.Rejected:
		m.Failures.WithLabelValues(ReasonValidation).Inc()
	case pipeline.Failed:
		m.Failures.WithLabelValues(ReasonProcessing).Inc()
	}
}

func (m *Metrics) failure(reason string) {
	if m != nil {
		m.Failures.WithLabelValues(reason).Inc()
	}
}

func (m *Metrics) batch(outcome string, seconds float64) {
	if m == nil {
		return
	}
	m.Batches.WithLabelValues(outcome).Inc()
	if seconds > 0 {
		m.BatchSeconds.Observe(seconds)
	}
}
