package content

import (
	"regexp"
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

// tailored answers a starter procedure's questions and fails the test if
// the walk does not reach an answer the kiosk can give.
func tailored(t *testing.T, p *Pack, code string, answers map[string]string) Tailored {
	t.Helper()
	tl, err := p.Procedure(code).Tailor(answers)
	if err != nil || tl.AskStaff {
		t.Fatalf("%s %v: %v %+v", code, answers, err, tl.Walk)
	}
	return tl
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
		// B2: the electronic căn cước needs level 2; which code to keep secret,
		// in words that do not stumble aloud (content audit 2026-12-05, finding 14).
		{"vneid-everyday", []string{"Thẻ căn cước điện tử cần tài khoản mức 2", "Không cho ai biết mật mã 6 số."}, []string{"Giữ bí mật mật mã"}},
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
// take a face photo, confirm; then, once the approval comes by text message,
// activate (F4 of the content audit: dk_t5, nghean24h). Nothing real is read
// or sent.
func TestStarterVNeIDRegistration(t *testing.T) {
	p, _ := load(Starter())
	tut, _, ok := p.Tutorial("vneid-register")
	if !ok {
		t.Fatal("the level-1 self-registration lesson is missing")
	}
	want := []string{"Đăng ký tài khoản mức 1", "Quét chip (NFC)", "Chụp ảnh", "Xác nhận", "Kích hoạt tài khoản định danh điện tử"}
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
		if e.Text.Vi() == "Kích hoạt tài khoản định danh điện tử" && (e.Correct || !strings.Contains(e.Hint.Vi(), "khi hồ sơ đã được duyệt")) {
			t.Errorf("activation offered as the way to register, or not said to come once approved: %+v", e)
		}
	}
}

// The fixes of the resident audit of 2026-12-05 (/tmp/audit-resident,
// findings m1, m3, m4, m5, m9 and the "facts showing less than the sources"):
// each pins what a resident reads, against PROCEDURES.md.

// m4: a check question has one hint for every wrong answer, so a hint that
// names one wrong answer ("12 số là số định danh") talks past a resident who
// chose another ("4 số").
func TestStarterCheckHintsFitEveryWrongAnswer(t *testing.T) {
	p, _ := load(Starter())
	for _, tut := range p.Tutorials {
		for i, c := range tut.Checks {
			var wrong []string
			for _, a := range c.Answers {
				if !a.Correct {
					wrong = append(wrong, a.Text.Vi())
				}
			}
			if len(wrong) < 2 {
				continue
			}
			for _, w := range wrong {
				if strings.Contains(strings.ToLower(c.Hint.Vi()), strings.ToLower(w)) {
					t.Errorf("%s checks[%d]: the hint %q names the wrong answer %q; it is shown after every wrong answer", tut.ID, i+1, c.Hint.Vi(), w)
				}
			}
		}
	}
}

// m5: the feedback after the right tap names only buttons the practice
// screen has ("Chạm Cài đặt để cài." on a screen with no such button).
func TestStarterPracticeNamesOnlyItsButtons(t *testing.T) {
	p, _ := load(Starter())
	for _, tut := range p.Tutorials {
		for i, s := range tut.Steps {
			if s.Practice == nil {
				continue
			}
			right := s.Practice.Right.Vi()
			for _, m := range regexp.MustCompile(`(?i)chạm (?:vào |nút )?["«]?([^".,»]+)`).FindAllStringSubmatch(right, -1) {
				found := false
				for _, e := range s.Practice.Elements {
					if txt := e.Text.Vi(); txt != "" && strings.HasPrefix(m[1], txt) {
						found = true
					}
				}
				if !found {
					t.Errorf("%s step %d: the feedback %q says to tap %q, which the practice screen does not show", tut.ID, i+1, right, m[1])
				}
			}
		}
	}
}

// m9: the result card shows a paper's short name, then " · Mẫu CT01" for a
// form and " · 1 bản sao" for copies (frontend Documents.svelte), and the
// details the full name the same way: a name that says the form code or
// "photo"/"bản sao" again reads twice ("Tờ khai CT01 · Mẫu CT01").
func TestStarterDocumentLabelsDoNotRepeat(t *testing.T) {
	p := starterProcedures(t)
	for _, pr := range p.Procedures {
		docs := append([]Document(nil), pr.Documents...)
		for _, c := range pr.Cases {
			docs = append(docs, c.Documents...)
		}
		for _, d := range docs {
			for _, l := range []string{"vi", "en"} {
				for what, s := range map[string]string{"name": d.Name[l], "short": d.Short[l]} {
					low := strings.ToLower(s)
					if d.Form != "" && strings.Contains(low, strings.ToLower(d.Form)) {
						t.Errorf("%s: %s %s %q names form %s, which the screen adds after it", pr.Code, l, what, s, d.Form)
					}
					if what == "short" && d.Copies > 0 && (strings.Contains(low, "photo") || strings.Contains(low, "bản sao") || strings.Contains(low, "copy")) {
						t.Errorf("%s: %s short %q is a copy, and the screen adds \"%d bản sao\" after it", pr.Code, l, s, d.Copies)
					}
				}
			}
		}
	}
}

// m9: a person who cannot sign certifies a fingerprint; the paper and its
// note say so (PROCEDURES.md §2.8: the same procedure covers điểm chỉ, done
// in front of the certifying officer), not "Giấy cần ký", "ký trước mặt".
func TestStarterFingerprintIsNotASignature(t *testing.T) {
	pr := starterProcedures(t).Procedure("2.000884")
	finger, err := pr.Tailor(map[string]string{"what": "finger"})
	if err != nil || finger.AskStaff {
		t.Fatalf("tailor: %v %+v", err, finger)
	}
	var said []string
	for _, d := range finger.Documents {
		said = append(said, d.Name.Vi(), d.Short.Vi(), d.Note.Vi())
	}
	for _, n := range finger.Case.Notes {
		said = append(said, n.Vi())
	}
	all := strings.Join(said, "\n")
	for _, bad := range []string{"Giấy cần ký", "Đừng ký sẵn", "chưa ký", "ký trước mặt"} {
		if strings.Contains(all, bad) {
			t.Errorf("the fingerprint case says %q:\n%s", bad, all)
		}
	}
	if !strings.Contains(all, "điểm chỉ trước mặt cán bộ") {
		t.Errorf("the fingerprint case does not say to fingerprint in front of the officer:\n%s", all)
	}
	sign, _ := pr.Tailor(map[string]string{"what": "sign"})
	var notes []string
	for _, d := range sign.Documents {
		notes = append(notes, d.Short.Vi(), d.Note.Vi())
	}
	if s := strings.Join(notes, "\n"); !strings.Contains(s, "Giấy cần ký") || !strings.Contains(s, "Đừng ký sẵn: ký trước mặt cán bộ.") {
		t.Errorf("the signature case lost its paper or note:\n%s", s)
	}
}

// m9: hộ khẩu books were abolished; the baby's residence is "đăng ký thường
// trú" (PROCEDURES.md §2.9, §2.11).
func TestStarterBabyLifeEventSaysThuongTru(t *testing.T) {
	le := starterProcedures(t).LifeEvent("em-be")
	for _, l := range []string{"vi", "en"} {
		if s := le.Summary[l]; strings.Contains(strings.ToLower(s), "hộ khẩu") {
			t.Errorf("em-be summary (%s) %q says hộ khẩu", l, s)
		}
	}
	if !strings.Contains(le.Summary.Vi(), "đăng ký thường trú") {
		t.Errorf("em-be summary %q", le.Summary.Vi())
	}
}

// PROCEDURES.md §2.6 and §6 row 6: a copy of a civil-status extract is
// issued the same day, or the next working day if asked after 15:00. The
// kiosk said "Cán bộ sẽ cho bạn biết", less than the sources.
func TestStarterCopyExtractTime(t *testing.T) {
	p := starterProcedures(t)
	tl := tailored(t, p, "2.000635", map[string]string{"who": "self"})
	if tl.Time.Unit != "same_day" || !strings.Contains(tl.Time.Note.Vi(), "sau 15 giờ") || !strings.Contains(tl.Time.Note.Vi(), "ngày làm việc tiếp theo") {
		t.Errorf("time = %+v", tl.Time)
	}
	text := tl.Checklist(p.Assistant.Checklist, "vi", Office{})
	// The phone copy keeps the condition, so a resident who files at 15:30
	// is not told "same day".
	if !strings.Contains(text, "\nThời gian giải quyết: Trong ngày (Nộp sau 15 giờ thì nhận trong ngày làm việc tiếp theo)\n") {
		t.Errorf("checklist:\n%s", text)
	}
}

// PROCEDURES.md §2.4 gives 03 working days for the marital-status
// certificate only as [B], flagged ⚠ (NĐ 18/2026 amended Điều 22): the
// kiosk keeps saying the staff will tell, on screen and on the phone.
func TestStarterMaritalStatusTimeLeftToStaff(t *testing.T) {
	p := starterProcedures(t)
	tl := tailored(t, p, "1.004873", map[string]string{"history": "never", "reissue": "no", "exempt": "no", "who": "self"})
	if tl.Time.Unit != "unknown" {
		t.Errorf("time = %+v: PROCEDURES.md §2.4 flags it ⚠", tl.Time)
	}
	if text := tl.Checklist(p.Assistant.Checklist, "vi", Office{}); !strings.Contains(text, "\nThời gian giải quyết: Cán bộ sẽ cho bạn biết\n") {
		t.Errorf("checklist:\n%s", text)
	}
}

// CONTENT-REVIEW A5, PROCEDURES.md §2.5: without medical proof, at least two
// relatives witness the parents' undertaking. The result card (the papers'
// short names) and the take-home checklist say so, not only the details.
func TestStarterWitnessesOnCardAndChecklist(t *testing.T) {
	p := starterProcedures(t)
	for _, birth := range []string{"yes", "no"} {
		tl := tailored(t, p, "1.001022", map[string]string{"proof": "other", "exempt": "no", "birth": birth})
		var card []string
		for _, d := range tl.Documents {
			s := d.Short.Vi()
			if s == "" {
				s = d.Name.Vi()
			}
			card = append(card, s)
		}
		if c := strings.Join(card, " | "); !strings.Contains(c, "ít nhất 2 người thân làm chứng") {
			t.Errorf("birth %s: the card does not name the witnesses: %s", birth, c)
		}
		for _, lang := range []string{"vi", "en"} {
			text := tl.Checklist(p.Assistant.Checklist, lang, Office{Known: true, Name: "Trung tâm PVHCC xã Ea Kao"})
			if want := map[string]string{"vi": "làm chứng", "en": "witness"}[lang]; !strings.Contains(text, want) {
				t.Errorf("birth %s, %s: the checklist does not name the witnesses:\n%s", birth, lang, text)
			}
		}
	}
	// With medical proof no witnesses are needed, and none are asked for.
	tl := tailored(t, p, "1.001022", map[string]string{"proof": "medical", "exempt": "no", "birth": "yes"})
	if text := tl.Checklist(p.Assistant.Checklist, "vi", Office{}); strings.Contains(text, "làm chứng") {
		t.Errorf("medical proof: witnesses asked for:\n%s", text)
	}
}

// m1: a family whose baby has no birth certificate yet, parents not married,
// the father to be named, gets the same answer through "Làm giấy khai sinh"
// and through "Đăng ký nhận cha, mẹ, con": procedure 1.000689, 03 working
// days (+ up to 05 if verifying; PROCEDURES.md §2.5, §6 row 5, which cover
// 1.000689), and the birth papers (§2.1) with the recognition papers (§2.5).
func TestStarterFatherNamedSameEitherWay(t *testing.T) {
	p := starterProcedures(t)
	viaBirth := tailored(t, p, "1.001193", map[string]string{"age": "on-time", "parents": "father", "exempt-father": "no", "paper-father": "yes"})
	viaRecognition := tailored(t, p, "1.001022", map[string]string{"proof": "medical", "exempt": "no", "birth": "no"})
	for name, tl := range map[string]Tailored{"via birth": viaBirth, "via recognition": viaRecognition} {
		if tl.Case.Code != "1.000689" {
			t.Errorf("%s: case code %q", name, tl.Case.Code)
		}
		if tl.Time.Unit != "working_day" || tl.Time.Amount != 3 || !strings.Contains(tl.Time.Note.Vi(), "05 ngày làm việc") {
			t.Errorf("%s: time %+v", name, tl.Time)
		}
		var names []string
		for _, d := range tl.Documents {
			names = append(names, d.Name.Vi())
		}
		all := strings.Join(names, " | ")
		for _, want := range []string{"Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Tờ khai đăng ký nhận cha, mẹ, con", "ADN"} {
			if !strings.Contains(all, want) {
				t.Errorf("%s: papers %q lack %q", name, all, want)
			}
		}
		for _, n := range tl.Case.Notes {
			if strings.Contains(n.Vi(), "hỏi cán bộ các giấy tờ khai sinh") {
				t.Errorf("%s: %q", name, n.Vi())
			}
		}
		if tl.Walk.Has(TagExempt) || tl.MainFee() == nil || tl.MainFee().Kind != FeeProvince {
			t.Errorf("%s: fee %+v", name, tl.MainFee())
		}
	}
	// The birth way does not ask which proof the family has: its card and
	// take-home list name the witnesses a family without a DNA test needs.
	for _, lang := range []string{"vi", "en"} {
		text := viaBirth.Checklist(p.Assistant.Checklist, lang, Office{})
		if want := map[string]string{"vi": "2 người thân làm chứng", "en": "2 relatives as witnesses"}[lang]; !strings.Contains(text, want) {
			t.Errorf("via birth, %s: the checklist does not name the witnesses:\n%s", lang, text)
		}
	}
	// The fee note of either way says the birth part is free only on time.
	note := viaRecognition.MainFee().Note.Vi()
	if !strings.Contains(note, "60 ngày") || !strings.Contains(note, "nhận cha con") {
		t.Errorf("via recognition: fee note %q", note)
	}
}

// Birth registration asks the parents, and the exemption, on each way's own
// copy of the question (same_as): a family that answered on the late way
// and then changes the age to on time is not asked again, and the reverse.
func TestStarterBirthCopiesTakeTheOtherWaysAnswer(t *testing.T) {
	p := starterProcedures(t)
	f := &p.Procedure("1.001193").Flow
	for _, tc := range []struct {
		answers map[string]string
		want    string // the case, with no question left
	}{
		{map[string]string{"age": "on-time", "exempt": "no", "parents-late": "married", "paper": "yes"}, "giay-chung-sinh"},
		{map[string]string{"age": "on-time", "exempt": "yes", "parents-late": "father", "paper-father": "yes"}, "nhan-cha"},
		{map[string]string{"age": "late", "parents": "father", "exempt-father": "no", "paper-father": "yes"}, "nhan-cha"},
	} {
		r, err := f.Walk(tc.answers)
		if err != nil || !r.Done || r.Case != tc.want {
			t.Errorf("%v: %+v %v, want case %s with nothing asked again", tc.answers, r, err, tc.want)
		}
	}
}
