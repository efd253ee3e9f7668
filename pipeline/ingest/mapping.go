package ingest

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/biter777/countries"
	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// Mapping is a user's description of an inventory export (an ITAM tool's CSV
// or JSON): which column is which clearpack field, how the export spells
// values, what to assume when a column is absent, and the units its numbers
// are in. It is read from a YAML file (--mapping FILE, the config file's
// mapping key, or mapping.yaml in an inbox batch):
//
//	columns:                  # a header (matched ignoring case, spaces, punctuation) -> field
//	  "Customs Value": unit_value
//	values:                   # per field: a value as written -> the value meant
//	  category: {"Rack Mount Chassis": server}
//	  country_of_origin: {"Germany": DE}
//	defaults:                 # when the record has no value for the field
//	  currency: EUR
//	units:                    # the unit a column is in; converted to clearpack's
//	  net_weight_kg: lb       # lb, kg, g or oz for weights
//	  packages.length_cm: in  # in, cm or mm for the plan's package dimensions
//
// A mapping changes what is read, so it is an input: its SHA-256 is recorded
// with the others.
type Mapping struct {
	// File is the path the mapping was read from.
	File string

	columns  map[string]string            // folded header -> field
	values   map[string]map[string]string // field -> folded value -> value
	defaults map[string]string            // field -> value
	units    map[string]decimal.Decimal   // field -> factor to clearpack's unit
	pkgUnits map[string]decimal.Decimal   // package field -> factor
}

// mappingFile is the YAML form of a mapping.
type mappingFile struct {
	Description string                       `yaml:"description"`
	Columns     map[string]string            `yaml:"columns"`
	Values      map[string]map[string]string `yaml:"values"`
	Defaults    map[string]string            `yaml:"defaults"`
	Units       map[string]string            `yaml:"units"`
}

// Conversion factors to kilograms and centimetres. The pound and the inch are
// exact by definition (international yard and pound agreement, 1959).
var (
	weightUnits = map[string]decimal.Decimal{
		"kg": decimal.NewFromInt(1), "g": decimal.RequireFromString("0.001"),
		"lb": decimal.RequireFromString("0.45359237"), "lbs": decimal.RequireFromString("0.45359237"),
		"oz": decimal.RequireFromString("0.028349523125"),
	}
	lengthUnits = map[string]decimal.Decimal{
		"cm": decimal.NewFromInt(1), "mm": decimal.RequireFromString("0.1"),
		"in": decimal.RequireFromString("2.54"), "inch": decimal.RequireFromString("2.54"),
	}
)

var unknownKey = regexp.MustCompile(`line ([0-9]+): field (\S+) not found in type`)

// convertedPlaces is how many decimals a converted weight or length keeps.
const convertedPlaces = 3

