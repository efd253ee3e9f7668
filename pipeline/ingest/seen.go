package ingest

import "hash/maphash"

// seen remembers, for the inventory's duplicate checks, each asset tag's
// line and each serial's line, tag and text as written, without a pointer
// per row: keys are 128-bit hashes (two seeded maphashes), values fixed-size
// references into one byte arena, so a 1,000,000-row inventory is a few
// tens of megabytes the collector does not scan, instead of two maps of
// strings it marks on every cycle. Two different tags or serials taken for
// one would need a 128-bit hash collision.
type seen struct {
	hasher
	tags    map[hash2]int32
	serials map[hash2]serialRef
	text    []byte
}

type hash2 [2]uint64

// hasher hashes text to 128 bits with two seeded maphashes.
type hasher struct{ s1, s2 maphash.Seed }

func newHasher() hasher { return hasher{maphash.MakeSeed(), maphash.MakeSeed()} }

func (h hasher) hash(x string) hash2 { return hash2{maphash.String(h.s1, x), maphash.String(h.s2, x)} }

// serialRef is where a serial was first seen: its line, and its asset's tag
// and the serial as written, at text[off:off+tagN+serN].
type serialRef struct {
	off        int64
	tagN, serN uint32
	line       int32
}

func newSeen() *seen {
	return &seen{hasher: newHasher(), tags: map[hash2]int32{}, serials: map[hash2]serialRef{}}
}

// tag records the line of tag; if the tag was seen, it returns the first
// line and true instead.
func (s *seen) tag(tag string, line int) (int, bool) {
	h := s.hash(tag)
	if first, dup := s.tags[h]; dup {
		return int(first), true
	}
	s.tags[h] = int32(line)
	return 0, false
}

// serial records where key (serialKey of serial) was seen; if it was, it
// returns the first sighting and true instead.
func (s *seen) serial(key, tag, serial string, line int) (serialSeen, bool) {
	h := s.hash(key)
	if r, dup := s.serials[h]; dup {
		t := s.text[r.off : r.off+int64(r.tagN)+int64(r.serN)]
		return serialSeen{tag: string(t[:r.tagN]), serial: string(t[r.tagN:]), line: int(r.line)}, true
	}
	s.serials[h] = serialRef{off: int64(len(s.text)), tagN: uint32(len(tag)), serN: uint32(len(serial)), line: int32(line)}
	s.text = append(append(s.text, tag...), serial...)
	return serialSeen{}, false
}
