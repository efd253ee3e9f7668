package inbox

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/clearpack/clearpack/archive/s3/s3test"
)

func TestS3Inbox(t *testing.T) {
	ctx := context.Background()
	srv := s3test.Start(t, s3test.MinIO)
	bucket := srv.NewBucket(t, false)
	put := func(key, body string) {
		t.Helper()
		if _, err := srv.Client.PutObject(ctx, bucket, key, strings.NewReader(body), int64(len(body)), minio.PutObjectOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	put("in/b1/inventory.csv", "inv")
	put("in/b1/plan.yaml", "plan")
	put("in/b1/READY", "")
	put("in/b2/plan.yaml", "still copying")
	put("in/done/old/plan.yaml", "processed earlier")
	put("in/top-level.txt", "not a batch")
	put("elsewhere/b9/READY", "")

	later := func() time.Time { return time.Now().Add(time.Hour) }
	for _, tc := range []struct {
		name string
		opts Options
		want string
	}{
		{"marker required", Options{}, "b1"},
		{"or stable", Options{Stable: time.Minute, Clock: later}, "b1,b2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := NewS3(srv.Client, bucket, "in", tc.opts).List(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if ids(got) != tc.want {
				t.Errorf("batches %q, want %q", ids(got), tc.want)
			}
		})
	}

	ib := NewS3(srv.Client, bucket, "/in/", Options{})
	bs, _, err := ib.List(ctx)
	if err != nil || len(bs) != 1 {
		t.Fatalf("list %v %v", bs, err)
	}
	dir := t.TempDir()
	if err := ib.Fetch(ctx, bs[0], dir); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "plan.yaml")); err != nil || string(b) != "plan" {
		t.Errorf("fetched plan %q %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(dir, Marker)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the marker was fetched: %v", err)
	}
	where, err := ib.Finish(ctx, bs[0], Done, map[string][]byte{ReportName: []byte(`{"r":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	if where != "s3://"+bucket+"/in/done/b1/" {
		t.Errorf("moved to %s", where)
	}
	// The same name again goes to done/b1-2: nothing processed is replaced.
	put("in/b1/plan.yaml", "plan again")
	put("in/b1/READY", "")
	bs, _, _ = ib.List(ctx)
	if where, err := ib.Finish(ctx, bs[0], Done, nil); err != nil || where != "s3://"+bucket+"/in/done/b1-2/" {
		t.Errorf("second batch of the name: %s %v", where, err)
	}
	var keys []string
	for o := range srv.Client.ListObjects(ctx, bucket, minio.ListObjectsOptions{Prefix: "in/", Recursive: true}) {
		keys = append(keys, o.Key)
	}
	sort.Strings(keys)
	want := []string{"in/b2/plan.yaml", "in/done/b1-2/READY", "in/done/b1-2/plan.yaml",
		"in/done/b1/READY", "in/done/b1/inventory.csv", "in/done/b1/plan.yaml", "in/done/b1/run-report.json",
		"in/done/old/plan.yaml", "in/top-level.txt"}
	if strings.Join(keys, "\n") != strings.Join(want, "\n") {
		t.Errorf("inbox after the moves:\n%s\nwant:\n%s", strings.Join(keys, "\n"), strings.Join(want, "\n"))
	}
	obj, err := srv.Client.GetObject(ctx, bucket, "in/done/b1/run-report.json", minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.ReadFrom(obj)
	if b.String() != `{"r":1}` {
		t.Errorf("report in done/: %q", b.String())
	}
	// A batch moved away by someone else is reported as gone.
	if _, err := ib.Finish(ctx, bs[0], Done, nil); !errors.Is(err, ErrNoBatch) {
		t.Errorf("finishing a batch already moved: %v", err)
	}
}
