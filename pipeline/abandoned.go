package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/pack"
)

// An incomplete pack version (no manifest) is the remains of a writer that
// stopped, or another instance's work in progress. The run that goes past
// it records it in the audit log as abandoned (EventPackAbandoned: every
// object in it and its digest, and why), so that verify can account for
// it; nothing is ever deleted. A writer that fails mid-pack records its own
// version at once. Otherwise a version is taken over when its writer is
// provably gone (its lease names this host and a process that no longer
// runs, or an earlier boot), or after StaleAfter without a new object.

// writerLease is written before the first object of a pack version, under
// leaseKey: who is writing it.
type writerLease struct {
	Host     string    `json:"host"`
	BootID   string    `json:"boot_id,omitempty"`
	PID      int       `json:"pid"`
	PIDStart string    `json:"pid_start,omitempty"` // the process's start time in clock ticks since boot (Linux)
	Actor    string    `json:"actor,omitempty"`
	Started  time.Time `json:"started"`
}

// leaseKey is where the writer of pack version v records itself:
// scheduler/writers/<program>/<shipment>/vNNNN.json. scheduler/ holds
// operational records: verify accounts for them by place, auditors are
// never served them.
func leaseKey(v pack.Ref) string {
	return "scheduler/writers/" + v.Program + "/" + v.Shipment + "/" + pack.VersionName(v.Version) + ".json"
}

var (
	selfOnce  sync.Once
	selfLease writerLease
)

// self describes this process as a writer.
func self() writerLease {
	selfOnce.Do(func() {
		selfLease.Host, _ = os.Hostname()
		selfLease.BootID = bootID()
		selfLease.PID = os.Getpid()
		selfLease.PIDStart = procStart(selfLease.PID)
	})
	return selfLease
}

func bootID() string {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// procStart is field 22 of /proc/<pid>/stat (start time), "" when unknown.
func procStart(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	// The command name (field 2) may hold spaces: fields count from the
	// last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return ""
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 20 {
		return ""
	}
	return f[19]
}

// gone says whether the writer of lease l provably no longer runs: it ran
// on this host, and this host has rebooted since, or its process is gone
// (or its pid now belongs to a process started at another time).
func (l writerLease) gone() (bool, string) {
	me := self()
	if l.Host == "" || l.Host != me.Host || me.PIDStart == "" {
		return false, ""
	}
	if l.BootID != "" && me.BootID != "" && l.BootID != me.BootID {
		return true, fmt.Sprintf("its writer (host %s, pid %d) ran before this host's last boot", l.Host, l.PID)
	}
	if l.PID == me.PID && l.PIDStart == me.PIDStart {
		return false, ""
	}
	start := procStart(l.PID)
	if start == "" {
		return true, fmt.Sprintf("its writer (host %s, pid %d) is no longer running", l.Host, l.PID)
	}
	if l.PIDStart != "" && start != l.PIDStart {
		return true, fmt.Sprintf("its writer (host %s, pid %d) is no longer running (the pid is another process's now)", l.Host, l.PID)
	}
	return false, ""
}

// takeLease records this process as the writer of version v.
func (r *Runner) takeLease(ctx context.Context, v pack.Ref, retainUntil time.Time) error {
	l := self()
	l.Actor, l.Started = r.Actor, r.now()
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	opts := archive.PutOptions{ContentType: "application/json", RetainUntil: retainUntil}
	if err := archive.PutBytes(ctx, r.Store, leaseKey(v), b, opts); err != nil {
		return fmt.Errorf("recording the writer of %s: %w", v.Dir(), err)
	}
	return nil
}

// takeOver decides about the incomplete version v, last written at
// touched: whether this run may go past it, and why (for the log; "" when
// it is already recorded as abandoned).
func (r *Runner) takeOver(ctx context.Context, v pack.Ref, touched time.Time) (ok bool, why string, err error) {
	if rec, err := r.Log.Recorded(ctx, auditlog.EventPackAbandoned, v.Dir(), ""); err != nil || rec {
		return rec, "", err
	}
	b, err := archive.ReadAll(ctx, r.Store, leaseKey(v))
	switch {
	case err == nil:
		var l writerLease
		if json.Unmarshal(b, &l) == nil {
			if gone, why := l.gone(); gone {
				return true, why, nil
			}
		}
	case !errors.Is(err, archive.ErrNotFound):
		return false, "", fmt.Errorf("reading the writer of %s: %w", v.Dir(), err)
	}
	stale := r.StaleAfter
	if stale == 0 {
		stale = DefaultStaleAfter
	}
	if age := r.now().Sub(touched); age >= stale {
		return true, fmt.Sprintf("no object written to it for %s (stale after %s)", age.Round(time.Second), stale), nil
	}
	return false, "", nil
}

// recordAbandoned records the incomplete version v as abandoned: its
// objects and their digests, and why. Nothing is recorded for a version
// that holds no object, one complete after all, or one recorded already.
func (j *job) recordAbandoned(ctx context.Context, v pack.Ref, why string) error {
	r, obj, dir := j.r, v.Dir(), v.Prefix()
	if rec, err := r.Log.Recorded(ctx, auditlog.EventPackAbandoned, obj, ""); err != nil || rec {
		return err
	}
	digests := map[string]string{}
	err := r.Store.List(ctx, dir, func(in archive.Info) error {
		b, err := archive.ReadAll(ctx, r.Store, in.Key)
		if err != nil {
			return err
		}
		digests[strings.TrimPrefix(in.Key, dir)] = digest(b)
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading the abandoned version %s: %w", dir, err)
	}
	if _, complete := digests[manifest.FileName]; complete || len(digests) == 0 {
		return nil // complete (recordLate records it), or nothing in it
	}
	j.log.Warn("incomplete pack version abandoned; recording it and writing the next", "version", obj, "why", why)
	err = j.record(ctx, auditlog.EventPackAbandoned, obj, digests, "abandoned incomplete (no manifest, never a pack): "+why)
	if err != nil {
		return fmt.Errorf("recording the abandoned version %s: %w", obj, err)
	}
	return nil
}

// abandonOwn records version v, which this run was writing when it failed,
// so that the next run need not wait for it to go stale.
func (j *job) abandonOwn(ctx context.Context, v pack.Ref, cause error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := j.recordAbandoned(ctx, v, "the run writing it failed: "+cause.Error()); err != nil {
		j.log.Error("recording the failed version as abandoned; the next run records it once it is stale", "err", err)
	}
}

// claimVersion takes the lease of the version j.res names, moving past
// versions whose lease is held by a writer that is gone or stale without
// having written an object. ok is false when a live writer holds it.
func (j *job) claimVersion(ctx context.Context, retainUntil time.Time) (ok bool, err error) {
	r := j.r
	for {
		v := j.ref.WithVersion(j.res.Version)
		err := r.takeLease(ctx, v, retainUntil)
		if !errors.Is(err, archive.ErrExists) {
			return err == nil, err
		}
		b, rerr := archive.ReadAll(ctx, r.Store, leaseKey(v))
		if rerr != nil {
			return false, fmt.Errorf("reading the writer of %s: %w", v.Dir(), rerr)
		}
		var l writerLease
		gone := json.Unmarshal(b, &l) != nil
		if !gone {
			gone, _ = l.gone()
		}
		stale := r.StaleAfter
		if stale == 0 {
			stale = DefaultStaleAfter
		}
		if !gone && r.now().Sub(l.Started) < stale {
			j.res.Path = v.Prefix()
			return false, nil
		}
		j.res.Version++
	}
}
