package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/pipeline/model"
)

func TestWriteTable(t *testing.T) {
	b := mustLoad(t, "")
	good := newFixture()
	bad := newFixture()
	bad.ship().ID = "SG-VN-BAD"
	bad.ship().Permits = nil
	reports := append(b.Check(good.input()), b.Check(bad.input())...)
	var buf bytes.Buffer
	if err := WriteTable(&buf, reports); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"Shipment SG-VN-1  SG → VN (forward)  PASS",
		"Shipment SG-VN-BAD  SG → VN (forward)  FAIL",
		"RULE", "RESULT", "SOURCE", "DETAIL",
		"used-import", "Circular 31/2015/TT-BTTTT",
		"plan.yaml:4: shipment SG-VN-BAD: permits: none of type relocation-exception",
		"language vi; keep 5 years",
		"2 shipments checked: 1 passed, 1 failed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if AllOK(reports) || !AllOK(reports[:1]) {
		t.Error("AllOK wrong")
	}
}

func TestWriteJSON(t *testing.T) {
	b := mustLoad(t, "")
	bad := newFixture()
	bad.refurb().YearOfMfr = 2010
	var buf bytes.Buffer
	if err := WriteJSON(&buf, b.Version(), b.Check(bad.input())); err != nil {
		t.Fatal(err)
	}
	var got struct {
		RulesVersion string `json:"rules_version"`
		OK           bool   `json:"ok"`
		Shipments    []struct {
			OK         bool                `json:"ok"`
			ShipmentID string              `json:"shipment_id"`
			Results    []model.CheckResult `json:"results"`
			Documents  []model.DocKind     `json:"documents"`
		} `json:"shipments"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	if got.OK || len(got.Shipments) != 1 || got.Shipments[0].OK || got.RulesVersion != b.Version() || got.Shipments[0].ShipmentID != "SG-VN-1" {
		t.Fatalf("json = %+v", got)
	}
	var age *model.CheckResult
	for i, c := range got.Shipments[0].Results {
		if c.Rule == "age-limit" {
			age = &got.Shipments[0].Results[i]
		}
	}
	if age == nil || age.Status != model.Fail || !strings.Contains(age.Detail, "2010 is 16 years") {
		t.Errorf("age-limit in json = %+v", age)
	}
}

// TestJSONWriterIsEncodingJSON: the document written one shipment at a time
// is byte for byte what encoding/json makes of the whole envelope (what
// `clearpack validate --json` printed when it held every report), for no
// shipment, one, and a pass followed by a failure.
func TestJSONWriterIsEncodingJSON(t *testing.T) {
	b := mustLoad(t, "")
	good := newFixture()
	bad := newFixture()
	bad.ship().ID = "SG-VN-<BAD>&" // HTML-escaped by encoding/json: so must it be here
	bad.ship().Permits = nil
	pass, fail := b.Check(good.input()), b.Check(bad.input())
	if !AllOK(pass) || AllOK(fail) {
		t.Fatalf("fixtures: pass ok %v, fail ok %v", AllOK(pass), AllOK(fail))
	}
	for _, tc := range []struct {
		name    string
		reports []Report
	}{
		{"none", nil},
		{"one passing", pass},
		{"pass then fail", append(append([]Report{}, pass...), fail...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := struct {
				RulesVersion string       `json:"rules_version"`
				OK           bool         `json:"ok"`
				Shipments    []jsonReport `json:"shipments"`
			}{RulesVersion: b.Version(), OK: AllOK(tc.reports), Shipments: []jsonReport{}}
			for _, r := range tc.reports {
				want.Shipments = append(want.Shipments, jsonReport{OK: r.OK(), Report: r})
			}
			var wantBuf bytes.Buffer
			enc := json.NewEncoder(&wantBuf)
			enc.SetIndent("", "  ")
			if err := enc.Encode(want); err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			w := NewJSONWriter(&got, b.Version(), AllOK(tc.reports))
			for _, r := range tc.reports {
				if err := w.Write(r); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if got.String() != wantBuf.String() {
				t.Errorf("streamed JSON differs from encoding/json's:\n--- got\n%s\n--- want\n%s", got.String(), wantBuf.String())
			}
		})
	}
}

// TestJSONWriterRefusesContradiction: a writer told that every shipment
// passes will not write a failing one under "ok": true.
func TestJSONWriterRefusesContradiction(t *testing.T) {
	b := mustLoad(t, "")
	bad := newFixture()
	bad.ship().Permits = nil
	var buf bytes.Buffer
	w := NewJSONWriter(&buf, b.Version(), true)
	err := w.Write(b.Check(bad.input())[0])
	if err == nil || !strings.Contains(err.Error(), "shipment SG-VN-1 fails") {
		t.Fatalf("Write of a failing report under ok=true: err = %v", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestWritersReportWriteErrors: the output is buffered, so a full disk shows
// at Close at the latest; it must show.
func TestWritersReportWriteErrors(t *testing.T) {
	b := mustLoad(t, "")
	reports := b.Check(newFixture().input())
	for _, tc := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{"table", func(w io.Writer) error { return WriteTable(w, reports) }},
		{"json", func(w io.Writer) error { return WriteJSON(w, b.Version(), reports) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.write(failingWriter{}); err == nil || !strings.Contains(err.Error(), "disk full") {
				t.Errorf("err = %v, want the write error", err)
			}
		})
	}
}
