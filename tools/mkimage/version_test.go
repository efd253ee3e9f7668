package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/internal/testenv"
)

// The version make release and make image stamp: the next release from
// VERSION with -dev before any tag, the tag itself on a tagged commit,
// git describe's form after it; and a binary built with the Makefile's
// ldflags prints it in --version.
func TestMakefileVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	git := testenv.Tool(t, "git")
	root := repoRoot(t)
	next, err := os.ReadFile(filepath.Join(root, "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	nextV := "v" + strings.TrimSpace(string(next))

	// A scratch repository holding the Makefile and VERSION alone.
	dir := t.TempDir()
	for _, f := range []string{"Makefile", "VERSION"} {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(git, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	g("init", "-q")
	g("add", ".")
	g("commit", "-q", "-m", "one")
	g("tag", "known-good") // not a version tag: ignored
	if got := makeVar(t, dir, "VERSION"); got != nextV+"-dev" {
		t.Errorf("untagged: make stamps %q, want %q", got, nextV+"-dev")
	}
	g("tag", "-a", nextV, "-m", nextV)
	if got := makeVar(t, dir, "VERSION"); got != nextV {
		t.Errorf("on tag %s: make stamps %q", nextV, got)
	}
	ldflags := makeVar(t, dir, "RELEASE_LDFLAGS")
	if err := os.WriteFile(filepath.Join(dir, "NOTES"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	g("add", "NOTES")
	g("commit", "-q", "-m", "two")
	hash := g("rev-parse", "--short", "HEAD")
	if got, want := makeVar(t, dir, "VERSION"), nextV+"-1-g"+hash; got != want {
		t.Errorf("a commit after the tag: make stamps %q, want %q", got, want)
	}
	if err := os.WriteFile(filepath.Join(dir, "NOTES"), []byte("y"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, want := makeVar(t, dir, "VERSION"), nextV+"-1-g"+hash+"-dirty"; got != want {
		t.Errorf("uncommitted changes: make stamps %q, want %q", got, want)
	}

	// The binary, built with the ldflags make computed on the tag.
	bin := filepath.Join(t.TempDir(), "clearpack")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", ldflags, "-o", bin, "./cmd/clearpack")
	build.Dir = root
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOTOOLCHAIN=local")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -ldflags %q: %v\n%s", ldflags, err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(string(out), "\n"); first != "clearpack "+nextV {
		t.Errorf("clearpack --version built on tag %s prints %q", nextV, out)
	}
}
