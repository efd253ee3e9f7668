package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"golang.org/x/text/language"

	"github.com/clearpack/clearpack/pipeline/model"
)

// Confidence marks how far a rule has been checked.
const (
	// Confirmed: read in a primary legal text.
	Confirmed = "confirmed"
	// Verify: from a secondary source; check before relying on it.
	Verify = "verify"
	// Unsourced: nothing was found; the rule is a placeholder and the checks
	// built on it only warn.
	Unsourced = "unsourced"
)

// Used-equipment statuses of a profile.
const (
	UsedAllowed = "allowed"
	UsedBanned  = "banned"
	UsedPermit  = "permit"
)

// Severity of a permit rule.
const (
	SeverityFail = "fail"
	SeverityWarn = "warn"
)

// Basis is where a rule comes from: every rule of a profile carries one.
type Basis struct {
	Source string `yaml:"source" json:"source"`
	// Effective is the date (YYYY-MM-DD) the rule took effect.
	Effective string `yaml:"effective" json:"effective"`
	// Confidence is Confirmed, Verify or Unsourced.
	Confidence string `yaml:"confidence" json:"confidence"`
	Note       string `yaml:"note,omitempty" json:"note,omitempty"`
}

// Cite is the basis as printed in the Source column of a check: the source,
// its effective date and the confidence mark.
func (b Basis) Cite() string {
	return fmt.Sprintf("%s (effective %s, %s)", b.Source, b.Effective, b.Confidence)
}

// Scope limits a rule to some units; empty lists match every unit.
type Scope struct {
	Conditions []model.Condition `yaml:"conditions,omitempty" json:"conditions,omitempty"`
	Categories []string          `yaml:"categories,omitempty" json:"categories,omitempty"`
}

// Matches reports whether the rule applies to the asset.
func (s Scope) Matches(a *model.Asset) bool {
	if len(s.Conditions) > 0 && !slices.Contains(s.Conditions, a.Condition) {
		return false
	}
	if len(s.Categories) > 0 && !slices.Contains(s.Categories, a.Category) {
		return false
	}
	return true
}

// LanguageRule is the customs language of a country.
type LanguageRule struct {
	// Code is a BCP 47 tag ("vi", "pt", "es").
	Code  string `yaml:"code" json:"code"`
	Basis `yaml:",inline"`
}

// TariffLineRule is the length of the national tariff line.
type TariffLineRule struct {
	// Lengths accepted for an HS code declared in this country (digits).
	Lengths      []int  `yaml:"lengths" json:"lengths"`
	Nomenclature string `yaml:"nomenclature" json:"nomenclature"`
	Basis        `yaml:",inline"`
}

// RetentionRule is how long customs records must be kept.
type RetentionRule struct {
	Years int `yaml:"years" json:"years"`
	Basis `yaml:",inline"`
}

// TextRule is a note printed as is (VAT/GST, duty).
type TextRule struct {
	Text  string `yaml:"text" json:"text"`
	Basis `yaml:",inline"`
}

// UsedRule says whether used and refurbished units may be imported.
type UsedRule struct {
	// Status is UsedAllowed, UsedBanned or UsedPermit.
	Status string `yaml:"status" json:"status"`
	// Permits are the permit types (model.Permit.Type) of which a shipment
	// must reference one when Status is UsedPermit.
	Permits []string `yaml:"permits,omitempty" json:"permits,omitempty"`
	// BeforeShipment: the permit must be granted (issued_on) before the
	// ship date (Brazil's LI for used goods).
	BeforeShipment bool `yaml:"before_shipment,omitempty" json:"before_shipment,omitempty"`
	Basis          `yaml:",inline"`
}

// AgeRule is the maximum age of used units at the ship date; 0 means none.
type AgeRule struct {
	Years     int   `yaml:"years" json:"years"`
	AppliesTo Scope `yaml:"applies_to,omitempty" json:"applies_to,omitempty"`
	Basis     `yaml:",inline"`
}

// FlagRule is a yes/no requirement.
type FlagRule struct {
	Required bool `yaml:"required" json:"required"`
	Basis    `yaml:",inline"`
}

