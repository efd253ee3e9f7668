package schedule

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/clearpack/clearpack/archive/mem"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestMissed(t *testing.T) {
	for _, tc := range []struct {
		name     string
		spec     string
		last     string
		now      string
		deadline time.Duration
		slot     string // "" for none
		missed   int
		run      bool
	}{
		{"never ran: nothing missed", "@hourly", "", "2026-03-01T12:30:00Z", time.Hour, "", 0, false},
		{"nothing missed", "@hourly", "2026-03-01T12:00:00Z", "2026-03-01T12:59:59Z", time.Hour, "", 0, false},
		{"one missed, within deadline", "@hourly", "2026-03-01T11:00:00Z", "2026-03-01T12:10:00Z", 15 * time.Minute, "2026-03-01T12:00:00Z", 1, true},
		{"one missed, beyond deadline", "@hourly", "2026-03-01T11:00:00Z", "2026-03-01T12:20:00Z", 15 * time.Minute, "2026-03-01T12:00:00Z", 1, false},
		{"many missed: the latest runs once", "*/15 * * * *", "2026-03-01T08:00:00Z", "2026-03-01T12:05:00Z", 10 * time.Minute, "2026-03-01T12:00:00Z", 16, true},
		{"no deadline: never replayed", "@hourly", "2026-03-01T11:00:00Z", "2026-03-01T12:00:01Z", 0, "2026-03-01T12:00:00Z", 1, false},
		{"zone: 02:00 Singapore is 18:00 UTC", "CRON_TZ=Asia/Singapore 0 2 * * *", "2026-02-28T18:00:00Z", "2026-03-01T18:30:00Z", time.Hour, "2026-03-01T18:00:00Z", 1, true},
		{"a long outage of a frequent schedule", "@every 1s", "2026-01-01T00:00:00Z", "2026-03-01T12:00:00Z", 30 * time.Second, "2026-03-01T12:00:00Z", maxMissed, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec, err := Parse(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			var last time.Time
			if tc.last != "" {
				last = utc(tc.last)
			}
			slot, missed, run := Missed(spec, last, utc(tc.now), tc.deadline)
			var want time.Time
			if tc.slot != "" {
				want = utc(tc.slot)
			}
			if !slot.Equal(want) || missed != tc.missed || run != tc.run {
				t.Errorf("Missed = %s, %d, %v; want %s, %d, %v", slot, missed, run, want, tc.missed, tc.run)
			}
		})
	}
}

func TestParseSchedules(t *testing.T) {
	s, err := ParseSchedules("inbox=@every 15m; nightly=CRON_TZ=Asia/Singapore 0 2 * * *", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != 2 || s[1].Name != "nightly" || s[1].Spec != "CRON_TZ=Asia/Singapore 0 2 * * *" || s[0].Deadline != time.Hour {
		t.Errorf("parsed %+v", s)
	}
	for _, bad := range []string{"", "@hourly", "x=not a spec", "a=@hourly;a=@daily", "bad/name=@hourly"} {
		if _, err := ParseSchedules(bad, 0); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Write(p) }
func (l *logBuf) String() string              { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// The chain recovers a panicking job and skips a run while the previous one
// still goes.
func TestChainRecoversAndSkips(t *testing.T) {
	var logs logBuf
	l := slog.New(slog.NewTextHandler(&logs, nil))
	chain := Chain(l)

	chain.Then(cron.FuncJob(func() { panic("renderer blew up") })).Run() // must not panic here
	if !strings.Contains(logs.String(), "job panicked; recovered") || !strings.Contains(logs.String(), "renderer blew up") {
		t.Errorf("panic not logged:\n%s", logs.String())
	}

	release := make(chan struct{})
	started := make(chan struct{})
	var runs atomic.Int32
	job := chain.Then(cron.FuncJob(func() {
		runs.Add(1)
		close(started)
		<-release
	}))
	done := make(chan struct{})
	go func() { job.Run(); close(done) }()
	<-started
	job.Run() // overlaps the first: skipped, returns at once
	close(release)
	<-done
	if n := runs.Load(); n != 1 {
		t.Errorf("%d runs, want 1 (the overlapping one skipped)", n)
	}
	if !strings.Contains(logs.String(), "previous run still going; slot skipped") {
		t.Errorf("skip not logged:\n%s", logs.String())
	}
}

// The scheduler itself, with a job that panics on its first run: it keeps
// running the schedule.
func TestCronSurvivesPanic(t *testing.T) {
	var logs logBuf
	c := NewCron(slog.New(slog.NewTextHandler(&logs, nil)))
	var runs atomic.Int32
	third := make(chan struct{})
	if _, err := c.AddFunc("@every 1s", func() {
		n := runs.Add(1)
		if n == 1 {
			panic("first run panics")
		}
		if n == 3 {
			close(third)
		}
	}); err != nil {
		t.Fatal(err)
	}
	c.Start()
	defer func() { <-c.Stop().Done() }()
	select {
	case <-third:
	case <-time.After(time.Minute): // a safety net for a hung scheduler, not a speed assertion
		t.Fatalf("the scheduler stopped after a panic: %d runs\n%s", runs.Load(), logs.String())
	}
}

func TestSlots(t *testing.T) {
	ctx := context.Background()
	s := &Slots{Store: mem.New()}
	if last, err := s.Last(ctx, "inbox"); err != nil || !last.IsZero() {
		t.Fatalf("empty: %v %v", last, err)
	}
	for _, ts := range []string{"2026-03-01T10:00:00Z", "2026-03-01T12:00:00Z", "2026-03-01T11:00:00Z", "2026-03-01T12:00:00Z"} {
		if err := s.Record(ctx, "inbox", utc(ts), "me"); err != nil {
			t.Fatal(err) // recording a slot twice (another instance) is fine
		}
	}
	if err := s.Record(ctx, "other", utc("2026-03-02T00:00:00Z"), "me"); err != nil {
		t.Fatal(err)
	}
	last, err := s.Last(ctx, "inbox")
	if err != nil || !last.Equal(utc("2026-03-01T12:00:00Z")) {
		t.Errorf("last = %v, %v", last, err)
	}
}
