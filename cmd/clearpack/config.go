package main

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"

	"github.com/clearpack/clearpack/internal/editdist"
)

// The config file (--config, or CLEARPACK_CONFIG) is YAML:
//
//	archive: s3://...          # top level: a flag's name, for every command that has it
//	also-trust: [a.pub, b.pub] # a list: as the flag given once per item
//	serve:                     # a section: settings of one command only
//	  schedule: {inbox: "@every 15m", nightly: "0 2 * * *"}
//	verify:
//	  quiet: yes
//
// A setting is taken from, first to last: the command line, the environment
// (CLEARPACK_<NAME>), the command's section, the top level, the default.
// A top-level key that only other commands know is theirs and is skipped, so
// one file serves every command; a key no command knows, or a key in a
// command's section that the command does not have, is an error naming the
// file and line.

// annotation on a flag whose value is a list of name=value pairs: its
// separator. In the config file such a flag may be a YAML map.
const mapSeparator = "clearpack-map-separator"

// configFile is a parsed config file.
type configFile struct {
	path     string
	top      []configItem
	sections map[string][]configItem // by command name
}

// configItem is one key and its value, with the line of the key.
type configItem struct {
	key   string
	line  int
	value *yaml.Node
}

// loadConfig reads and parses path. A named pipe or device would be waited
// on for ever, so only regular files are read.
func loadConfig(path string, commands map[string]bool) (*configFile, error) {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("reading config: %s: not a file: found mode %s, expected a regular file", path, st.Mode())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("reading config %s: %w", path, err)
	}
	cf := &configFile{path: path, sections: map[string][]configItem{}}
	if len(doc.Content) == 0 { // an empty file
		return cf, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("config %s:%d: expected a mapping of settings (name: value), found %s", path, root.Line, kindName(root))
	}
	top, err := items(path, root)
	if err != nil {
		return nil, err
	}
	for _, it := range top {
		// A command's name with a mapping under it is that command's
		// section (archive is also a flag: "archive: s3://..." is the flag).
		if commands[it.key] && it.value.Kind == yaml.MappingNode {
			sec, err := items(path, it.value)
			if err != nil {
				return nil, err
			}
			cf.sections[it.key] = append(cf.sections[it.key], sec...)
			continue
		}
		cf.top = append(cf.top, it)
	}
	return cf, nil
}

func items(path string, m *yaml.Node) ([]configItem, error) {
	var out []configItem
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("config %s:%d: a setting's name must be a plain word, found %s", path, k.Line, kindName(k))
		}
		if prev, ok := seen[k.Value]; ok {
			return nil, fmt.Errorf("config %s:%d: %q is set twice (first on line %d)", path, k.Line, k.Value, prev)
		}
		seen[k.Value] = k.Line
		out = append(out, configItem{key: k.Value, line: k.Line, value: v})
	}
	return out, nil
}

// apply sets every flag of fs that the command line did not set, from the
// environment, the section of command cmd, or the top level, in that
// order. known tells whether some other command has a flag of that name.
func (cf *configFile) apply(fs *pflag.FlagSet, cmd string, known map[string]bool, lookupEnv func(string) (string, bool)) error {
	set := map[string]bool{}
	fs.Visit(func(f *pflag.Flag) { set[f.Name] = true })
	var own []string
	fs.VisitAll(func(f *pflag.Flag) { own = append(own, f.Name) })
	fromFile := map[string]configItem{}
	if cf != nil {
		for _, it := range cf.top {
			switch {
			case it.key == "config":
				return fmt.Errorf("config %s:%d: config cannot name another config file", cf.path, it.line)
			case fs.Lookup(it.key) != nil:
				fromFile[it.key] = it
			case known[it.key]:
				// Another command's setting.
			default:
				return fmt.Errorf("config %s:%d: unknown setting %q%s", cf.path, it.line, it.key, suggest(it.key, keys(known)))
			}
		}
		for _, it := range cf.sections[cmd] {
			if fs.Lookup(it.key) == nil || it.key == "config" {
				return fmt.Errorf("config %s:%d: %s has no setting %q%s", cf.path, it.line, cmd, it.key, suggest(it.key, own))
			}
			fromFile[it.key] = it // the section beats the top level
		}
	}
	var err error
	fs.VisitAll(func(f *pflag.Flag) {
		if err != nil || set[f.Name] || f.Name == "config" || f.Name == "help" {
			return
		}
		if v, ok := lookupEnv(envName(f.Name)); ok {
			if e := setFlag(f, v); e != nil {
				err = fmt.Errorf("environment %s: %w", envName(f.Name), e)
			}
			f.Changed = true
			return
		}
		if it, ok := fromFile[f.Name]; ok {
			if e := setFromYAML(f, it.value); e != nil {
				err = fmt.Errorf("config %s:%d: %s: %w", cf.path, it.line, f.Name, e)
			}
			f.Changed = true
		}
	})
	return err
}

// setFlag sets a flag from text (an environment variable, a YAML scalar).
// Booleans read as YAML 1.1 does: yes/no, on/off, y/n, true/false.
func setFlag(f *pflag.Flag, v string) error {
	if f.Value.Type() == "bool" {
		b, ok := yamlBool(v)
		if !ok {
			return fmt.Errorf("%q is not a yes/no value (true, false, yes, no, on, off)", v)
		}
		v = fmt.Sprint(b)
	}
	return f.Value.Set(v)
}

func yamlBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "y", "on", "1":
		return true, true
	case "false", "no", "n", "off", "0":
		return false, true
	}
	return false, false
}

func setFromYAML(f *pflag.Flag, n *yaml.Node) error {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return errors.New("no value given")
		}
		return setFlag(f, n.Value)
	case yaml.SequenceNode:
		sv, ok := f.Value.(pflag.SliceValue)
		if !ok {
			return errors.New("takes one value, not a list")
		}
		var vals []string
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: a list item must be a plain value, found %s", c.Line, kindName(c))
			}
			vals = append(vals, c.Value)
		}
		return sv.Replace(vals)
	case yaml.MappingNode:
		sep, ok := f.Annotations[mapSeparator]
		if !ok || len(sep) == 0 {
			return errors.New("takes one value, not a map")
		}
		var pairs []string
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode || v.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: expected name: value", k.Line)
			}
			pairs = append(pairs, k.Value+"="+v.Value)
		}
		return f.Value.Set(strings.Join(pairs, sep[0]))
	}
	return fmt.Errorf("unexpected %s", kindName(n))
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// suggest returns ` (did you mean "x"?)` for the closest of names, when one
// is close enough to be a typo.
func suggest(key string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := editdist.Levenshtein(strings.ToLower(key), strings.ToLower(n)); d < bestD {
			best, bestD = n, d
		}
	}
	for _, n := range names {
		if best == "" && len(key) >= 3 && strings.HasPrefix(n, key) {
			best = n
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func envName(flagName string) string {
	return "CLEARPACK_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}
