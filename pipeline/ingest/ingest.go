// Package ingest reads clearpack's three inputs (the asset inventory, the
// shipment plan and the clearance records), validates them against the JSON
// Schemas embedded in package templates plus the checks a schema cannot make
// (ISO country and currency codes, exact decimal bounds, cross-file
// references), and turns them into model records.
//
// Every fault is a Problem naming the file, line and field, what was found
// and what was expected. Faults in one record never stop the others: a bad
// inventory row is dropped and fails only the shipments that carry it; a bad
// shipment fails alone. Load returns an error only when a whole file cannot
// be used.
//
// Text is kept exactly as written. Text that a spreadsheet would run as a
// formula is accepted; use Inert for any CSV or spreadsheet output. PDFs print
// it literally.
package ingest

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sync"

	"github.com/clearpack/clearpack/pipeline/model"
)

// Files names the three inputs. Clearances is optional (""); so is Mapping,
// a mapping file describing the inventory's export (see Mapping).
type Files struct{ Inventory, Plan, Clearances, Mapping string }

// Limits bound what Load reads. Zero fields take the defaults.
type Limits struct {
	// MaxFileBytes: a larger file is refused before it is read.
	MaxFileBytes int64
	// MaxFieldBytes: the longest CSV field. A CSV line may be at most 64
	// times this long before a line break, so a file without line breaks is
	// refused after reading that much, not read whole.
	MaxFieldBytes int
	// MaxRows: the most CSV data rows or records per file.
	MaxRows int
}

// DefaultLimits are 256 MiB per file, 4 KiB per CSV field, 1,000,000 rows.
func DefaultLimits() Limits {
	return Limits{MaxFileBytes: 256 << 20, MaxFieldBytes: 4 << 10, MaxRows: 1_000_000}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = d.MaxFileBytes
	}
	if l.MaxFieldBytes <= 0 {
		l.MaxFieldBytes = d.MaxFieldBytes
	}
	if l.MaxRows <= 0 {
		l.MaxRows = d.MaxRows
	}
	return l
}

// What each input is expected to hold, for the message on an empty file.
const (
	expectInventory  = "a header row or a document"
	expectPlan       = "a shipment plan: YAML or JSON with a program and a list of shipments"
	expectClearances = "a header row or a document"
)

// maxProblems per file: past it the file is refused as a whole (it is
// probably not the file that was meant).
const maxProblems = 10_000

// Problem is one fault in the input.
type Problem struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Field    string `json:"field"`
	Found    string `json:"found"`
	Expected string `json:"expected"`
	Msg      string `json:"message"`
	// Shipment is the id of the shipment this fault fails ("" when it fails
	// none); AssetTag the asset it is about, when known.
	Shipment string `json:"shipment,omitempty"`
	AssetTag string `json:"asset_tag,omitempty"`
}

// Error reads "<file>:<line>: <field>: <msg>: found <found>, expected <expected>".
func (p Problem) Error() string {
	return fmt.Sprintf("%s:%d: %s: %s: found %s, expected %s", p.File, p.Line, p.Field, p.Msg, p.Found, p.Expected)
}

// Input is one file read, as the audit trail records it.
type Input struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

// Batch is everything Load read.
type Batch struct {
	// Plan holds every shipment parsed, good or bad, so that failures can be
	// reported per shipment. A shipment whose id is missing is given the id
	// "#N" (N its 1-based position in the plan), which no valid id can be.
	// A shipment fails when ShipmentProblems(id) is not empty.
	Plan *model.Plan
	// Assets are the good assets by tag.
	Assets map[string]*model.Asset
	// Reported are the asset tags shipments list that are not in Assets
	// (a refused inventory row, or no row at all): the problems of those
	// shipments already say why.
	Reported map[string]bool
	// Clearances are the good clearance records by shipment id, for a
	// batch read by Load. Index keeps them in a store instead and leaves
	// Clearances nil: read them with Clearance, which serves both.
	Clearances map[string]*model.Clearance
	// Problems is everything found, in file then line order.
	Problems []Problem
	// Inputs are the files read, with their SHA-256.
	Inputs []Input

	// store holds the good assets instead of Assets when the batch was
	// read by Index.
	store *assetStore
	ships *shipStore
	// clears holds the good clearances instead of Clearances when the
	// batch was read by Index with a clearances file.
	clears *clearStore

	byShipment map[string][]Problem
	fileOnly   []Problem
	// planInParts: the plan was read one shipment at a time;
	// clearancesInParts: the clearances one record at a time.
	planInParts, clearancesInParts bool
}

