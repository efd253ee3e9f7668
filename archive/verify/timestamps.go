package verify

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/tsa"
)

// KindTimestamp: an RFC 3161 time-stamp is missing, for other bytes, or
// from an authority not trusted.
const KindTimestamp Kind = "timestamp"

// manifestStampName is a manifest's time-stamp response in its pack.
const manifestStampName = manifest.FileName + ".tsr"

// checkManifestStamp checks the pack manifest's time-stamp when trusted
// time-stamp authorities are given (Options.TSARoots): it must exist and
// prove the manifest envelope existed at its time.
func (v *verifier) checkManifestStamp(ctx context.Context, p *packDir, env []byte) error {
	if v.o.TSARoots == nil {
		return nil
	}
	key := p.prefix + manifestStampName
	if !p.files[manifestStampName] {
		v.r.fail(KindTimestamp, key, "missing: the manifest carries no time-stamp")
		return nil
	}
	tsr, err := v.read(ctx, key)
	if err != nil || tsr == nil {
		return err
	}
	t, err := tsa.VerifyResponse(tsr, env, v.o.TSARoots)
	if err != nil {
		v.r.fail(KindTimestamp, key, err.Error())
		return nil
	}
	v.r.ok(KindTimestamp, key, "manifest existed at "+t.UTC().Format("2006-01-02T15:04:05Z")+" (trusted time-stamp authority)")
	return nil
}

// checkCheckpointStamps checks every checkpoint time-stamp (audit/
// timestamps/<size>.tsr) against its checkpoint, and that the latest
// checkpoint has one, when trusted time-stamp authorities are given.
func (v *verifier) checkCheckpointStamps(ctx context.Context) error {
	if v.o.TSARoots == nil || v.state == nil {
		return nil
	}
	var sizes []uint64
	err := v.st.List(ctx, auditlog.TimestampsPrefix, func(in archive.Info) error {
		n, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimPrefix(in.Key, auditlog.TimestampsPrefix), ".tsr"), 10, 64)
		if err == nil && strings.HasSuffix(in.Key, ".tsr") {
			sizes = append(sizes, n)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("verifying: listing time-stamps: %w", err)
	}
	latest := false
	for _, n := range sizes {
		key := auditlog.TimestampKey(n)
		tsr, err := v.read(ctx, key)
		if err != nil || tsr == nil {
			return err
		}
		cp, err := archive.ReadAll(ctx, v.st, auditlog.CheckpointKey(n))
		if errors.Is(err, archive.ErrNotFound) {
			v.r.fail(KindTimestamp, key, "time-stamps a checkpoint that is not in the archive")
			continue
		} else if err != nil {
			return fmt.Errorf("verifying: %w", err)
		}
		t, err := tsa.VerifyResponse(tsr, cp, v.o.TSARoots)
		if err != nil {
			v.r.fail(KindTimestamp, key, err.Error())
			continue
		}
		v.objects = append(v.objects, key)
		v.r.ok(KindTimestamp, key, fmt.Sprintf("checkpoint of size %d existed at %s (trusted time-stamp authority)", n, t.UTC().Format("2006-01-02T15:04:05Z")))
		latest = latest || n == v.state.Latest.Size
	}
	if !latest && v.state.Checkpoints > 0 {
		v.r.fail(KindTimestamp, auditlog.CheckpointKey(v.state.Latest.Size), "the latest checkpoint carries no time-stamp")
	}
	return nil
}
