package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/jedib0t/go-pretty/v6/text"
)

// widest is the display width of out's widest line.
func widest(out string) (int, string) {
	n, line := 0, ""
	for _, l := range strings.Split(out, "\n") {
		if w := text.StringWidthWithoutEscSequences(l); w > n {
			n, line = w, l
		}
	}
	return n, line
}

// Tables fit the width: 80 columns off a terminal, $COLUMNS when set; -o
// wide prints every column in full (issue 20: validate's rows reached 430
// columns).
func TestTablesFitTheWidth(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	if code, _, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK {
		t.Fatal(errOut)
	}
	inputs := []string{"--inventory", sampleInv, "--plan", samplePlan, "--clearances", sampleClear}

	t.Setenv("COLUMNS", "")
	_, fitted, errOut := clearpack(t, append([]string{"validate"}, inputs...)...)
	if n, l := widest(fitted); n > 80 {
		t.Errorf("validate off a terminal: a line of %d columns, want at most 80: %q", n, l)
	}
	code, wide, _ := clearpack(t, append([]string{"validate", "-o", "wide"}, inputs...)...)
	if code != ExitPartial {
		t.Fatalf("validate -o wide: exit %d\n%s", code, errOut)
	}
	if n, _ := widest(wide); n <= 80 || !strings.Contains(wide, "SOURCE") {
		t.Errorf("validate -o wide: widest line %d columns, SOURCE column %v: not every column in full", n, strings.Contains(wide, "SOURCE"))
	}
	// Fitted, no check's detail is lost: every word of it is there.
	fittedWords := map[string]bool{}
	for _, w := range strings.Fields(fitted) {
		fittedWords[w] = true
	}
	for _, l := range strings.Split(wide, "\n") {
		f := strings.Split(l, "  ")
		if len(f) < 3 || (!strings.Contains(l, "  PASS  ") && !strings.Contains(l, "  FAIL  ") && !strings.Contains(l, "  WARN  ")) {
			continue
		}
		detail := strings.TrimSpace(f[len(f)-1])
		for _, w := range strings.Fields(detail) {
			if !fittedWords[w] && !strings.Contains(fitted, w) {
				t.Errorf("fitted validate lost %q of the detail %q", w, detail)
				break
			}
		}
	}

	t.Setenv("COLUMNS", "120")
	_, out, _ := clearpack(t, append([]string{"validate"}, inputs...)...)
	if n, l := widest(out); n > 120 || n <= 80 {
		t.Errorf("validate with COLUMNS=120: widest line %d columns, want 81..120: %q", n, l)
	}

	t.Setenv("COLUMNS", "")
	arch := filepath.Join(dir, "archive")
	_, out, _ = clearpack(t, append([]string{"run", "--key", key, "--archive", arch}, inputs...)...)
	if n, l := widest(out); n > 80 || !strings.Contains(out, "SHIPMENT") {
		t.Errorf("run's summary off a terminal: a line of %d columns, want at most 80: %q\n%s", n, l, out)
	}
	_, out, _ = clearpack(t, append([]string{"run", "--key", key, "--archive", arch, "-o", "wide"}, inputs...)...)
	if !strings.Contains(out, "programs/apac-latam-server-refresh-2026/shipments/APL26-VN-01/v0001/") {
		t.Errorf("run -o wide: the archive path is not whole:\n%s", out)
	}

	if code, _, errOut := clearpack(t, append([]string{"validate", "-o", "yaml"}, inputs...)...); code != ExitUsage || !strings.Contains(errOut, "want wide or json") {
		t.Errorf("-o yaml: exit %d %q", code, errOut)
	}
	if _, out, _ := clearpack(t, append([]string{"validate", "-o", "json"}, inputs...)...); !strings.Contains(out, `"schema_version": "clearpack.validate/1"`) {
		t.Errorf("-o json is not --json:\n%.300s", out)
	}
}
