package ingest

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"strconv"

	"github.com/clearpack/clearpack/pipeline/model"
)

// planState keeps what the cross-file checks need of the plan.
type planState struct {
	file  string
	t     *tree
	ids   []string // attribution key per shipment
	objs  []map[string]any
	first map[string]int // id -> index of first shipment with it
}

// plan reads the shipment plan, YAML or JSON.
func (l *loader) plan(path string) error {
	fh, r, done, err := l.open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	t, err := readDoc(path, r)
	if err != nil {
		return err
	}
	l.b.Inputs = append(l.b.Inputs, done())
	root, ok := t.root.(map[string]any)
	if !ok {
		return fmt.Errorf("%s:1: not a shipment plan: found %s, expected a mapping with program and shipments", path, show(t.root))
	}
	ps := &planState{file: path, t: t, first: map[string]int{}}
	l.ps = ps
	list, _ := root["shipments"].([]any)
	if len(list) > l.lim.MaxRows {
		return fmt.Errorf("%s: too many shipments: found %d, expected at most %d (the configured row limit)", path, len(list), l.lim.MaxRows)
	}
	for i, s := range list {
		id := ""
		m, _ := s.(map[string]any)
		if m != nil {
			id, _ = m["id"].(string)
		}
		if id == "" {
			id = "#" + strconv.Itoa(i+1)
		}
		ps.ids = append(ps.ids, id)
		ps.objs = append(ps.objs, m)
	}
	// Whole-plan validation: faults under shipments/N fail shipment N only.
	pl := place{file: path, line: t.line, field: func(p []string) string {
		if len(p) >= 2 && p[0] == "shipments" {
			if _, err := strconv.Atoi(p[1]); err == nil && len(p) > 2 {
				return dotted(p[2:])
			}
		}
		return dotted(p)
	}}
	probs, _ := l.checkTree(l.sch.plan, t, pl)
	for _, pp := range probs {
		if i, ok := l.shipmentOf(pp.path); ok {
			l.add(pp.p, ps.ids[i])
		} else {
			l.add(pp.p)
		}
	}
	prog, _ := root["program"].(string)
	l.b.Plan = &model.Plan{Program: prog, Src: model.Source{File: path, Line: 1}}
	l.shipIndex = map[string]int{}
	for i, m := range ps.objs {
		s := model.Shipment{}
		if m != nil {
			convert(m, &s)
		}
		s.ID = ps.ids[i]
		s.Src = model.Source{File: path, Line: t.line([]string{"shipments", strconv.Itoa(i)})}
		l.b.Plan.Shipments = append(l.b.Plan.Shipments, s)
		if j, dup := ps.first[s.ID]; dup {
			jl := l.b.Plan.Shipments[j].Src.Line
			l.add(Problem{File: path, Line: s.Src.Line, Field: "id", Msg: "duplicate shipment id",
				Found: fmt.Sprintf("%s on lines %d and %d", quoteCut(s.ID), jl, s.Src.Line), Expected: "each shipment id once"}, s.ID)
			continue
		}
		ps.first[s.ID] = i
		l.shipIndex[s.ID] = i
	}
	return nil
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

func (l *loader) shipmentOf(path []string) (int, bool) {
	if len(path) < 2 || path[0] != "shipments" {
		return 0, false
	}
	i, err := strconv.Atoi(path[1])
	if err != nil || i < 0 || i >= len(l.ps.ids) {
		return 0, false
	}
	return i, true
}

// clearances reads the clearance records, CSV or YAML/JSON.
func (l *loader) clearances(path string) error {
	fh, r, done, err := l.open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(r, head)
	head = head[:n]
	r = io.MultiReader(bytes.NewReader(head), r)
	f := format(path, head)
	if f == "json" || f == "yaml" {
		err = l.clearanceDoc(path, r)
	} else {
		err = l.clearanceCSV(path, r)
	}
	if err != nil {
		return err
	}
	if err := drain(r); err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	l.b.Inputs = append(l.b.Inputs, done())
	return nil
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
	t, err := readDoc(path, r)
	if err != nil {
		return err
	}
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
			field: dotted}
		l.clearance(rec, own, t.line(at), pl, nil)
	}
	return nil
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
	if sid != "" && ships == nil && len(probs) == 0 {
		probs = append(probs, Problem{File: pl.file, Line: pl.line([]string{"shipment_id"}), Field: pl.field([]string{"shipment_id"}),
			Msg: "clearance for an unknown shipment", Found: quoteCut(sid), Expected: "the id of a shipment in the plan"})
	}
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
	if prev, dup := l.b.Clearances[sid]; dup {
		l.add(Problem{File: pl.file, Line: line, Field: pl.field([]string{"shipment_id"}), Msg: "two clearances for one shipment",
			Found: fmt.Sprintf("%s on lines %d and %d", quoteCut(sid), prev.Src.Line, line), Expected: "one clearance record per shipment"}, ships...)
		delete(l.b.Clearances, sid)
		return
	}
	l.b.Clearances[sid] = c
}
