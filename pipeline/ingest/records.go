package ingest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// place tells how to name a fault's line and field in its file.
type place struct {
	file  string
	line  func(path []string) int
	field func(path []string) string
}

// check validates one record against its schema and the value checks, and
// returns its problems plus the record with faulty values removed.
func (l *loader) check(s *schema, obj any, extra []fault, pl place) ([]Problem, any) {
	faults := s.validate(obj)
	faults = append(faults, extra...)
	skip := map[string]bool{}
	for _, f := range faults {
		skip[pointer(f.path)] = true
	}
	faults = append(faults, l.ck.checkValues(obj, nil, skip)...)
	if m, ok := obj.(map[string]any); ok {
		faults = append(faults, weightOrder(m, skip)...)
	}
	if len(faults) == 0 {
		return nil, obj
	}
	probs := make([]Problem, 0, len(faults))
	for _, f := range faults {
		path := f.path
		if last := len(path) - 1; last < 0 || path[last] != f.field {
			path = append(append([]string(nil), path...), f.field)
		}
		probs = append(probs, Problem{File: pl.file, Line: cmp.Or(f.line, pl.line(path)), Field: pl.field(path), Msg: f.msg, Found: f.found, Expected: f.expected})
		prune(obj, f.path)
	}
	slices.SortStableFunc(probs, func(a, b Problem) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return strings.Compare(a.Field, b.Field)
	})
	return probs, obj
}

// weightOrder refuses a net weight above the gross weight.
func weightOrder(m map[string]any, skip map[string]bool) []fault {
	ns, ok1 := m["net_weight_kg"].(string)
	gs, ok2 := m["gross_weight_kg"].(string)
	if !ok1 || !ok2 || skip["/net_weight_kg"] || skip["/gross_weight_kg"] {
		return nil
	}
	n, err1 := decimal.NewFromString(ns)
	g, err2 := decimal.NewFromString(gs)
	if err1 != nil || err2 != nil || !n.GreaterThan(g) {
		return nil
	}
	return []fault{{path: []string{"net_weight_kg"}, field: "net_weight_kg", msg: "net weight above gross weight",
		found: ns + " kg", expected: "at most the gross weight " + gs + " kg"}}
}

// dotted names a path inside a record: parties.exporter.country, assets[2].
func dotted(path []string) string {
	var b strings.Builder
	for _, p := range path {
		if _, err := strconv.Atoi(p); err == nil {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// convert turns a checked record into its model type through JSON: decimals
// are strings, so decimal.Decimal reads them exactly.
func convert(obj any, dst any) {
	b, err := json.Marshal(obj)
	if err != nil {
		return
	}
	// Type mismatches were reported by the schema; Unmarshal fills what it can.
	_ = json.Unmarshal(b, dst)
}

// format of a file, from its extension, else from its first byte.
func format(path string, data []byte) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return "csv"
	case ".json":
		return "json"
	case ".yaml", ".yml":
		return "yaml"
	}
	t := bytes.TrimLeft(bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n")
	if len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return "json"
	}
	return ""
}

// readDoc reads a whole YAML or JSON file (its size already checked) into a
// tree. Invalid UTF-8 and syntax errors make the file unusable.
func readDoc(path string, r io.Reader) (*tree, error) {
	data, err := readData(path, r)
	if err != nil {
		return nil, err
	}
	return parseDoc(path, data)
}

// readData reads a whole YAML or JSON file and checks that it is UTF-8 text
// with something in it. A leading byte order mark is dropped.
func readData(path string, r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		line := bytes.Count(data[:off], []byte{'\n'}) + 1
		col := off - bytes.LastIndexByte(data[:off], '\n')
		return nil, fmt.Errorf("%s:%d: column %d: invalid UTF-8: found byte 0x%02X, expected UTF-8 text", path, line, col, data[off])
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s:1: file is empty: found only blank space, expected a document", path)
	}
	return data, nil
}

// parseDoc parses checked text (see readData) into a tree.
func parseDoc(path string, data []byte) (*tree, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if line, found, ok := syntaxLine(data, msg); ok {
			return nil, fmt.Errorf("%s:%d: not parseable as YAML or JSON: found %s, expected a YAML or JSON document", path, line, found)
		}
		return nil, fmt.Errorf("%s: not parseable as YAML or JSON: found %v, expected a YAML or JSON document", path, msg)
	}
	t := buildTree(&n)
	if t.root == nil {
		return nil, fmt.Errorf("%s:1: file is empty: found no document, expected a YAML or JSON document", path)
	}
	return t, nil
}

