package renderers

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/johnfercher/maroto/v2/pkg/consts/align"

	"github.com/clearpack/clearpack/pipeline/model"
)

type specUnit struct {
	AssetTag             string `json:"asset_tag"`
	Serial               string `json:"serial"`
	Manufacturer         string `json:"manufacturer"`
	Model                string `json:"model"`
	PartNumber           string `json:"part_number,omitempty"`
	Category             string `json:"category"`
	RackUnits            int    `json:"rack_units,omitempty"`
	CPUModel             string `json:"cpu_model,omitempty"`
	CPUSockets           int    `json:"cpu_sockets,omitempty"`
	CPUCores             int    `json:"cpu_cores,omitempty"`
	Memory               string `json:"memory,omitempty"`
	Storage              string `json:"storage,omitempty"`
	Network              string `json:"network,omitempty"`
	PowerSupplies        string `json:"power_supplies,omitempty"`
	ManagementController string `json:"management_controller,omitempty"`
	TPM                  bool   `json:"tpm"`
	TPMText              string `json:"tpm_text,omitempty"`
	DriveEncryption      string `json:"drive_encryption,omitempty"`
	HSCode               string `json:"hs_code"`
	// ExportCode is the unit's number in the origin's export nomenclature
	// (the US Schedule B), on the list addressed to the origin.
	ExportCode          string `json:"export_classification,omitempty"`
	ClassificationBasis string `json:"classification_basis"`
	ECCN                string `json:"eccn"`
	ECCNSource          string `json:"eccn_source,omitempty"`
	LicenseException    string `json:"license_exception"`
	CountryOfOrigin     string `json:"country_of_origin"`
}

type specData struct {
	AddressedTo string     `json:"addressed_to"`
	Authority   string     `json:"authority_country"`
	Units       []specUnit `json:"units"`
	// On the list addressed to the origin: the export nomenclature of
	// ExportCode and the export filings made.
	ExportNomenclature string         `json:"export_nomenclature,omitempty"`
	ExportFilings      []model.Filing `json:"export_filings,omitempty"`
}

