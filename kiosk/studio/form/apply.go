package form

import (
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"tramso/kiosk/content"
	"tramso/kiosk/hours"
)

// Apply writes a posted form onto v, a fresh Decode of the file's current
// version: every field the form has is set from values (a checkbox missing
// from them is false), then the button pressed (values "op") adds or
// removes an item: "add:documents", "remove:documents.2", "add:cases.0.time".
// On an add, Op.Path is the new item's name, for Options.Focus. Any Op.Kind
// but "" means: show the form again from v, not saved; "" means save v.
//
// A number that is not one makes Apply return Errors (Vietnamese, naming
// the field) and change nothing.
func Apply(v any, values url.Values) (Op, error) {
	dst := valueOf(v)
	work := reflect.New(dst.Type()).Elem()
	deepCopy(work, dst)
	a := applier{values: values, b: labeller(dst)}
	a.value(work, "", nil)
	if len(a.errs) > 0 {
		return Op{}, a.errs
	}
	op, err := doOp(work, values.Get("op"))
	if err != nil {
		return Op{}, err
	}
	normalize(work)
	dst.Set(work)
	return op, nil
}

// labeller is a builder that only names fields, for error messages.
func labeller(rv reflect.Value) *builder {
	b := &builder{life: rv.Type() == assistant}
	switch rv.Interface().(type) {
	case content.Tutorial:
		b.prefix = "lesson."
	case content.Course:
		b.prefix = "course."
	}
	return b
}

type applier struct {
	values url.Values
	b      *builder
	errs   Errors
}

// get is a posted value, tidied: what was pasted into the field, made plain
// text (tidy).
func (a *applier) get(name string) (string, bool) {
	vs, ok := a.values[name]
	if !ok || len(vs) == 0 {
		return "", false
	}
	return tidy(vs[0]), true
}

func (a *applier) value(rv reflect.Value, name string, segs []string) {
	t := rv.Type()
	switch {
	case t.Kind() == reflect.Map && t.Elem().Kind() == reflect.String:
		a.text(rv, name)
	case t.Kind() == reflect.Map:
		a.wording(rv, name, segs)
	case t.Kind() == reflect.Struct:
		for _, f := range fieldsOf(t) {
			a.value(rv.Field(f.index), join(name, f.key), append(segs[:len(segs):len(segs)], f.key))
		}
	case t.Kind() == reflect.Pointer:
		a.optional(rv, name, segs)
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String:
		// A textarea posts one value, a rule's ticked tags one each (after
		// the empty one that says the boxes were on the form).
		if vs, ok := a.values[name]; ok {
			rv.Set(reflect.ValueOf(lines(tidy(strings.Join(vs, "\n")))).Convert(t))
		}
	case t.Kind() == reflect.Slice:
		a.list(rv, name, segs)
	case t.Kind() == reflect.Bool:
		_, on := a.get(name)
		rv.SetBool(on)
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		if s, ok := a.get(name); ok {
			n, err := parseInt(s)
			if err != nil || n < 0 {
				a.errs = append(a.errs, a.numberError(name, segs, s))
				return
			}
			rv.SetInt(n)
		}
	case t.Kind() == reflect.String:
		if s, ok := a.get(name); ok {
			rv.SetString(strings.TrimSpace(s))
		}
	}
}

// text sets the languages posted as name.<lang>; an emptied one goes.
func (a *applier) text(rv reflect.Value, name string) {
	prefix := name + "."
	for k := range a.values {
		l, ok := strings.CutPrefix(k, prefix)
		if !ok || strings.Contains(l, ".") {
			continue
		}
		s, _ := a.get(k)
		s = strings.TrimSpace(s)
		if rv.IsNil() {
			if s == "" {
				continue
			}
			rv.Set(reflect.MakeMap(rv.Type()))
		}
		if s == "" {
			rv.SetMapIndex(reflect.ValueOf(l), reflect.Value{})
		} else {
			rv.SetMapIndex(reflect.ValueOf(l), reflect.ValueOf(s).Convert(rv.Type().Elem()))
		}
	}
}

