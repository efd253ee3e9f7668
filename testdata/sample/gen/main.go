// Command gen writes the sample program of testdata/sample (inventory.csv,
// plan.yaml, clearances.yaml) deterministically: the same files on every run,
// with no clock and a fixed random seed.
//
//	go run ./testdata/sample/gen -out testdata/sample
//
// It also checks the invariants the sample promises (every tag exists, each
// unit on at most one shipment, packages hold exactly the shipment's units,
// gross >= net, ages, values) and refuses to write when one is broken.
package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"

	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/clearpack/clearpack/pipeline/rules"
)

const program = "APAC-LATAM Server Refresh 2026"

// Dec is a decimal written as a plain YAML number ("1234.50"), never quoted
// and never with an exponent.
type Dec struct{ decimal.Decimal }

// MarshalYAML writes the decimal as a plain scalar with two decimals.
func (d Dec) MarshalYAML() (any, error) {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: d.StringFixed(2)}, nil
}

// DecInt is a decimal written without decimals (VND, CLP and the like).
type DecInt struct{ decimal.Decimal }

// MarshalYAML writes the decimal as a plain integer scalar.
func (d DecInt) MarshalYAML() (any, error) {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: d.StringFixed(0)}, nil
}

// Declarant is model.Declarant as written in the plan.
type Declarant struct {
	Name     string `yaml:"name"`
	Position string `yaml:"position"`
}

// Permit is model.Permit as written in the plan.
type Permit struct {
	Type       string `yaml:"type"`
	Number     string `yaml:"number"`
	IssuedBy   string `yaml:"issued_by,omitempty"`
	IssuedOn   string `yaml:"issued_on,omitempty"`
	ValidUntil string `yaml:"valid_until,omitempty"`
}

// Filing is model.Filing as written in the plan.
type Filing struct {
	Type     string `yaml:"type"`
	Number   string `yaml:"number"`
	Date     string `yaml:"date,omitempty"`
	IssuedBy string `yaml:"issued_by,omitempty"`
}

// exchangeRate is model.ExchangeRate as written in the plan.
type exchangeRate struct {
	Currency string `yaml:"currency"`
	Rate     Dec    `yaml:"rate"`
	Date     string `yaml:"date"`
	Source   string `yaml:"source,omitempty"`
}

type incoterms struct {
	Rule  string `yaml:"rule"`
	Place string `yaml:"place"`
}

type transport struct {
	Mode      string `yaml:"mode"`
	Route     string `yaml:"route"`
	Carrier   string `yaml:"carrier,omitempty"`
	Reference string `yaml:"reference,omitempty"`
}

type parties struct {
	Exporter         Party  `yaml:"exporter"`
	ExporterOfRecord Party  `yaml:"exporter_of_record"`
	ImporterOfRecord Party  `yaml:"importer_of_record"`
	Consignee        Party  `yaml:"consignee"`
	Broker           *Party `yaml:"broker,omitempty"`
}

type pkg struct {
	ID            string   `yaml:"id"`
	Type          string   `yaml:"type"`
	Marks         string   `yaml:"marks,omitempty"`
	LengthCm      Dec      `yaml:"length_cm"`
	WidthCm       Dec      `yaml:"width_cm"`
	HeightCm      Dec      `yaml:"height_cm"`
	GrossWeightKg Dec      `yaml:"gross_weight_kg"`
	Assets        []string `yaml:"assets,flow"`
}

type shipment struct {
	ID            string         `yaml:"id"`
	Direction     string         `yaml:"direction"`
	Origin        string         `yaml:"origin"`
	Destination   string         `yaml:"destination"`
	Reason        string         `yaml:"reason"`
	Incoterms     incoterms      `yaml:"incoterms"`
	Currency      string         `yaml:"currency"`
	PaymentTerms  string         `yaml:"payment_terms,omitempty"`
	InvoiceNumber string         `yaml:"invoice_number,omitempty"`
	InvoiceDate   string         `yaml:"invoice_date,omitempty"`
	ShipDate      string         `yaml:"ship_date"`
	Transport     transport      `yaml:"transport"`
	Parties       parties        `yaml:"parties"`
	Declarant     Declarant      `yaml:"declarant"`
	Freight       Dec            `yaml:"freight"`
	FreightToPort Dec            `yaml:"freight_to_border,omitempty"`
	Insurance     Dec            `yaml:"insurance"`
	Packing       Dec            `yaml:"packing"`
	Packages      []pkg          `yaml:"packages,omitempty"`
	Permits       []Permit       `yaml:"permits,omitempty"`
	ExportFilings []Filing       `yaml:"export_filings,omitempty"`
	ExchangeRates []exchangeRate `yaml:"exchange_rates,omitempty"`
	SpecList      bool           `yaml:"spec_list_requested,omitempty"`
	Valuation     *valuation     `yaml:"valuation_declaration,omitempty"`
	ImportEntry   *importEntry   `yaml:"import_entry,omitempty"`
	Assets        []string       `yaml:"assets,flow"`
}

type planFile struct {
	Program   string     `yaml:"program"`
	Shipments []shipment `yaml:"shipments"`
}

type clearance struct {
	ShipmentID    string `yaml:"shipment_id"`
	EntryNumber   string `yaml:"entry_number"`
	EntryDate     string `yaml:"entry_date"`
	ReleaseDate   string `yaml:"release_date"`
	Port          string `yaml:"port"`
	Regime        string `yaml:"regime,omitempty"`
	ImporterTaxID string `yaml:"importer_tax_id,omitempty"`
	Currency      string `yaml:"currency"`
	Duties        any    `yaml:"duties"`
	VAT           any    `yaml:"vat"`
	Fees          any    `yaml:"fees"`
	Broker        string `yaml:"broker,omitempty"`
	PODReference  string `yaml:"pod_reference,omitempty"`
	Held          bool   `yaml:"held"`
	CustomsValue  any    `yaml:"customs_value,omitempty"`
	ValueBasis    string `yaml:"value_basis,omitempty"`
	ExchangeRate  string `yaml:"exchange_rate,omitempty"`
	RateDate      string `yaml:"exchange_rate_date,omitempty"`
	Taxes         []tax  `yaml:"taxes,omitempty"`
}

// tax is one duty, tax or fee of an entry under its national name.
type tax struct {
	Name   string `yaml:"name"`
	Amount any    `yaml:"amount"`
}

type clearancesFile struct {
	Clearances []clearance `yaml:"clearances"`
}

