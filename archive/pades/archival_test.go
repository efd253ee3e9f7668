package pades

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/internal/testenv"
)

// TestSigningKeepsArchivalForm: the signature is an incremental update of
// a PDF/A-3b, tagged document (testdata/invoice.pdf, as the renderers make
// it) that keeps it so: the XMP claim, the structure tree and mark info,
// the output intent, the associated file, and the file identifier, whose
// first half stays and second half changes (ISO 32000-1, 14.4).
func TestSigningKeepsArchivalForm(t *testing.T) {
	orig, out, _ := signed(t)
	path := filepath.Join(t.TempDir(), "signed.pdf")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	tool := func(name string, args ...string) string {
		b, err := exec.Command(testenv.Tool(t, name), append(args, path)...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, b)
		}
		return string(b)
	}
	if meta := tool("pdfinfo", "-meta"); !strings.Contains(meta, "<pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>") {
		t.Errorf("the signed document no longer claims PDF/A-3b:\n%s", meta)
	}
	if info := tool("pdfinfo"); !strings.Contains(info, "\nTagged:          yes\n") {
		t.Errorf("the signed document is not tagged:\n%s", info)
	}
	if check := tool("qpdf", "--check"); strings.Contains(check, "WARNING") {
		t.Errorf("qpdf --check:\n%s", check)
	}
	cat := tool("qpdf", "--show-object=trailer")
	for _, want := range []string{"/OutputIntents", "/StructTreeRoot", "/MarkInfo", "/AF", "/Metadata", "/AcroForm"} {
		root := regexp.MustCompile(`/Root (\d+) 0 R`).FindStringSubmatch(cat)
		if root == nil {
			t.Fatalf("trailer without /Root: %s", cat)
		}
		if c := tool("qpdf", "--show-object="+root[1]); !strings.Contains(c, want) {
			t.Errorf("the signed catalog lacks %s: %s", want, c)
		}
	}
	idRE := regexp.MustCompile(`/ID \[\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*\]`)
	before := idRE.FindAllSubmatch(orig, -1)
	after := idRE.FindSubmatch([]byte(cat))
	if len(before) == 0 || after == nil {
		t.Fatalf("file identifier: before %q, after %q", before, cat)
	}
	last := before[len(before)-1]
	if !strings.EqualFold(string(after[1]), string(last[1])) || strings.EqualFold(string(after[2]), string(last[2])) {
		t.Errorf("/ID [%s %s] after signing, [%s %s] before: want the first kept and the second changed", after[1], after[2], last[1], last[2])
	}
}
