package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/clearpack/clearpack/bench/gen"
)

type options struct {
	sizes       []int
	memoryUnits int
	shardUnits  int
	altDocs     int
	renderDocs  int
	out         string
	sample      string
	minio       string // path of the minio binary; "" skips MinIO
	chromium    string
	wkhtml      string
}

func run(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "gen" {
		return runGen(args[1:])
	}
	o := options{}
	fs := flag.NewFlagSet("clearpack-bench", flag.ContinueOnError)
	sizes := fs.String("sizes", "100,1000,10000", "program sizes in units, end to end to each archive (empty: none)")
	fs.IntVar(&o.memoryUnits, "memory-units", 100000, "units of the memory run (local archive only, run last); 0 skips it")
	fs.IntVar(&o.shardUnits, "shard-units", 1000, "units of the program run as 1, 2 and 4 shards at once (local archive); 0 skips it")
	fs.IntVar(&o.renderDocs, "render-docs", 200, "30-line invoices per count of the renderers benchmark (5 counts; 0 skips it)")
	fs.IntVar(&o.altDocs, "alt-docs", 20, "commercial invoices printed by each alternative (0: skip the alternatives)")
	fs.StringVar(&o.out, "out", "bench/results", "directory for latest.md and latest.json")
	fs.StringVar(&o.sample, "sample", "testdata/sample", "the sample program the generator replicates")
	fs.StringVar(&o.minio, "minio", lookBin("minio"), "minio binary for the S3 runs (empty: skip)")
	fs.StringVar(&o.chromium, "chromium", lookBin("chromium"), "chromium binary (empty: skip)")
	fs.StringVar(&o.wkhtml, "wkhtmltopdf", lookBin("wkhtmltopdf"), "wkhtmltopdf binary (empty: skip)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, s := range strings.Split(*sizes, ",") {
		if strings.TrimSpace(s) == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			return fmt.Errorf("-sizes: %q is not a positive number", s)
		}
		o.sizes = append(o.sizes, n)
	}

	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "clearpack-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	sample, err := gen.ReadSample(o.sample)
	if err != nil {
		return err
	}
	res := &Results{
		Date: time.Now().UTC().Format(time.RFC3339), GoVersion: runtime.Version(),
		CPUs: runtime.NumCPU(), CPU: cpuModel(), Command: "make bench",
	}
	logf := func(format string, a ...any) { fmt.Fprintf(os.Stderr, format+"\n", a...) }

	bin := filepath.Join(work, "clearpack")
	if err := goBuild(ctx, bin); err != nil {
		return err
	}
	key := filepath.Join(work, "key.pem")
	if _, err := clearpack(ctx, bin, nil, "keygen", "--out", key); err != nil {
		return err
	}
	var srv *minioServer
	if o.minio != "" {
		if srv, err = startMinio(ctx, o.minio, filepath.Join(work, "minio")); err != nil {
			return err
		}
		defer srv.stop()
	}

	for _, units := range o.sizes {
		dir := filepath.Join(work, fmt.Sprintf("p%d", units))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		files, st, err := sample.Write(dir, units)
		if err != nil {
			return err
		}
		logf("%d units (%d shipments): clearpack to local", st.Units, st.Shipments)
		row, err := endToEnd(ctx, bin, key, files, st, "local", filepath.Join(dir, "archive"), nil)
		if err != nil {
			return err
		}
		res.EndToEnd = append(res.EndToEnd, row)
		logf("%d units: validate alone", st.Units)
		v, err := validateRun(ctx, bin, files, st)
		if err != nil {
			return err
		}
		res.Validate = append(res.Validate, v)
		if srv != nil {
			logf("%d units: clearpack to MinIO", st.Units)
			spec, err := srv.bucket(ctx, fmt.Sprintf("bench-%d", units))
			if err != nil {
				return err
			}
			row, err := endToEnd(ctx, bin, key, files, st, "minio (loopback)", spec, srv.env())
			if err != nil {
				return err
			}
			res.EndToEnd = append(res.EndToEnd, row)
		}
		logf("%d units: maroto alone and stage costs", st.Units)
		fl, stages, err := measureFloor(ctx, files, key, srv, st)
		if err != nil {
			return err
		}
		res.Floor = append(res.Floor, fl)
		res.Stages = append(res.Stages, stages...)
	}

	if o.renderDocs > 0 {
		logf("renderers benchmark: %d 30-line invoices, 5 times", o.renderDocs)
		rc, err := renderBench(ctx, "commercial-invoice-30-lines", o.renderDocs, 5)
		if err != nil {
			return err
		}
		res.Render = &rc
	}
	if o.altDocs > 0 {
		logf("alternatives: %d commercial invoices each", o.altDocs)
		alts, err := alternatives(ctx, o, sample, work)
		if err != nil {
			return err
		}
		res.Alternatives = alts
	}
	if o.shardUnits > 0 {
		dir := filepath.Join(work, "shards")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		files, st, err := sample.Write(dir, o.shardUnits)
		if err != nil {
			return err
		}
		logf("%d units (%d shipments): 1, 2 and 4 shards at once, local archive", st.Units, st.Shipments)
		if res.Shards, res.ShardFixedCPU, err = shardRuns(ctx, bin, key, files, st, dir); err != nil {
			return err
		}
		os.RemoveAll(dir)
	}
	// Written now and again after the memory run, which takes longest: an
	// interrupted bench still leaves the table of everything else.
	res.finish()
	if err := res.write(o.out, false); err != nil {
		return err
	}
	if o.memoryUnits > 0 {
		dir := filepath.Join(work, "memory")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		files, st, err := sample.Write(dir, o.memoryUnits)
		if err != nil {
			return err
		}
		logf("%d units (%d shipments): validate alone", st.Units, st.Shipments)
		v, err := validateRun(ctx, bin, files, st)
		if err != nil {
			return err
		}
		res.Validate = append(res.Validate, v)
		logf("%d units (%d shipments): memory run to local", st.Units, st.Shipments)
		row, err := endToEnd(ctx, bin, key, files, st, "local", filepath.Join(dir, "archive"), nil)
		if err != nil {
			return err
		}
		res.Memory = row
		os.RemoveAll(dir)
	}

	res.finish()
	return res.write(o.out, true)
}

func lookBin(name string) string {
	if p, err := execLookPath(name); err == nil {
		return p
	}
	if p, err := filepath.Abs(filepath.Join("bin", name)); err == nil {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}
