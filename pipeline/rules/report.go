package rules

import (
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

// WriteTable prints the human table of `clearpack validate`: per shipment a
// heading with the verdict, then one row per rule (rule, result, source,
// detail), and a closing line with the totals.
func WriteTable(w io.Writer, reports []Report) error {
	var failed int
	for i, r := range reports {
		if i > 0 {
			if _, err := fmt.Fprintln(w); err != nil {
				return fmt.Errorf("writing table: %w", err)
			}
		}
		if !r.OK() {
			failed++
		}
		docs := make([]string, len(r.Documents))
		for j, d := range r.Documents {
			docs[j] = string(d)
		}
		_, err := fmt.Fprintf(w, "Shipment %s  %s → %s (%s)  %s: %d pass, %d warn, %d fail\nDocuments: %s; language %s; keep %d years\n",
			r.ShipmentID, r.Origin, r.Destination, r.Direction, r.Verdict(),
			r.Count(model.Pass), r.Count(model.Warn), r.Count(model.Fail),
			strings.Join(docs, ", "), r.Language, r.RetentionYears)
		if err != nil {
			return fmt.Errorf("writing table: %w", err)
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "RULE\tRESULT\tSOURCE\tDETAIL")
		for _, c := range r.Results {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Rule, strings.ToUpper(string(c.Status)), oneLine(c.Source), oneLine(c.Detail))
		}
		if err := tw.Flush(); err != nil {
			return fmt.Errorf("writing table: %w", err)
		}
	}
	if _, err := fmt.Fprintf(w, "\n%d shipments checked: %d passed, %d failed\n", len(reports), len(reports)-failed, failed); err != nil {
		return fmt.Errorf("writing table: %w", err)
	}
	return nil
}

func oneLine(s string) string {
	return strings.NewReplacer("\n", " ", "\t", " ").Replace(s)
}

// jsonReport adds the verdict to a report for programs.
type jsonReport struct {
	OK bool `json:"ok"`
	Report
}

// WriteJSON writes the reports as JSON for programs (`clearpack validate
// --json`): {"rules_version": ..., "ok": ..., "shipments": [{"ok": ...,
// "shipment_id": ..., "results": [...], ...}]}.
func WriteJSON(w io.Writer, rulesVersion string, reports []Report) error {
	out := struct {
		RulesVersion string       `json:"rules_version"`
		OK           bool         `json:"ok"`
		Shipments    []jsonReport `json:"shipments"`
	}{RulesVersion: rulesVersion, OK: true, Shipments: make([]jsonReport, len(reports))}
	for i, r := range reports {
		out.Shipments[i] = jsonReport{OK: r.OK(), Report: r}
		out.OK = out.OK && r.OK()
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("writing json report: %w", err)
	}
	return nil
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
