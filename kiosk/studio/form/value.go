package form

import (
	"reflect"
	"strings"
	"sync"
)

// field is one YAML field of a content struct.
type field struct {
	index     int
	key       string // the YAML key
	omitEmpty bool
}

var fieldCache sync.Map // reflect.Type → []field

// fieldsOf lists the fields of a struct type that YAML reads: exported and
// not tagged "-" (json:"-" does not matter: the flow and if tags are content).
func fieldsOf(t reflect.Type) []field {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]field)
	}
	var out []field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(sf.Name)
		}
		out = append(out, field{index: i, key: name, omitEmpty: strings.Contains(opts, "omitempty")})
	}
	fieldCache.Store(t, out)
	return out
}

// valueOf is the struct a pointer given by a caller points to.
func valueOf(v any) reflect.Value {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		rv = rv.Elem()
	}
	return rv
}

// normalize makes empty lists and maps nil and drops empty texts of a
// language, so a decoded file, a posted form and re-read YAML compare equal.
func normalize(rv reflect.Value) {
	switch rv.Kind() {
	case reflect.Pointer:
		if !rv.IsNil() {
			normalize(rv.Elem())
		}
	case reflect.Struct:
		for _, f := range fieldsOf(rv.Type()) {
			normalize(rv.Field(f.index))
		}
	case reflect.Slice:
		if rv.Len() == 0 {
			rv.SetZero()
			return
		}
		for i := 0; i < rv.Len(); i++ {
			normalize(rv.Index(i))
		}
	case reflect.Map:
		for _, k := range rv.MapKeys() {
			e := rv.MapIndex(k)
			if e.Kind() == reflect.String && e.String() == "" {
				rv.SetMapIndex(k, reflect.Value{})
				continue
			}
			if e.Kind() == reflect.Map {
				c := reflect.New(e.Type()).Elem()
				c.Set(e)
				normalize(c)
				if c.Len() == 0 {
					rv.SetMapIndex(k, reflect.Value{})
				} else {
					rv.SetMapIndex(k, c)
				}
			}
		}
		if rv.Len() == 0 {
			rv.SetZero()
		}
	}
}

// deepCopy copies src into dst (settable, same type) sharing no list, map or
// pointer, so Apply can work on a copy and change nothing when it fails.
func deepCopy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		p := reflect.New(src.Type().Elem())
		deepCopy(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Struct:
		dst.Set(src) // unexported fields (where a file was read from) too
		for _, f := range fieldsOf(src.Type()) {
			deepCopy(dst.Field(f.index), src.Field(f.index))
		}
	case reflect.Slice:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := 0; i < src.Len(); i++ {
			deepCopy(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Map:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		for it := src.MapRange(); it.Next(); {
			e := reflect.New(src.Type().Elem()).Elem()
			deepCopy(e, it.Value())
			m.SetMapIndex(it.Key(), e)
		}
		dst.Set(m)
	default:
		dst.Set(src)
	}
}

// Equal reports whether two content values say the same: every YAML field
// equal, an empty list, map or text the same as none. Pages use it to tell
// a save that changes nothing.
func Equal(a, b any) bool {
	return equal(reflect.ValueOf(a), reflect.ValueOf(b))
}

func equal(a, b reflect.Value) bool {
	if a.IsValid() != b.IsValid() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	if a.Type() != b.Type() {
		return false
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return equal(a.Elem(), b.Elem())
	case reflect.Struct:
		for _, f := range fieldsOf(a.Type()) {
			if !equal(a.Field(f.index), b.Field(f.index)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !equal(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		return mapEqual(a, b) && mapEqual(b, a)
	}
	return a.Interface() == b.Interface()
}

// mapEqual reports whether every non-empty entry of a is in b, equal.
func mapEqual(a, b reflect.Value) bool {
	for it := a.MapRange(); it.Next(); {
		if it.Value().IsZero() || it.Value().Kind() == reflect.Map && it.Value().Len() == 0 {
			continue
		}
		if !equal(it.Value(), b.MapIndex(it.Key())) {
			return false
		}
	}
	return true
}
