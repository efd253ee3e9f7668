// Package gen writes programs of any size for benchmarks and fault tests by
// replicating the sample program (testdata/sample): every good shipment of the
// sample is copied with a replica suffix on its id, invoice number, package
// ids, asset tags and serials, so every copy passes the same rules the sample
// passes. The sample's deliberately incomplete shipment (APL26-BR-03) is left
// out, so a generated program is archived whole.
//
// The inventory is written row by row as it is produced; the generator never
// holds more than one replica of the sample in memory.
package gen

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// Files are the three inputs written.
type Files struct{ Inventory, Plan, Clearances string }

// Stats say what was written.
type Stats struct {
	Units      int `json:"units"`
	Shipments  int `json:"shipments"`
	Clearances int `json:"clearances"`
}

// held is the sample's shipment that is stopped on purpose.
const held = "APL26-BR-03"

type template struct {
	id        string
	node      *yaml.Node // the shipment mapping
	tags      []string
	clearance *yaml.Node
}

// Sample is the sample program read once, ready to be replicated.
type Sample struct {
	header    []string
	rows      map[string][]string // by asset tag
	program   string
	templates []template
}

// ReadSample reads testdata/sample from dir.
func ReadSample(dir string) (*Sample, error) {
	s := &Sample{rows: map[string][]string{}}
	f, err := os.Open(filepath.Join(dir, "inventory.csv"))
	if err != nil {
		return nil, fmt.Errorf("reading sample: %w", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("reading sample inventory: %w", err)
	}
	if len(recs) < 2 || recs[0][0] != "asset_tag" || recs[0][1] != "serial" {
		return nil, errors.New("reading sample inventory: expected asset_tag,serial first")
	}
	s.header = recs[0]
	for _, r := range recs[1:] {
		s.rows[r[0]] = r
	}

	var plan, clr yaml.Node
	if err := readYAML(filepath.Join(dir, "plan.yaml"), &plan); err != nil {
		return nil, err
	}
	if err := readYAML(filepath.Join(dir, "clearances.yaml"), &clr); err != nil {
		return nil, err
	}
	clearances := map[string]*yaml.Node{}
	if list := lookup(clr.Content[0], "clearances"); list != nil {
		for _, c := range list.Content {
			if id := lookup(c, "shipment_id"); id != nil {
				clearances[id.Value] = c
			}
		}
	}
	root := plan.Content[0]
	if p := lookup(root, "program"); p != nil {
		s.program = p.Value
	}
	ships := lookup(root, "shipments")
	if ships == nil {
		return nil, errors.New("reading sample plan: no shipments")
	}
	for _, sh := range ships.Content {
		id := lookup(sh, "id").Value
		if id == held {
			continue
		}
		t := template{id: id, node: sh, clearance: clearances[id]}
		for _, a := range lookup(sh, "assets").Content {
			if _, ok := s.rows[a.Value]; !ok {
				return nil, fmt.Errorf("reading sample: %s lists unknown asset %s", id, a.Value)
			}
			t.tags = append(t.tags, a.Value)
		}
		s.templates = append(s.templates, t)
	}
	return s, nil
}

func readYAML(path string, n *yaml.Node) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading sample: %w", err)
	}
	if err := yaml.Unmarshal(b, n); err != nil {
		return fmt.Errorf("reading sample %s: %w", path, err)
	}
	if len(n.Content) == 0 {
		return fmt.Errorf("reading sample %s: empty", path)
	}
	return nil
}

