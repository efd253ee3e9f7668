package renderers

import (
	"context"
	"regexp"
	"testing"

	"github.com/clearpack/clearpack/pipeline/model"
)

var idRE = regexp.MustCompile(`/ID \[<([0-9a-f]{32})> <([0-9a-f]{32})>\]`)

// The trailer /ID (renderers/9: a digest of the source, the date and the
// first revision's cross-reference table, not of the whole revision) is
// the same for the same input and differs between documents: every kind of
// the fixture pack, and the same kind of another version of the pack.
func TestFileIdentifier(t *testing.T) {
	r := testRenderer(t)
	id := func(k model.DocKind, p Pack) string {
		t.Helper()
		d, err := r.Render(context.Background(), k, p)
		if err != nil {
			t.Fatal(err)
		}
		m := idRE.FindAllSubmatch(d.PDF, -1)
		if len(m) != 1 || string(m[0][1]) != string(m[0][2]) {
			t.Fatalf("%s: want one /ID with two equal parts, got %q", k, m)
		}
		return string(m[0][1])
	}
	seen := map[string]model.DocKind{}
	for _, k := range Kinds() {
		got := id(k, fixturePack())
		if other, dup := seen[got]; dup {
			t.Errorf("%s and %s have the same /ID %s", k, other, got)
		}
		seen[got] = k
		if again := id(k, fixturePack()); again != got {
			t.Errorf("%s: /ID %s, then %s for the same input", k, got, again)
		}
	}
	p := fixturePack()
	p.Version = 3
	if got := id(model.PackingList, p); seen[got] != "" {
		t.Errorf("version 3's packing list has the /ID of the %s of version 2", seen[got])
	}
}
