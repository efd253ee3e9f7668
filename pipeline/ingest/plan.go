package ingest

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/clearpack/clearpack/pipeline/model"
	"gopkg.in/yaml.v3"
)

// planState keeps what the cross-file checks need of the plan: not the
// parsed document, only each shipment's asset tags and package contents with
// their lines.
type planState struct {
	file string
	ids  []string // attribution key per shipment
	xs   []shipXref
}

// shipXref is what cross needs of one checked shipment (faulty values
// already removed). ok is false when the shipment is not a mapping. pkgs
// are checked as the shipment is read (packages), then let go of.
type shipXref struct {
	ok       bool
	shipDate string
	assets   []tagAt
	pkgs     []pkgAt
}

// tagAt is one asset tag at index j of its list, on line. The tag is the
// shipment's copy where it has one (planResult.add), so a plan's tags are
// held once.
type tagAt struct {
	tag     string
	j, line int32
}

type pkgAt struct {
	ok     bool // a mapping
	id     string
	idLine int
	assets []tagAt
}

// xrefOf extracts a shipment's cross-check data; lineOf gives the line of
// a path inside the shipment.
func xrefOf(m map[string]any, lineOf func(p ...string) int) shipXref {
	if m == nil {
		return shipXref{}
	}
	x := shipXref{ok: true}
	x.shipDate, _ = m["ship_date"].(string)
	tags := func(list []any, p ...string) []tagAt {
		out := make([]tagAt, 0, len(list))
		for j, v := range list {
			if tag, ok := v.(string); ok {
				out = append(out, tagAt{tag: tag, j: int32(j), line: int32(lineOf(append(p[:len(p):len(p)], strconv.Itoa(j))...))})
			}
		}
		return out
	}
	list, _ := m["assets"].([]any)
	x.assets = tags(list, "assets")
	pkgs, _ := m["packages"].([]any)
	for pi, v := range pkgs {
		pm, ok := v.(map[string]any)
		if !ok {
			x.pkgs = append(x.pkgs, pkgAt{})
			continue
		}
		pn := strconv.Itoa(pi)
		pk := pkgAt{ok: true, idLine: lineOf("packages", pn, "id")}
		pk.id, _ = pm["id"].(string)
		pl, _ := pm["assets"].([]any)
		pk.assets = tags(pl, "packages", pn, "assets")
		x.pkgs = append(x.pkgs, pk)
	}
	return x
}

// plan reads the shipment plan, YAML or JSON. A YAML plan in block style is
// read one shipment at a time (see splitPlan), so that a plan of many
// thousand shipments is never in memory as one parsed document; any other
// plan is parsed whole. Both give the same problems.
func (l *loader) plan(path string) error {
	fh, r, done, err := l.open(path, expectPlan)
	if err != nil {
		return err
	}
	defer fh.Close()
	var data []byte
	if l.wholePlan {
		if data, err = readData(path, r); err != nil {
			return err
		}
		l.b.Inputs = append(l.b.Inputs, done())
	} else {
		res, err := l.planStream(path, r)
		if err != nil {
			return err
		}
		in := done()
		l.b.Inputs = append(l.b.Inputs, in)
		if res != nil {
			l.b.planInParts = true
			return l.commitPlan(res)
		}
		// Not readable in parts: read it again, whole.
		if data, err = l.reread(path, in); err != nil {
			return err
		}
	}
	t, err := parseDoc(path, data)
	if err != nil {
		return err
	}
	data = nil
	root, ok := t.root.(map[string]any)
	if !ok {
		return fmt.Errorf("%s:1: not a shipment plan: found %s, expected a mapping with program and shipments", path, show(t.root))
	}
	list, _ := root["shipments"].([]any)
	if len(list) > l.lim.MaxRows {
		return fmt.Errorf("%s: too many shipments: found %d, expected at most %d (the configured row limit)", path, len(list), l.lim.MaxRows)
	}
	res, err := l.newPlanResult(path)
	if err != nil {
		return err
	}
	var objs []map[string]any
	for i, s := range list {
		m, _ := s.(map[string]any)
		res.ids = append(res.ids, shipmentID(m, i))
		objs = append(objs, m)
	}
	// Whole-plan validation: faults under shipments/N fail shipment N only.
	pl := place{file: path, line: t.line, field: planField}
	probs, _ := l.checkTree(l.sch.plan, t, pl)
	for _, pp := range probs {
		if i, ok := shipmentOf(pp.path, len(res.ids)); ok {
			res.probs = append(res.probs, attributed{p: pp.p, ships: []string{res.ids[i]}})
		} else {
			res.probs = append(res.probs, attributed{p: pp.p})
		}
	}
	res.program, _ = root["program"].(string)
	for i, m := range objs {
		sp := []string{"shipments", strconv.Itoa(i)}
		lineOf := func(p ...string) int { return t.line(append(append([]string(nil), sp...), p...)) }
		l.addShipment(res, m, lineOf(), xrefOf(m, lineOf))
	}
	return l.commitPlan(res)
}

