// Package model is the vocabulary the packages of clearpack pass to each
// other, and nothing else: plain data types with no I/O and no clearpack
// imports, so that every package may depend on it and it on none.
//
//   - The input records: Asset (the inventory), Plan and Shipment (the
//     shipment plan), Clearance (what customs accepted), each with its
//     Source (file and line). Package ingest reads and validates them; no
//     other package reads input files.
//   - What the checks decide and the documents print: DocKind (a document
//     kind, also its file name stem in a pack), CheckResult and CheckStatus
//     (one rule's outcome, as package rules reports it, the renderers print
//     it and the signed manifest records it), DocExtras (what a
//     destination's rules add to its documents).
//   - The few facts every reader of those records needs alike: which
//     conditions are second-hand, the asset categories, the accepted date
//     window, a currency's minor units.
package model

import (
	"time"

	"github.com/biter777/countries"
	"github.com/shopspring/decimal"
)

// Condition of a physical unit.
type Condition string

const (
	New         Condition = "new"
	Refurbished Condition = "refurbished"
	Used        Condition = "used"
)

// IsSecondHand reports whether the unit needs a condition declaration.
func (c Condition) IsSecondHand() bool { return c == Refurbished || c == Used }

// Direction of a shipment.
type Direction string

const (
	Forward Direction = "forward"
	// Return is reverse logistics: a retired unit going back to a refurbishment
	// site. The old destination is the exporting country.
	Return Direction = "return"
)

// Source says where a record came from, so that every later error can name the
// file, line and field.
type Source struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// Asset is one physical unit from the inventory.
type Asset struct {
	AssetTag     string `json:"asset_tag"`
	Serial       string `json:"serial"`
	Manufacturer string `json:"manufacturer"`
	Model        string `json:"model"`
	PartNumber   string `json:"part_number,omitempty"`
	// Category is one of Categories (server, storage, network-switch, ...).
	Category        string    `json:"category"`
	Description     string    `json:"description,omitempty"`
	Condition       Condition `json:"condition"`
	Grade           string    `json:"grade,omitempty"`
	GradingStandard string    `json:"grading_standard,omitempty"`
	TestResult      string    `json:"test_result,omitempty"`
	TestedBy        string    `json:"tested_by,omitempty"`
	TestedOn        string    `json:"tested_on,omitempty"`
	Refurbisher     string    `json:"refurbisher,omitempty"`
	YearOfMfr       int       `json:"year_of_manufacture,omitempty"`

	RackUnits            int    `json:"rack_units,omitempty"`
	CPUModel             string `json:"cpu_model,omitempty"`
	CPUSockets           int    `json:"cpu_sockets,omitempty"`
	CPUCores             int    `json:"cpu_cores,omitempty"`
	Memory               string `json:"memory,omitempty"` // e.g. "384 GB DDR4-2933"
	Storage              string `json:"storage,omitempty"`
	Network              string `json:"network,omitempty"`
	PowerSupplies        string `json:"power_supplies,omitempty"`
	ManagementController string `json:"management_controller,omitempty"`
	TPM                  bool   `json:"tpm,omitempty"`
	// TPMText is the TPM as the inventory described it ("TPM 2.0"), when it
	// said more than yes or no; TPM is derived from it.
	TPMText         string `json:"tpm_text,omitempty"`
	DriveEncryption string `json:"drive_encryption,omitempty"` // "SED", "none"

	HSCode           string `json:"hs_code"` // 6-digit subheading plus national extension
	ECCN             string `json:"eccn,omitempty"`
	ECCNSource       string `json:"eccn_source,omitempty"` // manufacturer, self
	LicenseException string `json:"license_exception,omitempty"`
	CountryOfOrigin  string `json:"country_of_origin"`

	UnitValue         decimal.Decimal `json:"unit_value"`
	Currency          string          `json:"currency"`
	ValuationMethod   int             `json:"valuation_method,omitempty"` // WTO Valuation Agreement method 1..6
	OriginalCost      decimal.Decimal `json:"original_cost,omitempty"`
	DepreciationBasis string          `json:"depreciation_basis,omitempty"`
	NetWeightKg       decimal.Decimal `json:"net_weight_kg"`
	GrossWeightKg     decimal.Decimal `json:"gross_weight_kg"`

	SanitisationMethod string `json:"sanitisation_method,omitempty"` // NIST SP 800-88: clear, purge, destroy
	// SanitisationText is the method as the inventory worded it ("NIST
	// 800-88 Purge", "IEEE 2883 cryptographic erase") when that is more than
	// the method's name; the condition declaration prints it.
	SanitisationText         string `json:"sanitisation_text,omitempty"`
	SanitisationDate         string `json:"sanitisation_date,omitempty"`
	SanitisationOperator     string `json:"sanitisation_operator,omitempty"`
	SanitisationVerification string `json:"sanitisation_verification,omitempty"`

	// Extra holds columns the inventory carried that clearpack has no field for
	// (Snipe-IT custom fields, for instance), by their header.
	Extra map[string]string `json:"extra,omitempty"`

	Src Source `json:"-"`
}

