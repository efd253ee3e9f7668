package s3test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// recorder is a testing.TB whose Fatal and Skip record the outcome and end
// the goroutine, as the real ones do.
type recorder struct {
	testing.TB
	outcome string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatal(args ...any) {
	r.outcome = "fatal: " + fmt.Sprint(args...)
	runtime.Goexit()
}
func (r *recorder) Skip(args ...any) {
	r.outcome = "skip: " + fmt.Sprint(args...)
	runtime.Goexit()
}

func TestMissingBinary(t *testing.T) {
	tests := []struct {
		ci   string
		want string
	}{
		{ci: "", want: "skip: "},
		{ci: "true", want: "fatal: "},
	}
	for _, tt := range tests {
		t.Run("CI="+tt.ci, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			r := &recorder{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				FindBinary(r, "clearpack-no-such-server")
			}()
			<-done
			if !strings.HasPrefix(r.outcome, tt.want) || !strings.Contains(r.outcome, "make tools") {
				t.Fatalf("missing binary with CI=%q: %q, want %q... naming `make tools`", tt.ci, r.outcome, tt.want)
			}
		})
	}
}

func TestFindsModuleBin(t *testing.T) {
	// bin/minio is where `make tools` puts it; skip when it has not run.
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", "")
	r := &recorder{TB: t}
	var got string
	done := make(chan struct{})
	go func() { defer close(done); got = FindBinary(r, "minio") }()
	<-done
	if strings.HasPrefix(r.outcome, "skip") {
		t.Skip("bin/minio not installed")
	}
	if want := root + "/bin/minio"; got != want {
		t.Fatalf("FindBinary(minio) = %q (%s), want %q", got, r.outcome, want)
	}
}
