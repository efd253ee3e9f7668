package ingest

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/clearpack/clearpack/internal/hash128"
	"github.com/clearpack/clearpack/pipeline/model"
)

// assetStore keeps the good assets of an inventory in a record file
// instead of the heap, with an index from asset tag to the record's place
// in the file.
//
// Held in memory, a 100,000-unit inventory is ~75 MB of pointer-rich heap
// that the collector marks on every cycle, for as long as the program is
// checked; a 1,000,000-unit one does not fit the soft memory limit at all.
// What the store keeps in memory is its index: per asset, a 32-byte entry
// (the tag's 128-bit hash, the record's place, its line and year of
// manufacture) in a slice without pointers, which the collector does not
// scan. As the inventory is read the entries are appended in chunks; seal
// then copies them into one slice sorted by hash, chunk by chunk, which a
// lookup searches. That is 32 bytes an asset where a map of the same
// entries took ~100 (its slots and load factor), and no map growth. The
// tags themselves are in the file: a hash that matched another tag (with
// 128 bits, not to be expected in any inventory) would read back a record
// whose tag differs, which get treats as not found rather than return the
// wrong asset.
type assetStore struct {
	*recordFile[model.Asset]
	tags hash128.Hasher
	// Before seal: the entries as put, and the tags dropped since. After:
	// idx, sorted by key.
	chunks  [][]assetEnt
	dropped map[hash128.Sum]bool
	idx     []assetEnt
	sealed  bool
}

// assetEnt is where an asset's record is, and what the cross-file checks
// need of it without reading it back.
type assetEnt struct {
	key  hash128.Sum
	at   uint64 // the record's offset << 24 | its length
	line int32  // the inventory line
	year int32  // YearOfMfr
}

// A record's place in an index entry: 40 bits of offset (1 TiB), 24 of
// length (16 MiB; an asset's record is a few hundred bytes).
const (
	recLenBits = 24
	maxRecLen  = 1<<recLenBits - 1
	maxRecOff  = 1<<(64-recLenBits) - 1
	chunkEnts  = 1 << 14
)

func (e assetEnt) ref() recRef {
	return recRef{off: int64(e.at >> recLenBits), n: uint32(e.at & maxRecLen)}
}

func newAssetStore() (*assetStore, error) {
	f, err := newRecordFile[model.Asset]("asset")
	if err != nil {
		return nil, err
	}
	return &assetStore{recordFile: f, tags: hash128.New(), dropped: map[hash128.Sum]bool{}}, nil
}

func (s *assetStore) key(tag string) hash128.Sum { return s.tags.String(tag) }

// put writes a and indexes it by its tag. Load puts a tag once at most
// (a second definition of a tag drops the first), before seal.
func (s *assetStore) put(a *model.Asset) {
	at := s.recordFile.put(a)
	if s.err != nil {
		return
	}
	if at.off > maxRecOff || at.n > maxRecLen {
		s.err = fmt.Errorf("asset %s: a record of %d bytes at %d is past what the index holds (%d bytes, at up to %d)",
			quoteCut(a.AssetTag), at.n, at.off, maxRecLen, int64(maxRecOff))
		return
	}
	if n := len(s.chunks); n == 0 || len(s.chunks[n-1]) == chunkEnts {
		s.chunks = append(s.chunks, make([]assetEnt, 0, chunkEnts))
	}
	k := s.key(a.AssetTag)
	delete(s.dropped, k)
	last := &s.chunks[len(s.chunks)-1]
	*last = append(*last, assetEnt{key: k, at: uint64(at.off)<<recLenBits | uint64(at.n), line: int32(a.Src.Line), year: int32(a.YearOfMfr)})
}

// drop lets go of the asset with the tag, if it was put.
func (s *assetStore) drop(tag string) {
	k := s.key(tag)
	if !s.sealed {
		s.dropped[k] = true
		return
	}
	if i, ok := s.find(k); ok {
		s.idx = slices.Delete(s.idx, i, i+1)
	}
}

