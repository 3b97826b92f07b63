package pack

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"tramso/kiosk/content"
	"tramso/kiosk/lang"
)

// A pack may carry shell catalogues, i18n/<lang>/<namespace>.json (written
// by `tramso pack translations import`): the kiosk's screens in a language
// its binary was built without. Vietnamese is the binary's own and is not
// replaced by a pack.

// Catalogues reads the pack's shell catalogues, lang → namespace → tree.
// Files that are not valid catalogues are left out (LintSource names them).
func Catalogues(files fs.FS) map[string]map[string]json.RawMessage {
	out := map[string]map[string]json.RawMessage{}
	names, _ := fs.Glob(files, "i18n/*/*.json")
	for _, name := range names {
		b, err := fs.ReadFile(files, name)
		if err != nil || checkCatalogue(name, b) != nil {
			continue
		}
		l := path.Base(path.Dir(name))
		if out[l] == nil {
			out[l] = map[string]json.RawMessage{}
		}
		out[l][strings.TrimSuffix(path.Base(name), ".json")] = b
	}
	return out
}

// lintCatalogues names every file under i18n/ that is not a catalogue.
func lintCatalogues(files fs.FS) content.Problems {
	var probs content.Problems
	_ = fs.WalkDir(files, "i18n", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := fs.ReadFile(files, p)
		if err == nil {
			err = checkCatalogue(p, b)
		}
		if err != nil {
			probs = append(probs, content.Problem{File: p, Message: err.Error()})
		}
		return nil
	})
	return probs
}

func checkCatalogue(name string, b []byte) error {
	parts := strings.Split(name, "/")
	if len(parts) != 3 || !strings.HasSuffix(parts[2], ".json") {
		return fmt.Errorf("a shell catalogue goes in i18n/<language>/<namespace>.json")
	}
	if l := parts[1]; l == "vi" || !lang.IsKnown(l) {
		return fmt.Errorf("language %q: a pack carries catalogues of %s other than vi (the kiosk's own)", l, lang.KnownList())
	}
	var tree map[string]any
	if err := json.Unmarshal(b, &tree); err != nil {
		return fmt.Errorf("not a JSON object: %v", err)
	}
	return checkTree(tree, "")
}

func checkTree(t map[string]any, prefix string) error {
	for k, v := range t {
		switch v := v.(type) {
		case string:
		case map[string]any:
			if err := checkTree(v, prefix+k+"."); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s%s: a catalogue holds only texts and groups of texts", prefix, k)
		}
	}
	return nil
}
