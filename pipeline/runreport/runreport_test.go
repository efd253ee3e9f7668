package runreport

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/mem"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/pipeline"
	"github.com/clearpack/clearpack/pipeline/ingest"
)

func sample(n int) *Report {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	r := New("20260301T120000Z-0a1b2c3d", "serve", start)
	r.Schedule, r.Batch, r.Instance = "inbox", "drop-0301-1a2b3c4d5e6f", "node-1"
	sum := &pipeline.Summary{Program: "APAC Refresh 2026", Archive: "s3://archive/cp",
		Inputs: []ingest.Input{{Path: "/tmp/x/inventory.csv", SHA256: strings.Repeat("ab", 32), Bytes: 1234}, {Path: "/tmp/x/plan.yaml", SHA256: strings.Repeat("cd", 32), Bytes: 567}}}
	for i := range n {
		s := pipeline.ShipmentResult{ID: fmt.Sprintf("SHP-%04d", i), Destination: "VN", Status: pipeline.Archived,
			Path:      fmt.Sprintf("programs/apac/shipments/SHP-%04d/v0001/", i),
			Documents: []pipeline.DocRef{{Name: "commercial-invoice.pdf", Bytes: 1000}, {Name: "packing-list.pdf", Bytes: 500}}}
		switch i {
		case n - 1:
			s.Status, s.Documents, s.Reasons = pipeline.Failed, nil, []string{"archiving commercial-invoice.pdf: connection reset"}
		case n - 2:
			s.Status, s.Documents, s.Reasons = pipeline.Rejected, nil, []string{"used-import: needs an LI permit", "second reason"}
		}
		sum.Shipments = append(sum.Shipments, s)
	}
	r.AddSummary(sum)
	r.Finish(start.Add(90*time.Second), nil)
	return r
}

func TestReportCounts(t *testing.T) {
	r := sample(10)
	js, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(js, &got); err != nil {
		t.Fatal(err)
	}
	if r.Counts != (Counts{Archived: 8, Rejected: 1, Failed: 1}) || r.Documents != 16 || r.BytesArchived != 12000 {
		t.Errorf("counts %+v, documents %d, bytes %d", r.Counts, r.Documents, r.BytesArchived)
	}
	if r.Outcome != "failed" || r.Seconds != 90 || got["format"] != Format {
		t.Errorf("outcome %q, seconds %v, format %v", r.Outcome, r.Seconds, got["format"])
	}
	if r.Inputs[0].Name != "inventory.csv" {
		t.Errorf("input names carry the work folder: %+v", r.Inputs)
	}
}

func pdftotext(t *testing.T, pdf []byte) (text string, pages string) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s (poppler-utils) is needed", tool)
			}
			t.Skipf("%s (poppler-utils) not installed", tool)
		}
	}
	p := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", p, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command("pdfinfo", p).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(info), "\n") {
		if strings.HasPrefix(l, "Pages:") {
			pages = strings.TrimSpace(strings.TrimPrefix(l, "Pages:"))
		}
	}
	return string(out), pages
}

func TestPDFIsOnePage(t *testing.T) {
	for _, n := range []int{3, 500} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			r := sample(n)
			pdf, err := r.PDF()
			if err != nil {
				t.Fatal(err)
			}
			text, pages := pdftotext(t, pdf)
			if pages != "1" {
				t.Errorf("%d shipments: %s pages, want 1", n, pages)
			}
			// Failures are listed first, so a long run never hides them.
			for _, want := range []string{"clearpack run report", "20260301T120000Z-0a1b2c3d", "FAILED", "drop-0301-1a2b3c4d5e6f",
				"inventory.csv", strings.Repeat("ab", 32), fmt.Sprintf("SHP-%04d", n-1), "connection reset",
				fmt.Sprintf("SHP-%04d", n-2), "needs an LI permit", "1m30s"} {
				if !strings.Contains(text, want) {
					t.Errorf("%d shipments: the PDF lacks %q:\n%s", n, want, text)
				}
			}
			if n == 500 && !strings.Contains(text, "more shipments: see report.json") {
				t.Errorf("a long run does not point to report.json:\n%s", text)
			}
		})
	}
}