// BanRule bans a category of units (in the given conditions; all when empty).
type BanRule struct {
	Category   string            `yaml:"category" json:"category"`
	Conditions []model.Condition `yaml:"conditions,omitempty" json:"conditions,omitempty"`
	Basis      `yaml:",inline"`
}

// PermitRule demands that a shipment reference a permit of one of Types when
// it carries a unit in scope.
type PermitRule struct {
	Name      string   `yaml:"name" json:"name"`
	Types     []string `yaml:"types" json:"types"`
	AppliesTo Scope    `yaml:"applies_to,omitempty" json:"applies_to,omitempty"`
	// Severity is SeverityFail (default) or SeverityWarn.
	Severity string `yaml:"severity,omitempty" json:"severity,omitempty"`
	Basis    `yaml:",inline"`
}

// DocRule demands a document when a shipment carries a unit in scope.
type DocRule struct {
	Kind      model.DocKind `yaml:"kind" json:"kind"`
	AppliesTo Scope         `yaml:"applies_to,omitempty" json:"applies_to,omitempty"`
	Basis     `yaml:",inline"`
}

// PartyRule says what the importer's identification must carry.
type PartyRule struct {
	ImporterTaxID  bool   `yaml:"importer_tax_id" json:"importer_tax_id"`
	TaxIDName      string `yaml:"tax_id_name" json:"tax_id_name"`
	BrokerRequired bool   `yaml:"broker_required" json:"broker_required"`
	// ExporterTaxID: when the country is the origin, the exporter must carry
	// its identifier (ExporterTaxIDName, else TaxIDName: the EU's EORI).
	ExporterTaxID     bool   `yaml:"exporter_tax_id,omitempty" json:"exporter_tax_id,omitempty"`
	ExporterTaxIDName string `yaml:"exporter_tax_id_name,omitempty" json:"exporter_tax_id_name,omitempty"`
	Basis             `yaml:",inline"`
}

// EntryNumberRule is the format of the country's customs entry (declaration)
// number. Pattern is a regular expression matched against the whole number
// after the characters in Ignore are removed. Two named groups are checked
// against the entry date when the pattern has them: "yy" (the year's last two
// digits) and "y" (its last digit). An empty Pattern means no rule.
type EntryNumberRule struct {
	Pattern     string `yaml:"pattern" json:"pattern"`
	Ignore      string `yaml:"ignore,omitempty" json:"ignore,omitempty"`
	Description string `yaml:"description" json:"description"`
	Basis       `yaml:",inline"`
}

// ExtrasRule lists what the commercial invoice must print beyond the usual
// (model.ExtraAcquisitionCountry, model.ExtraProvenanceCountry,
// model.ExtraPackageMarks). An empty list means none.
type ExtrasRule struct {
	Fields []string `yaml:"fields" json:"fields"`
	Basis  `yaml:",inline"`
}

