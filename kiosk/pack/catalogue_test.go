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

// Only pictures and sounds go under media/: a program imported with the
// content (a QA pass put media/x.exe through the studio) is refused by name,
// referred to or not, while every kind the content may use passes.
func TestLintRefusesWhatIsNotMedia(t *testing.T) {
	files := fstest.MapFS{}
	for _, p := range []string{"media/x.exe", "media/tutorials/a/notes.pdf", "media/a/run.sh",
		"media/a/1.svg", "media/a/2.PNG", "media/a/3.webp", "media/a/4.jpg", "media/a/5.jpeg", "media/a/6.mp3", "media/a/7.ogg", "media/a/8.m4a"} {
		files[p] = &fstest.MapFile{Data: []byte("x")}
	}
	refused := map[string]bool{}
	_, probs := sourceFiles(files)
	for _, p := range probs {
		if strings.Contains(p.Message, "only pictures and sounds") {
			refused[p.File] = true
		}
	}
	for p := range files {
		// .m4a too: the kiosk has no AAC decoder (content/media.go).
		want := strings.HasSuffix(p, ".exe") || strings.HasSuffix(p, ".pdf") || strings.HasSuffix(p, ".sh") || strings.HasSuffix(p, ".m4a")
		if refused[p] != want {
			t.Errorf("%s: refused %v, want %v", p, refused[p], want)
		}
	}
}