// asset is one inventory row.
type asset struct {
	Tag, Serial                                      string
	Spec                                             spec
	Condition, Grade, GradingStandard, TestResult    string
	TestedBy, TestedOn, Refurbisher                  string
	Year                                             int
	Storage                                          string
	HS                                               string
	UnitValue                                        decimal.Decimal
	Currency                                         string
	ValuationMethod                                  int
	OriginalCost                                     decimal.Decimal
	DepreciationBasis                                string
	SanMethod, SanDate, SanOperator, SanVerification string
}

func main() {
	out := flag.String("out", "testdata/sample", "directory to write inventory.csv, plan.yaml and clearances.yaml into")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	files, err := generate()
	if err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := os.WriteFile(filepath.Join(dir, name), files[name], 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
	}
	fmt.Printf("wrote %s into %s\n", strings.Join(slices.Sorted(maps.Keys(files)), ", "), dir)
	return nil
}

// generate builds and checks the program and returns the files by name.
func generate() (map[string][]byte, error) {
	g, err := newGen()
	if err != nil {
		return nil, fmt.Errorf("loading the rules: %w", err)
	}
	plan, err := g.build()
	if err != nil {
		return nil, fmt.Errorf("building program: %w", err)
	}
	if err := g.check(plan); err != nil {
		return nil, fmt.Errorf("checking program: %w", err)
	}
	inv, err := g.inventoryCSV()
	if err != nil {
		return nil, fmt.Errorf("writing inventory: %w", err)
	}
	planYAML, err := encodeYAML(plan, planHeader)
	if err != nil {
		return nil, fmt.Errorf("encoding plan: %w", err)
	}
	clrYAML, err := encodeYAML(clearancesFile{Clearances: g.clearances}, clearancesHeader)
	if err != nil {
		return nil, fmt.Errorf("encoding clearances: %w", err)
	}
	return map[string][]byte{"inventory.csv": inv, "plan.yaml": planYAML, "clearances.yaml": clrYAML}, nil
}

const planHeader = `Shipment plan of the sample program (see README.md). Generated by
testdata/sample/gen: edit the generator, not this file.
APL26-BR-03 is deliberately incomplete (no Brazilian LI): it must be held.`

const clearancesHeader = `Clearance records of the sample program: what customs accepted for the
shipments that have cleared. Amounts in the local currency. Generated by
testdata/sample/gen.`

