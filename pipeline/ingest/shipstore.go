package ingest

import (
	"fmt"

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
	*recordFile[model.Shipment]
	at []recRef // shipment i's record
}

func newShipStore() (*shipStore, error) {
	f, err := newRecordFile[model.Shipment]("plan")
	if err != nil {
		return nil, err
	}
	return &shipStore{recordFile: f}, nil
}

// keepShipments writes p's shipments to a new store, reduces p.Shipments
// to their outline and makes p read them back from the store.
func keepShipments(p *model.Plan) (*shipStore, error) {
	s, err := newShipStore()
	if err != nil {
		return nil, err
	}
	s.at = make([]recRef, 0, len(p.Shipments))
	for i := range p.Shipments {
		s.at = append(s.at, s.put(&p.Shipments[i]))
	}
	if err := s.flush(); err != nil {
		s.close()
		return nil, err
	}
	for i := range p.Shipments {
		p.Shipments[i] = p.Shipments[i].Outline()
	}
	p.KeepOutside(s.get)
	return s, nil
}

// get reads shipment i back; safe for concurrent use.
func (s *shipStore) get(i int) (*model.Shipment, error) {
	if i < 0 || i >= len(s.at) {
		return nil, fmt.Errorf("reading the plan store: no shipment %d", i)
	}
	return s.recordFile.get(s.at[i])
}

func (s *shipStore) close() error {
	if s == nil {
		return nil
	}
	return s.recordFile.close()
}