func TestStoreSignsBoth(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	key := filepath.Join(dir, "k.pem")
	if err := signing.Keygen(key, nil); err != nil {
		t.Fatal(err)
	}
	s, err := signing.Load(ctx, signing.Options{KeyPath: key})
	if err != nil {
		t.Fatal(err)
	}
	st := mem.New()
	r := sample(5)
	until := time.Date(2056, 3, 1, 0, 0, 0, 0, time.UTC)
	got, err := Store(ctx, st, s, r, until)
	if err != nil {
		t.Fatal(err)
	}
	if got != "runs/2026-03-01/20260301T120000Z-0a1b2c3d/report.json" {
		t.Errorf("report key %s", got)
	}
	pub := s.PublicKey().(*ecdsa.PublicKey)
	for _, name := range []string{"report.json", "report.pdf"} {
		body, err := archive.ReadAll(ctx, st, r.Dir()+name)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := archive.ReadAll(ctx, st, r.Dir()+name+".sig")
		if err != nil {
			t.Fatal(err)
		}
		der, err := base64.StdEncoding.DecodeString(string(sig))
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(body)
		if !ecdsa.VerifyASN1(pub, h[:], der) {
			t.Errorf("%s: signature does not verify", name)
		}
		for _, k := range []string{name, name + ".sig"} {
			if in, err := st.Stat(ctx, r.Dir()+k); err != nil || in.Mode != archive.Compliance || !in.RetainUntil.Equal(until) {
				t.Errorf("%s: retention %q until %v (err %v), want %s until %v", k, in.Mode, in.RetainUntil, err, archive.Compliance, until)
			}
		}
		if name == "report.pdf" && !bytes.HasPrefix(body, []byte("%PDF-")) {
			t.Errorf("report.pdf is not a PDF")
		}
	}
	// Storing the same report again (a retry) is not an error.
	if _, err := Store(ctx, st, s, r, until); err != nil && !errors.Is(err, archive.ErrExists) {
		t.Errorf("second store: %v", err)
	}
}

func TestProgress(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	t.Run("terminal: a bar redrawn in place, logs above it", func(t *testing.T) {
		var b syncBuffer
		p := NewProgress(&b, true, 0, clock)
		p.Start(4)
		now = now.Add(2 * time.Second)
		p.Shipment(pipeline.ShipmentResult{Status: pipeline.Archived})
		fmt.Fprintf(p, "level=WARN msg=\"a warning while the bar runs\"\n")
		p.Shipment(pipeline.ShipmentResult{Status: pipeline.Failed})
		p.Finish()
		// mpb redraws with cursor movements; what stays on the screen is
		// the text between them.
		screen := regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`).ReplaceAllString(b.String(), "\n")
		var bar, warn bool
		for _, l := range strings.Split(screen, "\n") {
			if len(l) > 80 {
				t.Errorf("a line wider than the 80 columns mpb assumes off a terminal: %q", l)
			}
			if strings.Contains(l, "2/4 shipments [") && strings.HasSuffix(strings.TrimSpace(l), "] 50%, 1 not archived, 1.0/s, 2s left") {
				bar = true
			}
			if strings.Contains(l, "a warning") {
				warn = warn || l == `level=WARN msg="a warning while the bar runs"`
			}
		}
		if !bar || !warn {
			t.Errorf("want the final bar and the warning on a line of its own: bar %v, warning %v\n%q", bar, warn, b.String())
		}
	})
	t.Run("not a terminal: periodic lines", func(t *testing.T) {
		var b bytes.Buffer
		p := NewProgress(&b, false, 10*time.Second, clock)
		p.Start(3)
		p.Shipment(pipeline.ShipmentResult{Status: pipeline.Archived}) // within 10 s: no line
		now = now.Add(11 * time.Second)
		p.Shipment(pipeline.ShipmentResult{Status: pipeline.Archived})
		p.Shipment(pipeline.ShipmentResult{Status: pipeline.Archived})
		p.Finish()
		out := b.String()
		if strings.Contains(out, "\r") || strings.Count(out, "\n") != 2 || !strings.Contains(out, "progress: 2/3 shipments (66%)") ||
			!strings.Contains(out, "progress: 3/3 shipments (100%)") {
			t.Errorf("lines: %q", out)
		}
	})
	t.Run("structured logs: progress records", func(t *testing.T) {
		var b bytes.Buffer
		p := NewProgressLog(slog.New(slog.NewJSONHandler(&b, nil)), 10*time.Second, clock)
		p.Start(4)
		now = now.Add(20 * time.Second)
		p.Shipment(pipeline.ShipmentResult{Status: pipeline.Archived})
		p.Finish()
		out := b.String()
		if !strings.Contains(out, `"msg":"progress","done":1,"total":4,"not_archived":0,"per_second":0,"left":"1m0s"`) {
			t.Errorf("records: %s", out)
		}
	})
}

// syncBuffer is a bytes.Buffer mpb's goroutine and the test may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
