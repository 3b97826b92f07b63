package usage

import "tramso/kiosk/content"

// LiveCatalog checks ids against the content being served at the moment of
// each event, so a content update changes what is accepted at once.
func LiveCatalog(live *content.Live) Catalog { return liveCatalog{live} }

type liveCatalog struct{ live *content.Live }

func (c liveCatalog) Tutorial(id string) (string, bool) {
	t, _, ok := c.live.Get().Pack.Tutorial(id)
	if !ok {
		return "", false
	}
	title, _ := t.Title.In("vi")
	return title, true
}

func (c liveCatalog) Procedure(code string) (string, bool) {
	p := c.live.Get().Pack.Procedure(code)
	if p == nil {
		return "", false
	}
	if title, _ := p.PlainName.In("vi"); title != "" {
		return title, true
	}
	return p.Name, true
}
