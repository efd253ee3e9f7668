package local_test

import (
	"testing"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/archivetest"
	"github.com/clearpack/clearpack/archive/local"
)

func TestSuite(t *testing.T) {
	archivetest.Run(t, func(t *testing.T) archive.Store {
		s, err := local.New(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
