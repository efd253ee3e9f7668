package rules

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"

	"github.com/clearpack/clearpack/pipeline/model"
)

// incoterms is templates/incoterms/incoterms.yaml.
type incoterms struct {
	Basis     `yaml:",inline"`
	Rules     map[string]incotermRule `yaml:"rules" json:"rules"`
	LandModes []string                `yaml:"land_modes" json:"land_modes"`
	// GatewayModes are the modes that enter at a port or airport of
	// import: a delivery by them to an inland place carries freight past
	// it (inlandOfGateway).
	GatewayModes []string    `yaml:"gateway_modes" json:"gateway_modes"`
	PlaceKinds   []placeKind `yaml:"place_kinds" json:"place_kinds"`
}

type incotermRule struct {
	Modes          []string `yaml:"modes,omitempty" json:"modes,omitempty"`
	SellerCarriage bool     `yaml:"seller_carriage" json:"seller_carriage"`
	AtDestination  bool     `yaml:"at_destination,omitempty" json:"at_destination,omitempty"`
}

type placeKind struct {
	Words []string `yaml:"words" json:"words"`
	Modes []string `yaml:"modes" json:"modes"`
}

func parseIncoterms(name string, data []byte) (incoterms, error) {
	var in incoterms
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&in); err != nil {
		return in, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(in.Rules) == 0 {
		return in, fmt.Errorf("reading %s: no rules", name)
	}
	return in, nil
}

// BorderFreightRule is the share of the freight to the border crossing of a
// delivery from From to one of Places (matched as whole words, ignoring
// case and accents) over land: what the customs value takes when the plan
// states no freight_to_border.
type BorderFreightRule struct {
	From     string   `yaml:"from" json:"from"`
	Places   []string `yaml:"places" json:"places"`
	Crossing string   `yaml:"crossing" json:"crossing"`
	Share    string   `yaml:"share" json:"share"`
	Basis    `yaml:",inline"`
}

// freightToBorder is the part of the freight to the place of import that
// the customs value takes: the plan's freight_to_border, else, for a
// delivery at destination by a land mode, the freight times the
// destination profile's border share for the origin and place (estimated,
// with the rule), else zero (all the freight, or none is past the border).
func (sh *shipment) freightToBorder() (decimal.Decimal, *BorderFreightRule) {
	s := sh.s
	if s.FreightToBorder.IsPositive() || !s.Freight.IsPositive() || !sh.hasDest {
		return s.FreightToBorder, nil
	}
	rule, ok := sh.book.incoterms.Rules[strings.ToUpper(s.Incoterms.Rule)]
	// border_freight shares are of road or rail freight to a land border:
	// a sea or air move past its port of import has no estimate.
	if !ok || !rule.AtDestination || !slices.Contains(sh.book.incoterms.LandModes, strings.ToLower(s.Transport.Mode)) {
		return s.FreightToBorder, nil
	}
	for i, bf := range sh.dest.BorderFreight {
		if bf.From != s.Origin || !slices.ContainsFunc(bf.Places, func(p string) bool { return wordIn(s.Incoterms.Place, p) }) {
			continue
		}
		share, err := decimal.NewFromString(bf.Share)
		if err != nil { // validated at Load
			continue
		}
		return s.Freight.Mul(share).Round(model.MinorUnits(s.Currency)), &sh.dest.BorderFreight[i]
	}
	return s.FreightToBorder, nil
}

// inlandOfGateway reports whether s moves by sea or air under a rule for
// any mode where the seller pays the main carriage (CPT, CIP, DAP, DPU,
// DDP) to a named place that is not the port or airport of import: the
// place names no kind of place the mode delivers to (place_kinds) and not
// the last port or airport code of the route. Then the freight on the
// invoice runs past the place of import, and the gateway is the route's
// last code (SGN of SIN-SGN), or "" when the route names none.
func (sh *shipment) inlandOfGateway() (string, bool) {
	s := sh.s
	in := sh.book.incoterms
	rule, ok := in.Rules[strings.ToUpper(s.Incoterms.Rule)]
	mode := strings.ToLower(s.Transport.Mode)
	if !ok || !rule.SellerCarriage || len(rule.Modes) > 0 || !slices.Contains(in.GatewayModes, mode) || s.Incoterms.Place == "" {
		return "", false
	}
	for _, k := range in.PlaceKinds {
		if !slices.Contains(k.Modes, mode) {
			continue
		}
		if slices.ContainsFunc(k.Words, func(w string) bool { return wordIn(s.Incoterms.Place, w) }) {
			return "", false
		}
	}
	legs := strings.Split(s.Transport.Route, "-")
	gateway := strings.TrimSpace(legs[len(legs)-1])
	if strings.ContainsAny(gateway, " ,") {
		gateway = "" // not a code: a named route
	}
	return gateway, true
}

