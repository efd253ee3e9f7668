package ingest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/biter777/countries"
	"github.com/shopspring/decimal"
)

// clearanceLines checks the tariff lines of a clearance record that passed
// its schema: each line's tariff line starts with the HS subheading of the
// units it covers, those units are on the shipment and in one line each,
// duty is customs value × duty rate to the currency's minor unit, and the
// line duties add up to the entry's duties.
func (l *loader) clearanceLines(m map[string]any, sid string, pl place) []Problem {
	list, _ := m["lines"].([]any)
	if len(list) == 0 {
		return nil
	}
	cur, _ := m["currency"].(string)
	minor := minorUnit(cur)
	onShip := map[string]bool{}
	if i, ok := l.shipIndex[sid]; ok {
		for _, t := range l.b.Plan.Outline(i).Assets {
			onShip[t] = true
		}
	}
	var probs []Problem
	prob := func(path []string, msg, found, expected string) {
		probs = append(probs, Problem{File: pl.file, Line: pl.line(path), Field: pl.field(path), Msg: msg, Found: found, Expected: expected})
	}
	inLine := map[string]int{}
	sum := decimal.Zero
	for i, x := range list {
		lm, ok := x.(map[string]any)
		if !ok {
			continue
		}
		at := []string{"lines", strconv.Itoa(i)}
		path := func(f string, more ...string) []string {
			return append(append(append([]string(nil), at...), f), more...)
		}
		tl, _ := lm["tariff_line"].(string)
		digits := strings.NewReplacer(".", "", " ", "").Replace(tl)
		tags, _ := lm["assets"].([]any)
		for j, y := range tags {
			tag, _ := y.(string)
			p := path("assets", strconv.Itoa(j))
			if !onShip[tag] {
				prob(p, "asset not on this shipment", quoteCut(tag), "a tag of shipment "+sid+"'s assets")
				continue
			}
			if first, dup := inLine[tag]; dup {
				prob(p, "asset in two tariff lines", fmt.Sprintf("%s in lines[%d] and lines[%d]", quoteCut(tag), first, i), "each unit in one tariff line")
				continue
			}
			inLine[tag] = i
			a, good := l.lookAsset(tag)
			if !good {
				continue // its inventory row already failed the shipment
			}
			hs := normHS(a.HSCode)
			if len(hs) >= 6 && !strings.HasPrefix(digits, hs[:6]) {
				prob(path("tariff_line"), "tariff line not under the units' HS subheading",
					fmt.Sprintf("%s (asset %s has HS code %s)", quoteCut(tl), tag, a.HSCode),
					fmt.Sprintf("a tariff line starting %s.%s", hs[:4], hs[4:6]))
			}
		}
		cv, err1 := decimal.NewFromString(str(lm["customs_value"]))
		duty, err2 := decimal.NewFromString(str(lm["duty"]))
		if err2 == nil {
			sum = sum.Add(duty)
		}
		rs, hasRate := lm["duty_rate"].(string)
		rate, err3 := decimal.NewFromString(rs)
		if !hasRate || err1 != nil || err2 != nil || err3 != nil {
			continue
		}
		want := cv.Mul(rate).Div(decimal.NewFromInt(100))
		if duty.Sub(want).Abs().GreaterThanOrEqual(minor) {
			prob(path("duty"), "duty does not match customs value × duty rate", str(lm["duty"])+" "+cur,
				fmt.Sprintf("%s %s (customs_value %s × duty_rate %s%%, to the currency's minor unit %s)",
					want.Round(int32(-minor.Exponent())).StringFixed(-minor.Exponent()), cur, cv, rate, minor))
		}
	}
	if ds, ok := m["duties"].(string); ok {
		if duties, err := decimal.NewFromString(ds); err == nil && !duties.Equal(sum) {
			prob([]string{"duties"}, "entry duties differ from the sum of the line duties", ds+" "+cur,
				fmt.Sprintf("%s %s (the sum of the duty of %d lines)", sum.StringFixed(-minor.Exponent()), cur, len(list)))
		}
	}
	return probs
}

// minorUnit is the smallest amount of a currency (0.01 for USD, 1 for JPY);
// 0.01 when the currency has no ISO 4217 minor digits.
func minorUnit(currency string) decimal.Decimal {
	d := 2
	if c := countries.CurrencyCodeByName(currency); c.IsValid() && c.Digits() >= 0 {
		d = c.Digits()
	}
	return decimal.New(1, int32(-d))
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
