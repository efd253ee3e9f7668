// Package runreport records what one run did, for operators and auditors: a
// JSON report and a one-page PDF, signed and stored in the archive under
//
//	runs/<YYYY-MM-DD>/<run id>/report.json (+ .sig)
//	runs/<YYYY-MM-DD>/<run id>/report.pdf  (+ .sig)
//
// (the day is the run's start, UTC). The report names the inputs with their
// SHA-256, every shipment with its status and reasons, the documents made,
// the bytes archived and the time taken. The signatures are cosign blob
// signatures by the archive's document key, like every .sig in the archive.
//
// The package also draws progress for long runs (Progress).
package runreport

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/pack"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/pipeline"
)

// Format identifies the JSON report's shape.
const Format = "clearpack-run-report/1"

// Report is one run.
type Report struct {
	Format   string    `json:"format"`
	RunID    string    `json:"run_id"`
	Mode     string    `json:"mode"`               // "serve", "once", "run"
	Schedule string    `json:"schedule,omitempty"` // the schedule that started it
	Batch    string    `json:"batch,omitempty"`    // inbox batch (claim key)
	Instance string    `json:"instance,omitempty"` // who ran it
	Program  string    `json:"program,omitempty"`
	Archive  string    `json:"archive"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Seconds  float64   `json:"seconds"`
	// Outcome is "done" or "failed" (inputs unusable, or a shipment failed
	// in processing); Error says why the run as a whole failed.
	Outcome       string     `json:"outcome"`
	Error         string     `json:"error,omitempty"`
	Inputs        []Input    `json:"inputs"`
	Counts        Counts     `json:"counts"`
	Documents     int        `json:"documents"`
	BytesArchived int64      `json:"bytes_archived"`
	Shipments     []Shipment `json:"shipments"`
	Problems      []string   `json:"problems,omitempty"`
}

// Input is one input file read.
type Input struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

// Counts are shipments by status.
type Counts struct {
	Archived   int `json:"archived"`
	Unchanged  int `json:"unchanged"`
	Rejected   int `json:"rejected"`
	Failed     int `json:"failed"`
	InProgress int `json:"in_progress"`
	// NotStarted counts the shipments a stopped run never began (only in
	// what a stopped pass reports; a finished batch has none).
	NotStarted int `json:"not_started,omitempty"`
}

// Shipment is one shipment's outcome.
type Shipment struct {
	ID          string   `json:"id"`
	Destination string   `json:"destination"`
	Status      string   `json:"status"`
	Version     int      `json:"version,omitempty"`
	Path        string   `json:"path,omitempty"`
	Documents   int      `json:"documents"`
	Bytes       int64    `json:"bytes"`
	Reasons     []string `json:"reasons,omitempty"`
}

// NewRunID returns a run id that sorts by time: 20260212T101500Z-3f9a1c2b.
func NewRunID(t time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return t.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

// New starts the report of a run.
func New(runID, mode string, started time.Time) *Report {
	return &Report{Format: Format, RunID: runID, Mode: mode, Started: started.UTC(), Outcome: "done"}
}

// AddSummary records the pipeline's outcome. Documents and bytes count
// only what this run archived (status archived), not packs found unchanged.
func (r *Report) AddSummary(sum *pipeline.Summary) {
	if sum == nil {
		return
	}
	r.Program, r.Archive = sum.Program, sum.Archive
	r.Problems = append(r.Problems, sum.Problems...)
	for _, in := range sum.Inputs {
		r.Inputs = append(r.Inputs, Input{Name: filepath.Base(in.Path), SHA256: in.SHA256, Bytes: in.Bytes})
	}
	for _, s := range sum.Shipments {
		sh := Shipment{ID: s.ID, Destination: s.Destination, Status: string(s.Status), Version: s.Version, Path: s.Path, Reasons: s.Reasons}
		switch s.Status {
		case pipeline.Archived:
			r.Counts.Archived++
			sh.Documents = len(s.Documents)
			for _, d := range s.Documents {
				sh.Bytes += int64(d.Bytes)
			}
			r.Documents += sh.Documents
			r.BytesArchived += sh.Bytes
		case pipeline.Unchanged:
			r.Counts.Unchanged++
		case pipeline.Rejected:
			r.Counts.Rejected++
		case pipeline.Failed:
			r.Counts.Failed++
			r.Outcome = "failed"
		case pipeline.InProgress:
			r.Counts.InProgress++
		case pipeline.NotStarted:
			r.Counts.NotStarted++
		}
		r.Shipments = append(r.Shipments, sh)
	}
}

// Finish stamps the end of the run; a non-nil err fails it.
func (r *Report) Finish(t time.Time, err error) {
	r.Finished = t.UTC()
	r.Seconds = r.Finished.Sub(r.Started).Seconds()
	if err != nil {
		r.Outcome, r.Error = "failed", err.Error()
	}
}

// JSON encodes the report.
func (r *Report) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding run report: %w", err)
	}
	return append(b, '\n'), nil
}

// Dir is the report's folder in the archive.
func (r *Report) Dir() string {
	return pack.RunReportDir(r.Started.UTC().Format(time.DateOnly), r.RunID)
}

// Signer signs a blob; *signing.Signer is one.
type Signer interface {
	SignBlob(ctx context.Context, data []byte) ([]byte, error)
}

// Store signs the report (JSON and PDF) and archives it, signatures first,
// report.json last, each object locked until retainUntil (the zero time:
// the store's default). It returns the key of report.json.
func Store(ctx context.Context, st archive.Store, s Signer, r *Report, retainUntil time.Time) (string, error) {
	js, err := r.JSON()
	if err != nil {
		return "", err
	}
	pdf, err := r.PDF()
	if err != nil {
		return "", err
	}
	dir := r.Dir()
	if err := archive.ValidKey(dir + "report.json"); err != nil {
		return "", fmt.Errorf("archiving run report: %w", err)
	}
	put := func(name string, body []byte, ct string) error {
		err := archive.PutBytes(ctx, st, dir+name, body, archive.PutOptions{ContentType: ct, RetainUntil: retainUntil})
		if err != nil && !errors.Is(err, archive.ErrExists) {
			return fmt.Errorf("archiving %s: %w", dir+name, err)
		}
		return nil
	}
	for _, f := range []struct {
		name string
		body []byte
		ct   string
	}{{"report.pdf", pdf, "application/pdf"}, {"report.json", js, "application/json"}} {
		der, err := s.SignBlob(ctx, f.body)
		if err != nil {
			return "", fmt.Errorf("signing %s: %w", f.name, err)
		}
		if err := put(f.name+".sig", signing.CosignSig(der), "text/plain"); err != nil {
			return "", err
		}
		if err := put(f.name, f.body, f.ct); err != nil {
			return "", err
		}
	}
	return dir + "report.json", nil
}

// Appender records an audit-log entry; *auditlog.Log is one.
type Appender interface {
	Append(ctx context.Context, e auditlog.Entry) (uint64, error)
}

// Record records the archived report r in the audit log
// (auditlog.EventRunReportArchived, with the digests of report.json and
// report.pdf as stored), so that verify can tell a removed report.
func Record(ctx context.Context, st archive.Store, l Appender, r *Report, actor string, now time.Time) error {
	dir := r.Dir()
	digests := map[string]string{}
	for _, name := range []string{"report.json", "report.pdf"} {
		b, err := archive.ReadAll(ctx, st, dir+name)
		if err != nil {
			return fmt.Errorf("recording run report: %w", err)
		}
		sum := sha256.Sum256(b)
		digests[name] = hex.EncodeToString(sum[:])
	}
	if actor == "" {
		actor = "scheduler"
	}
	_, err := l.Append(ctx, auditlog.Entry{Time: now, Actor: actor, Event: auditlog.EventRunReportArchived,
		Object: strings.TrimSuffix(dir, "/"), Digests: digests})
	if err != nil {
		return fmt.Errorf("recording run report %s: %w", dir, err)
	}
	return nil
}