// Party is a legal person named on a document.
type Party struct {
	Name    string `json:"name" yaml:"name"`
	Address string `json:"address" yaml:"address"`
	Country string `json:"country" yaml:"country"`
	TaxID   string `json:"tax_id,omitempty" yaml:"tax_id"`
	Contact string `json:"contact,omitempty" yaml:"contact"`
	Email   string `json:"email,omitempty" yaml:"email"`
	Phone   string `json:"phone,omitempty" yaml:"phone"`
}

// Parties of one shipment, by role.
type Parties struct {
	Exporter         Party  `json:"exporter" yaml:"exporter"`
	ExporterOfRecord Party  `json:"exporter_of_record" yaml:"exporter_of_record"`
	ImporterOfRecord Party  `json:"importer_of_record" yaml:"importer_of_record"`
	Consignee        Party  `json:"consignee" yaml:"consignee"`
	Broker           *Party `json:"broker,omitempty" yaml:"broker"`
}

// Incoterms is an Incoterms 2020 rule with its named place.
type Incoterms struct {
	Rule  string `json:"rule" yaml:"rule"`
	Place string `json:"place" yaml:"place"`
}

// Transport is how the shipment moves. Documents that depend on it are
// re-issued when it changes (re-routing).
type Transport struct {
	Mode      string `json:"mode" yaml:"mode"` // air, sea, road, rail, courier
	Route     string `json:"route" yaml:"route"`
	Carrier   string `json:"carrier,omitempty" yaml:"carrier"`
	Reference string `json:"reference,omitempty" yaml:"reference"`
}

// Package is one physical package (pallet, crate, carton) of a shipment.
type Package struct {
	ID            string          `json:"id" yaml:"id"`
	Type          string          `json:"type" yaml:"type"` // pallet, crate, carton
	Marks         string          `json:"marks,omitempty" yaml:"marks"`
	LengthCm      decimal.Decimal `json:"length_cm" yaml:"length_cm"`
	WidthCm       decimal.Decimal `json:"width_cm" yaml:"width_cm"`
	HeightCm      decimal.Decimal `json:"height_cm" yaml:"height_cm"`
	GrossWeightKg decimal.Decimal `json:"gross_weight_kg" yaml:"gross_weight_kg"`
	Assets        []string        `json:"assets" yaml:"assets"`
}

// Permit is an import or export licence a shipment references.
type Permit struct {
	Type     string `json:"type" yaml:"type"`
	Number   string `json:"number" yaml:"number"`
	IssuedBy string `json:"issued_by,omitempty" yaml:"issued_by"`
	// IssuedOn is the date the permit was granted (YYYY-MM-DD): Brazil's LI
	// for used goods must be granted before shipment.
	IssuedOn   string `json:"issued_on,omitempty" yaml:"issued_on"`
	ValidUntil string `json:"valid_until,omitempty" yaml:"valid_until"`
}

