package ingest

import (
	"fmt"

	"github.com/clearpack/clearpack/pipeline/model"
)

// shipStore keeps the plan's shipments whole in a record file, as the
// asset store keeps the assets: Index writes each shipment as soon as its
// plan checks are done, the plan keeping its outline (model.Outline), which
// is what the cross-file checks, the dispatching and the shard selection
// read. A shipment's packages, parties, permits, filings and decimals (a
// plan entry is ~1 KB of struct and as much again of pointer-rich heap;
// at 8 units a shipment, ~250 bytes a unit) are read back only when the
// shipment is checked or rendered. In memory it keeps a place a shipment
// (a slice without pointers).
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
