package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/shopspring/decimal"

	"github.com/clearpack/clearpack/pipeline/model"
)

const (
	srcHS        = "HS 2022 nomenclature (WCO), templates/hs/harmonized-system.csv"
	srcECCN      = "EAR 15 CFR 774 Supp. 1 (Commerce Control List), Cat. 4 Note 3 and Cat. 5 Part 2"
	srcValuation = "WTO Customs Valuation Agreement (GATT 1994 Art. VII), Arts. 1 to 7"
	srcCondition = "Condition declaration: NIST SP 800-88 Rev. 1 media sanitisation; declared grading standard"
	srcClearance = "clearance record"
)

// checkProfile: both countries have a profile; an unsourced destination
// profile warns.
func checkProfile(sh *shipment) []model.CheckResult {
	var f faults
	var files []string
	sh.genericWarnings(&f)
	if sh.hasOrigin {
		files = append(files, sh.origin.Files...)
	}
	if sh.originGeneric || sh.destGeneric {
		files = append(files, genericFile)
	}
	if sh.hasDest {
		files = append(files, sh.dest.Files...)
		if sh.dest.UsedEquipment.Confidence == Unsourced {
			f.warnf("profile %s: used_equipment is unsourced; have the destination's rules confirmed before relying on the result", sh.s.Destination)
		}
	}
	for _, tag := range sh.missing {
		f.failf("%s: asset %q is not in the inventory", shipAt(sh.s, "assets"), tag)
	}
	return []model.CheckResult{f.result("profile", strings.Join(files, ", "),
		fmt.Sprintf("profiles %s (origin) and %s (destination) in force", profileOf(sh.s.Origin, sh.origin, sh.hasOrigin), profileOf(sh.s.Destination, sh.dest, sh.hasDest)))}
}

// checkParties: the importer of record and the consignee are present and
// complete for the destination; exporter and EOR are named; a broker where
// the destination requires one.
func checkParties(sh *shipment) []model.CheckResult {
	if !sh.hasDest {
		return nil
	}
	var f faults
	p := sh.s.Parties
	rule := sh.dest.Parties
	need := func(party model.Party, role string, country string, taxID bool) {
		field := "parties." + role
		if blank(party.Name) && blank(party.Address) {
			f.add(rule.Basis, "%s: missing", shipAt(sh.s, field))
			return
		}
		for _, x := range []struct{ name, val string }{{"name", party.Name}, {"address", party.Address}, {"country", party.Country}} {
			if blank(x.val) {
				f.add(rule.Basis, "%s.%s: missing", shipAt(sh.s, field), x.name)
			}
		}
		if country != "" && party.Country != "" && !sh.book.sameTerritory(party.Country, country) {
			f.add(rule.Basis, "%s.country: %q, expected %s (the %s is in the %s country)", shipAt(sh.s, field), party.Country, country, role, map[bool]string{true: "importing", false: "exporting"}[country == sh.s.Destination])
		}
		if taxID && blank(party.TaxID) {
			f.add(rule.Basis, "%s.tax_id: missing; %s requires the importer's %s", shipAt(sh.s, field), sh.s.Destination, rule.TaxIDName)
		}
	}
	need(p.ImporterOfRecord, "importer_of_record", sh.s.Destination, rule.ImporterTaxID)
	need(p.Consignee, "consignee", sh.s.Destination, false)
	need(p.Exporter, "exporter", sh.s.Origin, false)
	if blank(p.ExporterOfRecord.Name) {
		f.failf("%s: missing", shipAt(sh.s, "parties.exporter_of_record.name"))
	} else if p.ExporterOfRecord.Country != "" && !sh.book.sameTerritory(p.ExporterOfRecord.Country, sh.s.Origin) {
		f.warnf("%s: %q, expected %s: the exporter of record answers for export compliance at origin", shipAt(sh.s, "parties.exporter_of_record.country"), p.ExporterOfRecord.Country, sh.s.Origin)
	}
	if rule.BrokerRequired && (p.Broker == nil || blank(p.Broker.Name)) {
		f.add(rule.Basis, "%s: missing; %s requires a licensed customs broker", shipAt(sh.s, "parties.broker"), sh.s.Destination)
	}
	return []model.CheckResult{f.result("parties", rule.Cite(),
		fmt.Sprintf("importer of record %s and consignee %s complete for %s", p.ImporterOfRecord.Name, p.Consignee.Name, sh.s.Destination))}
}

