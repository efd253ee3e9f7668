package local

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// stageAnon opens an unnamed file in dir (O_TMPFILE): nothing to name, to
// remove, or to leave behind after a crash, and one directory update fewer
// per Put. It returns ok false where the filesystem does not support it.
func stageAnon(dir string) (f *os.File, ok bool, err error) {
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, 0o444)
	if err != nil {
		if err == unix.EOPNOTSUPP || err == unix.EISDIR || err == unix.EINVAL || err == unix.ENOENT {
			return nil, false, nil
		}
		return nil, false, err
	}
	return os.NewFile(uintptr(fd), filepath.Join(dir, "(unnamed)")), true, nil
}

// linkAnon gives the unnamed file f the name dst; it fails with EEXIST when
// dst exists.
func linkAnon(f *os.File, dst string) error {
	err := unix.Linkat(unix.AT_FDCWD, "/proc/self/fd/"+strconv.Itoa(int(f.Fd())), unix.AT_FDCWD, dst, unix.AT_SYMLINK_FOLLOW)
	if err != nil {
		return &os.LinkError{Op: "link", Old: f.Name(), New: dst, Err: err}
	}
	return nil
}

// anonWorks says whether unnamed files can be staged and linked under dir
// (O_TMPFILE support, /proc mounted), by publishing and removing a probe.
func anonWorks(dir string) bool {
	f, ok, err := stageAnon(dir)
	if err != nil || !ok {
		return false
	}
	defer f.Close()
	probe := filepath.Join(dir, fmt.Sprintf("probe-%d", os.Getpid()))
	os.Remove(probe)
	if linkAnon(f, probe) != nil {
		return false
	}
	os.Remove(probe)
	return true
}
