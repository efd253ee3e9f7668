package renderers

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/biter777/countries"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/shopspring/decimal"

	"github.com/clearpack/clearpack/pipeline/model"
)

type invoiceLine struct {
	No           int             `json:"no"`
	Description  string          `json:"description"`
	Manufacturer string          `json:"manufacturer"`
	Model        string          `json:"model"`
	PartNumber   string          `json:"part_number,omitempty"`
	Condition    model.Condition `json:"condition"`
	HSCode       string          `json:"hs_code"`
	Origin       string          `json:"country_of_origin"`
	// ECCN and LicenceBasis are printed where an export-control regime
	// applies (Pack.Extras.ExportControl).
	ECCN          string          `json:"eccn,omitempty"`
	LicenceBasis  string          `json:"licence_basis,omitempty"`
	Quantity      int             `json:"quantity"`
	NetWeightKg   decimal.Decimal `json:"net_weight_kg"`
	GrossWeightKg decimal.Decimal `json:"gross_weight_kg"`
	UnitValue     decimal.Decimal `json:"unit_value"`
	LineTotal     decimal.Decimal `json:"line_total"`
	Serials       []string        `json:"serials"`
	AssetTags     []string        `json:"asset_tags"`
}

type invoiceData struct {
	InvoiceNumber     string          `json:"invoice_number"`
	InvoiceDate       string          `json:"invoice_date"`
	ShipDate          string          `json:"ship_date"`
	Incoterms         model.Incoterms `json:"incoterms"`
	PaymentTerms      string          `json:"payment_terms,omitempty"`
	Reason            string          `json:"reason"`
	NoCommercialValue bool            `json:"no_commercial_value"`
	// ValuationMethods are the WTO Valuation Agreement methods of the
	// units, ascending; RelatedParties marks an intra-company transfer.
	// Together with NoCommercialValue they make the one valuation
	// statement the invoice prints.
	ValuationMethods []int `json:"valuation_methods,omitempty"`
	RelatedParties   bool  `json:"related_parties,omitempty"`
	// Valuation is the plan's value-declaration data, printed under the
	// name of the destination's declaration (ValuationDeclarationName).
	Valuation                *model.ValuationDeclaration `json:"valuation_declaration,omitempty"`
	ValuationDeclarationName string                      `json:"valuation_declaration_name,omitempty"`
	// ImportEntry is what the destination's entry asks of the importer
	// (US: port of entry, manufacturer IDs, Chapter 98 claims).
	ImportEntry   *model.ImportEntry `json:"import_entry,omitempty"`
	Origin        string             `json:"country_of_export"`
	Destination   string             `json:"country_of_destination"`
	Transport     model.Transport    `json:"transport"`
	Permits       []model.Permit     `json:"permits,omitempty"`
	ExportFilings []model.Filing     `json:"export_filings,omitempty"`
	// ExportControl is the regime and the statement the invoice carries
	// (the Destination Control Statement of 15 CFR 758.6 on a US export).
	ExportControl *model.ExportControlText `json:"export_control,omitempty"`
	Parties       model.Parties            `json:"parties"`
	Declarant     model.Declarant          `json:"declarant"`
	Currency      string                   `json:"currency"`
	Lines         []invoiceLine            `json:"lines"`
	Quantity      int                      `json:"total_quantity"`
	NetWeightKg   decimal.Decimal          `json:"total_net_weight_kg"`
	GrossWeightKg decimal.Decimal          `json:"total_gross_weight_kg"`
	// UnitsGrossWeightKg is the sum of the lines' gross weights (units in
	// their own boxes, without pallets).
	UnitsGrossWeightKg decimal.Decimal `json:"units_gross_weight_kg"`
	Subtotal           decimal.Decimal `json:"subtotal"`
	Freight            decimal.Decimal `json:"freight"`
	// FreightToBorder is the part of Freight to the place of import.
	FreightToBorder decimal.Decimal `json:"freight_to_border,omitzero"`
	// FreightToBorderShare and FreightToBorderCrossing say how
	// FreightToBorder was estimated from the destination's border share,
	// when the plan gave none.
	FreightToBorderShare    decimal.Decimal `json:"freight_to_border_share,omitzero"`
	FreightToBorderCrossing string          `json:"freight_to_border_crossing,omitempty"`
	Insurance               decimal.Decimal `json:"insurance"`
	Packing                 decimal.Decimal `json:"packing"`
	Total                   decimal.Decimal `json:"total"`
	// Printed when the destination asks for them (Pack.Extras).
	OriginCountries    []string         `json:"countries_of_origin,omitempty"`
	AcquisitionCountry string           `json:"country_of_acquisition,omitempty"`
	ProvenanceCountry  string           `json:"country_of_provenance,omitempty"`
	Packages           []invoicePackage `json:"packages,omitempty"`
}

