package pipebench

import (
	"context"
	"fmt"
	"testing"

	"github.com/clearpack/clearpack/archive/s3"
	"github.com/clearpack/clearpack/archive/s3/s3test"
	"github.com/clearpack/clearpack/pipeline/ingest"
)

// BenchmarkRun1000NoRenderMinIO is the pipeline's own overhead (a canned renderer)
// into a real MinIO on loopback: with Run1000NoRender, the S3 client's
// share (about 0.9 ms of CPU per document, a third of it listing versions
// for oldest-version reads).
func BenchmarkRun1000NoRenderMinIO(b *testing.B) {
	files, w := setup(b, 1000)
	srv := s3test.Start(b, s3test.MinIO)
	ctx := context.Background()
	defer reportCPU(b)()
	for b.Loop() {
		bucket := srv.NewBucket(b, true)
		cfg, err := s3.ParseURL(fmt.Sprintf("s3://%s?endpoint=%s&insecure=true", bucket, srv.Endpoint))
		if err != nil {
			b.Fatal(err)
		}
		st, err := s3.New(ctx, cfg, srv.Creds())
		if err != nil {
			b.Fatal(err)
		}
		run := runner(b, w, st, cannedRenderer{w.Renderer}, 0)
		if _, err := run.Run(ctx, files, ingest.Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}
