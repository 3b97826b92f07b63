// Command narrate is the YAML half of build/scripts/narrate.sh, the developer
// tool that makes the starter pack's placeholder narration. It lists what to
// say (one line per recording: media path, language, text) and, with -wire,
// points each lesson step's narration field, and each procedures-assistant
// question's audio field, at its recording.
//
// It edits the lesson files line by line, using the positions yaml.v3
// reports, instead of decoding and re-encoding them: the files are written by
// hand, and a round trip would lose their comments and layout.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// voiced are the languages espeak-ng can speak; Ê Đê and M'nông need people.
var voiced = []string{"vi", "en"}

func main() {
	pack := flag.String("pack", "kiosk/content/starter", "content pack source folder")
	i18n := flag.String("i18n", "frontend/src/i18n", "frontend catalogues (for the idle question)")
	wire := flag.Bool("wire", false, "also write the narration (audio) fields into the lesson, procedure and life-event files")
	flag.Parse()
	if err := run(*pack, *i18n, *wire); err != nil {
		fmt.Fprintln(os.Stderr, "narrate:", err)
		os.Exit(1)
	}
}

func run(pack, i18n string, wire bool) error {
	files, err := filepath.Glob(filepath.Join(pack, "tutorials", "*.yaml"))
	if err != nil {
		return err
	}
	for _, file := range files {
		if filepath.Base(file) == "course.yaml" {
			continue
		}
		if err := lesson(file, wire); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	}
	if err := flows(pack, wire); err != nil {
		return err
	}
	return idleQuestion(i18n)
}

// loadMapping reads a YAML file whose document is a mapping: its bytes (the
// edits are made to the text, keeping comments) and its root node.
func loadMapping(file string) ([]byte, *yaml.Node, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, nil, err
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil, errors.New("not a mapping")
	}
	return raw, doc.Content[0], nil
}

// lesson prints the narration lines of one lesson file and, if wire, rewrites
// its steps' narration fields.
func lesson(file string, wire bool) error {
	raw, root, err := loadMapping(file)
	if err != nil {
		return err
	}
	id := scalar(value(root, "id"))
	steps := value(root, "steps")
	if id == "" || steps == nil || steps.Kind != yaml.SequenceNode {
		return errors.New("no id or steps")
	}
	lines := strings.Split(string(raw), "\n")
	var edits []edit
	for i, step := range steps.Content {
		if step.Kind != yaml.MappingNode || len(step.Content) < 4 {
			return fmt.Errorf("step %d: want a block mapping with at least two keys", i+1)
		}
		title, text := texts(value(step, "title")), texts(value(step, "text"))
		narration := map[string]string{}
		for _, lang := range voiced {
			if text[lang] == "" {
				continue
			}
			rel := fmt.Sprintf("narration/tutorials/%s/%d.%s.ogg", id, i+1, lang)
			narration[lang] = rel
			fmt.Printf("%s\t%s\t%s\n", rel, lang, oneLine(join(title[lang], text[lang])))
		}
		e, err := narrationEdit(step, narration)
		if err != nil {
			return fmt.Errorf("step %d: %w", i+1, err)
		}
		edits = append(edits, e)
	}
	if !wire {
		return nil
	}
	// Apply from the bottom up so earlier line numbers stay valid.
	slices.SortFunc(edits, func(a, b edit) int { return b.from - a.from })
	for _, e := range edits {
		lines = slices.Replace(lines, e.from, e.to, e.line)
	}
	out := strings.Join(lines, "\n")
	if out == string(raw) {
		return nil
	}
	return os.WriteFile(file, []byte(out), 0o644)
}

// edit replaces lines[from:to] (0-based) with one line.
type edit struct {
	from, to int
	line     string
}

// narrationEdit replaces an existing narration field (which must then be a
// one-line flow mapping or be followed by another key) or inserts one before
// the step's second key, at the indentation of its keys.
func narrationEdit(step *yaml.Node, narration map[string]string) (edit, error) {
	keys := step.Content
	indent := strings.Repeat(" ", keys[0].Column-1)
	var parts []string
	for _, lang := range voiced {
		if rel := narration[lang]; rel != "" {
			parts = append(parts, lang+": "+rel)
		}
	}
	line := indent + "narration: {" + strings.Join(parts, ", ") + "}"
	for k := 0; k < len(keys); k += 2 {
		if keys[k].Value != "narration" {
			continue
		}
		if k == 0 {
			return edit{}, errors.New("narration must not be the first key")
		}
		from := keys[k].Line - 1
		if k+2 < len(keys) {
			return edit{from, keys[k+2].Line - 1, line}, nil
		}
		if keys[k+1].Style&yaml.FlowStyle == 0 {
			return edit{}, errors.New("a last narration field must be a one-line {vi: …} mapping")
		}
		return edit{from, from + 1, line}, nil
	}
	at := keys[2].Line - 1
	return edit{at, at, line}, nil
}

// flows narrates the questions of the procedures assistant: each procedure's
// flow and each life event's. A question has one audio field (Vietnamese),
// which reads the question and then its answers as a list, so a resident who
// cannot read hears the choices.
func flows(pack string, wire bool) error {
	files, err := filepath.Glob(filepath.Join(pack, "procedures", "*.yaml"))
	if err != nil {
		return err
	}
	files = append(files, filepath.Join(pack, "life-events.yaml"))
	for _, file := range files {
		if err := flowFile(file, wire); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	}
	return nil
}

