package rules

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// hsEntry is one row of the HS nomenclature.
type hsEntry struct {
	Code        string
	Description string
	Level       int
}

// hsTable is the HS 2022 nomenclature by code (chapters, headings and
// subheadings), read once at Load.
type hsTable map[string]hsEntry

// parseHS reads the nomenclature CSV (section,hscode,description,parent,level).
func parseHS(name string, data []byte) (hsTable, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("reading %s header: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(h)] = i
	}
	for _, want := range []string{"hscode", "description", "level"} {
		if _, ok := col[want]; !ok {
			return nil, fmt.Errorf("reading %s:1: column %q missing", name, want)
		}
	}
	t := make(hsTable, 7000)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		code := rec[col["hscode"]]
		if strings.HasPrefix(code, "99") || strings.EqualFold(code, "TOTAL") {
			// UN Comtrade's "commodities not specified" (99, 9999, 999999)
			// and totals are not part of the HS.
			continue
		}
		lvl, err := strconv.Atoi(rec[col["level"]])
		if err != nil || len(code) != lvl {
			return nil, fmt.Errorf("reading %s:%d: field level %q does not match code %q", name, line, rec[col["level"]], code)
		}
		t[code] = hsEntry{Code: code, Description: rec[col["description"]], Level: lvl}
	}
	if len(t) == 0 {
		return nil, fmt.Errorf("reading %s: no HS codes", name)
	}
	return t, nil
}

// classEntry is one subheading a category may be declared under.
type classEntry struct {
	Subheading string `yaml:"subheading" json:"subheading"`
	Reason     string `yaml:"reason" json:"reason"`
}

// classification is templates/hs/classification.yaml.
type classification struct {
	Basis      `yaml:",inline"`
	Categories map[string][]classEntry `yaml:"categories" json:"categories"`
}

func parseClassification(name string, data []byte, hs hsTable) (classification, error) {
	var c classification
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("reading %s: %w", name, err)
	}
	for cat, list := range c.Categories {
		for _, e := range list {
			if ent, ok := hs[e.Subheading]; !ok || ent.Level != 6 {
				return c, fmt.Errorf("reading %s: category %s: subheading %q is not an HS 2022 subheading", name, cat, e.Subheading)
			}
		}
	}
	return c, nil
}

// fmtHS prints a code with the usual dots: "847150" → "8471.50",
// "84715090" → "8471.50.90".
func fmtHS(code string) string {
	if len(code) < 6 {
		return code
	}
	s := code[:4] + "." + code[4:6]
	for rest := code[6:]; rest != ""; {
		n := min(2, len(rest))
		s += "." + rest[:n]
		rest = rest[n:]
	}
	return s
}
