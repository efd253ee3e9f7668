package verify_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/s3"
	"github.com/clearpack/clearpack/archive/s3/s3test"
	"github.com/clearpack/clearpack/archive/verify"
)

// The issue 13 tamper cases on a real MinIO with object lock, done as an
// attacker holding the bucket's credentials would: with a raw S3 client,
// behind clearpack's back. Locked versions cannot be removed, so a
// "deletion" leaves a delete marker and an "edit" a later version; verify
// still reads and checks the archived (oldest) version, and names the
// object that was deleted or overwritten. Each case fails with the object
// named.
func TestTamperingMinIO(t *testing.T) {
	if testing.Short() {
		t.Skip("starts MinIO")
	}
	srv := s3test.Start(t, s3test.MinIO)
	bucket := srv.NewBucket(t, true)
	ctx := context.Background()
	put := archive.PutOptions{RetainUntil: time.Now().Add(24 * time.Hour), Mode: archive.Compliance}
	n := 0
	open := func(t *testing.T) (*fixture, string) {
		t.Helper()
		n++
		prefix := fmt.Sprintf("tamper-%d", n)
		st, err := s3.New(ctx, s3.Config{Bucket: bucket, Prefix: prefix, Endpoint: srv.Endpoint, Insecure: true}, srv.Creds())
		if err != nil {
			t.Fatal(err)
		}
		return newFixture(t, st, "", put), prefix + "/"
	}
	raw := srv.Client
	del := func(t *testing.T, prefix string, keys ...string) {
		t.Helper()
		for _, k := range keys {
			if err := raw.RemoveObject(ctx, bucket, prefix+k, minio.RemoveObjectOptions{}); err != nil {
				t.Fatalf("deleting %s: %v", k, err)
			}
		}
	}
	delAll := func(t *testing.T, prefix, under string) {
		t.Helper()
		var keys []string
		for o := range raw.ListObjects(ctx, bucket, minio.ListObjectsOptions{Prefix: prefix + under, Recursive: true}) {
			keys = append(keys, strings.TrimPrefix(o.Key, prefix))
		}
		if len(keys) == 0 {
			t.Fatalf("nothing under %s", under)
		}
		del(t, prefix, keys...)
	}
	write := func(t *testing.T, prefix, key string, b []byte) {
		t.Helper()
		if _, err := raw.PutObject(ctx, bucket, prefix+key, bytes.NewReader(b), int64(len(b)), minio.PutObjectOptions{}); err != nil {
			t.Fatalf("writing %s: %v", key, err)
		}
	}
	for _, tc := range []struct {
		name   string
		tamper func(t *testing.T, f *fixture, prefix string)
		kind   verify.Kind
		object string
		detail string
	}{
		{"delete-newest-version", func(t *testing.T, f *fixture, prefix string) {
			delAll(t, prefix, packPrefix("SHP-1", 2))
		}, verify.KindAltered, packPrefix("SHP-1", 2) + "SHA256SUMS", "deleted (1 delete markers over it)"},
		{"delete-shipment", func(t *testing.T, f *fixture, prefix string) {
			delAll(t, prefix, "programs/fleet/shipments/SHP-2/")
		}, verify.KindAltered, packPrefix("SHP-2", 1) + "SHA256SUMS", "deleted"},
		{"delete-rejection-report", func(t *testing.T, f *fixture, prefix string) {
			del(t, prefix, rejectedKey, rejectedKey+".sig")
		}, verify.KindAltered, rejectedKey, "deleted"},
		{"delete-run-report", func(t *testing.T, f *fixture, prefix string) {
			delAll(t, prefix, runDir)
		}, verify.KindAltered, runDir + "report.json", "deleted"},
		{"forged-entry", func(t *testing.T, f *fixture, prefix string) {
			write(t, prefix, auditlog.EntryKey(7), []byte(`{"index":7,"time":"2026-11-20T12:00:00Z","actor":"alice","event":"pack.retrieved","object":"programs/fleet/shipments/SHP-1/v0002/commercial-invoice.pdf"}`+"\n"))
		}, verify.KindEntry, auditlog.EntryKey(7), "unsigned"},
		{"pack-from-another-archive", func(t *testing.T, f *fixture, prefix string) {
			other, oprefix := open(t)
			other.writePack(t, f.key, "SHP-3", 1, 0)
			for o := range raw.ListObjects(ctx, bucket, minio.ListObjectsOptions{Prefix: oprefix + packPrefix("SHP-3", 1), Recursive: true}) {
				if _, err := raw.CopyObject(ctx, minio.CopyDestOptions{Bucket: bucket, Object: prefix + strings.TrimPrefix(o.Key, oprefix)},
					minio.CopySrcOptions{Bucket: bucket, Object: o.Key}); err != nil {
					t.Fatal(err)
				}
			}
		}, verify.KindInclusion, packPrefix("SHP-3", 1) + manifest.FileName, "no pack.archived entry"},
		{"archive-id-edited", func(t *testing.T, f *fixture, prefix string) {
			write(t, prefix, "archive-id", []byte("forked\n"))
		}, verify.KindAltered, "archive-id", "overwritten (1 later versions)"},
		{"archive-id-deleted", func(t *testing.T, f *fixture, prefix string) {
			del(t, prefix, "archive-id")
		}, verify.KindAltered, "archive-id", "deleted"},
		{"document-overwritten", func(t *testing.T, f *fixture, prefix string) {
			write(t, prefix, packPrefix("SHP-1", 2)+"commercial-invoice.pdf", []byte("%PDF forged"))
		}, verify.KindAltered, packPrefix("SHP-1", 2) + "commercial-invoice.pdf", "overwritten"},
		{"stray-objects", func(t *testing.T, f *fixture, prefix string) {
			write(t, prefix, "programs/fleet/shipments/SHP-1/v0002x/commercial-invoice.pdf", []byte("%PDF"))
			write(t, prefix, "runs/2026-03-01/r2/report.pdf", []byte("%PDF"))
		}, verify.KindStray, "programs/fleet/shipments/SHP-1/v0002x/commercial-invoice.pdf", "accounts for this object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, prefix := open(t)
			o := verify.Options{KeptCheckpoint: f.kept}
			if r, err := verify.Verify(ctx, f.st, f.key.PublicKey(), o); err != nil {
				var buf bytes.Buffer
				r.WriteText(&buf)
				t.Fatalf("before tampering: %v\n%s", err, buf.String())
			}
			tc.tamper(t, f, prefix)
			r, err := verify.Verify(ctx, f.st, f.key.PublicKey(), o)
			if !errors.Is(err, verify.ErrFailed) {
				t.Fatalf("Verify after tampering: %v", err)
			}
			first := r.FirstFailure()
			if first.Kind != tc.kind || first.Object != tc.object || !strings.Contains(first.Detail, tc.detail) {
				var buf bytes.Buffer
				r.WriteText(&buf)
				t.Fatalf("first failure %q\nwant kind %s, object %s, detail containing %q\n%s", first, tc.kind, tc.object, tc.detail, buf.String())
			}
		})
	}
	// The locked versions themselves cannot be removed.
	t.Run("remove-locked-version", func(t *testing.T) {
		_, prefix := open(t)
		for o := range raw.ListObjects(ctx, bucket, minio.ListObjectsOptions{Prefix: prefix + packPrefix("SHP-1", 2), Recursive: true, WithVersions: true}) {
			err := raw.RemoveObject(ctx, bucket, o.Key, minio.RemoveObjectOptions{VersionID: o.VersionID})
			if err == nil {
				t.Fatalf("a locked version of %s was removed", o.Key)
			}
			break
		}
	})
}
