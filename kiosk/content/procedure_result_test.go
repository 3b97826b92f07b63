package content

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/flow"
)

// The result as a resident reads it (issue 15, item 3): what was already
// asked or chosen is not told again.

// A person who answered "Không" to the exemption question has heard the
// list; a person whose fee is free needs none. Only a person never asked,
// who pays, is told who is exempt.
func TestExemptionsOnlyWhenNotAsked(t *testing.T) {
	birth := starterProcedures(t).Procedure("1.001193")
	for name, answers := range map[string]map[string]string{
		"late, answered no":  {"age": "late", "exempt": "no", "parents-late": "married", "paper": "yes"},
		"late, answered yes": {"age": "late", "exempt": "yes", "parents-late": "married", "paper": "yes"},
		"on time, free":      {"age": "on-time", "parents": "married", "paper": "yes"},
	} {
		tl, err := birth.Tailor(answers)
		if err != nil || tl.AskStaff {
			t.Fatalf("%s: %v %+v", name, err, tl)
		}
		if ex := tl.Exemptions(); ex != nil {
			t.Errorf("%s: exemptions shown: %v", name, ex)
		}
	}
	// Never asked (the path skips the question) and the fee is not free.
	province := &Fee{Kind: FeeProvince}
	never := Tailored{Procedure: birth, Fees: []ChannelFee{{Channel: "in_person", Fee: province}},
		Walk: flow.Result{Path: []flow.Step{{Question: "age", Answer: "late"}, {Question: "parents", Answer: "married"}}}}
	if ex := never.Exemptions(); len(ex) != len(birth.Exemptions) || len(ex) == 0 {
		t.Errorf("never asked: exemptions %v, want the procedure's %v", ex, birth.Exemptions)
	}
}

// A person who does not know whether they are exempt ("Không rõ") is shown
// who is, beside the fee, to check with the staff; "Không" and "Có" are not.
func TestExemptionsShownWhenUnsure(t *testing.T) {
	p := starterProcedures(t)
	for _, code := range []string{"1.004222", "1.004194"} {
		pr := p.Procedure(code)
		for answer, shown := range map[string]bool{"unsure": true, "no": false, "yes": false} {
			// The flow walked by its first answers, but this one to "exempt".
			answers := map[string]string{}
			for q := pr.Flow.Start; q != ""; {
				a := pr.Flow.Question(q).Answers[0]
				if q == "exempt" {
					a = *pr.Flow.Question(q).Answer(answer)
				}
				answers[q] = a.ID
				q = a.Next
			}
			tl, err := pr.Tailor(answers)
			if err != nil || tl.AskStaff {
				t.Fatalf("%s %v: %v, ask staff %v", code, answers, err, tl.AskStaff)
			}
			if got := len(tl.Exemptions()) > 0; got != shown {
				t.Errorf("%s, exempt=%s: exemptions shown %v, want %v (fee %+v)", code, answer, got, shown, tl.MainFee())
			}
		}
	}
}

// "Đến xã làm giấy khai sinh" chooses filing at the office: that way comes
// first, its fee is the fee, and "online is cheaper" is not pressed on a
// person who has chosen. A way the procedure does not offer is ignored.
func TestChosenChannelFirst(t *testing.T) {
	p := starterProcedures(t)
	how := p.Flow("le-em-be").Question("how")
	if a := how.Answer("office"); a == nil || a.Channel != "in_person" || a.Procedure != "1.001193" {
		t.Fatalf("life event answer 'office' = %+v, want channel in_person to 1.001193", a)
	}
	birth := p.Procedure("1.001193")
	tl, _ := birth.Tailor(map[string]string{"age": "on-time", "parents": "married", "paper": "yes"})
	tl.Choose("post")
	if tl.Channel != "" {
		t.Errorf("a way not offered was chosen: %q", tl.Channel)
	}
	tl.Choose("vneid")
	if got := kinds(tl.Channels()); got != "vneid,in_person,online" {
		t.Errorf("channels = %s, want the chosen one first", got)
	}
	tl.Choose("in_person")
	if got := kinds(tl.Channels()); got != "in_person,online,vneid" {
		t.Errorf("channels = %s", got)
	}

	res := p.Procedure("1.004222")
	rt, _ := res.Tailor(map[string]string{"exempt": "no", "how": "own", "papers": "yes"})
	rt.Choose("online")
	if f := rt.MainFee(); f == nil || f.Amount != 10000 {
		t.Errorf("chosen online: main fee %+v, want the online 10.000 đ", f)
	}
	if rt.OnlineCheaper() {
		t.Error("online cheaper is told to a person who already chose")
	}
}