func encodeYAML(v any, head string) ([]byte, error) {
	var n yaml.Node
	if err := n.Encode(v); err != nil {
		return nil, err
	}
	n.HeadComment = head
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type gen struct {
	rng        *rand.Rand
	specs      map[string]spec
	hs         map[string]map[string]string
	sites      map[string]site
	assets     []*asset
	serials    map[string]bool
	counters   map[string]int
	awbSerial  int
	clearances []clearance
	// shipped maps asset tag to the shipment it is on.
	shipped map[string]string
	// book is clearpack's rule data (the border freight shares).
	book *rules.Book
}

func newGen() (*gen, error) {
	book, err := rules.Load("")
	if err != nil {
		return nil, err
	}
	return &gen{
		book:      book,
		rng:       rand.New(rand.NewPCG(2026, 20)),
		specs:     specTable(),
		hs:        nationalHSTable(),
		sites:     sites(),
		serials:   map[string]bool{},
		counters:  map[string]int{},
		awbSerial: 4118203,
		shipped:   map[string]string{},
	}, nil
}

// usdRate is the illustrative exchange rate per USD used to state values in
// other currencies (a fixed table, so the files never change).
func usdRate() map[string]decimal.Decimal {
	return map[string]decimal.Decimal{
		"USD": d("1"), "BRL": d("5.40"), "MXN": d("18.50"), "SGD": d("1.34"), "VND": d("25400"),
		"IDR": d("16300"), "THB": d("34.00"), "MYR": d("4.45"), "PHP": d("57.50"), "COP": d("4150"), "CLP": d("940"),
	}
}

func date(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

func day(t time.Time) string { return t.Format(time.DateOnly) }

// valuation is the plan's value-declaration data.
type valuation struct {
	RelatedParty    string `yaml:"related_party,omitempty"`
	PriceInfluenced string `yaml:"price_influenced,omitempty"`
	// Royalties, Assists and Commissions are amounts as written ("0.00":
	// none paid); a Dec of zero would be left out as empty.
	Royalties      string `yaml:"royalties,omitempty"`
	Assists        string `yaml:"assists,omitempty"`
	Commissions    string `yaml:"commissions,omitempty"`
	FallbackReason string `yaml:"fallback_reason,omitempty"`
}

// valuationFor is the value-declaration data of a shipment: what Mexico,
// Colombia, Brazil and Chile ask (related party, royalties, assists,
// commissions: none paid in this program) and, where units are declared
// under method 6, why methods 2 and 3 did not apply.
func valuationFor(sd shipDef, dest string, units []*asset) *valuation {
	var v valuation
	switch dest {
	case "MX", "CO", "BR", "CL":
		v.RelatedParty, v.PriceInfluenced = "no", "no"
		if sd.Reason == "intra-company transfer" {
			v.RelatedParty = "yes"
		}
		v.Royalties, v.Assists, v.Commissions = "0.00", "0.00", "0.00"
	}
	if slices.ContainsFunc(units, func(a *asset) bool { return a.ValuationMethod == 6 }) {
		v.FallbackReason = "No sale: no transaction value (method 1). No sales of identical or similar refurbished units of the same model and grade for export to " +
			dest + " at or about the same time (methods 2, 3); no resale in " + dest + " (method 4) and no production cost data (method 5): " +
			"declared under method 6 at the depreciated original cost (the basis shown per unit)."
	}
	if v == (valuation{}) {
		return nil
	}
	return &v
}

// importEntry is what the US entry asks of a return: the port of entry,
// the manufacturers' IDs, the Section 301 line of Chinese-origin servers
// and how the units are marked with their origin. The retired units were
// never imported into the US, so no Chapter 98 claim is made for them.
type importEntry struct {
	PortOfEntry     string      `yaml:"port_of_entry"`
	ManufacturerIDs []mid       `yaml:"manufacturer_ids"`
	Chapter99       []chapter99 `yaml:"chapter99,omitempty"`
	Marking         string      `yaml:"marking,omitempty"`
}

type chapter99 struct {
	Provision string   `yaml:"provision"`
	Assets    []string `yaml:"assets,flow"`
	Basis     string   `yaml:"basis"`
}

// originNames are the English country names package marks use (19 CFR
// 134.45), in the capitals carriers want.
var originNames = map[string]string{"CN": "CHINA", "CZ": "CZECHIA", "MX": "MEXICO", "US": "UNITED STATES", "TW": "TAIWAN", "MY": "MALAYSIA", "SG": "SINGAPORE", "TH": "THAILAND"}

type mid struct {
	Manufacturer string `yaml:"manufacturer"`
	Country      string `yaml:"country"`
	MID          string `yaml:"mid"`
}

// ports of entry of the US returns, with their CBP port codes; mids are
// made-up manufacturer IDs in CBP's shape (country, name, street number,
// city).
var (
	ports = map[string]string{"road": "Laredo, TX (2304)", "air": "Dallas/Fort Worth International Airport, TX (5501)"}
	mids  = map[string]string{"HPE|CZ": "CZHEWPAC1350KUT", "Dell|CN": "CNDELPRO88XIA"}
)

func entryFor(sd shipDef, dest string, units []*asset) (*importEntry, error) {
	if dest != "US" {
		return nil, nil
	}
	e := &importEntry{PortOfEntry: ports[sd.Mode]}
	if e.PortOfEntry == "" {
		return nil, fmt.Errorf("no US port of entry for mode %s", sd.Mode)
	}
	for _, a := range units {
		if a.Spec.Origin == "US" || slices.ContainsFunc(e.ManufacturerIDs, func(m mid) bool { return m.Manufacturer == a.Spec.Manufacturer && m.Country == a.Spec.Origin }) {
			continue
		}
		id, ok := mids[a.Spec.Manufacturer+"|"+a.Spec.Origin]
		if !ok {
			return nil, fmt.Errorf("no manufacturer ID for %s made in %s", a.Spec.Manufacturer, a.Spec.Origin)
		}
		e.ManufacturerIDs = append(e.ManufacturerIDs, mid{a.Spec.Manufacturer, a.Spec.Origin, id})
	}
	// Servers made in China are on the Section 301 list (9903.88.03,
	// templates/countries/US.yaml); no exclusion covers them.
	var cn []string
	for _, a := range units {
		if a.Spec.Origin == "CN" && strings.HasPrefix(a.HS, "847150") {
			cn = append(cn, a.Tag)
		}
	}
	if len(cn) > 0 {
		e.Chapter99 = append(e.Chapter99, chapter99{Provision: "9903.88.03", Assets: cn,
			Basis: "products of China under 8471.50 (processing units): Section 301 duty of 25 % on the entered value; no product exclusion covers them and no Chapter 98 claim applies (never imported into the US before)"})
	}
	e.Marking = "each unit bears its manufacturer's permanent rating label naming its country of origin (\"Made in ...\") on the chassis; each pallet is marked \"MADE IN\" with the countries of origin of the units on it"
	return e, nil
}

func (g *gen) build() (*planFile, error) {
	plan := &planFile{Program: program}
	rates := usdRate()
	for _, sd := range shipDefs() {
		exp, ok := g.sites[sd.Exporter]
		if !ok {
			return nil, fmt.Errorf("%s: unknown exporter site %q", sd.ID, sd.Exporter)
		}
		imp, ok := g.sites[sd.Importer]
		if !ok {
			return nil, fmt.Errorf("%s: unknown importer site %q", sd.ID, sd.Importer)
		}
		cons := imp
		if sd.Consignee != "" {
			if cons, ok = g.sites[sd.Consignee]; !ok {
				return nil, fmt.Errorf("%s: unknown consignee site %q", sd.ID, sd.Consignee)
			}
		}
		ship, err := date(sd.ShipDate)
		if err != nil {
			return nil, fmt.Errorf("%s: ship date: %w", sd.ID, err)
		}
		rate, ok := rates[sd.Currency]
		if !ok {
			return nil, fmt.Errorf("%s: no rate for %s", sd.ID, sd.Currency)
		}
		s := shipment{
			ID: sd.ID, Direction: sd.Direction, Origin: exp.Country, Destination: imp.Country, Reason: sd.Reason,
			Incoterms: incoterms{Rule: sd.Rule, Place: placeFor(sd, exp, cons)},
			Currency:  sd.Currency, PaymentTerms: sd.Payment, InvoiceNumber: sd.Invoice, InvoiceDate: sd.InvoiceDate,
			ShipDate:  sd.ShipDate,
			Transport: transport{Mode: sd.Mode, Route: sd.Route, Carrier: sd.Carrier, Reference: sd.Reference},
			Parties: parties{
				Exporter: exp.Party, ExporterOfRecord: exp.Party, ImporterOfRecord: imp.Party, Consignee: cons.Party,
			},
			Declarant:     exp.Declarant,
			Permits:       sd.Permits,
			SpecList:      sd.SpecList,
			ExportFilings: sd.Filings,
		}
		if sd.Currency != "USD" {
			// The rate the values were converted at, so that rules with
			// conditions in US dollars (Brazil's NCM 8471.50.10) can be
			// checked.
			s.ExchangeRates = []exchangeRate{{Currency: "USD", Rate: Dec{rate}, Date: sd.InvoiceDate,
				Source: "illustrative fixed rate of the sample program"}}
		}
		if sd.AWBPrefix != "" {
			s.Transport.Reference = g.awb(sd.AWBPrefix)
		}
		broker := imp.Broker
		s.Parties.Broker = &broker
		var units []*asset
		for _, l := range sd.Lines {
			for range l.Qty {
				a, err := g.newAsset(l, sd, imp.Country, ship)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", sd.ID, err)
				}
				if sd.Currency != "USD" {
					a.UnitValue = a.UnitValue.Mul(rate).Round(2)
					a.OriginalCost = a.OriginalCost.Mul(rate).Round(2)
					a.Currency = sd.Currency
				}
				units = append(units, a)
				g.shipped[a.Tag] = sd.ID
				s.Assets = append(s.Assets, a.Tag)
			}
		}
		s.Valuation = valuationFor(sd, imp.Country, units)
		if s.ImportEntry, err = entryFor(sd, imp.Country, units); err != nil {
			return nil, fmt.Errorf("%s: %w", sd.ID, err)
		}
		s.Packages = g.pack(sd, s, cons, units)
		freightUSD := g.freightUSD(sd, s.Packages)
		packingUSD := decimal.Zero
		for _, p := range s.Packages {
			if p.Type == "pallet" {
				packingUSD = packingUSD.Add(d("48.00"))
			} else {
				packingUSD = packingUSD.Add(d("6.50"))
			}
		}
		goods := decimal.Zero
		for _, a := range units {
			goods = goods.Add(a.UnitValue)
		}
		s.Freight = Dec{freightUSD.Mul(rate).Round(2)}
		s.Packing = Dec{packingUSD.Mul(rate).Round(2)}
		// Cargo insurance: 0.35% of 110% of goods plus freight.
		s.Insurance = Dec{goods.Add(s.Freight.Decimal).Mul(d("1.10")).Mul(d("0.0035")).Round(2)}
		// What carriage costs to the place of import, whoever pays it: the
		// customs value of a CIF country includes it.
		carriage := s.Freight.Decimal.Add(s.Insurance.Decimal)
		// A sea or air delivery to an inland place: the carrier's invoice
		// splits the freight at the port or airport of import, and the
		// customs value takes the part to it.
		if sd.OnCarriageUSD != "" {
			s.FreightToPort = Dec{s.Freight.Decimal.Sub(d(sd.OnCarriageUSD).Mul(rate).Round(2))}
			carriage = s.FreightToPort.Decimal.Add(s.Insurance.Decimal)
		}
		// A road delivery to an inland place: the customs value takes the
		// freight to the border only. The plan states no split: clearpack
		// estimates it from the destination profile's border share
		// (templates/countries, border_freight), and so does the clearance.
		if fb, ok := g.book.FreightToBorder(&model.Shipment{Origin: s.Origin, Destination: s.Destination, Currency: s.Currency,
			Incoterms: model.Incoterms{Rule: s.Incoterms.Rule, Place: s.Incoterms.Place}, Transport: model.Transport{Mode: sd.Mode},
			Freight: s.Freight.Decimal}); ok {
			carriage = fb.Add(s.Insurance.Decimal)
		}
		if sd.Rule == "FCA" || sd.Rule == "EXW" {
			// Main carriage after delivery is the buyer's: not on the
			// seller's invoice.
			s.Freight, s.Insurance = Dec{decimal.Zero}, Dec{decimal.Zero}
		}
		plan.Shipments = append(plan.Shipments, s)
		if sd.Clearance != nil {
			c, err := g.clear(sd, s, imp, goods, carriage, ship)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", sd.ID, err)
			}
			g.clearances = append(g.clearances, c)
		}
	}
	for _, l := range spares() {
		for range l.Qty {
			if _, err := g.newAsset(l, shipDef{ID: "spare", ShipDate: "2026-01-15", Exporter: "SG"}, "SG", time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)); err != nil {
				return nil, fmt.Errorf("spares: %w", err)
			}
		}
	}
	return plan, nil
}

