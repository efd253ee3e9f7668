package ingest_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/bench/gen"
	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/model"
)

// TestIndexHoldsAnIndexNotTheAssets: what an indexed batch keeps in memory
// per asset is its index entry, not the record. The same generated program
// is read with its inventory as written and with 6,000 spare units added
// (units no shipment lists, so the plan and clearances are the same); the
// live heap that holding the batch adds per spare unit is measured for
// Index and, as the control that shows the measure sees a held record, for
// Load. Load holds each record (~0.7 KB here); Index must stay under 48
// bytes a unit (its entry is 32 bytes in a sorted slice; the map of the
// same entries it replaced held ~67).
func TestIndexHoldsAnIndexNotTheAssets(t *testing.T) {
	if testing.Short() {
		t.Skip("reads four programs of thousands of units")
	}
	dir := t.TempDir()
	fs := sampleProgram(t, dir, 1000)
	const spares = 6000
	more := filepath.Join(dir, "inventory-more.csv")
	addSpares(t, fs.Inventory, more, spares)

	held := func(load loadFunc, inv string) uint64 {
		t.Helper()
		return heldBy(t, load, ingest.Files{Inventory: inv, Plan: fs.Plan, Clearances: fs.Clearances}, nil)
	}
	perSpare := func(load loadFunc) float64 {
		base, grown := held(load, fs.Inventory), held(load, more)
		return (float64(grown) - float64(base)) / spares
	}
	loaded, indexed := perSpare(ingest.Load), perSpare(ingest.Index)
	t.Logf("live heap per spare unit: Load %.0f bytes, Index %.0f bytes", loaded, indexed)
	if loaded < 400 {
		t.Fatalf("Load holds %.0f bytes per unit: the measure does not see a held record", loaded)
	}
	if indexed > 48 { // a 32-byte entry an asset; the map it replaced held ~67
		t.Fatalf("Index holds %.0f bytes per unit (Load %.0f): the records are held, not an index", indexed, loaded)
	}
}

// addSpares copies an inventory and adds n spare units: copies of its rows
// with new asset tags and serials.
func addSpares(t *testing.T, from, to string, n int) {
	t.Helper()
	f, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	tagCol, serialCol := slices.Index(rows[0], "asset_tag"), slices.Index(rows[0], "serial")
	if tagCol < 0 || serialCol < 0 {
		t.Fatalf("no asset_tag or serial column in %v", rows[0])
	}
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(out)
	_ = w.WriteAll(rows)
	for i := range n {
		r := slices.Clone(rows[1+i%(len(rows)-1)])
		r[tagCol] = r[tagCol] + "-SP" + strconv.Itoa(i)
		r[serialCol] = r[serialCol] + "SP" + strconv.Itoa(i)
		_ = w.Write(r)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestIndexKeepsThePlanOutOfTheHeap: an indexed batch keeps each shipment
// of the plan whole in its store, and in memory only its outline
// (model.Outline: id, direction, origin, destination, ship date, asset tags,
// source). On a generated program the heap the plan holds is measured, by
// letting go of it, for Load (the control that shows the measure sees held
// entries: ~3.5 KB a shipment here, 1 KB of it the Shipment struct) and for
// Index, which must hold under a fifth of it (~0.55 KB: mostly the asset
// tags). That what is read back is Load's entry is TestIndexSameAsLoad's.
func TestIndexKeepsThePlanOutOfTheHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("reads two programs of thousands of units")
	}
	fs := sampleProgram(t, t.TempDir(), 8000)
	files := ingest.Files{Inventory: fs.Inventory, Plan: fs.Plan, Clearances: fs.Clearances}
	planHeap := func(load loadFunc) (*ingest.Batch, float64) {
		t.Helper()
		b := loadClean(t, load, files)
		p := b.Plan
		n := p.Len()
		runtime.GC()
		var with, without runtime.MemStats
		runtime.ReadMemStats(&with)
		b.Plan = nil
		*p = model.Plan{}
		runtime.GC()
		runtime.ReadMemStats(&without)
		b.Plan = p
		return b, (float64(with.HeapAlloc) - float64(without.HeapAlloc)) / float64(n)
	}
	loaded, lh := planHeap(ingest.Load)
	defer loaded.Close()
	indexed, ih := planHeap(ingest.Index)
	defer indexed.Close()
	t.Logf("heap the plan's entries hold, per shipment: Load %.0f bytes, Index %.0f bytes", lh, ih)
	if lh < 2000 {
		t.Fatalf("Load's entries hold %.0f bytes a shipment: the measure does not see the entries", lh)
	}
	if ih > lh/5 {
		t.Fatalf("Index's entries hold %.0f bytes a shipment (Load %.0f): the shipments are held, not their outline", ih, lh)
	}
}