// override decodes an incoterms.yaml of the --rules-dir over the data in
// force: a rule it names replaces the rule of that name (or adds one), any
// other field it sets replaces the embedded value. Errors name the file and
// line.
func (in *incoterms) override(name string, data []byte) error {
	var over incoterms
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&over); err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	var present struct {
		Basis        `yaml:",inline"`
		LandModes    *[]string    `yaml:"land_modes"`
		GatewayModes *[]string    `yaml:"gateway_modes"`
		PlaceKinds   *[]placeKind `yaml:"place_kinds"`
	}
	if err := yaml.Unmarshal(data, &present); err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	rules := maps.Clone(in.Rules)
	for k, r := range over.Rules {
		if k != strings.ToUpper(k) {
			return fmt.Errorf("reading %s: rules: %q: expected an Incoterms 2020 rule in capitals, such as DAP", name, k)
		}
		for _, m := range r.Modes {
			if !slices.Contains([]string{"air", "sea", "road", "rail", "courier"}, m) {
				return fmt.Errorf("reading %s: rules.%s.modes: %q: expected air, sea, road, rail or courier", name, k, m)
			}
		}
		rules[k] = r
	}
	in.Rules = rules
	if over.Source != "" {
		in.Source = over.Source
	}
	if over.Effective != "" {
		in.Effective = over.Effective
	}
	if over.Confidence != "" {
		if !slices.Contains([]string{Confirmed, Verify, Unsourced}, over.Confidence) {
			return fmt.Errorf("reading %s: confidence %q: expected confirmed, verify or unsourced", name, over.Confidence)
		}
		in.Confidence = over.Confidence
	}
	if over.Note != "" {
		in.Note = over.Note
	}
	if present.LandModes != nil {
		in.LandModes = over.LandModes
	}
	if present.GatewayModes != nil {
		in.GatewayModes = over.GatewayModes
	}
	if present.PlaceKinds != nil {
		in.PlaceKinds = over.PlaceKinds
	}
	return nil
}

// wordIn reports whether w occurs in s as whole words (both folded).
func wordIn(s, w string) bool {
	s, w = " "+permitKey(s)+" ", permitKey(w)
	for _, sep := range []string{",", ".", "(", ")", ";", "/"} {
		s = strings.ReplaceAll(s, sep, " ")
	}
	return strings.Contains(" "+strings.Join(strings.Fields(s), " ")+" ", " "+w+" ")
}

