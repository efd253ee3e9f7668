package rules

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/clearpack/clearpack/pipeline/model"
)

// incoterms is templates/incoterms/incoterms.yaml.
type incoterms struct {
	Basis      `yaml:",inline"`
	Rules      map[string]incotermRule `yaml:"rules" json:"rules"`
	LandModes  []string                `yaml:"land_modes" json:"land_modes"`
	PlaceKinds []placeKind             `yaml:"place_kinds" json:"place_kinds"`
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
		f.warnf("%s: missing: %s %s by %s carries freight past the border, and the customs value of %s takes freight to the place of import only: state the part of the freight %s %s to the border",
			shipAt(s, "freight_to_border"), s.Incoterms.Rule, s.Incoterms.Place, mode, s.Destination, s.Freight, s.Currency)
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