// checkReturnRoles: a return is checked with the roles swapped: the old
// destination exports, the refurbishment site imports under its own profile.
func checkReturnRoles(sh *shipment) []model.CheckResult {
	if sh.s.Direction != model.Return {
		return nil
	}
	var f faults
	source := "reverse logistics: roles swapped"
	if sh.hasDest {
		source = fmt.Sprintf("reverse logistics: %s profile (refurbishment site)", strings.Join(sh.dest.Files, ", "))
		if !sh.dest.RefurbishmentSite {
			f.failf("%s: %s is not a refurbishment site (its profile has no refurbishment_site: true); returns go to a refurbishment site", shipAt(sh.s, "destination"), sh.s.Destination)
		}
	}
	p := sh.s.Parties
	if p.Exporter.Country != "" && !sh.book.sameTerritory(p.Exporter.Country, sh.s.Origin) {
		f.failf("%s: %q, expected %s: on a return the old destination is the exporting country", shipAt(sh.s, "parties.exporter.country"), p.Exporter.Country, sh.s.Origin)
	}
	if p.ImporterOfRecord.Country != "" && !sh.book.sameTerritory(p.ImporterOfRecord.Country, sh.s.Destination) {
		f.failf("%s: %q, expected %s: on a return the refurbishment site is the importer", shipAt(sh.s, "parties.importer_of_record.country"), p.ImporterOfRecord.Country, sh.s.Destination)
	}
	if sh.s.Reason != "return for refurbishment" {
		f.warnf("%s: %q, expected \"return for refurbishment\" for a return", shipAt(sh.s, "reason"), sh.s.Reason)
	}
	for _, a := range sh.assets {
		if a.Condition == model.New {
			f.warnf("%s: new unit on a return for refurbishment", at(a, "condition"))
		}
	}
	return []model.CheckResult{f.result("return-roles", source,
		fmt.Sprintf("return %s → %s: %s exports, %s imports under its own profile", sh.s.Origin, sh.s.Destination, sh.s.Origin, sh.s.Destination))}
}

func digitsOnly(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// checkHSCode: every code is a valid HS 2022 6-digit subheading plus a
// national extension.
func checkHSCode(sh *shipment) []model.CheckResult {
	var f faults
	for _, a := range sh.assets {
		switch {
		case !digitsOnly(a.HSCode) || len(a.HSCode) < 6 || len(a.HSCode) > 12:
			f.failf("%s: %q: expected 6 to 12 digits", at(a, "hs_code"), a.HSCode)
		default:
			if e, ok := sh.book.hs[a.HSCode[:6]]; !ok || e.Level != 6 {
				f.failf("%s: %q: %s is not an HS 2022 subheading", at(a, "hs_code"), a.HSCode, fmtHS(a.HSCode[:6]))
			}
		}
	}
	return []model.CheckResult{f.result("hs-code", srcHS,
		fmt.Sprintf("%s under valid HS 2022 subheadings", units(len(sh.assets))))}
}

// checkHSLength: the national extension has the destination's tariff-line
// length.
func checkHSLength(sh *shipment) []model.CheckResult {
	if !sh.hasDest {
		return nil
	}
	tl := sh.dest.TariffLine
	var f faults
	for _, a := range sh.assets {
		if !slices.Contains(tl.Lengths, len(a.HSCode)) {
			f.add(tl.Basis, "%s: %q has %d digits; %s (%s) expects %s", at(a, "hs_code"), a.HSCode, len(a.HSCode), sh.s.Destination, tl.Nomenclature, joinInts(tl.Lengths))
		}
	}
	return []model.CheckResult{f.result("hs-national-length", tl.Cite(),
		fmt.Sprintf("%s with %s-digit tariff lines of %s", units(len(sh.assets)), joinInts(tl.Lengths), sh.s.Destination))}
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, " or ")
}

// checkHSCategory: the subheading fits the unit's category (a server under a
// food chapter is refused).
func checkHSCategory(sh *shipment) []model.CheckResult {
	var f faults
	for _, a := range sh.assets {
		allowed := sh.book.catSubs[a.Category]
		if len(a.HSCode) >= 6 && slices.Contains(allowed, a.HSCode[:6]) {
			continue
		}
		desc := "not an HS 2022 subheading"
		if len(a.HSCode) >= 6 {
			if e, ok := sh.book.hs[a.HSCode[:6]]; ok {
				desc = e.Description
			}
		}
		want := make([]string, len(allowed))
		for i, s := range allowed {
			want[i] = fmtHS(s)
		}
		f.failf("%s: %q (%s) does not fit category %s: expected %s", at(a, "hs_code"), a.HSCode, desc, a.Category, strings.Join(want, " or "))
	}
	return []model.CheckResult{f.result("hs-category", sh.book.class.Cite(),
		fmt.Sprintf("%s classified under their category's subheadings", units(len(sh.assets))))}
}