func kinds(chs []Channel) string {
	var out []string
	for _, c := range chs {
		out = append(out, c.Kind)
	}
	return strings.Join(out, ",")
}

// The screen names the way of filing ("Nộp qua Cổng Dịch vụ công quốc
// gia:"); a note that names it again was read twice. Lint names it, as
// advice: a kiosk still shows the pack, which tells the truth twice, and
// which an earlier release built and took (outside QA s23: upgraded kiosks
// showed the starter instead of the province's pack).
func TestChannelNoteMustNotRepeatTheWay(t *testing.T) {
	m := starterCopy(t)
	const file = "procedures/khai-sinh.yaml"
	src := string(m[file].Data)
	edited := strings.Replace(src, `note: {vi: "Có thể làm liên thông cả thường trú và thẻ BHYT cho bé."`,
		`note: {vi: "Trên Cổng Dịch vụ công quốc gia; có thể làm liên thông cả thường trú và thẻ BHYT."`, 1)
	if edited == src {
		t.Fatal("the edit changed nothing")
	}
	m[file] = &fstest.MapFile{Data: []byte(edited)}
	if !hasProblem(m, "procedures/khai-sinh.yaml", "channels[2].note", "repeats the way of filing") {
		t.Error("a channel note repeating the portal's name was not reported")
	}
	for _, p := range Lint(m) {
		if !p.Advice {
			t.Errorf("not advice: %s", p)
		}
	}
	if _, err := Load(m); err != nil {
		t.Errorf("a kiosk refuses a pack for advice: %v", err)
	}
	// Refused for something else, it names only that: advice listed first
	// filled the 500 bytes the hub and staff see of a refusal (outside QA s23).
	m["pack.yaml"] = &fstest.MapFile{Data: append(append([]byte(nil), m["pack.yaml"].Data...), "edition: 2\n"...)}
	_, err := Load(m)
	if err == nil || strings.Contains(err.Error(), "repeats the way") || !strings.Contains(err.Error(), "edition") {
		t.Errorf("a kiosk's refusal: %v; want the unknown field alone", err)
	}
}

// A pack made before the take-home list gained the deadline, the office's
// hours and the next steps has no words for them. A kiosk shows it, with
// this release's own words there (outside QA s23: a kiosk upgraded before
// the province rebuilt its pack refused it and showed the starter).
func TestAnEarlierPackTakesTheChecklistWordsItLacks(t *testing.T) {
	m := starterCopy(t)
	full, err := Load(m)
	if err != nil {
		t.Fatal(err)
	}
	le := string(m["life-events.yaml"].Data)
	for _, k := range laterChecklistWords {
		line := regexp.MustCompile(`(?m)^  ` + k + `: \{.*\}\n`)
		if !line.MatchString(le) {
			t.Fatalf("the starter's life-events.yaml has no line for checklist.%s", k)
		}
		le = line.ReplaceAllString(le, "")
	}
	m["life-events.yaml"] = &fstest.MapFile{Data: []byte(le)}
	p, err := Load(m)
	if err != nil {
		t.Fatalf("a pack without the later checklist words: %v", err)
	}
	// Lint still names each, as advice, so a new pack is built with them.
	for _, k := range laterChecklistWords {
		if !hasProblem(m, "life-events.yaml", "checklist."+k, "kiosks use their built-in words") {
			t.Errorf("lint does not name the missing checklist.%s", k)
		}
	}
	// The take-home lists say what the full pack's say (the built-in words
	// are the starter's): an online-only procedure, one with a form, a fee
	// the office tells, a time the data lacks, the exemption lines, the
	// office's hours with their day names.
	office := ResolveOffice([]config.Office{{ID: "x", Name: "UBND xã", Hours: []string{"Thứ Hai–Thứ Sáu 07:00–11:30", "CN: nghỉ"}}}, "x", time.Now())
	for _, c := range []struct {
		code    string
		answers map[string]string
		lang    string
		says    string
	}{
		{"1.001193", map[string]string{"age": "on-time", "parents": "married", "paper": "yes"}, "vi", "\nCác bước tiếp theo:\n"},
		{"1.004222", map[string]string{"exempt": "no", "how": "own", "papers": "yes"}, "vi", "(Mẫu CT01)"},
		{"1.001193", map[string]string{"age": "late", "exempt": "unsure", "parents": "married", "paper": "yes"}, "vi", "Một số người được miễn lệ phí"},
		{"1.004222", map[string]string{"exempt": "no", "how": "own", "papers": "yes"}, "vi", "\nGiờ làm việc: Thứ Hai–Thứ Sáu: 07:00–11:30; Chủ nhật: nghỉ\n"},
		{"1.004222", map[string]string{"exempt": "no", "how": "own", "papers": "yes"}, "en", "\nOpening hours: Monday–Friday: 07:00–11:30; Sunday: closed\n"},
	} {
		var lists [2]string
		for i, pk := range []*Pack{full, p} {
			tl, err := pk.Procedure(c.code).Tailor(c.answers)
			if err != nil {
				t.Fatal(err)
			}
			lists[i] = tl.Checklist(pk.Assistant.Checklist, c.lang, office)
		}
		if lists[1] != lists[0] || !strings.Contains(lists[1], c.says) {
			t.Errorf("%s %v: an earlier pack's list\n%s\nwant the full pack's, with %q:\n%s", c.code, c.answers, lists[1], c.says, lists[0])
		}
	}
}

