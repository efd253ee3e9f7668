package runreport

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/clearpack/clearpack/pipeline"
)

// Progress shows a long run's progress: on a terminal, one line redrawn in
// place (a bar, shipments done of total, rate, time left); elsewhere (a log
// file, a pipe) a plain line every Every. Shipment is safe for concurrent
// use: pass it as pipeline.Runner.OnShipment.
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
	drawn  bool
	lines  int
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

// Start sets the number of shipments and starts the clock.
func (p *Progress) Start(total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total, p.start, p.last = total, p.clock(), p.clock()
	if p.tty {
		p.draw()
	}
}

// Shipment counts one finished shipment.
func (p *Progress) Shipment(res pipeline.ShipmentResult) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	if res.Status == pipeline.Failed || res.Status == pipeline.Rejected {
		p.failed++
	}
	now := p.clock()
	if p.tty || now.Sub(p.last) >= p.every {
		p.last = now
		p.draw()
	}
}

// Finish ends the display (a newline after the bar; a last plain line).
func (p *Progress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty {
		if p.drawn {
			fmt.Fprint(p.w, "\n")
		}
		return
	}
	if p.lines > 0 && p.done > 0 {
		p.draw() // the final count, after periodic lines
	}
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
	if !p.tty {
		fmt.Fprintf(p.w, "progress: %s\n", p.line())
		p.lines++
		return
	}
	const width = 24
	filled := 0
	if p.total > 0 {
		filled = p.done * width / p.total
	}
	bar := strings.Repeat("#", filled) + strings.Repeat("-", width-filled)
	// \r back to the line start, \x1b[K clears what a longer line left.
	fmt.Fprintf(p.w, "\r[%s] %s\x1b[K", bar, p.line())
	p.drawn = true
}