// inventory reads the asset inventory, CSV or JSON.
func (l *loader) inventory(path string) error {
	l.seen = newSeen()
	l.invPath = path
	return l.readInput(path, expectInventory, func(r io.Reader, doc bool) error {
		if !doc {
			return l.inventoryCSV(path, r)
		}
		t, err := readDoc(path, r)
		if err != nil {
			return err
		}
		return l.inventoryDoc(path, t)
	})
}

// readInput opens a CSV-or-document input, lets read consume it (doc says
// whether it is JSON/YAML, judged by name and first bytes), reads what is
// left so the whole file is hashed, and records the file among the inputs.
func (l *loader) readInput(path, expected string, read func(r io.Reader, doc bool) error) error {
	fh, r, done, err := l.open(path, expected)
	if err != nil {
		return err
	}
	defer fh.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(r, head)
	head = head[:n]
	r = io.MultiReader(bytes.NewReader(head), r)
	f := format(path, head)
	if err := read(r, f == "json" || f == "yaml"); err != nil {
		return err
	}
	if err := drain(r); err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	l.b.Inputs = append(l.b.Inputs, done())
	return nil
}

func (l *loader) inventoryCSV(path string, r io.Reader) error {
	t, err := openCSV(path, r, l.lim, l.mapping.column(inventoryColumn), l.inventoryRequired())
	if err != nil {
		return err
	}
	nprob := 0
	for {
		if t.rows%1024 == 0 {
			if err := l.ctx.Err(); err != nil {
				return fmt.Errorf("reading %s: %w", path, err)
			}
		}
		row, probs, err := t.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if len(probs) > 0 {
			line := probs[0].Line
			if row != nil {
				line = row.line
			}
			l.badRow(probs[0].AssetTag, line, probs)
			nprob += len(probs)
		} else {
			pl := place{file: path,
				line: func(p []string) int {
					if len(p) == 0 {
						return row.line
					}
					if ln, ok := row.lines[strings.Join(p, "/")]; ok {
						return ln
					}
					return row.line
				},
				field: func(p []string) string {
					if len(p) == 0 {
						return "row"
					}
					if p[0] == "extra" && len(p) > 1 {
						return p[1]
					}
					if h, ok := row.header[p[0]]; ok {
						return h
					}
					return p[0]
				}}
			nprob += l.asset(row.obj, nil, row.line, pl, false)
		}
		if nprob > maxProblems {
			return fmt.Errorf("%s: too many problems: found more than %d, expected an asset inventory (is this the right file?)", path, maxProblems)
		}
	}
}

func (l *loader) inventoryDoc(path string, t *tree) error {
	var list []any
	base := []string{}
	switch root := t.root.(type) {
	case []any:
		list = root
	case map[string]any:
		a, ok := root["assets"].([]any)
		if !ok {
			return fmt.Errorf("%s:%d: assets: not an inventory: found %s, expected an array of assets or {\"assets\": [...]}", path, t.line([]string{"assets"}), show(root["assets"]))
		}
		list, base = a, []string{"assets"}
	default:
		return fmt.Errorf("%s:1: not an inventory: found %s, expected an array of assets or {\"assets\": [...]}", path, show(root))
	}
	if len(list) > l.lim.MaxRows {
		return fmt.Errorf("%s: too many records: found %d, expected at most %d (the configured row limit)", path, len(list), l.lim.MaxRows)
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
		l.asset(rec, own, t.line(at), pl, true)
	}
	return nil
}

func hasPrefix(p, prefix []string) bool {
	return len(p) >= len(prefix) && slices.Equal(p[:len(prefix)], prefix)
}

// badRow records the problems of a row that could not be read as a record.
func (l *loader) badRow(tag string, line int, probs []Problem) {
	for _, p := range probs {
		p.AssetTag = tag
		l.add(p)
		if tag != "" {
			l.badAssets[tag] = append(l.badAssets[tag], len(l.probs)-1)
		}
	}
	if tag != "" {
		l.noteTag(tag, line, probs[0].File)
	}
}

// noteTag records where an asset tag is defined; a second definition makes
// both bad.
func (l *loader) noteTag(tag string, line int, file string) bool {
	if first, dup := l.seen.tag(tag, line); dup {
		l.add(Problem{File: file, Line: line, Field: "asset_tag", AssetTag: tag, Msg: "duplicate asset tag",
			Found: fmt.Sprintf("%s on lines %d and %d", quoteCut(tag), first, line), Expected: "each asset tag once"})
		l.badAssets[tag] = append(l.badAssets[tag], len(l.probs)-1)
		l.dropAsset(tag)
		return false
	}
	return true
}

