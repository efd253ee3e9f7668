package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/pipeline"
)

// goBuild builds clearpack with extra go build arguments.
func goBuild(t *testing.T, args ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "clearpack")
	cmd := exec.Command("go", append(append([]string{"build", "-o", bin}, args...), ".")...)
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// The version a user sees comes from the build: the release's -X stamp, or
// else the commit the Go toolchain recorded; never a hard-coded string.
func TestVersionFromBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary twice")
	}
	const stamp = "v9.8.7-rc.1"
	stamped := goBuild(t, "-ldflags", "-X github.com/clearpack/clearpack/pipeline.Version="+stamp)
	for _, args := range [][]string{{"--version"}, {"version"}} {
		out, err := exec.Command(stamped, args...).Output()
		if err != nil {
			t.Fatalf("clearpack %s: %v", args[0], err)
		}
		first, _, _ := strings.Cut(string(out), "\n")
		if first != "clearpack "+stamp || !strings.Contains(string(out), runtime.Version()) {
			t.Errorf("clearpack %s printed %q, want first line %q", args[0], out, "clearpack "+stamp)
		}
	}

	// Unstamped, in a git clone: the version names the commit. The Go
	// toolchain records no commit in a git worktree (.git is a file there).
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	if st, err := os.Stat(filepath.Join(strings.TrimSpace(string(top)), ".git")); err != nil || !st.IsDir() {
		t.Skip("a git worktree: go build records no commit here")
	}
	rev, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	plain := goBuild(t, "-buildvcs=true") // GOFLAGS may say false
	out, err := exec.Command(plain, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if short := strings.TrimSpace(string(rev))[:12]; !strings.Contains(string(out), short) || strings.Contains(string(out), "v0.1.0-dev") {
		t.Errorf("unstamped --version printed %q, want the commit %s", out, short)
	}
}

// In-process (go test records no module version), version still prints the
// version the manifests record.
func TestVersionCommand(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, out, _ := clearpack(t, args...)
		if code != ExitOK || !strings.HasPrefix(out, "clearpack "+pipeline.ReleaseVersion()+"\n") {
			t.Errorf("clearpack %s: exit %d, %q", args[0], code, out)
		}
	}
}
