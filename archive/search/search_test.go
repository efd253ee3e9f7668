package search_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/local"
	"github.com/clearpack/clearpack/archive/search"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/pipeline"
	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/rules"
	"github.com/clearpack/clearpack/renderers"
)

const (
	program = "apac-latam-server-refresh-2026"
	brPack  = "programs/" + program + "/shipments/APL26-BR-01/v0001"
)

type env struct {
	root   string
	st     archive.Store
	signer *signing.Signer
	runner *pipeline.Runner
}

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	key := filepath.Join(t.TempDir(), "key.pem")
	if err := signing.Keygen(key, nil); err != nil {
		t.Fatal(err)
	}
	s, err := signing.Load(ctx, signing.Options{KeyPath: key})
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	st, err := local.New(root)
	if err != nil {
		t.Fatal(err)
	}
	rend, err := renderers.New()
	if err != nil {
		t.Fatal(err)
	}
	book, err := rules.Load("")
	if err != nil {
		t.Fatal(err)
	}
	l, err := auditlog.Open(ctx, st, s, auditlog.Options{Name: "search-test"})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{root: root, st: st, signer: s,
		runner: &pipeline.Runner{Store: st, Signer: s, Renderer: rend, Rules: book, Log: l, Actor: "test"}}
	e.run(t, "../../testdata/sample/plan.yaml")
	return e
}

func (e *env) run(t testing.TB, plan string) {
	t.Helper()
	files := ingest.Files{
		Inventory: "../../testdata/sample/inventory.csv", Plan: plan,
		Clearances: "../../testdata/sample/clearances.yaml",
	}
	if _, err := e.runner.Run(context.Background(), files, ingest.DefaultLimits()); err != nil {
		t.Fatal(err)
	}
}

func query(t *testing.T, ix *search.Index, params string) search.Result {
	t.Helper()
	v, err := url.ParseQuery(params)
	if err != nil {
		t.Fatal(err)
	}
	q, err := search.ParseQuery(v)
	if err != nil {
		t.Fatalf("%s: %v", params, err)
	}
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", params, err)
	}
	return res
}

func keys(res search.Result) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Key)
	}
	return out
}

func docsFor(h search.Hit, field string) []string {
	var out []string
	for _, m := range h.Mentions {
		if strings.Contains(m.Fields, field) {
			out = append(out, m.Document)
		}
	}
	return out
}

