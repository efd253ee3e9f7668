package s3

import (
	"context"
	"fmt"
	"strings"

	"github.com/minio/minio-go/v7"
)

// ListShadowed calls fn, in key order, for every key under prefix whose
// archived (oldest) version is not the only one: clearpack writes each key
// once (create-only), so a delete marker or a later version over it was
// made behind clearpack's back. Reads still return the archived version;
// this is how verify names the attempt. A bucket without versions has
// nothing to report.
func (s *Store) ListShadowed(ctx context.Context, prefix string, fn func(key, what string) error) error {
	if !s.versioned {
		return nil
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	full, strip := s.listPrefix(prefix)
	type tally struct {
		key              string
		versions, marker int
	}
	var cur *tally
	emit := func() error {
		if cur == nil || cur.versions+cur.marker <= 1 {
			return nil
		}
		what := fmt.Sprintf("overwritten (%d later versions)", cur.versions-1)
		switch {
		case cur.versions == 0:
			what = "deleted: only delete markers remain, the archived version is gone"
		case cur.marker > 0 && cur.versions > 1:
			what = fmt.Sprintf("overwritten (%d later versions) and deleted (%d delete markers)", cur.versions-1, cur.marker)
		case cur.marker > 0:
			what = fmt.Sprintf("deleted (%d delete markers over it)", cur.marker)
		}
		return fn(cur.key, what)
	}
	for oi := range s.client.ListObjects(lctx, s.cfg.Bucket, minio.ListObjectsOptions{Prefix: full, Recursive: true, WithVersions: true}) {
		if oi.Err != nil {
			return fmt.Errorf("listing versions under %s: %w", prefix, s.classify(ctx, prefix, oi.Err))
		}
		key := strings.TrimPrefix(oi.Key, strip)
		if cur == nil || cur.key != key {
			if err := emit(); err != nil {
				return err
			}
			cur = &tally{key: key}
		}
		if oi.IsDeleteMarker {
			cur.marker++
		} else {
			cur.versions++
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("listing versions under %s: %w", prefix, err)
	}
	return emit()
}
