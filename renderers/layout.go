package renderers

import (
	"fmt"
	"math"
	"strings"

	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/image"
	"github.com/johnfercher/maroto/v2/pkg/components/page"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/consts/extension"
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
	qrGap     = 2 // mm between the header text and the QR's own quiet zone

	sizeBody  = 7.5
	sizeSmall = 6.5
	sizeTitle = 13.0
)

var (
	colorGray   = &props.Color{Red: 90, Green: 90, Blue: 90}
	colorBorder = &props.Color{Red: 150, Green: 150, Blue: 150}
	colorFill   = &props.Color{Red: 232, Green: 236, Blue: 241}
	colorLabel  = &props.Color{Red: 60, Green: 60, Blue: 60}
	colorPass   = &props.Color{Red: 0, Green: 110, Blue: 40}
	colorWarn   = &props.Color{Red: 170, Green: 100, Blue: 0}
	colorFail   = &props.Color{Red: 190, Green: 0, Blue: 0}
)

// para is one paragraph of a cell: wrapped to the cell's width at spaces.
type para struct {
	text  string
	size  float64
	bold  bool
	color *props.Color
}

// pair is a label and its value, laid out as one unit: the label in a left
// column, the value in a right column, both starting on the same baseline
// however many lines either wraps to.
type pair struct {
	label, value string
	size         float64
	bold         bool
	// right aligns the value to the cell's right edge (amounts).
	right bool
}

// cell is one column of a row.
type cell struct {
	w     int // millimetres (the grid is one unit per millimetre)
	paras []para
	// pairs follow the paragraphs: label/value rows (see pair).
	pairs []pair
	align align.Type
	fill  *props.Color
	box   bool // draw a border
	// nowrap shrinks the font of a paragraph wider than the cell instead of
	// wrapping it: amounts and weights are never broken across lines.
	nowrap bool
	// figure, when set, makes the cell a figure with this alternate text
	// (the signature box).
	figure string
	// titled: the first paragraph is the cell's title (a party's role,
	// a block of details), tagged H3.
	titled bool
}

// frag is one line of text placed in a cell: x and w in millimetres from the
// cell's inner left edge.
type frag struct {
	text  string
	size  float64
	bold  bool
	color *props.Color
	x, w  float64
	align align.Type
	// para is the index of the cell's paragraph the line is of, pair the
	// index of its label/value pair (-1: none); label: the pair's label.
	// They decide the line's structure element (tagFor).
	para, pair int
	label      bool
}

// band is a horizontal slice of a cell that is never split between pages:
// one wrapped line of a paragraph, or one label/value pair.
type band struct {
	h     float64
	frags []frag
}

func lineHeight(size float64) float64 { return size * ptToMM * lineGap }

// prepared is a cell with its text wrapped into bands.
type prepared struct {
	c     cell
	bands []band
}

func (p prepared) height() float64 {
	h := padTop + padBottom
	for _, b := range p.bands {
		h += b.h
	}
	return h
}

// item is one row of the document, laid out when the document is finished
// (flush), so that a heading can be kept with what follows it and a table's
// columns sized to everything in them.
type item struct {
	cells    []cell
	prep     []prepared // cached by flush
	tbl      *tableState
	head     bool    // the column headings of tbl
	keepNext bool    // on the same page as the next row
	space    float64 // a vertical space (dropped at a page break)
	keepH    float64 // a marker: start a new page unless keepH mm fit
	heading  bool    // a section title (tagged H2)
	// sig marks the row holding the signature box: its x and width in mm.
	sig *[2]float64
}

// tableState is one table: its column headings and its rows' items.
type tableState struct {
	heading []cell
	rows    []int // indexes into doc.items
	// headPrep is heading prepared, and headH its height: made once, when
	// the table is placed (its columns are sized by then).
	headPrep []prepared
	headH    float64
}

