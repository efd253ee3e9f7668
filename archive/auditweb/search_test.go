package auditweb_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

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
