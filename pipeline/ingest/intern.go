package ingest

import (
	"reflect"
	"strings"

	"github.com/shopspring/decimal"
)

// maxInterned bounds the interner: past it, values are copied, not shared,
// so that an input of all-different values costs no more than without it.
const maxInterned = 1 << 16

// interner shares equal strings and decimals among the records of one Load.
// A large inventory repeats the same model, description and price on
// thousands of rows, and a plan the same parties on every shipment; each
// distinct value is then held once. Strings are copied on first sight, so a
// record never keeps its whole CSV line (or a parser's buffer) alive.
// decimal.Decimal is immutable, so sharing one is safe.
type interner struct {
	strs map[string]string
	decs map[string]decimal.Decimal
}

func newInterner() *interner {
	return &interner{strs: map[string]string{}, decs: map[string]decimal.Decimal{}}
}

func (in *interner) str(s string) string {
	if s == "" {
		return ""
	}
	if x, ok := in.strs[s]; ok {
		return x
	}
	s = strings.Clone(s)
	if len(in.strs) < maxInterned {
		in.strs[s] = s
	}
	return s
}

// dec parses checked decimal text, sharing equal values.
func (in *interner) dec(s string) decimal.Decimal {
	if d, ok := in.decs[s]; ok {
		return d
	}
	d, _ := decimal.NewFromString(s) // checked before
	if len(in.decs) < maxInterned {
		in.decs[strings.Clone(s)] = d
	}
	return d
}

// structStrings interns every settable string reachable from v (a pointer
// to a struct) through exported fields, slices and pointers, except lists of
// asset tags.
func (in *interner) structStrings(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			in.structStrings(v.Elem())
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString(in.str(v.String()))
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).Name == "Assets" {
				continue // asset tags: each one differs, sharing saves nothing
			}
			if f := v.Field(i); f.CanSet() {
				in.structStrings(f)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			in.structStrings(v.Index(i))
		}
	}
}