// doc is one document being built. It is used by one goroutine only.
type doc struct {
	r       *Renderer
	l       labels
	nf      numFmt
	m       core.Maroto
	width   int     // usable width, mm
	avail   float64 // usable height above the footer, mm
	headerH float64
	cur     float64 // height used on the current page, mm
	page    int     // pages ended so far (the current page is page+1)
	pageH   float64 // page height, mm
	sigBox  *SignatureBox
	place   string      // where the declarant signs (printed in the signature box)
	heading *tableState // the table being placed: its column headings are repeated after a page break
	items   []item
	open    *tableState // the table being built
	err     error
	tags    *tagger          // the structure tree (tagging.go)
	lineBuf []string         // lines' scratch buffer
	frags   []frag           // the arena newFrags takes from
	comps   []core.Component // a column's components' scratch buffer (Col.Add copies them)
	tagged  []tagged         // the arena newTagged takes from
	bands   []band           // the arena newBands takes from
	rowTag  rowTag           // what the row being built is
}

// inner is the width text may take in a cell of width w.
func inner(w int) float64 { return float64(w) - 2*padX - 0.3 } // a hair inside the padding

// fitSize is the largest size, from size down to minSize, at which every
// word of s fits in max mm (the whole of s when nowrap).
func (m *metrics) fitSize(s string, size, max float64, nowrap bool) float64 {
	var widest float64 // the advances of the widest word
	if nowrap {
		widest = m.addAdvances(0, s)
	} else {
		var ww float64
		for ws, we := nextWord(s, 0); ws < len(s); ws, we = nextWord(s, we) {
			adv, thai := m.wordAdvances(s[ws:we])
			if thai { // breakable
				continue
			}
			if x := m.mm(adv, size); x > ww {
				widest, ww = adv, x
			}
		}
	}
	for size > minSize && m.mm(widest, size) > max {
		size -= 0.25
	}
	return size
}

// minSize is the smallest font a paragraph shrinks to so that its longest
// word fits; only below it is a word broken, so no text is ever lost.
const minSize = 4.5

func (d *doc) metricsFor(bold bool) *metrics {
	if bold {
		return d.r.bold
	}
	return d.r.regular
}

func (d *doc) lines(text string, size float64, bold bool, color *props.Color, x, w float64, a align.Type, nowrap bool) []frag {
	if size == 0 {
		size = sizeBody
	}
	m := d.metricsFor(bold)
	size = m.fitSize(text, size, w, nowrap)
	d.lineBuf = m.appendWrap(d.lineBuf[:0], text, size, w)
	out := d.newFrags(len(d.lineBuf))
	for i, s := range d.lineBuf {
		out[i] = frag{text: s, size: size, bold: bold, color: color, x: x, w: w, align: a}
	}
	return out
}

// newFrags returns n zero frags from the document's arena: a document's
// lines are allocated in chunks, not a slice per paragraph.
func (d *doc) newFrags(n int) []frag { return fromArena(&d.frags, n) }

// fromArena takes n elements from the end of *arena, starting a new chunk
// of at least 256 when it has no room; the slice returned is capped at n,
// so appending to it never writes into the next taker's elements.
func fromArena[T any](arena *[]T, n int) []T {
	if n > cap(*arena)-len(*arena) {
		*arena = make([]T, 0, max(n, 256))
	}
	start := len(*arena)
	*arena = (*arena)[:start+n]
	return (*arena)[start : start+n : start+n]
}

// newBands returns an empty slice with room for n bands from the
// document's arena (a cell with more lines than that grows its own).
func (d *doc) newBands(n int) []band { return fromArena(&d.bands, n)[:0] }

// newTagged returns an empty slice with room for n tagged wrappers from
// the document's arena (the column keeps pointers into it).
func (d *doc) newTagged(n int) []tagged { return fromArena(&d.tagged, n)[:0] }