func placeFor(sd shipDef, exp, cons site) string {
	if sd.Rule == "FCA" {
		// Returns: handed to the carrier at the exporter's gateway, or
		// loaded on the carrier's truck at the exporter's premises.
		if sd.Mode == "road" {
			return exp.Place + ", " + countryName(exp.Country) + " (seller's premises)"
		}
		return exp.Gateway + " airport cargo terminal, " + countryName(exp.Country)
	}
	if sd.Rule == "CIP" {
		// Carriage paid to the place of arrival: the airport for an air
		// move, the port of discharge for a sea move.
		if sd.Mode == "sea" {
			_, pod, _ := strings.Cut(sd.Route, "-")
			return seaports()[pod] + " (" + pod + "), " + countryName(cons.Country)
		}
		return cons.Gateway + " airport, " + countryName(cons.Country)
	}
	return cons.Place
}

// seaports names the ports of discharge of the sample's sea routes
// (UN/LOCODE).
func seaports() map[string]string { return map[string]string{"BRSSZ": "Port of Santos"} }

func countryName(c string) string {
	return map[string]string{"VN": "Viet Nam", "ID": "Indonesia", "TH": "Thailand", "MY": "Malaysia", "PH": "Philippines",
		"BR": "Brasil", "MX": "México", "CO": "Colombia", "CL": "Chile", "SG": "Singapore", "US": "United States"}[c]
}

const serialChars = "0123456789BCDFGHJKLMNPQRSTVWXYZ"

func (g *gen) randChars(n int, alphabet string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.rng.IntN(len(alphabet))]
	}
	return string(b)
}

func (g *gen) serial(sp spec, year int) string {
	for {
		var s string
		switch sp.Serial {
		case dellServiceTag:
			s = g.randChars(7, serialChars)
		case hpeSerial:
			s = fmt.Sprintf("CZJ%d%02d%s", year%10, 1+g.rng.IntN(52), g.randChars(4, serialChars))
		case ciscoSerial:
			s = fmt.Sprintf("FOC%02d%02d%s", year%100, 1+g.rng.IntN(52), g.randChars(4, serialChars))
		default:
			s = "CN0" + g.randChars(5, serialChars) + "-" + g.randChars(8, serialChars)
		}
		if !g.serials[s] {
			g.serials[s] = true
			return s
		}
	}
}

func (g *gen) tag(category string) string {
	prefix := map[string]string{"server": "SRV", "storage": "STO", "network-switch": "NET", "power-supply": "PSU", "part": "PRT"}[category]
	g.counters[prefix]++
	return fmt.Sprintf("MC-%s-%05d", prefix, g.counters[prefix])
}

// awb returns an IATA air waybill number: prefix, 7-digit serial and its
// modulus-7 check digit.
func (g *gen) awb(prefix string) string {
	g.awbSerial += 1 + g.rng.IntN(9000)
	s := g.awbSerial % 10000000
	return fmt.Sprintf("%s-%07d%d", prefix, s, s%7)
}

// secondHandYears is the manufacturing year range per model of the units
// that come back or go out refurbished.
func secondHandYears() map[string][2]int {
	return map[string][2]int{
		"R640": {2018, 2019}, "R740": {2018, 2018}, "R740xd": {2019, 2019}, "DL360G10": {2018, 2019}, "DL380G10": {2019, 2020},
	}
}

