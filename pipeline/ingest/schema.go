package ingest

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/big"
	"net/url"
	"strings"

	"github.com/clearpack/clearpack/templates"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// schema is one compiled input schema together with its raw document, which
// is read for the "description" of the failing keyword's schema: it says what
// is expected in words a user understands.
type schema struct {
	name string
	sch  *jsonschema.Schema
	raw  map[string]any // by $id-less JSON pointer lookup
}

// schemas are the three compiled input schemas.
type schemas struct {
	inventory, plan, clearances *schema
	// planTop is the plan schema with any shipments accepted, planShipment
	// its shipment: a large plan is checked one shipment at a time. Their
	// schema URLs differ from plan's only before the fragment, and they read
	// descriptions from plan's raw document.
	planTop, planShipment *schema
}

func loadSchemas() (*schemas, error) {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	var out schemas
	for _, s := range []struct {
		file string
		dst  **schema
	}{
		{"inventory.schema.json", &out.inventory},
		{"plan.schema.json", &out.plan},
		{"clearances.schema.json", &out.clearances},
	} {
		b, err := fs.ReadFile(templates.Schemas(), s.file)
		if err != nil {
			return nil, fmt.Errorf("reading schema %s: %w", s.file, err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("parsing schema %s: %w", s.file, err)
		}
		raw, ok := doc.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("parsing schema %s: not an object", s.file)
		}
		id, _ := raw["$id"].(string)
		if err := c.AddResource(id, doc); err != nil {
			return nil, fmt.Errorf("adding schema %s: %w", s.file, err)
		}
		sch, err := c.Compile(id)
		if err != nil {
			return nil, fmt.Errorf("compiling schema %s: %w", s.file, err)
		}
		*s.dst = &schema{name: s.file, sch: sch, raw: raw}
	}
	planID, _ := out.plan.raw["$id"].(string)
	ship, err := c.Compile(planID + "#/$defs/shipment")
	if err != nil {
		return nil, fmt.Errorf("compiling schema plan.schema.json shipment: %w", err)
	}
	out.planShipment = &schema{name: out.plan.name, sch: ship, raw: out.plan.raw}
	b, err := fs.ReadFile(templates.Schemas(), "plan.schema.json")
	if err != nil {
		return nil, fmt.Errorf("reading schema plan.schema.json: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("parsing schema plan.schema.json: %w", err)
	}
	top, _ := doc.(map[string]any)
	props, _ := top["properties"].(map[string]any)
	ships, _ := props["shipments"].(map[string]any)
	if ships == nil {
		return nil, fmt.Errorf("parsing schema plan.schema.json: no shipments property")
	}
	ships["items"] = true
	topID := strings.TrimSuffix(planID, ".schema.json") + "-top.schema.json"
	top["$id"] = topID
	if err := c.AddResource(topID, top); err != nil {
		return nil, fmt.Errorf("adding schema plan.schema.json top level: %w", err)
	}
	topSch, err := c.Compile(topID)
	if err != nil {
		return nil, fmt.Errorf("compiling schema plan.schema.json top level: %w", err)
	}
	out.planTop = &schema{name: out.plan.name, sch: topSch, raw: out.plan.raw}
	return &out, nil
}

// fault is a schema failure before it is placed in a file: the instance
// path of the failing value plus the words of the message.
type fault struct {
	path                 []string
	field                string // last path element, or the missing property
	line                 int    // when known better than the path's line (a duplicate key)
	msg, found, expected string
}

// validate checks v against the schema and returns its faults, one per leaf
// error, in a stable order.
func (s *schema) validate(v any) []fault {
	err := s.sch.Validate(v)
	if err == nil {
		return nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return []fault{{msg: "cannot validate", found: err.Error(), expected: "a valid record"}}
	}
	var out []fault
	s.leaves(ve, v, &out)
	return out
}

func (s *schema) leaves(e *jsonschema.ValidationError, root any, out *[]fault) {
	if len(e.Causes) > 0 {
		for _, c := range e.Causes {
			s.leaves(c, root, out)
		}
		return
	}
	*out = append(*out, s.describe(e, root)...)
}

func (s *schema) describe(e *jsonschema.ValidationError, root any) []fault {
	path := e.InstanceLocation
	field := ""
	if len(path) > 0 {
		field = path[len(path)-1]
	}
	val := lookup(root, path)
	desc := s.description(e.SchemaURL)
	f := fault{path: path, field: field, found: show(val), expected: desc}
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		var out []fault
		for _, m := range k.Missing {
			out = append(out, fault{path: path, field: m, msg: "missing required field", found: "nothing", expected: s.propDescription(e.SchemaURL, m)})
		}
		return out
	case *kind.AdditionalProperties:
		var out []fault
		for _, p := range k.Properties {
			out = append(out, fault{path: append(append([]string(nil), path...), p), field: p, msg: "unknown field", found: fmt.Sprintf("%q", p), expected: "only the fields of the schema (" + strings.Join(s.propNames(e.SchemaURL), ", ") + ")"})
		}
		return out
	case *kind.Type:
		f.msg = "wrong type"
		if desc == "" {
			f.expected = strings.Join(k.Want, " or ")
		}
	case *kind.Enum:
		f.msg = "not an allowed value"
		if desc == "" {
			var w []string
			for _, x := range k.Want {
				w = append(w, fmt.Sprint(x))
			}
			f.expected = "one of " + strings.Join(w, ", ")
		}
	case *kind.Pattern:
		f.msg = "invalid value"
		if strings.HasSuffix(e.SchemaURL, "/$defs/decimal") {
			f.msg = decimalTrouble(k.Got)
			if f.msg == "negative value" {
				f.expected = "a value of 0 or more"
			}
		}
		if desc == "" {
			f.expected = "text matching " + k.Want
		}
	case *kind.Format:
		f.msg = "invalid " + k.Want
	case *kind.MinLength:
		f.msg = "too short"
		if k.Want == 1 {
			f.msg = "empty value"
		}
	case *kind.MaxLength:
		f.msg = "too long"
		f.found = fmt.Sprintf("%d characters", k.Got)
		f.expected = fmt.Sprintf("at most %d characters", k.Want)
	case *kind.Minimum:
		f.msg = "value too small"
		f.expected = "at least " + ratString(k.Want)
		if desc != "" {
			f.expected = desc
		}
	case *kind.Maximum:
		f.msg = "absurd value"
		f.expected = "at most " + ratString(k.Want)
		if desc != "" {
			f.expected = desc
		}
	case *kind.MinItems:
		f.msg = "too few items"
		f.found = fmt.Sprintf("%d items", k.Got)
	case *kind.FalseSchema:
		f.msg = "not allowed"
	default:
		f.msg = e.ErrorKind.LocalizedString(nil)
	}
	if f.expected == "" {
		f.expected = "a valid value"
	}
	return []fault{f}
}