// puts is the number of entries put (dropped ones included) before seal.
func (s *assetStore) puts() int {
	n := 0
	for _, c := range s.chunks {
		n += len(c)
	}
	return n
}

// seal sorts the index; puts are done. Load seals it after the inventory.
func (s *assetStore) seal() {
	if s.sealed {
		return
	}
	s.idx = make([]assetEnt, 0, s.puts())
	for i, c := range s.chunks {
		for _, e := range c {
			if !s.dropped[e.key] {
				s.idx = append(s.idx, e)
			}
		}
		s.chunks[i] = nil
	}
	s.chunks, s.dropped, s.sealed = nil, nil, true
	slices.SortFunc(s.idx, func(a, b assetEnt) int {
		return cmp.Or(cmp.Compare(a.key[0], b.key[0]), cmp.Compare(a.key[1], b.key[1]))
	})
}

func (s *assetStore) find(k hash128.Sum) (int, bool) {
	return slices.BinarySearchFunc(s.idx, k, func(e assetEnt, k hash128.Sum) int {
		return cmp.Or(cmp.Compare(e.key[0], k[0]), cmp.Compare(e.key[1], k[1]))
	})
}

func (s *assetStore) ref(tag string) (assetEnt, bool) {
	s.seal()
	i, ok := s.find(s.key(tag))
	if !ok {
		return assetEnt{}, false
	}
	return s.idx[i], true
}

func (s *assetStore) len() int {
	s.seal()
	return len(s.idx)
}

// get reads the asset with the tag back.
func (s *assetStore) get(tag string) (*model.Asset, bool, error) {
	r, ok := s.ref(tag)
	if !ok {
		return nil, false, nil
	}
	return s.getKeyed(r.ref(), "asset", tag, func(a *model.Asset) string { return a.AssetTag })
}

func (s *assetStore) close() error {
	if s == nil {
		return nil
	}
	s.idx, s.chunks = nil, nil
	return s.recordFile.close()
}

// The record encoding is exact for what a model.Asset and a model.Shipment
// hold: strings, ints and bools as written, a slice's or pointer's nil-ness
// and what it holds, a decimal's coefficient and exponent (so "12.50"
// stays 12.50), a map's nil-ness, keys and values, and nested structs. It
// walks the type by reflection, so a field added to the model is stored
// without a change here; a kind it does not know panics in the test that
// round-trips every asset of the sample.

var decimalType = reflect.TypeFor[decimal.Decimal]()

func encodeValue(b []byte, v reflect.Value) []byte {
	if v.Type() == decimalType {
		d := v.Interface().(decimal.Decimal)
		if d == (decimal.Decimal{}) {
			return append(b, 0)
		}
		c := d.Coefficient()
		b = append(b, byte(1+c.Sign()+1)) // 1: negative, 2: zero, 3: positive
		b = binary.AppendUvarint(b, uint64(len(c.Bytes())))
		b = append(b, c.Bytes()...)
		return binary.AppendVarint(b, int64(d.Exponent()))
	}
	switch v.Kind() {
	case reflect.String:
		b = binary.AppendUvarint(b, uint64(v.Len()))
		return append(b, v.String()...)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return binary.AppendVarint(b, v.Int())
	case reflect.Bool:
		if v.Bool() {
			return append(b, 1)
		}
		return append(b, 0)
	case reflect.Struct:
		for i := range v.NumField() {
			b = encodeValue(b, v.Field(i))
		}
		return b
	case reflect.Map:
		if v.IsNil() {
			return append(b, 0)
		}
		b = append(b, 1)
		b = binary.AppendUvarint(b, uint64(v.Len()))
		it := v.MapRange()
		for it.Next() {
			b = encodeValue(b, it.Key())
			b = encodeValue(b, it.Value())
		}
		return b
	case reflect.Slice:
		if v.IsNil() {
			return append(b, 0)
		}
		b = append(b, 1)
		b = binary.AppendUvarint(b, uint64(v.Len()))
		for i := range v.Len() {
			b = encodeValue(b, v.Index(i))
		}
		return b
	case reflect.Pointer:
		if v.IsNil() {
			return append(b, 0)
		}
		return encodeValue(append(b, 1), v.Elem())
	}
	panic("asset store: cannot encode a " + v.Type().String())
}