func (g *gen) newAsset(l line, sd shipDef, importCountry string, ship time.Time) (*asset, error) {
	sp, ok := g.specs[l.Model]
	if !ok {
		return nil, fmt.Errorf("unknown model %q", l.Model)
	}
	hs, ok := g.hs[sp.HS6][importCountry]
	if !ok {
		return nil, fmt.Errorf("no national tariff line for %s in %s", sp.HS6, importCountry)
	}
	a := &asset{Spec: sp, Condition: l.Condition, HS: hs, Storage: sp.Storage, Currency: "USD", ValuationMethod: 1}
	a.Tag = g.tag(sp.Category)
	switch l.Condition {
	case "new":
		a.Year = 2025
		a.UnitValue = sp.NewValue
	case "refurbished", "used":
		yr, ok := secondHandYears()[sp.Key]
		if !ok {
			return nil, fmt.Errorf("model %s has no second-hand years", sp.Key)
		}
		a.Year = yr[0] + g.rng.IntN(yr[1]-yr[0]+1)
		purchase := time.Date(a.Year, time.Month(2+g.rng.IntN(10)), 1, 0, 0, 0, 0, time.UTC)
		a.OriginalCost = sp.OrigCost
		a.Grade = l.Grade
		a.TestResult = "pass"
		if err := g.secondHand(a, sd, ship, purchase); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown condition %q", l.Condition)
	}
	// Brazil's NCM splits 8471.50 by FOB value per unit: 8471.50.10 up to
	// US$12,500, 8471.50.90 above (templates/countries/BR.yaml).
	if importCountry == "BR" && sp.HS6 == "847150" && a.UnitValue.GreaterThan(d("12500")) {
		a.HS = "84715090"
	}
	a.Serial = g.serial(sp, a.Year)
	g.assets = append(g.assets, a)
	return a, nil
}

// secondHand fills grading, testing, sanitisation and valuation of a
// refurbished or used unit.
func (g *gen) secondHand(a *asset, sd shipDef, ship, purchase time.Time) error {
	us := sd.Exporter == "US" || sd.Importer == "US-REFURB"
	refurbisher := "Meridian Compute Refurbishment Centre, Singapore (R2v3)"
	tester, sanitiser, certPrefix := "Lim Jun Hao", "Priya Raman", "SG"
	if us {
		refurbisher = "Meridian Compute ITAD Center, Round Rock TX (R2v3)"
		tester, sanitiser, certPrefix = "Carlos Mendoza", "Daniel Ortiz", "TX"
	}
	value := func() {
		// Straight-line over 60 months from purchase to a 25% residual.
		months := (ship.Year()-purchase.Year())*12 + int(ship.Month()) - int(purchase.Month())
		months = min(max(months, 0), 60)
		f := d("1").Sub(d("0.75").Mul(decimal.NewFromInt(int64(months))).Div(d("60")))
		a.UnitValue = a.OriginalCost.Mul(f).Round(2)
		a.ValuationMethod = 6
		a.DepreciationBasis = fmt.Sprintf("straight-line 5 years from %s, 25%% residual", purchase.Format("2006-01"))
	}
	switch a.Condition {
	case "refurbished":
		a.GradingStandard = "R2v3 / internal Grade " + a.Grade
		a.Refurbisher = refurbisher
		a.TestedBy = tester
		a.TestedOn = day(ship.AddDate(0, 0, -14))
		a.SanDate = day(ship.AddDate(0, 0, -21))
		a.SanOperator = sanitiser
		switch sd.Reason {
		case "redeployment":
			value()
		case "sale", "intra-company transfer", "":
			a.UnitValue = a.Spec.RefurbPrice
			a.ValuationMethod = 1
		default:
			return fmt.Errorf("no value basis for a refurbished unit shipped for %q", sd.Reason)
		}
	case "used":
		// Retired at the customer site, going back for refurbishment.
		a.GradingStandard = "R2v3 / internal Grade C (as-is, pending refurbishment)"
		a.Refurbisher = refurbisher
		local := map[string][2]string{
			"VN": {"Phạm Đức Anh", "Phạm Đức Anh"}, "ID": {"Agus Setiawan", "Agus Setiawan"},
			"MX": {"Luis Enrique Cárdenas", "Luis Enrique Cárdenas"}, "BR": {"Ana Paula Ribeiro", "Ana Paula Ribeiro"},
		}[sd.Exporter]
		if local[0] == "" {
			return fmt.Errorf("no local operator for returns from %s", sd.Exporter)
		}
		a.TestedBy, a.SanOperator = local[0]+" (power-on self-test and diagnostics)", local[1]
		a.TestedOn = day(ship.AddDate(0, 0, -5))
		a.SanDate = day(ship.AddDate(0, 0, -9))
		certPrefix = sd.Exporter
		value()
	}
	a.SanMethod, a.SanVerification = sanitisation(a, sd)
	a.SanVerification = fmt.Sprintf(a.SanVerification, fmt.Sprintf("SAN-%s-26-%05d", certPrefix, 1000+g.rng.IntN(9000)))
	if a.SanMethod == "destroy" {
		a.Storage = "none: drives removed and shredded on site before shipment (see sanitisation record)"
	}
	return nil
}

// sanitisation chooses the NIST SP 800-88 method per unit: cryptographic
// erase (purge) where every drive is self-encrypting, block erase (purge) for
// SSDs, overwrite (clear) for spinning disks, and destruction where the
// customer's policy keeps no drive (Brazil returns).
func sanitisation(a *asset, sd shipDef) (method, verification string) {
	switch {
	case sd.Exporter == "BR" && sd.Direction == "return":
		return "destroy", "drives shredded (2 mm), certificate %s lists each drive serial"
	case a.Spec.Encryption == "SED":
		return "purge", "cryptographic erase of every SED, verified by read-back, report %s"
	case strings.Contains(a.Spec.Storage, "HDD"):
		return "clear", "HDD overwrite plus SSD block erase, verified, report %s"
	case strings.Contains(a.Spec.Storage, "SSD"):
		return "purge", "SSD block erase, verified by read-back, report %s"
	default:
		return "clear", "overwrite with verification pass, report %s"
	}
}

