package inbox

import (
	"path/filepath"
	"testing"
	"time"
)

// TestInputsFindsTheBatchMapping: a batch may bring its own mapping file.
func TestInputsFindsTheBatchMapping(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"inventory.csv", "plan.yaml", "Mapping.yaml"} {
		write(t, filepath.Join(dir, n), "x", time.Now())
	}
	f, err := Inputs(dir)
	if err != nil || f.Mapping != filepath.Join(dir, "Mapping.yaml") || f.Clearances != "" {
		t.Fatalf("Inputs = %+v, %v; want the batch's Mapping.yaml", f, err)
	}
	write(t, filepath.Join(dir, "mapping.json"), "x", time.Now())
	if _, err := Inputs(dir); err == nil {
		t.Error("two mapping files accepted")
	}
}
