package pipeline_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/internal/testenv"
	"github.com/clearpack/clearpack/pipeline"
)

// inputFileRef is an input file reference as the rules write them in a
// fault ("testdata/sample/plan.yaml:477", "countries/BR.yaml").
var inputFileRef = regexp.MustCompile(`[A-Za-z0-9_./-]+\.(?:ya?ml|csv)\b`)

// documentsNameNoFiles (issue 14, item 9): no archived document prints the
// path of an input or profile file, and no post-clearance record lists the
// compliance summary among the pre-shipment documents the clearance was made
// against (the summary reports the clearance).
func documentsNameNoFiles(t *testing.T, snap map[string]string) {
	t.Helper()
	pdftotext := testenv.Tool(t, "pdftotext")
	dir := t.TempDir()
	n := 0
	for key, body := range snap {
		if !strings.HasSuffix(key, ".pdf") || strings.Contains(key, "/runs/") {
			continue
		}
		path := filepath.Join(dir, "doc.pdf")
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(pdftotext, "-layout", "-enc", "UTF-8", path, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", key, err)
		}
		n++
		if m := inputFileRef.FindString(string(out)); m != "" {
			t.Errorf("%s prints the file reference %q", key, m)
		}
		if strings.HasSuffix(key, "/post-clearance.pdf") && strings.Contains(string(out), "compliance-summary.pdf") {
			t.Errorf("%s lists the compliance summary as a pre-shipment document", key)
		}
	}
	if n == 0 {
		t.Fatal("no documents read")
	}
}

// layoutText is the pdftotext -layout text of an archived PDF.
func layoutText(t *testing.T, snap map[string]string, key string) string {
	t.Helper()
	body, ok := snap[key]
	if !ok {
		t.Fatalf("%s not archived", key)
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(testenv.Tool(t, "pdftotext"), "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", key, err)
	}
	return string(out)
}

// lineWith is the first line of text holding label, and what follows the
// label on it ("" when no line holds it).
func lineWith(text, label string) string {
	for l := range strings.Lines(text) {
		if _, after, ok := strings.Cut(l, label); ok {
			return strings.TrimSpace(after)
		}
	}
	return ""
}

// sampleInlandFreight (issue 14, item 5): a DAP delivery by air or sea to an
// inland place prints, beside its label, the freight to the airport or port
// of import and the on-carriage after it, and its post-clearance record
// prints the customs value that takes only the former (CIF at the place of
// import). Before the split the invoices printed no such line and the
// values took the whole freight: VN-01 3.599.605.704 VND, ID-01
// 2.821.286.967 IDR.
func sampleInlandFreight(t *testing.T, snap map[string]string, byID map[string]pipeline.ShipmentResult) {
	t.Helper()
	for _, tc := range []struct {
		id, label, invoice, value string
	}{
		// Air SIN-SGN to Phường Tân Mỹ: freight 1,129.80 USD, of which 95.00
		// from Tân Sơn Nhất to the door; value (goods 139,900.00 + packing
		// 144.00 + freight to SGN 1,034.80 + insurance 542.96) × 25,400.
		{"APL26-VN-01", "Freight to the airport of import /", "1.034,80 USD (inland freight after it", "3.597.192.704 VND (CIF)"},
		// Sea SGSIN-IDTPP to Jakarta Selatan: freight 730.00 USD, of which
		// 165.00 from Tanjung Priok to the door; value at 16,300 IDR per USD.
		{"APL26-ID-01", "Freight to the port of import /", "565,00 USD (inland freight after it", "2.818.597.467 IDR (CIF)"},
	} {
		r, ok := byID[tc.id]
		if !ok {
			t.Fatalf("%s not in the run", tc.id)
		}
		inv := layoutText(t, snap, r.Path+"commercial-invoice.pdf")
		if got := lineWith(inv, tc.label); !strings.Contains(got, tc.invoice) {
			t.Errorf("%s invoice: beside %q: %q, want %q", tc.id, tc.label, got, tc.invoice)
		}
		pc := layoutText(t, snap, r.Path+"post-clearance.pdf")
		if got := lineWith(pc, "Customs value /"); !strings.HasSuffix(got, tc.value) {
			t.Errorf("%s post-clearance: beside \"Customs value\": %q, want %q", tc.id, got, tc.value)
		}
	}
}
