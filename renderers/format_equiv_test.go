package renderers

import (
	"math/rand"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"golang.org/x/text/number"
)

// numReference is numFmt.num before integers below 1000 skipped x/text.
func (n numFmt) numReference(d decimal.Decimal, places int32) string {
	s := d.StringFixed(places)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if i, err := strconv.ParseInt(intPart, 10, 64); err == nil {
		b.WriteString(n.p.Sprint(number.Decimal(i)))
	} else {
		b.WriteString(groupBy(intPart, n.group))
	}
	if hasFrac {
		b.WriteString(n.dec)
		b.WriteString(frac)
	}
	return b.String()
}

// TestNumMatchesXText: every locale the documents are written in (and a
// few with other digits or grouping) formats numbers as x/text does, below
// and above 1000, negative, with and without places.
func TestNumMatchesXText(t *testing.T) {
	r := testRenderer(t)
	locales := []string{"", "en", "ar", "ar-EG", "fa", "hi", "bn", "th-TH-u-nu-thai", "es", "es-ES", "pl"}
	for _, lang := range r.Languages() {
		for _, dest := range []string{"", "VN", "BR", "MX", "CO", "CL", "TH", "ID", "US", "IN"} {
			locales = append(locales, localeOf(lang, dest))
		}
	}
	rng := rand.New(rand.NewSource(2))
	for _, loc := range locales {
		n := newNumFmt(loc)
		for trial := 0; trial < 400; trial++ {
			v := decimal.New(rng.Int63n(2_000_000)-1_000_000, -int32(rng.Intn(4)))
			if trial < 40 {
				v = decimal.NewFromInt(int64(trial*25 - 10))
			}
			places := int32(rng.Intn(4))
			if got, want := n.num(v, places), n.numReference(v, places); got != want {
				t.Fatalf("%s: num(%s, %d) = %q, x/text %q", loc, v, places, got, want)
			}
		}
	}
}
