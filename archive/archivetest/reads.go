package archivetest

import (
	"context"
	"io"
	"sync"

	"github.com/clearpack/clearpack/archive"
)

// Reads wraps a store and records the keys read through it (Get), for tests
// that assert how much a reader reads. It is safe for concurrent use.
type Reads struct {
	archive.Store
	mu   sync.Mutex
	gets []string
}

// Get records key and reads it from the wrapped store.
func (c *Reads) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	c.mu.Lock()
	c.gets = append(c.gets, key)
	c.mu.Unlock()
	return c.Store.Get(ctx, key)
}

// Take returns the keys read since the last Take.
func (c *Reads) Take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	g := c.gets
	c.gets = nil
	return g
}
