// Package tsgen writes TypeScript declarations for Go values that cross the
// HTTP boundary as JSON, by reflection over their types and encoding/json's
// rules (field tags, omitempty/omitzero, embedded structs). The kiosk API
// lists its shapes in one registry (kiosk/api/contract.go) and the frontend
// imports the result, so the two sides cannot drift apart unnoticed.
//
// It knows only what the kiosk's JSON uses; anything else (a map keyed by
// numbers, a channel, a byte slice) is an error rather than a guess.
package tsgen

import (
	"encoding/json"
	"fmt"
	"go/token"
	"reflect"
	"sort"
	"strings"
	"time"
)

// File collects declarations in the order they are added; Bytes renders them.
type File struct {
	header  string
	names   map[reflect.Type]string // TypeScript name of a named Go type
	taken   map[string]reflect.Type // the reverse, to catch two types under one name
	fields  map[fieldKey]string     // a field's TypeScript type, when given
	emitted map[reflect.Type]bool
	pending []reflect.Type // struct types referred to but not yet declared
	out     strings.Builder
	err     error
}

type fieldKey struct {
	t     reflect.Type
	field string
}

// New starts a file whose first lines are header, as // comments.
func New(header string) *File {
	return &File{header: header, names: map[reflect.Type]string{}, taken: map[string]reflect.Type{},
		fields: map[fieldKey]string{}, emitted: map[reflect.Type]bool{}}
}

func (f *File) fail(format string, args ...any) {
	if f.err == nil {
		f.err = fmt.Errorf(format, args...)
	}
}

// Name sets the TypeScript name of v's type; by default it is the Go name.
// Go types from different packages often share a name (update.Status,
// pack.Status), so a clash is an error that asks for a Name.
func (f *File) Name(v any, name string) {
	f.name(reflect.TypeOf(v), name)
}

// Names is Name for many types at once: TypeScript name → a value of the type.
func (f *File) Names(m map[string]any) {
	for _, name := range sortedKeys(m) {
		f.Name(m[name], name)
	}
}

func (f *File) name(t reflect.Type, name string) {
	if old, ok := f.taken[name]; ok && old != t {
		f.fail("tsgen: %s and %s are both named %s: give one a Name", old, t, name)
		return
	}
	if old, ok := f.names[t]; ok && old != name {
		delete(f.taken, old)
	}
	f.names[t], f.taken[name] = name, t
}

// Field sets the TypeScript type of one field of struct v (by Go field name),
// for a string that holds one of a known set of values.
func (f *File) Field(v any, goField, tsType string) {
	t := reflect.TypeOf(v)
	if _, ok := t.FieldByName(goField); !ok {
		f.fail("tsgen: %s has no field %s", t, goField)
		return
	}
	f.fields[fieldKey{t, goField}] = tsType
}

// Section writes a comment line that opens a group of declarations.
func (f *File) Section(title string) {
	fmt.Fprintf(&f.out, "\n// ---- %s\n", title)
}

// Union declares a union of string literals. Given a named Go string type
// (e.g. pack.Kind("")) as v, every field of that type gets the union.
func (f *File) Union(name string, v any, values ...string) {
	if v != nil {
		f.name(reflect.TypeOf(v), name)
	}
	if len(values) == 0 {
		f.fail("tsgen: union %s has no values", name)
		return
	}
	lits := make([]string, len(values))
	for i, s := range values {
		lits[i] = quote(s)
	}
	fmt.Fprintf(&f.out, "\nexport type %s = %s;\n", name, strings.Join(lits, " | "))
}

// Values declares a constant list of string literals of type typeName (a
// union declared before), for a frontend that must walk every value.
func (f *File) Values(name, typeName string, values ...string) {
	lits := make([]string, len(values))
	for i, s := range values {
		lits[i] = quote(s)
	}
	fmt.Fprintf(&f.out, "\nexport const %s: readonly %s[] = [%s];\n", name, typeName, strings.Join(lits, ", "))
}

// Number declares a numeric constant the frontend must agree on with Go.
func (f *File) Number(name string, v int) {
	fmt.Fprintf(&f.out, "\nexport const %s = %d;\n", name, v)
}

// Interface declares v's struct type, then every named struct type it
// refers to that is not declared yet.
func (f *File) Interface(v any) {
	f.pending = append(f.pending, reflect.TypeOf(v))
	for len(f.pending) > 0 {
		t := f.pending[0]
		f.pending = f.pending[1:]
		f.declare(t)
	}
}

// Declare is Name and Interface at once, for a type with its own name.
func (f *File) Declare(name string, v any) {
	f.Name(v, name)
	f.Interface(v)
}

// Variant is one member of a discriminated union: its tag value and which
// fields (JSON names) it must and may carry.
type Variant struct {
	Tag                string
	Required, Optional []string
}

