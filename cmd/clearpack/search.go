package main

import (
	"context"
	"crypto"
	"log/slog"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/search"
)

// openSearch opens (building when needed) the auditors' search index under
// the state directory.
func openSearch(ctx context.Context, dir string, st archive.Store, trusted crypto.PublicKey, logger *slog.Logger) (*search.Index, error) {
	if dir == "" {
		return nil, errorf(ExitUsage, "--state-dir is required for the auditors' search")
	}
	ix, err := search.Open(ctx, dir, st, trusted)
	if err != nil {
		return nil, withCode(ExitArchive, err)
	}
	if ix.Built > 0 {
		logger.Info("search index built from the archive", "dir", dir, "took", ix.Built.String())
	}
	return ix, nil
}
