// Package lang holds the languages the kiosk speaks and resident-visible text
// written in them, with Vietnamese as the one every other language falls back
// to. The language codes (Known) and the one rule for a code a client sends
// (Parse) live here; the content pack (tutorials, procedures) and the question
// flows share Text, so a text reads, decodes and falls back the same way
// everywhere.
package lang

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// Text is one resident-visible text in every language it was written in,
// keyed by language code ("vi", "en", "rad", "mng"). Vietnamese is required
// and is the fallback. In YAML a plain string is the Vietnamese text; a
// mapping gives languages:
//
//	title: Cài VNeID
//	title: {vi: Cài VNeID, en: Install VNeID}
type Text map[string]string

// UnmarshalYAML accepts a plain string (Vietnamese) or a language mapping.
func (t *Text) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*t = Text{"vi": n.Value}
		return nil
	}
	m := map[string]string{}
	if err := n.Decode(&m); err != nil {
		return fmt.Errorf("line %d: a text is a string or a mapping of language to string", n.Line)
	}
	*t = m
	return nil
}

// In returns the text in lang and the language it actually came in: lang when
// it was written in lang, otherwise "vi".
func (t Text) In(lang string) (string, string) {
	if s, ok := t[lang]; ok && s != "" {
		return s, lang
	}
	return t["vi"], "vi"
}

// Vi is the Vietnamese text.
func (t Text) Vi() string { return t["vi"] }
