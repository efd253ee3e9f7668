// Package testenv holds the project's rule for tests that need something
// outside Go (a command-line tool, a server binary): outside CI a missing
// one skips the test; when the environment variable CI is set it fails it,
// so CI never passes by skipping.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Missing fails the test when CI is set and skips it otherwise.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("needed in CI (make test installs it): "+format, args...)
	}
	t.Skipf(format, args...)
}

// Tool returns the absolute path of an external program: name itself when it
// contains a slash, else name on PATH or in the module's bin/ (where make
// tools installs minio, versitygw and cosign). Missing: see Missing.
func Tool(t testing.TB, name string) string {
	t.Helper()
	if strings.Contains(name, "/") {
		if p, err := filepath.Abs(name); err == nil {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	} else if p, err := exec.LookPath(name); err == nil {
		return p
	} else if dir := moduleRoot(); dir != "" {
		p := filepath.Join(dir, "bin", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	Missing(t, "%s not installed (run make tools)", name)
	return ""
}

// moduleRoot is the nearest directory above the working directory holding
// go.mod; "" when there is none.
func moduleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
