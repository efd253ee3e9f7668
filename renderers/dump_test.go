package renderers

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestDumpFixture writes every document of the fixture pack to
// $CLEARPACK_DUMP_DIR, to look at them as PNGs (pdftoppm -png -r 100).
func TestDumpFixture(t *testing.T) {
	dir := os.Getenv("CLEARPACK_DUMP_DIR")
	if dir == "" {
		t.Skip("CLEARPACK_DUMP_DIR not set")
	}
	r := testRenderer(t)
	for _, lang := range []string{"vi", "pt", "es", "th", "id"} {
		p := fixturePack()
		p.Lang = lang
		if lang == "pt" {
			p = brazilPack()
		}
		for _, k := range Kinds() {
			d, err := r.Render(context.Background(), k, p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, lang+"-"+d.Name), d.PDF, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
