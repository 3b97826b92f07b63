package content

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// starterWithSearch is the whole starter pack with search.yaml replaced.
func starterWithSearch(t *testing.T, src string) fs.FS {
	t.Helper()
	m := starterCopy(t)
	m[searchFile] = &fstest.MapFile{Data: []byte(src)}
	return m
}

// starterCopy is the built-in content as a map a test may edit.
func starterCopy(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(Starter(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Starter(), p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestStarterSearchWords(t *testing.T) {
	p, err := Load(Starter())
	if err != nil {
		t.Fatal(err)
	}
	if p.Search == nil || len(p.Search.Synonyms) < 20 || len(p.Search.Qualifiers["vi"]) == 0 || len(p.Search.Elsewhere["vi"]) == 0 {
		t.Fatalf("starter search.yaml not loaded: %+v", p.Search)
	}
}

func TestSearchWordsLint(t *testing.T) {
	src := `synonyms:
  - phrases: {vi: [mất, qua đời]}
    procedures: ["1.000656"]
    life_events: [qua-doi]
  - phrases: {vi: ["  ", "Qua  đời"], xx: [died]}
    procedures: ["9.999999"]
    tutorials: [no-such-lesson]
    life_events: [no-such-event]
  - phrases: {}
  - phrases: {en: [scam]}
    tutorials: [scam-spotting]
qualifiers:
  vi: [muộn, "", muộn]
elsewhere:
  vi: [hộ chiếu, Mất]
  en: [passport, "!"]
`
	probs := Lint(starterWithSearch(t, src))
	want := []string{
		`search.yaml: synonyms[2].phrases.vi[1]: empty phrase`,
		`search.yaml: synonyms[2].phrases.vi[2]: "Qua  đời" is already listed at synonyms[1].phrases.vi[2]`,
		`search.yaml: synonyms[2].phrases: language "xx" is not one of vi, en, rad, mng`,
		`search.yaml: synonyms[2].procedures[1]: unknown procedure code "9.999999"`,
		`search.yaml: synonyms[2].tutorials[1]: unknown lesson id "no-such-lesson"`,
		`search.yaml: synonyms[2].life_events[1]: unknown life event id "no-such-event"`,
		`search.yaml: synonyms[3].phrases: no phrases`,
		`search.yaml: synonyms[3]: points at nothing`,
		`search.yaml: qualifiers.vi[2]: empty phrase`,
		`search.yaml: qualifiers.vi[3]: "muộn" is already listed at qualifiers.vi[1]`,
		`search.yaml: elsewhere.vi[2]: "Mất" is already listed at synonyms[1].phrases.vi[1]`,
		`search.yaml: elsewhere.en[2]: empty phrase`,
	}
	got := make([]string, len(probs))
	for i, p := range probs {
		got[i] = p.String()
	}
	all := strings.Join(got, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("missing problem %q in:\n%s", w, all)
		}
	}
	if len(probs) != len(want) {
		t.Errorf("%d problems, want %d:\n%s", len(probs), len(want), all)
	}
}

func TestSearchWordsNotYAML(t *testing.T) {
	probs := Lint(starterWithSearch(t, "synonyms: [phrases: {vi: [a]}, procedure: x]\n"))
	if len(probs) != 1 || probs[0].File != searchFile || !strings.Contains(probs[0].Message, "not valid") {
		t.Errorf("problems = %v", probs)
	}
}