// shipmentID is the attribution key of shipment i: its id, else "#N".
func shipmentID(m map[string]any, i int) string {
	id := ""
	if m != nil {
		id, _ = m["id"].(string)
	}
	if id == "" {
		id = "#" + strconv.Itoa(i+1)
	}
	return id
}

// planField names a plan path: inside a shipment, relative to it.
func planField(p []string) string {
	if len(p) >= 2 && p[0] == "shipments" {
		if _, err := strconv.Atoi(p[1]); err == nil && len(p) > 2 {
			return dotted(p[2:])
		}
	}
	return dotted(p)
}

// planResult is a plan read but not yet handed to the loader, so that a
// failed attempt to read it in parts leaves no trace. Its shipments are
// held whole in ships, or, for a batch read by Index, written to store as
// each is read, outlines keeping what the checks across files and the
// dispatching read of them: a plan of any size is then never in memory.
type planResult struct {
	file     string
	program  string
	ids      []string
	ships    []model.Shipment
	store    *shipStore
	outlines []model.Outline
	xs       []shipXref
	probs    []attributed
}

// newPlanResult starts a plan read; indexed keeps its shipments in a
// store.
func (l *loader) newPlanResult(path string) (*planResult, error) {
	r := &planResult{file: path}
	if l.b.store != nil {
		var err error
		if r.store, err = newShipStore(); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// addShipment converts checked shipment len(r.xs) to the model, converts
// its package units as the mapping says, checks its packages, and keeps it:
// whole, its text shared through the interner, or in the store, its
// outline kept.
func (l *loader) addShipment(r *planResult, m map[string]any, line int, x shipXref) {
	i := len(r.xs)
	s := model.Shipment{}
	if m != nil {
		convert(m, &s)
		if r.store == nil {
			l.in.structStrings(reflect.ValueOf(&s))
		}
	}
	s.ID = r.ids[i]
	s.Src = model.Source{File: r.file, Line: line}
	for _, p := range l.mapping.shipUnits(&s, i) {
		r.probs = append(r.probs, attributed{p: p, ships: []string{s.ID}})
	}
	tags := s.Assets
	if r.store != nil {
		r.store.at = append(r.store.at, r.store.put(&s))
		o := s.Outline()
		o.Origin, o.Destination, o.ShipDate = l.in.str(o.Origin), l.in.str(o.Destination), l.in.str(o.ShipDate)
		o.Assets = oneText(o.Assets)
		tags = o.Assets
		r.outlines = append(r.outlines, o)
	} else {
		r.ships = append(r.ships, s)
	}
	for k, ta := range x.assets {
		// Share the shipment's copy of the tag.
		if int(ta.j) < len(tags) && tags[ta.j] == ta.tag {
			x.assets[k].tag = tags[ta.j]
		}
	}
	for _, p := range packages(r.file, s.ID, x) {
		r.probs = append(r.probs, attributed{p: p, ships: []string{s.ID}})
	}
	x.pkgs = nil
	r.xs = append(r.xs, x)
}

// oneText copies a list of texts (a shipment's asset tags) into one
// allocation: one string holding them all, which each element is part of.
// A tag held on its own is a heap object of its size rounded up to the
// allocator's class; a million of them are ~25 MB more than their text.
func oneText(list []string) []string {
	if len(list) == 0 {
		return list
	}
	n := 0
	for _, t := range list {
		n += len(t)
	}
	var b strings.Builder
	b.Grow(n)
	for _, t := range list {
		b.WriteString(t)
	}
	all := b.String()
	out := make([]string, len(list))
	for i, t := range list {
		out[i], all = all[:len(t)], all[len(t):]
	}
	return out
}

// drop lets go of a plan read that is not used.
func (r *planResult) drop() {
	if r != nil {
		r.store.close()
	}
}

// commitPlan hands a plan read to the loader, with the duplicate id checks.
func (l *loader) commitPlan(r *planResult) error {
	ps := &planState{file: r.file, ids: r.ids, xs: r.xs}
	l.ps = ps
	for _, a := range r.probs {
		l.add(a.p, a.ships...)
	}
	p := &model.Plan{Program: r.program, Src: model.Source{File: r.file, Line: 1}, Shipments: r.ships}
	if r.store != nil {
		if err := r.store.flush(); err != nil {
			r.store.close()
			return err
		}
		p.KeepOutside(r.outlines, r.store.get)
		l.b.ships = r.store
	}
	l.b.Plan = p
	l.shipIndex = map[string]int{}
	for i := range p.Len() {
		s := p.Outline(i)
		if j, dup := l.shipIndex[s.ID]; dup {
			jl := p.Outline(j).Src.Line
			l.add(Problem{File: r.file, Line: s.Src.Line, Field: "id", Msg: "duplicate shipment id",
				Found: fmt.Sprintf("%s on lines %d and %d", quoteCut(s.ID), jl, s.Src.Line), Expected: "each shipment id once"}, s.ID)
			continue
		}
		l.shipIndex[s.ID] = i
	}
	return nil
}

// planStream reads a plan cut by a planCutter: each shipment is checked as
// soon as its text is complete, then the top level. It reads r to its end
// in any case; the result is nil when the parts do not parse as the whole
// would (the caller then parses the whole).
func (l *loader) planStream(path string, r io.Reader) (*planResult, error) {
	res, err := l.newPlanResult(path)
	if err != nil {
		return nil, err
	}
	c := &planCutter{}
	kept := false
	defer func() {
		if !kept {
			res.drop() // its store: the caller reads the plan again whole
		}
	}()
	item := func(text []byte, line int) bool {
		if len(res.ids) >= l.lim.MaxRows {
			return false
		}
		return l.planItem(res, text, line, c.shipLine)
	}
	ok, err := c.readAll(l.ctx, path, r, item)
	if err != nil || !ok {
		return nil, err
	}
	var n yaml.Node
	if err := yaml.Unmarshal(c.skel, &n); err != nil {
		return nil, nil
	}
	t := buildTree(&n)
	root, isMap := t.root.(map[string]any)
	if !isMap {
		return nil, nil
	}
	if _, isList := root["shipments"].([]any); !isList {
		return nil, nil
	}
	for _, f := range t.faults {
		if len(f.path) > 0 && f.path[0] == "shipments" || f.field == "shipments" {
			return nil, nil
		}
	}
	root["shipments"] = make([]any, len(res.ids))
	pl := place{file: path, line: t.line, field: planField}
	probs, _ := l.checkTree(l.sch.planTop, t, pl)
	top := make([]attributed, 0, len(probs)+len(res.probs))
	for _, pp := range probs {
		top = append(top, attributed{p: pp.p})
	}
	res.probs = append(top, res.probs...)
	res.program, _ = root["program"].(string)
	kept = true
	return res, nil
}

// readAll feeds r to the cutter line by line, to r's end (a leading
// byte-order mark dropped), calling item per part. It is false when a line
// is not UTF-8 or the cutter said no; the error is r's, or ctx's (looked at
// every 1,024 lines).
func (c *planCutter) readAll(ctx context.Context, path string, r io.Reader, item func(text []byte, line int) bool) (bool, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	ok := true
	var line []byte
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return false, fmt.Errorf("reading %s: %w", path, err)
			}
		}
		var err error
		line, err = readLine(br, line[:0])
		if err != nil && err != io.EOF {
			return false, fmt.Errorf("reading %s: %w", path, err)
		}
		if n == 0 {
			line = bytes.TrimPrefix(line, []byte{0xEF, 0xBB, 0xBF})
		}
		if ok && len(line) > 0 {
			ok = utf8.Valid(line) && c.feed(line, item)
		}
		if err == io.EOF {
			return ok && c.end(item), nil
		}
	}
}