// wording sets a map of texts (the checklist words) key by key.
func (a *applier) wording(rv reflect.Value, name string, segs []string) {
	prefix := name + "."
	keys := map[string]bool{}
	for k := range a.values {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			key, _, _ := strings.Cut(rest, ".")
			keys[key] = true
		}
	}
	for k := range keys {
		if rv.IsNil() {
			rv.Set(reflect.MakeMap(rv.Type()))
		}
		e := reflect.New(rv.Type().Elem()).Elem()
		if old := rv.MapIndex(reflect.ValueOf(k)); old.IsValid() {
			deepCopy(e, old)
		}
		a.value(e, join(name, k), append(segs[:len(segs):len(segs)], k))
		rv.SetMapIndex(reflect.ValueOf(k), e)
	}
}

// optional follows the "has:" marker: present or absent as the form showed.
func (a *applier) optional(rv reflect.Value, name string, segs []string) {
	has, ok := a.get("has:" + name)
	switch {
	case !ok:
		return
	case has != "1":
		rv.SetZero()
		return
	case rv.IsNil():
		rv.Set(reflect.New(rv.Type().Elem()))
	}
	a.value(rv.Elem(), name, segs)
}

// list resizes a list to its "len:" marker, then sets its items.
func (a *applier) list(rv reflect.Value, name string, segs []string) {
	if s, ok := a.get("len:" + name); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > maxItems {
			a.errs = append(a.errs, FieldError{Name: name, Message: "biểu mẫu gửi lên bị hỏng; hãy mở lại trang"})
			return
		}
		resize(rv, n)
	}
	for i := 0; i < rv.Len(); i++ {
		a.value(rv.Index(i), join(name, strconv.Itoa(i)), segs)
	}
}

// maxItems bounds a posted list length: no content list comes near it.
const maxItems = 1000

func resize(rv reflect.Value, n int) {
	if n <= rv.Len() {
		rv.Set(rv.Slice(0, n))
		return
	}
	grown := reflect.MakeSlice(rv.Type(), n, n)
	reflect.Copy(grown, rv)
	rv.Set(grown)
}

// lines splits a textarea into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// thousands is a whole number written with Vietnamese thousands dots (8.000)
// or spaces, as officers write amounts.
var thousands = regexp.MustCompile(`^-?\d{1,3}([. ]\d{3})+$`)

func parseInt(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if thousands.MatchString(s) {
		s = strings.NewReplacer(".", "", " ", "").Replace(s)
	}
	return strconv.ParseInt(s, 10, 64)
}

// numberError names the field, where it is and what was typed, in
// Vietnamese: Ô “Số bản chính” (Giấy tờ 2) phải là một số nguyên…
func (a *applier) numberError(name string, segs []string, typed string) FieldError {
	label := a.b.label(a.b.catalogueKey(segs), segs)
	where := a.position(name)
	if where != "" {
		where = " (" + where + ")"
	}
	// No number in content is below zero (a fee, a time, a count of papers).
	if a.b.catalogueKey(segs) == "fees.amount" {
		// An amount typed as it is said ("3000đ") gets an example in đồng.
		return FieldError{Name: name, Message: fmt.Sprintf("Ô “%s”%s phải là một số nguyên không âm: số đồng viết bằng chữ số, ví dụ 8.000, không phải “%s”.", label, where, clip(typed))}
	}
	return FieldError{Name: name, Message: fmt.Sprintf("Ô “%s”%s phải là một số nguyên không âm, ví dụ 2, không phải “%s”.", label, where, clip(typed))}
}

// position names the list items a field is in: "Trường hợp 4, Giấy tờ 2".
func (a *applier) position(name string) string {
	var segs, out []string
	for _, part := range strings.Split(name, ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			segs = append(segs, part)
			continue
		}
		out = append(out, fmt.Sprintf("%s %d", a.b.label(a.b.catalogueKey(segs), segs), n+1))
	}
	return strings.Join(out, ", ")
}