func (d *doc) prepare(c cell) prepared {
	p := prepared{c: c}
	in := inner(c.w)
	a := c.align
	if a == "" {
		a = align.Left
	}
	p.bands = d.newBands(len(c.paras) + len(c.pairs))
	for i, pa := range c.paras {
		fs := d.lines(pa.text, pa.size, pa.bold, pa.color, 0, in, a, c.nowrap)
		for k := range fs {
			fs[k].para, fs[k].pair = i, -1
			p.bands = append(p.bands, band{h: lineHeight(fs[k].size), frags: fs[k : k+1 : k+1]})
		}
	}
	if len(c.pairs) > 0 {
		lw, vw := d.pairColumns(c.pairs, in)
		for pi, pr := range c.pairs {
			size := pr.size
			if size == 0 {
				size = sizeBody
			}
			va := align.Left
			if pr.right {
				va = align.Right
			}
			ls := d.lines(pr.label+":", size, pr.bold, colorLabel, 0, lw, align.Left, false)
			vs := d.lines(orDash(pr.value), size, pr.bold, nil, in-vw, vw, va, pr.right)
			// Both columns at one size, so they share a baseline.
			if len(ls) > 0 && len(vs) > 0 && ls[0].size != vs[0].size {
				s := min(ls[0].size, vs[0].size)
				ls = d.lines(pr.label+":", s, pr.bold, colorLabel, 0, lw, align.Left, false)
				vs = d.lines(orDash(pr.value), s, pr.bold, nil, in-vw, vw, va, pr.right)
			}
			if d.r.probe != nil && len(ls) > 0 && len(vs) > 0 {
				d.r.probe(ls[0].text, vs[0].text)
			}
			b := band{frags: make([]frag, 0, len(ls)+len(vs))}
			for k, ff := range [][]frag{ls, vs} {
				var h float64
				for _, f := range ff {
					f.para, f.pair, f.label = -1, pi, k == 0
					b.frags = append(b.frags, f)
					h += lineHeight(f.size)
				}
				b.h = max(b.h, h)
			}
			p.bands = append(p.bands, b)
		}
	}
	return p
}

// pairColumns splits a cell's inner width between labels and values: the
// labels take what the widest needs, at most half, at least a third.
func (d *doc) pairColumns(ps []pair, in float64) (float64, float64) {
	const gap = 1.5
	var lw float64
	for _, pr := range ps {
		size := pr.size
		if size == 0 {
			size = sizeBody
		}
		lw = max(lw, d.metricsFor(pr.bold).width(pr.label+":", size))
	}
	lw = min(max(lw+0.2, in/3), in/2)
	return lw, in - lw - gap
}

// build turns prepared cells into a maroto row of the given height.
func (d *doc) build(cells []prepared, h float64) core.Row {
	return d.buildStyled(cells, h, false)
}

