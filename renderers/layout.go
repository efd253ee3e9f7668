package renderers

import (
	"fmt"
	"strings"

	"github.com/johnfercher/maroto/v2/pkg/components/code"
	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/page"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"
)

// Page geometry in millimetres. Every row this package adds has a height it
// computed itself, so it knows where maroto will break pages and can repeat
// a table's column headings on the next page (maroto does not).
const (
	margin    = 10.0
	padX      = 1.0
	padTop    = 0.8
	padBottom = 1.0
	lineGap   = 1.22 // line height as a multiple of the font size
	footerH   = 6.0
	qrSize    = 22.0

	sizeBody  = 7.5
	sizeSmall = 6.5
	sizeTitle = 13.0
)

var (
	colorGray   = &props.Color{Red: 90, Green: 90, Blue: 90}
	colorBorder = &props.Color{Red: 150, Green: 150, Blue: 150}
	colorFill   = &props.Color{Red: 232, Green: 236, Blue: 241}
	colorPass   = &props.Color{Red: 0, Green: 110, Blue: 40}
	colorWarn   = &props.Color{Red: 170, Green: 100, Blue: 0}
	colorFail   = &props.Color{Red: 190, Green: 0, Blue: 0}
)

// para is one paragraph of a cell: wrapped to the cell's width.
type para struct {
	text  string
	size  float64
	bold  bool
	color *props.Color
}

// cell is one column of a row.
type cell struct {
	w     int // millimetres (the grid is one unit per millimetre)
	paras []para
	align align.Type
	fill  *props.Color
	box   bool // draw a border
	// nowrap shrinks the font of a paragraph wider than the cell instead of
	// wrapping it: amounts and weights are never broken across lines.
	nowrap bool
}

// line is one wrapped line, ready to draw.
type line struct {
	text  string
	size  float64
	bold  bool
	color *props.Color
}

func lineHeight(size float64) float64 { return size * ptToMM * lineGap }

// prepared is a cell with its lines wrapped.
type prepared struct {
	c     cell
	lines []line
}

func (p prepared) height() float64 {
	h := padTop + padBottom
	for _, l := range p.lines {
		h += lineHeight(l.size)
	}
	return h
}

// doc is one document being built. It is used by one goroutine only.
type doc struct {
	r       *Renderer
	l       labels
	m       core.Maroto
	width   int     // usable width, mm
	avail   float64 // usable height above the footer, mm
	headerH float64
	cur     float64 // height used on the current page, mm
	page    int     // pages ended so far (the current page is page+1)
	pageH   float64 // page height, mm
	sigBox  *SignatureBox
	place   string // where the declarant signs (printed in the signature box)
	heading []cell // column headings of the open table, repeated after a page break
	err     error
}

func (d *doc) prepare(c cell) prepared {
	p := prepared{c: c}
	inner := float64(c.w) - 2*padX - 0.3 // a hair inside the padding
	for _, pa := range c.paras {
		m := d.r.regular
		if pa.bold {
			m = d.r.bold
		}
		size := pa.size
		if size == 0 {
			size = sizeBody
		}
		if c.nowrap {
			for size > 4.5 && m.width(pa.text, size) > inner {
				size -= 0.25
			}
		}
		for _, s := range m.wrap(pa.text, size, inner) {
			p.lines = append(p.lines, line{text: s, size: size, bold: pa.bold, color: pa.color})
		}
	}
	return p
}

// build turns prepared cells into a maroto row of the given height. A row
// of an open table gets one rule under it instead of a box per cell: the
// same reading, a fifth of the drawing work on a 5,000-row list.
func (d *doc) build(cells []prepared, h float64) core.Row {
	return d.buildStyled(cells, h, false)
}

