package api

import (
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/httpjson"
	"tramso/kiosk/resume"
)

func TestTutorialCatalogue(t *testing.T) {
	srv, _ := starterServer(t, config.Default())
	var vi content.CatalogueView
	if code := callJSON(t, srv, "GET", "/api/tutorials", "", &vi); code != 200 {
		t.Fatalf("status %d", code)
	}
	for _, m := range vi.Modules {
		if m.ID == "work-business" {
			t.Errorf("module %s has no lessons yet, so the catalogue leaves it out", m.ID)
		}
	}
	if vi.Lang != "vi" || len(vi.Tutorials) < 8 || vi.PlatformURL != "https://binhdanhocvuso.gov.vn" {
		t.Fatalf("catalogue: lang %s, %d lessons, platform %q", vi.Lang, len(vi.Tutorials), vi.PlatformURL)
	}
	// Registering VNeID comes before activating it (content audit 2026-12-05,
	// finding 18: the identity lessons have distinct places).
	first := vi.Tutorials[0]
	if first.ID != "vneid-register" || first.Module != "identity" || first.ModuleTitle != "Định danh và an toàn dữ liệu cá nhân" ||
		first.Steps < 5 || first.Minutes < 1 || !strings.HasPrefix(first.Cover, "api/media/tutorials/") || !first.Practice || first.Fallback != nil {
		t.Errorf("first lesson = %+v", first)
	}
	// The catalogue shape other tools rely on: plain fields with these names.
	var raw struct{ Tutorials []map[string]any }
	callJSON(t, srv, "GET", "/api/tutorials", "", &raw)
	for _, key := range []string{"id", "title", "module", "module_title", "description", "minutes", "cover", "steps"} {
		if _, ok := raw.Tutorials[0][key]; !ok {
			t.Errorf("catalogue entry lacks %q: %v", key, raw.Tutorials[0])
		}
	}

	var en content.CatalogueView
	callJSON(t, srv, "GET", "/api/tutorials?lang=en", "", &en)
	if en.Tutorials[0].Title != "Register a level 1 VNeID account yourself" || en.Tutorials[0].Fallback != nil {
		t.Errorf("english title = %q, fallback %v", en.Tutorials[0].Title, en.Tutorials[0].Fallback)
	}
	var rad content.CatalogueView
	callJSON(t, srv, "GET", "/api/tutorials?lang=rad", "", &rad)
	if rad.Tutorials[0].Title != vi.Tutorials[0].Title || strings.Join(rad.Tutorials[0].Fallback, ",") != "title,description,module_title" {
		t.Errorf("Ê Đê falls back to Vietnamese visibly: title %q, fallback %v", rad.Tutorials[0].Title, rad.Tutorials[0].Fallback)
	}
	if code := callJSON(t, srv, "GET", "/api/tutorials?lang=xx", "", nil); code != 400 {
		t.Errorf("unknown language: status %d; want 400", code)
	}
}

