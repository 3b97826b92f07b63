package content

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"tramso/kiosk/config"
	"tramso/kiosk/flow"
)

// paths lists every complete set of answers through f.
func paths(f *flow.Flow, id string, given map[string]string) []map[string]string {
	q := f.Question(id)
	var out []map[string]string
	for _, a := range q.Answers {
		next := map[string]string{}
		for k, v := range given {
			next[k] = v
		}
		next[id] = a.ID
		if a.Next != "" {
			out = append(out, paths(f, a.Next, next)...)
		} else {
			out = append(out, next)
		}
	}
	return out
}

// Every path of every starter procedure gives a checklist that fits a QR code,
// even with a long office line, in every language.
func TestChecklistFitsQR(t *testing.T) {
	p := starterProcedures(t)
	long := ResolveOffice([]config.Office{{ID: "x", Name: "Trung tâm Phục vụ hành chính công xã Ea Knuếc",
		Address: "huyện cũ Krông Pắc, " + strings.Repeat("thôn Buôn Ea Kmar ", 6), Phone: "0262 3 000 000",
		Hours: []string{"T2-T6 07:00-11:30, 13:30-17:00", "T7 07:30-11:30", "Ngày lễ, Tết: nghỉ theo thông báo của UBND xã"}}}, "x", time.Now())
	for i := range p.Procedures {
		pr := &p.Procedures[i]
		for _, answers := range paths(&pr.Flow, pr.Flow.Start, nil) {
			tl, err := pr.Tailor(answers)
			if err != nil {
				t.Fatalf("%s %v: %v", pr.Code, answers, err)
			}
			if tl.AskStaff {
				continue
			}
			for _, lang := range []string{"vi", "en", "rad"} {
				for _, o := range []Office{long, {}} {
					text := tl.Checklist(p.Assistant.Checklist, lang, o)
					if len(text) > MaxChecklist || !utf8.ValidString(text) {
						t.Errorf("%s %v %s: %d bytes", pr.Code, answers, lang, len(text))
					}
					// Cut, if at all, after a whole line, and marked.
					w := p.Assistant.Checklist
					whole := false
					for level := range checklistLevels - 1 {
						whole = whole || text == tl.checklist(w, lang, o, level)
					}
					if short := tl.checklist(w, lang, o, checklistLevels-1); !whole && text != short &&
						(!strings.HasSuffix(text, "\n…") || !strings.HasPrefix(short, strings.TrimSuffix(text, "…"))) {
						t.Errorf("%s %v %s: cut mid-line or unmarked: ...%q", pr.Code, answers, lang, text[max(0, len(text)-80):])
					}
					title, _ := pr.PlainName.In(lang)
					if !strings.HasPrefix(text, title) {
						t.Errorf("%s: checklist starts %.40q", pr.Code, text)
					}
				}
			}
		}
	}
}

// With the offices of build/config.example.yaml, every list a resident takes
// home carries the whole office line, the opening hours, the deadline, the
// rule of the fee and the condition of the time (what the answers change)
// and the last next step, in every language: shortening drops only the
// steps before the last, what is received, the notes, the compiled date, the
// papers' notes, the line on proving an exemption and the case line.
func TestChecklistCarriesTheWay(t *testing.T) {
	p, here := starterProcedures(t), exampleHere(t)
	for i := range p.Procedures {
		pr := &p.Procedures[i]
		o := ResolveOffice(here.Offices, pr.Office, here.Now)
		for _, answers := range paths(&pr.Flow, pr.Flow.Start, nil) {
			tl, err := pr.Tailor(answers)
			if err != nil || tl.AskStaff {
				continue
			}
			for _, lang := range []string{"vi", "en", "rad", "mng"} {
				text := tl.Checklist(p.Assistant.Checklist, lang, o)
				in := func(x Text) string { s, _ := x.In(lang); return strings.TrimSuffix(s, ".") }
				want := []string{o.Line(), o.HoursIn(p.Assistant.Checklist, lang), in(tl.FeeRule()), in(tl.TimeNote())}
				if tl.Deadline != nil {
					want = append(want, in(*tl.Deadline))
				}
				if n := len(pr.Steps); n > 0 {
					want = append(want, fmt.Sprintf("%d. %s", n, in(pr.Steps[n-1])))
				}
				for _, w := range want {
					if !strings.Contains(text, w) {
						t.Errorf("%s %v %s: the take-home list (%d bytes) lacks %q", pr.Code, answers, lang, len(text), w)
					}
				}
			}
		}
	}
}

