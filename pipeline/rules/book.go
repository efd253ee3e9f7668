// Package rules is clearpack's pre-shipment compliance check: every
// destination's requirements are checked before cargo departs, so that a
// shipment that would be held at a border is stopped at the desk, with the
// reason.
//
// The rules are data. A Book holds the country profiles
// (templates/countries/<CC>.yaml, one per country, each rule with its legal
// source, effective date and confidence mark), the HS 2022 nomenclature and
// the category-to-subheading table (templates/hs/). Load reads the embedded
// defaults and then a user's own YAML files, which override or extend them
// per country. Check runs every check (a table of small named functions, see
// Checks) over a shipment plan and returns one Report per shipment.
package rules

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/clearpack/clearpack/templates"
)

// Book is the rule data in force: the country profiles and the HS tables.
// It is immutable after Load and safe for concurrent use.
type Book struct {
	profiles map[string]Profile
	hs       hsTable
	class    classification
	// incoterms is what each Incoterms 2020 rule means for the documents.
	incoterms incoterms
	// reasons by subheading; categories by subheading.
	reasons map[string]string
	catSubs map[string][]string
	version string
	// union: member country -> its customs union's profile code.
	union map[string]string
	// generic is the profile of a country without one (see union.go).
	generic Profile
}

// profileFile is one YAML file that contributed to a profile, kept to name
// the line of a field when the merged profile is invalid.
type profileFile struct {
	name string
	root *yaml.Node
}

// Load reads the embedded country profiles and HS tables, then every *.yaml
// or *.yml file in overrideDir (when not empty), in name order. A file named
// incoterms.yaml overrides templates/incoterms/incoterms.yaml: the rules it
// names replace those of the same name, other fields it sets replace the
// embedded ones (lists whole). Any other override
// file names its country (`country: VN`); the fields it sets replace those of
// the profile in force (lists are replaced whole), and a country without an
// embedded profile is added, in which case the file must be complete. Errors
// name the file, the line and the field.
func Load(overrideDir string) (*Book, error) {
	hs, err := parseHS("templates/hs/harmonized-system.csv", templates.HSNomenclature())
	if err != nil {
		return nil, fmt.Errorf("loading hs nomenclature: %w", err)
	}
	class, err := parseClassification("templates/hs/classification.yaml", templates.HSClassification(), hs)
	if err != nil {
		return nil, fmt.Errorf("loading hs classification: %w", err)
	}
	inco, err := parseIncoterms("templates/incoterms/incoterms.yaml", templates.Incoterms())
	if err != nil {
		return nil, fmt.Errorf("loading incoterms: %w", err)
	}
	b := &Book{
		incoterms: inco,
		profiles:  map[string]Profile{},
		hs:        hs,
		class:     class,
		reasons:   map[string]string{},
		catSubs:   map[string][]string{},
	}
	for cat, list := range class.Categories {
		for _, e := range list {
			b.reasons[e.Subheading] = e.Reason
			b.catSubs[cat] = append(b.catSubs[cat], e.Subheading)
		}
	}

	files := map[string][]profileFile{}
	var errs []error
	embedded := templates.CountryProfiles()
	names, err := fs.Glob(embedded, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("loading country profiles: %w", err)
	}
	for _, n := range names {
		data, err := fs.ReadFile(embedded, n)
		if err != nil {
			return nil, fmt.Errorf("loading country profiles: %w", err)
		}
		name := path.Join("templates/countries", n)
		cc, err := b.merge(name, data, files)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if want := strings.TrimSuffix(n, ".yaml"); cc != want {
			errs = append(errs, fmt.Errorf("%s:1: country %q: expected %q, the file's name", name, cc, want))
		}
	}
	if overrideDir != "" {
		entries, err := os.ReadDir(overrideDir)
		if err != nil {
			return nil, fmt.Errorf("loading country overrides: %w", err)
		}
		for _, e := range entries { // os.ReadDir sorts by name
			ext := filepath.Ext(e.Name())
			if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
				continue
			}
			name := filepath.Join(overrideDir, e.Name())
			// A named pipe or device would be waited on for ever.
			if st, err := os.Stat(name); err == nil && !st.Mode().IsRegular() {
				errs = append(errs, fmt.Errorf("loading country overrides: %s: not a file: found mode %s, expected a regular file", name, st.Mode()))
				continue
			}
			data, err := os.ReadFile(name)
			if err != nil {
				errs = append(errs, fmt.Errorf("loading country overrides: %w", err))
				continue
			}
			if strings.TrimSuffix(e.Name(), ext) == "incoterms" {
				// The Incoterms data, not a country: its fields replace
				// the embedded ones, rule by rule.
				if err := b.incoterms.override(name, data); err != nil {
					errs = append(errs, err)
				}
				continue
			}
			if _, err := b.merge(name, data, files); err != nil {
				errs = append(errs, err)
			}
		}
	}
	for _, cc := range slices.Sorted(maps.Keys(b.profiles)) {
		p := b.profiles[cc]
		for _, fe := range p.validate() {
			name, line := locate(files[cc], fe.path)
			errs = append(errs, fmt.Errorf("%s:%d: field %s: %s", name, line, strings.Join(fe.path, "."), fe.msg))
		}
	}
	errs = append(errs, b.loadUnions()...)
	if err := b.loadGeneric(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("loading country profiles: %w", err)
	}
	b.version = b.digest()
	return b, nil
}

