package form

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Merge joins an edit made on an older version of a file with what was
// saved since (two tabs, or two colleagues, on one file): base is the value
// the edit was made from, theirs the one saved since, mine the edit. A part
// only one side changed takes that change; a part both changed alike is
// kept; a part both changed differently is a conflict and keeps theirs. The
// conflicts come back as form names ("documents.2.name.vi"), so a page can
// point at them. Structs and maps (a text's languages too) merge part by
// part; lists item by item while all three have the same length. When one
// side added, removed or moved items and the other only edited some in place,
// the edited items are found in the reshaped list by what they were (an
// item both removed and edited, or lists reshaped on both sides, are one
// conflict: the whole list).
//
// The values are those Decode gives for one file; none of them is changed.
func Merge(base, theirs, mine any) (any, []string) {
	out := reflect.New(valueOf(theirs).Type())
	deepCopy(out.Elem(), valueOf(theirs))
	var conflicts []string
	merge(out.Elem(), valueOf(base), valueOf(theirs), valueOf(mine), "", &conflicts)
	return out.Interface(), conflicts
}

// merge writes into dst, a copy of theirs, what mine changed from base.
func merge(dst, base, theirs, mine reflect.Value, name string, conflicts *[]string) {
	switch {
	case equal(mine, base) || equal(theirs, mine):
		return // nothing of mine to add
	case equal(theirs, base):
		deepCopy(dst, mine)
		return
	}
	switch base.Kind() {
	case reflect.Pointer:
		if !base.IsNil() && !theirs.IsNil() && !mine.IsNil() {
			merge(dst.Elem(), base.Elem(), theirs.Elem(), mine.Elem(), name, conflicts)
			return
		}
	case reflect.Struct:
		for _, f := range fieldsOf(base.Type()) {
			merge(dst.Field(f.index), base.Field(f.index), theirs.Field(f.index), mine.Field(f.index), join(name, f.key), conflicts)
		}
		return
	case reflect.Slice:
		if mergeList(dst, base, theirs, mine, name, conflicts) {
			return
		}
	case reflect.Map:
		mergeMap(dst, base, theirs, mine, name, conflicts)
		return
	}
	*conflicts = append(*conflicts, name)
}

// mergeList merges a list item by item while neither side reshaped it;
// when one side did, mergeReshaped places the other's edits. It reports
// false (a conflict, dst untouched) when both sides reshaped the list.
// Moving items keeps the list's length, so a move is told from edits in
// place by where base's items went, not by length (outside QA: a step
// moved up in one tab took the English typed for it in another onto the
// step that moved down, and the reviewer saw nothing of it).
func mergeList(dst, base, theirs, mine reflect.Value, name string, conflicts *[]string) bool {
	n := base.Len()
	theirsReshaped := theirs.Len() != n || moved(align(base, theirs))
	mineReshaped := mine.Len() != n || moved(align(base, mine))
	switch {
	case theirsReshaped && mineReshaped:
		return false
	case theirsReshaped:
		return mergeReshaped(dst, base, theirs, mine)
	case mineReshaped:
		return mergeReshaped(dst, base, mine, theirs)
	}
	for i := range n {
		merge(dst.Index(i), base.Index(i), theirs.Index(i), mine.Index(i), join(name, fmt.Sprint(i)), conflicts)
	}
	return true
}

// moved reports whether an alignment (align) found an item of base at
// another place: edited items (-1) and items in place are not moves.
func moved(at []int) bool {
	for i, j := range at {
		if j >= 0 && j != i {
			return true
		}
	}
	return false
}

// mergeReshaped merges a list one side reshaped (items added, removed or
// moved) while the other only edited items in place: each edited item goes
// where its unedited self is in the reshaped list. It reports false, dst
// untouched, when an edited item is gone from the reshaped list.
func mergeReshaped(dst, base, reshaped, edited reflect.Value) bool {
	n := base.Len()
	at := align(base, reshaped)
	for i := range n {
		if !equal(edited.Index(i), base.Index(i)) && at[i] < 0 {
			return false
		}
	}
	out := reflect.New(dst.Type()).Elem()
	deepCopy(out, reshaped)
	for i := range n {
		if !equal(edited.Index(i), base.Index(i)) {
			deepCopy(out.Index(at[i]), edited.Index(i))
		}
	}
	dst.Set(out)
	return true
}

// align finds each item of base in other by equality, wherever it moved:
// at[i] is its index there, or -1 when other has no such item left (it was
// removed, or edited). An item still at its own place keeps it first.
func align(base, other reflect.Value) []int {
	used := make([]bool, other.Len())
	at := make([]int, base.Len())
	for i := range at {
		at[i] = -1
		if i < len(used) && equal(base.Index(i), other.Index(i)) {
			at[i], used[i] = i, true
		}
	}
	for i := range at {
		for j := 0; at[i] < 0 && j < len(used); j++ {
			if !used[j] && equal(base.Index(i), other.Index(j)) {
				at[i], used[j] = j, true
			}
		}
	}
	return at
}

// mergeMap merges a map entry by entry; an entry one side lacks counts as
// empty, so a language added on one side and a word changed on the other
// both stay.
func mergeMap(dst, base, theirs, mine reflect.Value, name string, conflicts *[]string) {
	if dst.IsNil() {
		dst.Set(reflect.MakeMap(dst.Type()))
	}
	entry := func(m, k reflect.Value) reflect.Value {
		if v := m.MapIndex(k); v.IsValid() {
			return v
		}
		return reflect.Zero(m.Type().Elem())
	}
	for _, k := range mapKeys(base, theirs, mine) {
		e := reflect.New(dst.Type().Elem()).Elem()
		deepCopy(e, entry(theirs, k))
		merge(e, entry(base, k), entry(theirs, k), entry(mine, k), join(name, fmt.Sprint(k.Interface())), conflicts)
		if e.IsZero() {
			dst.SetMapIndex(k, reflect.Value{})
		} else {
			dst.SetMapIndex(k, e)
		}
	}
}

// mapKeys is every key of the maps, in order (content maps are keyed by
// strings: languages, codes).
func mapKeys(ms ...reflect.Value) []reflect.Value {
	seen := map[string]reflect.Value{}
	for _, m := range ms {
		for _, k := range m.MapKeys() {
			seen[fmt.Sprint(k.Interface())] = k
		}
	}
	out := make([]reflect.Value, 0, len(seen))
	for _, s := range slices.Sorted(maps.Keys(seen)) {
		out = append(out, seen[s])
	}
	return out
}

// Shown is what form field name holds in v as its input shows it: a text's
// words in one language, a number, a code. ok is false for a part made of
// fields (a list, a case), which no one input shows.
func Shown(v any, name string) (s string, ok bool) {
	rv := valueOf(v)
	for _, seg := range strings.Split(name, ".") {
		for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
			if rv.IsNil() {
				return "", false
			}
			rv = rv.Elem()
		}
		if rv.Kind() == reflect.Map {
			if rv.Type().Key().Kind() != reflect.String {
				return "", false
			}
			e := rv.MapIndex(reflect.ValueOf(seg).Convert(rv.Type().Key()))
			if !e.IsValid() {
				e = reflect.Zero(rv.Type().Elem())
			}
			rv = e
			continue
		}
		if rv, ok = walk(rv, seg); !ok {
			return "", false
		}
	}
	switch rv.Kind() {
	case reflect.String:
		return rv.String(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), true
	case reflect.Bool:
		if rv.Bool() {
			return "có", true
		}
		return "không", true
	}
	return "", false
}
