//go:build !linux

package local

import (
	"os"
	"path/filepath"
)

// openBeneath opens rel under root after checking that no component of
// the path is a symlink (the caller refuses what is not a regular file).
func openBeneath(root, rel string) (*os.File, error) {
	if err := lstatPath(root, rel, true); err != nil {
		return nil, err
	}
	return os.Open(filepath.Join(root, rel))
}
