package pack_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/mem"
	"github.com/clearpack/clearpack/archive/pack"
)

func TestKeysSpellTheLayout(t *testing.T) {
	r := pack.Ref{Program: "apac-2026", Shipment: "APL26-VN-01", Version: 3}
	for _, c := range []struct{ got, want string }{
		{r.ShipmentPrefix(), "programs/apac-2026/shipments/APL26-VN-01/"},
		{r.Dir(), "programs/apac-2026/shipments/APL26-VN-01/v0003"},
		{r.Prefix(), "programs/apac-2026/shipments/APL26-VN-01/v0003/"},
		{r.Key("packing-list.pdf"), "programs/apac-2026/shipments/APL26-VN-01/v0003/packing-list.pdf"},
		{r.ManifestKey(), "programs/apac-2026/shipments/APL26-VN-01/v0003/manifest.intoto.json"},
		{r.RejectionPrefix(pack.RejectionID("0123456789abcdef0123")), "programs/apac-2026/shipments/APL26-VN-01/rejected/0123456789abcdef/"},
		{pack.PublicKeyKey("ab12"), "keys/ab12.pub"},
		{pack.RunReportDir("2026-11-29", "r-1"), "runs/2026-11-29/r-1/"},
		{pack.BundleKey(r, "x.zip"), "bundles/apac-2026/APL26-VN-01/x.zip"},
		{pack.VersionName(12345), "v12345"},
		{r.String(), "apac-2026/APL26-VN-01 v0003"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestParseVersion(t *testing.T) {
	for s, want := range map[string]int{"v0001": 1, "v0042": 42, "v9999": 9999, "v10000": 10000} {
		if n, ok := pack.ParseVersion(s); !ok || n != want {
			t.Errorf("ParseVersion(%q) = %d, %v; want %d", s, n, ok, want)
		}
	}
	// The five parsers this replaced disagreed on these.
	for _, s := range []string{"v0000", "v-001", "v+001", "v001", "v00001", "V0001", "v 001", "0001", "v", "", "v1e03", "rejected"} {
		if n, ok := pack.ParseVersion(s); ok {
			t.Errorf("ParseVersion(%q) = %d, accepted", s, n)
		}
	}
}

func TestParseKey(t *testing.T) {
	ok := map[string]pack.Key{
		"programs/p/shipments/s/v0002/commercial-invoice.pdf":  {Ref: pack.Ref{Program: "p", Shipment: "s", Version: 2}, Name: "commercial-invoice.pdf"},
		"programs/p/shipments/s/rejected/0123abcd/report.json": {Ref: pack.Ref{Program: "p", Shipment: "s"}, Rejection: "0123abcd", Name: "report.json"},
		"programs/p/shipments/rejected/v0001/a.pdf":            {Ref: pack.Ref{Program: "p", Shipment: "rejected", Version: 1}, Name: "a.pdf"},
	}
	for key, want := range ok {
		got, parsed := pack.ParseKey(key)
		if !parsed || got != want {
			t.Errorf("ParseKey(%q) = %+v, %v; want %+v", key, got, parsed, want)
		}
		if got.String() != key {
			t.Errorf("ParseKey(%q).String() = %q", key, got.String())
		}
	}
	for _, key := range []string{
		"keys/ab.pub", "audit/entries/0.json", "programs/p", "programs/p/shipments/s/v0000/a.pdf",
		"programs/p/shipments/s/v0001", "programs/p/shipments/s/v0001/", "programs/p/shipments/s/v0001/sub/a.pdf",
		"programs/p/packs/s/v0001/a.pdf", "programs/p/shipments/s/other/v0001/a.pdf", "programs/p/shipments/s/rejected/report.json",
		"programs/../shipments/s/v0001/a.pdf", "programs/p/shipments/s/v0001/..", "/programs/p/shipments/s/v0001/a.pdf",
	} {
		if k, ok := pack.ParseKey(key); ok {
			t.Errorf("ParseKey(%q) = %+v, accepted", key, k)
		}
	}
	if k, _ := pack.ParseKey("programs/p/shipments/s/rejected/0123/report.json"); !k.IsRejection() || k.IsPack() {
		t.Errorf("a rejection report: IsRejection %v, IsPack %v", k.IsRejection(), k.IsPack())
	}
	if k, _ := pack.ParseKey("programs/p/shipments/s/rejected/0123/report.json.sig"); k.IsRejection() {
		t.Error("a rejection report's signature taken for the report")
	}
}

// FuzzParseKey: whatever ParseKey accepts it gives back unchanged, and every
// key a valid Ref builds parses to that Ref.
func FuzzParseKey(f *testing.F) {
	f.Add("programs/p/shipments/s/v0001/a.pdf", "p", "s", 1, "a.pdf", "")
	f.Add("programs/p/shipments/s/rejected/0123abcd/report.json", "p", "s", 0, "report.json", "0123abcd")
	f.Add("programs/p/shipments/s/v00001/a.pdf", "p", "rejected", 10000, "manifest.intoto.json", "")
	f.Add("programs//shipments/s/v0001/a", "..", "s", -1, "a/b", "x")
	f.Fuzz(func(t *testing.T, key, program, shipment string, version int, name, rejection string) {
		if k, ok := pack.ParseKey(key); ok {
			if k.String() != key {
				t.Fatalf("ParseKey(%q).String() = %q", key, k.String())
			}
			if archive.ValidKey(key) != nil {
				t.Fatalf("ParseKey accepted %q, which is not a valid key", key)
			}
		}
		ref := pack.Ref{Program: program, Shipment: shipment, Version: version}
		if ref.Valid() != nil || archive.ValidSegment(name) != nil {
			return
		}
		want := pack.Key{Ref: ref, Name: name}
		built := ref.Key(name)
		if version == 0 {
			if archive.ValidSegment(rejection) != nil {
				return
			}
			want.Rejection = rejection
			built = ref.RejectionPrefix(rejection) + name
		}
		got, ok := pack.ParseKey(built)
		if !ok || got != want {
			t.Fatalf("ParseKey(%q) = %+v, %v; want %+v", built, got, ok, want)
		}
	})
}

func put(t *testing.T, st archive.Store, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if err := archive.PutBytes(context.Background(), st, k, []byte(k), archive.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCatalog(t *testing.T) {
	ctx := context.Background()
	st := mem.New()
	put(t, st,
		"keys/ab.pub",
		"programs/p/shipments/a/v0001/x.pdf", "programs/p/shipments/a/v0001/manifest.intoto.json",
		"programs/p/shipments/a/v0002/x.pdf", "programs/p/shipments/a/v0002/manifest.intoto.json",
		"programs/p/shipments/a/v0003/x.pdf", // incomplete: a crashed or running writer
		"programs/p/shipments/a/v0000/manifest.intoto.json",
		"programs/p/shipments/b/rejected/0123/report.json", "programs/p/shipments/b/rejected/0123/report.json.sig",
		"programs/q/shipments/a/v0001/manifest.intoto.json",
		"programs/p2/shipments/z/v0001/manifest.intoto.json",
	)
	h, err := pack.Versions(ctx, st, pack.Ref{Program: "p", Shipment: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if h.Highest != 3 || !slices.Equal(h.Complete, []int{1, 2}) || !h.Incomplete() || h.Touched.IsZero() {
		t.Errorf("p/a: highest %d, complete %v, incomplete %v, touched %v", h.Highest, h.Complete, h.Incomplete(), h.Touched)
	}
	if ref, ok := h.Latest(); !ok || ref != (pack.Ref{Program: "p", Shipment: "a", Version: 2}) {
		t.Errorf("p/a latest = %v, %v", ref, ok)
	}
	if _, err := pack.Latest(ctx, st, pack.Ref{Program: "p", Shipment: "b"}); !errors.Is(err, pack.ErrNoPack) {
		t.Errorf("p/b latest: %v, want ErrNoPack", err)
	}
	hs, err := pack.Histories(ctx, st, pack.Ref{Program: "p"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, h := range hs {
		names = append(names, h.Ref.String())
	}
	if !slices.Equal(names, []string{"p/a", "p/b"}) {
		t.Errorf("histories of p: %v", names)
	}
	if !slices.Equal(hs[1].Rejections, []string{"programs/p/shipments/b/rejected/0123/report.json"}) {
		t.Errorf("p/b rejections: %v", hs[1].Rejections)
	}
	progs, err := pack.Programs(ctx, st)
	if err != nil || !slices.Equal(progs, []string{"p", "p2", "q"}) {
		t.Errorf("programs = %v, %v", progs, err)
	}
	var scanned []string
	err = pack.Scan(ctx, st, pack.Ref{Program: "p", Shipment: "a", Version: 2}, func(k pack.Key, _ archive.Info) error {
		scanned = append(scanned, k.String())
		return nil
	})
	if err != nil || len(scanned) != 2 {
		t.Errorf("scan of p/a v0002: %v, %v", scanned, err)
	}
	for _, bad := range []pack.Ref{{Shipment: "a"}, {Program: "..", Shipment: "a"}, {Program: "p", Version: 1}, {Program: "p", Shipment: "a/b"}} {
		if err := pack.Scan(ctx, st, bad, func(pack.Key, archive.Info) error { return nil }); err == nil {
			t.Errorf("scan of %+v: no error", bad)
		}
	}
}