func lookup(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// Write writes a program of at most units units (whole shipments, copied
// from the sample's templates in turn, until the next would exceed units;
// always at least one shipment) into dir.
func (s *Sample) Write(dir string, units int) (Files, Stats, error) {
	fs := Files{
		Inventory:  filepath.Join(dir, "inventory.csv"),
		Plan:       filepath.Join(dir, "plan.yaml"),
		Clearances: filepath.Join(dir, "clearances.yaml"),
	}
	var st Stats
	inv, err := os.Create(fs.Inventory)
	if err != nil {
		return fs, st, fmt.Errorf("writing inventory: %w", err)
	}
	defer inv.Close()
	plan, err := os.Create(fs.Plan)
	if err != nil {
		return fs, st, fmt.Errorf("writing plan: %w", err)
	}
	defer plan.Close()
	clr, err := os.Create(fs.Clearances)
	if err != nil {
		return fs, st, fmt.Errorf("writing clearances: %w", err)
	}
	defer clr.Close()

	iw := bufio.NewWriterSize(inv, 1<<20)
	pw := bufio.NewWriterSize(plan, 1<<20)
	cw := bufio.NewWriterSize(clr, 1<<16)
	ic := csv.NewWriter(iw)
	if err := ic.Write(s.header); err != nil {
		return fs, st, err
	}
	fmt.Fprintf(pw, "program: %s\nshipments:\n", yamlScalar(s.program))
	fmt.Fprintf(cw, "clearances:\n")

	for i := 0; ; i++ {
		t := s.templates[i%len(s.templates)]
		if st.Shipments > 0 && st.Units+len(t.tags) > units {
			break
		}
		suffix := fmt.Sprintf("-R%05d", i/len(s.templates)+1)
		for _, tag := range t.tags {
			row := append([]string(nil), s.rows[tag]...)
			row[0] += suffix
			row[1] += suffix[1:]
			if err := ic.Write(row); err != nil {
				return fs, st, err
			}
		}
		sh := replica(t.node, suffix)
		if err := writeItem(pw, sh); err != nil {
			return fs, st, fmt.Errorf("writing plan: %w", err)
		}
		if t.clearance != nil {
			c := clone(t.clearance)
			lookup(c, "shipment_id").Value += suffix
			if err := writeItem(cw, c); err != nil {
				return fs, st, fmt.Errorf("writing clearances: %w", err)
			}
			st.Clearances++
		}
		st.Units += len(t.tags)
		st.Shipments++
	}
	if st.Clearances == 0 {
		cw.Reset(clr)
		fmt.Fprintf(cw, "clearances: []\n")
	}
	ic.Flush()
	for _, e := range []error{ic.Error(), iw.Flush(), pw.Flush(), cw.Flush(), inv.Close(), plan.Close(), clr.Close()} {
		if e != nil {
			return fs, st, fmt.Errorf("writing program: %w", e)
		}
	}
	return fs, st, nil
}

// replica copies a shipment node with suffix on every identifier.
func replica(n *yaml.Node, suffix string) *yaml.Node {
	c := clone(n)
	lookup(c, "id").Value += suffix
	if v := lookup(c, "invoice_number"); v != nil {
		v.Value += suffix
	}
	for _, a := range lookup(c, "assets").Content {
		a.Value += suffix
	}
	// Claims on some of the units name them: the units of the replica.
	for _, key := range []string{"tariff_claims", "chapter99"} {
		if l := lookup(lookup(c, "import_entry"), key); l != nil {
			for _, cl := range l.Content {
				if as := lookup(cl, "assets"); as != nil {
					for _, a := range as.Content {
						a.Value += suffix
					}
				}
			}
		}
	}
	if pk := lookup(c, "packages"); pk != nil {
		for _, p := range pk.Content {
			lookup(p, "id").Value += suffix
			for _, a := range lookup(p, "assets").Content {
				a.Value += suffix
			}
		}
	}
	return c
}

func clone(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range n.Content {
		c.Content[i] = clone(k)
	}
	return &c
}

// writeItem writes n as one item of a YAML sequence indented by two spaces.
func writeItem(w io.Writer, n *yaml.Node) error {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode([]*yaml.Node{n}); err != nil {
		return err
	}
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		if line == "" {
			continue
		}
		if _, err := io.WriteString(w, "  "+line); err != nil {
			return err
		}
	}
	return nil
}

func yamlScalar(s string) string {
	b, _ := yaml.Marshal(s)
	return strings.TrimSpace(string(b))
}
