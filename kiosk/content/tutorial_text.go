package content

import (
	"sort"

	"tramso/kiosk/lang"
)

// Text is one resident-visible text in every language it was written in
// (see lang.Text: a plain YAML string is the Vietnamese text).
type Text = lang.Text

// checkText reports a missing Vietnamese text (when required) and unknown languages.
func checkText(t Text, probs *Problems, file, field string, required bool) {
	if required && t["vi"] == "" {
		probs.add(file, field, "Vietnamese text (vi) is required")
	}
	langs := make([]string, 0, len(t))
	for l := range t {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		if !lang.IsKnown(l) {
			probs.add(file, field, "language %q is not one of %v", l, lang.Known)
		}
	}
	if len(t) > 0 && t["vi"] == "" && !required {
		probs.add(file, field, "has translations but no Vietnamese text (vi), which every language falls back to")
	}
}

// Localizer resolves texts into one language and remembers which fields fell
// back to Vietnamese, so the UI can show the fallback.
type Localizer struct {
	Lang     string
	fallback []string
}

// Get resolves t, recording field as a fallback when it is not in l.Lang.
// Empty texts (optional fields left out) never count as fallbacks.
func (l *Localizer) Get(field string, t Text) string {
	s, got := t.In(l.Lang)
	if got != l.Lang && s != "" {
		l.fallback = append(l.fallback, field)
	}
	return s
}

// Fallback returns (and forgets) the fields resolved so far that came in Vietnamese.
func (l *Localizer) Fallback() []string {
	f := l.fallback
	l.fallback = nil
	return f
}