// Filing is an export declaration or tax document filed at origin that the
// origin's broker or customs needs the reference of (the US AES ITN or the
// EEI exemption cited, Mexico's pedimento de exportación and CFDI, Brazil's
// DU-E and NF-e, the EU's MRN).
type Filing struct {
	Type     string `json:"type" yaml:"type"`
	Number   string `json:"number" yaml:"number"`
	Date     string `json:"date,omitempty" yaml:"date"`
	IssuedBy string `json:"issued_by,omitempty" yaml:"issued_by"`
}

// MaxUnitValueUSD bounds a unit's value (and original cost) in US dollars:
// a value above it is absurd. Amounts in another currency are bounded at
// input by MaxUnitValueUSD × MaxUnitsPerUSD of that currency, and checked
// against MaxUnitValueUSD at the plan's exchange rate where it gives one.
const (
	MaxUnitValueUSD = 10_000_000
	// MaxUnitsPerUSD is more units of any currency than one US dollar
	// buys (the Vietnamese dong is about 26,000, the Iranian rial about
	// 42,000 officially).
	MaxUnitsPerUSD = 100_000
)

// ExchangeRate is how many units of the shipment's currency one unit of
// Currency buys, on Date, per Source (a central bank's rate, say).
type ExchangeRate struct {
	Currency string          `json:"currency" yaml:"currency"`
	Rate     decimal.Decimal `json:"rate" yaml:"rate"`
	Date     string          `json:"date" yaml:"date"`
	Source   string          `json:"source,omitempty" yaml:"source"`
}

// Declarant signs the invoice's declaration that it is true and correct.
type Declarant struct {
	Name     string `json:"name" yaml:"name"`
	Position string `json:"position" yaml:"position"`
}

// Shipment is one consignment of the plan.
type Shipment struct {
	ID            string          `json:"id"`
	Direction     Direction       `json:"direction"`
	Origin        string          `json:"origin"`
	Destination   string          `json:"destination"`
	Reason        string          `json:"reason"` // sale, intra-company transfer, return for refurbishment, redeployment
	Incoterms     Incoterms       `json:"incoterms"`
	Currency      string          `json:"currency"`
	PaymentTerms  string          `json:"payment_terms,omitempty"`
	InvoiceNumber string          `json:"invoice_number,omitempty"`
	InvoiceDate   string          `json:"invoice_date,omitempty"` // YYYY-MM-DD; defaults to ShipDate
	ShipDate      string          `json:"ship_date"`              // YYYY-MM-DD
	Transport     Transport       `json:"transport"`
	Parties       Parties         `json:"parties"`
	Declarant     Declarant       `json:"declarant"`
	Freight       decimal.Decimal `json:"freight"`
	Insurance     decimal.Decimal `json:"insurance"`
	Packing       decimal.Decimal `json:"packing"`
	// FreightToBorder is the part of Freight to the place of import (the
	// border or the port of entry), for a delivery to an inland place: the
	// customs value of a CIF country includes freight to the place of import
	// only (Mexico, Ley Aduanera Art. 66; WTO Valuation Agreement Art. 8.2).
	// Zero when not stated.
	FreightToBorder decimal.Decimal `json:"freight_to_border,omitzero"`
	Packages        []Package       `json:"packages,omitempty"`
	Permits         []Permit        `json:"permits,omitempty"`
	// ExportFilings are the references of the filings made at origin.
	ExportFilings []Filing `json:"export_filings,omitempty"`
	// ExchangeRates convert other currencies into the shipment's, for the
	// rules whose conditions are in another currency (Brazil's NCM lines by
	// FOB value in US dollars).
	ExchangeRates []ExchangeRate `json:"exchange_rates,omitempty"`
	// SpecListRequested asks for the equipment specification list even where no
	// authority requires it.
	SpecListRequested bool `json:"spec_list_requested,omitempty"`
	// AcquisitionCountry is where the goods were bought (ISO 3166-1 alpha-2);
	// ProvenanceCountry where they were shipped from to the destination.
	// Both default to Origin when empty: see Acquisition and Provenance.
	// Brazil's invoice prints both (Regulamento Aduaneiro, Art. 557).
	AcquisitionCountry string `json:"acquisition_country,omitempty"`
	ProvenanceCountry  string `json:"provenance_country,omitempty"`
	// Valuation is what the destination's value declaration asks beyond
	// the invoice (Mexico's Manifestación de Valor, Colombia's DAV,
	// Brazil's DUIMP, Chile's value declaration); nil when not given.
	Valuation *ValuationDeclaration `json:"valuation_declaration,omitempty"`
	// ImportEntry is what the destination's entry asks of the importer
	// beyond the invoice (the US entry: port of entry, manufacturer ID,
	// Chapter 98 claims for returned goods); nil when not given.
	ImportEntry *ImportEntry `json:"import_entry,omitempty"`
	Assets      []string     `json:"assets"`

	Src Source `json:"-"`
}

