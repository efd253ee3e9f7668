package rules

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/clearpack/clearpack/internal/termtable"
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
	// Width, when above 0, fits each shipment's part to that many columns:
	// the detail wraps within its column, the legal source is cut and then
	// left out, the headings wrap. 0 prints every column in full.
	Width int
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
	heading := fmt.Sprintf("Shipment %s  %s → %s (%s)  %s: %d pass, %d warn, %d fail",
		r.ShipmentID, r.Origin, r.Destination, r.Direction, r.Verdict(),
		r.Count(model.Pass), r.Count(model.Warn), r.Count(model.Fail))
	docLine := fmt.Sprintf("Documents: %s; language %s; keep %d years", strings.Join(docs, ", "), r.Language, r.RetentionYears)
	if _, err := fmt.Fprintf(t.w, "%s\n%s\n", termtable.WrapLine(heading, t.Width), termtable.WrapLine(docLine, t.Width)); err != nil {
		return fmt.Errorf("writing table: %w", err)
	}
	rows := make([][]string, 0, len(r.Results))
	for _, c := range r.Results {
		rows = append(rows, []string{c.Rule, strings.ToUpper(string(c.Status)), oneLine(c.Source), oneLine(c.Detail)})
	}
	if err := termtable.Write(t.w, t.Width, tableColumns, rows); err != nil {
		return fmt.Errorf("writing table: %w", err)
	}
	return nil
}

// tableColumns are validate's columns: the detail says what is wrong and
// is never cut; the legal source gives way first.
var tableColumns = []termtable.Column{
	{Header: "RULE", Fit: termtable.Cut, Min: 18}, {Header: "RESULT"},
	{Header: "SOURCE", Fit: termtable.Cut, Min: 16, Drop: 1},
	{Header: "DETAIL", Fit: termtable.Wrap, Min: 40},
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

// jsonReport adds the verdict to a report for programs, and whatever the
// caller adds (Field).
type jsonReport struct {
	OK bool `json:"ok"`
	Report
}

// Field is a key the caller adds to the JSON: to a shipment's object
// (JSONWriter.WriteWith) or to the document (JSONWriter.CloseWith).
type Field struct {
	Key   string
	Value any
}

// withFields encodes v as an object and appends fields to it.
func withFields(v any, fields []Field) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(fields) == 0 {
		return b, err
	}
	var buf strings.Builder
	buf.Write(b[:len(b)-1]) // without the closing brace
	for _, f := range fields {
		k, err := json.Marshal(f.Key)
		if err != nil {
			return nil, err
		}
		fv, err := json.Marshal(f.Value)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Key, err)
		}
		buf.WriteByte(',')
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(fv)
	}
	buf.WriteByte('}')
	return []byte(buf.String()), nil
}

// JSONWriter writes the JSON of `clearpack validate --json` one report at a
// time, so that a large plan's reports need never be held together:
// {"schema_version": ..., "rules_version": ..., "ok": ..., "shipments":
// [{"ok": ..., "shipment_id": ..., "results": [...], ...}], ...}, indented
// by two spaces.
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
	// SchemaVersion, when set, is printed first, as "schema_version".
	SchemaVersion string
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
	if _, err := j.w.WriteString("{\n"); err != nil {
		return err
	}
	if j.SchemaVersion != "" {
		sv, err := json.Marshal(j.SchemaVersion)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(j.w, "%s\"schema_version\": %s,\n", jsonIndent, sv); err != nil {
			return err
		}
	}
	_, err = fmt.Fprintf(j.w, "%[1]s\"rules_version\": %[2]s,\n%[1]s\"ok\": %[3]t,\n%[1]s\"shipments\": [", jsonIndent, v, j.ok)
	return err
}

// Write writes one shipment's object.
func (j *JSONWriter) Write(r Report) error { return j.WriteWith(r) }

// WriteWith writes one shipment's object with further keys after the
// report's own.
func (j *JSONWriter) WriteWith(r Report, fields ...Field) error {
	if j.ok && !r.OK() {
		return fmt.Errorf("writing json report: shipment %s fails but the document says every shipment passes", r.ShipmentID)
	}
	raw, err := withFields(jsonReport{OK: r.OK(), Report: r}, fields)
	if err != nil {
		return fmt.Errorf("writing json report: shipment %s: %w", r.ShipmentID, err)
	}
	var ind bytes.Buffer
	if err := json.Indent(&ind, raw, jsonShipments, jsonIndent); err != nil {
		return fmt.Errorf("writing json report: shipment %s: %w", r.ShipmentID, err)
	}
	b := ind.Bytes()
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
func (j *JSONWriter) Close() error { return j.CloseWith() }

// CloseWith ends the document with further keys after the shipments, and
// flushes.
func (j *JSONWriter) CloseWith(fields ...Field) error {
	end := "\n" + jsonIndent + "]"
	if j.n == 0 {
		if err := j.header(); err != nil {
			return fmt.Errorf("writing json report: %w", err)
		}
		end = "]"
	}
	for _, f := range fields {
		k, err := json.Marshal(f.Key)
		if err != nil {
			return fmt.Errorf("writing json report: %w", err)
		}
		v, err := json.MarshalIndent(f.Value, jsonIndent, jsonIndent)
		if err != nil {
			return fmt.Errorf("writing json report: %s: %w", f.Key, err)
		}
		end += ",\n" + jsonIndent + string(k) + ": " + string(v)
	}
	end += "\n}\n"
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
