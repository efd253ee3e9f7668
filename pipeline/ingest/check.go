package ingest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/biter777/countries"
	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/shopspring/decimal"
)

// checker holds what the value checks look up: the ISO 3166-1 alpha-2 and
// ISO 4217 code sets, built once per Load from biter777/countries.
type checker struct {
	countries  map[string]bool
	currencies map[string]bool
	minor      map[string]int32 // currency -> its minor unit (model.MinorUnits)
}

func newChecker() *checker {
	c := &checker{countries: map[string]bool{}, currencies: map[string]bool{}, minor: map[string]int32{}}
	for _, cc := range countries.All() {
		if a := cc.Alpha2(); len(a) == 2 && a == strings.ToUpper(a) {
			c.countries[a] = true
		}
	}
	for _, cu := range countries.AllCurrencies() {
		if a := cu.Alpha(); len(a) == 3 && a == strings.ToUpper(a) {
			c.currencies[a] = true
			c.minor[a] = model.MinorUnits(a)
		}
	}
	return c
}

// decimalLimit is the largest value a decimal field may hold, with the words
// that say so. Anything above is refused as absurd.
// Money limits are in US dollars; an amount in another currency is bounded
// by the limit times model.MaxUnitsPerUSD, and rules checks unit values at
// the plan's exchange rate.
func decimalLimit(path []string, cur string) (decimal.Decimal, string) {
	lim, words := decimalLimitUSD(path)
	if cur == "" || cur == "USD" || !isMoney(path[len(path)-1]) {
		return lim, words
	}
	scaled := lim.Mul(decimal.NewFromInt(model.MaxUnitsPerUSD))
	per := strings.TrimPrefix(words, "at most "+lim.String()) // " per unit"
	return scaled, fmt.Sprintf("at most %s %s%s (%s US dollars at up to %d %s per dollar)", scaled, cur, per, lim, model.MaxUnitsPerUSD, cur)
}

func decimalLimitUSD(path []string) (decimal.Decimal, string) {
	field := path[len(path)-1]
	inPackage := len(path) >= 3 && path[len(path)-3] == "packages"
	switch {
	case field == "unit_value" || field == "original_cost":
		return decimal.NewFromInt(model.MaxUnitValueUSD), "at most 10000000 per unit"
	case field == "gross_weight_kg" && inPackage:
		return decimal.NewFromInt(30_000), "at most 30000 kg per package"
	case field == "net_weight_kg" || field == "gross_weight_kg":
		return decimal.NewFromInt(2_000), "at most 2000 kg per unit"
	case field == "length_cm" || field == "width_cm" || field == "height_cm":
		return decimal.NewFromInt(2_000), "at most 2000 cm"
	case field == "duty_rate":
		return decimal.NewFromInt(1_000), "at most 1000 (percent)"
	case field == "freight" || field == "insurance" || field == "packing":
		return decimal.NewFromInt(100_000_000), "at most 100000000 per shipment"
	case field == "customs_value" && !(len(path) >= 3 && path[len(path)-3] == "lines"):
		// An entry's customs value in a currency of many units (a server
		// shipment is billions of VND or IDR).
		return decimal.NewFromInt(10_000_000_000_000), "at most 10000000000000 per entry"
	default: // duties, vat, fees, a line's customs_value, duty
		return decimal.NewFromInt(1_000_000_000), "at most 1000000000 per shipment"
	}
}

// checkValues walks a record that passed (or partly passed) its schema and
// checks what a schema cannot: country and currency codes against ISO lists,
// decimal bounds with exact arithmetic, amounts against their currency's
// minor units, dates within the accepted window, free text without control
// characters. Paths in skip (JSON pointers) already have a schema fault.
func (c *checker) checkValues(v any, path []string, skip map[string]bool) []fault {
	return c.walk(v, path, skip, "")
}

// walk is checkValues with the currency in force: a record's currency
// applies to its amounts and to those of its lines.
func (c *checker) walk(v any, path []string, skip map[string]bool, cur string) []fault {
	if len(skip) > 0 && skip[pointer(path)] {
		return nil
	}
	var out []fault
	switch x := v.(type) {
	case map[string]any:
		if s, ok := x["currency"].(string); ok {
			cur = ""
			if c.currencies[s] && (len(skip) == 0 || !skip[pointer(append(path[:len(path):len(path)], "currency"))]) {
				cur = s
			}
		}
		for k, e := range x { // order does not matter: problems are sorted by line and field
			out = append(out, c.walk(e, append(path[:len(path):len(path)], k), skip, cur)...)
		}
	case []any:
		for i, e := range x {
			out = append(out, c.walk(e, append(path[:len(path):len(path)], strconv.Itoa(i)), skip, cur)...)
		}
	case string:
		if f, bad := c.checkString(path, x, cur); bad {
			out = append(out, f)
		}
	}
	return out
}

