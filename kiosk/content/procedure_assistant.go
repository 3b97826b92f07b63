package content

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"tramso/kiosk/flow"
)

// lifeEventsFile holds what ties the procedures together for residents.
const lifeEventsFile = "life-events.yaml"

// Assistant is life-events.yaml: the fields (lĩnh vực) procedures are browsed
// by, the life events that group them, and the wording of the take-away
// checklist (the text a resident's phone reads from a QR code), so that every
// word a resident sees is content, translatable like the rest.
type Assistant struct {
	Fields     []FieldInfo `yaml:"fields"`
	LifeEvents []LifeEvent `yaml:"life_events"`
	Checklist  Wording     `yaml:"checklist"`
}

// FieldInfo is one lĩnh vực: Hộ tịch, Chứng thực, Cư trú…
type FieldInfo struct {
	ID    string `yaml:"id" json:"id"`
	Title Text   `yaml:"title" json:"title"`
	Icon  string `yaml:"icon,omitempty" json:"icon,omitempty"` // media path
}

// LifeEvent groups procedures under the words residents use ("Kết hôn", …).
type LifeEvent struct {
	ID         string     `yaml:"id" json:"id"`
	Title      Text       `yaml:"title" json:"title"`
	Summary    Text       `yaml:"summary,omitempty" json:"summary,omitempty"`
	Icon       string     `yaml:"icon,omitempty" json:"icon,omitempty"`   // media path
	Words      []string   `yaml:"words,omitempty" json:"words,omitempty"` // what people say: "sinh con", "đẻ"…
	Procedures []string   `yaml:"procedures" json:"procedures"`           // codes, in the order shown
	Flow       *flow.Flow `yaml:"flow,omitempty" json:"-"`                // optional: helps choose the procedure
}

// Wording is the checklist's fixed words, by key (see checklistKeys).
type Wording map[string]Text

// checklistKeys are the words the take-away checklist needs.
var checklistKeys = []string{
	"bring", "hand_in", "show", "original", "copy", "fee", "free", "ask_office", "unknown",
	"time", "immediate", "same_day", "working_day", "day", "hour", "where", "ask_staff", "online", "verified",
}

// laterChecklistWords are the words the take-home list gained after packs
// were made, each to say what the screen says. A pack made before lacks
// them; it is not refused for that (a kiosk upgraded before the province
// rebuilt its pack showed the starter instead: outside QA s23) but takes this
// release's own words, from the content built into it, and lint names each
// as advice, so that a new pack carries its own.
var laterChecklistWords = []string{
	"deadline", "hours", "steps", // the deadline, the office's hours, the next steps
	"prepare",      // "Giấy tờ cần chuẩn bị", for a procedure filed only online
	"vneid",        // "Nộp trên ứng dụng VNeID"
	"help",         // "Nơi hỏi thêm, nhờ giúp": the office, for a procedure filed only online
	"time_unknown", // "Cán bộ sẽ cho bạn biết": a processing time the data does not have
	"form",         // "Mẫu", before a form's code ("Mẫu CT01"), as the screen writes it
	"maybe_exempt", // after the fee, to one not sure they are exempt: some groups pay none, ask
	"exempt_proof", // after the fee, to one who answered being exempt: bring what shows it
	"office_tells", // a fee the province sets, before the rule that says why: "Cán bộ xã sẽ báo mức phí cho bạn"
	"result",       // "Bạn sẽ nhận được": what the person leaves with, as the card says it
	// The day names and the word for a day off of the office's hours lines
	// (OfficeLine.Say), as the card says them: "Thứ Hai–Thứ Sáu: …", "Chủ
	// nhật: nghỉ". Words of the pack, so a translator gives them in every
	// language it offers.
	"day_mon", "day_tue", "day_wed", "day_thu", "day_fri", "day_sat", "day_sun", "day_off",
	// Outside QA s28: the plural of a count ("2 originals"); the case line
	// ("Trường hợp của bạn") with what the answers changed, the flow tags
	// it names (Tailored.Situation); the notes ("Lưu ý"); and that the facts
	// are not yet compared with the national portal, as the screen says.
	"originals", "copies", "case", "notes", "unchecked",
	"tag_late", "tag_exempt", "tag_exempt_unsure", "tag_pages_short", "tag_pages_long",
}

// withLaterWords is w with each of laterChecklistWords it lacks taken from
// the built-in content, and the words so taken.
func (w Wording) withLaterWords() (Wording, []string) {
	var out Wording
	var filled []string
	for _, k := range laterChecklistWords {
		if w[k] != nil {
			continue
		}
		if out == nil {
			out = make(Wording, len(w)+len(laterChecklistWords))
			for key, t := range w {
				out[key] = t
			}
		}
		out[k] = builtInWording()[k]
		filled = append(filled, k)
	}
	if out == nil {
		return w, nil
	}
	return out, filled
}

