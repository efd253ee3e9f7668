package rules

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/clearpack/clearpack/pipeline/model"
)

// Verdict is the one-word outcome of a report: PASS, WARN or FAIL.
func (r Report) Verdict() string {
	switch {
	case !r.OK():
		return "FAIL"
	case r.Count(model.Warn) > 0:
		return "WARN"
	default:
		return "PASS"
	}
}

// TableWriter prints the human table of `clearpack validate` one report at a
// time, so that a large plan's reports need never be held together: per
// shipment a heading with the verdict, then one row per rule (rule, result,
// source, detail); Close adds a closing line with the totals.
type TableWriter struct {
	w      *bufio.Writer
	n      int
	failed int
}

// NewTableWriter returns a TableWriter printing to w. Output is buffered:
// call Close to print the totals and flush.
func NewTableWriter(w io.Writer) *TableWriter {
	return &TableWriter{w: bufio.NewWriter(w)}
}

// Write prints one shipment's part of the table.
func (t *TableWriter) Write(r Report) error {
	if t.n > 0 {
		if err := t.w.WriteByte('\n'); err != nil {
			return fmt.Errorf("writing table: %w", err)
		}
	}
	t.n++
	if !r.OK() {
		t.failed++
	}
	docs := make([]string, len(r.Documents))
	for j, d := range r.Documents {
		docs[j] = string(d)
	}
	_, err := fmt.Fprintf(t.w, "Shipment %s  %s → %s (%s)  %s: %d pass, %d warn, %d fail\nDocuments: %s; language %s; keep %d years\n",
		r.ShipmentID, r.Origin, r.Destination, r.Direction, r.Verdict(),
		r.Count(model.Pass), r.Count(model.Warn), r.Count(model.Fail),
		strings.Join(docs, ", "), r.Language, r.RetentionYears)
	if err != nil {
		return fmt.Errorf("writing table: %w", err)
	}
	tw := tabwriter.NewWriter(t.w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tRESULT\tSOURCE\tDETAIL")
	for _, c := range r.Results {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Rule, strings.ToUpper(string(c.Status)), oneLine(c.Source), oneLine(c.Detail))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing table: %w", err)
	}
	return nil
}

// Close prints the totals line and flushes.
func (t *TableWriter) Close() error {
	if _, err := fmt.Fprintf(t.w, "\n%d shipments checked: %d passed, %d failed\n", t.n, t.n-t.failed, t.failed); err != nil {
		return fmt.Errorf("writing table: %w", err)
	}
	if err := t.w.Flush(); err != nil {
		return fmt.Errorf("writing table: %w", err)
	}
	return nil
}

// WriteTable prints the whole table for reports already in hand; see
// TableWriter.
func WriteTable(w io.Writer, reports []Report) error {
	t := NewTableWriter(w)
	for _, r := range reports {
		if err := t.Write(r); err != nil {
			return err
		}
	}
	return t.Close()
}

func oneLine(s string) string {
	return strings.NewReplacer("\n", " ", "\t", " ").Replace(s)
}

// jsonReport adds the verdict to a report for programs.
type jsonReport struct {
	OK bool `json:"ok"`
	Report
}

// JSONWriter writes the JSON of `clearpack validate --json` one report at a
// time, so that a large plan's reports need never be held together:
// {"rules_version": ..., "ok": ..., "shipments": [{"ok": ...,
// "shipment_id": ..., "results": [...], ...}]}, indented by two spaces.
//
// The top-level "ok" comes before the shipments, so it is given up front:
// the caller works it out first (checking a shipment again costs far less
// than holding every report). Write refuses a failing report when ok was
// given as true, so the document never contradicts itself.
type JSONWriter struct {
	w       *bufio.Writer
	version string
	ok      bool
	n       int
}

// NewJSONWriter returns a JSONWriter printing to w; ok is whether every
// shipment that will be written passes (AllOK). Output is buffered: call
// Close to end the document and flush.
func NewJSONWriter(w io.Writer, rulesVersion string, ok bool) *JSONWriter {
	return &JSONWriter{w: bufio.NewWriter(w), version: rulesVersion, ok: ok}
}

// The document is laid out as json.Encoder with SetIndent("", "  ") lays it
// out: each shipment is indented as the element of an array two levels deep.
const (
	jsonIndent    = "  "
	jsonShipments = jsonIndent + jsonIndent
)

func (j *JSONWriter) header() error {
	v, err := json.Marshal(j.version)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(j.w, "{\n%[1]s\"rules_version\": %[2]s,\n%[1]s\"ok\": %[3]t,\n%[1]s\"shipments\": [", jsonIndent, v, j.ok)
	return err
}

// Write writes one shipment's object.
func (j *JSONWriter) Write(r Report) error {
	if j.ok && !r.OK() {
		return fmt.Errorf("writing json report: shipment %s fails but the document says every shipment passes", r.ShipmentID)
	}
	b, err := json.MarshalIndent(jsonReport{OK: r.OK(), Report: r}, jsonShipments, jsonIndent)
	if err != nil {
		return fmt.Errorf("writing json report: shipment %s: %w", r.ShipmentID, err)
	}
	sep := ",\n"
	if j.n == 0 {
		if err := j.header(); err != nil {
			return fmt.Errorf("writing json report: %w", err)
		}
		sep = "\n"
	}
	j.n++
	if _, err := j.w.WriteString(sep + jsonShipments); err != nil {
		return fmt.Errorf("writing json report: %w", err)
	}
	if _, err := j.w.Write(b); err != nil {
		return fmt.Errorf("writing json report: %w", err)
	}
	return nil
}

// Close ends the document and flushes.
func (j *JSONWriter) Close() error {
	end := "\n" + jsonIndent + "]\n}\n"
	if j.n == 0 {
		if err := j.header(); err != nil {
			return fmt.Errorf("writing json report: %w", err)
		}
		end = "]\n}\n"
	}
	if _, err := j.w.WriteString(end); err != nil {
		return fmt.Errorf("writing json report: %w", err)
	}
	if err := j.w.Flush(); err != nil {
		return fmt.Errorf("writing json report: %w", err)
	}
	return nil
}

// WriteJSON writes the JSON for reports already in hand; see JSONWriter.
func WriteJSON(w io.Writer, rulesVersion string, reports []Report) error {
	j := NewJSONWriter(w, rulesVersion, AllOK(reports))
	for _, r := range reports {
		if err := j.Write(r); err != nil {
			return err
		}
	}
	return j.Close()
}

// AllOK reports whether every shipment passed; `clearpack validate` exits
// non-zero when it is false.
func AllOK(reports []Report) bool {
	for _, r := range reports {
		if !r.OK() {
			return false
		}
	}
	return true
}