func TestTutorialLesson(t *testing.T) {
	srv, _ := starterServer(t, config.Default())
	var l content.LessonView
	if code := callJSON(t, srv, "GET", "/api/tutorials/qr-payment?lang=en", "", &l); code != 200 {
		t.Fatalf("status %d", code)
	}
	if l.ID != "qr-payment" || l.Title != "Paying by QR code" || len(l.Steps) < 5 || len(l.Checks) == 0 || len(l.Learnt) == 0 {
		t.Fatalf("lesson = %+v", l)
	}
	trap := l.Steps[2]
	if trap.Practice == nil || trap.Illustration != "" || trap.N != 3 {
		t.Fatalf("step 3 should be the wrong-recipient practice: %+v", trap)
	}
	correct := 0
	for _, e := range trap.Practice.Elements {
		if e.Correct {
			correct++
			if !e.Tappable || e.Text != "Hủy" {
				t.Errorf("correct element = %+v", e)
			}
		}
	}
	if correct != 1 || !tutContains(trap.Fallback, "text") || !tutContains(trap.Fallback, "practice") {
		t.Errorf("practice: %d correct, fallback %v (steps are not translated to English yet)", correct, trap.Fallback)
	}
	if ill := l.Steps[1].Illustration; !strings.HasPrefix(ill, "api/media/tutorials/qr-payment/") {
		t.Errorf("illustration URL = %q", ill)
	}
	// The illustration URL, relative to the kiosk's page, serves the drawing.
	res, err := http.Get(srv.URL + "/" + l.Steps[1].Illustration)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("illustration: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	// "Làm quen điện thoại cảm ứng" is translated in full: nothing falls back.
	var full content.LessonView
	callJSON(t, srv, "GET", "/api/tutorials/phone-touch?lang=en", "", &full)
	for _, st := range full.Steps {
		if st.Fallback != nil {
			t.Errorf("phone-touch step %d in English falls back: %v", st.N, st.Fallback)
		}
	}
	for i, c := range full.Checks {
		if c.Fallback != nil {
			t.Errorf("phone-touch check %d in English falls back: %v", i+1, c.Fallback)
		}
	}
	if full.Steps[0].Text != "If the phone is off, press and hold the power button until the screen lights up. If it is on but dark, press the power button once. Swipe up from the bottom to unlock." {
		t.Errorf("step 1 in English = %q", full.Steps[0].Text)
	}
	if code := callJSON(t, srv, "GET", "/api/tutorials/no-such-lesson", "", nil); code != 404 {
		t.Errorf("unknown lesson: status %d; want 404", code)
	}
}

func TestTutorialSummaryQR(t *testing.T) {
	srv, _ := starterServer(t, config.Default())
	var a qrAnswer
	code := callJSON(t, srv, "POST", "/api/tutorials/summary", `{"lessons":["phone-touch","qr-payment"]}`, &a)
	if code != 200 || !strings.Contains(a.Text, "✓ Làm quen điện thoại cảm ứng") || !strings.HasPrefix(a.QR, "data:image/png;base64,") {
		t.Errorf("summary: %d %+v", code, a.Text)
	}
	cases := []struct{ body, why string }{
		{`{"lessons":["nope"]}`, "unknown lesson"},
		{`{"lessons":[]}`, "no lessons"},
		{`{"lessons":["qr-payment"],"name":"x"}`, "unknown field"},
		{`{"lessons":["qr-payment"],"lang":"fr"}`, "unknown language"},
	}
	for _, c := range cases {
		if code := callJSON(t, srv, "POST", "/api/tutorials/summary", c.body, nil); code != 400 {
			t.Errorf("%s: status %d; want 400", c.why, code)
		}
	}
}

func TestResumeRoundTrip(t *testing.T) {
	srv, live := starterServer(t, config.Default())
	var made resumeAnswer
	if code := callJSON(t, srv, "POST", "/api/resume", `{"tutorial":"scam-spotting","step":3}`, &made); code != 200 {
		t.Fatalf("status %d", code)
	}
	if len(made.Code) != resume.CodeLen || made.Display != resume.Format(made.Code) ||
		!strings.Contains(made.Text, made.Display) || !strings.HasPrefix(made.QR, "data:image/png;base64,") {
		t.Fatalf("made %+v", made)
	}
	if want := resume.LastDay(time.Now()).Format("2006-01-02"); made.Expires != want {
		t.Errorf("expires %s; want %s", made.Expires, want)
	}
	var found resumeFound
	typed := strings.ToLower(made.Display) // as a resident might type it
	if code := callJSON(t, srv, "GET", "/api/resume/"+typed, "", &found); code != 200 || found != (resumeFound{"scam-spotting", 3}) {
		t.Errorf("lookup %s: %d %+v", typed, code, found)
	}

	typo := []byte(made.Code)
	typo[0] = map[bool]byte{true: '2', false: '3'}[typo[0] != '2']
	cases := []struct {
		name   string
		code   string
		status int
		want   string
	}{
		{"typo", string(typo), 404, "resume_typo"},
		{"malformed", "ABC", 400, "resume_malformed"},
	}
	for _, c := range cases {
		var e httpjson.ErrorBody
		if code := callJSON(t, srv, "GET", "/api/resume/"+c.code, "", &e); code != c.status || e.Code != c.want || e.Error == "" {
			t.Errorf("%s: %d %+v; want %d %s", c.name, code, e, c.status, c.want)
		}
	}

	// A new content version makes old codes useless, and says so.
	pack := *live.Get().Pack
	pack.Meta.Generation++
	live.Set(&pack, content.SourcePack)
	var e httpjson.ErrorBody
	if code := callJSON(t, srv, "GET", "/api/resume/"+made.Code, "", &e); code != 410 || e.Code != codeResumeOtherVersion {
		t.Errorf("after a content update: %d %+v; want 410 other_version", code, e)
	}
}

func TestResumeCreateRejects(t *testing.T) {
	srv, _ := starterServer(t, config.Default())
	cases := []struct {
		body   string
		status int
	}{
		{`{"tutorial":"nope","step":1}`, 404},
		{`{"tutorial":"qr-payment","step":0}`, 400},
		{`{"tutorial":"qr-payment","step":99}`, 400},
		{`{"tutorial":"qr-payment","step":1,"who":"x"}`, 400},
	}
	for _, c := range cases {
		if code := callJSON(t, srv, "POST", "/api/resume", c.body, nil); code != c.status {
			t.Errorf("%s: status %d; want %d", c.body, code, c.status)
		}
	}
}

func tutContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Narration is served per language, falling back to the Vietnamese recording
// visibly, and a step without a translation says which fields fell back.
func TestTutorialNarrationFallback(t *testing.T) {
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)
	fsys := fstest.MapFS{
		"pack.yaml": {Data: []byte("schema: 1\ngeneration: 2\ntitle: Thử\n")},
		"tutorials/course.yaml": {Data: []byte("platform_url: https://binhdanhocvuso.gov.vn\nmodules: [{id: payment, title: Thanh toán số}]\n" +
			"summary_title: \"Bài đã học {date}\"\nresume_text: \"Mã {code}\"\n")},
		"tutorials/a.yaml": {Data: []byte(`id: ab
module: payment
minutes: 2
cover: a.svg
title: {vi: Bài A, en: Lesson A}
description: Mô tả.
steps:
  - text: {vi: Chạm., en: Tap.}
    hint: Gợi ý.
    illustration: a.svg
    narration: {vi: a.vi.mp3, en: a.en.mp3}
  - text: Chạm nữa.
    hint: Gợi ý.
    illustration: a.svg
    narration: {vi: b.vi.mp3}
`)},
		"media/a.svg":    {Data: svg},
		"media/a.vi.mp3": {Data: []byte("ID3")},
		"media/a.en.mp3": {Data: []byte("ID3")},
		"media/b.vi.mp3": {Data: []byte("ID3")},
	}
	pack, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	srv, live := starterServer(t, config.Default())
	live.Set(pack, content.SourcePack)
	var en content.LessonView
	if code := callJSON(t, srv, "GET", "/api/tutorials/ab?lang=en", "", &en); code != 200 {
		t.Fatalf("status %d", code)
	}
	s1, s2 := en.Steps[0], en.Steps[1]
	if s1.Text != "Tap." || s1.Narration != "api/media/a.en.mp3" || s1.NarrationLang != "en" || strings.Join(s1.Fallback, ",") != "hint" {
		t.Errorf("step 1 = %+v", s1)
	}
	if s2.Text != "Chạm nữa." || s2.Narration != "api/media/b.vi.mp3" || s2.NarrationLang != "vi" || strings.Join(s2.Fallback, ",") != "text,hint,narration" {
		t.Errorf("step 2 = %+v", s2)
	}
	if strings.Join(en.Fallback, ",") != "description,module_title" || en.Generation != 2 {
		t.Errorf("lesson fallback %v, generation %d", en.Fallback, en.Generation)
	}
	var vi content.LessonView
	callJSON(t, srv, "GET", "/api/tutorials/ab", "", &vi)
	if vi.Steps[1].Fallback != nil || vi.Fallback != nil || vi.Steps[0].Narration != "api/media/a.vi.mp3" {
		t.Errorf("Vietnamese never falls back: %+v", vi)
	}
}
