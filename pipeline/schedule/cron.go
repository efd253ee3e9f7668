// Package schedule runs clearpack as a service: cron schedules (robfig/cron
// v3) that each process the inbox once per slot, catch-up of a missed slot
// at start, and the job loop that claims inbox batches, runs the pipeline on
// them, archives a run report and moves them to done/ or failed/.
//
// Several instances may run at once against one archive and inbox: every
// one fires on every slot, and the batch claims (inbox.Claims) make sure
// each batch is processed by exactly one.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/clearpack/clearpack/archive"
)

// Schedule is one named cron schedule.
type Schedule struct {
	// Name identifies the schedule in logs, metrics and the archive
	// (scheduler/slots/<name>/...): letters, digits, - _ . only.
	Name string
	// Spec is a standard 5-field cron expression or a descriptor (@hourly,
	// @daily, @every 10m), optionally prefixed by CRON_TZ=<zone> (IANA name)
	// to read it in that zone; UTC otherwise.
	Spec string
	// Deadline: at start, a slot missed less than this long ago runs once
	// (like a Kubernetes CronJob's startingDeadlineSeconds); older misses
	// are logged and not replayed. Zero: missed slots are never replayed.
	Deadline time.Duration
}

// Parse reads a cron spec the way the service does.
func Parse(spec string) (cron.Schedule, error) {
	s, err := cron.ParseStandard(strings.TrimSpace(spec))
	if err != nil {
		return nil, fmt.Errorf("cron schedule %q: %w", spec, err)
	}
	return s, nil
}

// ParseSchedules reads "name=spec" entries separated by ";", for example
// "inbox=*/15 * * * *; nightly=CRON_TZ=Asia/Singapore 0 2 * * *". Every
// schedule gets deadline.
func ParseSchedules(s string, deadline time.Duration) ([]Schedule, error) {
	var out []Schedule
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, spec, ok := strings.Cut(part, "=")
		name, spec = strings.TrimSpace(name), strings.TrimSpace(spec)
		if !ok || name == "" || spec == "" || strings.HasPrefix(name, "CRON_TZ") {
			return nil, fmt.Errorf("schedule %q: expected name=spec (e.g. inbox=@every 15m)", part)
		}
		if err := archive.ValidSegment(name); err != nil {
			return nil, fmt.Errorf("schedule name %q: %w", name, err)
		}
		if seen[name] {
			return nil, fmt.Errorf("schedule name %q used twice", name)
		}
		seen[name] = true
		if _, err := Parse(spec); err != nil {
			return nil, err
		}
		out = append(out, Schedule{Name: name, Spec: spec, Deadline: deadline})
	}
	if len(out) == 0 {
		return nil, errors.New("no schedule given (e.g. inbox=@every 15m)")
	}
	return out, nil
}

// NewCron builds the scheduler the way the library's defaults do not: a
// panicking job is recovered and logged (the scheduler goes on), and a run
// that is still going when its next slot comes makes that slot be skipped
// (logged), never run twice at once. Times are read in UTC unless a spec
// says CRON_TZ=.
//
// The order of the wrappers matters: SkipIfStillRunning (v3.0.1) hands its
// run token back only when the job returns normally, so with Recover
// outside it a single panic would make every later run be skipped.
// Recover goes inside: Skip(Recover(job)). TestCronSurvivesPanic guards it.
func NewCron(l *slog.Logger) *cron.Cron {
	cl := cronLogger{l}
	return cron.New(
		cron.WithLocation(time.UTC),
		cron.WithLogger(cl),
		cron.WithChain(cron.SkipIfStillRunning(cl), cron.Recover(cl)),
	)
}

// Chain is NewCron's job chain, for running a job outside the scheduler
// (a catch-up run at start) under the same rules: wrap the job once with
// it and give the wrapped job to both.
func Chain(l *slog.Logger) cron.Chain {
	cl := cronLogger{l}
	return cron.NewChain(cron.SkipIfStillRunning(cl), cron.Recover(cl))
}

// cronLogger passes the library's log lines to slog. Its Info lines are
// routine (schedule, wake, run) and go at debug level, except a skipped run.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) {
	if msg == "skip" {
		c.l.Warn("previous run still going; slot skipped", kv...)
		return
	}
	c.l.Debug("cron: "+msg, kv...)
}

func (c cronLogger) Error(err error, msg string, kv ...any) {
	if msg == "panic" {
		c.l.Error("job panicked; recovered, the scheduler goes on", append([]any{"err", err}, kv...)...)
		return
	}
	c.l.Error("cron: "+msg, append([]any{"err", err}, kv...)...)
}

// SlotsPrefix is where the last completed slot of each schedule is kept.
const SlotsPrefix = "scheduler/slots/"

const slotFormat = "20060102T150405Z"

// Slots keeps, in the archive, the slots each schedule completed:
// scheduler/slots/<schedule>/<slot, UTC 20060102T150405Z>, create-only.
type Slots struct {
	Store archive.Store
}

// Last returns the latest completed slot of a schedule (zero when none).
func (s *Slots) Last(ctx context.Context, name string) (time.Time, error) {
	var last time.Time
	err := s.Store.List(ctx, SlotsPrefix+name+"/", func(in archive.Info) error {
		t, err := time.Parse(slotFormat, in.Key[strings.LastIndex(in.Key, "/")+1:])
		if err == nil && t.After(last) {
			last = t
		}
		return nil
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("reading the last slot of %s: %w", name, err)
	}
	return last, nil
}

// Record notes that a schedule completed a slot. Another instance having
// recorded it already is not an error.
func (s *Slots) Record(ctx context.Context, name string, slot time.Time, owner string) error {
	key := SlotsPrefix + name + "/" + slot.UTC().Format(slotFormat)
	body := fmt.Sprintf("{\"schedule\":%q,\"slot\":%q,\"owner\":%q}\n", name, slot.UTC().Format(time.RFC3339), owner)
	err := archive.PutBytes(ctx, s.Store, key, []byte(body), archive.PutOptions{ContentType: "application/json"})
	if err != nil && !errors.Is(err, archive.ErrExists) {
		return fmt.Errorf("recording slot %s of %s: %w", slot.UTC().Format(time.RFC3339), name, err)
	}
	return nil
}

// maxMissed bounds how many missed slots Missed counts.
const maxMissed = 100000

// Missed says what to do at start about the slots of sched after last (the
// latest completed slot) up to now: slot is the latest missed one, missed
// how many were missed (counted up to 100,000), and run whether slot is to
// run now: it was missed at most deadline ago. A zero last (the schedule
// never completed a slot) misses nothing.
func Missed(sched cron.Schedule, last, now time.Time, deadline time.Duration) (slot time.Time, missed int, run bool) {
	if last.IsZero() {
		return time.Time{}, 0, false
	}
	for t := sched.Next(last); !t.IsZero() && !t.After(now) && missed < maxMissed; t = sched.Next(t) {
		slot, missed = t, missed+1
	}
	if missed == 0 {
		return time.Time{}, 0, false
	}
	// The latest slot, found from a point no earlier than the deadline's
	// start, so that a long outage of a frequent schedule costs no more
	// than the slots within the deadline.
	from := last
	if lim := now.Add(-deadline - time.Second); deadline > 0 && lim.After(from) {
		from = lim
	}
	if missed == maxMissed && deadline > 0 {
		slot = time.Time{}
		for t := sched.Next(from); !t.IsZero() && !t.After(now); t = sched.Next(t) {
			slot = t
		}
		if slot.IsZero() {
			return time.Time{}, missed, false
		}
	}
	return slot, missed, deadline > 0 && now.Sub(slot) <= deadline
}
