package pipeline

import (
	"runtime/debug"
	"strings"
)

// Version is the release a build was stamped with:
//
//	go build -ldflags "-X github.com/clearpack/clearpack/pipeline.Version=v1.2.3"
//
// (make release does this). Empty in an unstamped build; ReleaseVersion
// then reads the version from the build information.
var Version string

// ReleaseVersion is clearpack's version as printed by --version and recorded
// in every manifest: the stamped Version, else the module version the Go
// toolchain recorded (a tag for `go install ...@v1.2.3`, a pseudo-version
// naming the commit for `go build` in a git checkout), else "devel" with the
// commit, else "devel".
func ReleaseVersion() string {
	bi, _ := debug.ReadBuildInfo()
	return releaseVersion(Version, bi)
}

func releaseVersion(stamped string, bi *debug.BuildInfo) string {
	if stamped != "" {
		return stamped
	}
	if bi == nil {
		return "devel"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := BuildRevision(bi)
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v := "devel+" + rev
	if dirty {
		v += ".dirty"
	}
	return v
}

// BuildRevision is the VCS commit a binary was built from and whether the
// tree had uncommitted changes ("" when the toolchain recorded none).
func BuildRevision(bi *debug.BuildInfo) (rev string, dirty bool) {
	if bi == nil {
		return "", false
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = strings.TrimSpace(s.Value)
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	return rev, dirty
}
