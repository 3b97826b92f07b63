package content

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// These tests pin the fixes of the content audit of 2026-12-05
// (/tmp/content-audit/REPORT.md, findings 1, 2, 4, 6, 7, 9, 12, 13, 18), so
// an edit to the starter content cannot quietly bring the old answer back.

// cardText is what the result card lists: each paper by its short name (the
// full name where it has none), one a line.
func cardText(tl Tailored, lang string) string {
	var out []string
	for _, d := range tl.Documents {
		s, _ := d.Short.In(lang)
		if s == "" {
			s, _ = d.Name.In(lang)
		}
		out = append(out, s)
	}
	return strings.Join(out, "\n")
}

// Finding 1: a home that is rented, lent or lodged in is not "your own place".
// Luật Cư trú 68/2020/QH14 Điều 20 khoản 3 and Điều 21 khoản 3: the owner
// consents on CT01, the agreement is notarised or certified, and the home has
// the province's minimum floor area. An owner is told none of that.
func TestStarterRentedHomePermanentResidence(t *testing.T) {
	p := starterProcedures(t)
	office := Office{Known: true, Name: "Công an xã Ea Kao"}
	tenant := tailored(t, p, "1.004222", map[string]string{"exempt": "no", "how": "rented"})
	if tenant.Case.ID != "thue-muon" {
		t.Fatalf("a tenant reaches case %q", tenant.Case.ID)
	}
	want := map[string][]string{
		"vi": {"chủ nhà đồng ý", "công chứng hoặc chứng thực", "diện tích nhà ở"},
		"en": {"owner's consent", "notarised or certified", "floor area"},
	}
	for lang, words := range want {
		card := cardText(tenant, lang)
		list := tenant.Checklist(p.Assistant.Checklist, lang, office)
		for _, w := range words {
			if !strings.Contains(card, w) {
				t.Errorf("tenant, %s: the card does not say %q:\n%s", lang, w, card)
			}
			if !strings.Contains(list, w) {
				t.Errorf("tenant, %s: the take-home list does not say %q:\n%s", lang, w, list)
			}
		}
	}
	// The form is CT01, once; the floor-area paper may be on the system, and
	// which paper proves it is the staff's to say.
	forms := 0
	for _, d := range tenant.Documents {
		if d.Form == "CT01" {
			forms++
		}
		if strings.Contains(d.Name.Vi(), "diện tích") && (!d.Replaceable || !strings.Contains(d.Note.Vi(), "Hỏi cán bộ")) {
			t.Errorf("floor-area paper %+v: say to ask which paper proves it, and that the system may have it", d)
		}
	}
	if forms != 1 {
		t.Errorf("tenant: %d CT01 forms", forms)
	}

	owner := tailored(t, p, "1.004222", map[string]string{"exempt": "no", "how": "own", "papers": "yes"})
	if owner.Case.ID != "co-giay-to" {
		t.Fatalf("an owner reaches case %q", owner.Case.ID)
	}
	for lang, words := range want {
		said := cardText(owner, lang) + "\n" + owner.Checklist(p.Assistant.Checklist, lang, office)
		for _, w := range words {
			if strings.Contains(said, w) {
				t.Errorf("owner, %s: told %q, which is for a tenant:\n%s", lang, w, said)
			}
		}
	}

	// The answers: "Nhà của mình" alone for the owner, the tenant's own
	// answer, and the old ids kept so links and tests keep working.
	how := p.Flow("thuong-tru").Question("how")
	if a := how.Answer("own"); a == nil || a.Text.Vi() != "Nhà của mình" || a.Next != "papers" {
		t.Errorf("answer own = %+v", a)
	}
	if a := how.Answer("rented"); a == nil || a.Text.Vi() != "Nhà thuê, nhà mượn, ở nhờ" || a.Case != "thue-muon" {
		t.Errorf("answer rented = %+v", a)
	}
	for _, id := range []string{"relative", "other"} {
		if how.Answer(id) == nil {
			t.Errorf("answer %s is gone", id)
		}
	}

	// A minor's form carries a parent's or guardian's consent (Luật Cư trú
	// Điều 21), whatever the home: said on every result, as tam-tru does.
	for name, tl := range map[string]Tailored{"tenant": tenant, "owner": owner,
		"relative": tailored(t, p, "1.004222", map[string]string{"exempt": "yes", "how": "relative"})} {
		var notes []string
		for _, n := range append(append([]Text(nil), tl.Procedure.Notes...), tl.Case.Notes...) {
			notes = append(notes, n.Vi())
		}
		if s := strings.Join(notes, "\n"); !strings.Contains(s, "Người dưới 18 tuổi: cha, mẹ hoặc người giám hộ ghi ý kiến đồng ý vào tờ khai.") {
			t.Errorf("%s: the notes do not give a minor's consent rule:\n%s", name, s)
		}
	}
}

