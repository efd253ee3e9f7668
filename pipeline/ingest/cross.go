package ingest

import (
	"fmt"
	"strconv"

	"github.com/clearpack/clearpack/internal/hash128"
)

// cross runs the checks between files: every asset of a shipment exists and
// is good, no asset is on two shipments, packages hold exactly the
// shipment's assets, years of manufacture are not after the ship year.
func (l *loader) cross() {
	ps := l.ps
	if ps == nil {
		return
	}
	inv := ""
	if len(l.b.Inputs) > 0 {
		inv = l.b.Inputs[0].Path
	}
	// owner: where each tag was first listed, by a 128-bit hash of the tag
	// (see seen): the shipment's index and the line, pointer-free.
	type onShip struct {
		i, line int32
	}
	owner := map[hash128.Sum]onShip{}
	h := hash128.New()
	for i, x := range ps.xs {
		if !x.ok {
			continue
		}
		id := ps.ids[i]
		shipYear := 0
		if x.shipDate != "" {
			if t, err := parseDate(x.shipDate); err == nil {
				shipYear = t.Year()
			}
		}
		onThis := map[string]int{}
		for _, ta := range x.assets {
			tag, line := ta.tag, int(ta.line)
			field := fmt.Sprintf("assets[%d]", ta.j)
			if prev, dup := onThis[tag]; dup {
				l.add(Problem{File: ps.file, Line: line, Field: field, AssetTag: tag, Msg: "asset listed twice",
					Found: fmt.Sprintf("%s on lines %d and %d", quoteCut(tag), prev, line), Expected: "each asset once per shipment"}, id)
				continue
			}
			onThis[tag] = line
			th := h.String(tag)
			if o, dup := owner[th]; dup && ps.ids[o.i] != id {
				oid, oline := ps.ids[o.i], int(o.line)
				l.add(Problem{File: ps.file, Line: oline, Field: "assets", AssetTag: tag, Msg: "asset on two shipments",
					Found: fmt.Sprintf("%s also on shipment %s (line %d)", quoteCut(tag), id, line), Expected: "each asset on one shipment"}, oid)
				l.add(Problem{File: ps.file, Line: line, Field: field, AssetTag: tag, Msg: "asset on two shipments",
					Found: fmt.Sprintf("%s also on shipment %s (line %d)", quoteCut(tag), oid, oline), Expected: "each asset on one shipment"}, id)
			} else if !dup {
				owner[th] = onShip{i: int32(i), line: int32(line)}
			}
			if idx, bad := l.badAssets[tag]; bad {
				l.b.Reported[tag] = true
				for _, k := range idx {
					a := &l.probs[k]
					if len(a.ships) == 0 {
						a.p.Shipment = id
					}
					a.ships = appendOnce(a.ships, id)
				}
				continue
			}
			year, afile, aline, good := l.assetYear(tag)
			if !good {
				l.b.Reported[tag] = true
				l.add(Problem{File: ps.file, Line: line, Field: field, AssetTag: tag, Msg: "unknown asset",
					Found: quoteCut(tag), Expected: "an asset tag of the inventory " + inv}, id)
				continue
			}
			if shipYear > 0 && year > shipYear {
				l.add(Problem{File: afile, Line: aline, Field: "year_of_manufacture", AssetTag: tag, Msg: "year of manufacture after the ship year",
					Found: strconv.Itoa(year), Expected: fmt.Sprintf("1990 to %d (shipment %s ships %s)", shipYear, id, x.shipDate)}, id)
			}
		}
	}
}

// packages checks a shipment's packages: unique ids, every packed asset on
// the shipment and in one package, every asset packed. It needs nothing
// beyond the shipment, so it runs as each shipment is read (addShipment),
// and the plan's package contents are not kept for cross.
func packages(file, id string, x shipXref) []Problem {
	if len(x.pkgs) == 0 {
		return nil
	}
	onThis := make(map[string]int, len(x.assets))
	for _, ta := range x.assets {
		if _, dup := onThis[ta.tag]; !dup {
			onThis[ta.tag] = int(ta.line)
		}
	}
	var probs []Problem
	add := func(p Problem) {
		p.File, p.Shipment = file, id
		probs = append(probs, p)
	}
	pkgIDs := map[string]int{}
	packed := map[string]string{}
	for pi, pk := range x.pkgs {
		if !pk.ok {
			continue
		}
		pid := pk.id
		if pid != "" {
			if first, dup := pkgIDs[pid]; dup {
				add(Problem{Line: pk.idLine, Field: fmt.Sprintf("packages[%d].id", pi), Msg: "duplicate package id",
					Found: fmt.Sprintf("%s on lines %d and %d", quoteCut(pid), first, pk.idLine), Expected: "each package id once per shipment"})
			} else {
				pkgIDs[pid] = pk.idLine
			}
		}
		for _, ta := range pk.assets {
			tag, line := ta.tag, int(ta.line)
			field := fmt.Sprintf("packages[%d].assets[%d]", pi, ta.j)
			if _, on := onThis[tag]; !on {
				add(Problem{Line: line, Field: field, AssetTag: tag, Msg: "packed asset not on this shipment",
					Found: quoteCut(tag), Expected: "one of the shipment's assets"})
				continue
			}
			if other, dup := packed[tag]; dup {
				add(Problem{Line: line, Field: field, AssetTag: tag, Msg: "asset in two packages",
					Found: fmt.Sprintf("%s also in package %s", quoteCut(tag), other), Expected: "each asset in one package"})
				continue
			}
			packed[tag] = pid
		}
	}
	for tag, line := range onThis {
		if _, ok := packed[tag]; !ok {
			add(Problem{Line: line, Field: "assets", AssetTag: tag, Msg: "asset in no package",
				Found: quoteCut(tag), Expected: "every asset of the shipment in one of its packages"})
		}
	}
	return probs
}

func appendOnce(s []string, x string) []string {
	for _, y := range s {
		if y == x {
			return s
		}
	}
	return append(s, x)
}
