// Package archive is clearpack's storage contract: an append-only,
// write-once store of objects addressed by slash-separated keys. Drivers live
// in sibling packages (archive/local, archive/mem, archive/s3) and all pass the
// shared suite in archive/archivetest.
//
// The contract:
//   - Put is create-only. Writing a key that already exists returns an error
//     matching ErrExists and leaves the stored object unchanged; of two writers
//     racing for one key exactly one wins. (A driver whose retry meets the very
//     bytes its lost first attempt stored returns nil: the write did win.) A Put that fails or is cancelled
//     leaves no object behind under the key (partial data never becomes
//     visible).
//   - Get and Stat of a missing key return an error matching ErrNotFound.
//   - Get and Stat refuse anything but an object the driver stored (on a
//     filesystem: a regular file reached without following a symlink) with
//     an error matching ErrNotRegular; List still lists it, so that a
//     verifier can name it.
//   - Nothing in the contract deletes or overwrites. Drivers that enforce
//     retention (S3 object lock) refuse deletion until RetainUntil; the local
//     driver simply never deletes.
//   - Every method honours context cancellation and returns ctx.Err() (wrapped)
//     when cancelled.
//   - Keys are validated by ValidKey before any I/O; a bad key returns an error
//     matching ErrBadKey.
//   - Stores with object lock (S3) read the oldest version of a key, so that a
//     write or delete made behind the driver's back cannot replace or hide an
//     archived object. Callers set PutOptions.RetainUntil on every Put: some
//     servers (Versity Gateway 1.8) do not apply a bucket's default retention
//     to objects.
package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

var (
	// ErrExists: the key is already taken (create-only write lost).
	ErrExists = errors.New("object already exists")
	// ErrNotFound: no object under the key.
	ErrNotFound = errors.New("object not found")
	// ErrLocked: the store refused because of retention or legal hold.
	ErrLocked = errors.New("object is locked by retention")
	// ErrBadKey: the key would escape the archive or is malformed.
	ErrBadKey = errors.New("invalid object key")
	// ErrNotRegular: what is stored under the key is not an object a
	// driver made: a symlink, FIFO, device or socket planted in a local
	// archive, or a key whose path runs through a symlinked directory.
	ErrNotRegular = errors.New("not a regular file")
)

// RetentionMode is the object-lock mode of a stored object.
type RetentionMode string

const (
	// Compliance retention cannot be shortened or removed by anyone.
	Compliance RetentionMode = "COMPLIANCE"
	// Governance retention can be bypassed by privileged users.
	Governance RetentionMode = "GOVERNANCE"
)

// PutOptions says how an object is stored.
type PutOptions struct {
	ContentType string
	// RetainUntil, when set, asks the store to lock the object until then.
	RetainUntil time.Time
	// Mode is the retention mode; Compliance when empty.
	Mode RetentionMode
}

// Info describes a stored object.
type Info struct {
	Key         string
	Size        int64
	ModTime     time.Time
	RetainUntil time.Time     // zero when the store keeps no retention
	Mode        RetentionMode // empty when the store keeps no retention
	LegalHold   bool
}

// Store is the archive contract. See the package documentation.
type Store interface {
	// Put stores r (size bytes, -1 when unknown) under key, create-only.
	Put(ctx context.Context, key string, r io.Reader, size int64, opts PutOptions) error
	// Get opens the object under key.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	// Stat describes the object under key.
	Stat(ctx context.Context, key string) (Info, error)
	// List calls fn for every object whose key starts with prefix, in
	// lexical key order. An error from fn stops the walk and is returned.
	List(ctx context.Context, prefix string, fn func(Info) error) error
	// String names the store for people ("local:/var/archive", "s3://b/p").
	String() string
}

// Holder is implemented by stores that can place legal holds.
type Holder interface {
	SetLegalHold(ctx context.Context, key string, on bool) error
}

// maxKeyLen keeps keys within S3's limit and common filesystem limits.
const maxKeyLen = 900

// ValidKey checks that key is a relative slash-separated path of safe
// segments: no empty, "." or ".." segment, no leading slash, no backslash, no
// control character or NUL, at most 900 bytes. Keys built from input must pass
// it before they reach a driver.
func ValidKey(key string) error {
	if key == "" || len(key) > maxKeyLen {
		return fmt.Errorf("%w: %q: length must be 1..%d", ErrBadKey, key, maxKeyLen)
	}
	for _, seg := range strings.Split(key, "/") {
		if err := ValidSegment(seg); err != nil {
			return fmt.Errorf("%w: %q: %v", ErrBadKey, key, err)
		}
	}
	return nil
}

// ValidSegment checks one path segment of a key (a shipment id, a file name).
func ValidSegment(seg string) error {
	switch seg {
	case "":
		return errors.New("empty path segment")
	case ".", "..":
		return fmt.Errorf("path segment %q is not allowed", seg)
	}
	if len(seg) > 200 {
		return errors.New("path segment longer than 200 bytes")
	}
	for _, r := range seg {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '-' || r == '_' || r == '.' || r == '+' || r == '='
		if !ok {
			return fmt.Errorf("character %q is not allowed (letters, digits, - _ . + = only)", r)
		}
	}
	return nil
}

// ReadAll reads the whole object under key.
func ReadAll(ctx context.Context, s Store, key string) ([]byte, error) {
	rc, err := s.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// PutBytes stores b under key, create-only.
func PutBytes(ctx context.Context, s Store, key string, b []byte, opts PutOptions) error {
	return s.Put(ctx, key, bytes.NewReader(b), int64(len(b)), opts)
}

// ContextReader returns a reader that fails with ctx.Err() once ctx is
// cancelled, also when r itself would never block: drivers copy through it
// so that a cancelled Put stops promptly.
func ContextReader(ctx context.Context, r io.Reader) io.Reader { return ctxReader{ctx, r} }

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
