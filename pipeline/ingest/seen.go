package ingest

import (
	"encoding/binary"

	"github.com/clearpack/clearpack/internal/hash128"
)

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
	// text holds, for each serial first seen, its asset's tag and the
	// serial as written, each after its length (uvarint), in chunks of
	// textChunk bytes that are never copied as they fill.
	text [][]byte
}

// serialRef is where a serial was first seen: its line, and where its
// asset's tag and the serial as written are in text (chunk<<32 | offset).
// 12 bytes (a map slot of 32 with the key) where offsets and lengths apart
// took 24.
type serialRef struct {
	at   uint64
	line int32
}

const textChunk = 1 << 20

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
		b := s.text[r.at>>32][uint32(r.at):]
		t, b := lenPrefixed(b)
		ser, _ := lenPrefixed(b)
		return serialSeen{tag: string(t), serial: string(ser), line: int(r.line)}, true
	}
	need := 2*binary.MaxVarintLen64 + len(tag) + len(serial)
	if n := len(s.text); n == 0 || cap(s.text[n-1])-len(s.text[n-1]) < need {
		s.text = append(s.text, make([]byte, 0, max(textChunk, need)))
	}
	c := len(s.text) - 1
	s.serials[h] = serialRef{at: uint64(c)<<32 | uint64(len(s.text[c])), line: int32(line)}
	b := binary.AppendUvarint(s.text[c], uint64(len(tag)))
	b = append(b, tag...)
	b = binary.AppendUvarint(b, uint64(len(serial)))
	s.text[c] = append(b, serial...)
	return serialSeen{}, false
}

// lenPrefixed splits b after the text its uvarint length prefixes (the
// arena's own writing: not checked).
func lenPrefixed(b []byte) (text, rest []byte) {
	n, b, _ := uvarint(b)
	return b[:n], b[n:]
}
