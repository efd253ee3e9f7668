package auditweb_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image/png"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/auditweb"
)

// packAPI is the API path of the sample pack.
const packAPI = "/api/programs/" + program + "/shipments/" + shipment + "/packs/v0001/"

// A PDF's page is served as a picture drawn by pdftoppm; each picture is a
// retrieval of the PDF in the audit log (with the PDF's digest); a page the
// PDF lacks, a file that is not a PDF or not in the manifest, and a server
// without pdftoppm are refused and recorded nowhere.
func TestPreview(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftoppm (poppler-utils) is required in CI")
		}
		t.Skip("pdftoppm (poppler-utils) is not installed")
	}
	e := newEnv(t)
	base := packAPI + "preview/"
	pdf, err := archive.ReadAll(t.Context(), e.st, packDir+"/commercial-invoice.pdf")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(pdf)

	before := len(e.logEntries(t))
	for _, page := range []string{"", "?page=2"} {
		resp, b := e.do(t, "GET", base+"commercial-invoice.pdf"+page, aliceTok)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("preview%s: %d %s %.200s", page, resp.StatusCode, resp.Header.Get("Content-Type"), b)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("preview%s is no PNG: %v", page, err)
		}
		if r := img.Bounds(); r.Dx() < 500 || r.Dy() < 500 {
			t.Errorf("preview%s is %v, too small to read", page, r)
		}
	}
	entries := e.logEntries(t)
	if len(entries) != before+2 {
		t.Fatalf("two previews made %d log entries", len(entries)-before)
	}
	last := entries[len(entries)-1]
	if last.Event != auditlog.EventPackRetrieved || last.Object != packDir+"/commercial-invoice.pdf" ||
		last.Digests["commercial-invoice.pdf"] != hex.EncodeToString(sum[:]) || last.Actor != "alice" || !strings.Contains(last.Detail, "page 2") {
		t.Errorf("preview recorded as %+v", last)
	}

	before = len(entries)
	for path, code := range map[string]int{
		"commercial-invoice.pdf?page=99": 404,
		"commercial-invoice.pdf?page=0":  400,
		"commercial-invoice.pdf?page=x":  400,
		"manifest.intoto.json":           400,
		"planted.pdf":                    404,
		"commercial-invoice.pdf.sig":     400,
		"../commercial-invoice.pdf":      404,
	} {
		if resp, b := e.do(t, "GET", base+path, aliceTok); resp.StatusCode != code {
			t.Errorf("%s: %d %s, want %d", path, resp.StatusCode, b, code)
		}
	}
	if resp, _ := e.do(t, "GET", base+"commercial-invoice.pdf", ""); resp.StatusCode != 401 {
		t.Errorf("without a token: %d", resp.StatusCode)
	}

	// Without pdftoppm: 501, which the page answers with the PDF in a frame.
	hashes, err := auditweb.ParseTokens(strings.NewReader(auditweb.HashLine(aliceTok, "alice")+"\n"), "tokens")
	if err != nil {
		t.Fatal(err)
	}
	h, err := auditweb.New(auditweb.Config{Store: e.st, Trusted: e.signer.PublicKey(), TokenHashes: hashes, Log: e.log,
		PDFToPPM: t.TempDir() + "/no-pdftoppm"})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	if resp, b := e.do(t, "GET", base+"commercial-invoice.pdf", aliceTok); resp.StatusCode != 501 || !strings.Contains(string(b), "pdftoppm") {
		t.Errorf("without pdftoppm: %d %s", resp.StatusCode, b)
	}
	if n := len(e.logEntries(t)); n != before {
		t.Errorf("refused previews made %d log entries", n-before)
	}
}

// Previews count against the token's download rate like downloads.
func TestPreviewRateLimited(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftoppm (poppler-utils) is required in CI")
		}
		t.Skip("pdftoppm (poppler-utils) is not installed")
	}
	e := newEnv(t)
	hashes, err := auditweb.ParseTokens(strings.NewReader(auditweb.HashLine(aliceTok, "alice")+"\n"), "tokens")
	if err != nil {
		t.Fatal(err)
	}
	h, err := auditweb.New(auditweb.Config{Store: e.st, Trusted: e.signer.PublicKey(), TokenHashes: hashes, Log: e.log,
		DownloadRate: 0.001, DownloadBurst: 2})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.Close()
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	before := len(e.logEntries(t))
	codes := []int{}
	for _, p := range []string{"files/commercial-invoice.pdf", "preview/commercial-invoice.pdf", "preview/commercial-invoice.pdf"} {
		resp, _ := e.do(t, "GET", packAPI+p, aliceTok)
		codes = append(codes, resp.StatusCode)
	}
	if codes[0] != 200 || codes[1] != 200 || codes[2] != 429 {
		t.Errorf("download, preview, preview with a burst of 2: %v, want 200 200 429", codes)
	}
	if n := len(e.logEntries(t)); n != before+2 {
		t.Errorf("%d entries recorded, want 2", n-before)
	}
}