// Profile is one country's rules. The import rules apply when the country is
// a shipment's destination (for a return: the refurbishment site), the export
// rules when it is the origin.
type Profile struct {
	Country string `yaml:"country" json:"country"`
	Name    string `yaml:"name" json:"name"`
	// RefurbishmentSite marks a country that receives returns.
	RefurbishmentSite   bool           `yaml:"refurbishment_site,omitempty" json:"refurbishment_site,omitempty"`
	Language            LanguageRule   `yaml:"language" json:"language"`
	TariffLine          TariffLineRule `yaml:"tariff_line" json:"tariff_line"`
	Retention           RetentionRule  `yaml:"retention" json:"retention"`
	VAT                 TextRule       `yaml:"vat" json:"vat"`
	Duty                TextRule       `yaml:"duty" json:"duty"`
	UsedEquipment       UsedRule       `yaml:"used_equipment" json:"used_equipment"`
	MaxAge              AgeRule        `yaml:"max_age" json:"max_age"`
	NotWasteDeclaration FlagRule       `yaml:"not_waste_declaration" json:"not_waste_declaration"`
	Banned              []BanRule      `yaml:"banned,omitempty" json:"banned,omitempty"`
	Permits             []PermitRule   `yaml:"permits,omitempty" json:"permits,omitempty"`
	// ImportDocuments are documents the country's import authority wants
	// beyond the invoice and packing list; ExportDocuments those its export
	// authority wants when goods leave it.
	ImportDocuments []DocRule `yaml:"import_documents,omitempty" json:"import_documents,omitempty"`
	ExportDocuments []DocRule `yaml:"export_documents,omitempty" json:"export_documents,omitempty"`
	Parties         PartyRule `yaml:"parties" json:"parties"`
	// EntryNumber is the format of a clearance's entry number (optional).
	EntryNumber EntryNumberRule `yaml:"entry_number,omitempty" json:"entry_number,omitempty"`
	// InvoiceExtras are the fields the invoice must print (optional).
	InvoiceExtras ExtrasRule `yaml:"invoice_extras,omitempty" json:"invoice_extras,omitempty"`
	// Invoice is the country's own law on what an import invoice contains,
	// cited by the document checks (optional; see exports.go for the rest).
	Invoice *Basis `yaml:"invoice,omitempty" json:"invoice,omitempty"`
	// ExportControls, ExportFilings, ExportLines and NationalLines: see
	// exports.go.
	ExportControls *ExportControlRule `yaml:"export_controls,omitempty" json:"export_controls,omitempty"`
	ExportFilings  []PermitRule       `yaml:"export_filings,omitempty" json:"export_filings,omitempty"`
	ExportLines    *LineSet           `yaml:"export_lines,omitempty" json:"export_lines,omitempty"`
	NationalLines  *LineSet           `yaml:"national_lines,omitempty" json:"national_lines,omitempty"`
	// CustomsValue and Taxes: see clearance.go.
	CustomsValue *ValueBasisRule `yaml:"customs_value,omitempty" json:"customs_value,omitempty"`
	// PermitNames are the official names of the permit types a plan may
	// reference (by type, matched ignoring case, accents and hyphens), which
	// the documents print instead of the type.
	PermitNames *PermitNamesRule `yaml:"permit_names,omitempty" json:"permit_names,omitempty"`
	Taxes       *TaxNamesRule    `yaml:"taxes,omitempty" json:"taxes,omitempty"`
	// ValuationDeclaration: the country's value declaration and what it
	// asks (see valuation.go).
	ValuationDeclaration *ValuationDeclRule `yaml:"valuation_declaration,omitempty" json:"valuation_declaration,omitempty"`
	// ImportEntry: what the country's import entry asks (see entry.go).
	ImportEntry *ImportEntryRule `yaml:"import_entry,omitempty" json:"import_entry,omitempty"`
	// BorderFreight: for a delivery to an inland place over a land border,
	// the share of the freight to the border, by origin and place; used
	// when the plan gives no freight_to_border (see incoterms.go).
	BorderFreight []BorderFreightRule `yaml:"border_freight,omitempty" json:"border_freight,omitempty"`

	// Members makes the profile a customs union's: the countries (ISO 3166-1
	// alpha-2) that form one customs territory with it. A member without a
	// profile of its own is checked under this one (see union.go).
	Members []string `yaml:"members,omitempty" json:"members,omitempty"`
	// ExportObligations are export-side obligations recorded with their
	// sources and reported when the country is the origin, without a check
	// of their own (an export declaration's MRN, export-control licensing).
	ExportObligations []ObligationRule `yaml:"export_obligations,omitempty" json:"export_obligations,omitempty"`

	// Files are the profile's files, embedded default first, then overrides.
	Files []string `yaml:"-" json:"files"`
}

// fieldError is a validation fault at a YAML path ("used_equipment.status").
type fieldError struct {
	path []string
	msg  string
}

