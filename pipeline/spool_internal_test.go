package pipeline

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/clearpack/clearpack/pipeline/rules"
)

// gob sends an empty slice as nothing, so a slice read back from the spool
// is nil where it was empty. That changes nothing where the JSON leaves an
// empty slice out (omitempty) or nobody marshals it; elsewhere ("[]" against
// "null") it would change an input digest. The spool restores the
// such slices it knows; this fails when a model type gains another, so the
// spool learns it too.
func TestSpoolKnowsEverySliceWhoseEmptinessShows(t *testing.T) {
	known := map[string]bool{"Shipment.Assets": true, "Package.Assets": true, "Report.Results": true, "Report.Documents": true,
		// The record's own: next makes Assets non-nil as take does;
		// Problems are only counted and printed.
		"spooled.Assets": true, "spooled.Problems": true, "spooled.EmptyPackageAssets": true}
	seen := map[reflect.Type]bool{}
	var walk func(typ reflect.Type, marshalled bool)
	walk = func(typ reflect.Type, marshalled bool) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] || typ.PkgPath() == "github.com/shopspring/decimal" {
			return
		}
		seen[typ] = true
		for i := range typ.NumField() {
			f := typ.Field(i)
			if !f.IsExported() {
				t.Errorf("%s.%s is unexported: gob does not write it to the spool", typ.Name(), f.Name)
				continue
			}
			tag := f.Tag.Get("json")
			shows := marshalled && tag != "-" && !strings.Contains(tag, "omitempty")
			name := typ.Name() + "." + f.Name
			if f.Type.Kind() == reflect.Slice && shows && !known[name] {
				t.Errorf("%s: an empty slice marshals as [] and would come back from the spool as nil (null); restore it in spool.next", name)
			}
			walk(f.Type, marshalled && tag != "-")
		}
	}
	walk(reflect.TypeFor[spooled](), true)
	if len(seen) < 10 {
		t.Fatalf("walked only %d types", len(seen))
	}
}

// A shipment read back from the spool marshals (as the pack input its
// digest is taken over) and reports exactly as it went in, empty slices,
// decimals' exponents and pointers to empty structs included; a record out
// of order is refused.
func TestSpoolRoundTrip(t *testing.T) {
	dir := t.TempDir()
	defer SpoolDir(dir)()
	one, _ := decimal.NewFromString("1.50")
	sh := model.Shipment{ID: "S-1", Assets: []string{}, Packages: []model.Package{{ID: "P1", Assets: []string{}}, {ID: "P2", Assets: []string{"A"}}},
		Freight: one, Valuation: &model.ValuationDeclaration{}}
	in := shipmentInput{program: "P", sh: &sh, assets: []model.Asset{{AssetTag: "A", UnitValue: one, Extra: map[string]string{}}},
		problems: []ingest.Problem{{File: "inventory.csv", Line: 3, Field: "currency", Msg: "m"}}}
	rep := rules.Report{ShipmentID: "S-1", Results: []model.CheckResult{}, Documents: []model.DocKind{}}
	sp, err := newSpool()
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	if err := sp.put(in, rep); err != nil {
		t.Fatal(err)
	}
	if err := sp.put(in, rep); err != nil {
		t.Fatal(err)
	}
	if err := sp.rewind(); err != nil {
		t.Fatal(err)
	}
	got, grep, err := sp.next("S-1", "P", nil)
	if err != nil {
		t.Fatal(err)
	}
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	pin := func(in shipmentInput) string {
		return js(packInput{Program: in.program, Shipment: *in.sh, Assets: in.assets, Clearance: in.clearance})
	}
	if a, b := pin(in), pin(got); a != b {
		t.Errorf("pack input after the spool:\n%s\nwant\n%s", b, a)
	}
	if a, b := js(rep), js(grep); a != b {
		t.Errorf("report after the spool:\n%s\nwant\n%s", b, a)
	}
	if got.sh.Freight.Exponent() != -2 {
		t.Errorf("freight %s came back with exponent %d, want -2", got.sh.Freight, got.sh.Freight.Exponent())
	}
	if len(got.problems) != 1 || got.problems[0].Error() != in.problems[0].Error() {
		t.Errorf("problems after the spool: %v", got.problems)
	}
	if _, _, err := sp.next("S-2", "P", nil); err == nil || !strings.Contains(err.Error(), `"S-1" where "S-2"`) {
		t.Errorf("a record out of order: err = %v", err)
	}
}
