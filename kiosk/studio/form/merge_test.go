package form

import (
	"slices"
	"testing"

	"tramso/kiosk/content"
)

// procedure is a fresh decode of a starter procedure, to edit.
func procedure(t *testing.T, p string) *content.Procedure {
	t.Helper()
	return decodeStarter(t, p).(*content.Procedure)
}

// Two people editing different parts of one file both keep their edits;
// the same part edited alike is no conflict; the same part edited apart is,
// named by its form name, and keeps what was saved first.
func TestMerge(t *testing.T) {
	const p = "procedures/ket-hon.yaml"
	base := procedure(t, p)
	theirs := procedure(t, p)
	theirs.Summary["vi"] = "Tóm tắt đã lưu trước"
	theirs.Documents[0].Note["en"] = "Saved first."
	mine := procedure(t, p)
	mine.PlainName["vi"] = "Tên tôi sửa"
	mine.Documents[1].Originals = 3
	mine.Summary["en"] = "My summary"

	got, conflicts := Merge(base, theirs, mine)
	m := got.(*content.Procedure)
	if len(conflicts) != 0 {
		t.Fatalf("conflicts %v", conflicts)
	}
	if m.Summary["vi"] != "Tóm tắt đã lưu trước" || m.Summary["en"] != "My summary" || m.PlainName["vi"] != "Tên tôi sửa" ||
		m.Documents[0].Note["en"] != "Saved first." || m.Documents[1].Originals != 3 {
		t.Errorf("merged: summary %v, name %v, doc 0 note %v, doc 1 originals %d", m.Summary, m.PlainName, m.Documents[0].Note, m.Documents[1].Originals)
	}
	if base.PlainName["vi"] == "Tên tôi sửa" || theirs.PlainName["vi"] == "Tên tôi sửa" {
		t.Error("Merge changed its inputs")
	}

	// The same word typed in both places: kept, no conflict.
	mine.Summary["vi"] = "Tóm tắt đã lưu trước"
	if _, conflicts := Merge(base, theirs, mine); len(conflicts) != 0 {
		t.Errorf("alike edits: conflicts %v", conflicts)
	}
	// Typed apart: a conflict, and the first save stands.
	mine.Summary["vi"] = "Tóm tắt khác"
	got, conflicts = Merge(base, theirs, mine)
	if !slices.Equal(conflicts, []string{"summary.vi"}) || got.(*content.Procedure).Summary["vi"] != "Tóm tắt đã lưu trước" {
		t.Errorf("apart: conflicts %v, summary %q", conflicts, got.(*content.Procedure).Summary["vi"])
	}
}

// A list whose items were added or removed on one side merges as a whole:
// untouched on the other side, it takes the change; changed there too, it
// is one conflict.
func TestMergeLists(t *testing.T) {
	const p = "procedures/ket-hon.yaml"
	base := procedure(t, p)
	theirs := procedure(t, p)
	mine := procedure(t, p)
	mine.Documents = append(mine.Documents, content.Document{Name: content.Text{"vi": "Giấy mới"}, Originals: 1, Action: content.HandIn})

	got, conflicts := Merge(base, theirs, mine)
	if n := len(got.(*content.Procedure).Documents); len(conflicts) != 0 || n != len(base.Documents)+1 {
		t.Errorf("an added paper: %d papers, conflicts %v", n, conflicts)
	}
	theirs.Documents[0].Name["vi"] = "Tên giấy đã đổi"
	got, conflicts = Merge(base, theirs, mine)
	if !slices.Equal(conflicts, []string{"documents"}) || got.(*content.Procedure).Documents[0].Name["vi"] != "Tên giấy đã đổi" {
		t.Errorf("added against changed: conflicts %v", conflicts)
	}
}

// Shown reads one input's value by its form name, for the note beside a
// part both sides edited.
func TestShown(t *testing.T) {
	v := procedure(t, "procedures/ket-hon.yaml")
	for name, want := range map[string]string{"plain_name.vi": "Đăng ký kết hôn", "plain_name.rad": "", "documents.1.originals": "2", "code": "1.000894"} {
		if got, ok := Shown(v, name); !ok || got != want {
			t.Errorf("Shown(%s) = %q, %v; want %q", name, got, ok, want)
		}
	}
	for _, name := range []string{"documents", "documents.9.name.vi", "nope"} {
		if got, ok := Shown(v, name); ok {
			t.Errorf("Shown(%s) = %q: a part no one input shows", name, got)
		}
	}
}
