package gofpdf

// Tagged PDF (ISO 32000-1, 14.7 and 14.8): a logical structure tree whose
// leaves are marked-content sequences in the page content streams.
//
// The caller builds the tree in reading order with StructRoot and
// StructElem.Add, and brackets the content of each leaf with
// BeginMarkedContent / EndMarkedContent while drawing it; content that is
// not part of the document's logical content (running headers, page
// numbers) goes between BeginArtifact and EndMarkedContent. At output the
// writer adds the structure elements, the parent tree, /StructParents on
// every page and /MarkInfo and /StructTreeRoot to the catalog. A document
// that never calls StructRoot is written exactly as before.

import (
	"bytes"
	"fmt"
	"strconv"
	"sync"
	"unicode/utf16"
)

// StructElem is one structure element (ISO 32000-1, 14.7.2): a standard
// structure type such as "Document", "H1", "P", "Table", "TR", "TH", "TD" or
// "Figure", with its children in reading order.
type StructElem struct {
	typ    string
	alt    string
	attrs  string
	parent *StructElem
	kids   []structKid
	obj    int
}

// structKid is a child element or a marked-content sequence of a page.
type structKid struct {
	elem       *StructElem
	page, mcid int
}

// structTree is the tagging state of one document.
type structTree struct {
	root     *StructElem
	nextMCID map[int]int           // page -> next MCID
	parents  map[int][]*StructElem // page -> element of each MCID
	pageObj  map[int]int           // page -> page object number
	rootObj  int                   // the StructTreeRoot object
	depth    int                   // open marked-content sequences
}

// StructRoot returns the document's root structure element ("Document"),
// creating it on first use; from then on the document is written as a
// tagged PDF.
func (f *Fpdf) StructRoot() *StructElem {
	if f.tags == nil {
		f.tags = &structTree{
			root:     &StructElem{typ: "Document"},
			nextMCID: map[int]int{},
			parents:  map[int][]*StructElem{},
			pageObj:  map[int]int{},
		}
	}
	return f.tags.root
}

// Add appends a child element of the given standard structure type and
// returns it.
func (e *StructElem) Add(typ string) *StructElem {
	c := &StructElem{typ: typ, parent: e}
	e.kids = append(e.kids, structKid{elem: c})
	return c
}

// Type is the element's structure type.
func (e *StructElem) Type() string { return e.typ }

// SetAlt sets the element's alternate description (/Alt), what a reader
// says for a figure.
func (e *StructElem) SetAlt(s string) { e.alt = s }

// SetAttributes sets the element's attribute object (/A), given as a PDF
// dictionary, e.g. "<< /O /Table /Scope /Column >>".
func (e *StructElem) SetAttributes(dict string) { e.attrs = dict }

// BeginMarkedContent starts a marked-content sequence on the current page
// that belongs to element e, tagged with e's structure type and a new
// marked-content identifier. Close it with EndMarkedContent before the
// page ends.
func (f *Fpdf) BeginMarkedContent(e *StructElem) {
	f.StructRoot()
	t := f.tags
	mcid := t.nextMCID[f.page]
	t.nextMCID[f.page] = mcid + 1
	t.parents[f.page] = append(t.parents[f.page], e)
	e.kids = append(e.kids, structKid{page: f.page, mcid: mcid})
	t.depth++
	b := append(f.scratch[:0], '/')
	b = append(b, e.typ...)
	b = append(b, " <</MCID "...)
	b = strconv.AppendInt(b, int64(mcid), 10)
	b = append(b, ">> BDC"...)
	mark := f.fontOpKept()
	f.outBytes(b)
	f.keepFontOp(mark) // fontop.go: marked content leaves the font as it was
	f.scratch = b
}

// BeginArtifact starts a marked-content sequence for content that is not
// part of the logical structure (ISO 32000-1, 14.8.2.2): running headers
// and footers, decoration. Close it with EndMarkedContent.
func (f *Fpdf) BeginArtifact() {
	f.StructRoot()
	f.tags.depth++
	mark := f.fontOpKept()
	f.out("/Artifact BMC")
	f.keepFontOp(mark)
}

// EndMarkedContent ends the innermost open marked-content sequence.
func (f *Fpdf) EndMarkedContent() {
	if f.tags == nil || f.tags.depth == 0 {
		f.SetErrorf("EndMarkedContent without BeginMarkedContent")
		return
	}
	f.tags.depth--
	mark := f.fontOpKept()
	f.out("EMC")
	f.keepFontOp(mark)
}

