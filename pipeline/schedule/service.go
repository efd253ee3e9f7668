package schedule

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"
)

// Service runs the worker on cron schedules.
type Service struct {
	Worker    *Worker
	Slots     *Slots
	Schedules []Schedule
	Logger    *slog.Logger
	// Clock is time.Now when nil (missed-slot arithmetic).
	Clock func() time.Time

	ready atomic.Bool
}

// Ready says whether the service is scheduling (started and not stopping):
// what /readyz reports.
func (s *Service) Ready() bool { return s.ready.Load() }

func (s *Service) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (s *Service) now() time.Time {
	if s.Clock != nil {
		return s.Clock()
	}
	return time.Now()
}

// Run schedules the passes until stop ends, then waits for the pass in
// hand. Passes take no new batch once stop has ended; work ends their
// batch in hand (a grace period's end, a second signal). A missed slot
// within its schedule's deadline runs once at start.
func (s *Service) Run(stop, work context.Context) error {
	return s.RunAbortable(stop, work, nil)
}

// RunAbortable is Run where a closed abort (a second signal) means the
// batch cut short is not released (see Trigger.Abort).
func (s *Service) RunAbortable(stop, work context.Context, abort <-chan struct{}) error {
	c := NewCron(s.logger())
	var catchUp []func()
	for _, sc := range s.Schedules {
		spec, err := Parse(sc.Spec)
		if err != nil {
			return err
		}
		job := Chain(s.logger()).Then(s.job(stop, work, abort, sc, spec))
		if _, err := c.AddJob(sc.Spec, job); err != nil {
			return fmt.Errorf("schedule %s: %w", sc.Name, err)
		}
		last, err := s.Slots.Last(work, sc.Name)
		if err != nil {
			return err
		}
		log := s.logger().With("schedule", sc.Name)
		slot, missed, run := Missed(spec, last, s.now(), sc.Deadline)
		switch {
		case missed == 0 && last.IsZero():
			log.Info("schedule has no completed slot yet; waiting for its next one", "spec", sc.Spec, "next", spec.Next(s.now()))
		case missed == 0:
			log.Info("no slot missed", "spec", sc.Spec, "last", last, "next", spec.Next(s.now()))
		case run:
			log.Warn("slot missed while stopped; running it once now", "missed", missed, "slot", slot, "deadline", sc.Deadline)
			catchUp = append(catchUp, job.Run)
		default:
			log.Warn("slots missed while stopped, beyond the starting deadline; not replayed",
				"missed", missed, "latest_missed", slot, "deadline", sc.Deadline, "next", spec.Next(s.now()))
		}
	}
	var wg sync.WaitGroup
	for _, f := range catchUp {
		wg.Go(f)
	}
	c.Start()
	s.ready.Store(true)
	<-stop.Done()
	s.ready.Store(false)
	s.logger().Info("stopping: no new batches; waiting for the batch in hand")
	<-c.Stop().Done()
	wg.Wait()
	return nil
}

// job is one schedule's pass, wrapped by the cron chain (recover, skip if
// still running).
func (s *Service) job(stop, work context.Context, abort <-chan struct{}, sc Schedule, spec cron.Schedule) cron.Job {
	return cron.FuncJob(func() {
		if stop.Err() != nil {
			return
		}
		// The slot this run stands for: the latest activation not after
		// now (cron fires at whole seconds, at or just after the slot).
		now := s.now()
		slot := now.Truncate(time.Second)
		if prev := latestSlot(spec, now); !prev.IsZero() {
			slot = prev
		}
		log := s.logger().With("schedule", sc.Name, "slot", slot.UTC().Format(time.RFC3339))
		results, err := s.Worker.Pass(work, Trigger{Mode: "serve", Schedule: sc.Name, Stop: stop.Done(), Abort: abort})
		if err != nil && stop.Err() != nil {
			log.Info("inbox pass cut short by the stop", "err", err)
			return
		}
		if err != nil {
			log.Error("inbox pass", "err", err)
			return
		}
		log.Info("inbox pass done", "batches", len(results))
		if stop.Err() != nil {
			return // interrupted: the slot is not complete
		}
		if err := s.Slots.Record(work, sc.Name, slot, s.Worker.Claims.Owner); err != nil {
			log.Error("recording the completed slot", "err", err)
		}
	})
}

// latestSlot is the latest activation of spec at or before now, searched
// back at most a day (zero when none).
func latestSlot(spec cron.Schedule, now time.Time) time.Time {
	if _, ok := spec.(cron.ConstantDelaySchedule); ok {
		return time.Time{} // @every: slots are whenever it fires
	}
	var slot time.Time
	for t := spec.Next(now.Add(-24 * time.Hour)); !t.IsZero() && !t.After(now); t = spec.Next(t) {
		slot = t
	}
	return slot
}
