package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/clearpack/clearpack/pipeline/model"
)

// extras is what the destination's profile adds to the documents.
func (sh *shipment) extras() model.DocExtras {
	var e model.DocExtras
	sh.exportExtras(&e)
	e.TaxIDNames = sh.taxIDNames()
	if !sh.hasDest {
		return e
	}
	for _, p := range sh.s.Permits {
		if name := sh.permitName(p.Type); name != p.Type {
			if e.PermitNames == nil {
				e.PermitNames = map[string]string{}
			}
			e.PermitNames[p.Type] = name
		}
	}
	e.InvoiceExtras = slices.Clone(sh.dest.InvoiceExtras.Fields)
	e.SwornNotWaste = sh.dest.NotWasteDeclaration.Required && len(sh.secondHand()) > 0
	if v := sh.dest.ValuationDeclaration; v != nil {
		e.ValuationDeclaration = v.Name
	}
	e.Chapter99 = sh.chapter99Names()
	if fb, bf := sh.freightToBorder(); bf != nil {
		e.FreightToBorder = fb
		e.FreightToBorderShare, _ = decimal.NewFromString(bf.Share) // validated at Load
		e.FreightToBorderCrossing = bf.Crossing
	}
	return e
}

// checkEntryNumber: the clearance's entry number has the destination's
// format (Mexico's pedimento: year, customs office, broker licence, last
// digit of the year, sequence), and its year digits agree with the entry
// date.
func checkEntryNumber(sh *shipment) []model.CheckResult {
	c := sh.clearance
	if c == nil || !sh.hasDest || sh.dest.EntryNumber.Pattern == "" {
		return nil
	}
	rule := sh.dest.EntryNumber
	where := fmt.Sprintf("%s: clearance %s: entry_number", src(c.Src), c.ShipmentID)
	re, err := regexp.Compile(`^(?:` + rule.Pattern + `)$`)
	if err != nil { // the profile was validated at Load; an invalid one cannot get here
		return []model.CheckResult{{Rule: "entry-number", Status: model.Fail, Source: rule.Cite(), Detail: fmt.Sprintf("%s: the profile's pattern does not compile: %v", where, err)}}
	}
	num := c.EntryNumber
	for _, r := range rule.Ignore {
		num = strings.ReplaceAll(num, string(r), "")
	}
	var f faults
	m := re.FindStringSubmatch(num)
	if m == nil {
		f.add(rule.Basis, "%s: %q does not match the %s format: %s", where, c.EntryNumber, sh.s.Destination, rule.Description)
	} else if d, err := model.Date(c.EntryDate); err == nil && !d.IsZero() {
		year := d.Year()
		for i, g := range re.SubexpNames() {
			want := ""
			switch g {
			case "yy":
				want = fmt.Sprintf("%02d", year%100)
			case "y":
				want = fmt.Sprint(year % 10)
			default:
				continue
			}
			if m[i] != want {
				f.add(rule.Basis, "%s: %q: year digits %q do not agree with the entry_date %s (expected %q): %s", where, c.EntryNumber, m[i], c.EntryDate, want, rule.Description)
			}
		}
	}
	return []model.CheckResult{f.result("entry-number", rule.Cite(), fmt.Sprintf("entry number %s has the %s format (%s)", c.EntryNumber, sh.s.Destination, rule.Description))}
}

// checkClearanceLines: the clearance's tariff lines have the destination's
// national tariff-line length. (Ingest already checked each line against its
// units' HS subheading, value × rate and the entry's duties.)
func checkClearanceLines(sh *shipment) []model.CheckResult {
	c := sh.clearance
	if c == nil || len(c.Lines) == 0 || !sh.hasDest {
		return nil
	}
	tl := sh.dest.TariffLine
	var f faults
	duty := decimal.Zero
	for i, ln := range c.Lines {
		duty = duty.Add(ln.Duty)
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, ln.TariffLine)
		if !slices.Contains(tl.Lengths, len(digits)) {
			f.add(tl.Basis, "%s: clearance %s: lines[%d].tariff_line: %q has %d digits; %s (%s) expects %s",
				src(ln.Src), c.ShipmentID, i, ln.TariffLine, len(digits), sh.s.Destination, tl.Nomenclature, joinInts(tl.Lengths))
		}
	}
	return []model.CheckResult{f.result("clearance-lines", tl.Cite(),
		fmt.Sprintf("%d tariff lines, duty %s %s", len(c.Lines), duty.String(), c.Currency))}
}

// checkInvoiceExtras: what the destination wants printed on the invoice is
// there and consistent: the countries of acquisition and provenance (the
// provenance is the country the goods leave for the destination, so the
// origin; the acquisition normally the seller's country), and marks on
// every package with their count and type.
func checkInvoiceExtras(sh *shipment) []model.CheckResult {
	if !sh.hasDest || len(sh.dest.InvoiceExtras.Fields) == 0 {
		return nil
	}
	rule := sh.dest.InvoiceExtras
	s := sh.s
	var f faults
	var done []string
	for _, field := range rule.Fields {
		switch field {
		case model.ExtraAcquisitionCountry:
			seller := s.Parties.Exporter.Country
			if s.AcquisitionCountry != "" && seller != "" && s.AcquisitionCountry != seller && isSaleReason(s.Reason) {
				f.warnf("%s: %s, but the seller (exporter) is in %s: check the country where the goods were bought", shipAt(s, "acquisition_country"), s.AcquisitionCountry, seller)
			}
			done = append(done, "acquisition "+s.Acquisition())
		case model.ExtraProvenanceCountry:
			if s.Provenance() != s.Origin {
				f.warnf("%s: %s, but the shipment leaves from %s (origin): the country of provenance is the one the goods are shipped from", shipAt(s, "provenance_country"), s.Provenance(), s.Origin)
			}
			done = append(done, "provenance "+s.Provenance())
		case model.ExtraPackageMarks:
			if len(s.Packages) == 0 {
				f.add(rule.Basis, "%s: no packages: %s wants the packages' marks, count and type on the invoice", shipAt(s, "packages"), s.Destination)
				continue
			}
			for i, p := range s.Packages {
				if blank(p.Marks) {
					f.add(rule.Basis, "%s: package %s has no marks; %s wants them on the invoice", shipAt(s, fmt.Sprintf("packages[%d].marks", i)), p.ID, s.Destination)
				}
			}
			done = append(done, fmt.Sprintf("%d packages with marks", len(s.Packages)))
		}
	}
	// The invoice prints the units' countries of origin (the country of
	// export is the provenance).
	var origins []string
	for _, a := range sh.assets {
		if a.CountryOfOrigin != "" && !slices.Contains(origins, a.CountryOfOrigin) {
			origins = append(origins, a.CountryOfOrigin)
		}
	}
	return []model.CheckResult{f.result("invoice-extras", rule.Cite(),
		fmt.Sprintf("invoice prints countries of origin of the goods %s, %s", strings.Join(origins, ", "), strings.Join(done, ", ")))}
}

func isSaleReason(r string) bool { return strings.EqualFold(strings.TrimSpace(r), "sale") }