var eccnRe = regexp.MustCompile(`^(EAR99|[0-9][A-E][0-9]{3}(\.[a-z0-9]+)*)$`)

// checkECCN: the export classification is well formed; a unit with
// encryption (TPM, self-encrypting drives) declared EAR99 is questioned.
func checkECCN(sh *shipment) []model.CheckResult {
	var f faults
	for _, a := range sh.assets {
		switch {
		case a.ECCN == "":
			f.warnf("%s: missing: expected an ECCN (e.g. 5A992.c) or EAR99", at(a, "eccn"))
		case !eccnRe.MatchString(a.ECCN):
			f.failf("%s: %q: expected an ECCN like 5A992.c or EAR99", at(a, "eccn"), a.ECCN)
		case a.ECCN == "EAR99" && (a.TPM || strings.EqualFold(a.DriveEncryption, "SED")):
			f.warnf("%s: EAR99 for a unit with encryption (TPM or SED): Cat. 4 Note 3 sends it to Cat. 5 Part 2 (usually 5A992.c)", at(a, "eccn"))
		}
	}
	return []model.CheckResult{f.result("eccn", srcECCN,
		fmt.Sprintf("%s with a well-formed ECCN", units(len(sh.assets))))}
}

// checkSecondHandRecord: used and refurbished units carry condition grade,
// year of manufacture, test result and a sanitisation record.
func checkSecondHandRecord(sh *shipment) []model.CheckResult {
	used := sh.secondHand()
	var f faults
	for _, a := range used {
		var missing []string
		for _, x := range []struct{ field, val string }{
			{"grade", a.Grade},
			{"test_result", a.TestResult},
			{"sanitisation_method", a.SanitisationMethod},
			{"sanitisation_date", a.SanitisationDate},
			{"sanitisation_operator", a.SanitisationOperator},
			{"sanitisation_verification", a.SanitisationVerification},
		} {
			if blank(x.val) {
				missing = append(missing, x.field)
			}
		}
		if a.YearOfMfr == 0 {
			missing = append(missing, "year_of_manufacture")
		}
		if len(missing) > 0 {
			f.failf("%s: missing for a %s unit", at(a, strings.Join(missing, ", ")), a.Condition)
		}
		if m := strings.ToLower(a.SanitisationMethod); m != "" && m != "clear" && m != "purge" && m != "destroy" {
			f.failf("%s: %q: expected clear, purge or destroy (NIST SP 800-88)", at(a, "sanitisation_method"), a.SanitisationMethod)
		}
		if !sh.shipDate.IsZero() {
			if a.YearOfMfr > sh.shipDate.Year() {
				f.failf("%s: %d is after the ship date %s", at(a, "year_of_manufacture"), a.YearOfMfr, sh.s.ShipDate)
			}
			if d, err := model.Date(a.SanitisationDate); err == nil && d.After(sh.shipDate) {
				f.failf("%s: %s is after the ship date %s: sanitise before shipping", at(a, "sanitisation_date"), a.SanitisationDate, sh.s.ShipDate)
			}
		}
	}
	pass := fmt.Sprintf("%s used or refurbished, each with grade, year, test and sanitisation record", units(len(used)))
	if len(used) == 0 {
		pass = "no used or refurbished units"
	}
	return []model.CheckResult{f.result("second-hand-record", srcCondition, pass)}
}

// noSale are shipment reasons without a sale: the transaction value (WTO
// method 1) has nothing to rest on.
var noSale = map[string]model.CheckStatus{
	"redeployment":             model.Fail,
	"return for refurbishment": model.Warn,
}

