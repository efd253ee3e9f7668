package search_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/clearpack/clearpack/archive/search"
)

// BenchmarkSearch: one query (serial, refresh from the log included) and one
// full rebuild of the sample archive's index.
func BenchmarkSearch(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	ix, err := search.Open(ctx, b.TempDir(), e.st, e.signer.PublicKey())
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	q, err := search.ParseQuery(url.Values{"q": {"V6J4XSP"}})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("query", func(b *testing.B) {
		for b.Loop() {
			if res, err := ix.Search(ctx, q); err != nil || len(res.Hits) != 1 {
				b.Fatal(err, res)
			}
		}
	})
	b.Run("rebuild", func(b *testing.B) {
		for b.Loop() {
			ix2, err := search.Open(ctx, b.TempDir(), e.st, e.signer.PublicKey())
			if err != nil {
				b.Fatal(err)
			}
			ix2.Close()
		}
	})
}
