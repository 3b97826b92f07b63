package api

import (
	"strings"
	"testing"
	"testing/fstest"

	"tramso/kiosk/content"
)

// Review s29: a pack whose translator gave the office's day
// names in Ê Đê where the result screen took them until b1c51d2 — its shell
// catalogue i18n/rad/procedures.json, result.day_mon… (the studio offered
// those keys for translation: they were in frontend/src/i18n/vi) — but not
// in life-events.yaml's checklist words. The card said the Ê Đê names
// (OfficeCard: t(`procedures.result.day_${…}`) over the pack's catalogues);
// the kiosk now says the lines in Go from the checklist words only, so the
// Ê Đê reader gets "Thứ Hai–Thứ Sáu" although the pack translates it.
func TestPackCatalogueDayNamesReachTheCard(t *testing.T) {
	srv, live := procServer(t)
	m := starterFiles(t)
	m["i18n/rad/procedures.json"] = &fstest.MapFile{Data: []byte(`{"result":{"day_mon":"Hruê Mnăm","day_fri":"Hruê Mnăm Êma","day_sat":"Hruê Mnăm Năm"}}`)}
	p, err := content.Load(m)
	if err != nil {
		t.Fatal(err)
	}
	live.Set(p, content.SourcePack)

	var cats cataloguesAnswer
	if code := callJSON(t, srv, "GET", "/api/catalogues", "", &cats); code != 200 || !strings.Contains(string(cats.Catalogues["rad"]["procedures"]), "Hruê Mnăm") {
		t.Fatalf("the pack's rad catalogue is not served: %d %v", code, cats.Catalogues)
	}
	var out content.ResultView
	if code := callJSON(t, srv, "POST", "/api/procedures/1.001193/result?lang=rad", `{"answers":{"age":"on-time","parents":"married","paper":"yes"}}`, &out); code != 200 || out.Status != content.ResultOK {
		t.Fatalf("status %d, %q", code, out.Status)
	}
	if said := out.Office.Lines[0].Said; !strings.HasPrefix(said, "Hruê Mnăm–Hruê Mnăm Êma") {
		t.Errorf("Ê Đê reader, the pack names Monday %q: the card's line is %q", "Hruê Mnăm", said)
	}
}
