package content

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The embedded starter course meets the bar the issue sets for it.
func TestStarterCourse(t *testing.T) {
	p, err := Load(Starter())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tutorials) < 8 {
		t.Errorf("%d starter lessons; want at least 8", len(p.Tutorials))
	}
	withPractice, withChecks := 0, 0
	for _, l := range p.Tutorials {
		if len(l.Steps) < 5 {
			t.Errorf("%s: %d steps; want at least 5", l.ID, len(l.Steps))
		}
		if last, _ := l.Steps[len(l.Steps)-1].Title.In("vi"); last != "Ở đâu hỏi thêm" {
			t.Errorf("%s: last step is %q; every lesson ends with \"Ở đâu hỏi thêm\"", l.ID, last)
		}
		practice := false
		for _, s := range l.Steps {
			practice = practice || s.Practice != nil
		}
		if practice {
			withPractice++
		}
		if len(l.Checks) > 0 {
			withChecks++
		}
		if len(l.Sources) == 0 {
			t.Errorf("%s: no sources; cite where the facts come from", l.ID)
		}
	}
	if withPractice < 4 {
		t.Errorf("%d lessons with practice screens; want at least 4", withPractice)
	}
	if withChecks*4 < len(p.Tutorials)*3 {
		t.Errorf("%d of %d lessons have check questions; want most", withChecks, len(p.Tutorials))
	}
	for _, id := range []string{"vneid-activate", "qr-payment", "scam-spotting", "dvc-find-procedure", "platform-learning"} {
		if _, _, ok := p.Tutorial(id); !ok {
			t.Errorf("starter lesson %s is missing", id)
		}
	}
}

// Illustrations stay small and plain.
func TestStarterIllustrations(t *testing.T) {
	err := fs.WalkDir(Starter(), "media/tutorials", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(name) != ".svg" {
			return err
		}
		body, _ := fs.ReadFile(Starter(), name)
		if len(body) > 8<<10 {
			t.Errorf("%s is %d bytes; keep illustrations under 8 KB", name, len(body))
		}
		if problem := UnsafeSVG(body); problem != "" {
			t.Errorf("%s: %s", name, problem)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSummary(t *testing.T) {
	p, err := Load(Starter())
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	all := make([]string, 0, len(p.Tutorials))
	for _, l := range p.Tutorials {
		all = append(all, l.ID)
	}
	cases := []struct {
		name    string
		ids     []string
		lang    string
		want    []string
		wantErr bool
	}{
		{"one lesson", []string{"qr-payment"}, "vi", []string{"27/11/2026", "✓ Thanh toán bằng mã QR", "  - Quét QR", "binhdanhocvuso.gov.vn"}, false},
		{"repeated once", []string{"qr-payment", "qr-payment"}, "vi", []string{"✓ Thanh toán bằng mã QR"}, false},
		{"english", []string{"qr-payment"}, "en", []string{"lessons finished on 27/11/2026", "✓ Paying by QR code"}, false},
		// Every lesson: the titles that fit, then "…", and the whole footer
		// (where to ask: the digital team, the commune centre, the police).
		{"every lesson", all, "vi", []string{"✓ Kích hoạt VNeID sau khi đăng ký ở công an", "✓ Tự đăng ký VNeID mức 1",
			"\n…\nHọc tiếp: binhdanhocvuso.gov.vn\nHỏi thêm: Tổ công nghệ số cộng đồng, Trung tâm Phục vụ hành chính công xã, Công an xã."}, false},
		{"every lesson, english", all, "en", []string{"✓ Activate VNeID after registering at the police",
			"\nLearn more: binhdanhocvuso.gov.vn\nAsk: the community digital team, the commune service centre, the commune police."}, false},
		{"unknown lesson", []string{"nope"}, "vi", nil, true},
		{"nothing", nil, "vi", nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text, err := p.TutorialSummary(c.ids, c.lang, day)
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v", err)
			}
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("summary lacks %q:\n%s", w, text)
				}
			}
			if strings.Count(text, "Thanh toán bằng mã QR") > 1 {
				t.Errorf("lesson listed twice:\n%s", text)
			}
			if len(text) > maxSummaryBytes || !utf8.ValidString(text) {
				t.Errorf("summary is %d bytes (max %d) or not UTF-8", len(text), maxSummaryBytes)
			}
		})
	}
}

// m3 of the resident audit: after many lessons the summary keeps its whole
// footer (where to learn more, where to ask: the digital team, the commune
// centre, the police) and drops whole title lines instead, marked "…".
func TestSummaryKeepsWhereToAsk(t *testing.T) {
	p, err := Load(Starter())
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	foot := p.Course.SummaryFooter.Vi()
	// More lessons, with longer titles, than any code can list.
	many := &Pack{Course: p.Course}
	var ids []string
	for i := 0; i < 3; i++ {
		for _, l := range p.Tutorials {
			l.ID = fmt.Sprintf("%s-%d", l.ID, i)
			l.Title = Text{"vi": l.Title.Vi() + " (bài nhắc lại, phần mở rộng)"}
			many.Tutorials = append(many.Tutorials, l)
			ids = append(ids, l.ID)
		}
	}
	text, err := many.TutorialSummary(ids, "vi", day)
	if err != nil {
		t.Fatal(err)
	}
	if len(text) > maxSummaryBytes || !utf8.ValidString(text) {
		t.Errorf("summary is %d bytes (max %d)", len(text), maxSummaryBytes)
	}
	if !strings.HasSuffix(text, "\n…\n"+foot) {
		t.Errorf("the summary does not end with \"…\" and the whole footer:\n%s", text)
	}
	titles := map[string]bool{}
	for _, l := range many.Tutorials {
		titles[l.Title.Vi()] = true
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n…\n"+foot), "\n")
	if len(lines) < 3 {
		t.Errorf("hardly any lesson listed:\n%s", text)
	}
	for _, line := range lines[1:] {
		if !titles[strings.TrimPrefix(line, "✓ ")] {
			t.Errorf("line %q is not a whole lesson title", line)
		}
	}
}

func TestLocalizer(t *testing.T) {
	loc := Localizer{Lang: "en"}
	a := loc.Get("title", Text{"vi": "Bài", "en": "Lesson"})
	b := loc.Get("hint", Text{"vi": "Gợi ý"})
	c := loc.Get("label", nil)
	if a != "Lesson" || b != "Gợi ý" || c != "" {
		t.Errorf("got %q %q %q", a, b, c)
	}
	if f := loc.Fallback(); len(f) != 1 || f[0] != "hint" {
		t.Errorf("fallback = %v; want [hint]", f)
	}
	if f := loc.Fallback(); f != nil {
		t.Errorf("fallback not reset: %v", f)
	}
}
