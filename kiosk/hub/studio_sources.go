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
		label, _, _ := strings.Cut(m.Change.Label, " — ")
		out = append(out, missingItem{Key: key, Label: label, Lines: []studio.Missing{m}})
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
