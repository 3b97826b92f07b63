package studio

import (
	"testing"

	"tramso/kiosk/content"
	"tramso/kiosk/lang"
)

func TestDiffLesson(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(l *content.Tutorial)
		want   []change
	}{
		{"unchanged", func(l *content.Tutorial) {}, nil},
		{"a step reworded", func(l *content.Tutorial) {
			l.Steps[0].Text["vi"] = `Mở ứng dụng VNeID. Chạm vào "Đăng ký tài khoản mức 1".`
		}, []change{{`Bước 1 — lời: "Mở ứng dụng VNeID tải từ CH Play hoặc App Store. Chạm vào "Đăng ký tài khoản mức 1"." → "Mở ứng dụng VNeID. Chạm vào "Đăng ký tài khoản mức 1"."`, false}}},
		// The steps after an inserted one are the same steps, not all changed.
		{"a step inserted", func(l *content.Tutorial) {
			st := l.Steps[1]
			st.Text = lang.Text{"vi": "Bật NFC trong phần cài đặt."}
			l.Steps = append(l.Steps[:1], append([]content.Step{st}, l.Steps[1:]...)...)
		}, []change{{`Bước: thêm bước 2 "Bật NFC trong phần cài đặt."`, false},
			// Each of the new step's fields, which a reviewer approves with it (outside QA).
			{`Bước 2 — tiêu đề: thêm "Quét chip thẻ căn cước"`, false},
			{`Bước 2 — lời: thêm "Bật NFC trong phần cài đặt."`, false},
			{`Bước 2 — gợi ý: thêm "Tự quét thẻ của mình. Không gửi ảnh thẻ cho ai."`, false},
			{`Bước 2 — lời đọc: thêm "narration/tutorials/vneid-register/2.vi.ogg"`, false},
			{`Bước 2 — màn hình tập: thêm status | title "Đăng ký tài khoản mức 1" [back] | text "Quét thẻ căn cước gắn chip" [big] | button "Quét chip (NFC)" ✓ …`, false}}},
		{"a step removed", func(l *content.Tutorial) { l.Steps = append(l.Steps[:2], l.Steps[3:]...) },
			[]change{{`Bước: bỏ bước 3 "Ứng dụng mở camera. Nhìn thẳng vào điện thoại để chụp ảnh khuôn mặt của bạn."`, false}}},
		{"a wrong answer marked right", func(l *content.Tutorial) { l.Checks[0].Answers[0].Correct = true },
			[]change{{`Câu hỏi kiểm tra 1 — đáp án: "Kích hoạt tài khoản định danh điện tử" / "Đăng ký tài khoản mức 1" ✓ → ` +
				`"Kích hoạt tài khoản định danh điện tử" ✓ / "Đăng ký tài khoản mức 1" ✓`, false}}},
		// A long value is shown from where it differs.
		{"a practice element's hint", func(l *content.Tutorial) {
			l.Steps[0].Practice.Elements[4].Hint["vi"] = "Chỉ dành cho tài khoản đã đăng ký ở công an."
		}, []change{{`Bước 1 — màn hình tập: …tài khoản định danh điện tử" [Kích hoạt là bước sau, khi hồ sơ đã được duyệt. Bạn chưa đăng ký.] | button "Đăng ký tài… → ` +
			`…tài khoản định danh điện tử" [Chỉ dành cho tài khoản đã đăng ký ở công an.] | button "Đăng ký tài khoản mức 1" ✓ [prim…`, false}}},
		{"a narration file", func(l *content.Tutorial) { l.Steps[0].Narration["vi"] = "narration/tutorials/vneid-register/1b.vi.ogg" },
			[]change{{`Bước 1 — lời đọc: "narration/tutorials/vneid-register/1.vi.ogg" → "narration/tutorials/vneid-register/1b.vi.ogg"`, false}}},
		{"minutes", func(l *content.Tutorial) { l.Minutes = 8 }, []change{{`Số phút: 7 → 8`, false}}},
		{"a source", func(l *content.Tutorial) { l.Sources = append(l.Sources, "https://vneid.gov.vn/ (read 2026-12-05)") },
			[]change{{`Nguồn: thêm "https://vneid.gov.vn/ (read 2026-12-05)"`, false}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before, after := lesson(t, "vneid-register"), lesson(t, "vneid-register")
			c.mutate(after)
			checkChanges(t, DiffLesson(before, after), c.want)
		})
	}
}

func TestAlign(t *testing.T) {
	cases := []struct {
		name string
		a, b []string
		want []pair
	}{
		{"same", []string{"x", "y"}, []string{"x", "y"}, []pair{{0, 0}, {1, 1}}},
		{"inserted", []string{"x", "y"}, []string{"x", "n", "y"}, []pair{{0, 0}, {-1, 1}, {1, 2}}},
		{"removed", []string{"x", "y", "z"}, []string{"x", "z"}, []pair{{0, 0}, {1, -1}, {2, 1}}},
		{"edited in place", []string{"x", "y", "z"}, []string{"x", "Y", "z"}, []pair{{0, 0}, {1, 1}, {2, 2}}},
		{"edited and one added at the end", []string{"x", "y"}, []string{"X", "y", "z"}, []pair{{0, 0}, {1, 1}, {-1, 2}}},
		{"swapped", []string{"x", "y"}, []string{"y", "x"}, []pair{{0, -1}, {1, 0}, {-1, 1}}},
		{"from nothing", nil, []string{"x"}, []pair{{-1, 0}}},
		{"to nothing", []string{"x"}, nil, []pair{{0, -1}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := align(c.a, c.b)
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Fatalf("got %v, want %v", got, c.want)
				}
			}
		})
	}
}
