package ingest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Field typing shared by every input: the JSON Schemas say the same, these
// tell the readers how to type a CSV cell or a plain YAML scalar before
// validation. Decimal fields stay strings (their literal text) so that no
// float64 ever touches money or weights.
func isInt(key string) bool {
	switch key {
	case "year_of_manufacture", "rack_units", "cpu_sockets", "cpu_cores", "valuation_method":
		return true
	}
	return false
}

func isBool(key string) bool {
	switch key {
	case "tpm", "held", "spec_list_requested":
		return true
	}
	return false
}

func isDecimal(key string) bool {
	switch key {
	case "unit_value", "original_cost", "net_weight_kg", "gross_weight_kg", "freight", "insurance", "packing",
		"length_cm", "width_cm", "height_cm", "duties", "vat", "fees", "customs_value", "duty_rate", "duty",
		"royalties", "assists", "commissions":
		return true
	}
	return false
}

var intLiteral = regexp.MustCompile(`^-?[0-9]{1,18}$`)

// tree is a parsed YAML or JSON document as plain values (map[string]any,
// []any, string, json.Number, bool) with the line of every value, keyed by
// its JSON pointer ("" is the root).
type tree struct {
	root  any
	lines map[string]int
	// faults found while building: duplicate keys, aliases past the
	// expansion budget.
	faults []fault
	// off is added to every line: a tree built from part of a file.
	off int
	// YAML aliases and merge keys are expanded within a budget of values
	// (see aliasBudget): an alias bomb is refused, not expanded.
	budget, expanded, expanding int
	over                        bool
	// aliasPath and alias: the outermost alias being expanded, for the
	// message.
	aliasPath []string
	alias     string
}

// maxAliasDepth bounds how deep a value made by aliases may nest: a plan's
// values nest a few levels; an alias inside the value it names nests for
// ever.
const maxAliasDepth = 64

func lastOf(p []string) string {
	if len(p) == 0 {
		return ""
	}
	return p[len(p)-1]
}

// aliasBudget is how many values aliases may add to a document: ten times
// the values it writes out, and at least 10,000. A plan that names its
// parties once and refers to them in every shipment stays far below it; a
// "billion laughs" document (each alias a list of the previous ones) grows
// past it in a few levels.
func aliasBudget(n *yaml.Node) int {
	count := 0
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		count++
		if n.Kind == yaml.AliasNode {
			return
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return max(10_000, 10*count)
}

func (t *tree) line(path []string) int {
	for n := len(path); n >= 0; n-- {
		if l, ok := t.lines[pointer(path[:n])]; ok {
			return l
		}
	}
	return 1
}

func pointer(path []string) string {
	if len(path) == 0 {
		return ""
	}
	var b strings.Builder
	for _, p := range path {
		b.WriteByte('/')
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(p, "~", "~0"), "/", "~1"))
	}
	return b.String()
}

// buildTree converts a parsed YAML node (JSON parses as YAML too) into a tree.
func buildTree(n *yaml.Node) *tree {
	t := &tree{lines: map[string]int{}}
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return t
		}
		n = n.Content[0]
	}
	t.budget = aliasBudget(n)
	t.root, _ = t.value(n, nil, "")
	return t
}

func (t *tree) value(n *yaml.Node, path []string, key string) (any, bool) {
	p := pointer(path)
	if _, ok := t.lines[p]; !ok {
		t.lines[p] = n.Line + t.off
	}
	if t.expanding > 0 {
		if t.over {
			return nil, false
		}
		if t.expanded++; t.expanded > t.budget {
			t.over = true
			field := ""
			if len(t.aliasPath) > 0 {
				field = t.aliasPath[len(t.aliasPath)-1]
			}
			t.faults = append(t.faults, fault{path: t.aliasPath, field: field, msg: "YAML aliases expand too far",
				found:    fmt.Sprintf("*%s and the aliases before it make more than %d values", t.alias, t.budget),
				expected: "aliases that add at most ten times the values the document writes out"})
			return nil, false
		}
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			t.faults = append(t.faults, fault{path: path, field: key, msg: "unknown YAML alias", found: "*" + n.Value, expected: "an alias to an anchor (&name) defined before it"})
			return nil, false
		}
		if t.expanding == 0 {
			t.aliasPath, t.alias = path, n.Value
		}
		if len(path) > maxAliasDepth {
			if !t.over {
				t.over = true
				t.faults = append(t.faults, fault{path: t.aliasPath, field: lastOf(t.aliasPath), msg: "YAML aliases nest too deep",
					found: fmt.Sprintf("*%s nesting more than %d levels (an alias inside the value it names?)", t.alias, maxAliasDepth), expected: "aliases to values that do not contain themselves"})
			}
			return nil, false
		}
		t.expanding++
		defer func() { t.expanding-- }()
		return t.value(n.Alias, path, key)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		seen := make(map[string]int, len(n.Content)/2)
		var merges []*yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
				merges = append(merges, v)
				continue
			}
			if k.Kind != yaml.ScalarNode {
				t.faults = append(t.faults, fault{path: path, field: key, msg: "key is not text", found: "a " + kindName(k), expected: "a field name"})
				continue
			}
			name := k.Value
			cp := append(append([]string(nil), path...), name)
			if first, dup := seen[name]; dup {
				t.faults = append(t.faults, fault{path: cp, field: name, line: k.Line + t.off, msg: "duplicate key", found: fmt.Sprintf("%q again (first on line %d)", name, first), expected: "each key once"})
				continue
			}
			seen[name] = k.Line + t.off
			t.lines[pointer(cp)] = k.Line + t.off
			if x, ok := t.value(v, cp, name); ok {
				m[name] = x
			}
		}
		t.merge(m, seen, merges, path, key, map[*yaml.Node]bool{n: true})
		return m, true
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			cp := append(append([]string(nil), path...), strconv.Itoa(i))
			x, ok := t.value(c, cp, key)
			if !ok {
				x = nil
			}
			s = append(s, x)
		}
		return s, true
	case yaml.ScalarNode:
		return scalar(n, key)
	}
	return nil, false
}

