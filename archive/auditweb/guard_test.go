package auditweb_test

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/auditweb"
)

// Someone with write access to a local archive plants a symlink to the
// signing key, a FIFO and a plain file in a pack directory, and a whole
// incomplete version. None is listed, none is served: an auditor token
// never yields anything but the files of a pack whose manifest verifies.
// Every download names the token's hash; downloads are rate-limited per
// token, and one refused is not recorded.
func TestOnlyVerifiedPackFilesAreServed(t *testing.T) {
	e := newEnv(t)
	secret := filepath.Join(t.TempDir(), "signing-key.pem")
	os.WriteFile(secret, []byte("-----BEGIN PRIVATE KEY----- secret"), 0o600)
	dir := filepath.Join(e.root, filepath.FromSlash(packDir))
	if err := os.Symlink(secret, filepath.Join(dir, "leak.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(dir, "commercial-invoice.pdf.bak")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.pdf"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "extra.pdf"), []byte("%PDF planted"), 0o444)
	v2 := filepath.Join(filepath.Dir(dir), "v0002")
	os.MkdirAll(v2, 0o755)
	os.WriteFile(filepath.Join(v2, "commercial-invoice.pdf"), []byte("%PDF half"), 0o444)

	var packs struct {
		Packs []struct {
			Version  string
			Complete bool
			Files    []struct{ Name, URL string }
		}
	}
	e.getJSON(t, "/api/programs/"+program+"/shipments/"+shipment+"/packs", &packs)
	for _, p := range packs.Packs {
		for _, f := range p.Files {
			if p.Version != "v0001" || strings.Contains(f.Name, "leak") || strings.Contains(f.Name, "bak") || f.Name == "pipe.pdf" || f.Name == "extra.pdf" {
				t.Errorf("listed: %s/%s", p.Version, f.Name)
			}
		}
		if p.Version == "v0002" && p.Complete {
			t.Error("the incomplete v0002 is listed as complete")
		}
	}
	before := len(e.logEntries(t))
	base := "/api/programs/" + program + "/shipments/" + shipment + "/packs/"
	for _, path := range []string{base + "v0001/files/leak.txt", base + "v0001/files/commercial-invoice.pdf.bak",
		base + "v0001/files/pipe.pdf", base + "v0001/files/extra.pdf", base + "v0002/files/commercial-invoice.pdf"} {
		for _, method := range []string{"GET", "HEAD"} {
			resp, b := e.do(t, method, path, aliceTok)
			if resp.StatusCode != 404 || bytes.Contains(b, []byte("PRIVATE")) {
				t.Errorf("%s %s: %d %s, want 404", method, path, resp.StatusCode, b)
			}
		}
	}
	if n := len(e.logEntries(t)) - before; n != 0 {
		t.Errorf("%d retrievals recorded for refused requests", n)
	}

	// A download names the token by its hash, as the tokens file does.
	resp, _ := e.do(t, "GET", base+"v0001/files/commercial-invoice.pdf", aliceTok)
	if resp.StatusCode != 200 {
		t.Fatalf("GET the invoice: %d", resp.StatusCode)
	}
	entries := e.logEntries(t)
	last := entries[len(entries)-1]
	wantHash := strings.Fields(auditweb.HashLine(aliceTok, "alice"))[0]
	if last.Event != auditlog.EventPackRetrieved || last.Actor != "alice" || last.TokenSHA256 != wantHash || last.Sig == "" {
		t.Errorf("retrieval entry %+v, want actor alice, token %s, signed", last, wantHash)
	}

	// Per token: two downloads in a burst, the third refused and not recorded.
	hashes, _ := auditweb.ParseTokens(strings.NewReader(auditweb.HashLine(aliceTok, "alice")+"\n"+auditweb.HashLine("bob-token-0123456789", "bob")+"\n"), "tokens")
	h, err := auditweb.New(auditweb.Config{Store: e.st, Trusted: e.signer.PublicKey(), TokenHashes: hashes, Log: e.log, DownloadRate: 0.001, DownloadBurst: 2})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	e.srv = srv
	for i, want := range []int{200, 200, 429} {
		resp, _ := e.do(t, "GET", base+"v0001/files/packing-list.pdf", aliceTok)
		if resp.StatusCode != want {
			t.Errorf("alice's download %d: %d, want %d", i+1, resp.StatusCode, want)
		}
		if want == 429 && resp.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	}
	if resp, _ := e.do(t, "GET", base+"v0001/files/packing-list.pdf", "bob-token-0123456789"); resp.StatusCode != 200 {
		t.Errorf("bob's first download after alice's limit: %d, want 200 (limits are per token)", resp.StatusCode)
	}
	if n := len(e.logEntries(t)) - len(entries); n != 3 {
		t.Errorf("%d retrievals recorded, want 3 (the refused one is not)", n)
	}
}
