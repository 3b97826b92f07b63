package content

import (
	"fmt"
	"io/fs"
	"strings"
	"unicode"

	"tramso/kiosk/lang"
)

// searchFile holds the words residents type for what the pack offers. It is
// optional: without it the kiosk searches titles, names and aliases only.
const searchFile = "search.yaml"

// SearchWords is search.yaml: the province's list of everyday words for the
// pack's procedures, lessons and life events ("mất" → khai tử, "nhập khẩu" →
// thường trú), the qualifiers that narrow a search ("muộn", "cho con")
// without finding anything by themselves, and what residents ask for that the
// kiosk does not cover ("hộ chiếu"): search answers those with "not here,
// ask the staff" rather than with items that share a word of them.
type SearchWords struct {
	Synonyms   []Synonym           `yaml:"synonyms"`
	Qualifiers map[string][]string `yaml:"qualifiers,omitempty"` // by language
	Elsewhere  map[string][]string `yaml:"elsewhere,omitempty"`  // by language
}

// Synonym is one group of phrases, by language, and what they mean.
type Synonym struct {
	Phrases    map[string][]string `yaml:"phrases"` // by language
	Procedures []string            `yaml:"procedures,omitempty"`
	Tutorials  []string            `yaml:"tutorials,omitempty"`
	LifeEvents []string            `yaml:"life_events,omitempty"`
}

// loadSearch reads search.yaml and checks that every phrase says something,
// appears once, and points at a procedure, lesson or life event of the pack
// (or, under elsewhere, at nothing the pack covers).
// It runs after the procedures and lessons are loaded.
func loadSearch(fsys fs.FS, p *Pack, probs *Problems) {
	if _, err := fs.Stat(fsys, searchFile); err != nil {
		return
	}
	var sw SearchWords
	if err := decodeYAML(fsys, searchFile, &sw); err != nil {
		probs.add(searchFile, "", "%v", err)
		return
	}
	p.Search = &sw
	seen := map[string]string{} // lang + folded phrase → where first seen
	for i, s := range sw.Synonyms {
		at := fmt.Sprintf("synonyms[%d]", i+1)
		if len(s.Phrases) == 0 {
			probs.add(searchFile, at+".phrases", "no phrases: list what residents type, by language (vi: [...])")
		}
		checkPhrases(s.Phrases, at+".phrases", seen, probs)
		if len(s.Procedures)+len(s.Tutorials)+len(s.LifeEvents) == 0 {
			probs.add(searchFile, at, "points at nothing: add procedures, tutorials or life_events")
		}
		checkTargets(s.Procedures, at+".procedures", "procedure code", func(c string) bool { return p.Procedure(c) != nil }, probs)
		checkTargets(s.Tutorials, at+".tutorials", "lesson id", func(id string) bool { _, _, ok := p.Tutorial(id); return ok }, probs)
		checkTargets(s.LifeEvents, at+".life_events", "life event id", func(id string) bool { return p.LifeEvent(id) != nil }, probs)
	}
	checkPhrases(sw.Qualifiers, "qualifiers", map[string]string{}, probs)
	// Shares seen with the synonyms: a phrase cannot both find an item and
	// say that nothing here covers it.
	checkPhrases(sw.Elsewhere, "elsewhere", seen, probs)
}

// checkPhrases reports unknown languages, empty phrases and phrases already
// listed (seen records each under its language).
func checkPhrases(byLang map[string][]string, at string, seen map[string]string, probs *Problems) {
	for _, l := range sortedKeys(byLang) {
		if !lang.IsKnown(l) {
			probs.add(searchFile, at, "language %q is not one of %s", l, lang.KnownList())
			continue
		}
		for j, ph := range byLang[l] {
			field := fmt.Sprintf("%s.%s[%d]", at, l, j+1)
			key := l + "\x00" + phraseKey(ph)
			switch {
			case phraseKey(ph) == "":
				probs.add(searchFile, field, "empty phrase: write the words residents type")
			case seen[key] != "":
				probs.add(searchFile, field, "%q is already listed at %s; list a phrase once", ph, seen[key])
			default:
				seen[key] = field
			}
		}
	}
}

// phraseKey is a phrase as search compares it for repeats: lower case, words
// only, single spaces.
func phraseKey(s string) string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return strings.Join(words, " ")
}

func checkTargets(ids []string, at, what string, exists func(string) bool, probs *Problems) {
	for j, id := range ids {
		if !exists(id) {
			probs.add(searchFile, fmt.Sprintf("%s[%d]", at, j+1), "unknown %s %q", what, id)
		}
	}
}