// ShipmentProblems returns the problems that make shipment id fail: its own,
// those of the inventory rows of its assets, and the cross-file ones.
func (b *Batch) ShipmentProblems(id string) []Problem {
	return slices.Clone(b.byShipment[id])
}

// FileProblems returns the problems that fail no shipment (a spare asset's
// bad row, an unknown column in the clearances, a clearance for a shipment
// not in the plan): reported, not fatal.
func (b *Batch) FileProblems() []Problem { return slices.Clone(b.fileOnly) }

// Asset returns the good asset with the tag (see Assets). A batch read by
// Index reads it back from its store: each call returns a new copy, and an
// error is the store's file failing.
func (b *Batch) Asset(tag string) (*model.Asset, bool, error) {
	if b.store == nil {
		a, ok := b.Assets[tag]
		return a, ok && a != nil, nil
	}
	return b.store.get(tag)
}

// Clearance returns the good clearance record of shipment id (see
// Clearances). A batch read by Index reads it back from its store: each
// call returns a new copy, and an error is the store's file failing.
func (b *Batch) Clearance(id string) (*model.Clearance, bool, error) {
	if b.clears == nil {
		c, ok := b.Clearances[id]
		return c, ok && c != nil, nil
	}
	return b.clears.get(id)
}

// GoodAssets is the number of good assets.
func (b *Batch) GoodAssets() int {
	if b.store == nil {
		return len(b.Assets)
	}
	return b.store.len()
}

// Close lets go of what the batch holds outside the heap (the asset, plan
// and clearance stores of Index; nothing for Load). Asset and Clearance
// must not be called after.
func (b *Batch) Close() error {
	if b == nil {
		return nil
	}
	return errors.Join(b.store.close(), b.ships.close(), b.clears.close())
}

// Load reads and checks the three inputs. The error is for a file that
// cannot be used at all (missing, empty, too big, wrong delimiter, not
// parseable); faults in records are Batch.Problems.
func Load(ctx context.Context, f Files, lim Limits) (*Batch, error) {
	return load(ctx, f, lim, false)
}

// Index is Load for programs of any size: the same checks, problems and
// batch, except that the good assets are kept in a temporary file with an
// index by tag instead of in Assets (which is left nil): Batch.Asset reads
// one back. What stays in memory per asset is its index entry (32 bytes,
// which the collector does not scan), not the record. The plan's shipments
// are written to another temporary file as they are read, the plan holding
// their outlines (Plan.Len, Plan.Outline; Plan.Shipments is nil):
// Plan.Shipment reads one back whole. The good clearances are kept in a
// third, indexed by shipment id, instead of in Clearances (left nil):
// Batch.Clearance reads one back. The caller closes the batch.
func Index(ctx context.Context, f Files, lim Limits) (*Batch, error) {
	return loadWith(ctx, f, lim, false, true)
}

func load(ctx context.Context, f Files, lim Limits, wholePlan bool) (*Batch, error) {
	return loadWith(ctx, f, lim, wholePlan, false)
}

func loadWith(ctx context.Context, f Files, lim Limits, wholePlan, indexed bool) (b *Batch, err error) {
	lim = lim.withDefaults()
	sch, err := loadSchemas()
	if err != nil {
		return nil, fmt.Errorf("loading schemas: %w", err)
	}
	l := &loader{ctx: ctx, lim: lim, sch: sch, ck: newChecker(), in: newInterner(),
		b:         &Batch{Reported: map[string]bool{}, byShipment: map[string][]Problem{}},
		badAssets: map[string][]int{}, wholePlan: wholePlan,
	}
	if indexed {
		if l.b.store, err = newAssetStore(); err != nil {
			return nil, err
		}
		defer func() {
			if err != nil {
				l.b.store.close()
			}
		}()
	} else {
		l.b.Assets = map[string]*model.Asset{}
		l.b.Clearances = map[string]*model.Clearance{}
	}
	var mapIn []Input
	if f.Mapping != "" {
		if err := l.loadMapping(f.Mapping); err != nil {
			return nil, err
		}
		// Recorded after the others: the inputs keep their order.
		mapIn, l.b.Inputs = l.b.Inputs, nil
	}
	if err := l.inventory(f.Inventory); err != nil {
		return nil, err
	}
	// Only the inventory checks serials and tag lines: free them before the
	// plan. The asset index is complete: sorted once, it is read from here
	// on (concurrently, once Load has returned).
	l.seen = nil
	if l.b.store != nil {
		if l.b.store.puts() > 1<<17 {
			// The seen sets of a large inventory (~150 bytes a unit) are
			// garbage now: collect them before seal allocates the sorted
			// index (32 bytes a unit), so that it takes their place
			// instead of adding to the peak (+36 MB at 1,000,000 units).
			runtime.GC()
		}
		l.b.store.seal()
	}
	// An indexed plan's shipments go to a store as they are read (see
	// planResult): what is read after the plan (the clearances, the
	// cross-file checks) reads of them only their outline.
	defer func() {
		if err != nil {
			l.b.ships.close()
		}
	}()
	if err := l.plan(f.Plan); err != nil {
		return nil, err
	}
	if f.Clearances != "" {
		if indexed {
			if l.b.clears, err = newClearStore(); err != nil {
				return nil, err
			}
			defer func() {
				if err != nil {
					l.b.clears.close()
				}
			}()
		}
		if err := l.clearances(f.Clearances); err != nil {
			return nil, err
		}
		if l.b.clears != nil {
			if err := l.b.clears.flush(); err != nil {
				return nil, err
			}
		}
	}
	l.cross()
	l.finish(f)
	l.b.Inputs = append(l.b.Inputs, mapIn...)
	if l.b.store != nil {
		if err := cmpErr(l.b.store.flush(), l.storeErr); err != nil {
			return nil, err
		}
	}
	return l.b, nil
}