// readLine appends the next line of br, its newline included, to buf.
func readLine(br *bufio.Reader, buf []byte) ([]byte, error) {
	for {
		part, err := br.ReadSlice('\n')
		buf = append(buf, part...)
		if err != bufio.ErrBufferFull {
			return buf, err
		}
	}
}

// reread reads a plan whole after a first pass found it not readable in
// parts. The text must be what the first pass hashed.
func (l *loader) reread(path string, in Input) ([]byte, error) {
	fh, _, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	h := sha256.New()
	data, err := readData(path, io.TeeReader(io.LimitReader(fh, l.lim.MaxFileBytes), h))
	if err != nil {
		return nil, err
	}
	if err := drain(io.TeeReader(io.LimitReader(fh, l.lim.MaxFileBytes), h)); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != in.SHA256 {
		return nil, fmt.Errorf("%s: file changed while being read: found SHA-256 %s on the second read, expected %s as first read", path, got, in.SHA256)
	}
	return data, nil
}

// planItem checks shipment len(res.ids), whose text (one "- " item of the
// shipments list) starts on line, and keeps it in res. It is false when the
// text is not exactly one list item.
func (l *loader) planItem(res *planResult, text []byte, line, shipLine int) bool {
	var n yaml.Node
	if err := yaml.Unmarshal(text, &n); err != nil {
		return false
	}
	if n.Kind != yaml.DocumentNode || len(n.Content) != 1 || n.Content[0].Kind != yaml.SequenceNode || len(n.Content[0].Content) != 1 {
		return false
	}
	i := len(res.ids)
	path := res.file
	prefix := []string{"shipments", strconv.Itoa(i)}
	st := &tree{lines: map[string]int{"/shipments": shipLine}, off: line - 1, budget: aliasBudget(n.Content[0])}
	obj, _ := st.value(n.Content[0].Content[0], prefix, "shipments")
	m, _ := obj.(map[string]any)
	res.ids = append(res.ids, shipmentID(m, i))
	faults := l.sch.planShipment.validate(obj)
	for k := range faults {
		f := &faults[k]
		if len(f.path) == 0 && f.field == "" {
			f.field = prefix[1]
		}
		f.path = append(prefix[:2:2], f.path...)
	}
	faults = append(faults, st.faults...)
	skip := map[string]bool{}
	for _, f := range faults {
		skip[pointer(f.path)] = true
	}
	faults = append(faults, l.ck.checkValues(obj, prefix, skip)...)
	spl := place{file: path, line: st.line, field: planField}
	for _, f := range faults {
		fp := f.path
		if last := len(fp) - 1; last < 0 || fp[last] != f.field {
			fp = append(append([]string(nil), fp...), f.field)
		}
		res.probs = append(res.probs, attributed{p: Problem{File: path, Line: cmp.Or(f.line, spl.line(fp)), Field: spl.field(fp),
			Msg: f.msg, Found: f.found, Expected: f.expected}, ships: []string{res.ids[i]}})
	}
	for _, f := range faults {
		if len(f.path) > 2 {
			prune(obj, f.path[2:])
		}
	}
	lineOf := func(p ...string) int { return st.line(append(append([]string(nil), prefix...), p...)) }
	l.addShipment(res, m, st.line(prefix), xrefOf(m, lineOf))
	return true
}

