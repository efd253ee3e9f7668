package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/pack"
)

// publishKey stores the signing public key under keys/<keyid>.pub once.
func (r *Runner) publishKey(ctx context.Context) error {
	key := pack.PublicKeyKey(r.Signer.KeyID())
	err := archive.PutBytes(ctx, r.Store, key, r.Signer.PublicKeyPEM(),
		archive.PutOptions{ContentType: "application/x-pem-file", RetainUntil: r.now().Add(KeyRetention)})
	if err != nil && !errors.Is(err, archive.ErrExists) {
		return fmt.Errorf("publishing public key: %w", err)
	}
	return nil
}

// record appends one event about the job's shipment to the audit log.
func (j *job) record(ctx context.Context, event, object string, digests map[string]string, detail string) error {
	_, err := j.r.Log.Append(ctx, auditlog.Entry{
		Time: j.r.now(), Actor: j.r.Actor, Event: event,
		Program: j.ref.Program, Shipment: j.ref.Shipment, Object: object, Digests: digests, Detail: detail,
	})
	return err
}

// recordPack records a pack just completed (env is its manifest) and, when
// it supersedes a version, that version's supersession.
func (j *job) recordPack(ctx context.Context, ref pack.Ref, env []byte, docs []pack.Document) error {
	obj := ref.Dir()
	digests := map[string]string{manifest.FileName: manifest.Digest(env)}
	for _, d := range docs {
		digests[d.Name] = d.SHA256
	}
	if err := j.record(ctx, auditlog.EventPackArchived, obj, digests, ""); err != nil {
		// The pack is complete but unrecorded: verify will name it. Say so.
		return fmt.Errorf("recording %s in the audit log: %w", obj, err)
	}
	if j.res.Supersedes > 0 {
		prev := ref.WithVersion(j.res.Supersedes).Dir()
		if err := j.record(ctx, auditlog.EventPackSuperseded, prev, nil, "superseded by "+obj); err != nil {
			return fmt.Errorf("recording that %s supersedes %s: %w", obj, prev, err)
		}
	}
	return nil
}

// recordLate records in the audit log an object a run archived but stopped
// before recording (killed between the two writes): dir+name must be the
// subject of an event entry, or verify will say it is not in the log.
func (j *job) recordLate(ctx context.Context, dir, event, name string) error {
	b, err := archive.ReadAll(ctx, j.r.Store, dir+name)
	if err != nil {
		return fmt.Errorf("reading %s: %w", dir+name, err)
	}
	d := digest(b)
	obj := strings.TrimSuffix(dir, "/")
	if event == auditlog.EventValidationRejected {
		obj = dir + name
	}
	ok, err := j.r.Log.Recorded(ctx, event, obj, d)
	if err != nil || ok {
		return err
	}
	j.log.Warn("archived but never recorded (an earlier run stopped in between); recording it now", "object", obj)
	err = j.record(ctx, event, obj, map[string]string{name: d},
		"recorded by a later run: the run that archived it stopped before recording it")
	if err != nil {
		return fmt.Errorf("recording %s in the audit log: %w", obj, err)
	}
	return nil
}