// putAsset keeps a good asset; dropAsset lets go of one found bad later.
func (l *loader) putAsset(a *model.Asset) {
	if l.b.store != nil {
		l.b.store.put(a)
		return
	}
	l.b.Assets[a.AssetTag] = a
}

// putClearance keeps a good clearance of shipment id; clearanceLine is the
// line of the one kept, if any; dropClearance lets go of it.
func (l *loader) putClearance(id string, c *model.Clearance) {
	if l.b.clears != nil {
		l.b.clears.put(id, c)
		return
	}
	l.b.Clearances[id] = c
}

func (l *loader) clearanceLine(id string) (int, bool) {
	if l.b.clears != nil {
		return l.b.clears.line(id)
	}
	c, ok := l.b.Clearances[id]
	if !ok {
		return 0, false
	}
	return c.Src.Line, true
}

func (l *loader) dropClearance(id string) {
	if l.b.clears != nil {
		l.b.clears.drop(id)
		return
	}
	delete(l.b.Clearances, id)
}

func (l *loader) dropAsset(tag string) {
	if l.b.store != nil {
		l.b.store.drop(tag)
		return
	}
	delete(l.b.Assets, tag)
}

// assetYear is what the cross-file checks need of a good asset: its year
// of manufacture and where it is in the inventory.
func (l *loader) assetYear(tag string) (year int, file string, line int, ok bool) {
	if l.b.store != nil {
		r, ok := l.b.store.ref(tag)
		return int(r.year), l.invPath, int(r.line), ok
	}
	a, ok := l.b.Assets[tag]
	if !ok {
		return 0, "", 0, false
	}
	return a.YearOfMfr, a.Src.File, a.Src.Line, true
}

// lookAsset reads a good asset; a store that fails to read is reported
// when Load returns.
func (l *loader) lookAsset(tag string) (*model.Asset, bool) {
	a, ok, err := l.b.Asset(tag)
	if err != nil && l.storeErr == nil {
		l.storeErr = err
	}
	return a, ok
}

type loader struct {
	ctx context.Context
	lim Limits
	sch *schemas
	ck  *checker
	in  *interner
	b   *Batch

	// problems collected, each with the shipment ids it fails (possibly none).
	probs []attributed
	// badAssets: tag -> the problems of its dropped row(s).
	badAssets map[string][]int
	// seen: the lines of the tags (of good and bad rows) and serials.
	seen      *seen
	shipIndex map[string]int // id -> index in Plan.Shipments
	ps        *planState
	// wholePlan turns off reading a plan in parts (tests compare the two).
	wholePlan bool
	// mapping describes the inventory's export; nil for none.
	mapping *Mapping
	// invPath is the inventory's path; storeErr the asset store's first
	// read error.
	invPath  string
	storeErr error
}

type serialSeen struct {
	tag    string
	line   int
	serial string // as written
}

type attributed struct {
	p     Problem
	ships []string
}

func (l *loader) add(p Problem, ships ...string) {
	if len(ships) > 0 {
		p.Shipment = ships[0]
	}
	l.probs = append(l.probs, attributed{p: p, ships: ships})
}

