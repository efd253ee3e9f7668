package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/pflag"

	"github.com/clearpack/clearpack/pipeline"
)

func newVersionCmd() *command {
	fs := pflag.NewFlagSet("version", pflag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the version, commit and Go release as JSON")
	return &command{
		name:    "version",
		summary: "print clearpack's version (also: clearpack --version)",
		usage:   "[--json]",
		flags:   fs,
		run: func(_ context.Context, _ []string, out, _ io.Writer) error {
			if *asJSON {
				return printVersionJSON(out)
			}
			return printVersion(out)
		},
	}
}

// versionJSON is `version --json`.
type versionJSON struct {
	SchemaVersion string `json:"schema_version"`
	Version       string `json:"version"`
	Commit        string `json:"commit"` // "" when the build does not record it
	Modified      bool   `json:"modified"`
	GoVersion     string `json:"go_version"`
	OS            string `json:"os"`
	Arch          string `json:"arch"`
}

func printVersionJSON(out io.Writer) error {
	v := versionJSON{SchemaVersion: schemaVersionDoc, Version: pipeline.ReleaseVersion(), GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v.Commit, v.Modified = pipeline.BuildRevision(bi)
	}
	return writeJSON(out, v)
}

// printVersion prints "clearpack v1.2.3" on the first line (what scripts
// read), then the commit and the Go release it was built with.
func printVersion(out io.Writer) error {
	rev, dirty := "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty = pipeline.BuildRevision(bi)
	}
	if rev == "" {
		rev = "unknown"
	} else if dirty {
		rev += " (modified)"
	}
	_, err := fmt.Fprintf(out, "clearpack %s\ncommit %s\n%s %s/%s\n", pipeline.ReleaseVersion(), rev, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return err
}

// buildInfo is the clearpack_build_info gauge: always 1, its labels say
// which build is running (so a dashboard can tell versions apart in a fleet).
func buildInfo() prometheus.Collector {
	rev := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, _ = pipeline.BuildRevision(bi)
	}
	g := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "clearpack_build_info",
		Help:        "Always 1; the labels name the running build's version, commit and Go release.",
		ConstLabels: prometheus.Labels{"version": pipeline.ReleaseVersion(), "revision": rev, "goversion": runtime.Version()},
	})
	g.Set(1)
	return g
}
