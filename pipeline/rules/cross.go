package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/clearpack/clearpack/pipeline/model"
)

const (
	srcSameModel = "HS 2022 General Interpretative Rules 1 and 6; EAR 15 CFR 774: one model, one classification in every destination"
	srcSameUnit  = "WTO Customs Valuation Agreement: one unit, one method and value basis in every destination"
)

// sighting is one unit of a shipment, for the cross-shipment checks.
type sighting struct {
	sh *shipment
	a  *model.Asset
}

func (s sighting) String() string {
	return fmt.Sprintf("shipment %s (%s asset %s)", s.sh.s.ID, src(s.a.Src), s.a.AssetTag)
}

// crossCompare groups the units by key, and within a key by value; a key
// with more than one value is a divergence, reported as a failure in every
// shipment involved, naming the shipments on each side.
func crossCompare(ships []*shipment, rule, source, passDetail string,
	key func(a *model.Asset) string, value func(a *model.Asset) string, what func(a *model.Asset) string) {
	// Slices, not maps: a group almost always has one value and one
	// shipment, and at 100,000 units two maps per group held ~60 MB.
	type group struct {
		values []string
		first  []sighting // first[i]: where values[i] was first seen
		ships  []*shipment
	}
	groups := map[string]*group{}
	var order []string
	for _, sh := range ships {
		for _, a := range sh.assets {
			k := key(a)
			if k == "" {
				continue
			}
			g, ok := groups[k]
			if !ok {
				g = &group{}
				groups[k] = g
				order = append(order, k)
			}
			if v := value(a); !slices.Contains(g.values, v) {
				g.values = append(g.values, v)
				g.first = append(g.first, sighting{sh, a})
			}
			// A shipment's units are visited one after another.
			if n := len(g.ships); n == 0 || g.ships[n-1] != sh {
				g.ships = append(g.ships, sh)
			}
		}
	}
	found := map[*shipment]*faults{}
	for _, k := range order {
		g := groups[k]
		if len(g.values) < 2 {
			continue
		}
		parts := make([]string, len(g.values))
		for i, v := range g.values {
			parts[i] = fmt.Sprintf("%s in %s", v, g.first[i])
		}
		msg := fmt.Sprintf("%s: %s", what(g.first[0].a), strings.Join(parts, " but "))
		for _, sh := range g.ships {
			if found[sh] == nil {
				found[sh] = &faults{}
			}
			found[sh].failf("%s", msg)
		}
	}
	for _, sh := range ships {
		f := found[sh]
		if f == nil {
			f = &faults{}
		}
		sh.cross = append(sh.cross, f.result(rule, source, passDetail))
	}
}

// crossModel: the same model gets the same HS subheading and ECCN in every
// destination.
func crossModel(ships []*shipment) {
	crossCompare(ships, "same-model-classification", srcSameModel,
		"each model has one HS subheading and ECCN across the plan",
		func(a *model.Asset) string {
			// One model however its name is typed: NFC, no-break and
			// zero-width spaces folded.
			return fold(a.Manufacturer) + "|" + fold(a.Model)
		},
		func(a *model.Asset) string {
			sub := a.HSCode
			if len(sub) >= 6 {
				sub = fmtHS(sub[:6])
			}
			eccn := a.ECCN
			if eccn == "" {
				eccn = "no ECCN"
			}
			return fmt.Sprintf("HS %s / %s", sub, eccn)
		},
		func(a *model.Asset) string {
			return fmt.Sprintf("model %s %s: fields hs_code, eccn differ", a.Manufacturer, a.Model)
		})
}

// crossValueBasis: the same unit (manufacturer and serial) gets the same
// valuation method and value basis everywhere. ingest already refuses an
// inventory that lists a serial twice (in any case); this holds for inputs
// built otherwise.
func crossValueBasis(ships []*shipment) {
	crossCompare(ships, "same-unit-value-basis", srcSameUnit,
		"each unit has one valuation method and value basis across the plan",
		func(a *model.Asset) string {
			if a.Serial == "" {
				return ""
			}
			return fold(a.Manufacturer) + "|" + fold(a.Serial)
		},
		func(a *model.Asset) string {
			return fmt.Sprintf("method %d, original cost %s %s, basis %q", a.ValuationMethod, a.OriginalCost, a.Currency, a.DepreciationBasis)
		},
		func(a *model.Asset) string {
			return fmt.Sprintf("unit %s serial %s: fields valuation_method, original_cost, depreciation_basis differ", a.Manufacturer, a.Serial)
		})
}
