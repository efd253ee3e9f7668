package inbox

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func write(t *testing.T, path, body string, mod time.Time) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mod, mod); err != nil {
		t.Fatal(err)
	}
}

func ids(bs []Batch) string {
	var s []string
	for _, b := range bs {
		s = append(s, b.ID)
	}
	return strings.Join(s, ",")
}

func TestDirCompleteBatches(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	old, fresh := now.Add(-time.Hour), now.Add(-10*time.Second)
	root := t.TempDir()
	write(t, filepath.Join(root, "marked/inventory.csv"), "x", fresh)
	write(t, filepath.Join(root, "marked/plan.yaml"), "x", fresh)
	write(t, filepath.Join(root, "marked", Marker), "", fresh)
	write(t, filepath.Join(root, "copying/inventory.csv"), "x", fresh) // no marker, recent
	write(t, filepath.Join(root, "settled/inventory.csv"), "x", old)   // no marker, unchanged an hour
	write(t, filepath.Join(root, "settled/plan.yaml"), "x", old)
	write(t, filepath.Join(root, "_staging/plan.yaml"), "x", old)
	write(t, filepath.Join(root, "bad name/plan.yaml"), "x", old)
	write(t, filepath.Join(root, "bad name", Marker), "", old)
	write(t, filepath.Join(root, "empty", Marker), "", old)

	for _, tc := range []struct {
		name   string
		stable time.Duration
		want   string
	}{
		{"marker required", 0, "marked"},
		{"or stable for a minute", time.Minute, "marked,settled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := NewDir(root, Options{Stable: tc.stable, Clock: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			got, skipped, err := d.List(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if ids(got) != tc.want {
				t.Errorf("batches %q, want %q", ids(got), tc.want)
			}
			var sk []string
			for _, s := range skipped {
				sk = append(sk, s.ID+": "+s.Reason)
			}
			if len(sk) != 2 || !strings.Contains(strings.Join(sk, "\n"), "bad name: batch name") || !strings.Contains(strings.Join(sk, "\n"), "empty: marker without input") {
				t.Errorf("skipped: %q", sk)
			}
		})
	}
}

func TestDirFetchFinish(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	now := time.Now()
	write(t, filepath.Join(root, "b1/Inventory.CSV"), "inv", now)
	write(t, filepath.Join(root, "b1/plan.yaml"), "plan", now)
	write(t, filepath.Join(root, "b1", Marker), "", now)
	d, err := NewDir(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	bs, _, err := d.List(ctx)
	if err != nil || len(bs) != 1 {
		t.Fatalf("list: %v %v", bs, err)
	}
	work := t.TempDir()
	if err := d.Fetch(ctx, bs[0], work); err != nil {
		t.Fatal(err)
	}
	files, err := Inputs(work)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(files.Inventory) != "Inventory.CSV" || filepath.Base(files.Plan) != "plan.yaml" || files.Clearances != "" {
		t.Errorf("inputs: %+v", files)
	}
	where, err := d.Finish(ctx, bs[0], Done, map[string][]byte{ReportName: []byte(`{"ok":true}`)})
	if err != nil {
		t.Fatal(err)
	}
	if where != filepath.Join(root, "done", "b1") {
		t.Errorf("moved to %s", where)
	}
	for _, f := range []string{"Inventory.CSV", "plan.yaml", Marker, ReportName} {
		if _, err := os.Stat(filepath.Join(where, f)); err != nil {
			t.Errorf("done/b1/%s: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "b1")); !os.IsNotExist(err) {
		t.Errorf("batch still in the inbox: %v", err)
	}
	// A second batch of the same name does not replace the first.
	write(t, filepath.Join(root, "b1/plan.yaml"), "plan 2", now)
	bs, _, _ = d.List(ctx)
	bs = append(bs, Batch{ID: "b1"}) // Finish only needs the ID for Dir
	where, err = d.Finish(ctx, bs[len(bs)-1], Failed, nil)
	if err != nil || where != filepath.Join(root, "failed", "b1") {
		t.Fatalf("second finish: %s %v", where, err)
	}
	write(t, filepath.Join(root, "b1/plan.yaml"), "plan 3", now)
	where, err = d.Finish(ctx, Batch{ID: "b1"}, Failed, nil)
	if err != nil || where != filepath.Join(root, "failed", "b1-2") {
		t.Fatalf("third finish: %s %v", where, err)
	}
	if _, err := d.Finish(ctx, Batch{ID: "gone"}, Done, nil); !errors.Is(err, ErrNoBatch) {
		t.Errorf("finishing a missing batch: %v", err)
	}
}

func TestInputsNamesWhatIsMissing(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "clearances.yaml"), "x", time.Now())
	_, err := Inputs(dir)
	if err == nil || !strings.Contains(err.Error(), "inventory.csv") || !strings.Contains(err.Error(), "plan.yaml") {
		t.Errorf("missing inputs: %v", err)
	}
	write(t, filepath.Join(dir, "plan.yaml"), "x", time.Now())
	write(t, filepath.Join(dir, "plan.json"), "x", time.Now())
	write(t, filepath.Join(dir, "inventory.csv"), "x", time.Now())
	if _, err := Inputs(dir); err == nil || !strings.Contains(err.Error(), "two plan files") {
		t.Errorf("two plans: %v", err)
	}
}
