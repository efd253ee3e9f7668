package ingest

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"reflect"

	"github.com/clearpack/clearpack/pipeline/model"
)

// shipStore keeps the plan's shipments whole in a temporary file, as the
// asset store keeps the assets: Index writes each shipment once its plan
// checks are done and leaves Plan.Shipments with the entries' outline
// (model.Shipment.Outline), which is what the cross-file checks, the
// dispatching and the shard selection read. A shipment's packages,
// parties, permits, filings and decimals (most of a plan entry: ~1 KB of
// pointer-rich heap a shipment, at 8 units a shipment ~250 bytes a unit)
// are read back only when the shipment is checked or rendered.
//
// In memory it keeps an offset a shipment (a slice without pointers). The
// file is unlinked as soon as it is open, under os.TempDir, mode 0600.
type shipStore struct {
	f   *os.File
	off []int64 // shipment i is f[off[i]:off[i+1]]
}

// keepShipments writes p's shipments to a new store, reduces p.Shipments
// to their outline and makes p read them back from the store.
func keepShipments(p *model.Plan) (*shipStore, error) {
	f, err := os.CreateTemp(storeDir, "clearpack-plan-*.store")
	if err != nil {
		return nil, fmt.Errorf("making the plan store: %w", err)
	}
	_ = os.Remove(f.Name())
	s := &shipStore{f: f, off: make([]int64, 1, len(p.Shipments)+1)}
	w := bufio.NewWriterSize(f, 256<<10)
	var enc []byte
	end := int64(0)
	for i := range p.Shipments {
		enc = encodeValue(enc[:0], reflect.ValueOf(&p.Shipments[i]).Elem())
		if _, err := w.Write(enc); err != nil {
			f.Close()
			return nil, fmt.Errorf("writing the plan store: %w", err)
		}
		end += int64(len(enc))
		s.off = append(s.off, end)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return nil, fmt.Errorf("writing the plan store: %w", err)
	}
	for i := range p.Shipments {
		p.Shipments[i] = p.Shipments[i].Outline()
	}
	p.KeepOutside(s.get)
	return s, nil
}

// get reads shipment i back; safe for concurrent use.
func (s *shipStore) get(i int) (*model.Shipment, error) {
	if i < 0 || i+1 >= len(s.off) {
		return nil, fmt.Errorf("reading the plan store: no shipment %d", i)
	}
	buf := make([]byte, s.off[i+1]-s.off[i])
	if _, err := s.f.ReadAt(buf, s.off[i]); err != nil {
		return nil, fmt.Errorf("reading the plan store: %w", err)
	}
	sh := &model.Shipment{}
	if rest, err := decodeValue(buf, reflect.ValueOf(sh).Elem()); err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("reading the plan store: shipment %d: %w", i, cmpErr(err, errors.New("trailing bytes")))
	}
	return sh, nil
}

func (s *shipStore) close() error {
	if s == nil || s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}