// Yes and No are the answers of a yes/no field of the plan.
const (
	Yes = "yes"
	No  = "no"
)

// ValuationDeclaration is the data of a value declaration (WTO Valuation
// Agreement Arts. 1.2 and 8): whether buyer and seller are related and, if
// so, whether that influenced the price; the royalties, assists and
// commissions paid by the buyer and not in the price, in the shipment's
// currency (zero: none). A field not given is not declared.
type ValuationDeclaration struct {
	RelatedParty    string              `json:"related_party,omitempty"`
	PriceInfluenced string              `json:"price_influenced,omitempty"`
	Royalties       decimal.NullDecimal `json:"royalties,omitzero"`
	Assists         decimal.NullDecimal `json:"assists,omitzero"`
	Commissions     decimal.NullDecimal `json:"commissions,omitzero"`
	// FallbackReason says why methods 2 to 5 did not apply, for units
	// declared under method 6 (no identical or similar goods sold for
	// export to the country at or about the same time, say).
	FallbackReason string `json:"fallback_reason,omitempty"`
}

// ImportEntry is the data of the destination's import entry that the plan
// gives: the port of entry, the manufacturers' identification codes (the
// US MID of CBP Form 7501) and the tariff claims made for the units (US
// HTSUS 9801.00.10, 9801.00.20, 9802.00.40...).
type ImportEntry struct {
	PortOfEntry     string           `json:"port_of_entry,omitempty"`
	ManufacturerIDs []ManufacturerID `json:"manufacturer_ids,omitempty"`
	Claims          []TariffClaim    `json:"tariff_claims,omitempty"`
	// Chapter99 are the additional-duty provisions the entry reports for
	// units a measure covers (US HTSUS Chapter 99: 9903.88.03 for the
	// Section 301 duty on products of China), or the exclusion relied on.
	Chapter99 []TariffClaim `json:"chapter99,omitempty"`
	// Marking says how the units and their packages are marked with their
	// country of origin (US: 19 CFR Part 134).
	Marking string `json:"marking,omitempty"`
}

// ManufacturerID identifies the manufacturer of the units of Manufacturer
// made in Country (ISO 3166-1 alpha-2, the units' country of origin).
type ManufacturerID struct {
	Manufacturer string `json:"manufacturer"`
	Country      string `json:"country"`
	MID          string `json:"mid"`
}

// TariffClaim is a special tariff provision claimed for some units (all
// of the shipment's when Assets is empty), with the facts it rests on.
type TariffClaim struct {
	Provision string   `json:"provision"`
	Assets    []string `json:"assets,omitempty"`
	Basis     string   `json:"basis,omitempty"`
}

