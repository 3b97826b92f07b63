package hub

import (
	"maps"
	"path"
	"slices"
	"strings"

	"tramso/kiosk/studio"
	"tramso/kiosk/translate"
)

// isCatalogue says whether p is a shell catalogue a pack carries,
// i18n/<lang>/<namespace>.json: the kiosk's screens in a language.
func isCatalogue(p string) bool {
	parts := strings.Split(p, "/")
	return len(parts) == 3 && parts[0] == translate.ShellDir && path.Ext(p) == ".json"
}

// diffCatalogue lists the lines a shell catalogue's version changed, by key,
// so a version's summary and the review name each translated line.
func diffCatalogue(p string, before, after []byte) ([]studio.Change, error) {
	b, err := translate.CatalogueLines(before)
	if err != nil {
		return nil, err
	}
	a, err := translate.CatalogueLines(after)
	if err != nil {
		return nil, err
	}
	ns := strings.TrimSuffix(path.Base(p), ".json")
	where := "Màn hình kiosk, " + studio.LanguageName(path.Base(path.Dir(p))) + " — "
	union := maps.Clone(a)
	maps.Copy(union, b)
	var out []studio.Change
	for _, k := range slices.Sorted(maps.Keys(union)) {
		was, had := b[k]
		now, has := a[k]
		c := studio.Change{Key: ns + "." + k, Field: "i18n", Label: where + ns + "." + k,
			Before: `"` + was + `"`, After: `"` + now + `"`, Op: studio.Changed}
		switch {
		case had && has && was == now:
			continue
		case !had:
			c.Op, c.Before = studio.Added, ""
		case !has:
			c.Op, c.After = studio.Removed, ""
		}
		out = append(out, c)
	}
	return out, nil
}
