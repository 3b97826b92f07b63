package content

import (
	"testing"
	"time"
)

// The resume QR text is the course's template with the code, the lesson's
// title and the last day filled in, in the asked language.
func TestResumeText(t *testing.T) {
	p, err := Load(Starter())
	if err != nil {
		t.Fatal(err)
	}
	lesson, _, ok := p.Tutorial("scam-spotting")
	if !ok {
		t.Fatal("the starter has no scam-spotting lesson")
	}
	last := time.Date(2026, 12, 18, 0, 0, 0, 0, time.UTC)
	got := p.ResumeText(lesson, "vi", "N9JV-6H70", last)
	want := "Trạm Số – Mã học tiếp: N9JV-6H70\nBài: Nhận diện và phòng tránh lừa đảo\n" +
		`Dùng đến hết ngày 18/12/2026, ở Trạm Số nào cũng được: chạm "Nhập mã học tiếp" rồi gõ mã.`
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// A lesson view carries every step and check, numbered, and says which
// texts fell back to Vietnamese; an unknown id is not found.
func TestLessonView(t *testing.T) {
	p, err := Load(Starter())
	if err != nil {
		t.Fatal(err)
	}
	lesson, _, _ := p.Tutorial("scam-spotting")
	v, ok := p.Lesson("scam-spotting", "vi")
	if !ok || len(v.Steps) != len(lesson.Steps) || len(v.Checks) != len(lesson.Checks) || v.Fallback != nil {
		t.Fatalf("vi: ok %v, %d steps, %d checks, fallback %v", ok, len(v.Steps), len(v.Checks), v.Fallback)
	}
	for i, st := range v.Steps {
		if st.N != i+1 || st.Text == "" {
			t.Errorf("step %d: n %d, text %q", i+1, st.N, st.Text)
		}
	}
	if _, ok := p.Lesson("no-such-lesson", "vi"); ok {
		t.Error("an unknown lesson was found")
	}
}
