package ingest

import "github.com/clearpack/clearpack/internal/hash128"

// seen remembers, for the inventory's duplicate checks, each asset tag's
// line and each serial's line, tag and text as written, without a pointer
// per row: keys are 128-bit hashes (internal/hash128), values fixed-size
// references into one byte arena, so a 1,000,000-row inventory is a few
// tens of megabytes the collector does not scan, instead of two maps of
// strings it marks on every cycle. Two different tags or serials taken for
// one would need a 128-bit hash collision.
type seen struct {
	hash128.Hasher
	tags    map[hash128.Sum]int32
	serials map[hash128.Sum]serialRef
	text    []byte
}

// serialRef is where a serial was first seen: its line, and its asset's tag
// and the serial as written, at text[off:off+tagN+serN].
type serialRef struct {
	off        int64
	tagN, serN uint32
	line       int32
}

func newSeen() *seen {
	return &seen{Hasher: hash128.New(), tags: map[hash128.Sum]int32{}, serials: map[hash128.Sum]serialRef{}}
}

// tag records the line of tag; if the tag was seen, it returns the first
// line and true instead.
func (s *seen) tag(tag string, line int) (int, bool) {
	h := s.String(tag)
	if first, dup := s.tags[h]; dup {
		return int(first), true
	}
	s.tags[h] = int32(line)
	return 0, false
}

// serial records where key (serialKey of serial) was seen; if it was, it
// returns the first sighting and true instead.
func (s *seen) serial(key, tag, serial string, line int) (serialSeen, bool) {
	h := s.String(key)
	if r, dup := s.serials[h]; dup {
		t := s.text[r.off : r.off+int64(r.tagN)+int64(r.serN)]
		return serialSeen{tag: string(t[:r.tagN]), serial: string(t[r.tagN:]), line: int(r.line)}, true
	}
	s.serials[h] = serialRef{off: int64(len(s.text)), tagN: uint32(len(tag)), serN: uint32(len(serial)), line: int32(line)}
	s.text = append(append(s.text, tag...), serial...)
	return serialSeen{}, false
}
