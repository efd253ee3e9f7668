package renderers

import (
	"fmt"
	"sync"

	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/phpdave11/gofpdf"
)

// Tagged PDF. maroto keeps its gofpdf instance private; the fork under
// third_party/gofpdf calls a hook with every instance it creates, and
// newMaroto takes the one maroto.New makes. The documents' components are
// wrapped (tagged) so that each draws its content inside a marked-content
// sequence of its structure element: the structure tree is built in the
// order maroto draws, which is the reading order.
//
// Logical structure of every document:
//
//	Document
//	  H1 (the title, English and local)   P (document number)   P (facts)
//	  Figure /Alt "QR code: …"
//	  H2 (a section title)
//	  H3 (a cell's title: a party's role, a block of details)
//	  P (a paragraph of a cell)
//	  Table (a cell's label/value pairs) > TR > TH (label, /Scope /Row), TD (value)
//	  Table (a table) > TR > TH (/Scope /Column) … | TR > TD …
//	  Figure /Alt "Signature: …" (the signature box, its text inside)
//
// The running header on pages after the first, the repeated column
// headings after a page break and the footer are artifacts.

// capture hands the gofpdf instance maroto.New creates to the newMaroto
// that called it. One newMaroto at a time waits for an instance (turn);
// the hook gives the instance to the waiting one (take) and ends its turn
// at once, so maroto's font loading, the slow part of maroto.New, runs in
// parallel. renderers is the only code in clearpack that creates gofpdf
// documents.
var capture struct {
	turn sync.Mutex
	mu   sync.Mutex // guards take
	take func(*gofpdf.Fpdf)
}

var hookOnce sync.Once

func setCreateHook() {
	gofpdf.SetCreateHook(func(f *gofpdf.Fpdf) {
		capture.mu.Lock()
		take := capture.take
		capture.take = nil
		capture.mu.Unlock()
		if take != nil {
			take(f)
		}
	})
}

// newMaroto is maroto.New with the gofpdf instance it writes to.
func newMaroto(cfg *entity.Config) (core.Maroto, *gofpdf.Fpdf, error) {
	hookOnce.Do(setCreateHook)
	var f *gofpdf.Fpdf
	capture.turn.Lock()
	capture.mu.Lock()
	capture.take = func(g *gofpdf.Fpdf) { f = g; capture.turn.Unlock() }
	capture.mu.Unlock()
	m := maroto.New(cfg)
	if f == nil {
		capture.mu.Lock()
		capture.take = nil
		capture.mu.Unlock()
		capture.turn.Unlock()
		return nil, nil, fmt.Errorf("tagging: the PDF writer was not created by the gofpdf fork (is the replace directive in go.mod?)")
	}
	return m, f, nil
}

// tagger builds one document's structure tree.
type tagger struct {
	f         *gofpdf.Fpdf
	root      *gofpdf.StructElem
	elems     map[tagKey]*gofpdf.StructElem
	leaves    map[tagKey]*tagLeaf // by the key of the leaf (tagFor)
	leafArena []tagLeaf           // what newLeaf takes from
}

// tagKey identifies a structure element of the document (see tagNode):
// what it is, and the table, row (item), cell and paragraph or pair it
// belongs to, as far as they matter for that kind of element.
type tagKey struct {
	kind          tagKind
	tbl           *tableState
	item, cell, n int
}

type tagKind uint8

const (
	keyQR         tagKind = iota + 1
	keyTitle              // the document title (H1)
	keyHeaderPara         // n: the header paragraph
	keyTable              // tbl
	keyTableRow           // tbl, item
	keyTableCell          // tbl, item, cell
	keyHeading            // item, cell: a section title (H2) or a cell's title (H3)
	keyFigure             // item, cell
	keyPairs              // item, cell: a cell's label/value pairs
	keyPair               // item, cell, n: one pair
	keyPairLabel          // item, cell, n
	keyPairValue          // item, cell, n
	keyPara               // item, cell, n: a paragraph of a cell
)

// tagMapSize is the initial size of a tagger's maps: a 30-line invoice
// has about 370 leaves and 470 elements; growing a map from empty rehashes
// it seven times.
const tagMapSize = 512

func newTagger(f *gofpdf.Fpdf) *tagger {
	return &tagger{f: f, root: f.StructRoot(),
		elems: make(map[tagKey]*gofpdf.StructElem, tagMapSize), leaves: make(map[tagKey]*tagLeaf, tagMapSize)}
}

// tagNode is one element on the path from the document to a leaf: key
// identifies it (the same key, the same element: a row split between pages
// stays one TR), typ is its structure type.
type tagNode struct {
	key             tagKey
	typ, alt, attrs string
}

// tagSpec says what a component's content is.
type tagSpec struct {
	artifact bool
	// firstPage: structure on the first page, an artifact where the
	// component is repeated (the running header).
	firstPage bool
	leaf      *tagLeaf // nil: an artifact
}

// tagLeaf is a structure element content is marked as: its path from the
// document, and the element once made (the first time content is drawn in
// it, so that elements are made in reading order).
type tagLeaf struct {
	nodes [3]tagNode // the path is nodes[:n]: never longer than a table cell's
	n     int
	elem  *gofpdf.StructElem
}

func newTagLeaf(path []tagNode) *tagLeaf {
	l := &tagLeaf{n: len(path)}
	copy(l.nodes[:], path)
	return l
}