// invoicePackage is one package as the invoice lists it (marks, type, units
// and weights) for destinations that want them on the invoice.
type invoicePackage struct {
	ID            string          `json:"id"`
	Type          string          `json:"type"`
	Marks         string          `json:"marks"`
	Units         int             `json:"units"`
	NetWeightKg   decimal.Decimal `json:"net_weight_kg"`
	GrossWeightKg decimal.Decimal `json:"gross_weight_kg"`
}

// where names the inventory record of an asset for an error message.
func where(a model.Asset) string {
	if a.Src.File != "" {
		return fmt.Sprintf("%s:%d: asset %s", a.Src.File, a.Src.Line, a.AssetTag)
	}
	return "asset " + a.AssetTag
}

// checkCurrency validates the shipment currency and every unit's. An ISO
// 4217 code is looked up in the Renderer's set; anything else goes through
// countries.CurrencyCodeByName, which matches names too but scans every
// currency's names (about 6 million instructions, half a 30-line invoice's
// layout).
func (r *Renderer) checkCurrency(p Pack) (string, error) {
	cur := strings.ToUpper(strings.TrimSpace(p.Shipment.Currency))
	if !r.currencies[cur] && !countries.CurrencyCodeByName(cur).IsValid() {
		return "", fmt.Errorf("shipment %s: field currency is %q, expected an ISO 4217 code", p.Shipment.ID, p.Shipment.Currency)
	}
	for _, a := range p.Assets {
		if a.Currency != "" && !strings.EqualFold(a.Currency, cur) {
			return "", fmt.Errorf("%s: field currency is %q, expected %q (the currency of shipment %s)", where(a), a.Currency, cur, p.Shipment.ID)
		}
	}
	return cur, nil
}

// noSale reports whether the shipment's reason for export involves no sale
// and no payment (a redeployment, a return for refurbishment): its values are
// for customs purposes only. A sale and an intra-company transfer at a
// transfer price are transactions.
func noSale(reason string) bool {
	switch strings.ToLower(strings.TrimSpace(reason)) {
	case "redeployment", "return for refurbishment":
		return true
	}
	return false
}

func reasonKey(reason string) string {
	return "reason." + strings.ReplaceAll(strings.ToLower(strings.TrimSpace(reason)), " ", "-")
}

