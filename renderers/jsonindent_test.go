package renderers

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand"
	"testing"
)

// TestMarshalIndentMatchesEncodingJSON: the source JSON is indented
// exactly as json.MarshalIndent indents it, for every document kind's data
// and for random values (strings with quotes, escapes and non-ASCII text,
// empty and nested objects and arrays).
func TestMarshalIndentMatchesEncodingJSON(t *testing.T) {
	check := func(name string, v any) {
		t.Helper()
		want, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got, err := marshalIndent(v)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: marshalIndent differs from json.MarshalIndent:\n%s\nwant:\n%s", name, got, want)
		}
	}
	r := testRenderer(t)
	for _, p := range []Pack{fixturePack(), brazilPack(), bigPack(30, 30)} {
		for _, k := range Kinds() {
			spec := kinds[k]
			data, err := spec.prepare(r, k, p)
			if err != nil {
				t.Fatal(err)
			}
			check(string(k), envelope{Kind: string(k), Data: data})
			d, err := r.Render(context.Background(), k, p)
			if err != nil {
				t.Fatal(err)
			}
			var generic any
			if err := json.Unmarshal(d.Source, &generic); err != nil {
				t.Fatal(err)
			}
			check(string(k)+" source", generic)
		}
	}
	rng := rand.New(rand.NewSource(1))
	pieces := []string{"a", "\"", "\\", "{", "}", "[", "]", ",", ":", " ", "\n", "\t", "é", "\u2028", "<&>", "\x01", "\\\""}
	var value func(depth int) any
	value = func(depth int) any {
		switch n := rng.Intn(7); {
		case n == 0 || depth > 4:
			s := ""
			for i := rng.Intn(6); i > 0; i-- {
				s += pieces[rng.Intn(len(pieces))]
			}
			return s
		case n == 1:
			return rng.Float64() * 1e6
		case n == 2:
			return rng.Intn(2) == 0
		case n == 3:
			return nil
		case n == 4:
			a := []any{}
			for i := rng.Intn(4); i > 0; i-- {
				a = append(a, value(depth+1))
			}
			return a
		default:
			m := map[string]any{}
			for i := rng.Intn(4); i > 0; i-- {
				m[value(5).(string)] = value(depth + 1)
			}
			return m
		}
	}
	for i := 0; i < 2000; i++ {
		check("random", value(0))
	}
}
