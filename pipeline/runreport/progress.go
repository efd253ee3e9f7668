package runreport

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/clearpack/clearpack/pipeline"
)

// Progress shows a long run's progress: on a terminal, a bar (mpb) as wide
// as the terminal, redrawn in place, with shipments done of total, rate and
// time left, the text cut to the width so that a redraw never wraps onto a
// second line; elsewhere (a log file, a pipe) a plain line every Every.
// Lines written to the Progress itself (Write: give it to the log handler)
// are printed whole above the bar. Shipment is safe for concurrent use: pass
// it as pipeline.Runner.OnShipment.
type Progress struct {
	w     io.Writer
	log   *slog.Logger
	tty   bool
	every time.Duration
	clock func() time.Time

	mu     sync.Mutex
	total  int
	done   int
	failed int
	start  time.Time
	last   time.Time
	lines  int

	mp  *mpb.Progress // the terminal's bar, while it is drawn
	bar *mpb.Bar
}

// NewProgress draws on w. tty selects the redrawn bar; every is the period
// of plain lines (10 s when zero). clock is time.Now when nil.
func NewProgress(w io.Writer, tty bool, every time.Duration, clock func() time.Time) *Progress {
	if every <= 0 {
		every = 10 * time.Second
	}
	if clock == nil {
		clock = time.Now
	}
	return &Progress{w: w, tty: tty, every: every, clock: clock}
}

// NewProgressLog writes the periodic progress as log records ("progress",
// with done, total, not_archived, per_second and left), for services whose
// output is structured logs.
func NewProgressLog(l *slog.Logger, every time.Duration, clock func() time.Time) *Progress {
	p := NewProgress(io.Discard, false, every, clock)
	p.log = l
	return p
}

// Start sets the number of shipments and starts the clock (and, on a
// terminal, the bar).
func (p *Progress) Start(total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total, p.start, p.last = total, p.clock(), p.clock()
	if p.tty && total > 0 {
		p.mp = mpb.New(mpb.WithOutput(p.w), mpb.WithAutoRefresh(), mpb.WithRefreshRate(150*time.Millisecond))
		// The decorators read the counts under p.mu from mpb's goroutine:
		// nothing calls into the bar while holding it.
		p.bar = p.mp.New(int64(total), mpb.BarStyle().Lbound("[").Filler("#").Tip("#").Padding("-").Rbound("]"),
			mpb.PrependDecorators(decor.Any(func(decor.Statistics) string { return p.Counts() })),
			mpb.AppendDecorators(decor.Any(func(decor.Statistics) string { return p.Pace() })))
	}
}

// Shipment counts one finished shipment.
func (p *Progress) Shipment(res pipeline.ShipmentResult) {
	p.mu.Lock()
	p.done++
	if res.Status == pipeline.Failed || res.Status == pipeline.Rejected {
		p.failed++
	}
	bar := p.bar
	now := p.clock()
	if !p.tty && now.Sub(p.last) >= p.every {
		p.last = now
		p.draw()
	}
	p.mu.Unlock()
	if bar != nil {
		bar.Increment()
	}
}

// Finish ends the display: the bar's last state stays on the terminal
// (where a stopped run left it); after periodic lines, a last one.
func (p *Progress) Finish() {
	p.mu.Lock()
	mp, bar := p.mp, p.bar
	p.mp, p.bar = nil, nil
	if !p.tty && p.lines > 0 && p.done > 0 {
		p.draw() // the final count, after periodic lines
	}
	p.mu.Unlock()
	if mp != nil {
		if !bar.Completed() {
			bar.Abort(false) // stopped early: keep it drawn as it is
		}
		mp.Wait()
	}
}

// Write prints b above the bar while one is drawn (at its next redraw,
// whole), straight to the output otherwise: the writer for log lines while
// a bar runs.
func (p *Progress) Write(b []byte) (int, error) {
	p.mu.Lock()
	mp := p.mp
	p.mu.Unlock()
	if mp != nil {
		n, err := mp.Write(b)
		var done mpb.ErrDone[*mpb.Progress]
		if !errors.As(err, &done) {
			return n, err
		}
	}
	return p.w.Write(b)
}

// Counts is the bar's left-hand text: "12/20 shipments".
func (p *Progress) Counts() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return fmt.Sprintf("%d/%d shipments", p.done, p.total)
}

// Pace is the bar's right-hand text: percentage, shipments not archived,
// rate and time left.
func (p *Progress) Pace() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	rate, left := p.rate()
	s := "0%"
	if p.total > 0 {
		s = fmt.Sprintf("%d%%", p.done*100/p.total)
	}
	if p.failed > 0 {
		s += fmt.Sprintf(", %d not archived", p.failed)
	}
	s += fmt.Sprintf(", %.1f/s", rate)
	if left > 0 {
		s += ", " + left.Round(time.Second).String() + " left"
	}
	return s
}

// Line is the text of the current state, without bar or carriage return.
func (p *Progress) Line() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.line()
}

// rate is shipments per second so far and the time left at that rate.
func (p *Progress) rate() (float64, time.Duration) {
	el := p.clock().Sub(p.start)
	var rate float64
	if el > 0 {
		rate = float64(p.done) / el.Seconds()
	}
	var left time.Duration
	if rate > 0 && p.total > p.done {
		left = time.Duration(float64(p.total-p.done) / rate * float64(time.Second))
	}
	return rate, left
}

func (p *Progress) line() string {
	rate, left := p.rate()
	s := fmt.Sprintf("%d/%d shipments", p.done, p.total)
	if p.total > 0 {
		s += fmt.Sprintf(" (%d%%)", p.done*100/p.total)
	}
	if p.failed > 0 {
		s += fmt.Sprintf(", %d not archived", p.failed)
	}
	s += fmt.Sprintf(", %.1f/s", rate)
	if left > 0 {
		s += ", about " + left.Round(time.Second).String() + " left"
	}
	return s
}

func (p *Progress) draw() {
	if p.log != nil {
		rate, left := p.rate()
		p.log.Info("progress", "done", p.done, "total", p.total, "not_archived", p.failed,
			"per_second", float64(int(rate*10))/10, "left", left.Round(time.Second).String())
		p.lines++
		return
	}
	fmt.Fprintf(p.w, "progress: %s\n", p.line())
	p.lines++
}