func prepareInvoice(r *Renderer, _ model.DocKind, p Pack) (any, error) {
	cur, err := r.checkCurrency(p)
	if err != nil {
		return nil, err
	}
	if len(p.Assets) == 0 {
		return nil, fmt.Errorf("shipment %s: no units to invoice", p.Shipment.ID)
	}
	s := p.Shipment
	inv := invoiceData{
		InvoiceNumber: DocNumber(model.CommercialInvoice, p), InvoiceDate: s.InvoiceDate, ShipDate: s.ShipDate,
		Incoterms: s.Incoterms, PaymentTerms: s.PaymentTerms, Reason: s.Reason, NoCommercialValue: noSale(s.Reason),
		RelatedParties: strings.EqualFold(strings.TrimSpace(s.Reason), "intra-company transfer") ||
			s.Valuation != nil && s.Valuation.RelatedParty == model.Yes,
		Valuation: s.Valuation, ValuationDeclarationName: p.Extras.ValuationDeclaration, ImportEntry: s.ImportEntry,
		Origin: s.Origin, Destination: s.Destination, Transport: s.Transport, Permits: s.Permits,
		Parties: s.Parties, Declarant: s.Declarant, Currency: cur,
		Freight: s.Freight, Insurance: s.Insurance, Packing: s.Packing,
		ExportFilings: s.ExportFilings, ExportControl: p.Extras.ExportControl, FreightToBorder: s.FreightToBorder,
	}
	if inv.FreightToBorder.IsZero() && p.Extras.FreightToBorder.IsPositive() {
		inv.FreightToBorder, inv.FreightToBorderShare, inv.FreightToBorderCrossing = p.Extras.FreightToBorder, p.Extras.FreightToBorderShare, p.Extras.FreightToBorderCrossing
	}
	if inv.InvoiceDate == "" {
		inv.InvoiceDate = s.ShipDate
	}
	index := map[string]int{}
	for _, a := range p.Assets {
		if strings.TrimSpace(a.HSCode) == "" {
			return nil, fmt.Errorf("%s: field hs_code is empty, expected a 6-digit subheading plus national extension", where(a))
		}
		if a.UnitValue.IsNegative() {
			return nil, fmt.Errorf("%s: field unit_value is %s, expected a value of zero or more", where(a), a.UnitValue)
		}
		eccn, basis := "", ""
		if inv.ExportControl != nil {
			if eccn = a.ECCN; eccn == "" {
				return nil, fmt.Errorf("%s: field eccn is empty, expected an ECCN (5A992.c, EAR99, ...): the %s applies and the invoice prints it", where(a), inv.ExportControl.Regime)
			}
			if basis = strings.TrimSpace(a.LicenseException); basis == "" {
				basis = "NLR"
			}
		}
		key := strings.Join([]string{a.Manufacturer, a.Model, a.PartNumber, a.Description, a.HSCode,
			a.CountryOfOrigin, string(a.Condition), a.UnitValue.String(), eccn, basis}, "\x00")
		i, ok := index[key]
		if !ok {
			i = len(inv.Lines)
			index[key] = i
			inv.Lines = append(inv.Lines, invoiceLine{
				No: i + 1, Description: describe(a), Manufacturer: a.Manufacturer, Model: a.Model,
				PartNumber: a.PartNumber, Condition: a.Condition, HSCode: a.HSCode, Origin: a.CountryOfOrigin,
				UnitValue: a.UnitValue, ECCN: eccn, LicenceBasis: basis,
			})
		}
		if m := a.ValuationMethod; m > 0 && !slices.Contains(inv.ValuationMethods, m) {
			inv.ValuationMethods = append(inv.ValuationMethods, m)
		}
		ln := &inv.Lines[i]
		ln.Quantity++
		ln.NetWeightKg = ln.NetWeightKg.Add(a.NetWeightKg)
		ln.GrossWeightKg = ln.GrossWeightKg.Add(a.GrossWeightKg)
		ln.Serials = append(ln.Serials, a.Serial)
		ln.AssetTags = append(ln.AssetTags, a.AssetTag)
	}
	for i := range inv.Lines {
		ln := &inv.Lines[i]
		ln.LineTotal = ln.UnitValue.Mul(decimal.NewFromInt(int64(ln.Quantity)))
		inv.Subtotal = inv.Subtotal.Add(ln.LineTotal)
		inv.Quantity += ln.Quantity
		inv.NetWeightKg = inv.NetWeightKg.Add(ln.NetWeightKg)
		inv.GrossWeightKg = inv.GrossWeightKg.Add(ln.GrossWeightKg)
	}
	slices.Sort(inv.ValuationMethods)
	inv.Total = inv.Subtotal.Add(inv.Freight).Add(inv.Insurance).Add(inv.Packing)
	// The shipment's gross weight is what the packages weigh (pallets and
	// packing included), as on the packing list and the air waybill.
	inv.UnitsGrossWeightKg = inv.GrossWeightKg
	var packed packingData
	if len(s.Packages) > 0 {
		pl, err := preparePacking(nil, model.PackingList, p)
		if err != nil {
			return nil, err
		}
		packed = pl.(packingData)
		inv.GrossWeightKg = packed.GrossWeightKg
	}
	for _, x := range p.Extras.InvoiceExtras {
		switch x {
		case model.ExtraAcquisitionCountry:
			inv.AcquisitionCountry = s.Acquisition()
		case model.ExtraProvenanceCountry:
			inv.ProvenanceCountry = s.Provenance()
		case model.ExtraPackageMarks:
			for _, pk := range packed.Packages {
				inv.Packages = append(inv.Packages, invoicePackage{ID: pk.ID, Type: pk.Type, Marks: pk.Marks, Units: len(pk.Units),
					NetWeightKg: pk.NetWeightKg, GrossWeightKg: pk.GrossWeightKg})
			}
			if len(packed.Unpacked) > 0 {
				return nil, fmt.Errorf("shipment %s: %d units in no package (asset %s first), expected every unit in a package whose marks the invoice for %s lists",
					s.ID, len(packed.Unpacked), packed.Unpacked[0].AssetTag, s.Destination)
			}
		}
	}
	if inv.AcquisitionCountry != "" || inv.ProvenanceCountry != "" {
		for _, ln := range inv.Lines {
			if !slices.Contains(inv.OriginCountries, ln.Origin) {
				inv.OriginCountries = append(inv.OriginCountries, ln.Origin)
			}
		}
	}
	return inv, nil
}

