package hub

import (
	"context"
	"maps"
	"strconv"
	"strings"

	"tramso/kiosk/studio"
)

func init() {
	maps.Copy(auditActions, map[string]string{
		"content_source_added":   "Thêm nguồn cho thay đổi nội dung",
		"content_source_removed": "Bỏ nguồn của thay đổi nội dung",
	})
	maps.Copy(decisionLabels, map[string]string{
		actionSourceAdded:   "Thêm nguồn",
		actionSourceRemoved: "Bỏ nguồn",
	})
}

// A source given or taken back is a line of the change's conversation
// (content_comments.action), so that the editor reads what a reviewer did
// to the sources of a change waiting for review (outside QA s29, finding 3).
const (
	actionSourceAdded   = "source-added"
	actionSourceRemoved = "source-removed"
)

// GiveSource adds a source to a change (AddSource) and says so in the
// change's conversation; it returns the line it wrote, which the audit log
// repeats.
func (h *Hub) GiveSource(ctx context.Context, change int64, path string, src studio.Source, by string) (string, error) {
	if err := h.AddSource(ctx, change, path, src, by); err != nil {
		return "", err
	}
	src.Key, src.Ref = strings.TrimSpace(storable(src.Key)), strings.TrimSpace(storable(src.Ref))
	line := h.sourceLine(ctx, change, path, src)
	return line, addComment(ctx, h.DB, change, actionSourceAdded, by, h.stamp(), line)
}

// TakeBackSource removes a source from a change (RemoveSource) and says so
// in the change's conversation, naming the source and who had given it.
func (h *Hub) TakeBackSource(ctx context.Context, change, id int64, by string) (string, error) {
	srcs, err := h.Sources(ctx, change)
	if err != nil {
		return "", err
	}
	var gone *SourceEntry
	for i := range srcs {
		if srcs[i].ID == id {
			gone = &srcs[i]
		}
	}
	if err := h.RemoveSource(ctx, change, id); err != nil {
		return "", err
	}
	line := "nguồn số " + strconv.FormatInt(id, 10) // given after the read above
	if gone != nil {
		line = h.sourceLine(ctx, change, gone.Path, gone.Source)
	}
	if gone != nil && gone.Author != by {
		line += " (nguồn do " + gone.Author + " ghi)"
	}
	return line, addComment(ctx, h.DB, change, actionSourceRemoved, by, h.stamp(), line)
}

// sourceLine names a source as the conversation and the audit log say it:
// the item it backs as staff call it, the file, the reference and the day
// it was read, as the console writes days.
func (h *Hub) sourceLine(ctx context.Context, change int64, path string, src studio.Source) string {
	line := h.itemName(ctx, change, path, src.Key) + " (" + path + "): " + src.Ref
	if src.ReadOn != "" {
		line += ", đọc ngày " + formatDay(string(src.ReadOn))
	}
	return line
}

// itemName is what a source's key names in the change's newest version of
// path, as the change page's "Ghi nguồn cho" offers it; the key itself when
// the change has no such item (or the file cannot be compared).
func (h *Hub) itemName(ctx context.Context, change int64, path, key string) string {
	c, err := h.GetChange(ctx, change)
	if err != nil {
		return key
	}
	vs, err := h.ChangeVersions(ctx, change)
	if err != nil {
		return key
	}
	var newest *Version
	for i := range vs {
		if vs[i].Path == path {
			newest = &vs[i]
		}
	}
	if newest == nil {
		return key
	}
	f, err := h.fileReview(ctx, c, *newest, nil)
	if err != nil {
		return key
	}
	r := Review{Files: []FileReview{f}}
	return r.sourceLabel(path, key)
}

// suppliedBy lists the sources of the change user gave (by reference): the
// person who supplied a fact's source does not also approve it, since then
// one person alone would have vouched for the fact (DESIGN: "a second
// person approves every fact with its source"; outside QA s29, finding 3).
func (r *Review) suppliedBy(user string) []string {
	var out []string
	for _, s := range r.Sources {
		if s.Author == user {
			out = append(out, s.Ref)
		}
	}
	return out
}

// errSourcedByReviewer is the blocker of a reviewer who gave a source of
// the change they are about to approve.
func errSourcedByReviewer(refs []string) *StudioError {
	return &StudioError{Kind: ErrSourcedBy.Kind, Detail: refs,
		Msg: "Bạn đã ghi nguồn cho thay đổi này (" + strings.Join(quoted(refs), ", ") + ") nên không duyệt được nó: " +
			"nguồn của mỗi thông tin phải được một người khác kiểm tra. Hãy trả lại để người soạn tự kiểm tra và ghi nguồn " +
			"(người soạn bỏ nguồn của bạn rồi ghi lại), hoặc nhờ một người duyệt khác duyệt."}
}

// ErrSourcedBy refuses the approval of a change by someone who gave one of
// its sources (errSourcedByReviewer says which).
var ErrSourcedBy = &StudioError{Kind: "sourced-by-reviewer", Msg: "Người ghi nguồn cho thay đổi không tự duyệt được thay đổi đó: cần một người duyệt khác."}

func quoted(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = "“" + s + "”"
	}
	return out
}

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
