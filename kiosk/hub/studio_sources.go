package hub

import (
	"strings"

	"tramso/kiosk/studio"
)

// missingItem is the fact changes of one item (a fee rule, a document, a
// case) that still need a source: the change page asks for one source per
// item, since a rule's amount and its note come from the same text.
type missingItem struct {
	Key   string // what the source is given for: "fees[late]", or a field's own key
	Label string // the item as staff call it: `Lệ phí khi "Đã quá 60 ngày"`
	Lines []studio.Missing
}

// MissingItems groups the file's missing sources by item, in order.
func (f FileReview) MissingItems() []missingItem {
	var out []missingItem
	for _, m := range f.Missing {
		key := itemKey(m.Change.Key)
		if n := len(out); n > 0 && out[n-1].Key == key {
			out[n-1].Lines = append(out[n-1].Lines, m)
			continue
		}
		out = append(out, missingItem{Key: key, Label: itemLabel(m.Change), Lines: []studio.Missing{m}})
	}
	return out
}

// itemKey is the list item a change key is inside ("fees[late].value" →
// "fees[late]", "cases[nhan-cha].documents[Giấy…].copies" → "cases[nhan-cha]
// .documents[Giấy…]"), or the key itself for a field of the file.
func itemKey(key string) string {
	if i := strings.LastIndex(key, "]"); i >= 0 {
		return key[:i+1]
	}
	return key
}

// itemLabel names the item a change is in as staff call it: the item the
// diff names (two removed documents were both "Giấy tờ", outside QA s27,
// finding 12), else the label's first part, which is the field's own.
func itemLabel(c studio.Change) string {
	if c.Item != "" {
		return c.Item
	}
	label, _, _ := strings.Cut(c.Label, " — ")
	return label
}

// itemChoice is an item of a file a source may be given for, as the change
// page offers it: its key, and how staff call it.
type itemChoice struct{ Key, Label string }

// Items are the items the change touches in the file, in order, once each:
// what the page's "Thêm nguồn" offers, by name, instead of a key to type.
func (f FileReview) Items() []itemChoice {
	var out []itemChoice
	seen := map[string]bool{}
	for _, c := range f.Changes {
		key := itemKey(c.Key)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, itemChoice{Key: key, Label: itemLabel(c)})
	}
	return out
}

// sourceLabel names what a source was given for, as the change page lists
// the file's items; a key no change of the file has now reads as itself.
func (r *Review) sourceLabel(path, key string) string {
	for _, f := range r.Files {
		if f.Path != path {
			continue
		}
		for _, it := range f.Items() {
			if it.Key == key {
				return it.Label
			}
		}
		for _, c := range f.Changes {
			if c.Key == key {
				return c.Label
			}
		}
	}
	return key
}

// Sourced says whether the fact change key has a valid source: its line
// reads "đã có nguồn" rather than "cần nguồn" once one is given.
func (f FileReview) Sourced(key string) bool {
	for _, m := range f.Missing {
		if m.Change.Key == key {
			return false
		}
	}
	return true
}
