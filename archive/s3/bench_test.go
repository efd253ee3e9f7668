package s3_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/s3"
	"github.com/clearpack/clearpack/archive/s3/s3test"
)

// BenchmarkPut measures a locked, create-only, checksummed Put of a
// document-sized object (and of one multipart-sized object), then a Stat as
// `verify` does, against each real server on this machine.
func BenchmarkPut(b *testing.B) {
	for _, kind := range s3test.Kinds() {
		b.Run(string(kind), func(b *testing.B) {
			srv := s3test.Start(b, kind)
			bucket := srv.NewBucket(b, true)
			s, err := s3.New(context.Background(), s3.Config{Bucket: bucket, Prefix: "bench", Endpoint: srv.Endpoint, Insecure: true}, srv.Creds())
			if err != nil {
				b.Fatal(err)
			}
			for _, size := range []int{64 << 10, s3.PartSize + 1<<20} {
				body := bytes.Repeat([]byte("x"), size)
				b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
					b.SetBytes(int64(size))
					ctx := context.Background()
					until := time.Now().Add(time.Hour)
					for i := 0; b.Loop(); i++ {
						key := fmt.Sprintf("s%d/%d", size, i)
						if err := archive.PutBytes(ctx, s, key, body, archive.PutOptions{RetainUntil: until}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			b.Run("Stat", func(b *testing.B) {
				ctx := context.Background()
				_ = archive.PutBytes(ctx, s, "stat/k", []byte("x"), archive.PutOptions{RetainUntil: time.Now().Add(time.Hour)})
				for b.Loop() {
					if _, err := s.Stat(ctx, "stat/k"); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
