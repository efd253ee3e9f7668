package local

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/clearpack/clearpack/archive"
)

// Only regular files are objects. Someone with write access to the
// directory could plant a symlink (to the signing key, say), a FIFO (which
// would hang a reader) or a device; or make a directory on an object's path
// a symlink to somewhere else. Reads resolve a key beneath the root without
// following any symlink (openat2 RESOLVE_NO_SYMLINKS on Linux, a component
// by component lstat elsewhere) and refuse whatever is not a regular file
// with archive.ErrNotRegular; Put refuses to publish through a symlinked
// directory. List still lists such entries, so that verify can name them.

// openRegular opens the regular file under key for reading.
func (s *Store) openRegular(key string) (*os.File, fs.FileInfo, error) {
	if _, err := s.path(key); err != nil {
		return nil, nil, err
	}
	f, err := openBeneath(s.root, filepath.FromSlash(key))
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	switch {
	case st.IsDir():
		f.Close()
		return nil, nil, fs.ErrNotExist
	case !st.Mode().IsRegular():
		f.Close()
		return nil, nil, fmt.Errorf("%w (%s)", archive.ErrNotRegular, kind(st.Mode()))
	}
	return f, st, nil
}

func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not a regular file"
}

// lstatPath checks every component of rel under root with lstat: a
// symlink anywhere on the path is ErrNotRegular; a missing component is
// fs.ErrNotExist. The last component is checked only when last is true.
func lstatPath(root, rel string, last bool) error {
	parts := strings.Split(rel, string(filepath.Separator))
	if !last {
		parts = parts[:len(parts)-1]
	}
	p := root
	for _, part := range parts {
		p = filepath.Join(p, part)
		st, err := os.Lstat(p)
		if err != nil {
			return err
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			rp, _ := filepath.Rel(root, p)
			return fmt.Errorf("%w: %s is a symbolic link", archive.ErrNotRegular, filepath.ToSlash(rp))
		}
	}
	return nil
}

// readErr turns an open error into the contract's.
func readErr(key string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("reading %s: %w", key, archive.ErrNotFound)
	case errors.Is(err, archive.ErrNotRegular):
		return fmt.Errorf("reading %s: %w", key, err)
	}
	return fmt.Errorf("reading %s: %w", key, err)
}