// Finding 2: a case filed under its own national code (a birth together with
// recognition of the father, 1.000689) gives that code on the take-home list
// and in the portal link, not the procedure's; other cases keep the
// procedure's code, and a linked service with no code names none.
func TestStarterCaseCodeOnChecklistAndPortal(t *testing.T) {
	p := starterProcedures(t)
	const search = "https://dichvucong.gov.vn/tim-kiem-thu-tuc-hanh-chinh?keyword="
	tests := []struct {
		name, code string
		answers    map[string]string
		want       string // the code on the list and in the link; "" for none
	}{
		{"birth with the father named", "1.001193", map[string]string{"age": "on-time", "parents": "father", "exempt-father": "no", "paper-father": "yes"}, "1.000689"},
		{"recognition with the birth", "1.001022", map[string]string{"proof": "medical", "exempt": "no", "birth": "no"}, "1.000689"},
		{"plain birth", "1.001193", map[string]string{"age": "on-time", "parents": "married", "paper": "yes"}, "1.001193"},
		{"recognition only", "1.001022", map[string]string{"proof": "medical", "exempt": "no", "birth": "yes"}, "1.001022"},
		{"linked package", "lien-thong-khai-sinh", map[string]string{"age": "on-time", "account": "yes"}, ""},
	}
	for _, tc := range tests {
		tl := tailored(t, p, tc.code, tc.answers)
		if got := tl.FilingCode(); got != tc.want {
			t.Errorf("%s: filing code %q, want %q", tc.name, got, tc.want)
		}
		for _, lang := range []string{"vi", "en"} {
			title, _, _ := strings.Cut(tl.Checklist(p.Assistant.Checklist, lang, Office{}), "\n")
			plain, _ := tl.Procedure.PlainName.In(lang)
			want := plain
			if tc.want != "" {
				want += " (" + tc.want + ")"
			}
			if title != want {
				t.Errorf("%s, %s: list title %q, want %q", tc.name, lang, title, want)
			}
		}
		link := tl.PortalURL()
		if tc.want != "" && link != search+tc.want {
			t.Errorf("%s: portal %q, want keyword %s", tc.name, link, tc.want)
		}
		if tc.want == "" && link != tl.Procedure.PortalURL() {
			t.Errorf("%s: portal %q, want the procedure's %q", tc.name, link, tl.Procedure.PortalURL())
		}
		// The result view carries the same link (the API draws its QR from it).
		v, err := p.ResultView(tl.Procedure, tc.answers, "", "vi", Here{})
		if err != nil || v.Status != ResultOK || v.PortalURL != link {
			t.Errorf("%s: result view %v %q, portal %q, want %q", tc.name, err, v.Status, v.PortalURL, link)
		}
	}
	// Before the answers reach a case the link is the procedure's.
	v, err := p.ResultView(p.Procedure("1.001193"), map[string]string{"age": "on-time"}, "", "vi", Here{})
	if err != nil || v.Status != ResultIncomplete || v.PortalURL != search+"1.001193" {
		t.Errorf("incomplete: %v %q, portal %q", err, v.Status, v.PortalURL)
	}
}

// Finding 6: TT 75/2022/TT-BTC Điều 4 exempts people from 16 to under 18 who
// have lost both parents, not every "orphan from 16 to 18": the list and the
// question's help say so for both residence procedures.
func TestStarterOrphanExemptionWording(t *testing.T) {
	p := starterProcedures(t)
	const want = "Người từ đủ 16 đến dưới 18 tuổi mồ côi cả cha lẫn mẹ."
	for _, code := range []string{"1.004222", "1.004194"} {
		pr := p.Procedure(code)
		var list []string
		for _, e := range pr.Exemptions {
			list = append(list, e.Vi())
		}
		help := pr.Flow.Question("exempt").Help.Vi()
		if !strings.Contains(strings.Join(list, "\n"), want) {
			t.Errorf("%s: exemptions %q lack %q", code, list, want)
		}
		if !strings.Contains(help, "người từ đủ 16 đến dưới 18 tuổi mồ côi cả cha lẫn mẹ") {
			t.Errorf("%s: help %q", code, help)
		}
		if s := strings.ToLower(strings.Join(append(list, help), "\n")); strings.Contains(s, "trẻ mồ côi từ 16 đến 18") {
			t.Errorf("%s: the old, broader wording is back", code)
		}
	}
}

