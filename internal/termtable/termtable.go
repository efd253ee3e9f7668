// Package termtable prints the text tables of clearpack's commands so that
// they fit a terminal: given a width, the columns that may shrink wrap or
// are cut, and when that is not enough the least useful columns are left
// out; width 0 prints every column in full (`-o wide`). Rendering is
// go-pretty's; this package only decides each column's width.
package termtable

import (
	"io"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
)

// Fit says how a column gives way when the table is too wide.
type Fit int

const (
	// Keep: printed in full (identifiers, statuses, counts).
	Keep Fit = iota
	// Wrap: the text wraps onto further lines within the column, never
	// lost (a check's detail).
	Wrap
	// Cut: the text is cut to the column's width, ending in "…" (a path,
	// a legal source: -o wide shows it whole).
	Cut
)

// Column is one column of a table.
type Column struct {
	Header string
	Fit    Fit
	// Min is the narrowest a Wrap or Cut column becomes before columns are
	// dropped (default 12).
	Min int
	// Drop orders the columns left out when even the narrowest layout does
	// not fit: the highest first; 0 is never dropped.
	Drop int
}

const gap = 2 // spaces between columns

// Layout is the width each column gets; 0 hides it.
func Layout(width int, cols []Column, rows [][]string) []int {
	natural := make([]int, len(cols))
	for i, c := range cols {
		natural[i] = text.StringWidthWithoutEscSequences(c.Header)
		for _, r := range rows {
			if i < len(r) {
				for _, l := range strings.Split(r[i], "\n") {
					natural[i] = max(natural[i], text.StringWidthWithoutEscSequences(l))
				}
			}
		}
	}
	out := append([]int(nil), natural...)
	if width <= 0 {
		return out
	}
	shown := make([]bool, len(cols))
	for i := range shown {
		shown[i] = true
	}
	minOf := func(i int) int {
		if cols[i].Fit == Keep {
			return natural[i]
		}
		m := cols[i].Min
		if m == 0 {
			m = 12
		}
		return min(natural[i], max(m, text.StringWidthWithoutEscSequences(cols[i].Header)))
	}
	for {
		need, n := 0, 0
		for i := range cols {
			if shown[i] {
				need += minOf(i)
				n++
			}
		}
		need += gap * max(n-1, 0)
		if need <= width {
			break
		}
		drop := -1
		for i, c := range cols {
			if shown[i] && c.Drop > 0 && (drop < 0 || c.Drop > cols[drop].Drop) {
				drop = i
			}
		}
		if drop < 0 {
			break // nothing left to drop: as narrow as it gets
		}
		shown[drop] = false
	}
	// Every shown column at its narrowest, then the room left goes to the
	// wrapping ones (whose text is never lost, but long), then to those
	// cut, up to their natural width.
	used, n := 0, 0
	for i := range cols {
		out[i] = 0
		if shown[i] {
			out[i] = minOf(i)
			used += out[i]
			n++
		}
	}
	room := width - used - gap*max(n-1, 0)
	// Still too wide with nothing left to drop: the shrinkable columns go
	// below their minimum (not under 8 columns).
	for i := len(cols) - 1; i >= 0 && room < 0; i-- {
		if shown[i] && cols[i].Fit != Keep && out[i] > 8 {
			take := min(-room, out[i]-8)
			out[i] -= take
			room += take
		}
	}
	for _, fit := range []Fit{Wrap, Cut} {
		for i := range cols {
			if shown[i] && cols[i].Fit == fit && room > 0 && out[i] < natural[i] {
				add := min(room, natural[i]-out[i])
				out[i] += add
				room -= add
			}
		}
	}
	return out
}

// Write prints the table fitted to width (0: every column in full).
func Write(w io.Writer, width int, cols []Column, rows [][]string) error {
	widths := Layout(width, cols, rows)
	t := table.NewWriter()
	style := table.StyleDefault
	style.Options = table.OptionsNoBordersAndSeparators
	// The gap is each column's right padding (trimmed off line ends).
	style.Box.PaddingLeft, style.Box.PaddingRight = "", strings.Repeat(" ", gap)
	style.Format.Header = text.FormatDefault
	t.SetStyle(style)
	var header table.Row
	var cfg []table.ColumnConfig
	for i, c := range cols {
		header = append(header, c.Header)
		cc := table.ColumnConfig{Number: i + 1, Hidden: widths[i] == 0}
		switch {
		case widths[i] == 0:
		case c.Fit == Wrap:
			cc.WidthMax, cc.WidthMaxEnforcer = widths[i], text.WrapSoft
		case c.Fit == Cut:
			cc.WidthMax, cc.WidthMaxEnforcer = widths[i], cut
		}
		cfg = append(cfg, cc)
	}
	t.AppendHeader(header)
	t.SetColumnConfigs(cfg)
	for _, r := range rows {
		row := make(table.Row, len(r))
		for i, v := range r {
			row[i] = v
		}
		t.AppendRow(row)
	}
	var b strings.Builder
	for _, l := range strings.Split(t.Render(), "\n") {
		b.WriteString(strings.TrimRight(l, " "))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// cut shortens s to width columns, ending in "…" when it was longer.
func cut(s string, width int) string {
	if text.StringWidthWithoutEscSequences(s) <= width {
		return s
	}
	return text.Trim(s, width-1) + "…"
}

// WrapLine wraps a line of prose (a heading) at width; 0 leaves it whole.
func WrapLine(s string, width int) string {
	if width <= 0 || text.StringWidthWithoutEscSequences(s) <= width {
		return s
	}
	lines := strings.Split(text.WrapSoft(s, width), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// Item is a list item ("  - text") wrapped at width, its continuation lines
// indented under the text; 0 leaves it whole.
func Item(s string, width int) string {
	const bullet, indent = "  - ", "    "
	if width <= 0 {
		return bullet + s
	}
	return bullet + strings.ReplaceAll(WrapLine(s, max(width-len(bullet), 20)), "\n", "\n"+indent)
}
