package rules

import (
	"cmp"
	"container/heap"
	"fmt"
	"slices"
	"strings"

	"github.com/clearpack/clearpack/internal/hash128"
	"github.com/clearpack/clearpack/pipeline/model"
)

const (
	srcSameModel = "HS 2022 General Interpretative Rules 1 and 6; EAR 15 CFR 774: one model, one classification in every destination"
	srcSameUnit  = "WTO Customs Valuation Agreement: one unit, one method and value basis in every destination"
)

// A cross-shipment rule groups the plan's units by a key (a model, a unit)
// and fails every shipment of a key that has more than one value, naming the
// shipments on each side.
//
// It is worked out without holding the plan's assets: a first pass over the
// shipments keeps the hashes of each distinct (key, value) pair in sorted
// runs without pointers, which the collector does not scan, and merges them
// to find the keys with more than one value; only if a key diverged does a
// second pass
// gather, for the diverging keys alone, the values, where each was first
// seen and the shipments involved, to word the failure as before. A hash
// shared by two keys can only make the second pass look at a key that turns
// out to have one value, which fails nothing.
type crossRule struct {
	rule, source, passDetail string
	key, value, what         func(a *model.Asset) string
}

func (c *Checked) hash(s string) hash128.Sum {
	return c.hashes.String(s)
}

// crossPair is one unit's key and value under a rule, hashed.
type crossPair struct{ key, value hash128.Sum }

func cmpPair(a, b crossPair) int {
	return cmp.Or(cmp.Compare(a.key[0], b.key[0]), cmp.Compare(a.key[1], b.key[1]),
		cmp.Compare(a.value[0], b.value[0]), cmp.Compare(a.value[1], b.value[1]))
}

// crossRunLen is how many pairs a run of the first pass holds.
const crossRunLen = 1 << 14

// crossPass1 is the first pass of one rule. It keeps the (key, value)
// pairs seen in sorted runs without repeats, 32 bytes a distinct pair: a
// rule whose keys repeat (a model on thousands of units) keeps a run or
// two, one keyed by the unit keeps a pair a unit (32 MB at 1,000,000 units,
// where a map of the same entries took ~86). finish merges the runs and
// keeps only the keys seen with more than one value.
type crossPass1 struct {
	runs     [][]crossPair
	cur      []crossPair // the run being filled
	diverged map[hash128.Sum]bool
}

func (p *crossPass1) add(c *Checked, r *crossRule, a *model.Asset) {
	k := r.key(a)
	if k == "" {
		return
	}
	if p.cur == nil {
		p.cur = make([]crossPair, 0, crossRunLen)
	}
	p.cur = append(p.cur, crossPair{c.hash(k), c.hash(r.value(a))})
	if len(p.cur) == cap(p.cur) {
		p.compact()
	}
}

// compact sorts the run being filled and drops its repeats; a run then
// more than half full is kept and a new one begun.
func (p *crossPass1) compact() {
	slices.SortFunc(p.cur, cmpPair)
	p.cur = slices.Compact(p.cur)
	if len(p.cur) > cap(p.cur)/2 {
		p.runs, p.cur = append(p.runs, p.cur), nil
	}
}

// finish merges the runs (each sorted) and keeps the keys that have more
// than one value.
func (p *crossPass1) finish() {
	if len(p.cur) > 0 {
		slices.SortFunc(p.cur, cmpPair)
		p.runs, p.cur = append(p.runs, slices.Compact(p.cur)), nil
	}
	p.diverged = map[hash128.Sum]bool{}
	h := &pairHeap{}
	for _, r := range p.runs {
		if len(r) > 0 {
			h.runs = append(h.runs, r)
		}
	}
	heap.Init(h)
	var last crossPair
	for n := 0; h.Len() > 0; n++ {
		e := h.runs[0][0]
		if n > 0 && e.key == last.key && e.value != last.value {
			p.diverged[e.key] = true
		}
		last = e
		if h.runs[0] = h.runs[0][1:]; len(h.runs[0]) == 0 {
			heap.Pop(h)
		} else {
			heap.Fix(h, 0)
		}
	}
	p.runs = nil
}

// pairHeap orders sorted runs by their first pair, for finish's merge.
type pairHeap struct{ runs [][]crossPair }

func (h *pairHeap) Len() int           { return len(h.runs) }
func (h *pairHeap) Less(i, j int) bool { return cmpPair(h.runs[i][0], h.runs[j][0]) < 0 }
func (h *pairHeap) Swap(i, j int)      { h.runs[i], h.runs[j] = h.runs[j], h.runs[i] }
func (h *pairHeap) Push(x any)         { h.runs = append(h.runs, x.([]crossPair)) }
func (h *pairHeap) Pop() any {
	x := h.runs[len(h.runs)-1]
	h.runs = h.runs[:len(h.runs)-1]
	return x
}

// crossGroup is one diverging key in the second pass.
type crossGroup struct {
	values []string
	first  []string // first[i]: where values[i] was first seen
	what   string
	ships  []int
}

// crossPass2 is the second pass of one rule, over the diverging keys.
type crossPass2 struct {
	groups map[string]*crossGroup
	order  []string
}

