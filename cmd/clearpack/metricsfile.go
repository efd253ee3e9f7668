package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"

	"github.com/clearpack/clearpack/pipeline/schedule"
)

// checkMetricsDir fails early when --metrics-file cannot be written, so a
// misconfigured timer is seen at once rather than after a long pass.
func checkMetricsDir(path string) error {
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("--metrics-file %s: %w", path, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("--metrics-file %s: %s is not a directory", path, dir)
	}
	return nil
}

// writeMetricsFile writes the clearpack_* metrics of a run --once pass in
// the Prometheus text format that node-exporter's textfile collector reads,
// with the pass's exit code and end time. The Go and process metrics are
// left out: they describe a process that has ended, and node-exporter
// exports its own under the same names. The file is written beside its
// final name and renamed, so the collector never reads half of it.
func writeMetricsFile(path string, m *schedule.Metrics, exitCode int, end time.Time) error {
	exit := prometheus.NewGauge(prometheus.GaugeOpts{Name: "clearpack_once_exit_code", Help: "Exit code of the last run --once (0 ok, 3 some shipments or batches not archived; see clearpack --help)."})
	exit.Set(float64(exitCode))
	last := prometheus.NewGauge(prometheus.GaugeOpts{Name: "clearpack_once_last_run_timestamp_seconds", Help: "Unix time the last run --once ended."})
	last.Set(float64(end.Unix()))
	reg := prometheus.NewRegistry()
	reg.MustRegister(exit, last)
	gs := prometheus.Gatherers{m.Registry, reg}
	fams, err := gs.Gather()
	if err != nil {
		return fmt.Errorf("gathering metrics: %w", err)
	}
	var buf bytes.Buffer
	for _, f := range fams {
		if !strings.HasPrefix(f.GetName(), "clearpack_") {
			continue
		}
		if _, err := expfmt.MetricFamilyToText(&buf, f); err != nil {
			return fmt.Errorf("encoding %s: %w", f.GetName(), err)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, a no-op
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	// Readable by the node-exporter user.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
