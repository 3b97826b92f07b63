package studio

import (
	"strconv"
	"strings"

	"tramso/kiosk/lang"
)

// pair is one item of a list in the old (a) and the new (b) version; -1 when
// the item is not in that version.
type pair struct{ a, b int }

// align pairs the items of two versions of a list by their keys. Items with
// equal keys along a longest common subsequence are the same item; between
// two such anchors the rest are paired by position, as an item edited in
// place (a renamed document, a reworded condition); what is left was removed
// or added. The pairs come in the new list's order, a removal where it was.
func align(ka, kb []string) []pair {
	n, m := len(ka), len(kb)
	// lcs[i][j] is the length of the longest common subsequence of ka[i:], kb[j:].
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch {
			case ka[i] == kb[j]:
				lcs[i][j] = lcs[i+1][j+1] + 1
			case lcs[i+1][j] >= lcs[i][j+1]:
				lcs[i][j] = lcs[i+1][j]
			default:
				lcs[i][j] = lcs[i][j+1]
			}
		}
	}
	var out []pair
	i0, j0 := 0, 0
	flush := func(i1, j1 int) {
		for ; i0 < i1 && j0 < j1; i0, j0 = i0+1, j0+1 {
			out = append(out, pair{i0, j0})
		}
		for ; i0 < i1; i0++ {
			out = append(out, pair{i0, -1})
		}
		for ; j0 < j1; j0++ {
			out = append(out, pair{-1, j0})
		}
	}
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case ka[i] == kb[j]:
			flush(i, j)
			out = append(out, pair{i, j})
			i, j = i+1, j+1
			i0, j0 = i, j
		case lcs[i+1][j] >= lcs[i][j+1]:
			i++
		default:
			j++
		}
	}
	flush(n, m)
	return out
}

// item is how list compares the items of one kind: id keys an item, name
// names it in a label (`"Tờ khai…"`), show shows it whole when it is added or
// removed, and inner compares the fields of an item in both versions.
type item[T any] struct {
	id, name, show func(T) string
	inner          func(d *differ, s scope, a, b T)
}

// list compares two versions of a list of items: each removed or added item
// is one change, and each item in both is compared field by field in a scope
// named after it (`Giấy tờ "Tờ khai…"`).
func list[T any](d *differ, s scope, key, field string, before, after []T, it item[T]) {
	id, show := it.id, it.show
	for _, p := range align(keys(before, id), keys(after, id)) {
		switch {
		case p.b < 0:
			n := len(d.out)
			d.value(s, key+"["+id(before[p.a])+"]", field, show(before[p.a]), "")
			d.named(n, s, field, it.name(before[p.a]))
		case p.a < 0:
			n := len(d.out)
			d.value(s, key+"["+id(after[p.b])+"]", field, "", show(after[p.b]))
			d.named(n, s, field, it.name(after[p.b]))
			addedItem(d, s, key, field, it, after[p.b])
		default:
			b := after[p.b]
			in := s.in(key+"["+id(b)+"]", catalogue[field].label+" "+it.name(b))
			it.inner(d, in, before[p.a], b)
		}
	}
}

// named gives the change made after the first n, an item of field added
// or removed whole, the item's name: two documents removed are two items to
// source, `Giấy tờ "Bản sao giấy khai sinh"` and `Giấy tờ "Sổ hộ khẩu"`,
// not two "Giấy tờ" (outside QA s27, finding 12).
func (d *differ) named(n int, s scope, field, name string) {
	if len(d.out) > n {
		d.out[n].Item = capital(strings.Join(s.in("", catalogue[field].label+" "+name).label, " — "))
	}
}

// addedItem follows the line of an item added whole (its words in
// Vietnamese only) with a line for each of its fields in every language,
// as an edit of the item is told: a reviewer approves a new step's title,
// hint, picture and translations too, and must see them (outside QA: Ê Đê
// lines reached kiosks unseen). Each field is an addition, a number too
// (not "0 → 1"); the item's own line carries its fact mark, so a source is
// asked for once, not per field. An item removed needs no more than its
// line: nothing of it reaches a kiosk.
func addedItem[T any](d *differ, s scope, key, field string, it item[T], v T) {
	var zero T
	fields := &differ{}
	it.inner(fields, s.in(key+"["+it.id(v)+"]", catalogue[field].label+" "+it.name(v)), zero, v)
	for _, c := range fields.out {
		c.Op, c.Before, c.Fact, c.Doubt = Added, "", false, ""
		d.out = append(d.out, c)
	}
}

// texts compares two lists of texts (conditions, steps, notes): an item
// edited in place is one change from the old words to the new.
func texts(d *differ, s scope, key, field string, before, after []lang.Text) {
	vi := func(t lang.Text) string { return t.Vi() }
	for _, p := range align(keys(before, vi), keys(after, vi)) {
		switch {
		case p.b < 0:
			d.value(s, key+"["+strconv.Itoa(p.a+1)+"]", field, quote(before[p.a].Vi()), "")
		case p.a < 0: // every language of it, as wholeItem says why
			d.text(s, key+"["+strconv.Itoa(p.b+1)+"]", field, nil, after[p.b])
		default:
			d.text(s, key+"["+strconv.Itoa(p.b+1)+"]", field, before[p.a], after[p.b])
		}
	}
}

func keys[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, x := range items {
		out[i] = id(x)
	}
	return out
}