// isMoney says whether a decimal field is an amount of money, in the
// currency of its record.
func isMoney(field string) bool {
	switch field {
	case "unit_value", "original_cost", "freight", "freight_to_border", "insurance", "packing", "duties", "vat", "fees", "customs_value", "duty", "royalties", "assists", "commissions":
		return true
	}
	return false
}

// isDate says whether a field holds a YYYY-MM-DD date.
func isDate(field string) bool {
	switch field {
	case "ship_date", "invoice_date", "valid_until", "tested_on", "sanitisation_date", "entry_date", "release_date":
		return true
	}
	return false
}

func (c *checker) checkString(path []string, s, cur string) (fault, bool) {
	field := ""
	if len(path) > 0 {
		field = path[len(path)-1]
	}
	if len(path) >= 2 && path[len(path)-2] == "extra" {
		field = "extra"
	}
	f := fault{path: path, field: field} // found is set only for a fault: quoting every value costs
	if !utf8.ValidString(s) {
		f.msg, f.expected = "invalid UTF-8", "UTF-8 text"
		return found(f, s), true
	}
	for i, r := range s {
		if r == '\n' && (field == "address" || field == "extra") {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			f.msg = fmt.Sprintf("control character %U at character %d", r, utf8.RuneCountInString(s[:i])+1)
			f.expected = "text without control characters"
			if field == "address" {
				f.expected += " (newlines allowed)"
			}
			return found(f, s), true
		}
	}
	switch {
	case field == "country_of_origin" || field == "origin" || field == "destination" || field == "country" ||
		field == "acquisition_country" || field == "provenance_country":
		if !c.countries[s] {
			f.msg, f.expected = "unknown country", "an ISO 3166-1 alpha-2 country code in capitals, such as DE"
			return found(f, s), true
		}
	case field == "currency":
		if !c.currencies[s] {
			f.msg, f.expected = "unknown currency", "an ISO 4217 currency code in capitals, such as EUR"
			return found(f, s), true
		}
	case isDecimal(field):
		d, err := decimal.NewFromString(s)
		if err != nil {
			f.msg, f.expected = "not a number", "a plain decimal number with a dot, such as 12500.00"
			return found(f, s), true
		}
		if d.IsNegative() {
			f.msg, f.expected = "negative value", "0 or more"
			return found(f, s), true
		}
		if lim, words := decimalLimit(path, cur); d.GreaterThan(lim) {
			f.msg, f.expected = "absurd value", words
			return found(f, s), true
		}
		// An amount finer than its currency's minor unit would be printed
		// rounded (0.004 USD as 0.00) and its products with it.
		// Exponent first: most amounts have no more digits than allowed,
		// and Round allocates.
		if n := c.minor[cur]; cur != "" && isMoney(field) && d.Exponent() < -n && !d.Equal(d.Round(n)) {
			f.msg = "more decimals than " + cur + " has"
			f.expected = fmt.Sprintf("at most %d decimals (the minor unit of %s)", n, cur)
			if n == 0 {
				f.expected = "a whole number (" + cur + " has no minor unit)"
			}
			return found(f, s), true
		}
	case isDate(field):
		// Malformed dates have a schema fault and are not checked here.
		if s < model.FirstDate || s > model.LastDate {
			f.msg, f.expected = "date out of range", "a date from "+model.FirstDate+" to "+model.LastDate
			return found(f, s), true
		}
	}
	return fault{}, false
}

func found(f fault, s string) fault {
	f.found = quoteCut(s)
	return f
}

// normHS strips the dots of an HS code: "8471.41.00" is "84714100".
func normHS(s string) string { return strings.ReplaceAll(s, ".", "") }

// Inert makes text safe to put in a cell of a CSV or spreadsheet that
// clearpack writes: text a spreadsheet would run as a formula (starting with
// = + - @, a tab or a carriage return) gets a leading apostrophe, so
// "=cmd|' /C calc'!A0" is shown, not run. Other text is returned unchanged.
//
// Ingest keeps such text exactly as written (it may be a real part number or
// a note); PDFs print it literally, since a PDF has no formulas. Inert is for
// every CSV or spreadsheet output.
func Inert(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	// Full-width forms some spreadsheets also treat as formula starts.
	if r, _ := utf8.DecodeRuneInString(s); r == '\uFF1D' || r == '\uFF0B' || r == '\uFF0D' || r == '\uFF20' {
		return "'" + s
	}
	return s
}

func parseDate(s string) (time.Time, error) { return model.Date(s) }