// merge decodes one profile file over the profile in force for its country.
func (b *Book) merge(name string, data []byte, files map[string][]profileFile) (string, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return "", fmt.Errorf("reading %s: %w", name, err)
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return "", fmt.Errorf("reading %s:1: expected a mapping with a country profile", name)
	}
	var head struct {
		Country string `yaml:"country"`
	}
	if err := root.Decode(&head); err != nil {
		return "", fmt.Errorf("reading %s: %w", name, err)
	}
	if head.Country == "" {
		return "", fmt.Errorf("%s:%d: field country: missing; expected the ISO 3166-1 alpha-2 code the file is about", name, root.Content[0].Line)
	}
	p := b.profiles[head.Country] // zero for a new country
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return "", fmt.Errorf("reading %s: %w", name, err)
	}
	p.Files = append(slices.Clip(p.Files), name)
	b.profiles[head.Country] = p
	files[head.Country] = append(files[head.Country], profileFile{name: name, root: root.Content[0]})
	return head.Country, nil
}

// locate finds the line of a field path in the last file that sets it; for a
// field no file sets, the line of its closest parent in the last file.
func locate(files []profileFile, fieldPath []string) (string, int) {
	if len(files) == 0 {
		return "?", 0
	}
	for i := len(files) - 1; i >= 0; i-- {
		if line, full := lineOf(files[i].root, fieldPath); full {
			return files[i].name, line
		}
	}
	last := files[len(files)-1]
	line, _ := lineOf(last.root, fieldPath)
	return last.name, line
}

// lineOf walks a mapping/sequence node along a path; it returns the line of
// the deepest node reached and whether the whole path was found.
func lineOf(n *yaml.Node, fieldPath []string) (int, bool) {
	line := n.Line
	for _, key := range fieldPath {
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == key {
					line = n.Content[i].Line
					next = n.Content[i+1]
					break
				}
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(key); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
				line = next.Line
			}
		}
		if next == nil {
			return line, false
		}
		n = next
	}
	return line, true
}

// digest is a SHA-256 over all rule data in force: the merged profiles in a
// canonical JSON form (without file names, so the same rules give the same
// version wherever the files live), the classification table and the HS CSV.
func (b *Book) digest() string {
	h := sha256.New()
	for _, cc := range slices.Sorted(maps.Keys(b.profiles)) {
		p := b.profiles[cc]
		p.Files = nil
		j, err := json.Marshal(p)
		if err != nil { // plain structs of strings and numbers: cannot happen
			j = []byte(fmt.Sprintf("%#v", p))
		}
		h.Write(j)
		h.Write([]byte{'\n'})
	}
	g := b.generic
	g.Files = nil
	if j, err := json.Marshal(g); err == nil {
		h.Write(j)
	}
	j, _ := json.Marshal(b.class)
	h.Write(j)
	j, _ = json.Marshal(b.incoterms)
	h.Write(j)
	h.Write(templates.HSNomenclature())
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// Version is a stable digest ("sha256:<hex>") of all rule data in force;
// manifests record it so an auditor knows which rules a pack was checked
// against.
func (b *Book) Version() string { return b.version }

// Profile returns the profile a country (ISO 3166-1 alpha-2) is checked
// under: its own, else its customs union's (the EU's for DE). The returned
// value shares its lists with the Book: treat it as read-only.
func (b *Book) Profile(country string) (Profile, bool) {
	return b.lookup(country)
}

// Countries lists the countries with a profile, sorted.
func (b *Book) Countries() []string { return slices.Sorted(maps.Keys(b.profiles)) }

// Classification explains an HS code for the specification list: its 6-digit
// subheading ("8471.50"), the subheading's description in the HS 2022
// nomenclature, and the reason a category is declared under it (empty when no
// category uses it). All three are empty for a code that is not under an HS
// 2022 subheading.
func (b *Book) Classification(hs string) (subheading, description, reason string) {
	if len(hs) < 6 {
		return "", "", ""
	}
	e, ok := b.hs[hs[:6]]
	if !ok || e.Level != 6 {
		return "", "", ""
	}
	return fmtHS(e.Code), e.Description, b.reasons[e.Code]
}

// Subheadings lists the subheadings (6 digits) a category may be declared
// under.
func (b *Book) Subheadings(category string) []string {
	return slices.Clone(b.catSubs[category])
}
