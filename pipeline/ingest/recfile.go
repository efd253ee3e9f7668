package ingest

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"reflect"
	"sync"
)

// recordFile keeps records of one model type (an asset, a plan shipment, a
// clearance) in a temporary file instead of the heap: put writes a record
// after the last and says where it is, get reads one back by that place.
// What its owner keeps in memory is the places (pointer-free), not the
// records.
//
// The file is unlinked as soon as it is open (as the run's spool), under
// os.TempDir ($TMPDIR), mode 0600: closed, or the process gone, it is
// gone. Records are put during Load and read after it; get flushes what
// was put first, and is safe for concurrent use once the puts are done.
type recordFile[T any] struct {
	what string // "asset", "plan" or "clearance", for messages
	f    *os.File
	w    *bufio.Writer
	end  int64 // bytes written
	enc  []byte
	mu   sync.Mutex // guards flushing by a get during Load
	err  error      // the first write error
}

// recRef is where a record is in its file.
type recRef struct {
	off int64
	n   uint32
}

// storeDir is where stores are made ("": os.TempDir); tests set it.
var storeDir = ""

func newRecordFile[T any](what string) (*recordFile[T], error) {
	f, err := os.CreateTemp(storeDir, "clearpack-"+what+"-*.store")
	if err != nil {
		return nil, fmt.Errorf("making the %s store: %w", what, err)
	}
	_ = os.Remove(f.Name()) // open, it stays readable; closed, it is gone
	return &recordFile[T]{what: what, f: f, w: bufio.NewWriterSize(f, 256<<10)}, nil
}

// put writes v's record. A write error is kept: put does nothing more, and
// flush and get return it.
func (r *recordFile[T]) put(v *T) recRef {
	if r.err != nil {
		return recRef{}
	}
	r.enc = encodeValue(r.enc[:0], reflect.ValueOf(v).Elem())
	if _, err := r.w.Write(r.enc); err != nil {
		r.err = err
		return recRef{}
	}
	ref := recRef{off: r.end, n: uint32(len(r.enc))}
	r.end += int64(len(r.enc))
	return ref
}

// flush makes what was put readable.
func (r *recordFile[T]) flush() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err == nil && r.w.Buffered() > 0 {
		r.err = r.w.Flush()
	}
	if r.err != nil {
		return fmt.Errorf("writing the %s store: %w", r.what, r.err)
	}
	return nil
}

// get reads the record at ref back; each call returns a new value.
func (r *recordFile[T]) get(ref recRef) (*T, error) {
	if err := r.flush(); err != nil {
		return nil, err
	}
	buf := make([]byte, ref.n)
	if _, err := r.f.ReadAt(buf, ref.off); err != nil {
		return nil, fmt.Errorf("reading the %s store: %w", r.what, err)
	}
	v := new(T)
	if rest, err := decodeValue(buf, reflect.ValueOf(v).Elem()); err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("reading the %s store: record at %d: %w", r.what, ref.off, cmpErr(err, errors.New("trailing bytes")))
	}
	return v, nil
}

// getKeyed reads back the record at ref that an index found for key (an
// asset tag, a shipment id): not found when the record's own key, by
// keyOf, differs (the index's hash matched another key). what names the
// key in an error ("asset", "clearance of shipment").
func (r *recordFile[T]) getKeyed(ref recRef, what, key string, keyOf func(*T) string) (*T, bool, error) {
	v, err := r.get(ref)
	if err != nil {
		return nil, false, fmt.Errorf("%w (%s %s)", err, what, quoteCut(key))
	}
	if keyOf(v) != key {
		return nil, false, nil
	}
	return v, true, nil
}

func (r *recordFile[T]) close() error {
	if r == nil || r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}

func cmpErr(err, or error) error {
	if err != nil {
		return err
	}
	return or
}
