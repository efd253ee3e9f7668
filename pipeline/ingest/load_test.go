package ingest

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadErrors covers files that cannot be used at all: Load returns an
// error naming the file (and line where there is one), what was found and
// what was expected.
func TestLoadErrors(t *testing.T) {
	fx := readFixtures(t)
	cases := []struct {
		name  string
		files map[string]string // overrides by name
		inv   string            // inventory file name, default inventory.csv
		plan  string
		lim   Limits
		want  []string
	}{
		{name: "empty inventory", files: map[string]string{"inventory.csv": ""},
			want: []string{"inventory.csv:1: file is empty: found 0 bytes"}},
		{name: "inventory with only a BOM", files: map[string]string{"inventory.csv": "\ufeff"},
			want: []string{"inventory.csv:1: file is empty: found no header row, expected a header row"}},
		{name: "empty plan", files: map[string]string{"plan.yaml": "\n  \n"},
			want: []string{"plan.yaml:1: file is empty: found only blank space"}},
		{name: "plan of comments only", files: map[string]string{"plan.yaml": "# nothing yet\n"},
			want: []string{"plan.yaml:1: file is empty: found no document"}},
		{name: "semicolon delimiter", files: map[string]string{"inventory.csv": strings.ReplaceAll(fx.inv, ",", ";")},
			want: []string{"inventory.csv:1: header: wrong delimiter: found semicolon (\";\"), expected comma-separated columns"}},
		{name: "tab delimiter", files: map[string]string{"inventory.csv": strings.ReplaceAll(fx.inv, ",", "\t")},
			want: []string{"inventory.csv:1: header: wrong delimiter: found tab (\"\\t\"), expected comma-separated columns"}},
		{name: "missing required column", files: map[string]string{"inventory.csv": strings.Replace(fx.inv, "hs_code", "tariff", 1)},
			want: []string{"inventory.csv:1: hs_code: missing required column: found columns \"asset_tag\", \"serial\"", "expected also hs_code"}},
		{name: "duplicate column", files: map[string]string{"inventory.csv": strings.Replace(fx.inv, "part_number", "Serial Number", 1)},
			want: []string{"inventory.csv:1: Serial Number: duplicate column: found \"serial\" and \"Serial Number\" (columns 2 and 5), expected each column once"}},
		{name: "invalid UTF-8 in header", files: map[string]string{"inventory.csv": "asset_tag,ser\xc3ial\n"},
			want: []string{"inventory.csv:1: header column 2: invalid UTF-8: found \"ser\ufffdial\", expected UTF-8 text"}},
		{name: "invalid UTF-8 in plan", files: map[string]string{"plan.yaml": strings.Replace(fx.plan, "FRA-SGN", "FRA-\xe0SGN", 1)},
			want: []string{"plan.yaml:11: column 39: invalid UTF-8: found byte 0xE0, expected UTF-8 text"}},
		{name: "plan not YAML", files: map[string]string{"plan.yaml": "program: [x\nshipments: {\n"},
			want: []string{"plan.yaml: not parseable as YAML or JSON: found line", "expected a YAML or JSON document"}},
		{name: "plan is a list", files: map[string]string{"plan.yaml": "- a\n- b\n"},
			want: []string{"plan.yaml:1: not a shipment plan: found a list of 2 items, expected a mapping with program and shipments"}},
		{name: "JSON inventory of the wrong shape", inv: "inventory.json", files: map[string]string{"inventory.json": `{"items": []}`},
			want: []string{"inventory.json:1: assets: not an inventory: found nothing, expected an array of assets"}},
		{name: "file too big", lim: Limits{MaxFileBytes: 100},
			want: []string{"inventory.csv: file too big: found 682 bytes, expected at most 100 bytes"}},
		{name: "too many rows", lim: Limits{MaxRows: 2},
			want: []string{"inventory.csv: too many rows: found more than 2, expected at most 2"}},
		{name: "missing file", files: map[string]string{"plan.yaml": "-"},
			want: []string{"opening input: open ", "plan.yaml: no such file"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv, plan := "inventory.csv", "plan.yaml"
			if c.inv != "" {
				inv = c.inv
			}
			files := map[string]string{inv: fx.inv, plan: fx.plan}
			for k, v := range c.files {
				files[k] = v
			}
			dir := t.TempDir()
			for k, v := range files {
				if v == "-" {
					continue
				}
				if err := os.WriteFile(filepath.Join(dir, k), []byte(v), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Load(context.Background(), Files{Inventory: filepath.Join(dir, inv), Plan: filepath.Join(dir, plan)}, c.lim)
			if err == nil {
				t.Fatalf("Load succeeded, want error %q", c.want)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// TestHugeGarbage: a 100 MB file that is not an inventory is refused with a
// clear error after reading only its start.
func TestHugeGarbage(t *testing.T) {
	fx := readFixtures(t)
	const size = 100 << 20
	cases := []struct {
		name string
		fill func(w io.Writer) error
		want string
	}{
		{name: "one endless line", fill: func(w io.Writer) error {
			line := []byte(strings.Repeat("A", 1<<16))
			for n := 0; n < size; n += len(line) {
				if _, err := w.Write(line); err != nil {
					return err
				}
			}
			return nil
		}, want: "inventory.csv:1: header: line too long: found more than 262144 bytes without a line break, expected a CSV header row"},
		{name: "random bytes", fill: func(w io.Writer) error {
			_, err := io.CopyN(w, rand.Reader, size)
			return err
		}, want: "inventory.csv:1: header"},
		{name: "header then an endless field", fill: func(w io.Writer) error {
			if _, err := io.WriteString(w, strings.SplitN(fx.inv, "\n", 2)[0]+"\nA-1,\""); err != nil {
				return err
			}
			line := []byte(strings.Repeat("B", 1<<16))
			for n := 0; n < size; n += len(line) {
				if _, err := w.Write(line); err != nil {
					return err
				}
			}
			return nil
		}, want: "inventory.csv:2: line too long: found more than 262144 bytes without a line break"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			inv := filepath.Join(dir, "inventory.csv")
			f, err := os.Create(inv)
			if err != nil {
				t.Fatal(err)
			}
			bw := bufio.NewWriterSize(f, 1<<20)
			if err := c.fill(bw); err != nil {
				t.Fatal(err)
			}
			if err := errors.Join(bw.Flush(), f.Close()); err != nil {
				t.Fatal(err)
			}
			plan := filepath.Join(dir, "plan.yaml")
			if err := os.WriteFile(plan, []byte(fx.plan), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err = Load(context.Background(), Files{Inventory: inv, Plan: plan}, Limits{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to say %q", err, c.want)
			}
		})
	}
}

func TestInert(t *testing.T) {
	cases := map[string]string{
		"=cmd|' /C calc'!A0": "'=cmd|' /C calc'!A0",
		"+1+1":               "'+1+1",
		"-2+3":               "'-2+3",
		"@SUM(A1)":           "'@SUM(A1)",
		"\tx":                "'\tx",
		"\rx":                "'\rx",
		"＝1+1":               "'＝1+1",
		"PowerEdge R740":     "PowerEdge R740",
		"Máy chủ":            "Máy chủ",
		"":                   "",
	}
	for in, want := range cases {
		t.Run(fmt.Sprintf("%q", in), func(t *testing.T) {
			if got := Inert(in); got != want {
				t.Errorf("Inert(%q) = %q, want %q", in, got, want)
			}
		})
	}
}

func TestContextCancelled(t *testing.T) {
	fx := readFixtures(t)
	p := write(t, t.TempDir(), map[string]string{"inventory.csv": fx.inv, "plan.yaml": fx.plan})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Load(ctx, Files{Inventory: p["inventory.csv"], Plan: p["plan.yaml"]}, Limits{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}