// Acquisition is the country of acquisition: AcquisitionCountry, else Origin.
func (s Shipment) Acquisition() string {
	if s.AcquisitionCountry != "" {
		return s.AcquisitionCountry
	}
	return s.Origin
}

// Provenance is the country of provenance: ProvenanceCountry, else Origin.
func (s Shipment) Provenance() string {
	if s.ProvenanceCountry != "" {
		return s.ProvenanceCountry
	}
	return s.Origin
}

// Plan is the shipment plan of one program.
type Plan struct {
	Program string `json:"program"`
	// Shipments are the plan's shipments in plan order, whole; nil in a
	// plan whose shipments are kept outside the heap (KeepOutside). Code
	// that may be given either reads the plan through Len, Outline and
	// Shipment.
	Shipments []Shipment `json:"shipments"`
	Src       Source     `json:"-"`

	outlines []Outline
	whole    func(i int) (*Shipment, error)
}

// Outline is what the checks across shipments, the dispatching and the
// shard selection read of a shipment; a plan kept outside the heap keeps
// only this of each (about 130 bytes and its asset tags, where a whole
// Shipment is 1 KB of struct before what it points to).
type Outline struct {
	ID                            string
	Direction                     Direction
	Origin, Destination, ShipDate string
	Assets                        []string
	Src                           Source
}

// Outline is the shipment's outline (its asset list shared, not copied).
func (s *Shipment) Outline() Outline {
	return Outline{ID: s.ID, Direction: s.Direction, Origin: s.Origin, Destination: s.Destination,
		ShipDate: s.ShipDate, Assets: s.Assets, Src: s.Src}
}

// Len is the number of shipments.
func (p *Plan) Len() int {
	if p.whole != nil {
		return len(p.outlines)
	}
	return len(p.Shipments)
}

// Outline is shipment i's outline.
func (p *Plan) Outline(i int) Outline {
	if p.whole != nil {
		return p.outlines[i]
	}
	return p.Shipments[i].Outline()
}

// Shipment is shipment i whole: &Shipments[i], or for a plan kept outside
// the heap, the entry read back (a copy: changing it changes nothing).
func (p *Plan) Shipment(i int) (*Shipment, error) {
	if p.whole != nil {
		return p.whole(i)
	}
	return &p.Shipments[i], nil
}

// KeepOutside says that the whole shipments are kept outside the heap and
// read back with whole, the plan keeping their outlines (one a shipment,
// in plan order) instead of Shipments, which it sets to nil.
func (p *Plan) KeepOutside(outlines []Outline, whole func(i int) (*Shipment, error)) {
	p.Shipments, p.outlines, p.whole = nil, outlines, whole
}

// Release lets go of what the plan holds of shipment i but its id,
// destination and source (a dispatched shipment's entry is no longer
// read); Outline(i) then has only those, and Shipment(i) of a plan held
// whole too.
func (p *Plan) Release(i int) {
	if p.whole != nil {
		o := &p.outlines[i]
		*o = Outline{ID: o.ID, Destination: o.Destination, Src: o.Src}
		return
	}
	s := &p.Shipments[i]
	*s = Shipment{ID: s.ID, Destination: s.Destination, Src: s.Src}
}

