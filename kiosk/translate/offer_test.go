package translate

import (
	"strings"
	"testing"
	"testing/fstest"

	"tramso/kiosk/config"
)

// offerScreens stands for a binary's screens: ten Vietnamese lines besides
// the language's own name, over two catalogues (every catalogue counts), and
// rad with done of them.
func offerScreens(done int) fstest.MapFS {
	vi := `{"lang": {"self": "Tiếng Việt"}, "home": {"a": "A", "b": "B", "c": "C", "d": "D", "e": "E", "f": "F", "g": "G", "h": "H"}}`
	usage := `{"title": "Số liệu", "empty": "Chưa có"}`
	rad := `{"lang": {"self": "Êđê"}, "home": {`
	for i, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h"}[:min(done, 8)] {
		if i > 0 {
			rad += ", "
		}
		rad += `"` + k + `": "R"`
	}
	rad += `}}`
	radUsage := `{}`
	switch done {
	case 9:
		radUsage = `{"title": "R"}`
	case 10:
		radUsage = `{"title": "R", "empty": "R"}`
	}
	return fstest.MapFS{
		"i18n/vi/shell.json":  {Data: []byte(vi)},
		"i18n/vi/usage.json":  {Data: []byte(usage)},
		"i18n/rad/shell.json": {Data: []byte(rad)},
		"i18n/rad/usage.json": {Data: []byte(radUsage)},
	}
}

func offerConfig(threshold int, untranslated ...string) config.Config {
	cfg := config.Default()
	cfg.Languages = []string{"vi", "rad"}
	cfg.OfferThreshold = threshold
	cfg.OfferUntranslated = untranslated
	return cfg
}

func TestOffersByThreshold(t *testing.T) {
	cases := []struct {
		name         string
		done         int
		threshold    int
		untranslated []string
		offered      bool
		why          Reason
		percent      int
	}{
		{"none translated", 0, 100, nil, false, BelowThreshold, 0},
		{"one line short of all", 9, 100, nil, false, BelowThreshold, 90},
		{"every line", 10, 100, nil, true, Translated, 100},
		{"just under the threshold", 4, 50, nil, false, BelowThreshold, 40},
		{"at the threshold", 5, 50, nil, true, Translated, 50},
		{"over the threshold", 6, 50, nil, true, Translated, 60},
		{"a threshold of 1%, nothing translated", 0, 1, nil, false, BelowThreshold, 0},
		{"a threshold of 1%, one line", 1, 1, nil, true, Translated, 10},
		{"offer_untranslated, nothing translated", 0, 100, []string{"rad"}, true, Forced, 0},
		{"offer_untranslated, translated anyway", 10, 100, []string{"rad"}, true, Translated, 100},
		{"offer_untranslated names another", 0, 100, []string{"mng"}, false, BelowThreshold, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			offers, err := Offers(offerConfig(c.threshold, c.untranslated...), offerScreens(c.done), fstest.MapFS{})
			if err != nil {
				t.Fatal(err)
			}
			if len(offers) != 2 || offers[0] != (Offer{Lang: "vi", Offered: true, Why: Source}) {
				t.Fatalf("offers = %+v, want vi first, then rad", offers)
			}
			o := offers[1]
			if o.Lang != "rad" || o.Offered != c.offered || o.Why != c.why || o.Percent() != c.percent || o.Total != 10 {
				t.Errorf("rad = %+v (%d%%), want offered %v, %s, %d%% of 10 lines", o, o.Percent(), c.offered, c.why, c.percent)
			}
			if o.Partly() != (c.why == Forced) {
				t.Errorf("Partly() = %v for %s", o.Partly(), o.Why)
			}
		})
	}
}

// The pack's catalogues lift a language the binary has too few lines of
// over the threshold, and win over the binary's: an empty line in the pack
// is a line untranslated, as on the page.
func TestOffersCountThePacksCatalogues(t *testing.T) {
	cfg := offerConfig(90)
	shell := offerScreens(8)
	pack := fstest.MapFS{"i18n/rad/usage.json": {Data: []byte(`{"title": "R", "empty": "R"}`)}}
	offers, err := Offers(cfg, shell, pack)
	if err != nil {
		t.Fatal(err)
	}
	if o := offers[1]; !o.Offered || o.Why != Translated || o.Percent() != 100 {
		t.Errorf("with the pack's catalogue: %+v", o)
	}
	pack["i18n/rad/shell.json"] = &fstest.MapFile{Data: []byte(`{"home": {"a": "", "b": ""}}`)}
	offers, err = Offers(cfg, shell, pack)
	if err != nil {
		t.Fatal(err)
	}
	if o := offers[1]; o.Offered || o.Percent() != 80 {
		t.Errorf("with two lines emptied by the pack: %+v, want 80%%, not offered", o)
	}
}

// The config's order is kept, and a language with no catalogue at all
// counts as nothing translated.
func TestOffersKeepTheConfigsOrder(t *testing.T) {
	cfg := offerConfig(100, "en")
	cfg.Languages = []string{"vi", "mng", "en", "rad"}
	offers, err := Offers(cfg, offerScreens(10), nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range offers {
		got = append(got, o.Lang+":"+string(o.Why))
	}
	want := []string{"vi:source", "mng:below_threshold", "en:offer_untranslated", "rad:translated"}
	if len(got) != len(want) {
		t.Fatalf("offers = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("offers = %v, want %v", got, want)
			break
		}
	}
}

// Without the screens' Vietnamese catalogues nothing can be measured: an
// error, not every language silently dropped.
func TestOffersWithoutScreens(t *testing.T) {
	if _, err := Offers(offerConfig(100), fstest.MapFS{}, nil); err == nil {
		t.Error("no error without Vietnamese catalogues")
	}
	if _, err := Offers(offerConfig(100), nil, nil); err == nil {
		t.Error("no error without screens")
	}
}

// Without screens to count lines in (the hub's preview), Offers says so and
// OffersUnmeasured is the rule: Vietnamese and offer_untranslated, in the
// config's order, none labelled partly translated.
func TestOffersUnmeasured(t *testing.T) {
	cfg := offerConfig(80, "mng")
	cfg.Languages = []string{"vi", "rad", "mng", "en"}
	if _, err := Offers(cfg, nil, nil); err != ErrNoScreens {
		t.Fatalf("Offers without screens: %v, want ErrNoScreens", err)
	}
	var got []string
	for _, o := range OffersUnmeasured(cfg) {
		if o.Partly() || o.Percent() != 0 {
			t.Errorf("%s: partly %v, %d%%: nothing was counted", o.Lang, o.Partly(), o.Percent())
		}
		got = append(got, o.Lang+":"+map[bool]string{true: "offered", false: "not"}[o.Offered]+":"+string(o.Why))
	}
	want := "vi:offered:source rad:not:unmeasured mng:offered:unmeasured en:not:unmeasured"
	if s := strings.Join(got, " "); s != want {
		t.Fatalf("unmeasured offers %q, want %q", s, want)
	}
}