var errShort = errors.New("record cut short")

// count reads a map's or slice's nil flag and length. A length past what
// is left of the record (each element takes a byte at least) is short.
func count(b []byte) (n uint64, rest []byte, isNil bool, err error) {
	if len(b) == 0 {
		return 0, nil, false, errShort
	}
	if b[0] == 0 {
		return 0, b[1:], true, nil
	}
	if n, b, err = uvarint(b[1:]); err != nil || n > uint64(len(b)) {
		return 0, nil, false, errShort
	}
	return n, b, false, nil
}

func uvarint(b []byte) (uint64, []byte, error) {
	x, n := binary.Uvarint(b)
	if n <= 0 {
		return 0, nil, errShort
	}
	return x, b[n:], nil
}

func decodeValue(b []byte, v reflect.Value) ([]byte, error) {
	if v.Type() == decimalType {
		if len(b) == 0 {
			return nil, errShort
		}
		sign := int(b[0]) - 2
		if b[0] == 0 {
			v.Set(reflect.ValueOf(decimal.Decimal{}))
			return b[1:], nil
		}
		n, b, err := uvarint(b[1:])
		if err != nil || uint64(len(b)) < n {
			return nil, errShort
		}
		c := new(big.Int).SetBytes(b[:n])
		if sign < 0 {
			c.Neg(c)
		}
		exp, m := binary.Varint(b[n:])
		if m <= 0 {
			return nil, errShort
		}
		v.Set(reflect.ValueOf(decimal.NewFromBigInt(c, int32(exp))))
		return b[n:][m:], nil
	}
	switch v.Kind() {
	case reflect.String:
		n, b, err := uvarint(b)
		if err != nil || uint64(len(b)) < n {
			return nil, errShort
		}
		v.SetString(string(b[:n]))
		return b[n:], nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		x, n := binary.Varint(b)
		if n <= 0 {
			return nil, errShort
		}
		v.SetInt(x)
		return b[n:], nil
	case reflect.Bool:
		if len(b) == 0 {
			return nil, errShort
		}
		v.SetBool(b[0] == 1)
		return b[1:], nil
	case reflect.Struct:
		var err error
		for i := range v.NumField() {
			if b, err = decodeValue(b, v.Field(i)); err != nil {
				return nil, err
			}
		}
		return b, nil
	case reflect.Map:
		n, b, isNil, err := count(b)
		if err != nil || isNil {
			return b, err
		}
		m := reflect.MakeMapWithSize(v.Type(), int(n))
		for range n {
			k, x := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			if b, err = decodeValue(b, k); err != nil {
				return nil, err
			}
			if b, err = decodeValue(b, x); err != nil {
				return nil, err
			}
			m.SetMapIndex(k, x)
		}
		v.Set(m)
		return b, nil
	case reflect.Slice:
		n, b, isNil, err := count(b)
		if err != nil || isNil {
			return b, err
		}
		x := reflect.MakeSlice(v.Type(), int(n), int(n))
		for i := range int(n) {
			if b, err = decodeValue(b, x.Index(i)); err != nil {
				return nil, err
			}
		}
		v.Set(x)
		return b, nil
	case reflect.Pointer:
		if len(b) == 0 {
			return nil, errShort
		}
		if b[0] == 0 {
			return b[1:], nil
		}
		x := reflect.New(v.Type().Elem())
		b, err := decodeValue(b[1:], x.Elem())
		if err != nil {
			return nil, err
		}
		v.Set(x)
		return b, nil
	}
	return nil, fmt.Errorf("cannot decode a %s", v.Type())
}
