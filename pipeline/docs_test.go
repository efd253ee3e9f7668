package pipeline_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/internal/testenv"
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
