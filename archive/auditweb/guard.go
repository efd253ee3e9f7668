package auditweb

import (
	"context"
	"crypto"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/pack"
	"golang.org/x/time/rate"
)

// The auditors' interface serves a file only when it belongs to a pack
// whose manifest verifies with a trusted key: a document the manifest
// names (and whose bytes have the digest it gives), its signature,
// SHA256SUMS and its signature, or the manifest. Anything else found in a
// pack directory (a file planted there, an incomplete version) is neither
// listed nor served. The store itself refuses what is not a regular file.

// errNotInPack: the file is not part of a verified pack.
var errNotInPack = errors.New("not a file of a verified pack")

// verifiedFiles opens the manifest in dir ("programs/p/shipments/s/vNNNN/")
// with the trusted keys and returns the names the pack holds, each with
// the digest the manifest gives ("" for signatures and SHA256SUMS).
func (s *server) verifiedFiles(ctx context.Context, dir string) (map[string]string, error) {
	env, err := archive.ReadAll(ctx, s.cfg.Store, dir+manifest.FileName)
	if errors.Is(err, archive.ErrNotFound) {
		return nil, fmt.Errorf("%w: %s has no manifest (an incomplete version)", errNotInPack, dir)
	}
	if err != nil {
		return nil, err
	}
	var stmt *manifest.Statement
	for _, pub := range append([]crypto.PublicKey{s.cfg.Trusted}, s.cfg.AlsoTrusted...) {
		if st, err := manifest.Open(env, pub); err == nil {
			stmt = st
			break
		}
	}
	if stmt == nil {
		return nil, fmt.Errorf("%w: the manifest of %s does not verify with a trusted key", errNotInPack, dir)
	}
	files := map[string]string{manifest.FileName: "", pack.TimestampName: "", manifest.SumsName: "", manifest.SumsName + ".sig": ""}
	for _, sub := range stmt.Subject {
		files[sub.Name] = sub.SHA256
		files[sub.Name+".sig"] = ""
	}
	return files, nil
}

// Download rate per token: a steady rate and a burst. Each download is an
// audit-log entry, so a leaked token must not be able to flood the log.
const (
	DefaultDownloadRate  = rate.Limit(2) // per second
	DefaultDownloadBurst = 60
)

// limiters keeps one token bucket per token hash.
type limiters struct {
	rate  rate.Limit
	burst int

	mu sync.Mutex
	m  map[[32]byte]*rate.Limiter
}

// allow reports whether the token with hash sum may download now, and if
// not, how long until it may.
func (l *limiters) allow(sum [32]byte, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	lim := l.m[sum]
	if lim == nil {
		if l.m == nil {
			l.m = map[[32]byte]*rate.Limiter{}
		}
		lim = rate.NewLimiter(l.rate, l.burst)
		l.m[sum] = lim
	}
	l.mu.Unlock()
	r := lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// holder is the authenticated token of a request.
type holder struct {
	name string
	sum  [32]byte
}

func (h holder) hashHex() string { return "sha256:" + hex.EncodeToString(h.sum[:]) }

func tokenHolder(ctx context.Context) holder {
	h, _ := ctx.Value(ctxKey{}).(holder)
	return h
}
