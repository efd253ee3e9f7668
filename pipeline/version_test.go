package pipeline

import (
	"runtime/debug"
	"testing"
)

func TestReleaseVersion(t *testing.T) {
	rev := "0615d1f0abcdef0123456789abcdef0123456789"
	vcs := []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "true"}}
	for _, tc := range []struct {
		name    string
		stamped string
		bi      *debug.BuildInfo
		want    string
	}{
		{"stamped by make release", "v1.2.3", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-x"}}, "v1.2.3"},
		{"go install module@tag", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}, "v1.4.0"},
		{"go build in a checkout", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261130005505-0615d1f0abcd+dirty"}, Settings: vcs}, "v0.0.0-20261130005505-0615d1f0abcd+dirty"},
		{"devel with vcs", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs}, "devel+0615d1f0abcd.dirty"},
		{"devel without vcs", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "devel"},
		{"no build info", "", nil, "devel"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := releaseVersion(tc.stamped, tc.bi); got != tc.want {
				t.Errorf("releaseVersion = %q, want %q", got, tc.want)
			}
		})
	}
}
