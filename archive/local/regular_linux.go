package local

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/clearpack/clearpack/archive"
	"golang.org/x/sys/unix"
)

// openBeneath opens rel under root without following a symlink anywhere on
// the way (openat2 RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH), without blocking
// on a FIFO (O_NONBLOCK, which regular files ignore). Kernels before 5.6
// lack openat2: there every component is checked with lstat first.
func openBeneath(root, rel string) (*os.File, error) {
	dfd, err := unix.Open(root, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	defer unix.Close(dfd)
	how := unix.OpenHow{
		Flags:   unix.O_RDONLY | unix.O_CLOEXEC | unix.O_NONBLOCK | unix.O_NOFOLLOW,
		Resolve: unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_BENEATH | unix.RESOLVE_NO_MAGICLINKS,
	}
	fd, err := unix.Openat2(dfd, rel, &how)
	switch {
	case err == nil:
		return os.NewFile(uintptr(fd), filepath.Join(root, rel)), nil
	case errors.Is(err, unix.ELOOP):
		return nil, fmt.Errorf("%w: a symbolic link on the path", archive.ErrNotRegular)
	case errors.Is(err, unix.ENOENT), errors.Is(err, unix.ENOTDIR):
		return nil, os.ErrNotExist
	case errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EPERM):
		// No openat2 (old kernel, or a seccomp filter refusing it).
	default:
		return nil, &os.PathError{Op: "openat2", Path: filepath.Join(root, rel), Err: err}
	}
	if err := lstatPath(root, rel, true); err != nil {
		return nil, err
	}
	return os.OpenFile(filepath.Join(root, rel), os.O_RDONLY|unix.O_NONBLOCK|unix.O_NOFOLLOW, 0)
}