func (d *doc) buildStyled(cells []prepared, h float64, rule bool) core.Row {
	cols := make([]core.Col, 0, len(cells))
	for _, p := range cells {
		c := col.New(p.c.w)
		top := padTop
		for _, l := range p.lines {
			style := fontstyle.Normal
			if l.bold {
				style = fontstyle.Bold
			}
			color := l.color
			if color == nil {
				color = &props.BlackColor
			}
			a := p.c.align
			if a == "" {
				a = align.Left
			}
			if l.text != "" {
				c.Add(text.New(l.text, props.Text{
					Top: top, Left: padX, Right: padX, Size: l.size, Style: style,
					Family: fontFamily, Align: a, Color: color,
				}))
			}
			top += lineHeight(l.size)
		}
		st := &props.Cell{}
		if p.c.box && !rule {
			st.BorderType = border.Full
			st.BorderColor = colorBorder
			st.BorderThickness = 0.15
		}
		if p.c.fill != nil {
			st.BackgroundColor = p.c.fill
		}
		if st.BorderType != border.None || st.BackgroundColor != nil {
			c.WithStyle(st)
		}
		cols = append(cols, c)
	}
	r := row.New(h).Add(cols...)
	if rule {
		r.WithStyle(&props.Cell{BorderType: border.Bottom, BorderColor: colorBorder, BorderThickness: 0.15})
	}
	return r
}

// newPage ends the current page; the open table's headings go on the next.
func (d *doc) newPage() {
	d.m.AddPages(page.New())
	d.page++
	d.cur = d.headerH
	if d.heading != nil {
		cells := d.prepareAll(d.heading)
		h := maxHeight(cells)
		d.m.AddRows(d.build(cells, h))
		d.cur += h
	}
}

func (d *doc) prepareAll(cs []cell) []prepared {
	out := make([]prepared, len(cs))
	for i, c := range cs {
		out[i] = d.prepare(c)
	}
	return out
}

func maxHeight(ps []prepared) float64 {
	var h float64
	for _, p := range ps {
		h = max(h, p.height())
	}
	return h
}

// remaining is the height left on the current page.
func (d *doc) remaining() float64 { return d.avail - d.cur }

// add places a row, starting a new page when it does not fit and splitting a
// row taller than a page between pages (no line is ever dropped).
func (d *doc) add(cs ...cell) {
	ps := d.prepareAll(cs)
	for {
		h := maxHeight(ps)
		rule := d.heading != nil
		if h <= d.remaining()+1e-6 {
			d.m.AddRows(d.buildStyled(ps, h, rule))
			d.cur += h
			return
		}
		fresh := d.avail - d.headerH - d.headingHeight()
		if h <= fresh || d.remaining() < 4*lineHeight(sizeBody)+padTop+padBottom {
			if d.cur > d.headerH+d.headingHeight()+1e-6 {
				d.newPage()
				continue
			}
		}
		// Split: what fits here, the rest on the next page.
		space := d.remaining() - padTop - padBottom
		head := make([]prepared, len(ps))
		tail := make([]prepared, len(ps))
		moved := false
		for i, p := range ps {
			var used float64
			n := 0
			for n < len(p.lines) && used+lineHeight(p.lines[n].size) <= space {
				used += lineHeight(p.lines[n].size)
				n++
			}
			if n == 0 && len(p.lines) > 0 && space < lineHeight(p.lines[0].size) {
				d.err = fmt.Errorf("layout: page too small for one line")
				return
			}
			head[i] = prepared{c: p.c, lines: p.lines[:n]}
			tail[i] = prepared{c: p.c, lines: p.lines[n:]}
			if n > 0 {
				moved = true
			}
		}
		if !moved {
			d.err = fmt.Errorf("layout: a row cannot be placed")
			return
		}
		hh := maxHeight(head)
		d.m.AddRows(d.buildStyled(head, hh, rule))
		d.cur += hh
		d.newPage()
		ps = tail
	}
}

func (d *doc) headingHeight() float64 {
	if d.heading == nil {
		return 0
	}
	return maxHeight(d.prepareAll(d.heading))
}

// keep starts a new page unless h millimetres fit on this one, so a block
// (totals, a declaration) is not split from its signature.
func (d *doc) keep(h float64) {
	if h > d.remaining() && d.cur > d.headerH+1e-6 {
		d.newPage()
	}
}

// space adds vertical space (dropped at a page break).
func (d *doc) space(h float64) {
	if h >= d.remaining() {
		return
	}
	d.m.AddRows(row.New(h).Add(col.New(d.width)))
	d.cur += h
}

// table opens a table: its headings are printed now and after every page
// break until endTable.
func (d *doc) table(heading []cell) {
	d.heading = nil
	ps := d.prepareAll(heading)
	// headings plus at least one body line must fit
	d.keep(maxHeight(ps) + 2*lineHeight(sizeBody) + padTop + padBottom)
	d.add(heading...)
	d.heading = heading
}

