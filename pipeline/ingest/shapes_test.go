package ingest_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/clearpack/clearpack/pipeline/rules"
	"github.com/clearpack/clearpack/renderers"
)

// shape is one way of writing testdata/snipeit-eu's inventory.
type shape struct {
	name, inventory, mapping string
}

func snipeitShapes() []shape {
	dir := filepath.Join("..", "..", "testdata", "snipeit-eu")
	return []shape{
		{"Snipe-IT web export", filepath.Join(dir, "inventory.csv"), ""},
		{"clearpack CSV", filepath.Join(dir, "clearpack.csv"), ""},
		{"JSON", filepath.Join(dir, "inventory.json"), ""},
		{"Snipe-IT API CSV in pounds, with docs/mappings/snipeit-api.yaml", filepath.Join(dir, "snipeit-api.csv"), filepath.Join("..", "..", "docs", "mappings", "snipeit-api.yaml")},
	}
}

// TestSnipeITSampleValidates is the measure: an EU operator's
// Snipe-IT export ("Server", "Network Switch", "TPM 2.0", "NIST 800-88
// Purge") and a plan written with anchors, aliases and merge keys load
// without a single input fault, and every shipment passes its checks.
func TestSnipeITSampleValidates(t *testing.T) {
	book, err := rules.Load("")
	if err != nil {
		t.Fatal(err)
	}
	plan := filepath.Join("..", "..", "testdata", "snipeit-eu", "plan.yaml")
	for _, s := range snipeitShapes() {
		t.Run(s.name, func(t *testing.T) {
			b, err := ingest.Load(context.Background(), ingest.Files{Inventory: s.inventory, Plan: plan, Mapping: s.mapping}, ingest.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range b.Problems {
				t.Errorf("input fault: %v", p)
			}
			if len(b.Assets) != 6 || len(b.Plan.Shipments) != 3 {
				t.Fatalf("%d assets and %d shipments, want 6 and 3", len(b.Assets), len(b.Plan.Shipments))
			}
			for _, r := range book.Check(rules.Input{Plan: b.Plan, Assets: b.Assets, Clearances: b.Clearances, Reported: b.Reported}) {
				for _, c := range r.Results {
					if c.Status != model.Pass {
						t.Errorf("%s: %s %s: %s", r.ShipmentID, c.Rule, c.Status, c.Detail)
					}
				}
			}
		})
	}
}

// TestSameInventoryShapesSameDocuments: the Snipe-IT export, its equivalent
// in clearpack's own CSV, the JSON, and the Snipe-IT API's CSV read through
// a mapping give byte-identical documents, and the documents keep the
// export's own wording of the TPM and the sanitisation method.
func TestSameInventoryShapesSameDocuments(t *testing.T) {
	if testing.Short() {
		t.Skip("renders every document four times")
	}
	book, err := rules.Load("")
	if err != nil {
		t.Fatal(err)
	}
	rend, err := renderers.New()
	if err != nil {
		t.Fatal(err)
	}
	plan := filepath.Join("..", "..", "testdata", "snipeit-eu", "plan.yaml")
	var first map[string][]byte
	var firstName string
	for _, s := range snipeitShapes() {
		b, err := ingest.Load(context.Background(), ingest.Files{Inventory: s.inventory, Plan: plan, Mapping: s.mapping}, ingest.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		docs := map[string][]byte{}
		for _, r := range book.Check(rules.Input{Plan: b.Plan, Assets: b.Assets, Clearances: b.Clearances, Reported: b.Reported}) {
			var sh model.Shipment
			for _, x := range b.Plan.Shipments {
				if x.ID == r.ShipmentID {
					sh = x
				}
			}
			p := renderers.Pack{Program: b.Plan.Program, Shipment: sh, Version: 1, Lang: r.Language, Checks: r.Results, Extras: r.Extras}
			for _, tag := range sh.Assets {
				p.Assets = append(p.Assets, *b.Assets[tag])
			}
			for _, k := range r.Documents {
				d, err := rend.Render(context.Background(), k, p)
				if err != nil {
					t.Fatalf("%s: %s %s: %v", s.name, sh.ID, k, err)
				}
				docs[sh.ID+"/"+d.Name] = d.PDF
				docs[sh.ID+"/"+d.Name+".json"] = d.Source
			}
		}
		if first == nil {
			first, firstName = docs, s.name
			if len(docs) != 2*(4+4+6) {
				t.Errorf("%d documents and sources, want 28", len(docs))
			}
			for name, want := range map[string]string{
				"EU26-SG-01/condition-declaration.pdf.json": `"sanitisation_text": "NIST 800-88 Purge"`,
				"EU26-JP-01/spec-list-destination.pdf.json": `"tpm_text": "TPM 2.0"`,
			} {
				if !bytes.Contains(docs[name], []byte(want)) {
					t.Errorf("%s does not carry %s:\n%s", name, want, docs[name])
				}
			}
			continue
		}
		for name, want := range first {
			got, ok := docs[name]
			switch {
			case !ok:
				t.Errorf("%s: %s not made (it is from the %s)", s.name, name, firstName)
			case !bytes.Equal(got, want):
				t.Errorf("%s: %s differs from the %s's (%d and %d bytes)", s.name, name, firstName, len(got), len(want))
				if strings.HasSuffix(name, ".json") {
					t.Logf("got  %s\nwant %s", got, want)
				}
			}
		}
		if len(docs) != len(first) {
			t.Errorf("%s: %d documents, the %s made %d", s.name, len(docs), firstName, len(first))
		}
	}
}
