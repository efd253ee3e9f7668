package verify

import (
	"context"
	"errors"
	"fmt"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"golang.org/x/mod/sumdb/note"
)

// checkWitnesses checks that the latest checkpoint is cosigned by at least
// Options.Quorum of the trusted witnesses, and that every cosigned
// checkpoint is the log's own (a cosigned tree that differs from the log's
// checkpoint of the same size is a split view). Without witnesses it says
// what is then not proven.
func (v *verifier) checkWitnesses(ctx context.Context) error {
	if v.state == nil {
		return nil
	}
	if len(v.o.Witnesses) == 0 {
		v.r.ok(KindCheckpoint, "audit log", "not witnessed (no --witness given): the log is intact and signed, but nothing shows it is the history others were shown; keep checkpoints (--checkpoint) or name witnesses to prove that")
		return nil
	}
	q := v.o.Quorum
	if q <= 0 || q > len(v.o.Witnesses) {
		q = len(v.o.Witnesses)
	}
	_, vkeys, err := auditlog.TrustedVerifiers(ctx, v.st, v.trusted...)
	if err != nil {
		return nil // checkLog has reported it
	}
	var logVs []note.Verifier
	for _, k := range vkeys {
		if lv, err := note.NewVerifier(k); err == nil {
			logVs = append(logVs, lv)
		}
	}
	all := note.VerifierList(append(logVs, v.o.Witnesses...)...)
	witnessNames := map[string]bool{}
	for _, w := range v.o.Witnesses {
		witnessNames[fmt.Sprintf("%s+%08x", w.Name(), w.KeyHash())] = true
	}
	latest := v.state.Latest.Size
	found := false
	err = v.st.List(ctx, auditlog.CosignedPrefix, func(in archive.Info) error {
		var size uint64
		if _, err := fmt.Sscanf(in.Key[len(auditlog.CosignedPrefix):], "%d", &size); err != nil {
			return nil
		}
		b, err := archive.ReadAll(ctx, v.st, in.Key)
		if err != nil {
			return err
		}
		n, err := note.Open(b, all)
		if err != nil {
			v.r.fail(KindCheckpoint, in.Key, "cosigned checkpoint does not open: "+err.Error())
			return nil
		}
		own, err := archive.ReadAll(ctx, v.st, auditlog.CheckpointKey(size))
		if errors.Is(err, archive.ErrNotFound) {
			v.r.fail(KindCheckpoint, in.Key, "cosigned checkpoint of a size the log has no checkpoint for")
			return nil
		} else if err != nil {
			return err
		}
		on, err := note.Open(own, all)
		if err != nil || on.Text != n.Text {
			v.r.fail(KindCheckpoint, in.Key, fmt.Sprintf("split view: the witnesses cosigned a tree of size %d other than this log's", size))
			return nil
		}
		count := 0
		seen := map[string]bool{}
		for _, s := range n.Sigs {
			id := fmt.Sprintf("%s+%08x", s.Name, s.Hash)
			if witnessNames[id] && !seen[id] {
				seen[id] = true
				count++
			}
		}
		if size != latest {
			return nil
		}
		found = true
		if count < q {
			v.r.fail(KindCheckpoint, in.Key, fmt.Sprintf("cosigned by %d of the %d trusted witnesses, quorum %d", count, len(v.o.Witnesses), q))
			return nil
		}
		v.objects = append(v.objects, in.Key)
		v.r.ok(KindCheckpoint, in.Key, fmt.Sprintf("latest checkpoint (size %d) cosigned by %d of %d trusted witnesses (quorum %d)", size, count, len(v.o.Witnesses), q))
		return nil
	})
	if err != nil {
		return fmt.Errorf("verifying: cosigned checkpoints: %w", err)
	}
	if !found {
		v.r.fail(KindCheckpoint, auditlog.CheckpointKey(latest), fmt.Sprintf("the latest checkpoint (size %d) is not cosigned by witnesses (quorum %d)", latest, q))
	}
	return nil
}
