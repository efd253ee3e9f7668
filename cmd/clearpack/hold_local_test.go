package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hold as the README writes it, on a local archive: refused with what a
// hold needs and what to do instead, exit 5 (the archive cannot be used for
// it), and nothing created or changed.
func TestHoldLocalArchiveSaysWhatToDo(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	code, out, errOut := clearpack(t, "hold", "APL26-VN-01", "--program", "apac-latam-server-refresh-2026", "--on", "--reason", "case 2026-114")
	if code != ExitArchive || out != "" {
		t.Errorf("hold on the default local archive: exit %d, stdout %q; want %d", code, out, ExitArchive)
	}
	for _, want := range []string{"var/archive is a local directory", "a legal hold needs an S3 archive with object lock",
		"--archive s3://bucket/prefix", "nothing was changed", "chattr +i"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("hold on a local archive says %q; want it to say %q", errOut, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "var")); !os.IsNotExist(err) {
		t.Errorf("hold on a local archive created var/ (%v)", err)
	}
}