// pack puts the units on pallets (servers, storage, switches) or in cartons
// (power supplies, parts), one class per package.
func (g *gen) pack(sd shipDef, s shipment, cons site, units []*asset) []pkg {
	type class struct {
		perPkg  int
		layerCm string
		typ     string
	}
	classes := map[packClass]class{
		pack1U: {5, "24", "pallet"}, pack2U: {4, "31", "pallet"}, packStorage: {2, "40", "pallet"},
		packSwitch: {6, "16", "pallet"}, packSmall: {8, "", "carton"},
	}
	var groups [][]*asset
	var cur []*asset
	for i, a := range units {
		if i > 0 && (units[i-1].Spec.Pack != a.Spec.Pack || len(cur) == classes[a.Spec.Pack].perPkg) {
			groups = append(groups, cur)
			cur = nil
		}
		cur = append(cur, a)
	}
	if len(cur) > 0 {
		groups = append(groups, cur)
	}
	var pkgs []pkg
	for i, grp := range groups {
		c := classes[grp[0].Spec.Pack]
		p := pkg{ID: fmt.Sprintf("%s-P%02d", s.ID, i+1), Type: c.typ}
		gross := decimal.Zero
		for _, a := range grp {
			gross = gross.Add(a.Spec.GrossKg)
			p.Assets = append(p.Assets, a.Tag)
		}
		if c.typ == "pallet" {
			// Heat-treated (ISPM 15) wooden pallet, 120 x 100 cm, 24 kg.
			p.LengthCm, p.WidthCm = Dec{d("120")}, Dec{d("100")}
			p.HeightCm = Dec{d("15").Add(d(c.layerCm).Mul(decimal.NewFromInt(int64(len(grp)))))}
			gross = gross.Add(d("24.00"))
		} else {
			p.LengthCm, p.WidthCm, p.HeightCm = Dec{d("60")}, Dec{d("40")}, Dec{d("35")}
			gross = gross.Add(d("1.20"))
		}
		p.GrossWeightKg = Dec{gross}
		p.Marks = fmt.Sprintf("MERIDIAN COMPUTE / %s / INV %s / %s / %s %d OF %d",
			strings.ToUpper(asciiName(cons)), sd.Invoice, strings.ToUpper(cons.Gateway), strings.ToUpper(c.typ), i+1, len(groups))
		if cons.Country == "US" {
			// US imports: the container names the origin of its contents
			// (19 CFR 134.22).
			var made []string
			for _, a := range grp {
				if n := originNames[a.Spec.Origin]; a.Spec.Origin != "US" && !slices.Contains(made, n) {
					made = append(made, n)
				}
			}
			if len(made) > 0 {
				p.Marks += " / MADE IN " + strings.Join(made, ", ")
			}
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// asciiName is the consignee's short name for package marks, which carriers
// want in plain capitals.
func asciiName(s site) string {
	return map[string]string{
		"VN": "GIAI PHAP SO SAI GON", "VN-DC": "TTDL TAN THUAN", "ID": "SOLUSI DATA NUSANTARA", "TH": "DATA CENTER BANGKOK",
		"MY": "PUSAT DATA CYBERJAYA", "PH": "MANILA DATA SYSTEMS", "BR": "SOLUCOES EM NUVEM SAO PAULO", "MX": "CDQ QUERETARO",
		"MX-DC": "OCD BAJIO", "CO": "SOLTEC BOGOTA", "CL": "SERVICIOS INFORMATICOS NUNOA", "SG-REFURB": "REFURBISHMENT CENTRE TUAS",
		"US-REFURB": "ITAD CENTER ROUND ROCK",
	}[siteKey(s)]
}

func siteKey(s site) string {
	switch {
	case strings.Contains(s.Name, "Refurbishment Centre"):
		return "SG-REFURB"
	case strings.Contains(s.Name, "ITAD"):
		return "US-REFURB"
	case strings.Contains(s.Name, "Tân Thuận"):
		return "VN-DC"
	case strings.Contains(s.Name, "Bajío"):
		return "MX-DC"
	}
	return s.Country
}

func (g *gen) freightUSD(sd shipDef, pkgs []pkg) decimal.Decimal {
	switch sd.Freight.Kind {
	case "air":
		// Chargeable weight per package: the greater of gross and volume / 6000.
		total := decimal.Zero
		for _, p := range pkgs {
			vol := p.LengthCm.Mul(p.WidthCm.Decimal).Mul(p.HeightCm.Decimal).Div(d("6000"))
			total = total.Add(decimal.Max(vol, p.GrossWeightKg.Decimal))
		}
		return total.Ceil().Mul(d(sd.Freight.Rate)).Round(2)
	case "pallet":
		return d(sd.Freight.Base).Add(d(sd.Freight.Rate).Mul(decimal.NewFromInt(int64(len(pkgs))))).Round(2)
	default:
		return d(sd.Freight.Base)
	}
}

// taxRule is the illustrative duty and tax arithmetic per importing country
// (rates are VERIFY data in templates/countries; these only make the records
// plausible): duty on the customs value (CIF), VAT on value plus duty, fees.
type taxRule struct {
	duty, vat      decimal.Decimal
	feePct, feeFix decimal.Decimal
	decimals       int32
	vatOnFees      bool
	grossUpVAT     bool // Brazil: ICMS is computed "por dentro"
}

func taxRules() map[string]taxRule {
	return map[string]taxRule{
		"VN": {duty: d("0"), vat: d("0.10"), feeFix: d("20000"), decimals: 0},
		"ID": {duty: d("0"), vat: d("0.11"), feePct: d("0.025"), decimals: 0}, // PPN 11% effective; fees = PPh 22 import 2.5%
		"TH": {duty: d("0"), vat: d("0.07"), feeFix: d("200"), decimals: 2},
		"MY": {duty: d("0"), vat: d("0.10"), feeFix: d("0"), decimals: 2}, // sales tax 10%
		"PH": {duty: d("0"), vat: d("0.12"), feeFix: d("1280"), decimals: 2, vatOnFees: true},
		// II 12% + IPI 5% as duties; PIS/COFINS-Importação 11.75% and ICMS 18% as VAT; Siscomex fee.
		"BR": {duty: d("0.12"), vat: d("0.1175"), feeFix: d("154.23"), decimals: 2, grossUpVAT: true},
		"MX": {duty: d("0"), vat: d("0.16"), feePct: d("0.008"), feeFix: d("290"), decimals: 2, vatOnFees: true}, // DTA 8 al millar + prevalidación
		"CO": {duty: d("0"), vat: d("0.19"), feeFix: d("0"), decimals: 0},
		"SG": {duty: d("0"), vat: d("0.09"), feeFix: d("2.88"), decimals: 2},
	}
}

func (g *gen) clear(sd shipDef, s shipment, imp site, goods, carriage decimal.Decimal, ship time.Time) (clearance, error) {
	cd := sd.Clearance
	rates := usdRate()
	tr, ok := taxRules()[imp.Country]
	if !ok {
		return clearance{}, fmt.Errorf("no tax rule for %s", imp.Country)
	}
	round := func(x decimal.Decimal) decimal.Decimal { return x.Round(tr.decimals) }
	// The customs value is CIF in every destination of the sample: goods,
	// the packing charged to the buyer (WTO Valuation Agreement Art.
	// 8.1(a)(iii)), freight and insurance, converted at the entry's rate.
	rate := rates[cd.Currency].Div(rates[sd.Currency]).Round(6)
	cifShip := goods.Add(s.Packing.Decimal).Add(carriage)
	cv := round(cifShip.Mul(rate))
	duty := round(cv.Mul(tr.duty))
	feePct := round(cv.Mul(tr.feePct))
	feeFix := tr.feeFix
	var vat decimal.Decimal
	n := taxNames()[imp.Country]
	var taxes []tax
	money := func(x decimal.Decimal) any {
		if tr.decimals == 0 {
			return DecInt{x.Round(0)}
		}
		return Dec{x.Round(2)}
	}
	add := func(name string, x decimal.Decimal) { taxes = append(taxes, tax{Name: name, Amount: money(x)}) }
	duties, fees := duty, feePct.Add(feeFix)
	if imp.Country == "BR" {
		ipi := round(cv.Add(duty).Mul(d("0.05")))
		pisCofins := round(cv.Mul(tr.vat))
		icms := round(cv.Add(duty).Add(ipi).Add(pisCofins).Add(fees).Div(d("0.82")).Mul(d("0.18")))
		duties, vat = duty.Add(ipi), pisCofins.Add(icms)
		add("II", duty)
		add("IPI", ipi)
		add("PIS/COFINS-Importação", pisCofins)
		add("ICMS", icms)
		add("Taxa Siscomex", fees)
	} else {
		base := cv.Add(duty)
		if tr.vatOnFees {
			base = base.Add(fees)
		}
		vat = round(base.Mul(tr.vat))
		add(n.duty, duty)
		add(n.vat, vat)
		if !feePct.IsZero() {
			add(n.feePct, feePct)
		}
		if !feeFix.IsZero() {
			add(n.feeFix, feeFix)
		}
	}
	entry := ship.AddDate(0, 0, cd.EntryDays)
	release := entry.AddDate(0, 0, cd.ReleaseDays)
	return clearance{
		ShipmentID: sd.ID, EntryNumber: cd.EntryNumber, EntryDate: day(entry), ReleaseDate: day(release),
		Port: cd.Port, Regime: cd.Regime, ImporterTaxID: imp.TaxID, Currency: cd.Currency,
		Duties: money(duties), VAT: money(vat), Fees: money(fees), Broker: imp.Broker.Name,
		PODReference: fmt.Sprintf("POD %s, signed %s by %s", s.Transport.Reference, day(release.AddDate(0, 0, 1)), s.Parties.Consignee.Contact),
		Held:         cd.Held,
		CustomsValue: money(cv), ValueBasis: "CIF", ExchangeRate: rate.String(), RateDate: day(entry),
		Taxes: taxes,
	}, nil
}

// taxNames are the national names of each destination's duty, VAT and fees
// (as templates/countries/<CC>.yaml lists them; Brazil is itemised apart).
func taxNames() map[string]struct{ duty, vat, feePct, feeFix string } {
	return map[string]struct{ duty, vat, feePct, feeFix string }{
		"VN": {"Thuế nhập khẩu", "Thuế GTGT", "", "Lệ phí hải quan"},
		"ID": {"BM", "PPN", "PPh 22", ""},
		"TH": {"Import duty", "VAT", "", "Customs fee"},
		"MY": {"Import duty", "Sales tax (SST)", "", ""},
		"PH": {"Customs duty", "VAT", "", "Import processing charge"},
		"MX": {"IGI", "IVA", "DTA", "PRV"},
		"CO": {"Arancel", "IVA", "", ""},
		"SG": {"Customs duty", "GST", "", "TradeNet permit fee"},
	}
}

var inventoryHeader = []string{"asset_tag", "serial", "manufacturer", "model", "part_number", "category", "description",
	"condition", "grade", "grading_standard", "test_result", "tested_by", "tested_on", "refurbisher", "year_of_manufacture",
	"rack_units", "cpu_model", "cpu_sockets", "cpu_cores", "memory", "storage", "network", "power_supplies",
	"management_controller", "tpm", "drive_encryption", "hs_code", "eccn", "eccn_source", "license_exception",
	"country_of_origin", "unit_value", "currency", "valuation_method", "original_cost", "depreciation_basis",
	"net_weight_kg", "gross_weight_kg", "sanitisation_method", "sanitisation_date", "sanitisation_operator",
	"sanitisation_verification"}

func (g *gen) inventoryCSV() ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(inventoryHeader); err != nil {
		return nil, err
	}
	itoa := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	money := func(x decimal.Decimal) string {
		if x.IsZero() {
			return ""
		}
		return x.StringFixed(2)
	}
	for _, a := range g.assets {
		sp := a.Spec
		rec := []string{a.Tag, a.Serial, sp.Manufacturer, sp.Model, sp.PartNumber, sp.Category, sp.Description,
			a.Condition, a.Grade, a.GradingStandard, a.TestResult, a.TestedBy, a.TestedOn, a.Refurbisher, itoa(a.Year),
			itoa(sp.RackUnits), sp.CPUModel, itoa(sp.CPUSockets), itoa(sp.CPUCores), sp.Memory, a.Storage, sp.Network, sp.PSU,
			sp.Mgmt, strconv.FormatBool(sp.TPM), sp.Encryption, a.HS, sp.ECCN, "manufacturer", "NLR",
			sp.Origin, a.UnitValue.StringFixed(2), a.Currency, itoa(a.ValuationMethod), money(a.OriginalCost), a.DepreciationBasis,
			sp.NetKg.StringFixed(2), sp.GrossKg.StringFixed(2), a.SanMethod, a.SanDate, a.SanOperator, a.SanVerification}
		if len(rec) != len(inventoryHeader) {
			return nil, fmt.Errorf("%s: %d fields, header has %d", a.Tag, len(rec), len(inventoryHeader))
		}
		if err := w.Write(rec); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// check verifies what the sample promises; it returns every fault found.
func (g *gen) check(plan *planFile) error {
	var errs []error
	fail := func(f string, args ...any) { errs = append(errs, fmt.Errorf(f, args...)) }
	byTag := map[string]*asset{}
	for _, a := range g.assets {
		if byTag[a.Tag] != nil {
			fail("duplicate asset tag %s", a.Tag)
		}
		byTag[a.Tag] = a
		if a.Spec.GrossKg.LessThan(a.Spec.NetKg) {
			fail("%s: gross %s < net %s", a.Tag, a.Spec.GrossKg, a.Spec.NetKg)
		}
		if a.Condition != "new" {
			if a.OriginalCost.LessThan(a.UnitValue) {
				fail("%s: value %s above original cost %s", a.Tag, a.UnitValue, a.OriginalCost)
			}
			if a.Grade == "" || a.SanMethod == "" || a.Year == 0 || a.ValuationMethod == 0 {
				fail("%s: second-hand unit without grade, sanitisation, year or valuation", a.Tag)
			}
			if (a.ValuationMethod == 6) != (a.DepreciationBasis != "") {
				fail("%s: method %d with depreciation basis %q", a.Tag, a.ValuationMethod, a.DepreciationBasis)
			}
		}
		if !strings.HasPrefix(a.HS, a.Spec.HS6) {
			fail("%s: HS %s not under %s", a.Tag, a.HS, a.Spec.HS6)
		}
	}
	seen := map[string]string{}
	ids := map[string]bool{}
	for _, s := range plan.Shipments {
		if ids[s.ID] {
			fail("duplicate shipment %s", s.ID)
		}
		ids[s.ID] = true
		if s.InvoiceDate > s.ShipDate {
			fail("%s: invoice date %s after ship date %s", s.ID, s.InvoiceDate, s.ShipDate)
		}
		if s.ShipDate < "2026-02-01" || s.ShipDate > "2026-10-31" {
			fail("%s: ship date %s outside Feb-Oct 2026", s.ID, s.ShipDate)
		}
		ship, err := date(s.ShipDate)
		if err != nil {
			fail("%s: ship date: %w", s.ID, err)
			continue
		}
		net := decimal.Zero
		for _, t := range s.Assets {
			a := byTag[t]
			if a == nil {
				fail("%s: unknown asset %s", s.ID, t)
				continue
			}
			if other, ok := seen[t]; ok {
				fail("%s: asset %s also on %s", s.ID, t, other)
			}
			seen[t] = s.ID
			net = net.Add(a.Spec.NetKg)
			if a.Currency != s.Currency {
				fail("%s: asset %s in %s, shipment in %s", s.ID, t, a.Currency, s.Currency)
			}
			if a.Year > ship.Year() || (a.Condition != "new" && ship.Year()-a.Year > 10) {
				fail("%s: asset %s made in %d", s.ID, t, a.Year)
			}
			if a.TestedOn != "" && a.TestedOn > s.ShipDate || a.SanDate != "" && a.SanDate > s.ShipDate {
				fail("%s: asset %s tested or sanitised after shipping", s.ID, t)
			}
		}
		var packed []string
		gross := decimal.Zero
		for _, p := range s.Packages {
			packed = append(packed, p.Assets...)
			gross = gross.Add(p.GrossWeightKg.Decimal)
		}
		if !slices.Equal(slices.Sorted(slices.Values(packed)), slices.Sorted(slices.Values(s.Assets))) {
			fail("%s: packages hold %v, shipment lists %v", s.ID, packed, s.Assets)
		}
		if gross.LessThan(net) {
			fail("%s: gross %s < net %s", s.ID, gross, net)
		}
		for _, pm := range s.Permits {
			if pm.ValidUntil < s.ShipDate {
				fail("%s: permit %s expired %s", s.ID, pm.Number, pm.ValidUntil)
			}
		}
	}
	for _, c := range g.clearances {
		var s *shipment
		for i := range plan.Shipments {
			if plan.Shipments[i].ID == c.ShipmentID {
				s = &plan.Shipments[i]
			}
		}
		if s == nil {
			fail("clearance for unknown shipment %s", c.ShipmentID)
			continue
		}
		if c.EntryDate <= s.ShipDate || c.ReleaseDate < c.EntryDate {
			fail("%s: entry %s release %s, shipped %s", c.ShipmentID, c.EntryDate, c.ReleaseDate, s.ShipDate)
		}
	}
	if n := len(g.assets) - len(seen); n < 3 {
		fail("only %d spare units", n)
	}
	return errors.Join(errs...)
}

// Tax identifiers with their check digits.

func digits(s string) []int {
	var out []int
	for _, r := range s {
		out = append(out, int(r-'0'))
	}
	return out
}

// thaiTIN appends the check digit to a 12-digit Thai tax identification number.
func thaiTIN(base string) string {
	sum := 0
	for i, v := range digits(base) {
		sum += v * (13 - i)
	}
	return base + strconv.Itoa((11-sum%11)%10)
}

// cnpj formats a 12-digit base (8 + 4 branch digits) with its two check digits.
func cnpj(base string) string {
	dv := func(ds []int) int {
		w := []int{6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}
		w = w[len(w)-len(ds):]
		sum := 0
		for i, v := range ds {
			sum += v * w[i]
		}
		if r := sum % 11; r >= 2 {
			return 11 - r
		}
		return 0
	}
	ds := digits(base)
	ds = append(ds, dv(ds))
	ds = append(ds, dv(ds))
	s := ""
	for _, v := range ds {
		s += strconv.Itoa(v)
	}
	return fmt.Sprintf("%s.%s.%s/%s-%s", s[0:2], s[2:5], s[5:8], s[8:12], s[12:14])
}

// nit formats a 9-digit Colombian NIT with its DIAN check digit.
func nit(base string) string {
	w := []int{3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71}
	ds := digits(base)
	sum := 0
	for i := range ds {
		sum += ds[len(ds)-1-i] * w[i]
	}
	dv := sum % 11
	if dv > 1 {
		dv = 11 - dv
	}
	return fmt.Sprintf("%s.%s.%s-%d", base[0:3], base[3:6], base[6:9], dv)
}

// rut formats a Chilean RUT with its modulus-11 check digit.
func rut(n int) string {
	sum, mul := 0, 2
	for m := n; m > 0; m /= 10 {
		sum += (m % 10) * mul
		mul++
		if mul > 7 {
			mul = 2
		}
	}
	dv := strconv.Itoa(11 - sum%11)
	switch dv {
	case "11":
		dv = "0"
	case "10":
		dv = "K"
	}
	s := strconv.Itoa(n)
	return fmt.Sprintf("%s.%s.%s-%s", s[:len(s)-6], s[len(s)-6:len(s)-3], s[len(s)-3:], dv)
}
