package hub

import (
	"bytes"
	"fmt"
	"path"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"tramso/kiosk/content"
	"tramso/kiosk/studio"
)

// What a version changed, in the words of kiosk/studio: procedures, lessons
// and life-events.yaml are decoded with the content types and compared
// field by field; any other file only says that it changed.

// Summary words of the studio's own (the field changes are kiosk/studio's).
const (
	summaryRemoved    = "Đã xoá tệp"
	summaryNew        = "Tệp mới"
	summaryChanged    = "Đã thay đổi tệp"
	summaryUnchanged  = "Không có thay đổi"
	summaryLayoutOnly = "Chỉ đổi cách viết (chú thích, khoảng trắng); nội dung không đổi"
	summaryUnreadable = "Tệp này không đọc được nên chưa so sánh được"
	// maxSummaryLines bounds a version's summary; the review shows every change.
	maxSummaryLines = 30
)

// fileKind is how the studio compares a file.
type fileKind int

const (
	kindOther fileKind = iota
	kindProcedure
	kindLesson
	kindLifeEvents
	kindCatalogue // a shell catalogue, i18n/<lang>/<namespace>.json (studio_translate_diff.go)
)

func kindOf(p string) fileKind {
	switch dir, name := path.Split(p); {
	case p == "life-events.yaml":
		return kindLifeEvents
	case dir == "procedures/" && strings.HasSuffix(name, ".yaml"):
		return kindProcedure
	case dir == "tutorials/" && strings.HasSuffix(name, ".yaml") && name != "course.yaml":
		return kindLesson
	case isCatalogue(p):
		return kindCatalogue
	}
	return kindOther
}

// diffFile lists what changed in path from before to after (nil: no file),
// before being the approved file. unreadable says, when one of them does
// not decode, why.
func diffFile(p string, before, after []byte) (changes []studio.Change, unreadable string) {
	return diffSave(p, before, before, after)
}

// diffSave is diffFile of one save of a change: what changed since the save
// before, with a procedure's fees doubted against approved, the file as
// approved (nil: none), not against that save (studio.DiffProcedureSince).
func diffSave(p string, approved, before, after []byte) (changes []studio.Change, unreadable string) {
	kind := kindOf(p)
	if kind == kindOther {
		if isText(p) {
			return textChanges(before, after), ""
		}
		return nil, ""
	}
	var err error
	switch kind {
	case kindProcedure:
		var a, b content.Procedure
		if err = decodeBoth(before, after, &b, &a); err == nil {
			changes = studio.DiffProcedureSince(approvedProcedure(approved), &b, &a)
		}
	case kindLesson:
		var a, b content.Tutorial
		if err = decodeBoth(before, after, &b, &a); err == nil {
			changes = studio.DiffLesson(&b, &a)
		}
	case kindLifeEvents:
		var a, b content.Assistant
		if err = decodeBoth(before, after, &b, &a); err == nil {
			changes = diffAssistant(&b, &a)
		}
	case kindCatalogue:
		changes, err = diffCatalogue(p, before, after)
	}
	if err != nil {
		return nil, err.Error()
	}
	return changes, ""
}

// approvedProcedure is the approved file a fee is doubted against, or nil
// when it does not decode (an older release's): the save before is not
// what kiosks have, so a fee is then only doubted for its size.
func approvedProcedure(approved []byte) *content.Procedure {
	var p content.Procedure
	if decodeStrict(approved, &p) != nil {
		return nil
	}
	return &p
}

// decodeBoth decodes before into b and after into a, strictly as the
// kiosk's loader does; a missing file is the zero value. The error says
// which one failed and where in Vietnamese, the parser's words after
// (studio.YAMLError: its line as an editor numbers it).
func decodeBoth(before, after []byte, b, a any) error {
	if err := decodeStrict(before, b); err != nil {
		return fmt.Errorf("bản trước viết chưa đúng cách (YAML), %s", studio.YAMLError(err.Error()))
	}
	if err := decodeStrict(after, a); err != nil {
		return fmt.Errorf("bản này viết chưa đúng cách (YAML), %s", studio.YAMLError(err.Error()))
	}
	return nil
}

func decodeStrict(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(body))
	dec.KnownFields(true)
	return dec.Decode(v)
}

// diffAssistant compares two life-events.yaml files: each life event by its
// id (keys "life_events[id]…", labels naming the event), then whether the
// fields and the checklist's words changed at all.
func diffAssistant(b, a *content.Assistant) []studio.Change {
	before := map[string]*content.LifeEvent{}
	for i := range b.LifeEvents {
		before[b.LifeEvents[i].ID] = &b.LifeEvents[i]
	}
	var out []studio.Change
	seen := map[string]bool{}
	each := func(id string, be, ae *content.LifeEvent) {
		seen[id] = true
		name := ae
		if be == nil {
			be = &content.LifeEvent{}
		}
		if ae == nil {
			ae, name = &content.LifeEvent{}, be
		}
		for _, c := range studio.DiffLifeEvent(be, ae) {
			c.Key = "life_events[" + id + "]." + c.Key
			c.Label = `Sự kiện "` + name.Title["vi"] + `" — ` + c.Label
			if c.Item != "" {
				c.Item = `Sự kiện "` + name.Title["vi"] + `" — ` + c.Item
			}
			out = append(out, c)
		}
	}
	for i := range a.LifeEvents {
		e := &a.LifeEvents[i]
		each(e.ID, before[e.ID], e)
	}
	for i := range b.LifeEvents {
		if e := &b.LifeEvents[i]; !seen[e.ID] {
			each(e.ID, e, nil)
		}
	}
	if !reflect.DeepEqual(b.Fields, a.Fields) {
		out = append(out, studio.Change{Key: "fields", Field: "fields", Label: "Danh sách lĩnh vực", Op: studio.Changed,
			Before: strconv.Itoa(len(b.Fields)) + " lĩnh vực", After: strconv.Itoa(len(a.Fields)) + " lĩnh vực (đã sửa)"})
	}
	if !reflect.DeepEqual(b.Checklist, a.Checklist) {
		out = append(out, studio.Change{Key: "checklist", Field: "checklist", Label: "Lời của danh sách mang về",
			Op: studio.Changed, Before: "bản cũ", After: "bản mới"})
	}
	return out
}

// summarize says what a save changed since the save before, one change per
// line; approved is the file as approved, which a fee is doubted against.
func summarize(p string, approved, before, after []byte) string {
	switch {
	case bytes.Equal(before, after) && before != nil:
		return summaryUnchanged
	}
	changes, unreadable := diffSave(p, approved, before, after)
	head := ""
	if before == nil {
		head = summaryNew
	}
	var lines []string
	switch {
	case unreadable != "":
		lines = []string{summaryUnreadable + ": " + unreadable}
	case kindOf(p) == kindOther && len(changes) == 0:
		if head == "" {
			head = summaryChanged
		}
	case len(changes) == 0:
		if head == "" {
			head = summaryLayoutOnly
		}
	default:
		for i, c := range changes {
			if i == maxSummaryLines {
				lines = append(lines, fmt.Sprintf("… và %d thay đổi khác", len(changes)-i))
				break
			}
			lines = append(lines, c.String())
		}
	}
	if head != "" {
		lines = append([]string{head}, lines...)
	}
	return storable(strings.Join(lines, "\n"))
}