// ParseMapping reads a mapping file's text. Errors name the file, line and
// field.
func ParseMapping(file string, data []byte) (*Mapping, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: not parseable as YAML: found %v, expected a mapping file", file, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:1: not a mapping file: found no mapping, expected columns, values, defaults or units", file)
	}
	var mf mappingFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&mf); err != nil && err != io.EOF {
		if m := unknownKey.FindStringSubmatch(err.Error()); m != nil {
			return nil, fmt.Errorf("%s:%s: %s: unknown key: found %q, expected description, columns, values, defaults or units", file, m[1], m[2], m[2])
		}
		return nil, fmt.Errorf("%s: not a mapping file: found %s, expected description, columns, values, defaults and units, each a mapping of text", file, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	m := &Mapping{File: file, columns: map[string]string{}, values: map[string]map[string]string{},
		defaults: map[string]string{}, units: map[string]decimal.Decimal{}, pkgUnits: map[string]decimal.Decimal{}}
	top := root.Content[0]
	line := func(path ...string) int { return nodeLine(top, path) }
	known := func(f string) bool { return slices.Contains(assetFields(), f) }
	fieldList := strings.Join(assetFields(), ", ")
	for _, h := range slices.Sorted(maps.Keys(mf.Columns)) {
		f := mf.Columns[h]
		if !known(f) {
			return nil, fmt.Errorf("%s:%d: columns.%s: unknown field: found %q, expected one of %s", file, line("columns", h), h, f, fieldList)
		}
		m.columns[normHeader(h)] = f
	}
	for _, f := range slices.Sorted(maps.Keys(mf.Values)) {
		if !known(f) {
			return nil, fmt.Errorf("%s:%d: values.%s: unknown field: found %q, expected one of %s", file, line("values", f), f, f, fieldList)
		}
		vm := map[string]string{}
		for _, from := range slices.Sorted(maps.Keys(mf.Values[f])) {
			to := mf.Values[f][from]
			if msg := targetFault(f, to); msg != "" {
				return nil, fmt.Errorf("%s:%d: values.%s.%s: %s", file, line("values", f, from), f, from, msg)
			}
			vm[foldEnum(from)] = to
		}
		m.values[f] = vm
	}
	for _, f := range slices.Sorted(maps.Keys(mf.Defaults)) {
		if !known(f) {
			return nil, fmt.Errorf("%s:%d: defaults.%s: unknown field: found %q, expected one of %s", file, line("defaults", f), f, f, fieldList)
		}
		if msg := targetFault(f, mf.Defaults[f]); msg != "" {
			return nil, fmt.Errorf("%s:%d: defaults.%s: %s", file, line("defaults", f), f, msg)
		}
		m.defaults[f] = mf.Defaults[f]
	}
	for _, f := range slices.Sorted(maps.Keys(mf.Units)) {
		u := strings.ToLower(strings.TrimSpace(mf.Units[f]))
		switch f {
		case "net_weight_kg", "gross_weight_kg":
			k, ok := weightUnits[u]
			if !ok {
				return nil, fmt.Errorf("%s:%d: units.%s: unknown weight unit: found %q, expected kg, g, lb or oz", file, line("units", f), f, mf.Units[f])
			}
			m.units[f] = k
		case "packages.length_cm", "packages.width_cm", "packages.height_cm":
			k, ok := lengthUnits[u]
			if !ok {
				return nil, fmt.Errorf("%s:%d: units.%s: unknown length unit: found %q, expected cm, mm or in", file, line("units", f), f, mf.Units[f])
			}
			m.pkgUnits[strings.TrimPrefix(f, "packages.")] = k
		case "packages.gross_weight_kg":
			k, ok := weightUnits[u]
			if !ok {
				return nil, fmt.Errorf("%s:%d: units.%s: unknown weight unit: found %q, expected kg, g, lb or oz", file, line("units", f), f, mf.Units[f])
			}
			m.pkgUnits["gross_weight_kg"] = k
		default:
			return nil, fmt.Errorf("%s:%d: units.%s: no unit to convert: found %q, expected net_weight_kg, gross_weight_kg, packages.length_cm, packages.width_cm, packages.height_cm or packages.gross_weight_kg", file, line("units", f), f, f)
		}
	}
	return m, nil
}

// nodeLine is the line of a key path in a YAML mapping node (the deepest
// key found).
func nodeLine(n *yaml.Node, path []string) int {
	line := n.Line
	for _, k := range path {
		if n.Kind != yaml.MappingNode {
			break
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				line, next = n.Content[i].Line, n.Content[i+1]
				break
			}
		}
		if next == nil {
			break
		}
		n = next
	}
	return line
}

// column wraps a header matcher: the mapping's renames first.
func (m *Mapping) column(base func(string) string) func(string) string {
	if m == nil || len(m.columns) == 0 {
		return base
	}
	return func(norm string) string {
		if f, ok := m.columns[norm]; ok {
			return f
		}
		return base(norm)
	}
}

// rename applies the column renames to a document record's keys (a CSV's
// headers are renamed as they are read).
func (m *Mapping) rename(rec map[string]any) {
	if m == nil || len(m.columns) == 0 {
		return
	}
	for _, k := range slices.Sorted(maps.Keys(rec)) {
		f, ok := m.columns[normHeader(k)]
		if !ok || f == k {
			continue
		}
		if _, taken := rec[f]; taken {
			continue // the record also names the field itself: the schema reports the other key
		}
		rec[f] = rec[k]
		delete(rec, k)
	}
}

// apply rewrites one record: value maps, defaults, unit conversions.
func (m *Mapping) apply(rec map[string]any) {
	if m == nil {
		return
	}
	for f, vm := range m.values {
		s, ok := rec[f].(string)
		if !ok {
			continue
		}
		if to, ok := vm[foldEnum(s)]; ok {
			rec[f] = typed(f, to)
			if f == "sanitisation_method" && to != s {
				rec["sanitisation_text"] = s // the declaration prints the wording as written
			}
		}
	}
	for f, v := range m.defaults {
		if cur, ok := rec[f]; !ok || cur == "" || cur == nil {
			rec[f] = typed(f, v)
		}
	}
	for f, k := range m.units {
		s, ok := rec[f].(string)
		if !ok {
			continue
		}
		if d, err := decimal.NewFromString(s); err == nil && plainDecimal(s) {
			rec[f] = d.Mul(k).Round(convertedPlaces).StringFixed(convertedPlaces)
		}
	}
}

// plainDecimal: the text the schema accepts as a decimal (no exponent, no
// sign), so that conversion never makes a refused value acceptable.
func plainDecimal(s string) bool {
	dot := false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
		case r == '.' && !dot && i > 0 && i < len(s)-1:
			dot = true
		default:
			return false
		}
	}
	return s != ""
}