// planCutter cuts a block-style YAML plan, fed line by line, into its top
// level (skel: the file with the shipments' lines blanked and "shipments:
// []", so lines stay where they were) and the text of each shipment. It says
// no for anything it is not sure of (document markers, directives, flow
// style, odd indentation, a second shipments key); a part that then does not
// parse as exactly one item also sends the caller to the whole-document
// parse, which covers a quoted text or flow collection running across a cut.
type planCutter struct {
	state      int // cutBefore, cutInside, cutAfter
	itemIndent int // -1 until the first item
	lineNo     int
	shipLine   int // line of "shipments:"
	skel       []byte
	cur        []byte // text of the open item
	curLine    int
	open       bool
	items      int
	// key is the top-level list cut into items; "" is "shipments".
	key string
}

const (
	cutBefore = iota
	cutInside
	cutAfter
)

// feed takes the next line (its newline included); item is called with each
// complete shipment. false: not cuttable (or item said no).
func (c *planCutter) feed(raw []byte, item func(text []byte, line int) bool) bool {
	if c.lineNo == 0 {
		c.itemIndent = -1
	}
	c.lineNo++
	line := bytes.TrimRight(raw, "\r\n")
	if bytes.HasPrefix(line, []byte("---")) || bytes.HasPrefix(line, []byte("...")) || bytes.HasPrefix(line, []byte("%")) {
		return false
	}
	trimmed := bytes.TrimLeft(line, " ")
	indent := len(line) - len(trimmed)
	blank := len(bytes.TrimSpace(line)) == 0 || trimmed[0] == '#'
	if c.state == cutInside && !blank {
		dash := bytes.HasPrefix(trimmed, []byte("- ")) || len(trimmed) == 1 && trimmed[0] == '-'
		switch {
		case c.itemIndent < 0:
			if !dash {
				return false
			}
			c.itemIndent = indent
			fallthrough
		case indent == c.itemIndent && dash:
			if !c.close(item) {
				return false
			}
			c.open, c.curLine = true, c.lineNo
		case indent > c.itemIndent:
		case indent == 0:
			if !c.close(item) {
				return false
			}
			c.state = cutAfter
		default:
			return false
		}
	}
	switch {
	case c.state == cutInside:
		c.skel = append(c.skel, '\n')
		if c.open {
			c.cur = append(c.cur, raw...)
		}
	case indent == 0 && !blank && listKey(line, cmp.Or(c.key, "shipments")):
		if c.state != cutBefore {
			return false
		}
		c.state, c.shipLine = cutInside, c.lineNo
		c.skel = append(append(c.skel, cmp.Or(c.key, "shipments")...), ": []\n"...)
	default:
		c.skel = append(c.skel, line...)
		c.skel = append(c.skel, '\n')
	}
	return true
}

