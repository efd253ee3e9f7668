package ingest

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/clearpack/clearpack/pipeline/model"
)

// TestAssetFromMatchesJSON: the direct setter reads every field the same way
// as JSON decoding into model.Asset would, so no column is silently lost.
func TestAssetFromMatchesJSON(t *testing.T) {
	m := map[string]any{"extra": map[string]any{"Status": "Ready"}}
	for i, f := range assetFields() {
		switch {
		case isInt(f):
			m[f] = json.Number("3")
		case isBool(f):
			m[f] = true
		case isDecimal(f):
			m[f] = "12.50"
		default:
			m[f] = "v" + string(rune('a'+i%26))
		}
	}
	got := assetFrom(m, newInterner())
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var want model.Asset
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	want.HSCode = normHS(want.HSCode)
	if !reflect.DeepEqual(got, &want) {
		t.Errorf("assetFrom = %+v\nJSON gives %+v", got, &want)
	}
}