// newLeaf is newTagLeaf from the tagger's arena (a document has
// hundreds of leaves, all kept to its end).
func (t *tagger) newLeaf(path []tagNode) *tagLeaf {
	if len(t.leafArena) == cap(t.leafArena) {
		t.leafArena = make([]tagLeaf, 0, 64)
	}
	t.leafArena = t.leafArena[:len(t.leafArena)+1]
	l := &t.leafArena[len(t.leafArena)-1]
	l.n = copy(l.nodes[:], path)
	return l
}

func (t *tagger) elem(path []tagNode) *gofpdf.StructElem {
	parent := t.root
	for _, n := range path {
		e, ok := t.elems[n.key]
		if !ok {
			e = parent.Add(n.typ)
			if n.alt != "" {
				e.SetAlt(n.alt)
			}
			if n.attrs != "" {
				e.SetAttributes(n.attrs)
			}
			t.elems[n.key] = e
		}
		parent = e
	}
	return parent
}

// tagged is a component whose content is marked as spec says.
type tagged struct {
	core.Component
	t    *tagger
	spec tagSpec
}

func (c tagged) Render(p core.Provider, cell *entity.Cell) {
	if l := c.spec.leaf; c.spec.artifact || l == nil || l.n == 0 || (c.spec.firstPage && c.t.f.PageNo() > 1) {
		c.t.f.BeginArtifact()
	} else {
		if l.elem == nil {
			l.elem = c.t.elem(l.nodes[:l.n])
		}
		c.t.f.BeginMarkedContent(l.elem)
	}
	c.Component.Render(p, cell)
	c.t.f.EndMarkedContent()
}

// wrap tags a component; without a tagger (never, in Render) it is left
// as it is.
func (d *doc) wrap(c core.Component, spec tagSpec) core.Component {
	if d.tags == nil {
		return c
	}
	return tagged{Component: c, t: d.tags, spec: spec}
}

// rowTag is what the row being built is, set before build/buildStyled.
type rowTag struct {
	artifact  bool
	firstPage bool
	header    bool // the running header's text cell
	item      int
	tbl       *tableState
	head      bool // the table's column headings
	heading   bool // a section title
}

const (
	thColumn = "<< /O /Table /Scope /Column >>"
	thRow    = "<< /O /Table /Scope /Row >>"
)

// tagFor is the tag of one line of text: frag f of cell ci of the row
// d.rowTag describes. The lines of one element share its path (tagger.leaves).
func (d *doc) tagFor(ci int, c cell, f frag) tagSpec {
	rt := d.rowTag
	s := tagSpec{artifact: rt.artifact, firstPage: rt.firstPage}
	if rt.artifact || d.tags == nil {
		return s
	}
	var buf [3]tagNode
	path := buf[:0]
	switch {
	case rt.header:
		if f.para < 2 && f.bold && f.size >= 10 { // the title, English then local
			path = append(path, tagNode{key: tagKey{kind: keyTitle}, typ: "H1"})
		} else {
			path = append(path, tagNode{key: tagKey{kind: keyHeaderPara, n: f.para}, typ: "P"})
		}
	case rt.tbl != nil:
		cellType, attrs := "TD", ""
		if rt.head {
			cellType, attrs = "TH", thColumn
		}
		path = append(path, tagNode{key: tagKey{kind: keyTable, tbl: rt.tbl}, typ: "Table"},
			tagNode{key: tagKey{kind: keyTableRow, tbl: rt.tbl, item: rt.item}, typ: "TR"},
			tagNode{key: tagKey{kind: keyTableCell, tbl: rt.tbl, item: rt.item, cell: ci}, typ: cellType, attrs: attrs})
	case rt.heading:
		path = append(path, tagNode{key: tagKey{kind: keyHeading, item: rt.item, cell: ci}, typ: "H2"})
	case c.figure != "":
		path = append(path, tagNode{key: tagKey{kind: keyFigure, item: rt.item, cell: ci}, typ: "Figure", alt: c.figure})
	case c.titled && f.para == 0:
		path = append(path, tagNode{key: tagKey{kind: keyHeading, item: rt.item, cell: ci}, typ: "H3"})
	case f.pair >= 0:
		leaf := tagNode{key: tagKey{kind: keyPairValue, item: rt.item, cell: ci, n: f.pair}, typ: "TD"}
		if f.label {
			leaf = tagNode{key: tagKey{kind: keyPairLabel, item: rt.item, cell: ci, n: f.pair}, typ: "TH", attrs: thRow}
		}
		path = append(path, tagNode{key: tagKey{kind: keyPairs, item: rt.item, cell: ci}, typ: "Table"},
			tagNode{key: tagKey{kind: keyPair, item: rt.item, cell: ci, n: f.pair}, typ: "TR"}, leaf)
	default:
		path = append(path, tagNode{key: tagKey{kind: keyPara, item: rt.item, cell: ci, n: f.para}, typ: "P"})
	}
	// A key names one element (tagger.elem), so the first path made for a
	// leaf is the path of every line tagged with it.
	key := path[len(path)-1].key
	l, ok := d.tags.leaves[key]
	if !ok {
		l = d.tags.newLeaf(path)
		d.tags.leaves[key] = l
	}
	s.leaf = l
	return s
}