// doOp performs the button: op is "add:<path>", "remove:<path>",
// "up:<path>"/"down:<path>" for a list item, or "today:<path>" for a date
// (the reminder to update verified_on offers it).
func doOp(root reflect.Value, op string) (Op, error) {
	if op == "" {
		return Op{}, nil
	}
	kind, p, _ := strings.Cut(op, ":")
	target, ok := walk(root, p)
	if !ok || !slices.Contains([]string{"add", "remove", "up", "down", "today"}, kind) {
		return Op{}, fmt.Errorf("nút %q không khớp biểu mẫu; hãy mở lại trang", op)
	}
	if kind == "today" && target.Type() == reflect.TypeFor[content.Date]() {
		// The day in Vietnam, whatever the hub's clock zone says.
		target.SetString(time.Now().In(hours.Vietnam).Format(time.DateOnly))
		return Op{Kind: kind, Path: p}, nil
	}
	if kind == "up" || kind == "down" {
		return move(root, p, kind)
	}
	switch {
	case kind == "add" && target.Kind() == reflect.Slice:
		resize(target, target.Len()+1)
		startNew(target.Index(target.Len() - 1))
		return Op{Kind: kind, Path: join(p, strconv.Itoa(target.Len()-1))}, nil
	case kind == "add" && target.Kind() == reflect.Pointer:
		if target.IsNil() {
			target.Set(reflect.New(target.Type().Elem()))
			startNew(target.Elem())
		}
		return Op{Kind: kind, Path: p}, nil
	case kind == "remove" && target.Kind() == reflect.Pointer:
		target.SetZero()
		return Op{Kind: kind, Path: p}, nil
	case kind == "remove":
		dir, idx := splitLast(p)
		list, _ := walk(root, dir)
		i, err := strconv.Atoi(idx)
		if list.Kind() == reflect.Slice && err == nil && i < list.Len() {
			s := reflect.MakeSlice(list.Type(), 0, list.Len()-1)
			s = reflect.AppendSlice(s, list.Slice(0, i))
			s = reflect.AppendSlice(s, list.Slice(i+1, list.Len()))
			list.Set(s)
			return Op{Kind: kind, Path: p}, nil
		}
	}
	return Op{}, fmt.Errorf("nút %q không khớp biểu mẫu; hãy mở lại trang", op)
}

// move swaps the list item at p with the one above ("up") or below it;
// the Op names where the item now is.
func move(root reflect.Value, p, kind string) (Op, error) {
	dir, idx := splitLast(p)
	list, _ := walk(root, dir)
	i, err := strconv.Atoi(idx)
	j := i - 1
	if kind == "down" {
		j = i + 1
	}
	if list.Kind() != reflect.Slice || err != nil || min(i, j) < 0 || max(i, j) >= list.Len() {
		return Op{}, fmt.Errorf("nút %q không khớp biểu mẫu; hãy mở lại trang", kind+":"+p)
	}
	reflect.Swapper(list.Interface())(i, j)
	return Op{Kind: kind, Path: join(dir, strconv.Itoa(j))}, nil
}

func splitLast(p string) (string, string) {
	i := strings.LastIndexByte(p, '.')
	if i < 0 {
		return "", p
	}
	return p[:i], p[i+1:]
}

// walk follows a form name from root to the settable value it names.
func walk(rv reflect.Value, p string) (reflect.Value, bool) {
	if p == "" {
		return rv, true
	}
	for _, seg := range strings.Split(p, ".") {
		for rv.Kind() == reflect.Pointer && !rv.IsNil() {
			rv = rv.Elem()
		}
		switch rv.Kind() {
		case reflect.Struct:
			i := slices.IndexFunc(fieldsOf(rv.Type()), func(f field) bool { return f.key == seg })
			if i < 0 {
				return reflect.Value{}, false
			}
			rv = rv.Field(fieldsOf(rv.Type())[i].index)
		case reflect.Slice:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= rv.Len() {
				return reflect.Value{}, false
			}
			rv = rv.Index(i)
		default:
			return reflect.Value{}, false
		}
	}
	return rv, true
}
