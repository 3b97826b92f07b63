package studio

// Label is the Vietnamese name of the field at a catalogue key
// ("documents.originals", "lesson.steps.text", "life.title"), for the
// studio's forms; ok is false when the catalogue does not name it.
func Label(key string) (string, bool) {
	if e, ok := catalogue[key]; ok && e.label != "" {
		return e.label, true
	}
	l, ok := formLabels[key]
	return l, ok
}

// IsFact reports whether a change to the field at a catalogue key is a fact
// change, which a reviewer approves only with a source (RequireSources).
func IsFact(key string) bool { return catalogue[key].fact }

// IsProse reports whether the text at a catalogue key is written as
// sentences, which a form edits in a box of several lines.
func IsProse(key string) bool { return prose[key] }

// LanguageName is a language as province staff call it: "tiếng Việt",
// "tiếng Ê Đê"; the code itself for a language the catalogue does not know.
func LanguageName(code string) string {
	if code == "vi" {
		return "tiếng Việt"
	}
	return languageName(code)
}
