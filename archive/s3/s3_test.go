package s3_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/archivetest"
	"github.com/clearpack/clearpack/archive/s3"
	"github.com/clearpack/clearpack/archive/s3/s3test"
)

// env is one running server with a locked bucket.
type env struct {
	srv    *s3test.Server
	bucket string
}

func (e env) cfg(prefix string) s3.Config {
	return s3.Config{Bucket: e.bucket, Prefix: prefix, Endpoint: e.srv.Endpoint, Insecure: true}
}

// open returns a store under a fresh prefix of the locked bucket: an empty
// archive for each subtest without the cost of a new bucket.
func (e env) open(t *testing.T) *s3.Store {
	t.Helper()
	s, err := s3.New(context.Background(), e.cfg("t-"+randName(t)), e.srv.Creds())
	if err != nil {
		t.Fatalf("s3.New: %v", err)
	}
	return s
}

func TestDriver(t *testing.T) {
	for _, kind := range s3test.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			srv := s3test.Start(t, kind)
			e := env{srv: srv, bucket: srv.NewBucket(t, true)}
			t.Run("Suite", func(t *testing.T) {
				archivetest.Run(t, func(t *testing.T) archive.Store { return e.open(t) })
			})
		})
	}
}

func randName(t *testing.T) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b[:])
}