// Only an answer that hands over to a procedure chooses a way of filing.
func TestAnswerChannelLint(t *testing.T) {
	m := packWithBirth(t, func(src string) string {
		return strings.Replace(src, `tags: [on_time], next: parents}`, `tags: [on_time], next: parents, channel: in_person}`, 1)
	})
	if !hasProblem(m, "procedures/khai-sinh.yaml", "flow.questions[age].answers[on-time].channel", "hands over to a procedure") {
		t.Error("a channel on a question's answer was not reported")
	}
}

// packWithBirth is the starter's birth registration alone, edited by edit.
func packWithBirth(t *testing.T, edit func(string) string) fs.FS {
	t.Helper()
	orig, err := fs.ReadFile(Starter(), "procedures/khai-sinh.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := brokenPack(t, string(orig[strings.Index(string(orig), "flow:\n"):])).(fstest.MapFS)
	src := edit(string(m["procedures/khai-sinh.yaml"].Data))
	if src == string(m["procedures/khai-sinh.yaml"].Data) {
		t.Fatal("the edit changed nothing")
	}
	m["procedures/khai-sinh.yaml"] = &fstest.MapFile{Data: []byte(src)}
	return m
}

func hasProblem(fsys fs.FS, file, field, message string) bool {
	_, probs := Inspect(fsys)
	for _, p := range probs {
		if p.File == file && p.Field == field && strings.Contains(p.Message, message) {
			return true
		}
	}
	return false
}

// The take-away checklist carries what the first screen says — papers, fee,
// time, what is received, where, opening hours, next steps — in the screen's own words
// (frontend/src/i18n/<lang>/procedures.json), so "Chỉ đưa xem" on the
// screen is "Chỉ đưa xem" on the phone, never "xuất trình".
func TestChecklistSpeaksLikeTheScreen(t *testing.T) {
	p := starterProcedures(t)
	same := map[string]string{
		"bring": "documents", "hand_in": "hand_in", "show": "show", "fee": "fee", "free": "fee_free",
		"ask_office": "fee_province", "unknown": "fee_unknown", "time": "time", "immediate": "time_immediate",
		"same_day": "time_same_day", "where": "where", "hours": "hours", "steps": "steps", "deadline": "deadline",
		"time_unknown": "time_unknown", "result": "result",
	}
	for _, lang := range []string{"vi", "en"} {
		screen := screenWords(t, lang)
		for key, sk := range same {
			if got, want := p.Assistant.Checklist.In(key, lang), screen[sk]; got != want {
				t.Errorf("%s: checklist %q = %q, the screen's result.%s = %q", lang, key, got, sk, want)
			}
		}
		// The screen writes a form as "Mẫu {form}".
		if got, want := p.Assistant.Checklist.In("form", lang)+" {form}", screen["form"]; got != want {
			t.Errorf("%s: checklist \"form\" + \" {form}\" = %q, the screen's result.form = %q", lang, got, want)
		}
	}

	birth := p.Procedure("1.001193")
	tl, _ := birth.Tailor(map[string]string{"age": "on-time", "parents": "married", "paper": "yes"})
	office := Office{Known: true, Name: "Trung tâm Phục vụ hành chính công xã Ea Kao", Address: "Thôn 1, xã Ea Kao",
		Phone: "0262 000 000", Hours: []string{"T2-T6 07:00-11:30, 13:30-17:00"}}
	text := tl.Checklist(p.Assistant.Checklist, "vi", office)
	for _, want := range []string{
		"- Căn cước: Chỉ đưa xem\n",
		"Thời gian giải quyết: Ngay khi nộp đủ giấy tờ\nBạn sẽ nhận được: Giấy khai sinh (bản chính) của bé.\nHạn nộp: Trong 60 ngày kể từ ngày sinh của bé\n",
		"Giờ làm việc: T2-T6 07:00-11:30, 13:30-17:00\n",
		// The steps before the last give way to the notes and the caveat.
		"Các bước tiếp theo:\n3. Kiểm tra thông tin trên giấy khai sinh trước khi ký nhận.\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("checklist lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "xuất trình") || len(text) > MaxChecklist {
		t.Errorf("checklist (%d bytes):\n%s", len(text), text)
	}
}

// screenWords reads the result screen's words in lang from the frontend's
// catalogue, the one place they are written.
func screenWords(t *testing.T, lang string) map[string]string {
	t.Helper()
	b, err := os.ReadFile("../../frontend/src/i18n/" + lang + "/procedures.json")
	if err != nil {
		t.Fatal(err)
	}
	var cat struct {
		Result map[string]string `json:"result"`
	}
	if err := json.Unmarshal(b, &cat); err != nil {
		t.Fatal(err)
	}
	return cat.Result
}

// The deadline to file (Luật Hộ tịch Điều 15: 60 days from the birth) is
// told to a family still within it, and not to one already past it.
func TestDeadlineOnlyWhileItHolds(t *testing.T) {
	birth := starterProcedures(t).Procedure("1.001193")
	on, _ := birth.Tailor(map[string]string{"age": "on-time", "parents": "married", "paper": "yes"})
	if on.Deadline == nil || (*on.Deadline)["vi"] != "Trong 60 ngày kể từ ngày sinh của bé" {
		t.Errorf("on time: deadline %v", on.Deadline)
	}
	late, _ := birth.Tailor(map[string]string{"age": "late", "exempt": "no", "parents-late": "married", "paper": "yes"})
	if late.Deadline != nil {
		t.Errorf("late: a deadline already past is told: %v", *late.Deadline)
	}
}

// A time the data does not have reads on the phone as on the screen
// ("Cán bộ sẽ cho bạn biết", procedures.result.time_unknown), and a form as
// the screen gives it (" · Mẫu CT01"); a pack made before these words says
// "Hỏi cán bộ" and gives no form, as before.
func TestChecklistUnknownTimeAndFormLikeTheScreen(t *testing.T) {
	p := starterProcedures(t)
	ms, err := p.Procedure("1.004873").Tailor(map[string]string{"history": "never", "reissue": "no", "exempt": "no", "who": "self"})
	if err != nil || ms.AskStaff {
		t.Fatal(err)
	}
	res, err := p.Procedure("1.004222").Tailor(map[string]string{"exempt": "no", "how": "own", "papers": "yes"})
	if err != nil || res.AskStaff {
		t.Fatal(err)
	}
	w := p.Assistant.Checklist
	for lang, want := range map[string]string{"vi": "\nThời gian giải quyết: Cán bộ sẽ cho bạn biết\n", "en": "\nProcessing time: The staff will tell you\n"} {
		if text := ms.Checklist(w, lang, Office{}); !strings.Contains(text, want) {
			t.Errorf("%s: the checklist lacks %q:\n%s", lang, want, text)
		}
	}
	if text := res.Checklist(w, "vi", Office{}); !strings.Contains(text, "\n- Tờ khai thay đổi cư trú (Mẫu CT01): Nộp\n") {
		t.Errorf("the form is not given as on the screen:\n%s", text)
	}
}

// What the answers change about the fee and the time is on the first card
// and in the take-home list, not only under "Lưu ý" (outside QA, session
// s18, F4, F9, F15): the card's lines (ResultView.FeeRule, TimeNote) and the
// list's, from the real starter content with the example config's office.
var answerFacts = []struct {
	name, code string
	answers    map[string]string
	rule, time string // on the card; "" for none
	list       string // in the take-home list
}{
	// PROCEDURES.md §2.1: late, the HĐND rate (no Đắk Lắk amount known).
	{"birth, late", "1.001193", map[string]string{"age": "late", "exempt": "no", "parents-late": "married", "paper": "yes"},
		"Đăng ký quá hạn: mức lệ phí do HĐND tỉnh Đắk Lắk quy định.", "",
		"\nLệ phí: Cán bộ xã sẽ báo mức phí cho bạn. Đăng ký quá hạn: mức lệ phí do HĐND tỉnh Đắk Lắk quy định\n"},
	// §2.2: a death registered after 15 days, the same.
	{"death, late", "1.000656", map[string]string{"when": "late", "exempt": "no", "notice": "yes"},
		"Đăng ký quá hạn: mức lệ phí do HĐND tỉnh Đắk Lắk quy định.", "",
		"\nLệ phí: Cán bộ xã sẽ báo mức phí cho bạn. Đăng ký quá hạn: mức lệ phí do HĐND tỉnh Đắk Lắk quy định\n"},
	// §2.7 (TT 226/2016): 2.000 đ a page, from page 3 1.000 đ, at most
	// 200.000 đ a copy; same day, after 15:00 the next working day.
	{"certified copy, 3 pages or more", "2.000815", map[string]string{"pages": "long"},
		"Từ trang thứ 3: 1.000 đ/trang; tối đa 200.000 đ/bản.", "Nộp sau 15 giờ thì nhận trong ngày làm việc tiếp theo.",
		"\nLệ phí: 2.000 đ/trang (2 trang đầu). Từ trang thứ 3: 1.000 đ/trang; tối đa 200.000 đ/bản\nThời gian giải quyết: Trong ngày (Nộp sau 15 giờ thì nhận trong ngày làm việc tiếp theo)\n"},
	// §2.5 (Luật HT Điều 25): 03 working days, up to 05 more to verify; on
	// time, the 60-day deadline (§2.1) is told too, and neither hides the other.
	{"birth naming the father, on time", "1.001193", map[string]string{"age": "on-time", "parents": "father", "exempt-father": "no", "paper-father": "yes"},
		"Khai sinh đúng hạn được miễn lệ phí. Phần nhận cha con: mức lệ phí do HĐND tỉnh Đắk Lắk quy định.", "Nếu cần xác minh: thêm không quá 05 ngày làm việc.",
		"\nThời gian giải quyết: 3 ngày làm việc (Nếu cần xác minh: thêm không quá 05 ngày làm việc)\nHạn nộp: Trong 60 ngày kể từ ngày sinh của bé\n"},
	// Free: the fee's note only says why, and stays in the details.
	{"birth on time, free", "1.001193", map[string]string{"age": "on-time", "parents": "married", "paper": "yes"},
		"", "", "\nLệ phí: Miễn phí\n"},
}

func exampleHere(t *testing.T) Here {
	t.Helper()
	ex, err := config.Load(filepath.Join("..", "..", "build", "config.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return Here{Offices: ex.Commune.Offices, Now: time.Date(2026, 12, 7, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))}
}

func TestCardTellsWhatTheAnswersChange(t *testing.T) {
	p, here := starterProcedures(t), exampleHere(t)
	for _, c := range answerFacts {
		v, err := p.ResultView(p.Procedure(c.code), c.answers, "", "vi", here)
		if err != nil || v.Status != ResultOK {
			t.Fatalf("%s: %v, status %q", c.name, err, v.Status)
		}
		if v.FeeRule != c.rule || v.TimeNote != c.time {
			t.Errorf("%s: the card's fee rule %q, time note %q; want %q, %q", c.name, v.FeeRule, v.TimeNote, c.rule, c.time)
		}
	}
}

func TestChecklistTellsWhatTheAnswersChange(t *testing.T) {
	p, here := starterProcedures(t), exampleHere(t)
	for _, c := range answerFacts {
		pr := p.Procedure(c.code)
		tl, err := pr.Tailor(c.answers)
		if err != nil || tl.AskStaff {
			t.Fatalf("%s: %v", c.name, err)
		}
		text := tl.Checklist(p.Assistant.Checklist, "vi", ResolveOffice(here.Offices, pr.Office, here.Now))
		if !strings.Contains(text, c.list) {
			t.Errorf("%s: the take-home list lacks %q:\n%s", c.name, c.list, text)
		}
	}
}