func (c *planCutter) close(item func(text []byte, line int) bool) bool {
	if !c.open {
		return true
	}
	c.open = false
	c.items++
	ok := item(c.cur, c.curLine)
	c.cur = c.cur[:0]
	return ok
}

// end closes the last item; false when the plan had no shipments to cut.
func (c *planCutter) end(item func(text []byte, line int) bool) bool {
	return c.close(item) && c.items > 0
}

// splitPlan reports whether a plan can be cut, and into how many items.
func splitPlan(data []byte) (int, bool) {
	c := &planCutter{}
	yes := func([]byte, int) bool { return true }
	for len(data) > 0 {
		n := bytes.IndexByte(data, '\n') + 1
		if n == 0 {
			n = len(data)
		}
		if !c.feed(data[:n], yes) {
			return 0, false
		}
		data = data[n:]
	}
	if !c.end(yes) {
		return 0, false
	}
	return c.items, true
}

// listKey reports a line that is exactly the key "<key>:", maybe with a
// comment.
func listKey(line []byte, key string) bool {
	rest, ok := bytes.CutPrefix(line, []byte(key+":"))
	if !ok {
		return false
	}
	t := bytes.TrimLeft(rest, " ")
	return len(t) == 0 || t[0] == '#' && len(t) < len(rest)
}