// checkIncoterms: the rule suits the transport (FAS, FOB, CFR and CIF are
// for sea transport), the named place is a kind of place the transport can
// deliver to (not an airport for a sea or road move), and under a rule where
// the buyer contracts the main carriage (EXW, FCA, FAS, FOB) the invoice
// total carries no freight or insurance after delivery.
func checkIncoterms(sh *shipment) []model.CheckResult {
	in := sh.book.incoterms
	s := sh.s
	rule, ok := in.Rules[strings.ToUpper(s.Incoterms.Rule)]
	if !ok || s.Incoterms.Place == "" {
		return nil // checkDocuments names a missing rule or place
	}
	mode := strings.ToLower(s.Transport.Mode)
	var f faults
	if len(rule.Modes) > 0 && mode != "" && !slices.Contains(rule.Modes, mode) {
		f.add(in.Basis, "%s: %s is a rule for %s transport, but the shipment moves by %s: use %s", shipAt(s, "incoterms.rule"),
			s.Incoterms.Rule, strings.Join(rule.Modes, " or "), mode, anyModeAlt(s.Incoterms.Rule))
	}
	for _, k := range in.PlaceKinds {
		for _, w := range k.Words {
			if wordIn(s.Incoterms.Place, w) && mode != "" && !slices.Contains(k.Modes, mode) {
				f.add(in.Basis, "%s: %q names a place (%s) %s transport does not deliver to; the shipment moves by %s on %s",
					shipAt(s, "incoterms.place"), s.Incoterms.Place, w, strings.Join(k.Modes, " or "), mode, orNone(s.Transport.Route))
				break
			}
		}
	}
	switch {
	case s.FreightToBorder.GreaterThan(s.Freight):
		f.failf("%s: %s %s is more than the freight %s %s", shipAt(s, "freight_to_border"), s.FreightToBorder, s.Currency, s.Freight, s.Currency)
	case rule.AtDestination && slices.Contains(in.LandModes, mode) && s.Freight.IsPositive() && s.FreightToBorder.IsZero():
		if fb, bf := sh.freightToBorder(); bf != nil {
			f.warnf("%s: not given: estimated at %s %s, %s of the freight %s %s to the border at %s (%s's border_freight: %s): state the carrier's split",
				shipAt(s, "freight_to_border"), money(fb, s.Currency), s.Currency, bf.Share, money(s.Freight, s.Currency), s.Currency, bf.Crossing, s.Destination, bf.Cite())
			break
		}
		f.warnf("%s: missing: %s %s by %s carries freight past the border, and the customs value of %s takes freight to the place of import only: state the part of the freight %s %s to the border",
			shipAt(s, "freight_to_border"), s.Incoterms.Rule, s.Incoterms.Place, mode, s.Destination, s.Freight, s.Currency)
	case s.Freight.IsPositive() && s.FreightToBorder.IsZero():
		gateway, inland := sh.inlandOfGateway()
		if !inland {
			break
		}
		kind := map[string]string{"air": "airport", "sea": "port"}[mode]
		at := kind + " of import"
		if gateway != "" {
			at += " " + gateway
		}
		why := "the customs value takes freight to the place of import only"
		if sh.hasDest && sh.dest.CustomsValue != nil {
			switch sh.dest.CustomsValue.Value {
			case "CIF":
				why = fmt.Sprintf("%s values CIF at the place of import (%s), so the freight after it is not in the customs value", s.Destination, sh.dest.CustomsValue.Cite())
			case "FOB":
				why = fmt.Sprintf("%s values FOB (%s) and declares the international freight to the place of import apart from the freight after it", s.Destination, sh.dest.CustomsValue.Cite())
			}
		}
		f.warnf("%s: missing: %s %s by %s carries freight past the %s to an inland place, and %s: state the part of the freight %s %s to the %s",
			shipAt(s, "freight_to_border"), s.Incoterms.Rule, s.Incoterms.Place, mode, at, why, money(s.Freight, s.Currency), s.Currency, kind)
	}
	if !rule.SellerCarriage {
		for _, x := range []struct {
			field string
			v     string
			pos   bool
		}{{"freight", s.Freight.String(), s.Freight.IsPositive()}, {"insurance", s.Insurance.String(), s.Insurance.IsPositive()}} {
			if x.pos {
				f.add(in.Basis, "%s: %s %s on a %s invoice: carriage after delivery at %s is the buyer's and not in the invoice total",
					shipAt(s, x.field), x.v, s.Currency, s.Incoterms.Rule, s.Incoterms.Place)
			}
		}
	}
	return []model.CheckResult{f.result("incoterms", in.Cite(),
		fmt.Sprintf("%s %s fits a %s move", s.Incoterms.Rule, s.Incoterms.Place, orNone(mode)))}
}

// anyModeAlt names the any-mode rule that corresponds to a sea-only one.
func anyModeAlt(rule string) string {
	switch strings.ToUpper(rule) {
	case "FAS", "FOB":
		return "FCA"
	case "CFR":
		return "CPT"
	case "CIF":
		return "CIP"
	}
	return "a rule for any mode"
}

func orNone(s string) string {
	if s == "" {
		return "(none given)"
	}
	return s
}

// FreightToBorder is the freight to the place of import that the customs
// value of s takes when s states none, estimated from its destination's
// border share (border_freight), and whether there is such a share. It is
// what the documents print and the clearance check expects.
func (b *Book) FreightToBorder(s *model.Shipment) (decimal.Decimal, bool) {
	p, ok := b.lookup(s.Destination)
	sh := &shipment{book: b, s: s, dest: &p, hasDest: ok}
	fb, bf := sh.freightToBorder()
	return fb, bf != nil
}

// money prints an amount with its currency's minor unit (15817.50 MXN).
func money(d decimal.Decimal, cur string) string { return d.StringFixed(model.MinorUnits(cur)) }
