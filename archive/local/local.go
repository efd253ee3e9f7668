// Package local is the archive driver for a directory on a local filesystem.
//
// Every object is a read-only file under the root, named by its key. A Put
// writes a temporary file under <root>/.tmp (an unnamed O_TMPFILE file where
// the filesystem supports it), fsyncs it, and publishes it with link(2), which
// fails when the name exists: the write is atomic and create-only, and of two
// racing writers (goroutines or processes) exactly one wins. The directory
// holding the new name, and any directory the Put had to create, is fsynced
// before Put returns: a stored object is durable. The driver never deletes or overwrites a published file. Retention
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
	"sync"

	"github.com/clearpack/clearpack/archive"
)

const tmpDir = ".tmp"

// Store is a local-directory archive.
type Store struct {
	root string
	anon bool // stage puts in unnamed (O_TMPFILE) files
	// bufs are Put's copy buffers. os.File's ReadFrom falls back to
	// io.Copy, which made a new 32 KiB buffer for every object (0.5 GB
	// of garbage in a 10,000-unit run).
	bufs sync.Pool
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
	st := &Store{root: abs, anon: anonWorks(filepath.Join(abs, tmpDir))}
	st.bufs.New = func() any { b := make([]byte, 32<<10); return &b }
	return st, nil
}

// Open opens an existing archive at dir for reading: unlike New it creates
// nothing (no directory, no .tmp), so that an auditor's command pointed at a
// wrong path leaves no trace there. It fails when dir is not a directory. A
// Put on it creates .tmp then, as New would have.
func Open(dir string) (*Store, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("opening local archive %s: %w", dir, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("opening local archive %s: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("opening local archive %s: not a directory", dir)
	}
	s := &Store{root: abs}
	s.bufs.New = func() any { b := make([]byte, 32<<10); return &b }
	return s, nil
}

// writerOnly hides a file's ReadFrom, so that io.CopyBuffer uses the
// buffer it is given.
type writerOnly struct{ io.Writer }

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
	// Never publish through a directory someone replaced with a symlink.
	if err := lstatPath(s.root, filepath.FromSlash(key), false); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("storing %s: %w", key, err)
	}
	tmp, publish, err := s.stage()
	if err != nil {
		return fmt.Errorf("storing %s: %w", key, err)
	}
	defer tmp.Close() // after publish, or dropping an unpublished one
	buf := s.bufs.Get().(*[]byte)
	n, err := io.CopyBuffer(writerOnly{tmp}, archive.ContextReader(ctx, r), *buf)
	s.bufs.Put(buf)
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
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("storing %s: %w", key, err)
	}
	dir := filepath.Dir(dst)
	err = publish(dst)
	if errors.Is(err, fs.ErrNotExist) {
		// The first object of a directory: make it (durably), then retry.
		if err := s.mkdirs(dir); err != nil {
			return fmt.Errorf("storing %s: %w", key, err)
		}
		err = publish(dst)
	}
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("storing %s: %w", key, archive.ErrExists)
		}
		return fmt.Errorf("storing %s: %w", key, err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("storing %s: %w", key, err)
	}
	return nil
}

// stage opens a file to write an object into, and the function that
// publishes it under a name.
func (s *Store) stage() (stagedFile, func(dst string) error, error) {
	dir := filepath.Join(s.root, tmpDir)
	if s.anon {
		f, ok, err := stageAnon(dir)
		if err != nil {
			return nil, nil, err
		}
		if ok {
			return f, func(dst string) error { return linkAnon(f, dst) }, nil
		}
	}
	f, err := os.CreateTemp(dir, "put-*")
	if errors.Is(err, fs.ErrNotExist) { // opened by Open: .tmp made on first Put
		if err = os.MkdirAll(dir, 0o755); err == nil {
			f, err = os.CreateTemp(dir, "put-*")
		}
	}
	if err != nil {
		return nil, nil, err
	}
	return &namedTemp{f}, func(dst string) error { return os.Link(f.Name(), dst) }, nil
}

// stagedFile is an object being written.
type stagedFile interface {
	io.Writer
	Chmod(fs.FileMode) error
	Sync() error
	Close() error
}

// namedTemp is a temporary file under .tmp, removed by Close (its published
// name, a second link, stays).
type namedTemp struct{ *os.File }

func (t *namedTemp) Close() error {
	err := t.File.Close()
	os.Remove(t.Name())
	return err
}

// mkdirs makes dir and its missing parents, fsyncing each parent that
// gained an entry, so the path to an object is as durable as the object.
func (s *Store) mkdirs(dir string) error {
	var missing []string
	for d := dir; d != s.root && len(d) > len(s.root); d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil {
			break
		}
		missing = append(missing, d)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, d := range missing {
		if err := syncDir(filepath.Dir(d)); err != nil {
			return err
		}
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Get implements archive.Store. Anything but a regular file, or a path
// through a symlink, is refused with archive.ErrNotRegular.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	if _, err := s.path(key); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", key, err)
	}
	f, _, err := s.openRegular(key)
	if err != nil {
		return nil, readErr(key, err)
	}
	return f, nil
}

// Stat implements archive.Store; it refuses what Get refuses.
func (s *Store) Stat(ctx context.Context, key string) (archive.Info, error) {
	if _, err := s.path(key); err != nil {
		return archive.Info{}, err
	}
	if err := ctx.Err(); err != nil {
		return archive.Info{}, fmt.Errorf("reading %s: %w", key, err)
	}
	f, st, err := s.openRegular(key)
	if err != nil {
		return archive.Info{}, readErr(key, err)
	}
	f.Close()
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
