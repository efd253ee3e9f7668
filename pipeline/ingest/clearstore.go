package ingest

import (
	"github.com/clearpack/clearpack/internal/hash128"
	"github.com/clearpack/clearpack/pipeline/model"
)

// clearStore keeps the good clearance records in a record file instead of
// the heap, as the asset store keeps the assets, with an index from the
// shipment id to the record's place in the file.
//
// Held in memory, a clearance is ~1.2 KB of pointer-rich heap (its text,
// its decimals' big integers, its lines and taxes): 7.8 MB for the 6,579
// clearances of a generated 100,000-unit program, ten times that at
// 1,000,000 units, marked by the collector on every cycle while the program
// is checked. What the store keeps in memory is its index: per clearance,
// 16 bytes of the id's hash, the record's place and its line, in a map
// without pointers (which the collector does not scan; ~85 bytes a
// clearance with the map's overhead). The ids are in the file: a
// hash that matched another id (with 128 bits, not to be expected) reads
// back a record whose ShipmentID differs, which get treats as not found
// rather than return the wrong clearance.
type clearStore struct {
	*recordFile[model.Clearance]
	idx map[hash128.Sum]clearRef
	ids hash128.Hasher
}

// clearRef is where a clearance's record is, and its line (what the
// duplicate check needs of it without reading it back).
type clearRef struct {
	at   recRef
	line int32
}

func newClearStore() (*clearStore, error) {
	f, err := newRecordFile[model.Clearance]("clearance")
	if err != nil {
		return nil, err
	}
	return &clearStore{recordFile: f, idx: map[hash128.Sum]clearRef{}, ids: hash128.New()}, nil
}

func (s *clearStore) key(id string) hash128.Sum { return s.ids.String(id) }

// put writes c, the clearance of shipment id (its ShipmentID), and indexes
// it by the id (a later put of the same id replaces it).
func (s *clearStore) put(id string, c *model.Clearance) {
	at := s.recordFile.put(c)
	if s.err == nil {
		s.idx[s.key(id)] = clearRef{at: at, line: int32(c.Src.Line)}
	}
}

func (s *clearStore) drop(id string) { delete(s.idx, s.key(id)) }

// line is the line of the clearance kept for shipment id, if one is.
func (s *clearStore) line(id string) (int, bool) {
	r, ok := s.idx[s.key(id)]
	return int(r.line), ok
}

// get reads the clearance of shipment id back; each call returns a new
// copy. Safe for concurrent use once Load has returned.
func (s *clearStore) get(id string) (*model.Clearance, bool, error) {
	r, ok := s.idx[s.key(id)]
	if !ok {
		return nil, false, nil
	}
	return s.getKeyed(r.at, "clearance of shipment", id, func(c *model.Clearance) string { return c.ShipmentID })
}

func (s *clearStore) close() error {
	if s == nil {
		return nil
	}
	s.idx = nil
	return s.recordFile.close()
}