// Finding 7: an authorisation is sent to staff if it is about a house or
// land, or paid, or carries compensation: any one of them, not all together.
// Finding 13: the summary does not repeat "do not sign beforehand", which
// the conditions on the same screen say.
func TestStarterSignatureWording(t *testing.T) {
	pr := starterProcedures(t).Procedure("2.000884")
	a := pr.Flow.Question("what").Answer("land-proxy")
	if a == nil || a.Text.Vi() != "Giấy ủy quyền về nhà đất, hoặc có trả tiền, hoặc phải bồi thường" || !a.AskStaff {
		t.Errorf("land-proxy answer = %+v", a)
	}
	if a != nil && !strings.Contains(a.Text["en"], "or one that is paid, or one with compensation") {
		t.Errorf("land-proxy en = %q", a.Text["en"])
	}
	summaryLeavesToCondition(t, pr, []string{"ký sẵn", "ký tại chỗ"}, 0, "Đừng ký sẵn ở nhà")
}

// summaryLeavesToCondition checks that the intro's summary no longer says
// what condition i says (finding 13: the intro shows both), and that the
// condition still does.
func summaryLeavesToCondition(t *testing.T, pr *Procedure, repeats []string, i int, keeps string) {
	t.Helper()
	for _, r := range repeats {
		if s := pr.Summary.Vi(); strings.Contains(s, r) {
			t.Errorf("%s: summary %q repeats the condition (%q)", pr.Code, s, r)
		}
	}
	if !strings.Contains(pr.Conditions[i].Vi(), keeps) {
		t.Errorf("%s: condition lost: %q", pr.Code, pr.Conditions[i].Vi())
	}
}

// Finding 4: NĐ 301/2026 replaced the linked-service forms on 01/9/2026, so
// the package names no "Mẫu 01" anywhere: the e-form is filled in online, and
// the note says the new forms apply. Finding 13: the summary does not repeat
// "online only", which the conditions say.
func TestStarterLinkedBirthForm(t *testing.T) {
	p := starterProcedures(t)
	pr := p.Procedure("lien-thong-khai-sinh")
	tl := tailored(t, p, "lien-thong-khai-sinh", map[string]string{"age": "on-time", "account": "yes"})
	var said []string
	for _, lang := range []string{"vi", "en"} {
		said = append(said, tl.Checklist(p.Assistant.Checklist, lang, Office{}))
		for _, d := range tl.Documents {
			n, _ := d.Name.In(lang)
			s, _ := d.Short.In(lang)
			said = append(said, n, s)
		}
		for _, x := range append(append([]Text{pr.Summary}, pr.Steps...), pr.Notes...) {
			s, _ := x.In(lang)
			said = append(said, s)
		}
	}
	all := strings.Join(said, "\n")
	for _, bad := range []string{"Mẫu 01", "Mẫu số 01", "Form 01", "E-form 01"} {
		if strings.Contains(all, bad) {
			t.Errorf("the package names %q", bad)
		}
	}
	if c := cardText(tl, "vi"); !strings.Contains(c, "Tờ khai điện tử (điền trên mạng)") {
		t.Errorf("card:\n%s", c)
	}
	if len(pr.Notes) != 1 || !strings.Contains(pr.Notes[0].Vi(), "Từ 01/9/2026 dùng mẫu tờ khai mới theo Nghị định 301/2026") {
		t.Errorf("notes %+v", pr.Notes)
	}
	summaryLeavesToCondition(t, pr, []string{"qua mạng"}, 1, "Chỉ nộp qua mạng")
	if s := pr.Summary.Vi(); !strings.Contains(s, "thẻ BHYT") {
		t.Errorf("summary %q", s)
	}
}

// Finding 12: the commune registers a recognition no one disputes (Luật Hộ
// tịch Điều 24–25, PROCEDURES.md §2.5), and a family doing it with the birth
// is told it also gets the birth certificate.
func TestStarterRecognitionNoDispute(t *testing.T) {
	p := starterProcedures(t)
	pr := p.Procedure("1.001022")
	var conds []string
	for _, c := range pr.Conditions {
		conds = append(conds, c.Vi())
	}
	if s := strings.Join(conds, "\n"); !strings.Contains(s, "không có tranh chấp. Có tranh chấp thì hỏi cán bộ") {
		t.Errorf("conditions:\n%s", s)
	}
	v, err := p.ResultView(pr, map[string]string{"proof": "medical", "exempt": "no", "birth": "no"}, "", "vi", Here{})
	if err != nil || v.Status != ResultOK || !strings.Contains(v.Result, "Trích lục nhận cha, mẹ, con") || !strings.Contains(v.Result, "Giấy khai sinh của bé") {
		t.Errorf("with the birth: %v %q, result %q", err, v.Status, v.Result)
	}
}