// builtInWording is the checklist words of the content built into this
// release (its life-events.yaml, read once).
var builtInWording = sync.OnceValue(func() Wording {
	var a struct {
		Checklist Wording `yaml:"checklist"`
	}
	raw, err := fs.ReadFile(Starter(), lifeEventsFile)
	if err != nil {
		panic(err) // embedded at build time: a build defect
	}
	if err := yaml.Unmarshal(raw, &a); err != nil {
		panic(err)
	}
	return a.Checklist
})

// Field returns the field with id, or nil.
func (a *Assistant) Field(id string) *FieldInfo {
	if a == nil {
		return nil
	}
	for i := range a.Fields {
		if a.Fields[i].ID == id {
			return &a.Fields[i]
		}
	}
	return nil
}

// LifeEvent returns the life event with id, or nil.
func (p *Pack) LifeEvent(id string) *LifeEvent {
	for i := range p.LifeEvents {
		if p.LifeEvents[i].ID == id {
			return &p.LifeEvents[i]
		}
	}
	return nil
}

// loadAssistant reads life-events.yaml. A pack without procedures needs none.
func loadAssistant(fsys fs.FS, p *Pack, probs *Problems) {
	if _, err := fs.Stat(fsys, lifeEventsFile); err != nil {
		if len(p.Procedures) > 0 {
			probs.add(lifeEventsFile, "", "file is missing; it names the fields, life events and checklist words")
		}
		return
	}
	var a Assistant
	if err := decodeYAML(fsys, lifeEventsFile, &a); err != nil {
		probs.add(lifeEventsFile, "", "%v", err)
		return
	}
	var filled []string
	a.Checklist, filled = a.Checklist.withLaterWords()
	a.Checklist = a.Checklist.withShellDayWords(fsys)
	for _, k := range filled { // a new pack is still held to them (pack build refuses advice)
		probs.advise(lifeEventsFile, "checklist."+k, "missing: kiosks use their built-in words for it; add it so that every kiosk says it alike")
	}
	p.Assistant = &a
	p.LifeEvents = a.LifeEvents
	seen := map[string]bool{}
	for i, f := range a.Fields {
		field := fmt.Sprintf("fields[%d]", i+1)
		if f.ID == "" || seen[f.ID] {
			probs.add(lifeEventsFile, field+".id", "missing or repeated id %q", f.ID)
		}
		seen[f.ID] = true
		checkText(f.Title, probs, lifeEventsFile, field+".title", true)
	}
	for i, f := range a.Fields {
		checkIcon(fsys, probs, fmt.Sprintf("fields[%d].icon", i+1), f.Icon)
	}
	for i, le := range a.LifeEvents {
		checkIcon(fsys, probs, fmt.Sprintf("life_events[%d].icon", i+1), le.Icon)
	}
	known := append(slices.Clone(checklistKeys), laterChecklistWords...)
	for _, k := range known {
		checkText(a.Checklist[k], probs, lifeEventsFile, "checklist."+k, true)
	}
	for _, k := range sortedKeys(a.Checklist) {
		if !slices.Contains(known, k) {
			probs.add(lifeEventsFile, "checklist."+k, "unknown checklist word (known: %v)", known)
		}
	}
}

// checkIcon reports an icon path that is not a file of media/.
func checkIcon(fsys fs.FS, probs *Problems, field, icon string) {
	if icon == "" {
		return
	}
	if !fs.ValidPath(icon) || !strings.HasSuffix(icon, ".svg") && !strings.HasSuffix(icon, ".png") {
		probs.add(lifeEventsFile, field, "%q is not a media path to an .svg or .png", icon)
		return
	}
	if _, err := fs.Stat(fsys, path.Join("media", icon)); err != nil {
		probs.add(lifeEventsFile, field, "media/%s does not exist", icon)
	}
}

// withShellDayWords is w with the office's day words a pack's shell
// catalogues give (i18n/<lang>/procedures.json, result.day_mon…: where the
// result screen took them until the kiosk said the lines itself) for each
// language w lacks them in.
func (w Wording) withShellDayWords(fsys fs.FS) Wording {
	names, _ := fs.Glob(fsys, "i18n/*/procedures.json")
	for _, name := range names {
		lng := path.Base(path.Dir(name))
		b, err := fs.ReadFile(fsys, name)
		if err != nil || lng == "vi" {
			continue
		}
		var cat struct {
			Result map[string]any `json:"result"`
		}
		if json.Unmarshal(b, &cat) != nil {
			continue
		}
		for _, day := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun", "off"} {
			k := "day_" + day
			said, _ := cat.Result[k].(string)
			if said == "" || w[k][lng] != "" {
				continue
			}
			t := maps.Clone(w[k])
			if t == nil {
				t = Text{}
			}
			t[lng] = said
			w = maps.Clone(w)
			w[k] = t
		}
	}
	return w
}