func TestChecklistShortens(t *testing.T) {
	p := starterProcedures(t)
	pr := p.Procedure("1.001022")
	tl, _ := pr.Tailor(map[string]string{"proof": "other", "exempt": "no", "birth": "no"})
	long := strings.Repeat("Địa chỉ rất dài ", 30)
	text := tl.Checklist(p.Assistant.Checklist, "vi", Office{Known: true, Name: "Trung tâm PVHCC", Address: long})
	if len(text) > MaxChecklist || !strings.Contains(text, "- Giấy cam đoan, có ít nhất 2 người thân làm chứng: Nộp") || !strings.Contains(text, "Nơi nộp: Trung tâm PVHCC") {
		t.Errorf("shortened checklist (%d bytes):\n%s", len(text), text)
	}
}

// An amount is written as its reader's language writes numbers: in English
// "3.000" reads as three (outside finding: "Fee: 3.000 đ/page … From page
// 3: 1,500 đ per page").
func TestDong(t *testing.T) {
	for _, c := range []struct {
		amount     int64
		lang, want string
	}{
		{8000, "vi", "8.000 đ"}, {200000, "vi", "200.000 đ"}, {1000000, "vi", "1.000.000 đ"}, {500, "vi", "500 đ"},
		{3000, "en", "3,000 đ"}, {200000, "en", "200,000 đ"}, {1000000, "en", "1,000,000 đ"}, {500, "en", "500 đ"},
		{3000, "rad", "3.000 đ"}, {3000, "mng", "3.000 đ"},
	} {
		if got := Dong(c.amount, c.lang); got != c.want {
			t.Errorf("Dong(%d, %s) = %q, want %q", c.amount, c.lang, got, c.want)
		}
	}
}

// A fee by the page, in English, on the card and in the take-home list:
// the amount as the rule beside it writes numbers ("2,000 đ", by "1,000 đ
// per page"); in Vietnamese both still read "2.000 đ".
func TestFeeByThePageInTheReadersNumbers(t *testing.T) {
	p, here := starterProcedures(t), exampleHere(t)
	pr := p.Procedure("2.000815")
	answers := map[string]string{"pages": "long"}
	for _, c := range []struct{ lang, amount, list string }{
		{"en", "2,000 đ", "\nFee: 2,000 đ/page (first 2 pages). From page 3: 1,000 đ per page; at most 200,000 đ per copy\n"},
		{"vi", "2.000 đ", "\nLệ phí: 2.000 đ/trang (2 trang đầu). Từ trang thứ 3: 1.000 đ/trang; tối đa 200.000 đ/bản\n"},
	} {
		v, err := p.ResultView(pr, answers, "", c.lang, here)
		if err != nil || v.Status != ResultOK || v.Fee == nil {
			t.Fatalf("%s: %v, %+v", c.lang, err, v)
		}
		if v.Fee.AmountText != c.amount || len(v.Fees) == 0 || v.Fees[0].AmountText != c.amount {
			t.Errorf("%s: the card's amount %q (fees %+v), want %q", c.lang, v.Fee.AmountText, v.Fees, c.amount)
		}
		if !strings.Contains(v.Checklist, c.list) {
			t.Errorf("%s: the take-home list lacks %q:\n%s", c.lang, c.list, v.Checklist)
		}
	}
}