// describe is a unit's invoice description.
func describe(a model.Asset) string {
	if a.Description != "" {
		return a.Description
	}
	s := strings.TrimSpace(a.Manufacturer + " " + a.Model)
	if a.Category != "" {
		s += ", " + a.Category
	}
	return s
}

// partyCell prints one party with its role.
// Its tax identifier is named by the party's own country (taxNames, from
// Pack.Extras.TaxIDNames: "CNPJ", "EIN"), generically when it has none.
func (d *doc) partyCell(w int, role string, p model.Party, taxNames map[string]string) cell {
	taxName := taxNames[p.Country]
	ps := []para{{text: d.l.Both(role), bold: true, size: sizeSmall, color: colorGray}}
	if p.Name == "" {
		ps = append(ps, para{text: "—"})
		return cell{w: w, paras: ps, box: true, titled: true}
	}
	ps = append(ps, para{text: p.Name, bold: true, size: 8.5})
	if p.Address != "" {
		ps = append(ps, para{text: p.Address})
	}
	if p.Country != "" {
		ps = append(ps, para{text: countryName(p.Country)})
	}
	if p.TaxID != "" {
		label := d.l.Both("tax_id")
		if taxName != "" {
			label += " (" + taxName + ")"
		}
		ps = append(ps, para{text: label + ": " + p.TaxID})
	}
	var contact []string
	for _, s := range []string{p.Contact, p.Email, p.Phone} {
		if s != "" {
			contact = append(contact, s)
		}
	}
	if len(contact) > 0 {
		ps = append(ps, para{text: d.l.Both("contact") + ": " + strings.Join(contact, ", "), size: sizeSmall})
	}
	return cell{w: w, paras: ps, box: true, titled: true}
}

// reasonText is the reason for export in both languages.
func (d *doc) reasonText(reason string) string {
	k := reasonKey(reason)
	if _, ok := d.l.en.Labels[k]; ok {
		return d.l.Both(k)
	}
	return reason
}

// valuationText is the invoice's one valuation statement: the WTO methods
// of its units, whether buyer and seller are related, and whether there is
// a sale.
func (d *doc) valuationText(inv invoiceData) string {
	var parts []string
	for _, m := range inv.ValuationMethods {
		parts = append(parts, "WTO "+strconv.Itoa(m)+" ("+d.l.Both("valuation.m"+strconv.Itoa(m))+")")
	}
	if len(parts) == 0 {
		return ""
	}
	s := strings.Join(parts, "; ")
	if inv.RelatedParties {
		s += "; " + d.l.Both("valuation.related_parties")
	}
	if inv.NoCommercialValue {
		s += "; " + d.l.Both("valuation.no_sale")
	}
	return s
}

// valuationDeclaration is the value-declaration data as the invoice prints
// it, each answer beside its label: related party, its influence on the
// price, royalties, assists and commissions (the fall-back reason is the
// condition declaration's).
func (d *doc) valuationDeclaration(inv invoiceData) []kv {
	v := inv.Valuation
	if v == nil {
		return nil
	}
	var out []kv
	answer := func(key, a string) {
		if a != "" {
			out = append(out, kv{key, d.l.Both("answer." + a)})
		}
	}
	answer("related_party", v.RelatedParty)
	answer("price_influenced", v.PriceInfluenced)
	for _, m := range []struct {
		key string
		amt decimal.NullDecimal
	}{{"royalties", v.Royalties}, {"assists", v.Assists}, {"commissions", v.Commissions}} {
		if m.amt.Valid {
			out = append(out, kv{m.key, d.nf.money(m.amt.Decimal, inv.Currency)})
		}
	}
	return out
}

// permitText is a permit as printed: its official name (from the
// destination's profile; the plan's type when there is none), number and
// issuer.
func permitText(pm model.Permit, names map[string]string) string {
	name := pm.Type
	if n := names[pm.Type]; n != "" {
		name = n
	}
	s := strings.TrimSpace(name + " " + pm.Number)
	var more []string
	for _, x := range []string{pm.IssuedBy, pm.IssuedOn} {
		if x != "" {
			more = append(more, x)
		}
	}
	if len(more) > 0 {
		s += " (" + strings.Join(more, ", ") + ")"
	}
	return s
}

