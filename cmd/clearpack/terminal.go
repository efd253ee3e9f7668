package main

import (
	"io"
	"os"
	"sync"

	"golang.org/x/term"

	"github.com/clearpack/clearpack/pipeline/runreport"
)

// stderrSink is the writer for everything a run prints to stderr (log lines,
// warnings): while a progress bar is drawn, each line goes above it, whole;
// otherwise straight to w.
type stderrSink struct {
	w  io.Writer
	mu sync.Mutex
	p  *runreport.Progress
}

func newStderrSink(w io.Writer) *stderrSink {
	if s, ok := w.(*stderrSink); ok {
		return s
	}
	return &stderrSink{w: w}
}

func (s *stderrSink) Write(b []byte) (int, error) {
	s.mu.Lock()
	p := s.p
	s.mu.Unlock()
	if p != nil {
		return p.Write(b)
	}
	return s.w.Write(b)
}

// progress starts a progress display of total shipments on the sink's
// output: a bar on a terminal (the sink's lines then go above it), a line
// every 10 s otherwise. Its Finish must be called.
func (s *stderrSink) progress(total int) *runreport.Progress {
	p := runreport.NewProgress(s.w, isTerminal(s.w), 0, nil)
	p.Start(total)
	s.mu.Lock()
	s.p = p
	s.mu.Unlock()
	return p
}

// finish ends p's display; the sink writes straight to its output again.
func (s *stderrSink) finish(p *runreport.Progress) {
	s.mu.Lock()
	if s.p == p {
		s.p = nil
	}
	s.mu.Unlock()
	p.Finish()
}

// isTerminal reports whether w (or the output behind a stderrSink) is a
// terminal.
func isTerminal(w io.Writer) bool {
	if s, ok := w.(*stderrSink); ok {
		w = s.w
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
