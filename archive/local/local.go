// Package local is the archive driver for a directory on a local filesystem.
//
// Every object is a read-only file under the root, named by its key. A Put
// writes a temporary file under <root>/.tmp, fsyncs it, and publishes it with
// link(2), which fails when the name exists: the write is atomic and
// create-only, and of two racing writers (goroutines or processes) exactly one
// wins. The driver never deletes or overwrites a published file. Retention
// dates are not enforced by a filesystem, so Stat reports none.
package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/clearpack/clearpack/archive"
)

const tmpDir = ".tmp"

// Store is a local-directory archive.
type Store struct {
	root string
}

// New opens (creating if needed) the archive rooted at dir.
func New(dir string) (*Store, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("opening local archive %s: %w", dir, err)
	}
	if err := os.MkdirAll(filepath.Join(abs, tmpDir), 0o755); err != nil {
		return nil, fmt.Errorf("opening local archive %s: %w", dir, err)
	}
	return &Store{root: abs}, nil
}

// Root is the archive directory.
func (s *Store) Root() string { return s.root }

func (s *Store) String() string { return "local:" + s.root }

func (s *Store) path(key string) (string, error) {
	if err := archive.ValidKey(key); err != nil {
		return "", err
	}
	if key == tmpDir || strings.HasPrefix(key, tmpDir+"/") {
		return "", fmt.Errorf("%w: %q: reserved prefix", archive.ErrBadKey, key)
	}
	return filepath.Join(s.root, filepath.FromSlash(key)), nil
}

// Put implements archive.Store.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, opts archive.PutOptions) (err error) {
	dst, err := s.path(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("storing %s: %w", key, err)
	}
	if _, err := os.Lstat(dst); err == nil {
		return fmt.Errorf("storing %s: %w", key, archive.ErrExists)
	}
	tmp, err := os.CreateTemp(filepath.Join(s.root, tmpDir), "put-*")
	if err != nil {
		return fmt.Errorf("storing %s: %w", key, err)
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}()
	n, err := io.Copy(tmp, archive.ContextReader(ctx, r))
	if err != nil {
		return fmt.Errorf("storing %s: %w", key, err)
	}
	if size >= 0 && n != size {
		return fmt.Errorf("storing %s: read %d bytes, expected %d", key, n, size)
	}
	if err := tmp.Chmod(0o444); err != nil {
		return fmt.Errorf("storing %s: %w", key, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("storing %s: %w", key, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("storing %s: %w", key, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("storing %s: %w", key, err)
	}
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("storing %s: %w", key, err)
	}
	if err := os.Link(tmp.Name(), dst); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("storing %s: %w", key, archive.ErrExists)
		}
		return fmt.Errorf("storing %s: %w", key, err)
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Get implements archive.Store.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	p, err := s.path(key)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", key, err)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, notFound(key, err)
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("reading %s: %w", key, archive.ErrNotFound)
	}
	return f, nil
}

func notFound(key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("reading %s: %w", key, archive.ErrNotFound)
	}
	return fmt.Errorf("reading %s: %w", key, err)
}

// Stat implements archive.Store.
func (s *Store) Stat(ctx context.Context, key string) (archive.Info, error) {
	p, err := s.path(key)
	if err != nil {
		return archive.Info{}, err
	}
	if err := ctx.Err(); err != nil {
		return archive.Info{}, fmt.Errorf("reading %s: %w", key, err)
	}
	st, err := os.Stat(p)
	if err != nil {
		return archive.Info{}, notFound(key, err)
	}
	if st.IsDir() {
		return archive.Info{}, fmt.Errorf("reading %s: %w", key, archive.ErrNotFound)
	}
	return archive.Info{Key: key, Size: st.Size(), ModTime: st.ModTime()}, nil
}

// List implements archive.Store.
func (s *Store) List(ctx context.Context, prefix string, fn func(archive.Info) error) error {
	start := s.root
	if i := strings.LastIndex(prefix, "/"); i >= 0 {
		dir := prefix[:i]
		if err := archive.ValidKey(dir); err != nil {
			return err
		}
		start = filepath.Join(s.root, filepath.FromSlash(dir))
	}
	var infos []archive.Info
	err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, _ := filepath.Rel(s.root, p)
		key := filepath.ToSlash(rel)
		if d.IsDir() {
			if key == tmpDir {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasPrefix(key, prefix) {
			return nil
		}
		st, err := d.Info()
		if err != nil {
			return err
		}
		infos = append(infos, archive.Info{Key: key, Size: st.Size(), ModTime: st.ModTime()})
		return nil
	})
	if err != nil {
		return fmt.Errorf("listing %s: %w", prefix, err)
	}
	sort.Slice(infos, func(i, j int) bool { return infos[i].Key < infos[j].Key })
	for _, in := range infos {
		if err := fn(in); err != nil {
			return err
		}
	}
	return nil
}
