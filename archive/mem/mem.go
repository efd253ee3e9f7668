// Package mem is an in-memory archive driver for tests of the code that uses
// an archive (the pipeline, the verify command). It follows the archive
// contract exactly: create-only Put that is atomic (a failed or cancelled Put
// leaves nothing), ErrNotFound for missing keys, lexical List. It records the
// retention and legal hold it was asked for, so a test can check what a real
// object-lock store would have been told, but it enforces nothing: it has no
// delete at all.
package mem

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/clearpack/clearpack/archive"
)

type object struct {
	data []byte
	info archive.Info
}

// Store is an in-memory archive. The zero value is not usable; call New.
type Store struct {
	now func() time.Time

	mu      sync.Mutex
	objects map[string]*object
}

// New returns an empty store.
func New() *Store {
	return &Store{objects: make(map[string]*object), now: time.Now}
}

// String implements archive.Store.
func (s *Store) String() string { return "mem:" }

// Put implements archive.Store. The data is read completely before the key is
// taken, so a reader error, a size mismatch or a cancelled context leaves no
// object.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, opts archive.PutOptions) error {
	if err := archive.ValidKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("storing %s: %w", key, err)
	}
	if s.exists(key) {
		return fmt.Errorf("storing %s: %w", key, archive.ErrExists)
	}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, archive.ContextReader(ctx, r))
	if err != nil {
		return fmt.Errorf("storing %s: %w", key, err)
	}
	if size >= 0 && n != size {
		return fmt.Errorf("storing %s: read %d bytes, expected %d", key, n, size)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("storing %s: %w", key, err)
	}
	info := archive.Info{Key: key, Size: n, ModTime: s.now()}
	if !opts.RetainUntil.IsZero() {
		info.RetainUntil = opts.RetainUntil
		info.Mode = opts.Mode
		if info.Mode == "" {
			info.Mode = archive.Compliance
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.objects[key]; ok {
		return fmt.Errorf("storing %s: %w", key, archive.ErrExists)
	}
	s.objects[key] = &object{data: buf.Bytes(), info: info}
	return nil
}

func (s *Store) exists(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.objects[key]
	return ok
}

func (s *Store) lookup(ctx context.Context, key string) (*object, error) {
	if err := archive.ValidKey(key); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", key, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.objects[key]
	if !ok {
		return nil, fmt.Errorf("reading %s: %w", key, archive.ErrNotFound)
	}
	return o, nil
}

// Get implements archive.Store.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	o, err := s.lookup(ctx, key)
	if err != nil {
		return nil, err
	}
	// o.data is never modified after Put, so readers can share it.
	return io.NopCloser(bytes.NewReader(o.data)), nil
}

// Stat implements archive.Store.
func (s *Store) Stat(ctx context.Context, key string) (archive.Info, error) {
	o, err := s.lookup(ctx, key)
	if err != nil {
		return archive.Info{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return o.info, nil
}

// List implements archive.Store.
func (s *Store) List(ctx context.Context, prefix string, fn func(archive.Info) error) error {
	s.mu.Lock()
	infos := make([]archive.Info, 0, len(s.objects))
	for k, o := range s.objects {
		if strings.HasPrefix(k, prefix) {
			infos = append(infos, o.info)
		}
	}
	s.mu.Unlock()
	sort.Slice(infos, func(i, j int) bool { return infos[i].Key < infos[j].Key })
	for _, in := range infos {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("listing %s: %w", prefix, err)
		}
		if err := fn(in); err != nil {
			return err
		}
	}
	return nil
}

// SetLegalHold implements archive.Holder: it records the hold, which Stat
// reports.
func (s *Store) SetLegalHold(ctx context.Context, key string, on bool) error {
	o, err := s.lookup(ctx, key)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o.info.LegalHold = on
	return nil
}