// A serial, an invoice number, an entry number, a permit number, an HS code
// and a party's name each lead to their packs and say which documents name
// them; an unknown one finds nothing.
func TestSearchFindsPacks(t *testing.T) {
	e := newEnv(t)
	ix, err := search.Open(context.Background(), t.TempDir(), e.st, e.signer.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	t.Logf("index built in %v", ix.Built)

	res := query(t, ix, "q=v6j4xsp")
	if got := keys(res); len(got) != 1 || got[0] != brPack {
		t.Fatalf("serial V6J4XSP (typed in lower case) found %v, want only %s", got, brPack)
	}
	h := res.Hits[0]
	if d := strings.Join(docsFor(h, "serial"), " "); !strings.Contains(d, "packing-list.pdf") || !strings.Contains(d, "commercial-invoice.pdf") {
		t.Errorf("serial mentioned in %q, want the packing list and the invoice among them", d)
	}
	if h.Destination != "BR" || h.Status != "cleared" || h.InvoiceNumber != "MCI-INV-26-0103" || h.EntryNumber != "26BR0000452137-6" {
		t.Errorf("hit %+v", h.Pack)
	}

	for _, c := range []struct{ q, field, want string }{
		{"MC-SRV-00039", "asset_tag", brPack},
		{"MCI-INV-26-0103", "invoice_number", brPack},
		{"26BR0000452137-6", "entry_number", brPack},
		{"1482/BKHCN-CVT", "permit_number", ""},
	} {
		res := query(t, ix, "q="+url.QueryEscape(c.q))
		if len(res.Hits) == 0 {
			t.Errorf("%s: nothing found", c.q)
			continue
		}
		if c.want != "" && (len(res.Hits) != 1 || res.Hits[0].Key != c.want) {
			t.Errorf("%s: found %v, want %s", c.q, keys(res), c.want)
		}
		if len(docsFor(res.Hits[0], c.field)) == 0 {
			t.Errorf("%s: no mention as %s in %+v", c.q, c.field, res.Hits[0].Mentions)
		}
	}
	// HS code with or without dots, and as a heading prefix.
	if a, b := query(t, ix, "q=8471.50.10"), query(t, ix, "q=84715010"); len(a.Hits) == 0 || len(a.Hits) != len(b.Hits) {
		t.Errorf("HS 8471.50.10 found %d packs, 84715010 %d", len(a.Hits), len(b.Hits))
	}
	if a, b := query(t, ix, "q=8471"), query(t, ix, "q=84715010"); len(a.Hits) <= len(b.Hits) {
		t.Errorf("heading 8471 found %d packs, not more than subheading 84715010 (%d)", len(a.Hits), len(b.Hits))
	}
	// A party name, accents optional, every word must match.
	if got := keys(query(t, ix, "q=Solucoes+Nuvem&destination=BR&status=cleared")); !contains(got, brPack) {
		t.Errorf("party 'Solucoes Nuvem' in BR, cleared: %v", got)
	}
	if got := keys(query(t, ix, "q=Soluções+Nuvem+Meridian+zzzz")); len(got) != 0 {
		t.Errorf("a word found nowhere still matched %v", got)
	}
	// Unknown things find nothing.
	for _, q := range []string{"7XK4Q53", "MCI-INV-99-9999", "26BR9999999999-9"} {
		if got := keys(query(t, ix, "q="+q)); len(got) != 0 {
			t.Errorf("unknown %s found %v", q, got)
		}
	}
	// Filters: Brazilian entries released in March 2026.
	res = query(t, ix, "destination=br&date=release&from=2026-03-01&to=2026-03-31")
	if len(res.Hits) == 0 {
		t.Fatal("no Brazilian entries released in March")
	}
	for _, h := range res.Hits {
		if h.Destination != "BR" || h.ReleaseDate < "2026-03-01" || h.ReleaseDate > "2026-03-31" {
			t.Errorf("filter let through %s (%s, released %q)", h.Key, h.Destination, h.ReleaseDate)
		}
	}
	// The shipment stopped at the desk is found as stopped, with its reason.
	res = query(t, ix, "q=APL26-BR-03")
	if len(res.Hits) != 1 || res.Hits[0].Status != "stopped" || len(res.Hits[0].Reasons) == 0 {
		t.Errorf("APL26-BR-03: %+v", res.Hits)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// Queries with search syntax, too long, or with unknown filters are refused
// with a message saying what to change.
func TestBadQueries(t *testing.T) {
	for _, c := range []struct{ params, want string }{
		{`q=serial:7XK4Q53`, `':' is not searchable`},
		{`q=` + url.QueryEscape(`"MCI" OR 1=1`), `'"' is not searchable`},
		{`q=` + url.QueryEscape(`x'; DROP TABLE packs;--`), `'\'' is not searchable`},
		{`q=MCI*`, `'*' is not searchable`},
		{`q=` + strings.Repeat("a", 201), "at most 200"},
		{`q=a+b+c+d+e+f+g+h+i`, "9 words; at most 8"},
		{`q=x&colour=red`, `unknown parameter "colour"`},
		{`q=x&q=y`, `given 2 times`},
		{`destination=Brazil`, "two-letter ISO 3166"},
		{`status=lost`, `status "lost"`},
		{`from=2026-13-01`, "YYYY-MM-DD"},
		{`from=2026-04-01&to=2026-03-01`, "is after"},
		{`date=release&q=x&date=x`, "given 2 times"},
		{``, "give q"},
	} {
		v, _ := url.ParseQuery(c.params)
		_, err := search.ParseQuery(v)
		if !errors.Is(err, search.ErrBadQuery) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want ErrBadQuery saying %q", c.params, err, c.want)
		}
	}
}

// The index follows runs as they append, is rebuilt when deleted or when it
// no longer agrees with the archive's log, and a unit's history spans
// programs.
func TestIndexFollowsArchive(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	state := t.TempDir()
	ix, err := search.Open(ctx, state, e.st, e.signer.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	if ix.Built == 0 {
		t.Error("a new index was not built")
	}
	if h, err := ix.Unit(ctx, "V6J4XSP"); err != nil || len(h.Packs) != 1 {
		t.Fatalf("history before the second program: %+v, %v", h, err)
	}

	// A second program carries the same units: the open index finds it
	// without being reopened.
	plan, err := os.ReadFile("../../testdata/sample/plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	second := filepath.Join(t.TempDir(), "plan.yaml")
	os.WriteFile(second, []byte(strings.Replace(string(plan), "program: APAC-LATAM Server Refresh 2026", "program: LATAM Redeploy 2027", 1)), 0o644)
	e.run(t, second)
	h, err := ix.Unit(ctx, "v6j4xsp")
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Packs) != 2 || h.Packs[0].Program == h.Packs[1].Program {
		t.Fatalf("history across programs: %+v", h.Packs)
	}
	if !contains(keys(query(t, ix, "q=V6J4XSP")), "programs/latam-redeploy-2027/shipments/APL26-BR-01/v0001") {
		t.Error("the second program's pack is not found")
	}
	ix.Close()

	// Reopened on the same archive: reused, not rebuilt.
	ix, err = search.Open(ctx, state, e.st, e.signer.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	if ix.Built != 0 {
		t.Error("an index that agrees with the archive was rebuilt")
	}
	ix.Close()

	// The same state directory pointed at another archive: rebuilt, and it
	// knows nothing of the first.
	other := newEnv(t)
	ix, err = search.Open(ctx, state, other.st, other.signer.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	if ix.Built == 0 {
		t.Error("an index of another archive was trusted")
	}
	if got := keys(query(t, ix, "q=V6J4XSP")); len(got) != 1 {
		t.Errorf("after rebuilding for the other archive: %v", got)
	}
	ix.Close()

	// A deleted index is rebuilt.
	if err := os.Remove(filepath.Join(state, search.FileName)); err != nil {
		t.Fatal(err)
	}
	ix, err = search.Open(ctx, state, other.st, other.signer.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.Built == 0 || len(query(t, ix, "q=V6J4XSP").Hits) != 1 {
		t.Error("a deleted index was not rebuilt")
	}
}

// A pack whose document was altered after archiving is indexed as a fault
// and lends none of its terms; a pack signed by an untrusted key too.
func TestIndexTrustsOnlyTheSignedPack(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pdf := filepath.Join(e.root, brPack, "packing-list.pdf")
	b, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(pdf, 0o644)
	if err := os.WriteFile(pdf, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(ctx, t.TempDir(), e.st, e.signer.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res := query(t, ix, "q=APL26-BR-01")
	if len(res.Hits) != 1 || res.Hits[0].Status != "fault" || !strings.Contains(res.Hits[0].Fault, "packing-list.pdf does not match") {
		t.Fatalf("tampered pack: %+v", res.Hits)
	}
	for _, m := range query(t, ix, "q=V6J4XSP").Hits[0].Mentions {
		if m.Document == "packing-list.pdf" {
			t.Errorf("the altered packing list still lends its terms: %+v", m)
		}
	}

	stranger := filepath.Join(t.TempDir(), "k.pem")
	signing.Keygen(stranger, nil)
	s2, err := signing.Load(ctx, signing.Options{KeyPath: stranger})
	if err != nil {
		t.Fatal(err)
	}
	ix2, err := search.Open(ctx, t.TempDir(), e.st, s2.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	res = query(t, ix2, "q=MCI-INV-26-0103")
	if len(res.Hits) != 0 {
		t.Errorf("packs signed by an untrusted key lend terms: %v", keys(res))
	}
	if res := query(t, ix2, "q=APL26-VN-01"); len(res.Hits) != 1 || res.Hits[0].Status != "fault" {
		t.Errorf("untrusted pack: %+v", res.Hits)
	}
}
