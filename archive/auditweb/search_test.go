package auditweb_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/auditweb"
	"github.com/clearpack/clearpack/archive/search"
)

const brPack = "programs/" + program + "/shipments/APL26-BR-01/v0001"

// newSearchEnv is newEnv served with a search index under a state directory.
func newSearchEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	ix, err := search.Open(context.Background(), t.TempDir(), e.st, e.signer.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	hashes, err := auditweb.ParseTokens(strings.NewReader(auditweb.HashLine(aliceTok, "alice")+"\n"), "tokens")
	if err != nil {
		t.Fatal(err)
	}
	h, err := auditweb.New(auditweb.Config{Store: e.st, Trusted: e.signer.PublicKey(), TokenHashes: hashes, Log: e.log, Search: ix})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.Close()
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	return e
}

type searchResult struct {
	Hits []struct {
		Key, Program, Shipment, Status, Destination string
		Version                                     int
		Mentions                                    []struct{ Document, Fields, Term string }
	}
}

// A serial, an invoice number and an entry number each lead to their pack
// through the API; an unknown one finds nothing; bad queries get a 400 that
// says what to change; no search writes to the archive or its log.
func TestSearchAPI(t *testing.T) {
	e := newSearchEnv(t)
	before := e.objectCount(t)
	for _, q := range []string{"V6J4XSP", "MCI-INV-26-0103", "26BR0000452137-6"} {
		var res searchResult
		e.getJSON(t, "/api/search?q="+url.QueryEscape(q), &res)
		if len(res.Hits) != 1 || res.Hits[0].Key != brPack || res.Hits[0].Version != 1 || len(res.Hits[0].Mentions) == 0 {
			t.Errorf("%s: %+v, want only %s with the documents that name it", q, res.Hits, brPack)
		}
	}
	var res searchResult
	e.getJSON(t, "/api/search?q=7XK4Q53", &res)
	if len(res.Hits) != 0 {
		t.Errorf("unknown serial found %+v", res.Hits)
	}
	for _, c := range []struct{ query, want string }{
		{"q=" + url.QueryEscape(`MCI* OR 1=1`), "is not searchable"},
		{"q=" + strings.Repeat("x", 500), "at most 200"},
		{"q=x&shipper=acme", `unknown parameter "shipper"`},
		{"status=lost", "want one of"},
	} {
		resp, b := e.do(t, "GET", "/api/search?"+c.query, aliceTok)
		var msg struct{ Error string }
		json.Unmarshal(b, &msg)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(msg.Error, c.want) {
			t.Errorf("%s: %d %s, want 400 saying %q", c.query, resp.StatusCode, b, c.want)
		}
	}
	if resp, _ := e.do(t, "GET", "/api/search?q=V6J4XSP", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("search without a token: %d", resp.StatusCode)
	}

	var hist struct {
		Packs []struct {
			Key, Verification string
			Verified          bool
		}
	}
	e.getJSON(t, "/api/units/V6J4XSP", &hist)
	if len(hist.Packs) != 1 || hist.Packs[0].Key != brPack || !hist.Packs[0].Verified {
		t.Errorf("unit history: %+v", hist.Packs)
	}
	if resp, _ := e.do(t, "GET", "/api/units/"+url.PathEscape("a'b"), aliceTok); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unit with a quote: %d, want 400", resp.StatusCode)
	}

	var capa struct {
		Destinations []struct {
			Country                          string
			Executed, Cleared, Held, Stopped int
			Months                           []struct{ Month string }
		}
	}
	e.getJSON(t, "/api/capability", &capa)
	got := map[string]string{}
	for _, d := range capa.Destinations {
		got[d.Country] = strings.Join([]string{strconv.Itoa(d.Executed), strconv.Itoa(d.Cleared), strconv.Itoa(d.Held), strconv.Itoa(d.Stopped)}, "/")
	}
	// BR: BR-01 and BR-02 packed, BR-03 stopped at the desk.
	if !strings.HasPrefix(got["BR"], "2/") || !strings.HasSuffix(got["BR"], "/1") {
		t.Errorf("capability BR executed/cleared/held/stopped = %s, want 2 executed and 1 stopped", got["BR"])
	}
	if n := e.objectCount(t); n != before {
		t.Errorf("searching changed the archive: %d objects, had %d", n, before)
	}
}

// An evidence package holds every file of the packs a query finds, a proof
// of each that checks against the signed checkpoint, the checkpoint keys and
// AUDITOR.md, and is recorded in the audit log with the zip's digest before
// it is sent.
func TestEvidencePackage(t *testing.T) {
	e := newSearchEnv(t)
	// A file slipped into the pack directory behind clearpack's back is no
	// part of the pack: the package leaves it out.
	if err := os.WriteFile(filepath.Join(e.root, brPack, "injected.pdf"), []byte("%PDF-1.4 not ours"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := len(e.logEntries(t))
	resp, b := e.do(t, "GET", "/api/evidence?q=V6J4XSP", aliceTok)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("evidence: %d %s", resp.StatusCode, b)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	want, _ := archive.ReadAll(context.Background(), e.st, brPack+"/commercial-invoice.pdf")
	if !bytes.Equal(files[brPack+"/commercial-invoice.pdf"], want) {
		t.Errorf("the package's invoice is not the archived one (%d files: %v)", len(files), keysOf(files))
	}
	if _, ok := files[brPack+"/injected.pdf"]; ok {
		t.Error("a file the manifest does not name is in the package")
	}
	for _, name := range []string{brPack + "/manifest.intoto.json", brPack + "/SHA256SUMS", brPack + "/SHA256SUMS.sig", brPack + "/packing-list.pdf.sig", "checkpoint", "AUDITOR.md", "EVIDENCE.txt"} {
		if len(files[name]) == 0 {
			t.Errorf("%s missing from the package", name)
		}
	}
	var p proofResponse
	if err := json.Unmarshal(files["proofs/"+brPack+".json"], &p); err != nil {
		t.Fatalf("proof in the package: %v", err)
	}
	if _, entry, _ := checkProof(t, e.st, p, e.signer.PublicKey()); !bytes.Contains(entry, []byte(`"object":"`+brPack+`"`)) {
		t.Errorf("the proof is not of %s's entry: %s", brPack, entry)
	}
	if !strings.Contains(string(files["EVIDENCE.txt"]), brPack) {
		t.Errorf("EVIDENCE.txt does not list the pack:\n%s", files["EVIDENCE.txt"])
	}
	entries := e.logEntries(t)
	if len(entries) != before+1 {
		t.Fatalf("%d audit entries for one evidence package", len(entries)-before)
	}
	sum := sha256.Sum256(b)
	last := entries[len(entries)-1]
	if last.Event != auditlog.EventEvidenceRetrieved || last.Actor != "alice" || last.Digests["evidence.zip"] != hex.EncodeToString(sum[:]) || last.Digests[brPack+"/manifest.intoto.json"] == "" {
		t.Errorf("audit entry %+v", last)
	}
	if resp, _ := e.do(t, "GET", "/api/evidence?q=7XK4Q53", aliceTok); resp.StatusCode != http.StatusNotFound {
		t.Errorf("evidence for nothing: %d, want 404", resp.StatusCode)
	}
	if resp, _ := e.do(t, "GET", "/api/evidence?q="+url.QueryEscape("a*"), aliceTok); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("evidence for a bad query: %d, want 400", resp.StatusCode)
	}
	if n := len(e.logEntries(t)); n != before+1 {
		t.Errorf("refused evidence requests were recorded: %d entries", n-before-1)
	}
}

func keysOf(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
