package inbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/minio/minio-go/v7"
)

// S3 is an inbox under a prefix of an S3 bucket. The bucket is a plain one
// (no object lock): processed batches are copied to done/ or failed/ and
// their inbox objects deleted. It must not be the archive's bucket prefix.
type S3 struct {
	client *minio.Client
	bucket string
	prefix string // "" or ending in "/"
	opts   Options
}

// NewS3 returns the inbox at s3://bucket/prefix, using a ready client.
func NewS3(client *minio.Client, bucket, prefix string, o Options) *S3 {
	prefix = strings.Trim(prefix, "/")
	if prefix != "" {
		prefix += "/"
	}
	return &S3{client: client, bucket: bucket, prefix: prefix, opts: o}
}

// String names the inbox.
func (s *S3) String() string { return "s3://" + s.bucket + "/" + s.prefix }

// List returns the complete batches.
func (s *S3) List(ctx context.Context) ([]Batch, []Skipped, error) {
	folders := map[string][]File{}
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix, Recursive: true}) {
		if obj.Err != nil {
			return nil, nil, fmt.Errorf("listing inbox %s: %w", s, obj.Err)
		}
		rest := strings.TrimPrefix(obj.Key, s.prefix)
		id, name, ok := strings.Cut(rest, "/")
		if !ok || name == "" || strings.Contains(name, "/") {
			continue // not a batch file (top-level object or nested folder)
		}
		folders[id] = append(folders[id], File{Name: name, Size: obj.Size, ModTime: obj.LastModified})
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("listing inbox %s: %w", s, err)
	}
	b, sk := s.opts.complete(folders)
	return b, sk, nil
}

// Fetch downloads the batch's input files into dir.
func (s *S3) Fetch(ctx context.Context, b Batch, dir string) error {
	for _, f := range b.Files {
		if f.Name == Marker {
			continue
		}
		key := s.prefix + b.ID + "/" + f.Name
		if err := s.fetch(ctx, key, filepath.Join(dir, f.Name)); err != nil {
			var er minio.ErrorResponse
			if errors.As(err, &er) && er.Code == "NoSuchKey" {
				return fmt.Errorf("fetching %s: %w", key, ErrNoBatch)
			}
			return fmt.Errorf("fetching %s: %w", key, err)
		}
	}
	return nil
}

func (s *S3) fetch(ctx context.Context, key, dst string) error {
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return err
	}
	defer obj.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, obj); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Finish uploads extra into the destination folder, copies the batch's
// objects there and then deletes them from the inbox, the marker last (a
// crash part way leaves the batch marked in the inbox; its claim says it is
// done, and the next instance finishes the move).
func (s *S3) Finish(ctx context.Context, b Batch, o Outcome, extra map[string][]byte) (string, error) {
	dst, err := s.freeFolder(ctx, o.dir()+"/"+b.ID)
	if err != nil {
		return "", err
	}
	for name, body := range extra {
		key := s.prefix + dst + "/" + name
		_, err := s.client.PutObject(ctx, s.bucket, key, strings.NewReader(string(body)), int64(len(body)),
			minio.PutObjectOptions{ContentType: contentType(name)})
		if err != nil {
			return "", fmt.Errorf("storing %s: %w", key, err)
		}
	}
	var marker bool
	for _, f := range b.Files {
		if f.Name == Marker {
			marker = true
			continue
		}
		if err := s.copy(ctx, b.ID+"/"+f.Name, dst+"/"+f.Name); err != nil {
			return "", err
		}
	}
	if marker {
		if err := s.copy(ctx, b.ID+"/"+Marker, dst+"/"+Marker); err != nil {
			return "", err
		}
	}
	for _, f := range b.Files {
		if f.Name == Marker {
			continue
		}
		if err := s.client.RemoveObject(ctx, s.bucket, s.prefix+b.ID+"/"+f.Name, minio.RemoveObjectOptions{}); err != nil {
			return "", fmt.Errorf("removing %s from the inbox: %w", s.prefix+b.ID+"/"+f.Name, err)
		}
	}
	if marker {
		if err := s.client.RemoveObject(ctx, s.bucket, s.prefix+b.ID+"/"+Marker, minio.RemoveObjectOptions{}); err != nil {
			return "", fmt.Errorf("removing %s from the inbox: %w", s.prefix+b.ID+"/"+Marker, err)
		}
	}
	return "s3://" + s.bucket + "/" + s.prefix + dst + "/", nil
}

func (s *S3) copy(ctx context.Context, from, to string) error {
	_, err := s.client.CopyObject(ctx,
		minio.CopyDestOptions{Bucket: s.bucket, Object: s.prefix + to},
		minio.CopySrcOptions{Bucket: s.bucket, Object: s.prefix + from})
	if err != nil {
		var er minio.ErrorResponse
		if errors.As(err, &er) && er.Code == "NoSuchKey" {
			return fmt.Errorf("copying %s: %w", s.prefix+from, ErrNoBatch)
		}
		return fmt.Errorf("copying %s to %s: %w", s.prefix+from, s.prefix+to, err)
	}
	return nil
}

// freeFolder returns want, or want-2, want-3, ... : the first folder name
// holding no object, so that nothing processed earlier is overwritten.
func (s *S3) freeFolder(ctx context.Context, want string) (string, error) {
	for n := 1; ; n++ {
		name := want
		if n > 1 {
			name += "-" + strconv.Itoa(n)
		}
		used := false
		lctx, cancel := context.WithCancel(ctx)
		for obj := range s.client.ListObjects(lctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix + name + "/", MaxKeys: 1}) {
			if obj.Err != nil {
				cancel()
				return "", fmt.Errorf("listing %s: %w", s.prefix+name, obj.Err)
			}
			used = true
			break
		}
		cancel()
		if !used {
			return name, nil
		}
	}
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".json":
		return "application/json"
	case ".pdf":
		return "application/pdf"
	}
	return "application/octet-stream"
}
