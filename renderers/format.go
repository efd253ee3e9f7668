package renderers

import (
	"strings"

	"github.com/biter777/countries"
	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/shopspring/decimal"
)

// minorDigits is the number of decimals of an ISO 4217 currency (see
// model.MinorUnits, which ingest checks amounts against).
func minorDigits(currency string) int32 { return model.MinorUnits(currency) }

// money formats an amount with the currency's minor digits and thousands
// separators: 1,234,567.89 (VND: 27,500,000). Never through float64.
func money(d decimal.Decimal, currency string) string {
	return group(d.StringFixed(minorDigits(currency)))
}

// moneyCur is money with the currency code after it.
func moneyCur(d decimal.Decimal, currency string) string {
	return money(d, currency) + " " + currency
}

// num formats a decimal with a fixed number of places and separators.
func num(d decimal.Decimal, places int32) string {
	return group(d.StringFixed(places))
}

// group inserts thousands separators into a plain decimal string.
func group(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// countryName is "Viet Nam (VN)" for an ISO 3166 alpha-2 code; the code alone
// when it is not one.
func countryName(code string) string {
	if code == "" {
		return ""
	}
	c := countries.ByName(code)
	if !c.IsValid() {
		return code
	}
	return c.String() + " (" + c.Alpha2() + ")"
}

// orDash prints an em dash for an empty value, so a blank cell is visibly
// "not given" rather than "cut off".
func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}