func ratString(r *big.Rat) string {
	if r == nil {
		return "?"
	}
	if r.IsInt() {
		return r.Num().String()
	}
	return r.FloatString(6)
}

// decimalTrouble names what is wrong with text that should be a plain decimal.
func decimalTrouble(s string) string {
	t := strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(t, "-"):
		return "negative value"
	case strings.ContainsAny(t, "eE") && strings.IndexFunc(t, func(r rune) bool { return r >= '0' && r <= '9' }) >= 0 && strings.Trim(t, "0123456789.eE+-") == "":
		return "number with an exponent"
	case strings.ContainsAny(t, ", '"):
		return "number with thousands separators or a decimal comma"
	case strings.Trim(t, "0123456789.") == "" && t != "":
		return "number too long or malformed"
	}
	return "not a number"
}

// node resolves a schema URL (absolute, with a JSON pointer fragment) in the
// raw document. Only this schema's own URLs resolve.
func (s *schema) node(schemaURL string) map[string]any {
	u, err := url.Parse(schemaURL)
	if err != nil {
		return nil
	}
	var cur any = s.raw
	for _, tok := range strings.Split(strings.TrimPrefix(u.Fragment, "/"), "/") {
		if tok == "" {
			continue
		}
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[tok]
	}
	m, _ := cur.(map[string]any)
	return m
}

func (s *schema) deref(m map[string]any) map[string]any {
	for i := 0; i < 4 && m != nil; i++ {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		m = s.node(ref)
	}
	return m
}

func (s *schema) description(schemaURL string) string {
	m := s.deref(s.node(schemaURL))
	d, _ := m["description"].(string)
	return d
}

func (s *schema) propDescription(schemaURL, prop string) string {
	m := s.deref(s.node(schemaURL))
	props, _ := m["properties"].(map[string]any)
	p, _ := props[prop].(map[string]any)
	d, _ := s.deref(p)["description"].(string)
	if d == "" {
		return "a value"
	}
	return d
}

func (s *schema) propNames(schemaURL string) []string {
	m := s.deref(s.node(schemaURL))
	props, _ := m["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	sortStrings(names)
	return names
}

// lookup returns the value at an instance path, nil when absent.
func lookup(v any, path []string) any {
	for _, tok := range path {
		switch t := v.(type) {
		case map[string]any:
			v = t[tok]
		case []any:
			i := 0
			if _, err := fmt.Sscan(tok, &i); err != nil || i < 0 || i >= len(t) {
				return nil
			}
			v = t[i]
		default:
			return nil
		}
	}
	return v
}
