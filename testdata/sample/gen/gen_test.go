package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFilesUpToDate fails when the committed sample files differ from what
// the generator writes, so an edit to a generated file (or to the generator
// without regenerating) does not go unnoticed.
func TestFilesUpToDate(t *testing.T) {
	files, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"inventory.csv", "plan.yaml", "clearances.yaml"} {
		t.Run(name, func(t *testing.T) {
			got, ok := files[name]
			if !ok {
				t.Fatalf("generator wrote no %s", name)
			}
			want, err := os.ReadFile(filepath.Join("..", name))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("testdata/sample/%s is not what the generator writes; run: go run ./testdata/sample/gen -out testdata/sample", name)
			}
		})
	}
}

// TestDeterministic generates twice and expects identical bytes.
func TestDeterministic(t *testing.T) {
	a, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	b, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
}

// TestCheckCatches shows the generator's own check refuses a broken program.
func TestCheckCatches(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(p *planFile)
		want   string
	}{
		{"unknown asset", func(p *planFile) { p.Shipments[0].Assets = append(p.Shipments[0].Assets, "MC-SRV-99999") }, "unknown asset MC-SRV-99999"},
		{"asset on two shipments", func(p *planFile) {
			p.Shipments[1].Assets = append(p.Shipments[1].Assets, p.Shipments[0].Assets[0])
			p.Shipments[1].Packages[0].Assets = append(p.Shipments[1].Packages[0].Assets, p.Shipments[0].Assets[0])
		}, "also on APL26-VN-01"},
		{"unpacked asset", func(p *planFile) { p.Shipments[2].Packages[0].Assets = p.Shipments[2].Packages[0].Assets[1:] }, "packages hold"},
		{"invoice after shipping", func(p *planFile) { p.Shipments[3].InvoiceDate = "2026-12-01" }, "after ship date"},
		{"expired permit", func(p *planFile) { p.Shipments[7].Permits[0].ValidUntil = "2026-01-01" }, "expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := newGen()
			if err != nil {
				t.Fatal(err)
			}
			plan, err := g.build()
			if err != nil {
				t.Fatal(err)
			}
			if err := g.check(plan); err != nil {
				t.Fatalf("sample program fails its own check: %v", err)
			}
			tt.break_(plan)
			err = g.check(plan)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("check: %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