// filingText is an export filing as printed: type, number, date, issuer.
func filingText(f model.Filing) string {
	s := strings.TrimSpace(f.Type + " " + f.Number)
	var more []string
	for _, x := range []string{f.Date, f.IssuedBy} {
		if x != "" {
			more = append(more, x)
		}
	}
	if len(more) > 0 {
		s += " (" + strings.Join(more, ", ") + ")"
	}
	return s
}

func transportText(t model.Transport) string {
	var parts []string
	for _, s := range []string{t.Mode, t.Route, t.Carrier, t.Reference} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " · ")
}

func buildInvoice(d *doc, p Pack, data any) {
	inv := data.(invoiceData)
	s := p.Shipment
	half := d.width / 2
	details := []kv{
		{"invoice_number", inv.InvoiceNumber},
		{"invoice_date", inv.InvoiceDate},
		{"ship_date", inv.ShipDate},
		{"incoterms", strings.TrimSpace(inv.Incoterms.Rule + " " + inv.Incoterms.Place)},
		{"payment_terms", inv.PaymentTerms},
		{"reason_for_export", d.reasonText(inv.Reason)},
		{"currency", inv.Currency},
		{"country_of_export", countryName(inv.Origin)},
		{"country_of_destination", countryName(inv.Destination)},
		{"transport", transportText(inv.Transport)},
	}
	if len(inv.OriginCountries) > 0 {
		names := make([]string, len(inv.OriginCountries))
		for i, c := range inv.OriginCountries {
			names[i] = countryName(c)
		}
		details = append(details, kv{"country_of_origin_goods", strings.Join(names, ", ")})
	}
	if inv.AcquisitionCountry != "" {
		details = append(details, kv{"country_of_acquisition", countryName(inv.AcquisitionCountry)})
	}
	if inv.ProvenanceCountry != "" {
		details = append(details, kv{"country_of_provenance", countryName(inv.ProvenanceCountry)})
	}
	for _, pm := range inv.Permits {
		details = append(details, kv{"permit", permitText(pm, p.Extras.PermitNames)})
	}
	for _, f := range inv.ExportFilings {
		details = append(details, kv{"export_filing", filingText(f)})
	}
	if inv.FreightToBorder.IsPositive() {
		// By sea or air the freight splits at the port or airport of
		// import, and what follows is inland freight; by road or rail at
		// the border (the place of import).
		label, after := "freight_to_border", "freight_after_border"
		switch strings.ToLower(inv.Transport.Mode) {
		case "sea":
			label, after = "freight_to_port", "freight_inland"
		case "air":
			label, after = "freight_to_airport", "freight_inland"
		}
		v := d.nf.money(inv.FreightToBorder, inv.Currency) + " (" +
			d.l.Both(after) + ": " + d.nf.money(inv.Freight.Sub(inv.FreightToBorder), inv.Currency) + ")"
		if inv.FreightToBorderShare.IsPositive() { // "30 % × 52,725.00 MXN (Laredo, TX / Nuevo Laredo)"
			v += "; " + d.l.Both("estimated") + ": " + d.nf.num(inv.FreightToBorderShare.Mul(decimal.NewFromInt(100)), 0) + " % × " +
				d.nf.money(inv.Freight, inv.Currency) + " (" + inv.FreightToBorderCrossing + ")"
		}
		details = append(details, kv{label, v})
	}
	if v := d.valuationText(inv); v != "" {
		details = append(details, kv{"valuation_basis", v})
	}
	if e := inv.ImportEntry; e != nil {
		if e.PortOfEntry != "" {
			details = append(details, kv{"port", e.PortOfEntry})
		}
		for _, m := range e.ManufacturerIDs {
			details = append(details, kv{"manufacturer_id", m.MID + " (" + m.Manufacturer + ", " + countryName(m.Country) + ")"})
		}
		for _, c := range e.Claims {
			claim := c.Provision // for all the units unless it names some
			if len(c.Assets) > 0 {
				claim += " (" + strings.Join(c.Assets, ", ") + ")"
			}
			details = append(details, kv{"tariff_claim", joinNonEmpty(": ", claim, c.Basis)})
		}
		for _, c := range e.Chapter99 { // the additional duty, or the exclusion relied on
			line := c.Provision
			if name := p.Extras.Chapter99[c.Provision]; name != "" {
				line += " (" + name + ")"
			}
			if len(c.Assets) > 0 {
				line += " " + strings.Join(c.Assets, ", ")
			}
			details = append(details, kv{"chapter99", joinNonEmpty(": ", line, c.Basis)})
		}
		if e.Marking != "" {
			details = append(details, kv{"origin_marking", e.Marking})
		}
	}
	tax := p.Extras.TaxIDNames
	d.add(d.partyCell(half, "party.exporter", s.Parties.Exporter, tax), d.kvCell(d.width-half, "invoice_details", details))
	if vd := d.valuationDeclaration(inv); len(vd) > 0 {
		c := d.kvCell(d.width, "", vd)
		title := d.l.Both("valuation_declaration")
		if inv.ValuationDeclarationName != "" {
			title += ": " + inv.ValuationDeclarationName
		}
		c.paras = append([]para{{text: title, bold: true, size: sizeSmall, color: colorGray}}, c.paras...)
		d.add(c)
	}
	d.add(d.partyCell(half, "party.consignee", s.Parties.Consignee, tax),
		d.partyCell(d.width-half, "party.importer_of_record", s.Parties.ImporterOfRecord, tax))
	broker := model.Party{}
	if s.Parties.Broker != nil {
		broker = *s.Parties.Broker
	}
	d.add(d.partyCell(half, "party.exporter_of_record", s.Parties.ExporterOfRecord, tax),
		d.partyCell(d.width-half, "party.broker", broker, tax))
	d.space(2)

	ws := []int{7, 67, 17, 11, 9, 14, 14, 23, 28}
	al := []align.Type{align.Center, align.Left, align.Left, align.Center, align.Right, align.Right, align.Right, align.Right, align.Right}
	heads := d.heads(ws, []string{"col.no", "col.description", "col.hs_code", "col.origin", "col.quantity",
		"col.net_weight", "col.gross_weight", "col.unit_value", "col.line_total"}, al...)
	heads[7].paras[0].text += " (" + inv.Currency + ")"
	heads[8].paras[0].text += " (" + inv.Currency + ")"
	d.table(heads)
	for _, ln := range inv.Lines {
		desc := []para{{text: ln.Description, bold: true}}
		var sub []string
		if ln.PartNumber != "" {
			sub = append(sub, d.l.Both("col.part_number")+": "+ln.PartNumber)
		}
		sub = append(sub, d.l.Both("condition")+": "+d.l.opt("condition.", string(ln.Condition)))
		desc = append(desc, para{text: strings.Join(sub, " · "), size: sizeSmall})
		if ln.ECCN != "" {
			desc = append(desc, para{text: "ECCN: " + ln.ECCN + " · " + d.l.Both("licence_basis") + ": " + ln.LicenceBasis, size: sizeSmall, bold: true})
		}
		desc = append(desc, para{text: d.l.Both("serials") + ": " + strings.Join(ln.Serials, ", "), size: sizeSmall, color: colorGray})
		cs := bodyCells(ws, []string{strconv.Itoa(ln.No), "", ln.HSCode, ln.Origin, strconv.Itoa(ln.Quantity),
			d.nf.num(ln.NetWeightKg, 2), d.nf.num(ln.GrossWeightKg, 2), d.nf.amount(ln.UnitValue, inv.Currency), d.nf.amount(ln.LineTotal, inv.Currency)}, al)
		cs[1].paras = desc
		d.add(cs...)
	}
	d.endTable()

	// Totals: weights on the left, amounts on the right.
	weights := []kv{
		{"total_quantity", strconv.Itoa(inv.Quantity)},
		{"total_net_weight", d.nf.num(inv.NetWeightKg, 2) + " kg"},
		{"total_gross_weight", d.nf.num(inv.GrossWeightKg, 2) + " kg"},
	}
	if tare := inv.GrossWeightKg.Sub(inv.UnitsGrossWeightKg); !tare.IsZero() {
		// The lines' gross weights are the boxed units; the total is what
		// the packages weigh: say where the difference is.
		weights = append(weights, kv{"units_gross_weight", d.nf.num(inv.UnitsGrossWeightKg, 2) + " kg"}, kv{"packaging_weight", d.nf.num(tare, 2) + " kg"})
	}
	weights = append(weights, kv{"total_packages", strconv.Itoa(len(s.Packages))})
	left := d.kvCell(95, "", weights)
	amounts := []struct {
		key string
		v   decimal.Decimal
	}{{"subtotal", inv.Subtotal}, {"freight", inv.Freight}, {"insurance", inv.Insurance}, {"packing", inv.Packing}}
	right := cell{w: d.width - 95, box: true}
	for _, a := range amounts {
		right.pairs = append(right.pairs, pair{label: d.l.Both(a.key), value: d.nf.money(a.v, inv.Currency), right: true})
	}
	right.pairs = append(right.pairs, pair{label: d.l.Both("total"), value: d.nf.money(inv.Total, inv.Currency), right: true, bold: true, size: 8.5})
	d.keep(maxHeight(d.prepareAll([]cell{left, right})))
	d.add(left, right)
	d.space(2)

	if len(inv.Packages) > 0 {
		buildInvoicePackages(d, inv)
	}

	if ec := inv.ExportControl; ec != nil && ec.Statement != "" {
		// The statement is legal text in English (15 CFR 758.6); its
		// heading is bilingual.
		d.add(cell{w: d.width, box: true, paras: []para{
			{text: d.l.Both("export_control_statement") + ": " + ec.StatementName, bold: true, size: sizeSmall},
			{text: ec.Statement},
		}})
		d.space(2)
	}
	if inv.NoCommercialValue {
		d.add(cell{w: d.width, box: true, paras: d.statement("statement.no_commercial_value", true)})
		d.space(2)
	}
	d.signature("statement.invoice_declaration", inv.Declarant, inv.InvoiceDate)
}