// Finding 9: a lesson that sends the resident to another lesson names one
// that exists, by its title.
func TestStarterLessonsNameRealLessons(t *testing.T) {
	p, probs := load(Starter())
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	titles := map[string]bool{}
	for _, tut := range p.Tutorials {
		titles[tut.Title.Vi()] = true
	}
	named := regexp.MustCompile(`[Hh]ọc bài "([^"]+)"`)
	seen := 0
	for _, tut := range p.Tutorials {
		for _, m := range named.FindAllStringSubmatch(lessonText(t, p, tut.ID), -1) {
			seen++
			if !titles[m[1]] {
				t.Errorf("%s sends the resident to lesson %q, which does not exist", tut.ID, m[1])
			}
		}
	}
	if seen == 0 {
		t.Error("no lesson names another: the test checks nothing")
	}
	for _, id := range []string{"dvc-find-procedure", "platform-learning"} {
		if text := lessonText(t, p, id); !strings.Contains(text, `"Tự đăng ký VNeID mức 1"`) {
			t.Errorf("%s does not send a resident with no account to the self-registration lesson", id)
		}
	}
}

// Finding 18: lessons of one module have distinct places, so the menu order
// is defined; registering VNeID comes before activating it.
func TestStarterLessonOrder(t *testing.T) {
	p, _ := load(Starter())
	seen := map[string]string{}
	order := map[string]int{}
	for _, tut := range p.Tutorials {
		k := fmt.Sprintf("%s/%d", tut.Module, tut.Order)
		if other, dup := seen[k]; dup {
			t.Errorf("lessons %s and %s share place %d in module %s", other, tut.ID, tut.Order, tut.Module)
		}
		seen[k] = tut.ID
		order[tut.ID] = tut.Order
	}
	if order["vneid-register"] >= order["vneid-activate"] {
		t.Errorf("register (%d) must come before activate (%d)", order["vneid-register"], order["vneid-activate"])
	}
}

// A late birth through the linked package is a late civil-status registration:
// the families of Luật Hộ tịch Điều 11 pay nothing, like a late birth at the
// counter (khai-sinh). Asked, the answer decides the fee; on time it is free
// and nothing is asked.
func TestStarterLinkedBirthLateExemption(t *testing.T) {
	p := starterProcedures(t)
	for _, tc := range []struct {
		answers map[string]string
		fee     string
	}{
		{map[string]string{"age": "late", "exempt": "yes", "account": "yes"}, FeeFree},
		{map[string]string{"age": "late", "exempt": "no", "account": "yes"}, FeeProvince},
		{map[string]string{"age": "on-time", "account": "yes"}, FeeFree},
	} {
		tl := tailored(t, p, "lien-thong-khai-sinh", tc.answers)
		if f := tl.MainFee(); f == nil || f.Kind != tc.fee {
			t.Errorf("%v: fee %+v, want %s", tc.answers, f, tc.fee)
		}
		if ex := tl.Exemptions(); len(ex) > 0 {
			t.Errorf("%v: lists the exemptions it asked about or that do not apply: %v", tc.answers, ex)
		}
	}
}

// The take-home list gives the whole price of a long copy, not only the
// first two pages' (a QA pass found "2.000 đ/trang (2 trang đầu)" alone).
func TestStarterChecklistGivesTheWholePrice(t *testing.T) {
	p := starterProcedures(t)
	tl := tailored(t, p, "2.000815", map[string]string{"pages": "long"})
	for lang, want := range map[string]string{
		"vi": "Lệ phí: 2.000 đ/trang (2 trang đầu). Từ trang thứ 3: 1.000 đ/trang; tối đa 200.000 đ/bản\n",
		"en": "From page 3: 1,000 đ per page; at most 200,000 đ per copy",
	} {
		if list := tl.Checklist(p.Assistant.Checklist, lang, Office{}); !strings.Contains(list, want) {
			t.Errorf("%s: the list lacks %q:\n%s", lang, want, list)
		}
	}
}
