package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// screen is a terminal of a fixed width as far as the progress display
// needs one: text wraps at the last column; \r, \n, cursor up (CSI n A),
// erase below (CSI J) and erase line (CSI K); other CSI sequences (colours)
// are ignored. wrapped[i] is true when row i continues onto row i+1.
type screen struct {
	width    int
	rows     [][]rune
	wrapped  []bool
	row, col int
}

func (s *screen) ensure() {
	for len(s.rows) <= s.row {
		s.rows = append(s.rows, nil)
		s.wrapped = append(s.wrapped, false)
	}
}

func (s *screen) put(r rune) {
	if s.col == s.width {
		s.wrapped[s.row] = true
		s.row, s.col = s.row+1, 0
		s.ensure()
	}
	line := s.rows[s.row]
	for len(line) <= s.col {
		line = append(line, ' ')
	}
	line[s.col] = r
	s.rows[s.row] = line
	s.col++
}

func (s *screen) feed(b []byte) {
	in := []rune(string(b))
	s.ensure()
	for i := 0; i < len(in); i++ {
		switch r := in[i]; {
		case r == '\r':
			s.col = 0
		case r == '\n':
			s.row++
			s.col = 0
			s.ensure()
		case r == 0x1b && i+1 < len(in) && in[i+1] == '[':
			j := i + 2
			for j < len(in) && (in[j] < 0x40 || in[j] > 0x7e) {
				j++
			}
			if j == len(in) {
				return
			}
			n, _ := strconv.Atoi(string(in[i+2 : j]))
			switch in[j] {
			case 'A':
				s.row = max(0, s.row-max(n, 1))
			case 'J':
				s.rows[s.row] = truncRunes(s.rows[s.row], s.col)
				s.wrapped[s.row] = false
				s.rows, s.wrapped = s.rows[:s.row+1], s.wrapped[:s.row+1]
			case 'K':
				s.rows[s.row] = truncRunes(s.rows[s.row], s.col)
				s.wrapped[s.row] = false
			}
			i = j
		default:
			s.put(r)
		}
	}
}

func truncRunes(r []rune, n int) []rune {
	if len(r) > n {
		return r[:n]
	}
	return r
}

// lines are the screen's logical lines: rows joined where the text wrapped,
// each with the number of rows it takes.
func (s *screen) lines() (text []string, rows []int) {
	cur, n := "", 0
	for i, r := range s.rows {
		cur += strings.TrimRight(string(r), " ")
		n++
		if !s.wrapped[i] {
			text, rows = append(text, cur), append(rows, n)
			cur, n = "", 0
		}
	}
	return text, rows
}

// On a terminal 60 columns wide, run's progress bar stays on one row that
// it redraws in place, and the warnings logged while it runs are printed
// whole above it (issue 20: the bar added a row per redraw under 80
// columns, and WARN lines landed on its row).
func TestProgressBarOnNarrowTerminal(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	if code, _, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK {
		t.Fatal(errOut)
	}
	args := []string{"run", "--inventory", sampleInv, "--plan", samplePlan, "--clearances", sampleClear, "--key", key, "--workers", "1"}

	cmd := exec.Command(bin, append(args, "--archive", filepath.Join(dir, "a1"))...)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Env = append(os.Environ(), "TERM=xterm")
	const width = 60
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: width, Rows: 24})
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	var raw bytes.Buffer
	copied := make(chan error, 1)
	go func() { _, err := io.Copy(&raw, ptmx); copied <- err }()
	werr := cmd.Wait()
	select {
	case <-copied: // EIO once the child is gone
	case <-time.After(10 * time.Second):
		t.Fatal("the terminal's output did not end")
	}
	var ee *exec.ExitError
	if !errors.As(werr, &ee) || ee.ExitCode() != ExitPartial {
		t.Fatalf("run: %v, want exit %d\n%q", werr, ExitPartial, raw.String())
	}

	s := &screen{width: width}
	s.feed(raw.Bytes())
	text, rows := s.lines()
	bars, warns := 0, 0
	for i, l := range text {
		isBar := strings.Contains(l, " shipments [")
		switch {
		case isBar:
			bars++
			if rows[i] != 1 || len([]rune(l)) > width {
				t.Errorf("the bar takes %d rows (%d columns) on a %d-column terminal: %q", rows[i], len([]rune(l)), width, l)
			}
			if !regexp.MustCompile(`^20/20 shipments \[#+\] 100%, 1 not archived`).MatchString(l) {
				t.Errorf("final bar: %q", l)
			}
		case strings.Contains(l, "level=WARN"):
			warns++
			if !regexp.MustCompile(`^time=\S+ level=WARN msg="shipment rejected" shipment=APL26-BR-03 reasons=1 path=\S+/$`).MatchString(l) {
				t.Errorf("a warning is not a line of its own: %q", l)
			}
		case regexp.MustCompile(`\[[#-]{3,}|\d+/\d+ shipments|\d+\.\d/s`).MatchString(l):
			t.Errorf("a stale piece of the bar stays on the screen: %q", l)
		}
	}
	if bars != 1 || warns != 1 {
		t.Errorf("the screen shows %d bars and %d warnings, want one of each:\n%s", bars, warns, strings.Join(text, "\n"))
	}
	if !strings.Contains(stdout.String(), "19 archived") {
		t.Errorf("summary on stdout: %s", stdout.String())
	}

	// Not a terminal: no bar, no escape sequences.
	code, _, errOut := 0, "", ""
	c := exec.Command(bin, append(args, "--archive", filepath.Join(dir, "a2"))...)
	var eb bytes.Buffer
	c.Stderr = &eb
	if err := c.Run(); errors.As(err, &ee) {
		code = ee.ExitCode()
	}
	errOut = eb.String()
	if code != ExitPartial || strings.Contains(errOut, "\x1b[") || strings.Contains(errOut, "shipments [") || !strings.Contains(errOut, `level=WARN msg="shipment rejected"`) {
		t.Errorf("stderr not a terminal: exit %d, want no bar:\n%q", code, errOut)
	}
}
