package renderers

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// table is one language's labels.
type table struct {
	Lang   string            `yaml:"lang"`
	Name   string            `yaml:"name"`
	Labels map[string]string `yaml:"labels"`
}

// loadTables reads every <lang>.yaml under fsys. English must be present and
// every other table may only use keys English has, so a typo in a translation
// is an error naming the file and key instead of a silently missing label.
func loadTables(fsys fs.FS) (map[string]*table, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("listing translations: %w", err)
	}
	tables := make(map[string]*table, len(names))
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("reading translations %s: %w", name, err)
		}
		var t table
		if err := yaml.Unmarshal(b, &t); err != nil {
			return nil, fmt.Errorf("parsing translations %s: %w", name, err)
		}
		want := strings.TrimSuffix(path.Base(name), ".yaml")
		if base, _, regional := strings.Cut(want, "-"); regional {
			// A locale's table (es-MX) overrides some of its language's.
			if _, err := fs.Stat(fsys, base+".yaml"); err != nil {
				return nil, fmt.Errorf("translations %s: no %s.yaml for it to override", name, base)
			}
		}
		if t.Lang != want {
			return nil, fmt.Errorf("translations %s: field lang is %q, expected %q", name, t.Lang, want)
		}
		tables[t.Lang] = &t
	}
	en, ok := tables["en"]
	if !ok {
		return nil, fmt.Errorf("translations: en.yaml is missing")
	}
	for lang, t := range tables {
		var unknown []string
		for k := range t.Labels {
			if _, ok := en.Labels[k]; !ok {
				unknown = append(unknown, k)
			}
		}
		if len(unknown) > 0 {
			sort.Strings(unknown)
			return nil, fmt.Errorf("translations %s.yaml: keys not in en.yaml: %s", lang, strings.Join(unknown, ", "))
		}
	}
	return tables, nil
}

// labels prints English, and the second language when there is one.
type labels struct {
	en, loc *table // loc is nil for English-only documents
	over    *table // the locale's own terms over loc (es-MX over es), or nil
}

// en returns the English text of key (the key itself if it has none, so a
// missing label is visible on the page, not blank).
func (l labels) En(key string) string {
	if s, ok := l.en.Labels[key]; ok {
		return s
	}
	return key
}

// Loc returns the second language's text of key, "" when there is none or it
// is the same as the English.
func (l labels) Loc(key string) string {
	if l.loc == nil {
		return ""
	}
	s, ok := l.loc.Labels[key]
	if l.over != nil {
		if o, found := l.over.Labels[key]; found {
			s, ok = o, true
		}
	}
	if !ok || s == l.En(key) {
		return ""
	}
	return s
}

// Tr returns the second language's text of key, or the English where the
// second language has none (or is English).
func (l labels) Tr(key string) string {
	if loc := l.Loc(key); loc != "" {
		return loc
	}
	return l.En(key)
}

// Both returns "English / Local" (or English alone).
func (l labels) Both(key string) string {
	if loc := l.Loc(key); loc != "" {
		return l.En(key) + " / " + loc
	}
	return l.En(key)
}

// Lines returns English and, on its own line, the local text.
func (l labels) Lines(key string) string {
	if loc := l.Loc(key); loc != "" {
		return l.En(key) + "\n" + loc
	}
	return l.En(key)
}

// fill replaces {name} placeholders.
func fill(s string, kv ...string) string {
	for i := 0; i+1 < len(kv); i += 2 {
		s = strings.ReplaceAll(s, "{"+kv[i]+"}", kv[i+1])
	}
	return s
}

// opt prints a coded value through its label (prefix+value) when the tables
// have one, else the value as given.
func (l labels) opt(prefix, value string) string {
	if value == "" {
		return "—"
	}
	k := prefix + value
	if _, ok := l.en.Labels[k]; ok {
		return l.Both(k)
	}
	return value
}