// merge adds the keys of merge-key sources ("<<: *base", "<<: [*a, *b]")
// that the mapping does not set itself; of several sources the first that
// sets a key wins (YAML 1.1 merge key type).
// chain holds the mappings being merged into m (a merge that refers back to
// one of them is refused, not followed for ever).
func (t *tree) merge(m map[string]any, seen map[string]int, merges []*yaml.Node, path []string, key string, chain map[*yaml.Node]bool) {
	for _, v := range merges {
		sources := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			sources = v.Content
		}
		for _, src := range sources {
			target := src
			if src.Kind == yaml.AliasNode && src.Alias != nil {
				target = src.Alias
			}
			if target.Kind != yaml.MappingNode {
				t.faults = append(t.faults, fault{path: path, field: key, line: src.Line + t.off, msg: "merge key (<<) of a non-mapping",
					found: "a " + kindName(target), expected: "an alias to a mapping, or a list of them"})
				continue
			}
			if chain[target] {
				t.faults = append(t.faults, fault{path: path, field: key, line: src.Line + t.off, msg: "merge key (<<) refers to the mapping it is in",
					found: "*" + src.Value, expected: "an alias to another mapping"})
				continue
			}
			if t.expanded++; t.expanded > t.budget {
				if !t.over {
					t.over = true
					t.faults = append(t.faults, fault{path: path, field: key, line: src.Line + t.off, msg: "YAML aliases expand too far",
						found:    fmt.Sprintf("*%s and the aliases before it make more than %d values", src.Value, t.budget),
						expected: "aliases that add at most ten times the values the document writes out"})
				}
				return
			}
			for i := 0; i+1 < len(target.Content); i += 2 {
				k, val := target.Content[i], target.Content[i+1]
				if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
					continue
				}
				if _, set := seen[k.Value]; set {
					continue
				}
				seen[k.Value] = k.Line + t.off
				cp := append(append([]string(nil), path...), k.Value)
				t.lines[pointer(cp)] = src.Line + t.off
				t.expanding++
				x, ok := t.value(val, cp, k.Value)
				t.expanding--
				if ok {
					m[k.Value] = x
				}
			}
			// Nested merges inside the source.
			var inner []*yaml.Node
			for i := 0; i+1 < len(target.Content); i += 2 {
				if target.Content[i].Kind == yaml.ScalarNode && target.Content[i].Tag == "!!merge" {
					inner = append(inner, target.Content[i+1])
				}
			}
			if len(inner) > 0 {
				chain[target] = true
				t.merge(m, seen, inner, path, key, chain)
				delete(chain, target)
			}
		}
	}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	}
	return "value"
}

// scalar types a YAML scalar by the field it belongs to: integers and
// booleans where the schema wants them, the literal text everywhere else (so
// an unquoted id: 12345 or tax_id: 0123 keeps its digits, and 12500.00 stays
// exactly that).
func scalar(n *yaml.Node, key string) (any, bool) {
	if n.Tag == "!!null" {
		return nil, false
	}
	switch {
	case isInt(key):
		if n.Tag == "!!int" && intLiteral.MatchString(n.Value) {
			return json.Number(n.Value), true
		}
	case isBool(key):
		if n.Tag == "!!bool" {
			switch strings.ToLower(n.Value) {
			case "true":
				return true, true
			case "false":
				return false, true
			}
		}
	default:
		if n.Tag == "!!bool" && n.Style == 0 && !isDecimal(key) {
			// true/false where text is expected: keep the type so the
			// schema says "wrong type" rather than silently accepting it.
			return strings.EqualFold(n.Value, "true"), true
		}
	}
	return n.Value, true
}

// show formats a found value for a message: strings quoted with control
// characters escaped, long values cut.
func show(v any) string {
	switch x := v.(type) {
	case nil:
		return "nothing"
	case string:
		return quoteCut(x)
	case json.Number:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case map[string]any:
		return "an object"
	case []any:
		return fmt.Sprintf("a list of %d items", len(x))
	}
	return fmt.Sprint(v)
}

func quoteCut(s string) string {
	const max = 60
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		return strconv.Quote(string(r[:max])) + "..."
	}
	return strconv.Quote(s)
}

func sortStrings(s []string) { sort.Strings(s) }

// prune deletes the value at path (so a faulty value is not converted).
func prune(v any, path []string) {
	if len(path) == 0 {
		return
	}
	parent := lookup(v, path[:len(path)-1])
	last := path[len(path)-1]
	switch p := parent.(type) {
	case map[string]any:
		delete(p, last)
	case []any:
		if i, err := strconv.Atoi(last); err == nil && i >= 0 && i < len(p) {
			p[i] = nil
		}
	}
}