// Variants declares a union of object types over the fields of struct v,
// discriminated by the field tag (a JSON name): one member per variant.
func (f *File) Variants(name string, v any, tag string, variants []Variant) {
	t := reflect.TypeOf(v)
	byJSON := map[string]string{}
	for _, fl := range f.fieldsOf(t) {
		byJSON[fl.json] = fl.ts
	}
	if _, ok := byJSON[tag]; !ok {
		f.fail("tsgen: %s has no field %q", t, tag)
	}
	fmt.Fprintf(&f.out, "\n/** Go: %s, one member per type. */\nexport type %s =", t, name)
	for _, vr := range variants {
		parts := []string{tag + ": " + quote(vr.Tag)}
		for _, group := range []struct {
			names []string
			opt   string
		}{{vr.Required, ""}, {vr.Optional, "?"}} {
			for _, n := range group.names {
				ts, ok := byJSON[n]
				if !ok {
					f.fail("tsgen: %s has no field %q (variant %s)", t, n, vr.Tag)
				}
				parts = append(parts, n+group.opt+": "+ts)
			}
		}
		fmt.Fprintf(&f.out, "\n  | { %s }", strings.Join(parts, "; "))
	}
	f.out.WriteString(";\n")
}

// Bytes renders the file, or says what could not be rendered.
func (f *File) Bytes() ([]byte, error) {
	if f.err != nil {
		return nil, f.err
	}
	var b strings.Builder
	for _, line := range strings.Split(f.header, "\n") {
		b.WriteString(strings.TrimRight("// "+line, " ") + "\n")
	}
	b.WriteString(f.out.String())
	return []byte(b.String()), nil
}

func (f *File) declare(t reflect.Type) {
	if f.emitted[t] {
		return
	}
	f.emitted[t] = true
	if t.Kind() != reflect.Struct || t.Name() == "" {
		f.fail("tsgen: %s is not a named struct type", t)
		return
	}
	name := f.tsName(t)
	var ext []string
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Anonymous && sf.Tag.Get("json") == "" && sf.Type.Kind() == reflect.Struct {
			ext = append(ext, f.ref(sf.Type))
		}
	}
	extends := ""
	if len(ext) > 0 {
		extends = " extends " + strings.Join(ext, ", ")
	}
	fmt.Fprintf(&f.out, "\n/** Go: %s */\nexport interface %s%s {\n", t, name, extends)
	for _, fl := range f.fieldsOf(t) {
		if fl.embedded {
			continue
		}
		opt := ""
		if fl.optional {
			opt = "?"
		}
		fmt.Fprintf(&f.out, "  %s%s: %s;\n", fl.json, opt, fl.ts)
	}
	f.out.WriteString("}\n")
}

type field struct {
	json, ts           string
	optional, embedded bool
}

// fieldsOf lists t's JSON fields as encoding/json sees them, promoted
// fields of embedded structs included (marked embedded).
func (f *File) fieldsOf(t reflect.Type) []field {
	var out []field
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct {
			for _, in := range f.fieldsOf(sf.Type) {
				in.embedded = true
				out = append(out, in)
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		fl := field{json: name, optional: hasOpt(opts, "omitempty") || hasOpt(opts, "omitzero")}
		if ts, ok := f.fields[fieldKey{t, sf.Name}]; ok {
			fl.ts = ts
		} else {
			fl.ts = f.typeOf(sf.Type, fl.optional)
		}
		out = append(out, fl)
	}
	return out
}

func hasOpt(opts, want string) bool {
	for _, o := range strings.Split(opts, ",") {
		if o == want {
			return true
		}
	}
	return false
}

var (
	timeType = reflect.TypeOf(time.Time{})
	rawType  = reflect.TypeOf(json.RawMessage{})
)

// typeOf maps a Go type to TypeScript. A pointer that is not optional may
// be null.
func (f *File) typeOf(t reflect.Type, optional bool) string {
	if name, ok := f.names[t]; ok && t.Kind() != reflect.Struct {
		return name // a named string type declared as a union
	}
	switch {
	case t == timeType:
		return "string" // RFC 3339
	case t == rawType:
		return "unknown"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Pointer:
		if optional {
			return f.typeOf(t.Elem(), true)
		}
		return f.typeOf(t.Elem(), false) + " | null"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			break // []byte is base64 text: never sent by the kiosk
		}
		el := f.typeOf(t.Elem(), false)
		if strings.Contains(el, "|") && !strings.HasSuffix(el, "[]") {
			el = "(" + el + ")"
		}
		return el + "[]"
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			break
		}
		if name, ok := f.names[t.Key()]; ok {
			return "Partial<Record<" + name + ", " + f.typeOf(t.Elem(), false) + ">>"
		}
		return "Record<string, " + f.typeOf(t.Elem(), false) + ">"
	case reflect.Interface:
		return "unknown"
	case reflect.Struct:
		if t.Name() == "" {
			return f.inline(t)
		}
		return f.ref(t)
	}
	f.fail("tsgen: no TypeScript for Go type %s", t)
	return "never"
}

// ref names a struct type and queues its declaration.
func (f *File) ref(t reflect.Type) string {
	if !f.emitted[t] {
		f.pending = append(f.pending, t)
	}
	return f.tsName(t)
}

func (f *File) tsName(t reflect.Type) string {
	if name, ok := f.names[t]; ok {
		return name
	}
	if !token.IsExported(t.Name()) {
		f.fail("tsgen: %s is unexported: give it a Name", t)
	}
	f.name(t, t.Name())
	return t.Name()
}

func (f *File) inline(t reflect.Type) string {
	var parts []string
	for _, fl := range f.fieldsOf(t) {
		opt := ""
		if fl.optional {
			opt = "?"
		}
		parts = append(parts, fl.json+opt+": "+fl.ts)
	}
	return "{ " + strings.Join(parts, "; ") + " }"
}

// quote writes s as a TypeScript string literal.
func quote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// sortedKeys returns the keys of m in order, so output never depends on map order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