// buildStyled: a row of a table gets one rule under it instead of a box per
// cell: the same reading, a fifth of the drawing work on a 5,000-row list.
func (d *doc) buildStyled(cells []prepared, h float64, rule bool) core.Row {
	cols := make([]core.Col, 0, len(cells))
	for ci, p := range cells {
		c := col.New(p.c.w)
		// The cell's components go to the column at once from a scratch
		// buffer (Col.Add copies them), their tagged wrappers come from the
		// document's arena: no allocation per line or per cell.
		n := 0
		for _, b := range p.bands {
			for _, f := range b.frags {
				if f.text != "" {
					n++
				}
			}
		}
		comps := d.comps[:0]
		var tags []tagged
		if d.tags != nil {
			tags = d.newTagged(n)
		}
		top := padTop
		for _, b := range p.bands {
			// Each column of a band (a pair's label and value) stacks its
			// own lines: offset[k] is below the lines at xs[k].
			var xBuf, offBuf [2]float64
			xs, offset := xBuf[:0], offBuf[:0]
			for _, f := range b.frags {
				style := fontstyle.Normal
				if f.bold {
					style = fontstyle.Bold
				}
				color := f.color
				if color == nil {
					color = &props.BlackColor
				}
				k := 0
				for k < len(xs) && xs[k] != f.x {
					k++
				}
				if k == len(xs) {
					xs, offset = append(xs, f.x), append(offset, 0)
				}
				if f.text != "" {
					t := text.New(f.text, props.Text{
						Top: top + offset[k], Left: padX + f.x, Right: float64(p.c.w) - padX - f.x - f.w, Size: f.size, Style: style,
						Family: fontFamily, Align: f.align, Color: color, NoWrap: true,
					})
					if d.tags != nil {
						tags = append(tags, tagged{Component: t, t: d.tags, spec: d.tagFor(ci, p.c, f)})
						comps = append(comps, &tags[len(tags)-1])
					} else {
						comps = append(comps, t)
					}
				}
				offset[k] += lineHeight(f.size)
			}
			top += b.h
		}
		if len(comps) > 0 {
			c.Add(comps...)
			clear(comps) // no references kept from the scratch buffer
		}
		d.comps = comps[:0]
		if box := p.c.box && !rule; box || p.c.fill != nil {
			st := &props.Cell{BackgroundColor: p.c.fill}
			if box {
				st.BorderType = border.Full
				st.BorderColor = colorBorder
				st.BorderThickness = 0.15
			}
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
		cells, h := d.headingPrep()
		saved := d.rowTag
		d.rowTag = rowTag{artifact: true} // the headings repeated
		d.m.AddRows(d.build(cells, h))
		d.rowTag = saved
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

// fresh reports whether nothing but the header (and the table's headings)
// is on the current page.
func (d *doc) fresh() bool { return d.cur <= d.headerH+d.headingHeight()+1e-6 }

// add appends a row. Rows are placed when the document is finished (flush).
func (d *doc) add(cs ...cell) {
	it := item{cells: cs, tbl: d.open}
	d.items = append(d.items, it)
	if d.open != nil {
		d.open.rows = append(d.open.rows, len(d.items)-1)
	}
}

// keepWithNext keeps the last row added on the same page as the next one
// (a heading with its first row, a declaration with its signature).
func (d *doc) keepWithNext() {
	for i := len(d.items) - 1; i >= 0; i-- {
		if d.items[i].space == 0 && d.items[i].keepH == 0 {
			d.items[i].keepNext = true
			return
		}
	}
}

// signatureAt marks the last row added as the one holding the signature
// box, at x mm from the left margin and w mm wide; where it lands is known
// when the row is placed (markSignature).
func (d *doc) signatureAt(x, w float64) { d.items[len(d.items)-1].sig = &[2]float64{x, w} }

// keep starts a new page unless h millimetres fit on this one, so a block
// (totals, a declaration) is not split from its signature.
func (d *doc) keep(h float64) { d.items = append(d.items, item{keepH: h}) }

// space adds vertical space (dropped at a page break).
func (d *doc) space(h float64) { d.items = append(d.items, item{space: h}) }

// table opens a table: its headings are printed now, kept with the first
// row, and repeated after every page break until endTable. Its columns are
// sized to their content when it ends.
func (d *doc) table(heading []cell) {
	d.endTable()
	d.add(heading...)
	d.items[len(d.items)-1].head = true
	d.items[len(d.items)-1].keepNext = true
	d.open = &tableState{heading: heading}
	d.items[len(d.items)-1].tbl = d.open
}

// endTable closes the open table and sizes its columns.
func (d *doc) endTable() {
	if d.open == nil {
		return
	}
	t := d.open
	d.open = nil
	d.fitColumns(t)
}

// section prints a shaded bilingual section title, kept with what follows.
func (d *doc) section(key string) {
	d.endTable()
	d.add(cell{w: d.width, fill: colorFill, paras: []para{{text: d.l.Both(key), bold: true, size: 8.5}}})
	d.items[len(d.items)-1].heading = true
	d.keepWithNext()
}

// flush lays out every row added, page by page.
func (d *doc) flush() {
	for i := range d.items {
		if d.err != nil {
			return
		}
		it := &d.items[i]
		switch {
		case it.keepH > 0:
			d.heading = nil
			if it.keepH > d.remaining() && !d.fresh() {
				d.newPage()
			}
			continue
		case it.space > 0:
			if it.space < d.remaining() {
				d.m.AddRows(row.New(it.space).Add(col.New(d.width)))
				d.cur += it.space
			}
			continue
		}
		d.heading = nil
		if it.tbl != nil && !it.head {
			d.heading = it.tbl
		}
		if it.keepNext {
			// The chain of rows kept together: move it to a new page when
			// it does not fit here but would on a page of its own.
			var h float64
			for j := i; j < len(d.items); j++ {
				h += d.itemHeight(j)
				if !d.items[j].keepNext && d.items[j].space == 0 {
					break
				}
			}
			freshAvail := d.avail - d.headerH - d.headingHeight()
			if h > d.remaining()+1e-6 && h <= freshAvail && !d.fresh() {
				d.newPage()
			}
		}
		d.rowTag = rowTag{item: i, tbl: it.tbl, head: it.head, heading: it.heading}
		d.placeRow(d.prep(i), it.tbl != nil && !it.head, it.sig)
		if it.head {
			d.heading = it.tbl
		}
	}
	d.heading = nil
	d.items = nil
}

func (d *doc) prep(i int) []prepared {
	it := &d.items[i]
	if it.prep == nil && len(it.cells) > 0 {
		it.prep = d.prepareAll(it.cells)
	}
	return it.prep
}

func (d *doc) itemHeight(i int) float64 {
	it := d.items[i]
	switch {
	case it.space > 0:
		return it.space
	case it.keepH > 0:
		return 0
	}
	return maxHeight(d.prep(i))
}

// placeRow places a row, starting a new page when it does not fit and
// splitting a row taller than a page between pages at band boundaries (no
// line is ever dropped, no label parted from its value).
func (d *doc) placeRow(ps []prepared, rule bool, sig *[2]float64) {
	for {
		h := maxHeight(ps)
		if h <= d.remaining()+1e-6 {
			if sig != nil {
				d.markSignature(sig[0], sig[1], h)
			}
			d.m.AddRows(d.buildStyled(ps, h, rule))
			d.cur += h
			return
		}
		fresh := d.avail - d.headerH - d.headingHeight()
		if h <= fresh || d.remaining() < 4*lineHeight(sizeBody)+padTop+padBottom {
			if !d.fresh() {
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
			for n < len(p.bands) && used+p.bands[n].h <= space {
				used += p.bands[n].h
				n++
			}
			if n == 0 && len(p.bands) > 0 && space < p.bands[0].h && d.fresh() {
				d.err = fmt.Errorf("layout: page too small for one line")
				return
			}
			head[i] = prepared{c: p.c, bands: p.bands[:n]}
			tail[i] = prepared{c: p.c, bands: p.bands[n:]}
			if n > 0 {
				moved = true
			}
		}
		if !moved {
			if d.fresh() {
				d.err = fmt.Errorf("layout: a row cannot be placed")
				return
			}
			d.newPage()
			continue
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
	_, h := d.headingPrep()
	return h
}

// headingPrep is the prepared column headings of the table being placed
// and their height.
func (d *doc) headingPrep() ([]prepared, float64) {
	t := d.heading
	if t.headPrep == nil {
		t.headPrep = d.prepareAll(t.heading)
		t.headH = maxHeight(t.headPrep)
	}
	return t.headPrep, t.headH
}

// fitColumns sizes a table's columns to their content: every column is at
// least as wide as its widest unbreakable word (a code, serial, id or
// number, or a heading word) needs; the width it takes comes from the
// columns with room to spare, in proportion to that room. Cells spanning
// several columns keep spanning the same columns.
func (d *doc) fitColumns(t *tableState) {
	ws := make([]int, len(t.heading))
	bounds := make([]int, len(ws)+1)
	for i, c := range t.heading {
		ws[i] = c.w
		bounds[i+1] = bounds[i] + c.w
	}
	total := bounds[len(ws)]
	need := make([]float64, len(ws))
	measure := func(cs []cell) {
		if len(cs) != len(ws) {
			return
		}
		for i, c := range cs {
			need[i] = max(need[i], d.minWidth(c))
		}
	}
	measure(t.heading)
	for _, ri := range t.rows {
		measure(d.items[ri].cells)
	}
	nw := make([]int, len(ws))
	var sumNeed, deficit int
	for i := range ws {
		n := int(math.Ceil(need[i]))
		nw[i] = max(ws[i], n)
		deficit += nw[i] - ws[i]
		sumNeed += n
	}
	if deficit == 0 {
		return
	}
	if sumNeed > total {
		// Cannot fit at full size: the widest words shrink (prepare); keep
		// the widths the document asked for.
		return
	}
	// Take the deficit from the columns with slack, largest slack first.
	for deficit > 0 {
		best, slack := -1, 0
		for i := range nw {
			if s := nw[i] - int(math.Ceil(need[i])); s > slack {
				best, slack = i, s
			}
		}
		if best < 0 {
			return
		}
		take := min(deficit, max(1, slack/4))
		nw[best] -= take
		deficit -= take
	}
	nb := make([]int, len(nw)+1)
	for i := range nw {
		nb[i+1] = nb[i] + nw[i]
	}
	remap := func(cs []cell) {
		x := 0
		for i := range cs {
			a, b := index(bounds, x), index(bounds, x+cs[i].w)
			x += cs[i].w
			if a >= 0 && b >= 0 {
				cs[i].w = nb[b] - nb[a]
			}
		}
	}
	remap(t.heading)
	for _, ri := range t.rows {
		remap(d.items[ri].cells)
	}
}

func index(xs []int, v int) int {
	for i, x := range xs {
		if x == v {
			return i
		}
	}
	return -1
}

// minWidth is the width a cell needs so that no word of it breaks and no
// label/value is squeezed: its widest unbreakable word plus padding.
func (d *doc) minWidth(c cell) float64 {
	var w float64
	for _, pa := range c.paras {
		size := pa.size
		if size == 0 {
			size = sizeBody
		}
		m := d.metricsFor(pa.bold)
		if c.nowrap {
			w = max(w, m.width(pa.text, size))
			continue
		}
		for ws, we := nextWord(pa.text, 0); ws < len(pa.text); ws, we = nextWord(pa.text, we) {
			if adv, thai := m.wordAdvances(pa.text[ws:we]); !thai {
				w = max(w, m.mm(adv, size))
			}
		}
	}
	return w + 2*padX + 0.5
}

// isBreakSpace: only ordinary spaces break a line; a no-break space holds
// a label to its value.
func isBreakSpace(r rune) bool { return r == ' ' || r == '\t' }

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
	ps := make([]para, len(ws)) // one paragraph per cell, in one slice
	for i := range ws {
		ps[i].text = vals[i]
		c := cell{w: ws[i], paras: ps[i : i+1 : i+1], box: true}
		if i < len(aligns) {
			c.align = aligns[i]
			c.nowrap = aligns[i] == align.Right
		}
		out[i] = c
	}
	return out
}

// kv is a label/value pair printed as "Label / Nhãn:" with its value beside
// it on the same baseline (see pair).
type kv struct {
	key, value string
}

// kvCell prints label/value pairs in one boxed cell.
func (d *doc) kvCell(w int, title string, pairs []kv) cell {
	var ps []para
	if title != "" {
		ps = append(ps, para{text: d.l.Both(title), bold: true, size: sizeSmall, color: colorGray})
	}
	c := cell{w: w, paras: ps, box: true, titled: title != ""}
	for _, p := range pairs {
		c.pairs = append(c.pairs, pair{label: d.l.Both(p.key), value: p.value})
	}
	return c
}

// header builds the rows repeated at the top of every page.
func (d *doc) header(kindKey, docNumber, qr string, facts []string) []core.Row {
	png, qmm, err := qrPNG(qr)
	if err != nil {
		d.err = err
	}
	qw := int(math.Ceil(qmm))
	w := d.width - qw - qrGap
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
	h := max(left.height(), qmm)
	left.c.w = w + qrGap
	qrCol := col.New(qw).Add(d.wrap(image.NewFromBytes(png, extension.Png, props.Rect{Center: true, Percent: 100}),
		tagSpec{firstPage: true, leaf: newTagLeaf([]tagNode{{key: tagKey{kind: keyQR}, typ: "Figure", alt: "QR code: " + qr}})}))
	d.rowTag = rowTag{firstPage: true, header: true}
	r := d.build([]prepared{left}, h)
	d.rowTag = rowTag{}
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
	line := ""
	if len(p.bands) > 0 {
		line = p.bands[0].frags[0].text
	}
	return row.New(footerH).Add(
		col.New(d.width).WithStyle(&props.Cell{BorderType: border.Top, BorderColor: colorBorder, BorderThickness: 0.2}).
			Add(d.wrap(text.New(line, props.Text{Top: 1.5, Size: 5.5, Family: fontFamily, Color: colorGray, Align: align.Left, NoWrap: true}), tagSpec{artifact: true})),
	)
}