// hsDigits is the HS code without dots or spaces.
func hsDigits(code string) string {
	var b strings.Builder
	for _, r := range code {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// hsBasisKey finds the translation key explaining an HS code: the
// subheading (hs.847150), else the heading (hs.8471), else hs.other.
func (r *Renderer) hsBasisKey(code string) string {
	dg := hsDigits(code)
	en := r.tables["en"].Labels
	if len(dg) >= 6 {
		if _, ok := en["hs."+dg[:6]]; ok {
			return "hs." + dg[:6]
		}
	}
	if len(dg) >= 4 {
		if _, ok := en["hs."+dg[:4]]; ok {
			return "hs." + dg[:4]
		}
	}
	return "hs.other"
}

func prepareSpec(r *Renderer, kind model.DocKind, p Pack) (any, error) {
	if len(p.Assets) == 0 {
		return nil, fmt.Errorf("shipment %s: no units to list", p.Shipment.ID)
	}
	out := specData{AddressedTo: "export", Authority: p.Shipment.Origin}
	if kind == model.SpecListDestination {
		out.AddressedTo, out.Authority = "import", p.Shipment.Destination
	} else {
		out.ExportFilings = p.Shipment.ExportFilings
		if len(p.Extras.ExportLines) > 0 {
			out.ExportNomenclature = p.Extras.ExportNomenclature
		}
	}
	for _, a := range p.Assets {
		if strings.TrimSpace(a.HSCode) == "" {
			return nil, fmt.Errorf("%s: field hs_code is empty, expected a 6-digit subheading plus national extension", where(a))
		}
		u := specUnit{
			AssetTag: a.AssetTag, Serial: a.Serial, Manufacturer: a.Manufacturer, Model: a.Model, PartNumber: a.PartNumber,
			Category: a.Category, RackUnits: a.RackUnits, CPUModel: a.CPUModel, CPUSockets: a.CPUSockets, CPUCores: a.CPUCores,
			Memory: a.Memory, Storage: a.Storage, Network: a.Network, PowerSupplies: a.PowerSupplies,
			ManagementController: a.ManagementController, TPM: a.TPM, TPMText: a.TPMText, DriveEncryption: a.DriveEncryption,
			HSCode: a.HSCode, ClassificationBasis: r.tables["en"].Labels[r.hsBasisKey(a.HSCode)],
			ECCN: a.ECCN, ECCNSource: a.ECCNSource, LicenseException: a.LicenseException, CountryOfOrigin: a.CountryOfOrigin,
		}
		if kind == model.SpecListOrigin {
			// The origin's authority classifies under its own export
			// nomenclature, not under the destination's national line:
			// the international subheading, and the export number
			// where the origin's profile has one.
			if dg := hsDigits(a.HSCode); len(dg) >= 6 {
				u.HSCode = dg[:4] + "." + dg[4:6]
			}
			u.ExportCode = p.Extras.ExportLines[a.AssetTag]
		}
		if u.ECCN == "" {
			return nil, fmt.Errorf("%s: field eccn is empty, expected an ECCN (5A992.c, EAR99, ...)", where(a))
		}
		if u.LicenseException == "" {
			u.LicenseException = "NLR"
		}
		out.Units = append(out.Units, u)
	}
	return out, nil
}

func buildSpec(d *doc, p Pack, data any) {
	sd := data.(specData)
	s := p.Shipment
	third := d.width / 3
	key := "addressed.export"
	if sd.AddressedTo == "import" {
		key = "addressed.import"
	}
	to := fill(d.l.En(key), "country", countryName(sd.Authority))
	if loc := d.l.Loc(key); loc != "" {
		to += "\n" + fill(loc, "country", countryName(sd.Authority))
	}
	d.add(cell{w: third, box: true, paras: []para{{text: d.l.Both("addressed_to"), bold: true, size: sizeSmall, color: colorGray}, {text: to, bold: true}}},
		d.partyCell(third, "party.exporter_of_record", s.Parties.ExporterOfRecord, p.Extras.TaxIDNames),
		d.partyCell(d.width-2*third, "party.importer_of_record", s.Parties.ImporterOfRecord, p.Extras.TaxIDNames))
	facts := []kv{
		{"invoice_number", DocNumber(model.CommercialInvoice, p)},
		{"country_of_export", countryName(s.Origin)},
		{"country_of_destination", countryName(s.Destination)},
		{"total_quantity", strconv.Itoa(len(sd.Units))},
	}
	for _, f := range sd.ExportFilings {
		facts = append(facts, kv{"export_filing", filingText(f)})
	}
	if sd.ExportNomenclature != "" {
		facts = append(facts, kv{"export_classification", sd.ExportNomenclature})
	}
	d.add(d.kvCell(d.width, "", facts))
	d.space(2)

	ws := []int{9, 42, 30, 22, 26, 24, 26, 22, 44, 18, 14}
	al := []align.Type{align.Center}
	d.table(d.heads(ws, []string{"col.no", "col.unit", "col.cpu", "col.memory", "col.storage", "col.network",
		"col.power", "col.encryption", "col.classification", "col.eccn", "col.licence"}, al...))
	small := func(s string) []para { return []para{{text: orDash(s), size: sizeSmall}} }
	for i, u := range sd.Units {
		cs := bodyCells(ws, make([]string, len(ws)), al)
		cs[0].paras = []para{{text: strconv.Itoa(i + 1), size: sizeSmall}}
		unit := []para{
			{text: u.Manufacturer + " " + u.Model, bold: true, size: sizeSmall},
			{text: "S/N " + u.Serial + " · " + u.AssetTag, size: sizeSmall},
		}
		var extra []string
		if u.PartNumber != "" {
			extra = append(extra, "P/N "+u.PartNumber)
		}
		if u.RackUnits > 0 {
			extra = append(extra, strconv.Itoa(u.RackUnits)+"U")
		}
		if u.CountryOfOrigin != "" {
			extra = append(extra, d.l.En("col.origin")+" "+u.CountryOfOrigin)
		}
		if len(extra) > 0 {
			unit = append(unit, para{text: strings.Join(extra, " · "), size: sizeSmall, color: colorGray})
		}
		cs[1].paras = unit
		cpu := u.CPUModel
		if u.CPUSockets > 0 || u.CPUCores > 0 {
			cpu = joinNonEmpty(" · ", cpu, fmt.Sprintf("%d × %d %s", max(u.CPUSockets, 1), u.CPUCores, d.l.En("cores")))
		}
		cs[2].paras = small(cpu)
		cs[3].paras = small(u.Memory)
		cs[4].paras = small(u.Storage)
		cs[5].paras = small(u.Network)
		cs[6].paras = small(joinNonEmpty(" · ", u.PowerSupplies, u.ManagementController))
		tpm := d.l.En("no")
		if u.TPM {
			tpm = d.l.En("yes")
		}
		if u.TPMText != "" { // the module as the inventory described it ("TPM 2.0")
			tpm = u.TPMText
		}
		cs[7].paras = small("TPM: " + tpm + " · " + d.l.En("drives") + ": " + orDash(u.DriveEncryption))
		cs[8].paras = []para{{text: u.HSCode, bold: true, size: sizeSmall}, {text: d.l.Both(d.r.hsBasisKey(u.HSCode)), size: sizeSmall}}
		if u.ExportCode != "" {
			cs[8].paras = append([]para{{text: shortName(sd.ExportNomenclature) + " " + fmtSchedB(u.ExportCode), bold: true, size: sizeSmall}}, cs[8].paras...)
			cs[8].paras[1] = para{text: "HS " + u.HSCode, size: sizeSmall}
		}
		src := ""
		if u.ECCNSource != "" {
			src = d.l.opt("eccn_source.", strings.ToLower(u.ECCNSource))
		}
		cs[9].paras = []para{{text: u.ECCN, bold: true, size: sizeSmall}, {text: src, size: sizeSmall, color: colorGray}}
		cs[10].paras = []para{{text: u.LicenseException, bold: true, size: sizeSmall}}
		d.add(cs...)
	}
	d.endTable()
	d.space(3)
	d.add(cell{w: d.width, box: true, paras: d.statement("statement.spec_list", false)})
	d.space(2)
	d.signature("statement.spec_declaration", s.Declarant, s.ShipDate)
}

// fmtSchedB prints a 10-digit export number as 8471.50.0150.
func fmtSchedB(code string) string {
	if len(code) != 10 {
		return code
	}
	return code[:4] + "." + code[4:6] + "." + code[6:]
}

// shortName is a nomenclature's name before any parenthesis or comma
// ("Schedule B (U.S. Census Bureau), 10 digits" → "Schedule B").
func shortName(s string) string {
	if i := strings.IndexAny(s, "(,"); i > 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