type pathProblem struct {
	p    Problem
	path []string
}

// checkTree validates a whole document (tree faults included) and prunes
// the faulty values from it.
func (l *loader) checkTree(s *schema, t *tree, pl place) ([]pathProblem, any) {
	faults := s.validate(t.root)
	faults = append(faults, t.faults...)
	skip := map[string]bool{}
	for _, f := range faults {
		skip[pointer(f.path)] = true
	}
	faults = append(faults, l.ck.checkValues(t.root, nil, skip)...)
	out := make([]pathProblem, 0, len(faults))
	for _, f := range faults {
		path := f.path
		if last := len(path) - 1; last < 0 || path[last] != f.field {
			path = append(append([]string(nil), path...), f.field)
		}
		out = append(out, pathProblem{path: path, p: Problem{File: pl.file, Line: cmp.Or(f.line, pl.line(path)), Field: pl.field(path), Msg: f.msg, Found: f.found, Expected: f.expected}})
	}
	for _, f := range faults {
		prune(t.root, f.path)
	}
	return out, t.root
}

func shipmentOf(path []string, n int) (int, bool) {
	if len(path) < 2 || path[0] != "shipments" {
		return 0, false
	}
	i, err := strconv.Atoi(path[1])
	if err != nil || i < 0 || i >= n {
		return 0, false
	}
	return i, true
}

// clearances reads the clearance records, CSV or YAML/JSON.
func (l *loader) clearances(path string) error {
	return l.readInput(path, expectClearances, func(r io.Reader, doc bool) error {
		if doc {
			return l.clearanceDoc(path, r)
		}
		return l.clearanceCSV(path, r)
	})
}

func (l *loader) clearanceCSV(path string, r io.Reader) error {
	t, err := openCSV(path, r, l.lim, clearanceColumn, l.sch.clearances.required())
	if err != nil {
		return err
	}
	for i, f := range t.fields {
		if f == "" {
			l.add(Problem{File: path, Line: 1, Field: t.headers[i], Msg: "unknown column, ignored", Found: quoteCut(t.headers[i]),
				Expected: "only the columns of the clearances schema"})
		}
	}
	for {
		row, probs, err := t.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if row == nil {
			for _, p := range probs {
				l.add(p)
			}
			continue
		}
		delete(row.obj, "extra")
		pl := place{file: path,
			line: func(p []string) int {
				if len(p) > 0 {
					if ln, ok := row.lines[p[0]]; ok {
						return ln
					}
				}
				return row.line
			},
			field: func(p []string) string {
				if len(p) == 0 {
					return "row"
				}
				if h, ok := row.header[p[0]]; ok {
					return h
				}
				return p[0]
			}}
		l.clearance(row.obj, nil, row.line, pl, probs)
	}
}

func (l *loader) clearanceDoc(path string, r io.Reader) error {
	var data []byte
	var err error
	if l.wholePlan {
		if data, err = readData(path, r); err != nil {
			return err
		}
	} else {
		ok, first, err := l.clearanceParts(path, r)
		if err != nil || ok {
			return err
		}
		// Not readable in parts: read it again, whole.
		if data, err = l.reread(path, Input{SHA256: hex.EncodeToString(first)}); err != nil {
			return err
		}
	}
	t, err := parseDoc(path, data)
	if err != nil {
		return err
	}
	data = nil
	var list []any
	base := []string{}
	switch root := t.root.(type) {
	case []any:
		list = root
	case map[string]any:
		a, ok := root["clearances"].([]any)
		if !ok {
			return fmt.Errorf("%s:%d: clearances: not clearance records: found %s, expected a list under clearances", path, t.line([]string{"clearances"}), show(root["clearances"]))
		}
		list, base = a, []string{"clearances"}
	default:
		return fmt.Errorf("%s:1: not clearance records: found %s, expected a mapping with clearances", path, show(root))
	}
	l.outsideRecords(path, t, base)
	for i, rec := range list {
		at := append(append([]string(nil), base...), strconv.Itoa(i))
		var own []fault
		for _, f := range t.faults {
			if hasPrefix(f.path, at) {
				own = append(own, fault{path: f.path[len(at):], field: f.field, line: f.line, msg: f.msg, found: f.found, expected: f.expected})
			}
		}
		pl := place{file: path,
			line:  func(p []string) int { return t.line(append(append([]string(nil), at...), p...)) },
			field: recordField(at)}
		l.clearance(rec, own, t.line(at), pl, nil)
	}
	return nil
}