// flowFile prints the narration lines of the flows in one file and, if wire,
// rewrites their questions' audio fields.
func flowFile(file string, wire bool) error {
	raw, root, err := loadMapping(file)
	if err != nil {
		return err
	}
	found := []*yaml.Node{value(root, "flow")}
	if events := value(root, "life_events"); events != nil {
		for _, ev := range events.Content {
			found = append(found, value(ev, "flow"))
		}
	}
	var edits []edit
	for _, f := range found {
		if f == nil {
			continue
		}
		id, questions := scalar(value(f, "id")), value(f, "questions")
		if id == "" || questions == nil || questions.Kind != yaml.SequenceNode {
			return errors.New("a flow without id or questions")
		}
		for _, q := range questions.Content {
			qid := scalar(value(q, "id"))
			if q.Kind != yaml.MappingNode || q.Style&yaml.FlowStyle != 0 || len(q.Content) < 4 || qid == "" {
				return fmt.Errorf("flow %s: want each question as a block mapping with an id", id)
			}
			rel := fmt.Sprintf("narration/procedures/%s/%s.vi.ogg", id, qid)
			fmt.Printf("%s\tvi\t%s\n", rel, oneLine(join(texts(value(q, "text"))["vi"], choices(value(q, "answers")))))
			indent := strings.Repeat(" ", q.Content[0].Column-1)
			e, err := fieldEdit(q, "audio", indent+"audio: "+rel, "answers")
			if err != nil {
				return fmt.Errorf("flow %s question %s: %w", id, qid, err)
			}
			edits = append(edits, e)
		}
	}
	if !wire {
		return nil
	}
	return apply(file, raw, edits)
}

// choices reads a question's answers as a list: "Các lựa chọn: A. B."
func choices(answers *yaml.Node) string {
	if answers == nil {
		return ""
	}
	var labels []string
	for _, a := range answers.Content {
		if l := strings.TrimSpace(texts(value(a, "text"))["vi"]); l != "" {
			labels = append(labels, stop(l))
		}
	}
	if len(labels) == 0 {
		return ""
	}
	return "Các lựa chọn: " + strings.Join(labels, " ")
}

// fieldEdit replaces an existing key field (which must then be on one line or
// be followed by another key) or inserts line before the key named before
// (or the mapping's second key), so that every question reads the same way.
func fieldEdit(m *yaml.Node, key, line, before string) (edit, error) {
	keys := m.Content
	at := keys[2].Line - 1
	for k := 0; k < len(keys); k += 2 {
		switch keys[k].Value {
		case before:
			at = keys[k].Line - 1
		case key:
			if k == 0 {
				return edit{}, fmt.Errorf("%s must not be the first key", key)
			}
			from := keys[k].Line - 1
			if k+2 < len(keys) {
				return edit{from, keys[k+2].Line - 1, line}, nil
			}
			if keys[k+1].Line != keys[k].Line {
				return edit{}, fmt.Errorf("a last %s field must be on one line", key)
			}
			return edit{from, from + 1, line}, nil
		}
	}
	return edit{at, at, line}, nil
}

// apply writes edits into file (whose bytes are raw), only if they change it.
func apply(file string, raw []byte, edits []edit) error {
	lines := strings.Split(string(raw), "\n")
	// Apply from the bottom up so earlier line numbers stay valid.
	slices.SortFunc(edits, func(a, b edit) int { return b.from - a.from })
	for _, e := range edits {
		lines = slices.Replace(lines, e.from, e.to, e.line)
	}
	out := strings.Join(lines, "\n")
	if out == string(raw) {
		return nil
	}
	return os.WriteFile(file, []byte(out), 0o644)
}

// idleQuestion prints the idle warning's title and body, so the voice says
// what the screen shows.
func idleQuestion(i18n string) error {
	for _, lang := range voiced {
		raw, err := os.ReadFile(filepath.Join(i18n, lang, "shell.json"))
		if err != nil {
			return err
		}
		var cat struct {
			Idle struct{ Title, Body string } `json:"idle"`
		}
		if err := json.Unmarshal(raw, &cat); err != nil {
			return fmt.Errorf("%s shell.json: %w", lang, err)
		}
		if cat.Idle.Title == "" {
			return fmt.Errorf("%s shell.json: no idle.title", lang)
		}
		fmt.Printf("shell/%s/idle-warning.ogg\t%s\t%s\n", lang, lang, oneLine(join(cat.Idle.Title, cat.Idle.Body)))
	}
	return nil
}

func value(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for k := 0; k+1 < len(m.Content); k += 2 {
		if m.Content[k].Value == key {
			return m.Content[k+1]
		}
	}
	return nil
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// texts reads a pack text: a plain string is Vietnamese, a mapping is per language.
func texts(n *yaml.Node) map[string]string {
	out := map[string]string{}
	switch {
	case n == nil:
	case n.Kind == yaml.ScalarNode:
		out["vi"] = n.Value
	case n.Kind == yaml.MappingNode:
		for k := 0; k+1 < len(n.Content); k += 2 {
			out[n.Content[k].Value] = n.Content[k+1].Value
		}
	}
	return out
}

// join reads a heading, then the text, with a full stop between them so the
// voice pauses.
func join(title, text string) string {
	title = strings.TrimSpace(title)
	if title == "" {
		return text
	}
	return stop(title) + " " + text
}

// stop ends s with punctuation, so the voice pauses after it.
func stop(s string) string {
	if !strings.ContainsAny(s[len(s)-1:], ".?!:") {
		s += "."
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