func (d *doc) endTable() { d.heading = nil }

// section prints a shaded bilingual section title.
func (d *doc) section(key string) {
	d.heading = nil
	d.keep(12)
	d.add(cell{w: d.width, fill: colorFill, paras: []para{{text: d.l.Both(key), bold: true, size: 8.5}}})
}

// heads makes bilingual column headings: English bold, local below in gray.
func (d *doc) heads(ws []int, keys []string, aligns ...align.Type) []cell {
	out := make([]cell, len(ws))
	for i := range ws {
		ps := []para{{text: d.l.En(keys[i]), bold: true, size: sizeSmall}}
		if loc := d.l.Loc(keys[i]); loc != "" {
			ps = append(ps, para{text: loc, size: sizeSmall, color: colorGray})
		}
		c := cell{w: ws[i], paras: ps, fill: colorFill, box: true}
		if i < len(aligns) {
			c.align = aligns[i]
		}
		out[i] = c
	}
	return out
}

// bodyCells makes table body cells from plain strings.
func bodyCells(ws []int, vals []string, aligns []align.Type) []cell {
	out := make([]cell, len(ws))
	for i := range ws {
		c := cell{w: ws[i], paras: []para{{text: vals[i]}}, box: true}
		if i < len(aligns) {
			c.align = aligns[i]
			c.nowrap = aligns[i] == align.Right
		}
		out[i] = c
	}
	return out
}

// kv is a label/value pair printed as "Label / Nhãn: value".
type kv struct {
	key, value string
}

// kvCell prints label/value pairs in one boxed cell.
func (d *doc) kvCell(w int, title string, pairs []kv) cell {
	var ps []para
	if title != "" {
		ps = append(ps, para{text: d.l.Both(title), bold: true, size: sizeSmall, color: colorGray})
	}
	for _, p := range pairs {
		ps = append(ps, para{text: d.l.Both(p.key) + ": " + orDash(p.value)})
	}
	return cell{w: w, paras: ps, box: true}
}

// header builds the rows repeated at the top of every page.
func (d *doc) header(kindKey, docNumber, qr string, facts []string) []core.Row {
	w := d.width - int(qrSize) - 2
	ps := []para{{text: d.l.En(kindKey), bold: true, size: sizeTitle}}
	if loc := d.l.Loc(kindKey); loc != "" {
		ps = append(ps, para{text: loc, bold: true, size: 10, color: colorGray})
	}
	ps = append(ps, para{text: d.l.Both("doc_number") + ": " + docNumber, bold: true, size: 8.5})
	glued := make([]string, len(facts))
	for i, f := range facts {
		glued[i] = strings.ReplaceAll(f, " ", "\u00a0")
	}
	ps = append(ps, para{text: strings.Join(glued, "  ·  "), size: sizeSmall})
	left := d.prepare(cell{w: w, paras: ps})
	h := max(left.height(), qrSize+1)
	left.c.w = w + 2
	qrCol := col.New(int(qrSize)).Add(code.NewQr(qr, props.Rect{Center: true, Percent: 100}))
	r := d.build([]prepared{left}, h)
	r.Add(qrCol)
	sep := row.New(2).Add(col.New(d.width).WithStyle(&props.Cell{
		BorderType: border.Top, BorderColor: colorBorder, BorderThickness: 0.3,
	}))
	d.headerH = h + 2
	return []core.Row{r, sep}
}

// footer builds the row at the bottom of every page (the page number is
// drawn by maroto next to it).
func (d *doc) footer(s string) core.Row {
	p := d.prepare(cell{w: d.width - 40, paras: []para{{text: s, size: 5.5, color: colorGray}}})
	if len(p.lines) > 1 {
		p.lines = p.lines[:1]
	}
	return row.New(footerH).Add(
		col.New(d.width).WithStyle(&props.Cell{BorderType: border.Top, BorderColor: colorBorder, BorderThickness: 0.2}).
			Add(text.New(p.lines[0].text, props.Text{Top: 1.5, Size: 5.5, Family: fontFamily, Color: colorGray, Align: align.Left})),
	)
}