// validate checks a profile after all its files are merged. It returns every
// fault, each with the YAML path of the field.
func (p *Profile) validate() []fieldError {
	var errs []fieldError
	add := func(msg string, path ...string) { errs = append(errs, fieldError{path: path, msg: msg}) }
	basis := func(b Basis, path ...string) {
		if strings.TrimSpace(b.Source) == "" {
			add("source is empty: every rule names its legal source (or \"not sourced\")", append(path, "source")...)
		}
		if _, err := model.Date(b.Effective); err != nil || b.Effective == "" {
			add(fmt.Sprintf("effective %q: expected a date YYYY-MM-DD", b.Effective), append(path, "effective")...)
		}
		switch b.Confidence {
		case Confirmed, Verify, Unsourced:
		default:
			add(fmt.Sprintf("confidence %q: expected confirmed, verify or unsourced", b.Confidence), append(path, "confidence")...)
		}
	}
	scope := func(s Scope, path ...string) {
		for i, c := range s.Conditions {
			switch c {
			case model.New, model.Used, model.Refurbished:
			default:
				add(fmt.Sprintf("condition %q: expected new, used or refurbished", c), append(path, "conditions", fmt.Sprint(i))...)
			}
		}
		for i, c := range s.Categories {
			if !slices.Contains(model.Categories(), c) {
				add(fmt.Sprintf("category %q: expected one of %s", c, strings.Join(model.Categories(), ", ")), append(path, "categories", fmt.Sprint(i))...)
			}
		}
	}
	if len(p.Country) != 2 || strings.ToUpper(p.Country) != p.Country {
		add(fmt.Sprintf("country %q: expected an ISO 3166-1 alpha-2 code in upper case", p.Country), "country")
	}
	if _, err := language.Parse(p.Language.Code); err != nil || p.Language.Code == "" {
		add(fmt.Sprintf("code %q: expected a BCP 47 language tag", p.Language.Code), "language", "code")
	}
	basis(p.Language.Basis, "language")
	if len(p.TariffLine.Lengths) == 0 {
		add("lengths is empty: expected the national tariff-line lengths (6 to 12 digits)", "tariff_line", "lengths")
	}
	for i, n := range p.TariffLine.Lengths {
		if n < 6 || n > 12 {
			add(fmt.Sprintf("length %d: expected 6 to 12 digits", n), "tariff_line", "lengths", fmt.Sprint(i))
		}
	}
	basis(p.TariffLine.Basis, "tariff_line")
	if p.Retention.Years < 1 || p.Retention.Years > 100 {
		add(fmt.Sprintf("years %d: expected 1 to 100", p.Retention.Years), "retention", "years")
	}
	basis(p.Retention.Basis, "retention")
	basis(p.VAT.Basis, "vat")
	basis(p.Duty.Basis, "duty")
	switch p.UsedEquipment.Status {
	case UsedAllowed, UsedBanned:
	case UsedPermit:
		if len(p.UsedEquipment.Permits) == 0 {
			add("permits is empty: status permit needs the permit types that satisfy it", "used_equipment", "permits")
		}
	default:
		add(fmt.Sprintf("status %q: expected allowed, banned or permit", p.UsedEquipment.Status), "used_equipment", "status")
	}
	basis(p.UsedEquipment.Basis, "used_equipment")
	if p.MaxAge.Years < 0 {
		add(fmt.Sprintf("years %d: expected 0 (no limit) or more", p.MaxAge.Years), "max_age", "years")
	}
	scope(p.MaxAge.AppliesTo, "max_age", "applies_to")
	basis(p.MaxAge.Basis, "max_age")
	basis(p.NotWasteDeclaration.Basis, "not_waste_declaration")
	for i, b := range p.Banned {
		at := []string{"banned", fmt.Sprint(i)}
		if !slices.Contains(model.Categories(), b.Category) {
			add(fmt.Sprintf("category %q: expected one of %s", b.Category, strings.Join(model.Categories(), ", ")), append(at, "category")...)
		}
		scope(Scope{Conditions: b.Conditions}, at...)
		basis(b.Basis, at...)
	}
	for i, r := range p.Permits {
		at := []string{"permits", fmt.Sprint(i)}
		if r.Name == "" {
			add("name is empty", append(at, "name")...)
		}
		if len(r.Types) == 0 {
			add("types is empty: expected the permit types that satisfy the rule", append(at, "types")...)
		}
		switch r.Severity {
		case "", SeverityFail, SeverityWarn:
		default:
			add(fmt.Sprintf("severity %q: expected fail or warn", r.Severity), append(at, "severity")...)
		}
		scope(r.AppliesTo, append(at, "applies_to")...)
		basis(r.Basis, at...)
	}
	docs := func(list []DocRule, field string, allowed ...model.DocKind) {
		for i, d := range list {
			at := []string{field, fmt.Sprint(i)}
			if !slices.Contains(allowed, d.Kind) {
				add(fmt.Sprintf("kind %q: expected one of %v", d.Kind, allowed), append(at, "kind")...)
			}
			scope(d.AppliesTo, append(at, "applies_to")...)
			basis(d.Basis, at...)
		}
	}
	docs(p.ImportDocuments, "import_documents", model.SpecListDestination, model.ConditionDeclaration)
	docs(p.ExportDocuments, "export_documents", model.SpecListOrigin, model.ConditionDeclaration)
	basis(p.Parties.Basis, "parties")
	for i, m := range p.Members {
		if len(m) != 2 || strings.ToUpper(m) != m || m == p.Country {
			add(fmt.Sprintf("member %q: expected an ISO 3166-1 alpha-2 code in upper case, other than the union's own", m), "members", fmt.Sprint(i))
		}
	}
	for i, o := range p.ExportObligations {
		at := []string{"export_obligations", fmt.Sprint(i)}
		if strings.TrimSpace(o.Name) == "" || strings.TrimSpace(o.Text) == "" {
			add("name and text are needed: what the obligation is, in words", at...)
		}
		basis(o.Basis, at...)
	}
	if en := p.EntryNumber; en.Pattern != "" || en.Source != "" {
		if re, err := regexp.Compile(en.Pattern); err != nil || en.Pattern == "" {
			add(fmt.Sprintf("pattern %q: expected a regular expression (Go syntax)", en.Pattern), "entry_number", "pattern")
		} else {
			for _, g := range re.SubexpNames()[1:] {
				if g != "" && g != "yy" && g != "y" {
					add(fmt.Sprintf("group %q: expected only the named groups yy and y", g), "entry_number", "pattern")
				}
			}
		}
		if strings.TrimSpace(en.Description) == "" {
			add("description is empty: say in words what the number is made of", "entry_number", "description")
		}
		basis(en.Basis, "entry_number")
	}
	if ex := p.InvoiceExtras; len(ex.Fields) > 0 || ex.Source != "" {
		if len(ex.Fields) == 0 {
			add("fields is empty: expected what the invoice must print", "invoice_extras", "fields")
		}
		for i, f := range ex.Fields {
			switch f {
			case model.ExtraAcquisitionCountry, model.ExtraProvenanceCountry, model.ExtraPackageMarks:
			default:
				add(fmt.Sprintf("field %q: expected one of %s, %s, %s", f, model.ExtraAcquisitionCountry, model.ExtraProvenanceCountry, model.ExtraPackageMarks),
					"invoice_extras", "fields", fmt.Sprint(i))
			}
		}
		basis(ex.Basis, "invoice_extras")
	}
	p.validateValuation(add, basis)
	p.validateEntry(add, basis)
	for i, bf := range p.BorderFreight {
		at := []string{"border_freight", fmt.Sprint(i)}
		if len(bf.From) != 2 || strings.ToUpper(bf.From) != bf.From {
			add(fmt.Sprintf("from %q: expected the origin country, ISO 3166-1 alpha-2", bf.From), append(at, "from")...)
		}
		if len(bf.Places) == 0 || strings.TrimSpace(bf.Crossing) == "" {
			add("places and crossing: expected the named places the share is for and the border crossing", at...)
		}
		if d, err := decimal.NewFromString(bf.Share); err != nil || !d.IsPositive() || !d.LessThan(decimal.NewFromInt(1)) {
			add(fmt.Sprintf("share %q: expected a decimal between 0 and 1, such as 0.30", bf.Share), append(at, "share")...)
		}
		basis(bf.Basis, at...)
	}
	errs = append(errs, p.validateExports(basis, scope)...)
	return errs
}
