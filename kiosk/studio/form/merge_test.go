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

// A list one side reshaped (an item added, removed or moved) and the other
// edited in place merges: each edit goes to its item wherever it now is. An
// item edited on one side and removed on the other, or a list reshaped on
// both, is one conflict, the whole list, and keeps what was saved first.
func TestMergeLists(t *testing.T) {
	const p = "procedures/ket-hon.yaml"
	added := content.Document{Name: content.Text{"vi": "Giấy mới"}, Originals: 1, Action: content.HandIn}
	docs := func(v any) []content.Document { return v.(*content.Procedure).Documents }
	base := procedure(t, p)
	n := len(base.Documents)

	// Mine adds, theirs renames the first: both kept, either way round.
	theirs, mine := procedure(t, p), procedure(t, p)
	mine.Documents = append(mine.Documents, added)
	theirs.Documents[0].Name["vi"] = "Tên giấy đã đổi"
	for _, order := range [][2]any{{theirs, mine}, {mine, theirs}} {
		got, conflicts := Merge(base, order[0], order[1])
		if d := docs(got); len(conflicts) != 0 || len(d) != n+1 || d[0].Name["vi"] != "Tên giấy đã đổi" || d[n].Name["vi"] != "Giấy mới" {
			t.Errorf("added and renamed: %d papers, first %q, conflicts %v", len(d), d[0].Name["vi"], conflicts)
		}
	}

	// Theirs moves the second paper first; mine edits it where it was.
	theirs, mine = procedure(t, p), procedure(t, p)
	theirs.Documents[0], theirs.Documents[1] = theirs.Documents[1], theirs.Documents[0]
	theirs.Documents = append(theirs.Documents, added)
	mine.Documents[1].Originals = 5
	got, conflicts := Merge(base, theirs, mine)
	if d := docs(got); len(conflicts) != 0 || d[0].Originals != 5 || d[1].Originals == 5 {
		t.Errorf("moved and edited: conflicts %v, originals %d, %d", conflicts, d[0].Originals, d[1].Originals)
	}

	// One side only swaps two papers (the length stays); the other edits
	// the second where it was: the edit follows the paper, either way
	// round (outside QA: it stayed at its index, on the other paper).
	swapped := procedure(t, p)
	swapped.Documents[0], swapped.Documents[1] = swapped.Documents[1], swapped.Documents[0]
	noted := procedure(t, p)
	noted.Documents[1].Note = content.Text{"vi": base.Documents[1].Note["vi"], "en": "Bring the original."}
	for _, order := range [][2]any{{swapped, noted}, {noted, swapped}} {
		got, conflicts := Merge(base, order[0], order[1])
		d := docs(got)
		if len(conflicts) != 0 || d[0].Name["vi"] != base.Documents[1].Name["vi"] || d[0].Note["en"] != "Bring the original." ||
			d[1].Note["en"] == "Bring the original." {
			t.Errorf("swapped and edited: conflicts %v, first %q note %q, second note %q", conflicts, d[0].Name["vi"], d[0].Note["en"], d[1].Note["en"])
		}
	}

	// Both swap, and one edits too: a conflict, the whole list.
	theirs, mine = procedure(t, p), procedure(t, p)
	theirs.Documents[0], theirs.Documents[1] = theirs.Documents[1], theirs.Documents[0]
	mine.Documents[0], mine.Documents[1] = mine.Documents[1], mine.Documents[0]
	mine.Documents[0].Originals = 4
	if _, conflicts = Merge(base, theirs, mine); !slices.Equal(conflicts, []string{"documents"}) {
		t.Errorf("both moved: conflicts %v", conflicts)
	}

	// Theirs removes the second paper; mine edits it: a conflict, theirs kept.
	theirs, mine = procedure(t, p), procedure(t, p)
	theirs.Documents = theirs.Documents[:1]
	mine.Documents[1].Originals = 5
	got, conflicts = Merge(base, theirs, mine)
	if !slices.Equal(conflicts, []string{"documents"}) || len(docs(got)) != 1 {
		t.Errorf("removed and edited: conflicts %v, %d papers", conflicts, len(docs(got)))
	}

	// Both add: a conflict.
	theirs, mine = procedure(t, p), procedure(t, p)
	theirs.Documents = append(theirs.Documents, added)
	mine.Documents = append(mine.Documents, content.Document{Name: content.Text{"vi": "Giấy khác"}, Originals: 1, Action: content.Show})
	if _, conflicts = Merge(base, theirs, mine); !slices.Equal(conflicts, []string{"documents"}) {
		t.Errorf("both added: conflicts %v", conflicts)
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