// buildInvoicePackages lists the packages with their marks, type, units and
// weights, and their count.
func buildInvoicePackages(d *doc, inv invoiceData) {
	d.section("section.package_marks")
	ws := []int{8, 26, 24, 82, 14, 18, 18}
	al := []align.Type{align.Center, align.Left, align.Left, align.Left, align.Right, align.Right, align.Right}
	d.table(d.heads(ws, []string{"col.no", "col.package", "col.type", "col.marks", "col.units", "col.net_weight", "col.gross_weight"}, al...))
	net, gross, n := decimal.Zero, decimal.Zero, 0
	for i, pk := range inv.Packages {
		d.add(bodyCells(ws, []string{strconv.Itoa(i + 1), pk.ID, d.l.opt("package_type.", pk.Type), orDash(pk.Marks), strconv.Itoa(pk.Units),
			d.nf.num(pk.NetWeightKg, 2), d.nf.num(pk.GrossWeightKg, 2)}, al)...)
		net, gross, n = net.Add(pk.NetWeightKg), gross.Add(pk.GrossWeightKg), n+pk.Units
	}
	tot := bodyCells(ws[3:], []string{"", strconv.Itoa(n), d.nf.num(net, 2), d.nf.num(gross, 2)}, al[3:])
	tot[0] = cell{w: ws[0] + ws[1] + ws[2] + ws[3], box: true, paras: []para{{text: d.l.Both("total_packages") + ": " + strconv.Itoa(len(inv.Packages))}}}
	for i := range tot {
		for j := range tot[i].paras {
			tot[i].paras[j].bold = true
		}
	}
	d.add(tot...)
	d.endTable()
	d.space(2)
}

// statement prints a statement in English and in the local language.
func (d *doc) statement(key string, bold bool) []para {
	ps := []para{{text: d.l.En(key), bold: bold}}
	if loc := d.l.Loc(key); loc != "" {
		ps = append(ps, para{text: loc, bold: bold, color: colorGray})
	}
	return ps
}

// signature prints a declaration with the declarant's name, position, date
// and a line to sign on, kept together on one page.
func (d *doc) signature(key string, who model.Declarant, date string) {
	st := cell{w: d.width, box: true, paras: d.statement(key, false)}
	third := d.width / 3
	sig := []cell{
		d.kvCell(third, "", []kv{{"name", who.Name}, {"position", who.Position}}),
		d.kvCell(third, "", []kv{{"date", date}}),
		d.signatureCell(d.width-2*third, who, date),
	}
	// The declaration is kept with what it certifies (the row before it)
	// and with its signature: never a signature block alone on a page.
	d.endTable()
	d.keepWithNext()
	d.add(st)
	d.keepWithNext()
	d.add(sig...)
	d.signatureAt(float64(2*third), float64(d.width-2*third))
}