// asset checks one inventory record and keeps it when good. It returns the
// number of problems. doc says the record is from a JSON or YAML document,
// whose keys the mapping renames (a CSV's headers are renamed as read).
func (l *loader) asset(obj any, extra []fault, line int, pl place, doc bool) int {
	tag := ""
	var hints map[string]string
	if m, ok := obj.(map[string]any); ok {
		if doc {
			l.mapping.rename(m)
		}
		l.mapping.apply(m)
		hints = normaliseEnums(m, l.mapping)
		hints = l.countryHint(m, hints)
		tag, _ = m["asset_tag"].(string)
	}
	probs, obj := l.check(l.sch.inventory, obj, extra, pl)
	decorate(probs, hints, pl)
	if len(probs) > 0 {
		l.badRow(tag, line, probs)
		return len(probs)
	}
	a := assetFrom(obj.(map[string]any), l.in)
	a.Src = model.Source{File: pl.file, Line: line}
	if !l.noteTag(a.AssetTag, line, pl.file) {
		return 1
	}
	if s, dup := l.seen.serial(serialKey(a.Serial), a.AssetTag, a.Serial, line); dup {
		found := fmt.Sprintf("%s on line %d (asset %s) and line %d (asset %s)", quoteCut(a.Serial), s.line, s.tag, line, a.AssetTag)
		if s.serial != a.Serial {
			found = fmt.Sprintf("%s on line %d (asset %s) and %s on line %d (asset %s)", quoteCut(s.serial), s.line, s.tag, quoteCut(a.Serial), line, a.AssetTag)
		}
		l.add(Problem{File: pl.file, Line: line, Field: pl.field([]string{"serial"}), AssetTag: a.AssetTag, Msg: "duplicate serial",
			Found:    found,
			Expected: "each serial once (one record per physical unit)"})
		for _, t := range []string{s.tag, a.AssetTag} {
			l.badAssets[t] = append(l.badAssets[t], len(l.probs)-1)
			l.dropAsset(t)
		}
		return 1
	}
	if _, bad := l.badAssets[a.AssetTag]; !bad {
		l.putAsset(a)
	}
	return 0
}

// required lists the schema's required top-level fields.
func (s *schema) required() []string {
	r, _ := s.raw["required"].([]any)
	out := make([]string, 0, len(r))
	for _, x := range r {
		if str, ok := x.(string); ok {
			out = append(out, str)
		}
	}
	return out
}

// outsideRecords reports the tree faults (duplicate keys, aliases) that are
// not inside one record of the list at base: they fail no shipment.
func (l *loader) outsideRecords(path string, t *tree, base []string) {
	for _, f := range t.faults {
		if len(f.path) > len(base) && hasPrefix(f.path, base) {
			continue
		}
		p := f.path
		if len(p) == 0 || p[len(p)-1] != f.field {
			p = append(append([]string(nil), p...), f.field)
		}
		l.add(Problem{File: path, Line: cmp.Or(f.line, t.line(p)), Field: dotted(p), Msg: f.msg, Found: f.found, Expected: f.expected})
	}
}

// recordField names a path inside the record at "at" of a document; a fault
// of the record itself (not an object) is named by the record: [0] or
// assets[0].
func recordField(at []string) func(p []string) string {
	return func(p []string) string {
		if len(p) == 0 || len(p) == 1 && p[0] == "" {
			return dotted(at)
		}
		return dotted(p)
	}
}

// syntaxLine finds the line of a YAML parser error that names none: the
// parser leaves it out on the first line of the text, and for JSON (a
// truncated file above all) the JSON syntax error's offset says where.
// ok is false when the line is not known (a control character: the reader
// does not say where).
func syntaxLine(data []byte, msg string) (line int, found string, ok bool) {
	if strings.HasPrefix(msg, "line ") || strings.HasPrefix(msg, "control characters") {
		return 0, "", false
	}
	t := bytes.TrimSpace(data)
	if len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		var se *json.SyntaxError
		if err := json.Unmarshal(data, new(struct{})); errors.As(err, &se) {
			off := min(max(int(se.Offset), 0), len(data))
			if off >= len(bytes.TrimRight(data, " \t\r\n")) {
				end := bytes.Count(bytes.TrimRight(data, " \t\r\n"), []byte{'\n'}) + 1
				return end, "the end of the input in the middle of a value (" + msg + ")", true
			}
			return bytes.Count(data[:off], []byte{'\n'}) + 1, msg, true
		}
	}
	return 1, msg, true
}

// serialKey is a serial as compared for duplicates: makers print serials
// in capitals, and "czj0123abc" typed by hand is the same unit as
// "CZJ0123ABC".
func serialKey(s string) string { return strings.ToUpper(s) }