// finish sorts the problems and files them by shipment.
func (l *loader) finish(f Files) {
	order := map[string]int{f.Inventory: 0, f.Plan: 1, f.Clearances: 2}
	slices.SortStableFunc(l.probs, func(a, b attributed) int {
		return cmp.Or(cmp.Compare(order[a.p.File], order[b.p.File]), cmp.Compare(a.p.Line, b.p.Line),
			cmp.Compare(a.p.Field, b.p.Field), cmp.Compare(a.p.Msg, b.p.Msg), cmp.Compare(a.p.Found, b.p.Found))
	})
	for _, a := range l.probs {
		l.b.Problems = append(l.b.Problems, a.p)
		if len(a.ships) == 0 {
			l.b.fileOnly = append(l.b.fileOnly, a.p)
			continue
		}
		for _, s := range a.ships {
			q := a.p
			q.Shipment = s
			l.b.byShipment[s] = append(l.b.byShipment[s], q)
		}
	}
}

// open opens a file after checking its size, and returns a reader that
// hashes what is read. done records the Input once the file is consumed.
// expected says what the file should hold, for the message on an empty one.
func (l *loader) open(path, expected string) (*os.File, io.Reader, func() Input, error) {
	if err := l.ctx.Err(); err != nil {
		return nil, nil, nil, fmt.Errorf("reading %s: %w", path, err)
	}
	fh, st, err := openRegular(path)
	if err != nil {
		return nil, nil, nil, err
	}
	if st.Size() == 0 {
		fh.Close()
		return nil, nil, nil, fmt.Errorf("%s:1: file is empty: found 0 bytes, expected %s", path, expected)
	}
	if st.Size() > l.lim.MaxFileBytes {
		fh.Close()
		return nil, nil, nil, fmt.Errorf("%s: file too big: found %d bytes, expected at most %d bytes (the configured limit)", path, st.Size(), l.lim.MaxFileBytes)
	}
	h := sha256.New()
	c := &counter{}
	r := io.TeeReader(fh, io.MultiWriter(h, c))
	done := func() Input {
		return Input{Path: path, SHA256: hex.EncodeToString(h.Sum(nil)), Bytes: c.n}
	}
	return fh, r, done, nil
}

// openRegular opens an input that must be a regular file (a symbolic link
// to one is fine). Anything else is refused before it is opened: opening a
// named pipe waits for a writer, and reading a device may never end.
func openRegular(path string) (*os.File, os.FileInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		if pe, ok := err.(*os.PathError); ok {
			pe.Op = "open" // as os.Open would say
		}
		return nil, nil, fmt.Errorf("opening input: %w", err)
	}
	if err := regular(path, st); err != nil {
		return nil, nil, err
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("opening input: %w", err)
	}
	// The name may have been replaced between the two looks.
	if st, err = fh.Stat(); err == nil {
		err = regular(path, st)
	}
	if err != nil {
		fh.Close()
		return nil, nil, err
	}
	return fh, st, nil
}

// regular refuses what is not a regular file, naming what it is.
func regular(path string, st os.FileInfo) error {
	m := st.Mode()
	if m.IsRegular() {
		return nil
	}
	what := "a special file"
	switch {
	case m.IsDir():
		what = "a directory"
	case m&os.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case m&os.ModeSocket != 0:
		what = "a socket"
	case m&os.ModeCharDevice != 0:
		what = "a character device"
	case m&os.ModeDevice != 0:
		what = "a block device"
	}
	return fmt.Errorf("%s: not a file: found %s, expected a regular file", path, what)
}

// drain reads the rest of a file so its hash covers all of it.
func drain(r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	return err
}

type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// Lookup reads a batch's assets and clearances as the rules take them
// (found or not, rules.Input's Asset and Clearance), keeping the first
// store read failure for Err: a check must not take a failing store for a
// missing record, and the caller fails on Err once the checks have run.
// Safe for concurrent use.
type Lookup struct {
	b   *Batch
	mu  sync.Mutex
	err error
}

// Lookup returns a new Lookup over the batch.
func (b *Batch) Lookup() *Lookup { return &Lookup{b: b} }

// Asset is Batch.Asset, its error kept.
func (l *Lookup) Asset(tag string) (*model.Asset, bool) {
	a, ok, err := l.b.Asset(tag)
	l.keep(err)
	return a, ok
}

// Clearance is Batch.Clearance, its error kept.
func (l *Lookup) Clearance(id string) (*model.Clearance, bool) {
	c, ok, err := l.b.Clearance(id)
	l.keep(err)
	return c, ok
}

// Err is the first read failure, if any.
func (l *Lookup) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

func (l *Lookup) keep(err error) {
	if err == nil {
		return
	}
	l.mu.Lock()
	if l.err == nil {
		l.err = err
	}
	l.mu.Unlock()
}
