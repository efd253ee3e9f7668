package renderers

import (
	"strconv"
	"strings"
	"sync"

	"github.com/biter777/countries"
	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/shopspring/decimal"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// minorDigits is the number of decimals of an ISO 4217 currency (see
// model.MinorUnits, which ingest checks amounts against).
func minorDigits(currency string) int32 { return model.MinorUnits(currency) }

// numFmt prints numbers as the document's locale writes them, with the
// locale data of golang.org/x/text (CLDR): pt-BR 852.120,00, es-MX
// 1,234.56, es-CO and es-CL 1.234,56, vi and id 1.234,56, th 1,234.56.
// Amounts are exact decimals: the integer part is grouped by x/text from an
// int64, the fraction is the decimal's own digits, never through float64.
type numFmt struct {
	p          *message.Printer
	group, dec string
	// plain: x/text writes every integer below 1000 of this locale as
	// strconv does (ASCII digits, nothing else), so those skip the printer.
	plain bool
}

// plainLocales caches, per locale, whether x/text writes 0 to 999 as
// strconv does (checked once per process for each locale, all thousand).
var plainLocales sync.Map

func plainSmallInts(lang string, p *message.Printer) bool {
	if v, ok := plainLocales.Load(lang); ok {
		return v.(bool)
	}
	plain := true
	for i := int64(0); i < 1000 && plain; i++ {
		plain = p.Sprint(number.Decimal(i)) == strconv.FormatInt(i, 10)
	}
	plainLocales.Store(lang, plain)
	return plain
}

// newNumFmt is the formatter of a BCP 47 tag ("pt-BR", "es-MX", "vi");
// English for an empty or unknown tag.
func newNumFmt(lang string) numFmt {
	tag, err := language.Parse(strings.TrimSpace(lang))
	if err != nil || lang == "" {
		tag = language.English
	}
	n := numFmt{p: message.NewPrinter(tag)}
	half := n.p.Sprint(number.Decimal(0.5)) // "0.5", "0,5"
	n.dec = strings.Trim(half, "05")        // the decimal separator
	big := n.p.Sprint(number.Decimal(1234)) // "1,234", "1.234"
	n.group = strings.Trim(big, "1234")     // the grouping separator
	if n.dec == "" {
		n.dec = "."
	}
	n.plain = plainSmallInts(tag.String(), n.p)
	return n
}

// numbers is the number formatter of a document language.
func (r *Renderer) numbers(lang string) numFmt { return newNumFmt(lang) }

// localeOf is the locale a document's numbers are written in: its language
// tag, with the destination's region when the tag names none ("es" to
// Mexico is es-MX, 1,234.56; "es" to Colombia es-CO, 1.234,56).
func localeOf(lang, destination string) string {
	tag, err := language.Parse(strings.TrimSpace(lang))
	if err != nil {
		return lang
	}
	if _, conf := tag.Region(); conf == language.Exact {
		return tag.String()
	}
	reg, err := language.ParseRegion(destination)
	if err != nil {
		return tag.String()
	}
	base, _ := tag.Base()
	t, err := language.Compose(base, reg)
	if err != nil {
		return tag.String()
	}
	return t.String()
}

// amount formats an amount with the currency's ISO 4217 minor digits
// (BRL 852.120,00; VND 27.500.000).
func (n numFmt) amount(d decimal.Decimal, currency string) string {
	return n.num(d, minorDigits(currency))
}

// money is amount with the currency code after it.
func (n numFmt) money(d decimal.Decimal, currency string) string {
	return n.amount(d, currency) + " " + currency
}

// num formats a decimal with a fixed number of places.
func (n numFmt) num(d decimal.Decimal, places int32) string {
	s := d.StringFixed(places)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if i, err := strconv.ParseInt(intPart, 10, 64); err == nil {
		if n.plain && i < 1000 {
			var buf [4]byte
			b.Write(strconv.AppendInt(buf[:0], i, 10))
		} else {
			b.WriteString(n.p.Sprint(number.Decimal(i)))
		}
	} else {
		b.WriteString(groupBy(intPart, n.group))
	}
	if hasFrac {
		b.WriteString(n.dec)
		b.WriteString(frac)
	}
	return b.String()
}

// groupBy groups digits by three: only for integers beyond int64.
func groupBy(intPart, sep string) string {
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
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