// checkValuation: a WTO method is declared for used and refurbished units,
// method 1 needs a sale, method 6 shows original cost and depreciation, and
// the declared value is not above the original cost.
func checkValuation(sh *shipment) []model.CheckResult {
	var f faults
	for _, a := range sh.assets {
		m := a.ValuationMethod
		switch {
		case m == 0 && a.Condition.IsSecondHand():
			f.failf("%s: missing for a %s unit: expected a WTO Valuation Agreement method 1 to 6", at(a, "valuation_method"), a.Condition)
		case m < 0 || m > 6:
			f.failf("%s: %d: expected a WTO Valuation Agreement method 1 to 6", at(a, "valuation_method"), m)
		case m == 1:
			switch noSale[sh.s.Reason] {
			case model.Fail:
				f.failf("%s: method 1 (transaction value) needs a sale, and shipment %s is a %s: declare method 6 with original cost and depreciation basis", at(a, "valuation_method"), sh.s.ID, sh.s.Reason)
			case model.Warn:
				f.warnf("%s: method 1 (transaction value) on a %s, which has no sale", at(a, "valuation_method"), sh.s.Reason)
			}
		case m == 6 && a.Condition.IsSecondHand():
			if !a.OriginalCost.IsPositive() {
				f.failf("%s: missing: method 6 for a %s unit shows the original cost", at(a, "original_cost"), a.Condition)
			}
			if blank(a.DepreciationBasis) {
				f.failf("%s: missing: method 6 for a %s unit shows the depreciation basis", at(a, "depreciation_basis"), a.Condition)
			}
		}
		if !a.UnitValue.IsPositive() {
			f.failf("%s: %s: a value is declared even without a sale (\"value for customs purposes only\")", at(a, "unit_value"), a.UnitValue)
		}
		if usd, note := sh.valueIn(a, "USD"); note == "" && usd.GreaterThan(decimal.NewFromInt(model.MaxUnitValueUSD)) {
			f.failf("%s: %s %s is %s USD%s: absurd, expected at most %d US dollars per unit", at(a, "unit_value"), a.UnitValue, a.Currency, usd, sh.rateNote("USD"), model.MaxUnitValueUSD)
		}
		if a.OriginalCost.IsPositive() && a.UnitValue.GreaterThan(a.OriginalCost) {
			f.failf("%s: %s %s is above the original cost %s", at(a, "unit_value"), a.UnitValue, a.Currency, a.OriginalCost)
		}
	}
	checkFallback(sh, &f)
	return []model.CheckResult{f.result("valuation", srcValuation,
		fmt.Sprintf("%s valued under a WTO method, none above original cost", units(len(sh.assets))))}
}

// checkFallback: units declared under method 6 (the fall-back) say why
// methods 2 to 5 did not apply (valuation_declaration.fallback_reason), and
// their values reflect their grade: of two units of one model with letter
// grades, the worse grade does not keep a larger share of its original
// cost.
func checkFallback(sh *shipment, f *faults) {
	m6 := sh.method6()
	if len(m6) == 0 {
		return
	}
	// Where the destination's value declaration asks for the reason, its
	// absence fails there (checkValuationDeclaration); elsewhere it warns.
	if (sh.s.Valuation == nil || blank(sh.s.Valuation.FallbackReason)) && !sh.requiresFallbackReason() {
		f.warnf("%s: missing: %s declared under method 6 without saying why methods 2 and 3 (identical, similar goods) did not apply", shipAt(sh.s, "valuation_declaration.fallback_reason"), units(len(m6)))
	}
	for _, a := range m6 {
		for _, b := range m6 {
			if fold(a.Model) != fold(b.Model) || !letterGrade(a.Grade) || !letterGrade(b.Grade) || !(strings.ToUpper(a.Grade) < strings.ToUpper(b.Grade)) ||
				!a.OriginalCost.IsPositive() || !b.OriginalCost.IsPositive() {
				continue
			}
			if b.UnitValue.Div(b.OriginalCost).GreaterThan(a.UnitValue.Div(a.OriginalCost)) {
				f.failf("%s: grade %s is declared at a larger share of its original cost than grade %s %s (%s): method-6 values reflect the grade", at(b, "unit_value"), b.Grade, a.Grade, a.AssetTag, src(a.Src))
				return
			}
		}
	}
}

// letterGrade: a grade of one letter (A, B, C...), which sorts best first.
func letterGrade(g string) bool {
	return len(g) == 1 && (g[0] >= 'A' && g[0] <= 'Z' || g[0] >= 'a' && g[0] <= 'z')
}

