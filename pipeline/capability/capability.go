// Package capability reports, per destination country, what an archive
// proves a company has executed: packs archived, clearances recorded, holds,
// the last release. Only packs whose manifest verifies with a trusted key
// count; a country listed in the rules but absent from the archive shows
// zero, which is the difference between coverage and capability.
package capability

import (
	"context"
	"crypto"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/pack"
	"github.com/clearpack/clearpack/internal/termtable"
	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/clearpack/clearpack/pipeline/rules"
)

// Country is the evidence for one destination.
type Country struct {
	Country string `json:"country"`
	Name    string `json:"name,omitempty"`
	// Shipments with at least one verified pack to this destination.
	Shipments int `json:"shipments"`
	// Cleared of those, with a recorded clearance; Held those held at the
	// border before release; ClearedWithoutHold the rest.
	Cleared            int `json:"cleared"`
	Held               int `json:"held"`
	ClearedWithoutHold int `json:"cleared_without_hold"`
	// Stopped are shipments stopped at the desk (validation failures
	// archived) that never got a pack.
	Stopped int `json:"stopped"`
	// LastRelease is the latest release date recorded ("" when none).
	LastRelease string `json:"last_release,omitempty"`
	// Documents the destination requires, from the rules in force.
	Documents []string `json:"documents_required"`
	// Unverified counts manifests that did not verify with the trusted key
	// and were left out.
	Unverified int `json:"unverified,omitempty"`
}

// Report reads every shipment's latest complete pack and the rejected
// reports, and counts them by destination. Countries in the rule book with no
// evidence are listed with zeros.
func Report(ctx context.Context, st archive.Store, trusted crypto.PublicKey, book *rules.Book) ([]Country, error) {
	hs, err := pack.Histories(ctx, st, pack.Ref{})
	if err != nil {
		return nil, fmt.Errorf("reading the archive: %w", err)
	}
	by := map[string]*Country{}
	get := func(cc string) *Country {
		if c, ok := by[cc]; ok {
			return c
		}
		c := &Country{Country: cc}
		by[cc] = c
		return c
	}
	var stopped []string // rejection reports of shipments that never got a pack
	for _, h := range hs {
		ref, ok := h.Latest()
		if !ok {
			if len(h.Rejections) > 0 {
				stopped = append(stopped, h.Rejections[len(h.Rejections)-1])
			}
			continue
		}
		key := ref.ManifestKey()
		env, err := archive.ReadAll(ctx, st, key)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", key, err)
		}
		stmt, err := manifest.Open(env, trusted)
		if err != nil || stmt.Predicate.Destination == "" {
			get("??").Unverified++
			continue
		}
		p := stmt.Predicate
		c := get(p.Destination)
		c.Shipments++
		if cl := p.Clearance; cl != nil {
			c.Cleared++
			if cl.Held {
				c.Held++
			} else {
				c.ClearedWithoutHold++
			}
			if cl.ReleaseDate > c.LastRelease {
				c.LastRelease = cl.ReleaseDate
			}
		}
	}
	for _, key := range stopped {
		b, err := archive.ReadAll(ctx, st, key)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", key, err)
		}
		if r, err := pack.ParseRejection(b); err == nil && r.Destination != "" {
			get(r.Destination).Stopped++
		}
	}
	if book != nil {
		for _, cc := range book.Countries() {
			get(cc)
		}
		for cc, c := range by {
			p, ok := book.Profile(cc)
			if !ok {
				continue
			}
			c.Name = p.Name
			c.Documents = []string{string(model.CommercialInvoice), string(model.PackingList)}
			for _, d := range p.ImportDocuments {
				if !contains(c.Documents, string(d.Kind)) {
					c.Documents = append(c.Documents, string(d.Kind))
				}
			}
			for _, pr := range p.Permits {
				c.Documents = append(c.Documents, "permit: "+pr.Name)
			}
		}
	}
	out := make([]Country, 0, len(by))
	for _, c := range by {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Shipments != out[j].Shipments {
			return out[i].Shipments > out[j].Shipments
		}
		return out[i].Country < out[j].Country
	})
	return out, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// WriteTable prints the report for people, every column in full.
func WriteTable(w io.Writer, cs []Country) error { return WriteTableWidth(w, 0, cs) }

// WriteTableWidth prints the report fitted to width columns (0: every column
// in full): the documents required wrap, the last release date is left out
// first.
func WriteTableWidth(w io.Writer, width int, cs []Country) error {
	cols := []termtable.Column{{Header: "COUNTRY", Fit: termtable.Cut, Min: 14}, {Header: "SHIPMENTS"}, {Header: "CLEARED"}, {Header: "NO HOLD", Drop: 2},
		{Header: "HELD"}, {Header: "STOPPED"}, {Header: "LAST RELEASE", Drop: 3}, {Header: "DOCUMENTS REQUIRED", Fit: termtable.Wrap, Min: 20}}
	rows := make([][]string, 0, len(cs))
	for _, c := range cs {
		last := c.LastRelease
		if last == "" {
			last = "-"
		}
		name := c.Country
		if c.Name != "" {
			name += " " + c.Name
		}
		rows = append(rows, []string{name, strconv.Itoa(c.Shipments), strconv.Itoa(c.Cleared), strconv.Itoa(c.ClearedWithoutHold),
			strconv.Itoa(c.Held), strconv.Itoa(c.Stopped), last, strings.Join(c.Documents, ", ")})
	}
	return termtable.Write(w, width, cols, rows)
}