// shipUnits converts shipment i's package dimensions and weights to
// centimetres and kilograms, and refuses a converted value past the bound
// the plan's own units have (the check of the value as written could not
// know it was in inches).
func (m *Mapping) shipUnits(s *model.Shipment, i int) []Problem {
	if m == nil || len(m.pkgUnits) == 0 {
		return nil
	}
	var probs []Problem
	for j := range s.Packages {
		pk := &s.Packages[j]
		for _, x := range []struct {
			field string
			d     *decimal.Decimal
		}{{"length_cm", &pk.LengthCm}, {"width_cm", &pk.WidthCm}, {"height_cm", &pk.HeightCm}, {"gross_weight_kg", &pk.GrossWeightKg}} {
			k, ok := m.pkgUnits[x.field]
			if !ok {
				continue
			}
			was := *x.d
			*x.d = x.d.Mul(k).Round(convertedPlaces)
			path := []string{"shipments", strconv.Itoa(i), "packages", strconv.Itoa(j), x.field}
			if lim, words := decimalLimit(path, ""); x.d.GreaterThan(lim) {
				probs = append(probs, Problem{File: s.Src.File, Line: s.Src.Line, Field: fmt.Sprintf("packages[%d].%s", j, x.field), Shipment: s.ID,
					Msg: "absurd value", Found: fmt.Sprintf("%s, %s after the mapping's unit conversion", was, x.d), Expected: words})
			}
		}
	}
	return probs
}

// loadMapping reads the mapping file of a load, recording it as an input.
func (l *loader) loadMapping(path string) error {
	fh, r, done, err := l.open(path, "a mapping file: columns, values, defaults or units")
	if err != nil {
		return err
	}
	defer fh.Close()
	data, err := readData(path, r)
	if err != nil {
		return err
	}
	m, err := ParseMapping(path, data)
	if err != nil {
		return err
	}
	l.mapping = m
	l.b.Inputs = append(l.b.Inputs, done())
	return nil
}

// decorate adds to the problems of a record the hints of its unknown closed
// values (the nearest known value, the mapping entry that would accept it).
func decorate(probs []Problem, hints map[string]string, pl place) {
	if len(hints) == 0 {
		return
	}
	for i := range probs {
		for f, h := range hints {
			switch probs[i].Msg {
			case "not an allowed value", "wrong type", "unknown country", "invalid value":
			default:
				continue
			}
			if probs[i].Field == pl.field([]string{f}) {
				probs[i].Expected += h
			}
		}
	}
}

// inventoryRequired are the columns a CSV inventory must have: the schema's
// required fields but those the mapping gives a default.
func (l *loader) inventoryRequired() []string {
	req := l.sch.inventory.required()
	if l.mapping == nil || len(l.mapping.defaults) == 0 {
		return req
	}
	return slices.DeleteFunc(req, func(f string) bool { _, ok := l.mapping.defaults[f]; return ok })
}

// countryHint adds, for a country of origin written as a name ("Germany"),
// the code it names and the mapping entry that would accept it.
func (l *loader) countryHint(m map[string]any, hints map[string]string) map[string]string {
	s, ok := m["country_of_origin"].(string)
	if !ok || l.ck.countries[s] {
		return hints
	}
	cc := countries.ByName(strings.TrimSpace(s)).Alpha2()
	if !l.ck.countries[cc] || cc == s {
		return hints
	}
	if hints == nil {
		hints = map[string]string{}
	}
	hints["country_of_origin"] = fmt.Sprintf("; %s is %s: write %s, or add it to %s under values: country_of_origin: %s: %s", quoteYAML(s), cc, cc, mappingWhere(l.mapping), quoteYAML(s), cc)
	return hints
}

// targetFault says what is wrong with a value a mapping gives a field (a
// value map's target, a default), "" when nothing: a mistake in the mapping
// is reported against the mapping, not against every record it touches.
func targetFault(field, v string) string {
	if e, ok := enumFields[field]; ok {
		if _, ok := e.canonical(v); !ok {
			return fmt.Sprintf("not an allowed value: found %q, expected one of %s", v, strings.Join(e.allowed, ", "))
		}
	}
	upper := func(n int) bool {
		if len(v) != n {
			return false
		}
		for _, r := range v {
			if r < 'A' || r > 'Z' {
				return false
			}
		}
		return true
	}
	switch field {
	case "country_of_origin":
		if !upper(2) {
			return fmt.Sprintf("not a country code: found %q, expected an ISO 3166-1 alpha-2 code in capitals, such as DE", v)
		}
	case "currency":
		if !upper(3) {
			return fmt.Sprintf("not a currency code: found %q, expected an ISO 4217 code in capitals, such as EUR", v)
		}
	}
	return ""
}
