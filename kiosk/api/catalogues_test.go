package api

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
)

// The pack's shell catalogues reach the UI, and a new pack replaces them.
func TestCataloguesServeThePacksShell(t *testing.T) {
	srv, live := starterServer(t, config.Default())
	var answer struct {
		Generation int64                                `json:"generation"`
		Catalogues map[string]map[string]map[string]any `json:"catalogues"`
	}
	if code := callJSON(t, srv, "GET", "/api/catalogues", "", &answer); code != 200 || len(answer.Catalogues) != 0 {
		t.Fatalf("starter: %d %+v", code, answer)
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, content.Starter()); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"i18n/rad/shell.json": `{"home": {"learn": "Hriăm"}}`,
		"i18n/vi/shell.json":  `{"home": {"learn": "not the kiosk's own"}}`, // never replaces Vietnamese
		"i18n/mng/shell.json": `{"home": ["not", "a", "tree"]}`,
	} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := content.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	live.Set(p, content.SourceEmbedded)
	if code := callJSON(t, srv, "GET", "/api/catalogues", "", &answer); code != 200 {
		t.Fatalf("status %d", code)
	}
	got, _ := json.Marshal(answer.Catalogues)
	if string(got) != `{"rad":{"shell":{"home":{"learn":"Hriăm"}}}}` {
		t.Errorf("catalogues: %s", got)
	}
}