// findPermit looks for a referenced permit of one of the types, valid at the
// ship date. It returns what is wrong, or "" and the permit.
func (sh *shipment) findPermit(types []string) (model.Permit, string) {
	var problems []string
	for i, p := range sh.s.Permits {
		if !slices.ContainsFunc(types, func(t string) bool { return permitKey(t) == permitKey(p.Type) }) {
			continue
		}
		field := fmt.Sprintf("permits[%d]", i)
		switch {
		case blank(p.Number):
			problems = append(problems, fmt.Sprintf("%s: %s has no number", shipAt(sh.s, field), p.Type))
		case p.ValidUntil != "":
			d, err := model.Date(p.ValidUntil)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s.valid_until: %q: expected YYYY-MM-DD", shipAt(sh.s, field), p.ValidUntil))
			} else if !sh.shipDate.IsZero() && d.Before(sh.shipDate) {
				problems = append(problems, fmt.Sprintf("%s: %s %s expired on %s, before the ship date %s", shipAt(sh.s, field), p.Type, p.Number, p.ValidUntil, sh.s.ShipDate))
			} else {
				return p, ""
			}
		default:
			return p, ""
		}
	}
	if len(problems) > 0 {
		return model.Permit{}, strings.Join(problems, "; ")
	}
	return model.Permit{}, fmt.Sprintf("%s: none of type %s referenced", shipAt(sh.s, "permits"), strings.Join(types, " or "))
}

// blank says whether text is missing: empty, or only spaces of any kind
// (no-break and ideographic spaces included) and invisible format
// characters (zero-width space and joiners, U+FEFF). A name of "\u200b" is no
// name.
func blank(s string) bool {
	return strings.TrimFunc(s, invisible) == ""
}

// invisible: a space or a format character (Unicode category Cf), which
// prints nothing.
func invisible(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) }

// fold is text as compared for sameness: NFC, invisible format characters
// removed, every run of spaces (no-break ones included) one space, no
// leading or trailing space, lower case. "PowerEdge\u00a0R750" and
// "Power\u200bEdge R750" are both "poweredge r750".
func fold(s string) string {
	if plainASCII(s) {
		return strings.ToLower(s)
	}
	var b strings.Builder
	space := false
	for _, r := range norm.NFC.String(s) {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
		case unicode.Is(unicode.Cf, r):
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return strings.ToLower(b.String())
}

// plainASCII: printable ASCII with single spaces inside only, which fold
// leaves as it is but for case (the common model name, taken fast).
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c > '~' || c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' ') {
			return false
		}
	}
	return true
}