// Clearance is what the customs authority accepted for a shipment.
type Clearance struct {
	ShipmentID    string          `json:"shipment_id"`
	EntryNumber   string          `json:"entry_number"`
	EntryDate     string          `json:"entry_date"`
	ReleaseDate   string          `json:"release_date"`
	Port          string          `json:"port"`
	Regime        string          `json:"regime,omitempty"`
	ImporterTaxID string          `json:"importer_tax_id,omitempty"`
	Currency      string          `json:"currency"`
	Duties        decimal.Decimal `json:"duties"`
	VAT           decimal.Decimal `json:"vat"`
	Fees          decimal.Decimal `json:"fees"`
	Broker        string          `json:"broker,omitempty"`
	PODReference  string          `json:"pod_reference,omitempty"`
	// Held says the shipment was held at the border before release.
	Held bool `json:"held,omitempty"`
	// Lines are the entry's tariff lines as customs assessed them; optional.
	Lines []ClearanceLine `json:"lines,omitempty"`
	// CustomsValue is the entry's customs value in Currency, on ValueBasis
	// (CIF: freight and insurance to the border included; FOB: not),
	// converted from the shipment's currency at ExchangeRate (units of
	// Currency per unit of the shipment's currency) of ExchangeRateDate.
	CustomsValue     decimal.Decimal `json:"customs_value,omitzero"`
	ValueBasis       string          `json:"value_basis,omitempty"`
	ExchangeRate     decimal.Decimal `json:"exchange_rate,omitzero"`
	ExchangeRateDate string          `json:"exchange_rate_date,omitempty"`
	// Taxes are the duties, taxes and fees paid, each by its national name
	// (BR II, IPI, PIS/COFINS-Importação, ICMS, Taxa Siscomex; MX IGI, DTA,
	// IVA, PRV); they add up to Duties + VAT + Fees.
	Taxes []Tax `json:"taxes,omitempty"`

	Src Source `json:"-"`
}

// Tax is one duty, tax or fee of an entry under its national name.
type Tax struct {
	Name   string          `json:"name"`
	Amount decimal.Decimal `json:"amount"`
}

// ClearanceLine is one tariff line of a customs entry: what was declared
// under one national tariff line and what it paid.
type ClearanceLine struct {
	// TariffLine is the national tariff line (HS digits, no dots needed).
	TariffLine string `json:"tariff_line"`
	// Assets are the tags of the units the line covers; Description is used
	// when the entry does not say which units.
	Assets       []string        `json:"assets,omitempty"`
	Description  string          `json:"description,omitempty"`
	CustomsValue decimal.Decimal `json:"customs_value"`
	// DutyRate is the ad valorem duty rate in percent (16 for 16%).
	DutyRate decimal.Decimal `json:"duty_rate"`
	Duty     decimal.Decimal `json:"duty"`
	VAT      decimal.Decimal `json:"vat"`
	// Src is the line's place in the clearance file.
	Src Source `json:"-"`
}

// Total is duties, VAT and fees together.
func (c Clearance) Total() decimal.Decimal { return c.Duties.Add(c.VAT).Add(c.Fees) }

// Invoice extras a destination's profile may ask the commercial invoice to
// print (DocExtras.InvoiceExtras).
const (
	ExtraAcquisitionCountry = "acquisition_country"
	ExtraProvenanceCountry  = "provenance_country"
	ExtraPackageMarks       = "package_marks"
)

