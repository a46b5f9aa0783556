package compute

import (
	"fmt"
	"math"
	"reflect"
	"strings"
)

// finite makes every figure of m (its JSON contract, not Detail) that is
// not a finite number nil, and says so in m.Detail.Skipped: JSON has no
// Inf or NaN, so one such figure would make every export of the month
// fail, and charts and reports with it. Stored values are bounded when
// written and read; this is the guard for what sums, means and ratios
// could still make of them.
func finite(m *Month) {
	walkFigures(reflectValue(m), "", func(name string, v float64) {
		if m.Detail != nil {
			m.Detail.Skipped = append(m.Detail.Skipped, fmt.Sprintf("%s: %v is not a number JSON can hold; shown as null", name, v))
		}
	})
}

// walkFigures sets every *float64 under v that points to Inf or NaN to
// nil, calling bad with its JSON path.
func walkFigures(v reflect.Value, path string, bad func(name string, v float64)) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		if v.Elem().Kind() == reflect.Float64 {
			if f := v.Elem().Float(); math.IsInf(f, 0) || math.IsNaN(f) {
				bad(path, f)
				v.Set(reflect.Zero(v.Type()))
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			walkFigures(v.Field(i), strings.TrimPrefix(path+"."+name, "."), bad)
		}
	case reflect.Slice:
		for i := range v.Len() {
			walkFigures(v.Index(i), fmt.Sprintf("%s[%d]", path, i), bad)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(iter.Value())
			walkFigures(e, fmt.Sprintf("%s.%v", path, iter.Key()), bad)
			v.SetMapIndex(iter.Key(), e)
		}
	}
}

// reflectValue is the value *m, for walkFigures.
func reflectValue(m *Month) reflect.Value { return reflect.ValueOf(m).Elem() }