// putStructParents writes the /StructParents entry of page n (its key in
// the parent tree) and remembers the page's object number.
func (f *Fpdf) putStructParents(n int) {
	if f.tags == nil {
		return
	}
	f.tags.pageObj[n] = f.n
	f.outf("/StructParents %d", n-1)
}

// putStructTree writes the structure elements, the parent tree and the
// structure tree root, after the pages.
func (f *Fpdf) putStructTree() {
	t := f.tags
	if t == nil {
		return
	}
	if t.depth != 0 {
		f.SetErrorf("%d marked-content sequences left open", t.depth)
		return
	}
	// Object numbers in the order written: the root, the parent tree, then
	// the elements depth first.
	var elems []*StructElem
	var walk func(e *StructElem)
	walk = func(e *StructElem) {
		elems = append(elems, e)
		for _, k := range e.kids {
			if k.elem != nil {
				walk(k.elem)
			}
		}
	}
	walk(t.root)
	t.rootObj = f.n + 1
	parentTreeObj := f.n + 2
	for i, e := range elems {
		e.obj = f.n + 3 + i
	}

	f.newobj()
	f.outf("<< /Type /StructTreeRoot /K %d 0 R /ParentTree %d 0 R /ParentTreeNextKey %d >>",
		t.root.obj, parentTreeObj, f.page)
	f.out("endobj")

	// The parent tree and the elements are built with strconv into one
	// reused buffer: fmt cost more than the rest of the output
	// (outfast.go).
	f.newobj()
	b := f.scratch[:0]
	b = append(b, "<< /Nums ["...)
	for p := 1; p <= f.page; p++ {
		b = append(b, '\n')
		b = strconv.AppendInt(b, int64(p-1), 10)
		b = append(b, " ["...)
		for i, e := range t.parents[p] {
			if i > 0 {
				b = append(b, ' ')
			}
			b = appendRef(b, e.obj)
		}
		b = append(b, ']')
	}
	b = append(b, "\n] >>"...)
	f.outBytes(b)
	f.out("endobj")

	for _, e := range elems {
		f.newobj()
		b = append(b[:0], "<< /Type /StructElem /S /"...)
		b = append(b, e.typ...)
		b = append(b, " /P "...)
		if e.parent != nil {
			b = appendRef(b, e.parent.obj)
		} else {
			b = appendRef(b, t.rootObj)
		}
		if e.alt != "" {
			b = append(b, " /Alt "...)
			b = append(b, utf16Text(e.alt)...)
		}
		if e.attrs != "" {
			b = append(b, " /A "...)
			b = append(b, e.attrs...)
		}
		b = append(b, " /K ["...)
		for i, k := range e.kids {
			if i > 0 {
				b = append(b, ' ')
			}
			if k.elem != nil {
				b = appendRef(b, k.elem.obj)
			} else {
				b = append(b, "<< /Type /MCR /Pg "...)
				b = appendRef(b, t.pageObj[k.page])
				b = append(b, " /MCID "...)
				b = strconv.AppendInt(b, int64(k.mcid), 10)
				b = append(b, " >>"...)
			}
		}
		b = append(b, "] >>"...)
		f.outBytes(b)
		f.out("endobj")
	}
	f.scratch = b
}

// putStructCatalog writes the catalog entries of a tagged document.
func (f *Fpdf) putStructCatalog() {
	if f.tags == nil || f.tags.rootObj == 0 {
		return
	}
	f.out("/MarkInfo << /Marked true >>")
	f.outf("/StructTreeRoot %d 0 R", f.tags.rootObj)
}

// utf16Text is a PDF text string in UTF-16BE with a byte order mark, as
// hexadecimal: any language, no escaping.
func utf16Text(s string) string {
	var b bytes.Buffer
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteByte('>')
	return b.String()
}

// createHook, when set, is called with every new Fpdf (see SetCreateHook).
var createHook struct {
	sync.Mutex
	fn func(*Fpdf)
}

// SetCreateHook registers fn to be called with every Fpdf that New or
// NewCustom creates, before it is returned; nil removes it. A library that
// builds its Fpdf itself (a report generator on top of this package) keeps
// it private; the hook lets its caller reach the instance, e.g. to tag the
// content it draws.
func SetCreateHook(fn func(*Fpdf)) {
	createHook.Lock()
	createHook.fn = fn
	createHook.Unlock()
}

func runCreateHook(f *Fpdf) {
	createHook.Lock()
	fn := createHook.fn
	createHook.Unlock()
	if fn != nil {
		fn(f)
	}
}