// DocExtras is what a shipment's destination rules add to its documents'
// content: package rules decide them (rules.Report.Extras), renderers print
// them (renderers.Pack.Extras).
type DocExtras struct {
	// InvoiceExtras lists Extra* fields the commercial invoice must print.
	InvoiceExtras []string `json:"invoice_extras,omitempty"`
	// SwornNotWaste asks the condition declaration for a sworn statement,
	// signed by the declarant by name and position, that the goods are not
	// waste (Argentina, Decreto 273/2025).
	SwornNotWaste bool `json:"sworn_not_waste,omitempty"`
	// ExportControl is set where an export-control regime applies to the
	// shipment (a US export, or a re-export of US-origin units): the
	// invoice prints each line's classification and licence basis, and the
	// statement when it is not empty.
	ExportControl *ExportControlText `json:"export_control,omitempty"`
	// ExportLines are the units' export classification codes at origin (the
	// US Schedule B number), by asset tag, in ExportNomenclature; the origin
	// specification list prints them.
	ExportLines        map[string]string `json:"export_lines,omitempty"`
	ExportNomenclature string            `json:"export_nomenclature,omitempty"`
	// TaxIDNames name each party country's tax identifier ("BR": "CNPJ"),
	// so a party's number is labelled by its own country.
	TaxIDNames map[string]string `json:"tax_id_names,omitempty"`
	// PermitNames are the official names of the shipment's permit types
	// (Permit.Type → name), from the destination's profile.
	PermitNames map[string]string `json:"permit_names,omitempty"`
	// ValuationDeclaration is the official name of the destination's value
	// declaration (Mexico's Manifestación de Valor) whose data the invoice
	// prints; "" when the destination files none.
	ValuationDeclaration string `json:"valuation_declaration,omitempty"`
	// Chapter99 names the additional-duty provisions of the destination
	// the invoice prints (heading → "Section 301 (China), List 3: + 25 %").
	Chapter99 map[string]string `json:"chapter99,omitempty"`
	// FreightToBorder is the freight to the border estimated from the
	// destination's border share where the plan gives none: the share of
	// the freight (0.30) and the border crossing it runs to.
	FreightToBorder         decimal.Decimal `json:"freight_to_border,omitzero"`
	FreightToBorderShare    decimal.Decimal `json:"freight_to_border_share,omitzero"`
	FreightToBorderCrossing string          `json:"freight_to_border_crossing,omitempty"`
}

// ExportControlText is what an export-control regime prints on the invoice.
type ExportControlText struct {
	Regime        string `json:"regime"`
	StatementName string `json:"statement_name,omitempty"`
	Statement     string `json:"statement,omitempty"`
	Source        string `json:"source"`
}

// Categories lists the asset categories an inventory may use.
func Categories() []string {
	return []string{"server", "storage", "network-switch", "power-supply", "part"}
}

// MinorUnits is the number of decimals an amount in an ISO 4217 currency
// has, as biter777/countries lists them (2 when the code is unknown or has
// none listed). Documents print amounts with exactly this many, and ingest
// refuses an amount that would lose a digit to it.
func MinorUnits(currency string) int32 {
	c := countries.CurrencyCodeByName(currency)
	if !c.IsValid() {
		return 2
	}
	d := c.Digits()
	if d < 0 {
		return 2
	}
	return int32(d)
}

// Dates clearpack accepts are within FirstDate and LastDate (inclusive).
// A date outside is a typing error, and a ship date far ahead would lock
// the archived pack for ever (9999-12-31 plus the retention years). A fixed
// window keeps the checks the same on any day.
const (
	FirstDate = "1990-01-01"
	LastDate  = "2099-12-31"
)

// Date parses a YYYY-MM-DD date; the zero time for "".
func Date(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.DateOnly, s)
}

// DocKind names a document kind. It is also the document's file name stem in
// the archive.
type DocKind string

const (
	CommercialInvoice    DocKind = "commercial-invoice"
	PackingList          DocKind = "packing-list"
	ConditionDeclaration DocKind = "condition-declaration"
	// SpecListOrigin is the equipment specification list addressed to the
	// origin export authority; SpecListDestination to the destination import
	// authority.
	SpecListOrigin      DocKind = "spec-list-origin"
	SpecListDestination DocKind = "spec-list-destination"
	PostClearance       DocKind = "post-clearance"
	ComplianceSummary   DocKind = "compliance-summary"
)

// CheckStatus is the outcome of one compliance check.
type CheckStatus string

const (
	Pass CheckStatus = "pass"
	Warn CheckStatus = "warn"
	Fail CheckStatus = "fail"
)

// CheckResult is one rule checked against one shipment.
type CheckResult struct {
	Rule   string      `json:"rule"`
	Status CheckStatus `json:"status"`
	// Source is the legal or data source of the rule ("Circular 31/2015/TT-BTTTT").
	Source string `json:"source,omitempty"`
	// Detail says what was found and what was expected, naming the file,
	// line and field where the fault is in the input.
	Detail string `json:"detail,omitempty"`
}
