package auditlog

import (
	"context"
	"errors"
	"fmt"

	"github.com/clearpack/clearpack/archive"
)

// TimestampsPrefix holds the time-stamp responses of checkpoints.
const TimestampsPrefix = "audit/timestamps/"

// TimestampKey is where the RFC 3161 time-stamp response (DER) over the
// checkpoint of the given size is stored: `openssl ts -verify -data
// audit/checkpoints/<size> -in audit/timestamps/<size>.tsr ...` checks it.
func TimestampKey(size uint64) string { return fmt.Sprintf("%s%d.tsr", TimestampsPrefix, size) }

// stamp stores a time-stamp of the checkpoint msg when the log has a
// time-stamp authority and the checkpoint has none yet. A failure leaves the
// checkpoint unstamped (and says so); the next Checkpoint of that size
// stamps it.
func (l *Log) stamp(ctx context.Context, size uint64, msg []byte) error {
	if l.opts.Timestamp == nil {
		return nil
	}
	key := TimestampKey(size)
	if _, err := l.st.Stat(ctx, key); err == nil {
		return nil
	} else if !errors.Is(err, archive.ErrNotFound) {
		return fmt.Errorf("time-stamping checkpoint %d: %w", size, err)
	}
	tsr, err := l.opts.Timestamp(ctx, msg)
	if err != nil {
		return fmt.Errorf("time-stamping checkpoint %d: %w", size, err)
	}
	err = archive.PutBytes(ctx, l.st, key, tsr, l.putOpts("application/timestamp-reply"))
	if err != nil && !errors.Is(err, archive.ErrExists) {
		return fmt.Errorf("time-stamping checkpoint %d: %w", size, err)
	}
	return nil
}

// CosignedPrefix holds checkpoints with their witnesses' cosignatures.
const CosignedPrefix = "audit/cosigned/"

// CosignedKey is where the checkpoint of the given size is stored with the
// cosignatures of the witnesses (the same signed note, more signature lines).
func CosignedKey(size uint64) string { return fmt.Sprintf("%s%020d", CosignedPrefix, size) }

// attest has a new (or not yet attested) checkpoint time-stamped and
// cosigned, as the log's options ask.
func (l *Log) attest(ctx context.Context, size uint64, msg []byte) error {
	if err := l.stamp(ctx, size, msg); err != nil {
		return err
	}
	return l.cosign(ctx, size, msg)
}

func (l *Log) cosign(ctx context.Context, size uint64, msg []byte) error {
	if l.opts.Cosign == nil {
		return nil
	}
	key := CosignedKey(size)
	if _, err := l.st.Stat(ctx, key); err == nil {
		return nil
	} else if !errors.Is(err, archive.ErrNotFound) {
		return fmt.Errorf("cosigning checkpoint %d: %w", size, err)
	}
	prove := func(ctx context.Context, old uint64) ([][]byte, error) { return l.ConsistencyProof(ctx, old, size) }
	cosigned, err := l.opts.Cosign(ctx, msg, prove)
	if err != nil {
		return fmt.Errorf("cosigning checkpoint %d: %w", size, err)
	}
	err = archive.PutBytes(ctx, l.st, key, cosigned, l.putOpts("text/plain"))
	if err != nil && !errors.Is(err, archive.ErrExists) {
		return fmt.Errorf("cosigning checkpoint %d: %w", size, err)
	}
	return nil
}