// TestIndexKeepsTheClearancesOutOfTheHeap: an indexed batch keeps each good
// clearance record in its store, and in memory only its index entry (the
// shipment id's hash, the record's place and line). A generated program is
// read with the first half of its clearance records and with all of them
// (the same inventory and plan); the live heap that holding the batch adds
// per added clearance is measured for Load (the control that shows the
// measure sees a held record: ~1.2 KB here, text, decimals, lines and
// taxes) and for Index, which must hold under a tenth of it and under 200
// bytes (its entry is 40 bytes in a map without pointers). What is read
// back is Load's record: TestIndexSameAsLoad.
func TestIndexKeepsTheClearancesOutOfTheHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("reads four programs of thousands of units")
	}
	dir := t.TempDir()
	fs := sampleProgram(t, dir, 16000)
	half := filepath.Join(dir, "clearances-half.yaml")
	all, kept := halveClearances(t, fs.Clearances, half)
	added := all - kept

	held := func(load loadFunc, clearances string, want int) uint64 {
		t.Helper()
		return heldBy(t, load, ingest.Files{Inventory: fs.Inventory, Plan: fs.Plan, Clearances: clearances}, func(b *ingest.Batch) {
			found := 0
			for i := range b.Plan.Len() {
				if _, ok, err := b.Clearance(b.Plan.Outline(i).ID); err != nil {
					t.Fatal(err)
				} else if ok {
					found++
				}
			}
			if found != want {
				t.Fatalf("%d clearances found, want %d", found, want)
			}
		})
	}
	perClearance := func(load loadFunc) float64 {
		base, grown := held(load, half, kept), held(load, fs.Clearances, all)
		return (float64(grown) - float64(base)) / float64(added)
	}
	loaded, indexed := perClearance(ingest.Load), perClearance(ingest.Index)
	t.Logf("live heap per clearance (%d added to %d): Load %.0f bytes, Index %.0f bytes", added, kept, loaded, indexed)
	if loaded < 800 {
		t.Fatalf("Load holds %.0f bytes per clearance: the measure does not see a held record", loaded)
	}
	if indexed > 200 || indexed > loaded/10 {
		t.Fatalf("Index holds %.0f bytes per clearance (Load %.0f): the records are held, not an index", indexed, loaded)
	}
}

// halveClearances copies the first half of a generated clearances file's
// records (a block-style "clearances:" list) to to, and returns how many
// records the file has and how many were copied.
func halveClearances(t *testing.T, from, to string) (all, kept int) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	var starts []int
	for i, l := range lines {
		if strings.HasPrefix(l, "  - ") {
			starts = append(starts, i)
		}
	}
	if len(starts) < 100 {
		t.Fatalf("%s: %d clearance records, expected a generated file of hundreds", from, len(starts))
	}
	kept = len(starts) / 2
	if err := os.WriteFile(to, []byte(strings.Join(lines[:starts[kept]], "")), 0o600); err != nil {
		t.Fatal(err)
	}
	return len(starts), kept
}

// loadFunc is ingest.Load or ingest.Index.
type loadFunc func(context.Context, ingest.Files, ingest.Limits) (*ingest.Batch, error)

// sampleProgram writes a program of units generated from the sample into dir.
func sampleProgram(t *testing.T, dir string, units int) gen.Files {
	t.Helper()
	s, err := gen.ReadSample("../../testdata/sample")
	if err != nil {
		t.Fatal(err)
	}
	fs, _, err := s.Write(dir, units)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// loadClean reads files with load; a problem fails the test.
func loadClean(t *testing.T, load loadFunc, files ingest.Files) *ingest.Batch {
	t.Helper()
	b, err := load(context.Background(), files, ingest.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Problems) != 0 {
		t.Fatalf("problems: %v", b.Problems[:min(3, len(b.Problems))])
	}
	return b
}

// heldBy is the live heap a batch read from files holds (0 if the heap
// shrank), check having looked at it first.
func heldBy(t *testing.T, load loadFunc, files ingest.Files, check func(*ingest.Batch)) uint64 {
	t.Helper()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b := loadClean(t, load, files)
	if check != nil {
		check(b)
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(b)
	b.Close()
	if after.HeapAlloc < before.HeapAlloc {
		return 0
	}
	return after.HeapAlloc - before.HeapAlloc
}
