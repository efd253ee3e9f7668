package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// errLineTooLong stops a CSV read when a line grows past the limit: a file
// without newlines must not be read into memory whole.
var errLineTooLong = errors.New("line too long")

// lineGuard passes bytes through and fails once more than max bytes came
// without a newline.
type lineGuard struct {
	r    io.Reader
	max  int
	run  int
	line int // completed lines, for the message
}

func (g *lineGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	for _, b := range p[:n] {
		if b == '\n' {
			g.run = 0
			g.line++
			continue
		}
		g.run++
		if g.run > g.max {
			return 0, errLineTooLong
		}
	}
	return n, err
}

// normHeader folds a CSV header for matching: case-insensitive, only letters
// and digits count ("Asset Tag" = "asset_tag" = "AssetTag", "Net Weight
// (kg)" = "net_weight_kg").
func normHeader(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// inventoryColumn maps a folded header to the asset's json field name, or ""
// for a column that goes to Asset.Extra. It knows clearpack's own names and
// the headers of Snipe-IT's asset export and import files.
func inventoryColumn(norm string) string {
	switch norm {
	case "assettag", "asset", "assettagnumber":
		return "asset_tag"
	case "serial", "serialnumber", "serialno":
		return "serial"
	case "manufacturer", "make":
		return "manufacturer"
	case "model", "modelname":
		return "model"
	case "modelnumber", "modelno", "partnumber", "partno":
		return "part_number"
	case "category":
		return "category"
	case "purchasecost", "originalcost":
		return "original_cost"
	case "conditiongrade", "grade":
		return "grade"
	case "yearofmanufacture", "year":
		return "year_of_manufacture"
	case "hscode", "hts", "htscode", "tariffcode":
		return "hs_code"
	case "countryoforigin", "origin", "coo":
		return "country_of_origin"
	}
	for _, f := range assetFields() {
		if norm == strings.ReplaceAll(f, "_", "") {
			return f
		}
	}
	return ""
}

func assetFields() []string {
	return []string{"asset_tag", "serial", "manufacturer", "model", "part_number", "category", "description", "condition",
		"grade", "grading_standard", "test_result", "tested_by", "tested_on", "refurbisher", "year_of_manufacture",
		"rack_units", "cpu_model", "cpu_sockets", "cpu_cores", "memory", "storage", "network", "power_supplies",
		"management_controller", "tpm", "drive_encryption", "hs_code", "eccn", "eccn_source", "license_exception",
		"country_of_origin", "unit_value", "currency", "valuation_method", "original_cost", "depreciation_basis",
		"net_weight_kg", "gross_weight_kg", "sanitisation_method", "sanitisation_date", "sanitisation_operator",
		"sanitisation_verification"}
}

func clearanceColumn(norm string) string {
	for _, f := range []string{"shipment_id", "entry_number", "entry_date", "release_date", "port", "regime",
		"importer_tax_id", "currency", "duties", "vat", "fees", "broker", "pod_reference", "held",
		"customs_value", "value_basis", "exchange_rate", "exchange_rate_date"} {
		if norm == strings.ReplaceAll(f, "_", "") {
			return f
		}
	}
	return ""
}

// csvRow is one data row made into an object typed per the schema, with the
// line of each field and the header it came from.
type csvRow struct {
	line   int
	obj    map[string]any
	lines  map[string]int    // field -> line
	header map[string]string // field -> header as written
}

// csvTable streams a CSV file row by row.
type csvTable struct {
	file    string
	r       *csv.Reader
	guard   *lineGuard
	headers []string
	fields  []string // json field per column, "" for extra
	lim     Limits
	rows    int
}

// openCSV reads the header: strips a UTF-8 BOM, detects a wrong delimiter,
// maps the headers and checks required columns. Errors here make the whole
// file unusable.
func openCSV(file string, r io.Reader, lim Limits, column func(string) string, required []string) (*csvTable, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	g := &lineGuard{r: br, max: lim.MaxFieldBytes * 64}
	cr := csv.NewReader(g)
	cr.ReuseRecord = true
	hdr, err := cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		return nil, fmt.Errorf("%s:1: file is empty: found no header row, expected a header row of column names", file)
	case errors.Is(err, errLineTooLong):
		return nil, fmt.Errorf("%s:1: header: line too long: found more than %d bytes without a line break, expected a CSV header row", file, g.max)
	case err != nil:
		return nil, fmt.Errorf("%s:1: header: not readable as CSV: found %v, expected a comma-separated header row", file, err)
	}
	t := &csvTable{file: file, r: cr, guard: g, lim: lim, headers: append([]string(nil), hdr...)}
	for i, h := range t.headers {
		if !utf8.ValidString(h) {
			return nil, fmt.Errorf("%s:1: header column %d: invalid UTF-8: found %s, expected UTF-8 text", file, i+1, quoteCut(h))
		}
	}
	if len(hdr) == 1 {
		for _, d := range []struct{ c, name string }{{";", "semicolon"}, {"\t", "tab"}, {"|", "pipe"}} {
			if strings.Contains(hdr[0], d.c) {
				return nil, fmt.Errorf("%s:1: header: wrong delimiter: found %s (%q), expected comma-separated columns", file, d.name, d.c)
			}
		}
	}
	seen := map[string]int{}
	for i, h := range t.headers {
		f := column(normHeader(h))
		t.fields = append(t.fields, f)
		key := f
		if f == "" {
			key = "extra:" + normHeader(h)
		}
		if j, dup := seen[key]; dup {
			return nil, fmt.Errorf("%s:1: %s: duplicate column: found %q and %q (columns %d and %d), expected each column once", file, h, t.headers[j], h, j+1, i+1)
		}
		seen[key] = i
	}
	var missing []string
	for _, r := range required {
		if _, ok := seen[r]; !ok {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s:1: %s: missing required column: found columns %s, expected also %s", file, missing[0], quoteList(t.headers), strings.Join(missing, ", "))
	}
	return t, nil
}

func quoteList(s []string) string {
	q := make([]string, 0, len(s))
	for i, x := range s {
		if i == 12 {
			q = append(q, "...")
			break
		}
		q = append(q, quoteCut(x))
	}
	return strings.Join(q, ", ")
}

// next returns the next row, a row-level problem (the row is dropped), or a
// fatal error. io.EOF ends the file.
func (t *csvTable) next() (*csvRow, []Problem, error) {
	rec, err := t.r.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, io.EOF
	}
	if errors.Is(err, errLineTooLong) {
		return nil, nil, fmt.Errorf("%s:%d: line too long: found more than %d bytes without a line break, expected CSV rows", t.file, t.guard.line+1, t.guard.max)
	}
	t.rows++
	if t.rows > t.lim.MaxRows {
		return nil, nil, fmt.Errorf("%s: too many rows: found more than %d, expected at most %d (the configured row limit)", t.file, t.lim.MaxRows, t.lim.MaxRows)
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
			line, _ := t.r.FieldPos(0)
			p := Problem{File: t.file, Line: line, Field: "row", Msg: "wrong number of fields",
				Found: fmt.Sprintf("%d fields", len(rec)), Expected: fmt.Sprintf("%d fields, as in the header", len(t.headers))}
			if tag := t.tagOf(rec); tag != "" {
				p.AssetTag = tag
			}
			return nil, []Problem{p}, nil
		}
		if errors.As(err, &pe) {
			return nil, []Problem{{File: t.file, Line: pe.Line, Field: fmt.Sprintf("column %d", pe.Column), Msg: "not readable as CSV",
				Found: pe.Err.Error(), Expected: "comma-separated fields, quotes doubled inside quoted fields"}}, nil
		}
		return nil, nil, fmt.Errorf("reading %s: %w", t.file, err)
	}
	row := &csvRow{obj: make(map[string]any, len(rec)), lines: make(map[string]int, len(rec)), header: make(map[string]string, len(rec))}
	row.line, _ = t.r.FieldPos(0)
	var probs []Problem
	var extra map[string]any
	for i, v := range rec {
		line, col := t.r.FieldPos(i)
		name := t.fields[i]
		if !utf8.ValidString(v) {
			bad := 0
			for bad < len(v) {
				r, size := utf8.DecodeRuneInString(v[bad:])
				if r == utf8.RuneError && size <= 1 {
					break
				}
				bad += size
			}
			probs = append(probs, Problem{File: t.file, Line: line, Field: t.headers[i], Msg: fmt.Sprintf("invalid UTF-8 at column %d", col+bad),
				Found: quoteCut(v), Expected: "UTF-8 text"})
			continue
		}
		if len(v) > t.lim.MaxFieldBytes {
			probs = append(probs, Problem{File: t.file, Line: line, Field: t.headers[i], Msg: "field too long",
				Found: fmt.Sprintf("%d bytes", len(v)), Expected: fmt.Sprintf("at most %d bytes", t.lim.MaxFieldBytes)})
			continue
		}
		if v == "" {
			continue
		}
		if name == "" {
			if extra == nil {
				extra = map[string]any{}
			}
			extra[t.headers[i]] = v
			row.lines["extra/"+t.headers[i]] = line
			continue
		}
		row.obj[name] = typed(name, v)
		row.lines[name] = line
		row.header[name] = t.headers[i]
	}
	if extra != nil {
		row.obj["extra"] = extra
	}
	if len(probs) > 0 {
		tag, _ := row.obj["asset_tag"].(string)
		for i := range probs {
			probs[i].AssetTag = tag
		}
		return row, probs, nil
	}
	return row, nil, nil
}

// tagOf returns the asset tag of a raw record, when it has an asset_tag
// column at that position.
func (t *csvTable) tagOf(rec []string) string {
	for i, f := range t.fields {
		if f == "asset_tag" && i < len(rec) {
			return rec[i]
		}
	}
	return ""
}

// typed makes a CSV cell the JSON type the schema wants: integers and
// booleans are converted when they read as such, everything else stays text
// (so "abc" in an integer column fails as "wrong type").
func typed(field, v string) any {
	switch {
	case isInt(field):
		if intLiteral.MatchString(v) {
			return json.Number(v)
		}
	case isBool(field):
		switch strings.ToLower(v) {
		case "true", "yes", "1":
			return true
		case "false", "no", "0":
			return false
		}
	}
	return v
}