// permitKey folds a permit type for matching: case, accents, hyphens,
// underscores and repeated spaces do not matter ("Licencia de Importación" =
// "licencia-de-importacion").
func permitKey(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == '-' || r == '_' || unicode.IsSpace(r):
			space = b.Len() > 0
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

func tags(as []*model.Asset) string {
	var s []string
	for i, a := range as {
		if i == 6 {
			s = append(s, fmt.Sprintf("and %d more", len(as)-i))
			break
		}
		s = append(s, fmt.Sprintf("%s (%s)", a.AssetTag, src(a.Src)))
	}
	return strings.Join(s, ", ")
}

// checkUsedImport: the destination allows used and refurbished units, bans
// them, or admits them under a permit the shipment must reference.
func checkUsedImport(sh *shipment) []model.CheckResult {
	if !sh.hasDest {
		return nil
	}
	rule := sh.dest.UsedEquipment
	used := sh.secondHand()
	var f faults
	pass := "no used or refurbished units"
	if len(used) > 0 {
		switch rule.Status {
		case UsedAllowed:
			pass = fmt.Sprintf("%s used or refurbished: allowed in %s", units(len(used)), sh.s.Destination)
		case UsedBanned:
			f.add(rule.Basis, "%s bans used and refurbished IT equipment: %s", sh.s.Destination, tags(used))
		case UsedPermit:
			p, problem := sh.findPermit(rule.Permits)
			if problem != "" {
				f.add(rule.Basis, "%s used or refurbished into %s need a permit of type %s: %s", units(len(used)), sh.s.Destination, strings.Join(rule.Permits, " or "), problem)
			} else if rule.BeforeShipment {
				at := shipAt(sh.s, "permits["+fmt.Sprint(slices.IndexFunc(sh.s.Permits, func(q model.Permit) bool { return q.Number == p.Number }))+"].issued_on")
				issued, err := model.Date(p.IssuedOn)
				switch {
				case p.IssuedOn == "" || err != nil:
					f.add(rule.Basis, "%s: missing: %s wants %s %s granted before shipment; give the date it was granted", at, sh.s.Destination, p.Type, p.Number)
				case !sh.shipDate.IsZero() && issued.After(sh.shipDate):
					f.add(rule.Basis, "%s: %s is after the ship date %s: %s wants %s granted before shipment", at, p.IssuedOn, sh.s.ShipDate, sh.s.Destination, p.Type)
				}
			}
			pass = fmt.Sprintf("%s used or refurbished admitted under %s %s", units(len(used)), sh.permitName(p.Type), p.Number)
			if p.IssuedOn != "" {
				pass += " granted " + p.IssuedOn
			}
		}
	}
	return []model.CheckResult{f.result("used-import", rule.Cite(), pass)}
}

// checkBanned: no unit of a category the destination bans.
func checkBanned(sh *shipment) []model.CheckResult {
	if !sh.hasDest {
		return nil
	}
	var f faults
	var cites []string
	for _, ban := range sh.dest.Banned {
		cites = append(cites, ban.Cite())
		var hit []*model.Asset
		for _, a := range sh.assets {
			if a.Category == ban.Category && (len(ban.Conditions) == 0 || slices.Contains(ban.Conditions, a.Condition)) {
				hit = append(hit, a)
			}
		}
		if len(hit) > 0 {
			what := ban.Category
			if len(ban.Conditions) > 0 {
				what = fmt.Sprintf("%s units in condition %v", ban.Category, ban.Conditions)
			}
			f.add(ban.Basis, "%s bans %s: %s", sh.s.Destination, what, tags(hit))
		}
	}
	source := strings.Join(cites, "; ")
	if source == "" {
		source = strings.Join(sh.dest.Files, ", ")
	}
	return []model.CheckResult{f.result("banned-category", source,
		fmt.Sprintf("no unit in a category %s bans", sh.s.Destination))}
}

// checkPermits: every permit the destination demands for units in scope is
// referenced, numbered and valid at the ship date.
func checkPermits(sh *shipment) []model.CheckResult {
	if !sh.hasDest {
		return nil
	}
	if len(sh.dest.Permits) == 0 {
		return []model.CheckResult{{Rule: "permit", Status: model.Pass, Source: strings.Join(sh.dest.Files, ", "),
			Detail: fmt.Sprintf("%s demands no further permit", sh.s.Destination)}}
	}
	var out []model.CheckResult
	for _, rule := range sh.dest.Permits {
		var f faults
		scope := sh.inScope(rule.AppliesTo)
		pass := "no unit in scope"
		if len(scope) > 0 {
			p, problem := sh.findPermit(rule.Types)
			if problem != "" {
				msg := fmt.Sprintf("%s need %s: %s", units(len(scope)), rule.Name, problem)
				if rule.Severity == SeverityWarn {
					f.warnf("%s", msg)
				} else {
					f.add(rule.Basis, "%s", msg)
				}
			}
			pass = fmt.Sprintf("%s covered by %s %s", units(len(scope)), sh.permitName(p.Type), p.Number)
		}
		out = append(out, f.result("permit: "+rule.Name, rule.Cite(), pass))
	}
	return out
}

// checkAge: used units are no older than the destination's limit at the
// ship date.
func checkAge(sh *shipment) []model.CheckResult {
	if !sh.hasDest {
		return nil
	}
	rule := sh.dest.MaxAge
	if rule.Years == 0 {
		return []model.CheckResult{{Rule: "age-limit", Status: model.Pass, Source: rule.Cite(),
			Detail: fmt.Sprintf("no age limit in %s", sh.s.Destination)}}
	}
	scope := sh.inScope(rule.AppliesTo)
	var f faults
	if len(scope) > 0 && sh.shipDate.IsZero() {
		f.failf("%s: missing: the age limit of %d years is measured at the ship date", shipAt(sh.s, "ship_date"), rule.Years)
	}
	for _, a := range scope {
		if a.YearOfMfr == 0 {
			f.add(rule.Basis, "%s: missing: %s admits units at most %d years old", at(a, "year_of_manufacture"), sh.s.Destination, rule.Years)
			continue
		}
		if age := sh.shipDate.Year() - a.YearOfMfr; !sh.shipDate.IsZero() && age > rule.Years {
			f.add(rule.Basis, "%s: %d is %d years before the ship date %s; %s admits at most %d years", at(a, "year_of_manufacture"), a.YearOfMfr, age, sh.s.ShipDate, sh.s.Destination, rule.Years)
		}
	}
	return []model.CheckResult{f.result("age-limit", rule.Cite(),
		fmt.Sprintf("%s within %d years at the ship date", units(len(scope)), rule.Years))}
}

// checkNotWaste: where the destination wants a sworn not-waste declaration,
// every used unit passed its functional test (a failed unit is waste) and a
// declarant swears it.
func checkNotWaste(sh *shipment) []model.CheckResult {
	if !sh.hasDest {
		return nil
	}
	rule := sh.dest.NotWasteDeclaration
	used := sh.secondHand()
	if !rule.Required || len(used) == 0 {
		return []model.CheckResult{{Rule: "not-waste", Status: model.Pass, Source: rule.Cite(),
			Detail: fmt.Sprintf("no sworn not-waste declaration needed (%s used units; required in %s: %t)", fmt.Sprint(len(used)), sh.s.Destination, rule.Required)}}
	}
	var f faults
	for _, a := range used {
		if !strings.EqualFold(strings.TrimSpace(a.TestResult), "pass") {
			f.add(rule.Basis, "%s: %q: a unit sworn not to be waste passed its functional test", at(a, "test_result"), a.TestResult)
		}
	}
	if blank(sh.s.Declarant.Name) || blank(sh.s.Declarant.Position) {
		f.add(rule.Basis, "%s: name and position needed to swear the not-waste declaration", shipAt(sh.s, "declarant"))
	}
	return []model.CheckResult{f.result("not-waste", rule.Cite(),
		fmt.Sprintf("sworn not-waste declaration for %s on the condition declaration", units(len(used))))}
}

// checkDocuments: the data the invoice and packing list must carry is there.
func checkDocuments(sh *shipment) []model.CheckResult {
	s := sh.s
	var f faults
	if s.Incoterms.Rule == "" || blank(s.Incoterms.Place) {
		f.failf("%s: rule and named place needed (\"DAP Ho Chi Minh City\")", shipAt(s, "incoterms"))
	}
	if s.Currency == "" {
		f.failf("%s: missing", shipAt(s, "currency"))
	} else {
		// The invoice totals every unit in the shipment's currency.
		for _, a := range sh.assets {
			if a.Currency != "" && a.Currency != s.Currency {
				f.failf("%s: %q, expected %q (the currency of shipment %s): the invoice totals every unit in one currency", at(a, "currency"), a.Currency, s.Currency, s.ID)
			}
		}
	}
	if blank(s.Declarant.Name) || blank(s.Declarant.Position) {
		f.failf("%s: name and position needed for the signed declaration", shipAt(s, "declarant"))
	}
	if blank(s.InvoiceNumber) {
		f.warnf("%s: missing: the invoice needs a unique number", shipAt(s, "invoice_number"))
	}
	if d, err := model.Date(s.InvoiceDate); err == nil && !d.IsZero() && !sh.shipDate.IsZero() && d.After(sh.shipDate) {
		f.failf("%s: %s is after the ship date %s", shipAt(s, "invoice_date"), s.InvoiceDate, s.ShipDate)
	}
	if sh.shipDate.IsZero() {
		f.failf("%s: missing or not YYYY-MM-DD", shipAt(s, "ship_date"))
	}
	// Packing list: every unit in exactly one package, weights consistent.
	if len(s.Packages) == 0 {
		f.failf("%s: none: the packing list needs the packages and the units in each", shipAt(s, "packages"))
	} else {
		onShip := map[string]bool{}
		for _, t := range s.Assets {
			onShip[t] = true
		}
		packed := map[string]string{}
		for i, p := range s.Packages {
			field := fmt.Sprintf("packages[%d]", i)
			net := p.GrossWeightKg.Sub(p.GrossWeightKg) // zero
			for _, t := range p.Assets {
				if prev, dup := packed[t]; dup {
					f.failf("%s: asset %s is also in package %s", shipAt(s, field), t, prev)
				}
				packed[t] = p.ID
				if !onShip[t] {
					f.failf("%s: asset %s is packed but not on the shipment", shipAt(s, field), t)
				}
			}
			for _, a := range sh.assets {
				if packed[a.AssetTag] == p.ID {
					net = net.Add(a.NetWeightKg)
				}
			}
			if p.GrossWeightKg.IsPositive() && p.GrossWeightKg.LessThan(net) {
				f.failf("%s.gross_weight_kg: %s kg is below the units' net weight %s kg", shipAt(s, field), p.GrossWeightKg, net)
			}
		}
		for _, t := range s.Assets {
			if _, ok := packed[t]; !ok {
				f.failf("%s: asset %s is in no package", shipAt(s, "packages"), t)
			}
		}
	}
	// The destination's own law on invoice contents; 19 CFR 141.86 is the
	// United States' and is cited only for it.
	source := "Incoterms 2020; invoice law of " + sh.s.Destination + " not in its profile"
	if sh.hasDest && sh.dest.Invoice != nil {
		source = sh.dest.Invoice.Cite() + "; Incoterms 2020"
	}
	for _, d := range sh.requiredDocs() {
		source += fmt.Sprintf("; %s %s: %s", d.country, d.rule.Kind, d.rule.Cite())
	}
	docs := make([]string, 0, 8)
	for _, d := range sh.documents() {
		docs = append(docs, string(d))
	}
	return []model.CheckResult{f.result("documents", source, "required: "+strings.Join(docs, ", "))}
}

// checkSpecList: where a specification list is required, every unit carries
// the technical parameters and export classification it prints.
func checkSpecList(sh *shipment) []model.CheckResult {
	var lists []string
	var cites []string
	for _, d := range sh.requiredDocs() {
		if d.rule.Kind == model.SpecListOrigin || d.rule.Kind == model.SpecListDestination {
			lists = append(lists, fmt.Sprintf("%s (%s)", d.rule.Kind, d.country))
			cites = append(cites, fmt.Sprintf("%s %s: %s", d.country, d.rule.Kind, d.rule.Cite()))
		}
	}
	if sh.s.SpecListRequested {
		lists = append(lists, "requested by the plan")
		cites = append(cites, shipAt(sh.s, "spec_list_requested"))
	}
	if len(lists) == 0 {
		return []model.CheckResult{{Rule: "spec-list", Status: model.Pass, Source: "country profiles",
			Detail: "no equipment specification list required"}}
	}
	var f faults
	for _, a := range sh.assets {
		var missing []string
		req := []struct{ field, val string }{{"eccn", a.ECCN}, {"eccn_source", a.ECCNSource}}
		switch a.Category {
		case "server":
			req = append(req,
				struct{ field, val string }{"cpu_model", a.CPUModel},
				struct{ field, val string }{"memory", a.Memory},
				struct{ field, val string }{"storage", a.Storage},
				struct{ field, val string }{"network", a.Network},
				struct{ field, val string }{"power_supplies", a.PowerSupplies},
				struct{ field, val string }{"management_controller", a.ManagementController})
			if a.CPUSockets == 0 {
				missing = append(missing, "cpu_sockets")
			}
			if a.CPUCores == 0 {
				missing = append(missing, "cpu_cores")
			}
		case "storage":
			req = append(req, struct{ field, val string }{"storage", a.Storage})
		case "network-switch":
			req = append(req, struct{ field, val string }{"network", a.Network})
		}
		for _, r := range req {
			if blank(r.val) {
				missing = append(missing, r.field)
			}
		}
		if len(missing) > 0 {
			slices.Sort(missing)
			f.failf("%s: missing for the specification list", at(a, strings.Join(missing, ", ")))
		}
		if a.LicenseException == "" {
			f.warnf("%s: missing: the specification list states a licence exception or NLR", at(a, "license_exception"))
		}
	}
	return []model.CheckResult{f.result("spec-list", strings.Join(cites, "; "),
		fmt.Sprintf("%s specified for %s", units(len(sh.assets)), strings.Join(lists, " and ")))}
}

// checkClearance: a clearance record is consistent with the shipment.
func checkClearance(sh *shipment) []model.CheckResult {
	c := sh.clearance
	if c == nil {
		return nil
	}
	var f faults
	entry, errE := model.Date(c.EntryDate)
	release, errR := model.Date(c.ReleaseDate)
	where := fmt.Sprintf("%s: clearance %s", src(c.Src), c.ShipmentID)
	if errE == nil && !entry.IsZero() && !sh.shipDate.IsZero() && entry.Before(sh.shipDate) {
		f.failf("%s: entry_date %s is before the ship date %s", where, c.EntryDate, sh.s.ShipDate)
	}
	if errE == nil && errR == nil && !entry.IsZero() && !release.IsZero() && release.Before(entry) {
		f.failf("%s: release_date %s is before the entry_date %s", where, c.ReleaseDate, c.EntryDate)
	}
	if c.Held {
		f.warnf("%s: held at the border before release", where)
	}
	return []model.CheckResult{f.result("clearance", srcClearance,
		fmt.Sprintf("entry %s at %s released %s", c.EntryNumber, c.Port, c.ReleaseDate))}
}
