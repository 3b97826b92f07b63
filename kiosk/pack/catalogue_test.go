package pack

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLintNamesBadCatalogues(t *testing.T) {
	files := fstest.MapFS{
		"i18n/rad/shell.json":  {Data: []byte(`{"home": {"learn": "Hriăm"}}`)},
		"i18n/vi/shell.json":   {Data: []byte(`{"home": {"learn": "x"}}`)},
		"i18n/xx/shell.json":   {Data: []byte(`{}`)},
		"i18n/mng/shell.json":  {Data: []byte(`{"home": 3}`)},
		"i18n/mng/broken.json": {Data: []byte(`{"home": `)},
		"i18n/rad/notes.txt":   {Data: []byte(`hello`)},
	}
	got := map[string]string{}
	for _, p := range lintCatalogues(files) {
		got[p.File] = p.Message
	}
	for file, want := range map[string]string{
		"i18n/vi/shell.json":   "other than vi",
		"i18n/xx/shell.json":   `language "xx"`,
		"i18n/mng/shell.json":  "home: a catalogue holds only texts",
		"i18n/mng/broken.json": "not a JSON object",
		"i18n/rad/notes.txt":   "i18n/<language>/<namespace>.json",
	} {
		if !strings.Contains(got[file], want) {
			t.Errorf("%s: got %q, want %q", file, got[file], want)
		}
	}
	if msg, bad := got["i18n/rad/shell.json"]; bad {
		t.Errorf("a good catalogue refused: %s", msg)
	}
	if c := Catalogues(files); len(c) != 1 || string(c["rad"]["shell"]) != `{"home": {"learn": "Hriăm"}}` {
		t.Errorf("Catalogues: %v", c)
	}
}