func (p *crossPass2) add(c *Checked, p1 *crossPass1, r *crossRule, i int, id string, a *model.Asset) {
	k := r.key(a)
	if k == "" || !p1.diverged[c.hash(k)] {
		return
	}
	g, ok := p.groups[k]
	if !ok {
		g = &crossGroup{what: r.what(a)}
		p.groups[k] = g
		p.order = append(p.order, k)
	}
	if v := r.value(a); !slices.Contains(g.values, v) {
		g.values = append(g.values, v)
		g.first = append(g.first, fmt.Sprintf("shipment %s (%s asset %s)", id, src(a.Src), a.AssetTag))
	}
	// A shipment's units are visited one after another.
	if n := len(g.ships); n == 0 || g.ships[n-1] != i {
		g.ships = append(g.ships, i)
	}
}

// failures files the diverging keys' failures by shipment, in the order
// the keys were first seen.
func (p *crossPass2) failures() map[int]*faults {
	found := map[int]*faults{}
	for _, k := range p.order {
		g := p.groups[k]
		if len(g.values) < 2 {
			continue
		}
		parts := make([]string, len(g.values))
		for i, v := range g.values {
			parts[i] = fmt.Sprintf("%s in %s", v, g.first[i])
		}
		msg := fmt.Sprintf("%s: %s", g.what, strings.Join(parts, " but "))
		for _, sh := range g.ships {
			if found[sh] == nil {
				found[sh] = &faults{}
			}
			found[sh].failf("%s", msg)
		}
	}
	return found
}

// crossRules are the cross-shipment rules, in report order.
var crossRules = []*crossRule{sameModel, sameUnit}

// crossCheck runs the cross-shipment rules over the plan, reading each
// shipment's assets through c.assets, and keeps the failures by shipment.
func (c *Checked) crossCheck() {
	n := c.in.Plan.Len()
	p1 := make([]crossPass1, len(crossRules))
	for i := range n {
		for _, a := range c.assets(c.in.Plan.Outline(i).Assets) {
			for r, rule := range crossRules {
				p1[r].add(c, rule, a)
			}
		}
	}
	diverged := false
	for r := range p1 {
		p1[r].finish()
		diverged = diverged || len(p1[r].diverged) > 0
	}
	c.crossFail = make([]map[int]*faults, len(crossRules))
	if !diverged {
		return
	}
	p2 := make([]crossPass2, len(crossRules))
	for r := range p2 {
		p2[r].groups = map[string]*crossGroup{}
	}
	for i := range n {
		s := c.in.Plan.Outline(i)
		for _, a := range c.assets(s.Assets) {
			for r, rule := range crossRules {
				if len(p1[r].diverged) > 0 {
					p2[r].add(c, &p1[r], rule, i, s.ID, a)
				}
			}
		}
	}
	for r := range p2 {
		c.crossFail[r] = p2[r].failures()
	}
}

// crossResults are shipment i's results of the cross-shipment rules.
func (c *Checked) crossResults(i int) []model.CheckResult {
	out := make([]model.CheckResult, 0, len(crossRules))
	for r, rule := range crossRules {
		f := c.crossFail[r][i]
		if f == nil {
			f = &faults{}
		}
		out = append(out, f.result(rule.rule, rule.source, rule.passDetail))
	}
	return out
}

// sameModel: the same model gets the same HS subheading and ECCN in every
// destination.
var sameModel = &crossRule{rule: "same-model-classification", source: srcSameModel,
	passDetail: "each model has one HS subheading and ECCN across the plan",
	key: func(a *model.Asset) string {
		// One model however its name is typed: NFC, no-break and
		// zero-width spaces folded.
		return fold(a.Manufacturer) + "|" + fold(a.Model)
	},
	value: func(a *model.Asset) string {
		sub := a.HSCode
		if len(sub) >= 6 {
			sub = fmtHS(sub[:6])
		}
		eccn := a.ECCN
		if eccn == "" {
			eccn = "no ECCN"
		}
		return fmt.Sprintf("HS %s / %s", sub, eccn)
	},
	what: func(a *model.Asset) string {
		return fmt.Sprintf("model %s %s: fields hs_code, eccn differ", a.Manufacturer, a.Model)
	}}

// sameUnit: the same unit (manufacturer and serial) gets the same
// valuation method and value basis everywhere. ingest already refuses an
// inventory that lists a serial twice (in any case); this holds for inputs
// built otherwise.
var sameUnit = &crossRule{rule: "same-unit-value-basis", source: srcSameUnit,
	passDetail: "each unit has one valuation method and value basis across the plan",
	key: func(a *model.Asset) string {
		if a.Serial == "" {
			return ""
		}
		return fold(a.Manufacturer) + "|" + fold(a.Serial)
	},
	value: func(a *model.Asset) string {
		return fmt.Sprintf("method %d, original cost %s %s, basis %q", a.ValuationMethod, a.OriginalCost, a.Currency, a.DepreciationBasis)
	},
	what: func(a *model.Asset) string {
		return fmt.Sprintf("unit %s serial %s: fields valuation_method, original_cost, depreciation_basis differ", a.Manufacturer, a.Serial)
	}}