// clearanceParts checks a block-style YAML mapping with a clearances list
// one record at a time, as the plan is read, so that a large file is never
// held, as text or as one parsed tree (the YAML nodes of a whole file take
// about twenty times its size). It reads the file twice: r to its end,
// checking only that it can be cut, then the file again, checking each
// record, which must be the same text (its SHA-256) or the load fails. It
// is false, having checked nothing, when the file is not one it can cut
// with certainty (see planCutter), when a part does not parse as exactly
// one item, or when a part uses anchors or aliases (their budget is the
// whole document's): the caller then parses the whole document, as it did
// before. first is the SHA-256 of what r gave.
func (l *loader) clearanceParts(path string, r io.Reader) (ok bool, first []byte, err error) {
	// cut feeds src to a cutter for "clearances", calling item per record.
	cut := func(src io.Reader, item func(text []byte, line int) bool) (*planCutter, bool, error) {
		c := &planCutter{key: "clearances"}
		ok, err := c.readAll(l.ctx, path, src, item)
		return c, ok, err
	}
	// First pass: every part must be one list item without anchors or
	// aliases; nothing is checked yet.
	one := func(text []byte) (*yaml.Node, bool) {
		var n yaml.Node
		if err := yaml.Unmarshal(text, &n); err != nil {
			return nil, false
		}
		if n.Kind != yaml.DocumentNode || len(n.Content) != 1 || n.Content[0].Kind != yaml.SequenceNode || len(n.Content[0].Content) != 1 {
			return nil, false
		}
		return n.Content[0].Content[0], !usesAliases(n.Content[0])
	}
	firstLine := 0
	h := sha256.New()
	c, ok, err := cut(io.TeeReader(r, h), func(text []byte, line int) bool {
		if firstLine == 0 {
			firstLine = line
		}
		_, ok := one(text)
		return ok
	})
	first = h.Sum(nil)
	if err != nil || !ok {
		return false, first, err
	}
	var sk yaml.Node
	if err := yaml.Unmarshal(c.skel, &sk); err != nil {
		return false, first, nil
	}
	t := buildTree(&sk)
	root, isMap := t.root.(map[string]any)
	if !isMap {
		return false, first, nil
	}
	if _, isList := root["clearances"].([]any); !isList {
		return false, first, nil
	}
	for _, f := range t.faults {
		if len(f.path) > 0 && f.path[0] == "clearances" || f.field == "clearances" {
			return false, first, nil
		}
	}
	// Second pass, over the file again: check each record.
	fh, _, err := openRegular(path)
	if err != nil {
		return false, first, err
	}
	defer fh.Close()
	base := []string{"clearances"}
	l.outsideRecords(path, t, base)
	i := 0
	h.Reset()
	_, ok, err = cut(io.TeeReader(io.LimitReader(fh, l.lim.MaxFileBytes), h), func(text []byte, line int) bool {
		n, ok := one(text)
		if !ok {
			return false // changed since the first pass: the hashes say so below
		}
		at := []string{"clearances", strconv.Itoa(i)}
		i++
		st := &tree{lines: map[string]int{"/clearances": firstLine}, off: line - 1, budget: aliasBudget(n)}
		rec, _ := st.value(n, at, "clearances")
		var own []fault
		for _, f := range st.faults {
			if hasPrefix(f.path, at) {
				own = append(own, fault{path: f.path[len(at):], field: f.field, line: f.line, msg: f.msg, found: f.found, expected: f.expected})
			}
		}
		pl := place{file: path,
			line:  func(p []string) int { return st.line(append(append([]string(nil), at...), p...)) },
			field: recordField(at)}
		l.clearance(rec, own, st.line(at), pl, nil)
		return true
	})
	if err == nil {
		if derr := drain(io.TeeReader(fh, h)); derr != nil {
			err = fmt.Errorf("reading %s: %w", path, derr)
		}
	}
	if err != nil {
		return false, first, err
	}
	if again := h.Sum(nil); !bytes.Equal(again, first) || !ok {
		return false, first, fmt.Errorf("%s: file changed while being read: found SHA-256 %x on the second read, expected %x as first read", path, again, first)
	}
	l.b.clearancesInParts = true
	return true, first, nil
}

