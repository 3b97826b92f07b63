package content

import (
	"strings"
	"testing"
)

// These tests pin the smaller wording fixes of the content review of 2026-12
// (CONTENT-REVIEW.md, issue 14) in the starter lessons and procedures, so an
// edit cannot quietly bring the old wording back.

// lessonText is every Vietnamese word of a lesson a resident reads.
func lessonText(t *testing.T, p *Pack, id string) string {
	t.Helper()
	tut, _, ok := p.Tutorial(id)
	if !ok {
		t.Fatalf("lesson %s is missing", id)
	}
	parts := []string{tut.Title.Vi(), tut.Description.Vi()}
	for _, l := range tut.Learnt {
		parts = append(parts, l.Vi())
	}
	for _, s := range tut.Steps {
		parts = append(parts, s.Title.Vi(), s.Text.Vi(), s.Hint.Vi())
	}
	return strings.Join(parts, "\n")
}

func TestStarterWordingFixes(t *testing.T) {
	p, probs := load(Starter())
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	tests := []struct {
		lesson      string
		has, hasNot []string
	}{
		// B7: the gear step of the settings path; "Bạn" read as "you".
		{"zalo-safe", []string{"Vào Cá nhân, chạm biểu tượng bánh răng (Cài đặt), rồi Tài khoản và bảo mật", "Bạn bè nhắn hỏi vay tiền",
			"ứng dụng nhỏ trong Zalo (mini app)"}, []string{"Bạn hỏi vay tiền", "Vào Cá nhân, rồi Tài khoản"}},
		// B8: the kiosk's button is "Kết thúc"; an OTP is a key, not personal data.
		{"personal-data", []string{"chạm nút «Kết thúc»", "Mã OTP, mật khẩu là chìa khóa tài khoản"}, []string{"xóa phiên"}},
		// B9: holding the power button only for a phone that is off.
		{"phone-touch", []string{"Máy đang tắt thì bấm giữ nút nguồn", "Máy đang bật mà màn hình tối thì bấm nhẹ nút nguồn một lần"}, []string{"Giữ khoảng ba giây"}},
		// B1: activation is for an account registered at the police, not
		// self-registration at level 1; the password is not the passcode.
		{"vneid-activate", []string{"Kích hoạt VNeID sau khi đăng ký ở công an", "Mật khẩu dùng để đăng nhập. Mật mã 6 số dùng để mở và xác nhận trong ứng dụng",
			"Thường làm luôn khi làm thẻ căn cước"}, []string{"Tự kích hoạt tài khoản mức 1", "Bạn đã có tài khoản mức 1", "tự kích hoạt"}},
		{"vneid-register", []string{"Đăng ký tài khoản mức 1", "(NFC)", "chụp ảnh khuôn mặt", "Xác nhận", "Mật khẩu dùng để đăng nhập"}, nil},
		// B2: the electronic căn cước needs level 2.
		{"vneid-everyday", []string{"Thẻ căn cước điện tử cần tài khoản mức 2"}, nil},
	}
	for _, tc := range tests {
		text := lessonText(t, p, tc.lesson)
		for _, w := range tc.has {
			if !strings.Contains(text, w) {
				t.Errorf("%s does not say %q", tc.lesson, w)
			}
		}
		for _, w := range tc.hasNot {
			if strings.Contains(text, w) {
				t.Errorf("%s says %q again", tc.lesson, w)
			}
		}
	}
}

// A5, A7: witnesses are a condition, not a paper; the office photocopies and
// an electronic copy still needs the paper original.
func TestStarterProcedureWordingFixes(t *testing.T) {
	p := starterProcedures(t)
	rec := p.Procedure("1.001022")
	for _, d := range rec.Documents {
		if strings.Contains(d.Name.Vi(), "làm chứng") {
			t.Errorf("witnesses listed as a paper: %q", d.Name.Vi())
		}
	}
	tl, err := rec.Tailor(map[string]string{"proof": "other", "exempt": "no", "birth": "yes"})
	if err != nil || tl.AskStaff {
		t.Fatalf("tailor: %v %+v", err, tl)
	}
	var notes []string
	for _, d := range tl.Documents {
		notes = append(notes, d.Note.Vi())
	}
	if !strings.Contains(strings.Join(notes, "\n"), "ít nhất hai người thân thích của cha, mẹ làm chứng") {
		t.Errorf("the witnesses are not mentioned: %v", notes)
	}
	copyProc := p.Procedure("2.000815")
	if d := copyProc.Documents[1]; !strings.Contains(d.Note.Vi(), "cán bộ chụp giúp") {
		t.Errorf("photocopy note = %q", d.Note.Vi())
	}
	for _, ch := range copyProc.Channels {
		if ch.Kind == "online" && !strings.Contains(ch.Note.Vi(), "vẫn mang bản chính giấy") {
			t.Errorf("online note = %q", ch.Note.Vi())
		}
	}
}

// B1: level-1 self-registration is practised in order on safe imitations:
// choose "Đăng ký tài khoản mức 1" (not activation), scan the chip card,
// take a face photo, confirm. Nothing real is read or sent.
func TestStarterVNeIDRegistration(t *testing.T) {
	p, _ := load(Starter())
	tut, _, ok := p.Tutorial("vneid-register")
	if !ok {
		t.Fatal("the level-1 self-registration lesson is missing")
	}
	want := []string{"Đăng ký tài khoản mức 1", "Quét chip (NFC)", "Chụp ảnh", "Xác nhận"}
	var got []string
	for _, s := range tut.Steps {
		if s.Practice == nil {
			continue
		}
		for _, e := range s.Practice.Elements {
			if e.Correct {
				got = append(got, e.Text.Vi())
				break
			}
		}
	}
	if strings.Join(got, " › ") != strings.Join(want, " › ") {
		t.Errorf("practice targets = %v, want %v", got, want)
	}
	first := tut.Steps[0].Practice
	for _, e := range first.Elements {
		if e.Text.Vi() == "Kích hoạt tài khoản định danh điện tử" && (e.Correct || !strings.Contains(e.Hint.Vi(), "đã đăng ký ở công an")) {
			t.Errorf("activation offered as the way to register: %+v", e)
		}
	}
}
