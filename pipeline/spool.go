package pipeline

import (
	"bufio"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/clearpack/clearpack/pipeline/rules"
)

// A spool holds the shipments a run will dispatch, checked and copied out of
// the batch, in a temporary file instead of the heap.
//
// A run reads and checks the whole program first (the cross-shipment checks
// see all of it), then dispatches shipment after shipment for minutes or
// hours. Kept in memory meanwhile, a 100,000-unit program is ~150 MB of
// pointer-rich heap under the 200 MiB soft limit, and the collector spends
// most of the run marking it (3.6x the CPU per unit of a 10,000-unit run).
// So, once checked, each shipment the run owns is written here in plan order
// (its plan entry, assets, clearance, problems and rules report) and let go
// of in the batch; the dispatching loop reads it back when it dispatches it.
// The live heap during the run is then the shipments in flight, whatever the
// program's size.
//
// The file is written and read in one sequential pass in plan order (the
// dispatch order), so no offsets are kept: its index is the plan order. It
// is unlinked as soon as it is open (where the system allows), so nothing
// is left behind by a crash; it is created under os.TempDir ($TMPDIR), mode
// 0600, and takes about 1.4 times the inputs' size (156 MB for a
// 100,000-unit program's 114 MB).
//
// Records are gob-encoded: exact for the model's values (decimals keep their
// exponent, maps and pointers to empty structs survive), except that gob
// sends an empty slice as nothing, so the slices whose JSON tells nil from
// empty (a shipment's and its packages' assets, a report's results and
// documents) carry a flag that restores them.
type spool struct {
	f   *os.File
	w   *bufio.Writer
	enc *gob.Encoder
	r   *bufio.Reader
	dec *gob.Decoder
	n   int   // records written
	err error // the first read error; every later read returns it
}

// spooled is one shipment's record.
type spooled struct {
	Shipment  model.Shipment
	Assets    []model.Asset
	Clearance *model.Clearance
	Problems  []ingest.Problem
	Report    rules.Report

	EmptyShipmentAssets, EmptyResults, EmptyDocuments bool
	EmptyPackageAssets                                []int // indexes into Shipment.Packages
}

// spoolDir is where spools are made ("": os.TempDir); tests set it.
var spoolDir = ""

func newSpool() (*spool, error) {
	f, err := os.CreateTemp(spoolDir, "clearpack-run-*.spool")
	if err != nil {
		return nil, err
	}
	_ = os.Remove(f.Name()) // open, it stays readable; closed, it is gone
	s := &spool{f: f, w: bufio.NewWriterSize(f, 256<<10)}
	s.enc = gob.NewEncoder(s.w)
	return s, nil
}

// put writes shipment i's record.
func (s *spool) put(in shipmentInput, rep rules.Report) error {
	rec := spooled{Shipment: *in.sh, Assets: in.assets, Clearance: in.clearance, Problems: in.problems, Report: rep,
		EmptyShipmentAssets: in.sh.Assets != nil && len(in.sh.Assets) == 0,
		EmptyResults:        rep.Results != nil && len(rep.Results) == 0,
		EmptyDocuments:      rep.Documents != nil && len(rep.Documents) == 0,
	}
	for i, p := range in.sh.Packages {
		if p.Assets != nil && len(p.Assets) == 0 {
			rec.EmptyPackageAssets = append(rec.EmptyPackageAssets, i)
		}
	}
	if err := s.enc.Encode(&rec); err != nil {
		return err
	}
	s.n++
	return nil
}

// rewind ends writing and starts reading from the first record.
func (s *spool) rewind() error {
	if err := s.w.Flush(); err != nil {
		return err
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	s.w, s.enc = nil, nil
	s.r = bufio.NewReaderSize(s.f, 256<<10)
	s.dec = gob.NewDecoder(s.r)
	return nil
}

// next reads the next record, which is shipment id's. program and inputs
// are the batch's, shared by every shipment.
func (s *spool) next(id, program string, inputs []ingest.Input) (shipmentInput, rules.Report, error) {
	if s.err != nil {
		return shipmentInput{}, rules.Report{}, s.err
	}
	var rec spooled
	if err := s.dec.Decode(&rec); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		s.err = fmt.Errorf("reading shipment %s back from the run's spool file: %w", id, err)
		return shipmentInput{}, rules.Report{}, s.err
	}
	if rec.Shipment.ID != id {
		s.err = fmt.Errorf("the run's spool file holds shipment %q where %q was expected", rec.Shipment.ID, id)
		return shipmentInput{}, rules.Report{}, s.err
	}
	if rec.EmptyShipmentAssets {
		rec.Shipment.Assets = []string{}
	}
	for _, i := range rec.EmptyPackageAssets {
		if i < len(rec.Shipment.Packages) {
			rec.Shipment.Packages[i].Assets = []string{}
		}
	}
	if rec.EmptyResults {
		rec.Report.Results = []model.CheckResult{}
	}
	if rec.EmptyDocuments {
		rec.Report.Documents = []model.DocKind{}
	}
	if rec.Assets == nil {
		rec.Assets = []model.Asset{} // take makes it so
	}
	return shipmentInput{program: program, sh: &rec.Shipment, assets: rec.Assets, clearance: rec.Clearance,
		problems: rec.Problems, inputs: inputs}, rec.Report, nil
}

func (s *spool) Close() error { return s.f.Close() }

// holdProgram turns the spool off: each shipment is copied out of the batch
// when it is dispatched, the batch held meanwhile (how runs went before the
// spool; tests compare the two).
var holdProgram = false

// spoolBatch checks each shipment the shard owns, in plan order, writes it
// to a new spool and lets go of its share of the batch (take); another
// shard's shipments are only let go of (drop). The batch keeps each plan
// entry's id, destination and source.
func spoolBatch(batch *ingest.Batch, checked *rules.Checked, uses map[string]int, shard Shard) (*spool, error) {
	sp, err := newSpool()
	if err != nil {
		return nil, err
	}
	for i := range batch.Plan.Len() {
		if !shard.Owns(batch.Plan.Outline(i).ID) {
			checked.Release(i)
			drop(batch, i, uses)
			continue
		}
		rep := checked.Report(i) // before take: the checks read the plan entry
		checked.Release(i)
		in, err := take(batch, i, uses)
		if err == nil {
			err = sp.put(in, rep)
		}
		if err != nil {
			sp.Close()
			return nil, err
		}
	}
	if err := sp.rewind(); err != nil {
		sp.Close()
		return nil, err
	}
	return sp, nil
}
