package auditweb_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/auditweb"
	"github.com/clearpack/clearpack/archive/local"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/pipelinetest"
)

const (
	program  = "apac-latam-server-refresh-2026"
	shipment = "APL26-ID-02"
	packDir  = "programs/" + program + "/shipments/" + shipment + "/v0001"
	aliceTok = "alice-secret-token-0123456789"
)

type env struct {
	root   string
	st     archive.Store
	signer *signing.Signer
	log    *auditlog.Log
	srv    *httptest.Server
}

// newEnv runs the sample program through the real pipeline into a local
// archive and serves it. Each test gets its own, so tests may tamper.
func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	root := t.TempDir()
	st, err := local.New(root)
	if err != nil {
		t.Fatal(err)
	}
	w := pipelinetest.New(t, st)
	r := w.Runner(t, auditlog.Options{Name: "web-test"})
	if _, err := r.Run(ctx, pipelinetest.Sample(), ingest.DefaultLimits()); err != nil {
		t.Fatal(err)
	}
	s, l := w.Signer, r.Log
	if _, err := l.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	e := &env{root: root, st: st, signer: s, log: l}
	e.srv = httptest.NewServer(e.handler(t, st, l))
	t.Cleanup(e.srv.Close)
	return e
}

func (e *env) handler(t *testing.T, st archive.Store, l *auditlog.Log) http.Handler {
	t.Helper()
	hashes, err := auditweb.ParseTokens(strings.NewReader(auditweb.HashLine(aliceTok, "alice")+"\n"), "tokens")
	if err != nil {
		t.Fatal(err)
	}
	h, err := auditweb.New(auditweb.Config{Store: st, Trusted: e.signer.PublicKey(), TokenHashes: hashes, Log: l})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func (e *env) do(t *testing.T, method, path, token string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func (e *env) getJSON(t *testing.T, path string, v any) {
	t.Helper()
	resp, b := e.do(t, "GET", path, aliceTok)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %v\n%s", path, err, b)
	}
}

func (e *env) logEntries(t *testing.T) []auditlog.Entry {
	t.Helper()
	var out []auditlog.Entry
	err := e.st.List(context.Background(), auditlog.EntriesPrefix, func(in archive.Info) error {
		b, err := archive.ReadAll(context.Background(), e.st, in.Key)
		if err != nil {
			return err
		}
		var en auditlog.Entry
		if err := json.Unmarshal(b, &en); err != nil {
			return err
		}
		out = append(out, en)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (e *env) objectCount(t *testing.T) int {
	t.Helper()
	n := 0
	if err := e.st.List(context.Background(), "", func(archive.Info) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTokenAndReadOnly(t *testing.T) {
	e := newEnv(t)
	routes := []string{
		"/api/programs",
		"/api/programs/" + program + "/shipments",
		"/api/" + strings.Replace(packDir, "/v0001", "/packs", 1) + "",
		"/api/" + strings.Replace(packDir, "/v0001", "/packs/v0001", 1) + "/files/commercial-invoice.pdf",
		"/api/" + strings.Replace(packDir, "/v0001", "/packs/v0001", 1) + "/verify",
		"/api/" + strings.Replace(packDir, "/v0001", "/packs/v0001", 1) + "/proof",
	}
	before := len(e.logEntries(t))
	for _, r := range routes {
		for _, tok := range []string{"", "wrong-token", aliceTok + "x", strings.ToUpper(aliceTok)} {
			resp, b := e.do(t, "GET", r, tok)
			if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("GET %s with token %q: %d %s, want 401", r, tok, resp.StatusCode, b)
			}
		}
		resp, b := e.do(t, "GET", r, aliceTok)
		if resp.StatusCode != 200 {
			t.Errorf("GET %s with the token: %d %s", r, resp.StatusCode, b)
		}
	}
	objects := e.objectCount(t)
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS"} {
		for _, r := range append(routes, "/", "/api/nothing") {
			resp, b := e.do(t, m, r, aliceTok)
			if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
				t.Errorf("%s %s: %d %s, want 405", m, r, resp.StatusCode, b)
			}
		}
	}
	if n := e.objectCount(t); n != objects {
		t.Errorf("write attempts changed the archive: %d objects, had %d", n, objects)
	}
	// Only the one authorised download was recorded.
	if got := len(e.logEntries(t)) - before; got != 1 {
		t.Errorf("%d log entries appended, want 1 (the one download with a valid token)", got)
	}
	resp, page := e.do(t, "GET", "/", "")
	if resp.StatusCode != 200 || !bytes.Contains(page, []byte("Access token")) || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Errorf("page without a token: %d %s", resp.StatusCode, page)
	}
}

func TestBrowseAndDownload(t *testing.T) {
	e := newEnv(t)
	var progs struct{ Programs []struct{ Name string } }
	e.getJSON(t, "/api/programs", &progs)
	if len(progs.Programs) != 1 || progs.Programs[0].Name != program {
		t.Fatalf("programs %+v", progs)
	}
	var ships struct {
		Shipments []struct {
			ID, Latest      string
			Packs, Rejected int
		}
	}
	e.getJSON(t, "/api/programs/"+program+"/shipments", &ships)
	found := map[string]string{}
	for _, s := range ships.Shipments {
		found[s.ID] = s.Latest
		if s.ID == "APL26-BR-03" && (s.Packs != 0 || s.Rejected != 1) {
			t.Errorf("APL26-BR-03 (stopped on purpose): %+v", s)
		}
	}
	if len(ships.Shipments) != 20 || found[shipment] != "v0001" {
		t.Errorf("%d shipments, %s latest %q", len(ships.Shipments), shipment, found[shipment])
	}
	var packs struct {
		Packs []struct {
			Version  string
			Complete bool
			Files    []struct {
				Name string
				Size int64
				URL  string
			}
		}
	}
	e.getJSON(t, "/api/programs/"+program+"/shipments/"+shipment+"/packs", &packs)
	if len(packs.Packs) != 1 || !packs.Packs[0].Complete || len(packs.Packs[0].Files) < 5 {
		t.Fatalf("packs %+v", packs)
	}
	before := len(e.logEntries(t))
	for _, f := range packs.Packs[0].Files {
		want, err := archive.ReadAll(context.Background(), e.st, packDir+"/"+f.Name)
		if err != nil {
			t.Fatal(err)
		}
		resp, _ := e.do(t, "HEAD", f.URL, aliceTok)
		if resp.StatusCode != 200 || resp.ContentLength != int64(len(want)) {
			t.Errorf("HEAD %s: %d length %d", f.URL, resp.StatusCode, resp.ContentLength)
		}
		resp, b := e.do(t, "GET", f.URL, aliceTok)
		if resp.StatusCode != 200 || !bytes.Equal(b, want) {
			t.Errorf("GET %s: %d, %d bytes, want the archived %d", f.URL, resp.StatusCode, len(b), len(want))
		}
		if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, shipment+"-v0001-"+f.Name) {
			t.Errorf("Content-Disposition %q", cd)
		}
	}
	entries := e.logEntries(t)
	if got := len(entries) - before; got != len(packs.Packs[0].Files) {
		t.Fatalf("%d retrievals recorded for %d downloads (HEAD must not count)", got, len(packs.Packs[0].Files))
	}
	last := entries[len(entries)-1]
	name := packs.Packs[0].Files[len(packs.Packs[0].Files)-1].Name
	data, _ := archive.ReadAll(context.Background(), e.st, packDir+"/"+name)
	sum := sha256.Sum256(data)
	if last.Event != auditlog.EventPackRetrieved || last.Actor != "alice" || last.Object != packDir+"/"+name ||
		last.Digests[name] != hex.EncodeToString(sum[:]) || last.Shipment != shipment {
		t.Errorf("last log entry %+v", last)
	}
	// Errors a user sees for wrong addresses.
	for path, code := range map[string]int{
		"/api/programs/" + program + "/shipments/" + shipment + "/packs/v0001/files/nope.pdf": 404,
		"/api/programs/" + program + "/shipments/" + shipment + "/packs/v1/files/x.pdf":       400,
		// v0000 names no version; it used to verify every version under that name.
		"/api/programs/" + program + "/shipments/" + shipment + "/packs/v0000/verify":      400,
		"/api/programs/" + program + "/shipments/a%2F..%2Fb/packs":                         400,
		"/api/programs/" + program + "/shipments/" + shipment + "/packs/v0001/files/a%20b": 400,
		"/api/programs/no-such-program/shipments":                                          404,
		"/api/programs/" + program + "/shipments/NOPE/packs":                               404,
		"/api/whatever": 404,
	} {
		resp, b := e.do(t, "GET", path, aliceTok)
		if resp.StatusCode != code || !bytes.Contains(b, []byte(`"error"`)) {
			t.Errorf("GET %s: %d %s, want %d", path, resp.StatusCode, b, code)
		}
	}
}

func TestVerifyStatusAndProof(t *testing.T) {
	e := newEnv(t)
	base := "/api/programs/" + program + "/shipments/" + shipment + "/packs/v0001"
	var v struct {
		OK           bool
		Checks       []struct{ Kind string }
		FirstFailure *struct{ Kind, Object string }
	}
	e.getJSON(t, base+"/verify", &v)
	if !v.OK || len(v.Checks) < 10 || v.FirstFailure != nil {
		t.Fatalf("clean pack: %+v", v)
	}
	var p proofResponse
	e.getJSON(t, base+"/proof", &p)
	cp, entry, proof := checkProof(t, e.st, p, e.signer.PublicKey())
	if !bytes.Contains(entry, []byte(packDir)) || !bytes.Contains(entry, []byte(auditlog.EventPackArchived)) {
		t.Errorf("proved entry is not the pack's: %s", entry)
	}
	if len(proof) > 0 {
		proof[0][0] ^= 1
		if err := auditlog.VerifyInclusion(cp, p.Index, entry, proof); err == nil {
			t.Error("a changed proof still verifies")
		}
	}

	// Tamper with the invoice behind the archive's back: the status says so.
	inv := filepath.Join(e.root, filepath.FromSlash(packDir), "commercial-invoice.pdf")
	if err := os.Chmod(inv, 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(inv)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 1
	if err := os.WriteFile(inv, b, 0o444); err != nil {
		t.Fatal(err)
	}
	v.FirstFailure = nil
	e.getJSON(t, base+"/verify", &v)
	if v.OK || v.FirstFailure == nil || v.FirstFailure.Kind != "digest" || !strings.HasSuffix(v.FirstFailure.Object, "commercial-invoice.pdf") {
		t.Errorf("tampered pack: ok=%v first failure %+v", v.OK, v.FirstFailure)
	}
}

// failingLog refuses writes to the audit log.
type failingLog struct{ archive.Store }

func (f failingLog) Put(ctx context.Context, key string, r io.Reader, size int64, o archive.PutOptions) error {
	if strings.HasPrefix(key, auditlog.EntriesPrefix) {
		return errors.New("disk full")
	}
	return f.Store.Put(ctx, key, r, size, o)
}

func TestDownloadRefusedWhenNotRecorded(t *testing.T) {
	e := newEnv(t)
	l, err := auditlog.Open(context.Background(), failingLog{e.st}, nil, auditlog.Options{Name: "web-test"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.handler(t, e.st, l))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/api/programs/"+program+"/shipments/"+shipment+"/packs/v0001/files/commercial-invoice.pdf", nil)
	req.Header.Set("Authorization", "Bearer "+aliceTok)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || bytes.Contains(b, []byte("%PDF")) || strings.Contains(string(b), "disk full") {
		t.Errorf("unrecorded download: %d %q", resp.StatusCode, b)
	}
}

func TestParseTokens(t *testing.T) {
	good := auditweb.HashLine("t1", "")
	cases := []struct {
		name, file, err string
		names           []string
	}{
		{"named and unnamed", "# auditors\n\n" + auditweb.HashLine("t0", "alice") + "\n" + good + "\n", "", []string{"alice", "token-" + good[7:19]}},
		{"a raw token pasted", "alice-secret\n", "tokens:1: a token hash starts with", nil},
		{"short hash", "sha256:abcd bob\n", "tokens:1: want 64 hex digits", nil},
		{"three fields", good + " bob extra\n", "tokens:1: want", nil},
		{"empty", "# nothing\n", "no token hashes", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := auditweb.ParseTokens(strings.NewReader(c.file), "tokens")
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				if strings.Contains(err.Error(), "alice-secret") {
					t.Errorf("error repeats the token: %v", err)
				}
				return
			}
			if err != nil || len(got) != len(c.names) {
				t.Fatalf("%v %v", got, err)
			}
			for i, n := range c.names {
				if got[i].Name != n {
					t.Errorf("name %d = %q, want %q", i, got[i].Name, n)
				}
			}
		})
	}
}