func TestOfficeHours(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	monday := time.Date(2026, 11, 23, 9, 0, 0, 0, ict)
	tests := []struct {
		name  string
		hours []string
		day   time.Time
		today string
		known bool
	}{
		{"weekday", []string{"Mon-Fri 07:30-11:30,13:30-17:00", "Sat 07:30-11:30"}, monday, "07:30-11:30, 13:30-17:00", true},
		{"saturday", []string{"Mon-Fri 07:30-11:30,13:30-17:00", "Sat 07:30-11:30"}, monday.AddDate(0, 0, 5), "07:30-11:30", true},
		{"sunday closed", []string{"Mon-Fri 07:30-11:30,13:30-17:00"}, monday.AddDate(0, 0, 6), "", true},
		{"vietnamese days", []string{"T2-T6 7h30-11h30, 13h30-17h00"}, monday.AddDate(0, 0, 2), "07:30-11:30, 13:30-17:00", true},
		{"free text is not guessed", []string{"Giờ hành chính"}, monday, "", false},
		// As build/config.example.yaml writes them: days spelt out, en dashes.
		{"vietnamese days spelt out", []string{"Thứ Hai–Thứ Sáu 07:00–11:30, 13:30–17:00", "Thứ bảy 07:00–11:30"}, monday.AddDate(0, 0, 5), "07:00-11:30", true},
		{"spelt out, weekday", []string{"Thứ Hai–Thứ Sáu 07:00–11:30, 13:30–17:00"}, monday.AddDate(0, 0, 3), "07:00-11:30, 13:30-17:00", true},
		{"spelt out, sunday closed", []string{"Thứ Hai–Thứ Sáu 07:00–11:30", "Chủ nhật: 08:00-10:00"}, monday.AddDate(0, 0, 6), "08:00-10:00", true},
		{"an unknown day is not guessed", []string{"Ngày thường 07:00-11:30"}, monday, "", false},
		{"no hours", nil, monday, "", false},
	}
	for _, tc := range tests {
		o := ResolveOffice([]config.Office{{ID: "pvhcc", Name: "TT PVHCC", Hours: tc.hours}}, "pvhcc", tc.day)
		if o.Today != tc.today || o.TodayKnown != tc.known || !o.Known {
			t.Errorf("%s: today %q known %v", tc.name, o.Today, o.TodayKnown)
		}
	}
	// The example config's own lines are read, every office of it.
	ex, err := config.Load(filepath.Join("..", "..", "build", "config.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, off := range ex.Commune.Offices {
		if o := ResolveOffice(ex.Commune.Offices, off.ID, monday); !o.TodayKnown || o.Today == "" {
			t.Errorf("config.example.yaml office %s: hours %q not read (today %q)", off.ID, off.Hours, o.Today)
		}
	}
	if o := ResolveOffice(nil, "police", monday); o.Known || o.Line() != "" {
		t.Errorf("unconfigured office = %+v", o)
	}
}

// A procedure filed only online says where to file online, and gives the
// office as where to ask, not where to bring papers; a pack without the
// newer words says it with the older ones.
func TestChecklistOfAnOnlineOnlyProcedure(t *testing.T) {
	p := starterProcedures(t)
	pr := p.Procedure("lien-thong-khai-sinh")
	if !pr.OnlineOnly() || p.Procedure("1.001193").OnlineOnly() {
		t.Fatal("OnlineOnly: the linked service is online only, birth registration is not")
	}
	tl, err := pr.Tailor(map[string]string{"age": "on-time", "account": "yes"})
	if err != nil {
		t.Fatal(err)
	}
	office := ResolveOffice([]config.Office{{ID: "x", Name: "Trung tâm PVHCC xã Ea Kao", Hours: []string{"T2-T6 07:00-17:00"}}}, "x", time.Now())
	text := tl.Checklist(p.Assistant.Checklist, "vi", office)
	for _, want := range []string{"\nGiấy tờ cần chuẩn bị (chụp hoặc tải lên):\n", "\nNơi nộp: Nộp qua mạng; Nộp trên ứng dụng VNeID\n",
		"\nNơi hỏi thêm, nhờ cán bộ giúp: Trung tâm PVHCC xã Ea Kao\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("the checklist lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Giấy tờ cần mang") || strings.Contains(text, "Nơi nộp: Trung tâm") {
		t.Errorf("an online-only checklist sends the resident to the office:\n%s", text)
	}
}

// A resident not sure they are exempt takes home, after the fee, that some
// people pay none and to ask; one who answered "Không" or "Có" does not.
func TestChecklistMaybeExempt(t *testing.T) {
	p := starterProcedures(t)
	const line = "Một số người được miễn lệ phí: hỏi cán bộ xem bạn có thuộc diện này không."
	for answer, want := range map[string]bool{"unsure": true, "no": false, "yes": false} {
		tl, err := p.Procedure("1.004222").Tailor(map[string]string{"exempt": answer, "how": "own", "papers": "yes"})
		if err != nil {
			t.Fatal(err)
		}
		text := tl.Checklist(p.Assistant.Checklist, "vi", Office{})
		if got := strings.Contains(text, "\n"+line+"\n"); got != want {
			t.Errorf("exempt=%s: the line is there %v, want %v:\n%s", answer, got, want, text)
		}
	}
}

// A person who answered being in a group that pays no fee takes home, after
// "Miễn phí", that the office will want to see it (outside QA: no proof was
// listed); one who answered no is not told.
func TestChecklistAsksForProofOfExemption(t *testing.T) {
	p := starterProcedures(t)
	pr := p.Procedure("1.000656")
	for _, c := range []struct {
		exempt string
		want   bool
	}{{"yes", true}, {"no", false}} {
		tl, err := pr.Tailor(map[string]string{"when": "late", "exempt": c.exempt, "notice": "yes"})
		if err != nil {
			t.Fatal(err)
		}
		if tl.ClaimsExemption() != c.want {
			t.Errorf("exempt %s: ClaimsExemption = %v", c.exempt, !c.want)
		}
		text := tl.Checklist(p.Assistant.Checklist, "vi", Office{})
		if got := strings.Contains(text, "Mang giấy tờ cho thấy được miễn"); got != c.want {
			t.Errorf("exempt %s: the list says to bring proof: %v, want %v\n%s", c.exempt, got, c.want, text)
		}
	}
}

// The notes under "Lưu ý" are decided once (Tailored.Notes): the screen
// shows the ones the API sends, and the take-home list carries the same,
// in the same order, but for the one named difference — a free fee's note,
// on the screen only. Every path of every starter procedure, in every
// language (the screen once chose its notes by a rule of its own).
func TestResultNotesAreTheTakeHomeNotes(t *testing.T) {
	p, here := starterProcedures(t), exampleHere(t)
	compared, freeNotes := 0, 0
	for i := range p.Procedures {
		pr := &p.Procedures[i]
		for _, answers := range paths(&pr.Flow, pr.Flow.Start, nil) {
			for _, lang := range []string{"vi", "en", "rad", "mng"} {
				v, err := p.ResultView(pr, answers, "", lang, here)
				if err != nil || v.Status != ResultOK {
					continue
				}
				want := v.Notes
				if v.Fee.Kind == FeeFree && v.Fee.Note != "" {
					if len(want) == 0 || want[0] != v.Fee.Note {
						t.Fatalf("%s %v %s: the screen's notes %q lack the free fee's note %q first", pr.Code, answers, lang, want, v.Fee.Note)
					}
					want, freeNotes = want[1:], freeNotes+1
				}
				got, carried := checklistNotes(v.Checklist, p.Assistant.Checklist.In("notes", lang))
				if !carried {
					continue // shortened away on a long list (checklistLevels)
				}
				for i := range want {
					want[i] = strings.TrimSpace(want[i])
				}
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("%s %v %s: the take-home list's notes\n%q\nthe screen's, but a free fee's note,\n%q", pr.Code, answers, lang, got, want)
				}
				compared++
			}
		}
	}
	if compared < 50 || freeNotes == 0 {
		t.Fatalf("compared %d results, %d with a free fee's note: the starter pack no longer tests this", compared, freeNotes)
	}
}

// checklistNotes are the notes under heading in a take-home list, and
// whether it has them.
func checklistNotes(text, heading string) ([]string, bool) {
	_, rest, ok := strings.Cut(text, "\n"+heading+":\n")
	if !ok {
		return nil, false
	}
	var out []string
	for _, line := range strings.Split(rest, "\n") {
		n, ok := strings.CutPrefix(line, "- ")
		if !ok {
			break
		}
		out = append(out, n)
	}
	return out, true
}