// usesAliases reports an anchor or alias anywhere under n.
func usesAliases(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return true
	}
	for _, c := range n.Content {
		if usesAliases(c) {
			return true
		}
	}
	return false
}

// clearance checks one clearance record; its problems fail the shipment it
// names, when that shipment is in the plan.
func (l *loader) clearance(obj any, extra []fault, line int, pl place, pre []Problem) {
	sid := ""
	if m, ok := obj.(map[string]any); ok {
		sid, _ = m["shipment_id"].(string)
	}
	var ships []string
	if _, ok := l.shipIndex[sid]; ok {
		ships = []string{sid}
	}
	probs, obj := l.check(l.sch.clearances, obj, extra, pl)
	probs = append(pre, probs...)
	if m, ok := obj.(map[string]any); ok && len(probs) == 0 && ships != nil {
		probs = append(probs, l.clearanceLines(m, sid, pl)...)
	}
	var order []Problem
	if m, ok := obj.(map[string]any); ok && len(probs) == 0 {
		order = releaseOrder(m, pl)
	}
	if sid != "" && ships == nil && len(probs) == 0 {
		probs = append(probs, Problem{File: pl.file, Line: pl.line([]string{"shipment_id"}), Field: pl.field([]string{"shipment_id"}),
			Msg: "clearance for an unknown shipment", Found: quoteCut(sid), Expected: "the id of a shipment in the plan"})
	}
	probs = append(probs, order...)
	if len(probs) > 0 {
		for _, p := range probs {
			l.add(p, ships...)
		}
		return
	}
	c := &model.Clearance{}
	convert(obj, c)
	c.Src = model.Source{File: pl.file, Line: line}
	for i := range c.Lines {
		c.Lines[i].Src = model.Source{File: pl.file, Line: pl.line([]string{"lines", strconv.Itoa(i)})}
	}
	if prev, dup := l.clearanceLine(sid); dup {
		l.add(Problem{File: pl.file, Line: line, Field: pl.field([]string{"shipment_id"}), Msg: "two clearances for one shipment",
			Found: fmt.Sprintf("%s on lines %d and %d", quoteCut(sid), prev, line), Expected: "one clearance record per shipment"}, ships...)
		l.dropClearance(sid)
		return
	}
	l.putClearance(sid, c)
}

// releaseOrder refuses goods released before their entry was made.
func releaseOrder(m map[string]any, pl place) []Problem {
	es, ok1 := m["entry_date"].(string)
	rs, ok2 := m["release_date"].(string)
	if !ok1 || !ok2 {
		return nil
	}
	e, err1 := parseDate(es)
	r, err2 := parseDate(rs)
	if err1 != nil || err2 != nil || !r.Before(e) {
		return nil
	}
	p := []string{"release_date"}
	return []Problem{{File: pl.file, Line: pl.line(p), Field: pl.field(p), Msg: "release before entry",
		Found: quoteCut(rs), Expected: "the entry date " + es + " or later"}}
}
