package api

import (
	"strings"
	"testing"

	"tramso/kiosk/content"
	"tramso/kiosk/qr"
)

// These tests pin the answers the content review of 2026-12 corrected
// (CONTENT-REVIEW.md, issue 14): each one asks the assistant as a resident
// would and checks the tailored result, so that an edit to the starter content
// cannot quietly bring the old, wrong answer back.

// truthCase is one resident's answers and what the result must (and must
// never) say.
type truthCase struct {
	name, code, answers string
	status              string
	fee                 string // "free", "province", "unknown" or the amount text of the in-person fee ("20.000 đ")
	has, hasNot         []string
}

// resultText is everything the result screen and the take-away checklist say,
// as one string to search.
func resultText(r content.ResultView) string {
	parts := []string{r.Checklist, r.Result}
	if r.Case != nil {
		parts = append(parts, r.Case.Name)
	}
	for _, d := range r.Documents {
		parts = append(parts, d.Name, d.Note)
	}
	if r.Fee != nil {
		parts = append(parts, r.Fee.Note)
	}
	if r.Time != nil {
		parts = append(parts, r.Time.Note)
	}
	parts = append(parts, r.Notes...)
	parts = append(parts, r.Exemptions...)
	parts = append(parts, r.Steps...)
	return strings.Join(parts, "\n")
}

func feeWord(r content.ResultView) string {
	if r.Fee == nil {
		return ""
	}
	if r.Fee.AmountText != "" {
		return r.Fee.AmountText
	}
	return r.Fee.Kind
}

// wantConditions checks that the procedure's "Cần biết trước" conditions say
// each of words.
func wantConditions(t *testing.T, code string, words ...string) {
	t.Helper()
	srv, _ := procServer(t)
	var p content.ProcedureView
	callJSON(t, srv, "GET", "/api/procedures/"+code, "", &p)
	conds := strings.Join(p.Conditions, "\n")
	for _, w := range words {
		if !strings.Contains(conds, w) {
			t.Errorf("%s: the conditions do not say %q:\n%s", code, w, conds)
		}
	}
}

func runTruth(t *testing.T, tests []truthCase) {
	t.Helper()
	srv, _ := procServer(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out content.ResultView
			if code := callJSON(t, srv, "POST", "/api/procedures/"+tc.code+"/result", `{"answers":`+tc.answers+`}`, &out); code != 200 {
				t.Fatalf("status %d", code)
			}
			want := tc.status
			if want == "" {
				want = content.ResultOK
			}
			if out.Status != want {
				t.Fatalf("status %q (next %q), want %q", out.Status, out.Next, want)
			}
			if tc.fee != "" && feeWord(out) != tc.fee {
				t.Errorf("fee %+v, want %s", out.Fee, tc.fee)
			}
			text := resultText(out)
			for _, w := range tc.has {
				if !strings.Contains(text, w) {
					t.Errorf("the result does not say %q:\n%s", w, text)
				}
			}
			for _, w := range tc.hasNot {
				if strings.Contains(text, w) {
					t.Errorf("the result says %q again:\n%s", w, text)
				}
			}
		})
	}
}

// Marriage (A3): since NĐ 07/2025 two Vietnamese citizens marrying in Vietnam
// hand in no marital-status certificate, wherever either of them lives, and
// the result is only reached once the conditions of Luật HN&GĐ Điều 8 hold.
func TestTruthMarriage(t *testing.T) {
	runTruth(t, []truthCase{
		{name: "a couple marrying", code: "1.000894", answers: `{"citizens":"yes","conditions":"yes"}`, fee: "free",
			has:    []string{"Không cần giấy xác nhận độc thân", "Tờ khai đăng ký kết hôn", "Căn cước"},
			hasNot: []string{"Giấy xác nhận tình trạng hôn nhân của", "Giấy xác nhận độc thân: nộp"}},
		{name: "under age or not free to marry", code: "1.000894", answers: `{"citizens":"yes","conditions":"no"}`, status: content.ResultAskStaff},
		{name: "a foreigner", code: "1.000894", answers: `{"citizens":"foreign"}`, status: content.ResultAskStaff},
	})
	// All four conditions of Điều 8 khoản 1, the banned marriages of Điều 5
	// khoản 2 d among them (content audit 2026-12-06, F2).
	wantConditions(t, "1.000894", "Nam từ đủ 20 tuổi, nữ từ đủ 18 tuổi", "tự nguyện", "Không ai đang có vợ hoặc có chồng",
		"Không ai bị mất năng lực hành vi dân sự", "không có họ trong phạm vi ba đời")
	srv, _ := procServer(t)
	var list content.ProcedureListView
	callJSON(t, srv, "GET", "/api/procedures", "", &list)
	for _, le := range list.LifeEvents {
		if le.ID != "ket-hon" {
			continue
		}
		if strings.Join(le.Procedures, ",") != "1.000894" || !strings.Contains(le.Summary, "Không cần giấy xác nhận độc thân") {
			t.Errorf("life event ket-hon = %+v: it must not send couples for a marital-status certificate", le)
		}
	}
}

// Residence fees (A9, A10, A11): TT 75/2022 exempts children, older people,
// people with disabilities, revolutionary-merit families, ethnic minorities in
// especially difficult communes, border communes, poor households and people
// from 16 to under 18 who have lost both parents (TT 75/2022/TT-BTC Điều 4, in
// its own words: content audit 2026-12-05, finding 6). The assistant asks,
// naming every group in the question, and an
// exempt resident is shown no fee; the result does not list the groups again
// to a person who has just answered (issue 15).
func TestTruthResidenceFees(t *testing.T) {
	groups := []string{"trẻ em dưới 16 tuổi", "người cao tuổi", "người khuyết tật", "người có công với cách mạng và thân nhân",
		"đồng bào dân tộc thiểu số ở xã đặc biệt khó khăn", "xã biên giới", "hộ nghèo", "người từ đủ 16 đến dưới 18 tuổi mồ côi cả cha lẫn mẹ"}
	srv, _ := procServer(t)
	for _, id := range []string{"thuong-tru", "tam-tru"} {
		var f content.FlowView
		callJSON(t, srv, "GET", "/api/flows/"+id, "", &f)
		help := ""
		for _, q := range f.Questions {
			if q.ID == "exempt" {
				help = q.Help
			}
		}
		for _, g := range groups {
			if !strings.Contains(help, g) {
				t.Errorf("flow %s: the exemption question does not name %q: %q", id, g, help)
			}
		}
	}
	listed := []string{"Trẻ em dưới 16 tuổi", "Người cao tuổi"}
	runTruth(t, []truthCase{
		// The exempt show proof unless the database holds it (TT 75/2022 Điều 4,
		// content audit 2026-12-06 F1); the proof of accommodation is a copy (F3).
		{name: "an exempt resident registering permanent residence", code: "1.004222", answers: `{"exempt":"yes","how":"own","papers":"yes"}`,
			fee: "free", has: []string{"Lệ phí: Miễn phí", "Giấy tờ chỗ ở hợp pháp (1 bản sao): Nộp", "Giấy tờ chứng minh được miễn lệ phí: Chỉ đưa xem"},
			hasNot: append([]string{"20.000 đ", "hỏi cán bộ công an"}, listed...)},
		{name: "a resident who is not exempt", code: "1.004222", answers: `{"exempt":"no","how":"own","papers":"yes"}`,
			fee: "20.000 đ", has: []string{"Lệ phí: 20.000 đ/lần đăng ký; Nộp qua mạng: 10.000 đ/lần đăng ký"}, hasNot: append([]string{"miễn lệ phí: Chỉ đưa xem"}, listed...)},
		{name: "an exempt resident registering temporary residence", code: "1.004194", answers: `{"who":"adult","exempt":"yes","papers":"yes"}`,
			fee: "free", has: []string{"Lệ phí: Miễn phí", "Giấy tờ chứng minh được miễn lệ phí: Chỉ đưa xem"}, hasNot: append([]string{"15.000 đ"}, listed...)},
		{name: "temporary residence, not exempt", code: "1.004194", answers: `{"who":"adult","exempt":"no","papers":"yes"}`, fee: "15.000 đ", hasNot: listed},
		// A child under 16 pays nothing, whatever the parent knows of the
		// groups (F5); the age is in the database, so no proof is asked.
		{name: "temporary residence of a child under 16", code: "1.004194", answers: `{"who":"under16","papers":"yes"}`,
			fee: "free", has: []string{"Lệ phí: Miễn phí", "Người dưới 16 tuổi được miễn lệ phí"}, hasNot: append([]string{"15.000 đ", "chứng minh được miễn lệ phí"}, listed...)},
		{name: "temporary residence at 16 or 17, not exempt", code: "1.004194", answers: `{"who":"minor","exempt":"no","papers":"yes"}`, fee: "15.000 đ", hasNot: listed},
		{name: "a baby's linked registration on time", code: "lien-thong-khai-sinh", answers: `{"age":"on-time","account":"yes"}`,
			fee: "free", has: []string{"Trẻ em được miễn lệ phí đăng ký thường trú"}, hasNot: []string{"Lệ phí thường trú cho trẻ: hỏi cán bộ"}},
	})
}

// A minor's temporary residence lists form CT01 once, with the parents'
// consent written on it (A10), not as a second form.
func TestTruthTemporaryResidenceOneForm(t *testing.T) {
	srv, _ := procServer(t)
	for _, who := range []string{"adult", "minor"} {
		var out content.ResultView
		callJSON(t, srv, "POST", "/api/procedures/1.004194/result", `{"answers":{"who":"`+who+`","exempt":"no","papers":"yes"}}`, &out)
		forms := 0
		for _, d := range out.Documents {
			if d.Form == "CT01" {
				forms++
			}
		}
		if forms != 1 {
			t.Errorf("%s: %d CT01 forms in %+v", who, forms, out.Documents)
		}
	}
}

// Permanent residence in a relative's household (A9): the case residents
// meet most. The household head and the owner consent on CT01, the family
// relationship is proved unless the database has it, and the relative's land
// certificate alone is not enough.
func TestTruthJoiningHousehold(t *testing.T) {
	runTruth(t, []truthCase{
		{name: "a child joining the parents' household", code: "1.004222", answers: `{"exempt":"yes","how":"relative"}`, fee: "free",
			has: []string{"Nhập vào hộ của người thân", "có ý kiến đồng ý của chủ hộ và chủ sở hữu chỗ ở", "Giấy tờ chứng minh quan hệ gia đình",
				"Không phải nộp nếu quan hệ gia đình đã có trong cơ sở dữ liệu", "Chỉ mang sổ đỏ của người thân là chưa đủ"},
			hasNot: []string{"Giấy tờ chứng minh chỗ ở hợp pháp"}},
		{name: "a wife joining her husband's household", code: "1.004222", answers: `{"exempt":"no","how":"relative"}`, fee: "20.000 đ",
			has: []string{"chủ hộ và chủ sở hữu chỗ ở"}},
		{name: "some other situation", code: "1.004222", answers: `{"exempt":"no","how":"other"}`, status: content.ResultAskStaff},
	})
}

// Honesty labels (D, A9, A10): the facts were compiled from stored copies of
// public pages, so the kiosk says "compiled on", never "checked", until a
// person records a check against the live national record and the province's
// decision; residence procedures rest on secondary sources (S2).
func TestTruthHonestyLabels(t *testing.T) {
	srv, live := procServer(t)
	var list content.ProcedureListView
	callJSON(t, srv, "GET", "/api/procedures", "", &list)
	for _, item := range list.Procedures {
		var p content.ProcedureView
		callJSON(t, srv, "GET", "/api/procedures/"+item.Code, "", &p)
		if p.CompiledOn == "" || p.Checked != nil {
			t.Errorf("%s: compiled %q, checked %+v: no starter fact was checked against the live record", item.Code, p.CompiledOn, p.Checked)
		}
		if (item.Code == "1.004222" || item.Code == "1.004194") && p.Evidence != "S2" {
			t.Errorf("%s: evidence %s, want S2 (code and form CT01 are secondary)", item.Code, p.Evidence)
		}
	}
	var res content.ResultView
	callJSON(t, srv, "POST", "/api/procedures/1.000894/result", `{"answers":{"citizens":"yes","conditions":"yes"}}`, &res)
	if !strings.Contains(res.Checklist, "Thông tin tổng hợp ngày "+res.CompiledOn) || strings.Contains(res.Checklist, "kiểm tra ngày") {
		t.Errorf("checklist claims a check:\n%s", res.Checklist)
	}
	cv481 := false
	for _, s := range res.Sources {
		cv481 = cv481 || strings.Contains(s.URL, "cong-van-481") && s.ReadOn == "04/12/2026"
	}
	if !cv481 {
		t.Errorf("sources %+v: the CV 481 source must say when it was read", res.Sources)
	}
	// Once someone checks, the kiosk says when, against what and who.
	pack, _ := content.Load(content.Starter())
	pack.Procedure("1.000894").LiveCheck = &content.LiveCheck{On: "2027-01-15", By: "Cán bộ Sở Tư pháp", Against: "Cổng DVCQG 1.000894"}
	live.Set(pack, content.SourcePack)
	callJSON(t, srv, "POST", "/api/procedures/1.000894/result", `{"answers":{"citizens":"yes","conditions":"yes"}}`, &res)
	if c := res.Checked; c == nil || c.On != "15/01/2027" || c.By != "Cán bộ Sở Tư pháp" || c.Against != "Cổng DVCQG 1.000894" {
		t.Errorf("checked = %+v", res.Checked)
	}
}

// Death registration (A2): where to register, who issues the death notice,
// and the linked online package families need to know about.
func TestTruthDeath(t *testing.T) {
	runTruth(t, []truthCase{
		{name: "a family registering a death on time", code: "1.000656", answers: `{"when":"on-time","notice":"yes"}`, fee: "free",
			has: []string{"nơi người mất cư trú cuối cùng", "xóa đăng ký thường trú, hưởng mai táng phí, tử tuất", "Giấy báo tử"}},
	})
	wantConditions(t, "1.000656", "Đăng ký tại xã, phường nơi người mất cư trú cuối cùng")
	srv, _ := procServer(t)
	var f content.FlowView
	callJSON(t, srv, "GET", "/api/flows/khai-tu", "", &f)
	for _, q := range f.Questions {
		if q.ID != "notice" {
			continue
		}
		if !strings.Contains(q.Help, "Mất ở bệnh viện: bệnh viện cấp Giấy báo tử") || !strings.Contains(q.Help, "công an") ||
			strings.Contains(q.Help, "nơi người mất cư trú cấp") {
			t.Errorf("death-notice help = %q", q.Help)
		}
	}
}

// Signature certification (A8): sign in front of the officer, the electronic
// căn cước counts, same-day time, and a land or paid authorisation letter is
// not certified this way.
func TestTruthSignature(t *testing.T) {
	runTruth(t, []truthCase{
		{name: "certifying a signature", code: "2.000884", answers: `{"what":"sign"}`, fee: "10.000 đ",
			has: []string{"Đừng ký sẵn: ký trước mặt cán bộ", "căn cước điện tử trên VNeID", "Ký hoặc điểm chỉ trước mặt cán bộ", "Thời gian giải quyết: Trong ngày"}},
		{name: "an authorisation letter about land", code: "2.000884", answers: `{"what":"land-proxy"}`, status: content.ResultAskStaff},
	})
	wantConditions(t, "2.000884", "Đừng ký sẵn ở nhà", "không có thù lao, không có nghĩa vụ bồi thường", "Ủy quyền về nhà đất thì hỏi cán bộ")
	srv, _ := procServer(t)
	var p content.ProcedureView
	callJSON(t, srv, "GET", "/api/procedures/2.000884", "", &p)
	if p.Time.Unit != "same_day" {
		t.Errorf("time = %+v", p.Time)
	}
}

// Birth registration (A1): done as soon as the papers are complete (Luật HT
// Điều 16); parents who have not registered their marriage and want the
// father named file the birth together with nhận cha con (1.000689), the
// father present, with proof; an adult never registered goes to staff.
func TestTruthBirth(t *testing.T) {
	runTruth(t, []truthCase{
		{name: "married parents, on time", code: "1.001193", answers: `{"age":"on-time","parents":"married","paper":"yes"}`, fee: "free",
			has: []string{"Thời gian giải quyết: Ngay khi nộp đủ giấy tờ"}, hasNot: []string{"nhận cha, mẹ, con", "Cán bộ sẽ cho biết khi nào nhận được giấy khai sinh"}},
		{name: "an unmarried couple registering a birth with the father named", code: "1.001193", answers: `{"age":"on-time","parents":"father","exempt-father":"no","paper-father":"yes"}`,
			fee: "province", has: []string{"Khai sinh đúng hạn được miễn lệ phí. Phần nhận cha con", "Giấy chứng sinh", "Tờ khai đăng ký nhận cha, mẹ, con",
				"giấy xét nghiệm ADN", "ít nhất hai người thân thích", "Căn cước (hoặc CCCD, hộ chiếu) của người cha", "Người cha phải có mặt khi đăng ký"}},
		{name: "an unmarried mother, father not named", code: "1.001193", answers: `{"age":"on-time","parents":"no-father","paper":"yes"}`, fee: "free",
			hasNot: []string{"người cha", "nhận cha"}},
		{name: "an unmarried couple, late and poor", code: "1.001193", answers: `{"age":"late","exempt":"yes","parents-late":"father","paper-father":"yes"}`, fee: "free"},
		// Resident audit 2026-12 (M3): on time, an exempt family naming the
		// father is asked, and pays nothing for the recognition either.
		{name: "an unmarried couple, on time and poor", code: "1.001193", answers: `{"age":"on-time","parents":"father","exempt-father":"yes","paper-father":"yes"}`, fee: "free",
			has: []string{"Thời gian giải quyết: 3 ngày làm việc"}, hasNot: []string{"Mức phí do tỉnh quy định"}},
		{name: "an adult never registered", code: "1.001193", answers: `{"age":"adult"}`, status: content.ResultAskStaff},
	})
	srv, _ := procServer(t)
	var out content.ResultView
	callJSON(t, srv, "POST", "/api/procedures/1.001193/result", `{"answers":{"age":"on-time","parents":"father","exempt-father":"no","paper-father":"yes"}}`, &out)
	if out.Case == nil || out.Case.Code != "1.000689" {
		t.Errorf("case %+v: the father is named under procedure 1.000689", out.Case)
	}
	wantConditions(t, "1.001193", "Cha, mẹ phải đăng ký trong 60 ngày kể từ ngày sinh. Quá hạn vẫn đăng ký được.")
	var p content.ProcedureView
	callJSON(t, srv, "GET", "/api/procedures/1.001193", "", &p)
	if p.Time.Unit != "immediate" {
		t.Errorf("time %+v", p.Time)
	}
}

// Permanent residence in a rented, lent or lodged-in home (content audit
// 2026-12-05, finding 1; Luật Cư trú Điều 20 khoản 3, Điều 21 khoản 3): the
// owner consents on CT01, the agreement is notarised or certified, and the home
// has the province's minimum floor area. An owner is told none of it. Anyone
// under 18 has a parent's or guardian's consent on the form (Điều 21).
func TestTruthRentedHome(t *testing.T) {
	tenantOnly := []string{"có ý kiến đồng ý của chủ nhà", "công chứng hoặc chứng thực", "diện tích tối thiểu"}
	minor := "Người dưới 18 tuổi: cha, mẹ hoặc người giám hộ ghi ý kiến đồng ý vào tờ khai."
	runTruth(t, []truthCase{
		{name: "a tenant", code: "1.004222", answers: `{"exempt":"no","how":"rented"}`, fee: "20.000 đ",
			has: append([]string{"Đăng ký ở nhà thuê, nhà mượn, ở nhờ", "Hỏi cán bộ Công an xã giấy nào dùng để chứng minh", minor}, tenantOnly...)},
		{name: "an owner", code: "1.004222", answers: `{"exempt":"no","how":"own","papers":"yes"}`, fee: "20.000 đ",
			has: []string{"Giấy tờ chứng minh chỗ ở hợp pháp", minor}, hasNot: tenantOnly},
	})
}

// A birth registered together with recognition of the father is filed as
// 1.000689 (content audit 2026-12-05, finding 2; PROCEDURES.md §2.1, §2.5):
// the take-home list's title, the portal link and the portal QR code all give
// that code, not 1.001193.
func TestTruthCaseCodeInPortalQR(t *testing.T) {
	srv, _ := procServer(t)
	const search = "https://dichvucong.gov.vn/tim-kiem-thu-tuc-hanh-chinh?keyword="
	for _, tc := range []struct{ name, code, answers, want string }{
		{"via birth", "1.001193", `{"age":"on-time","parents":"father","exempt-father":"no","paper-father":"yes"}`, "1.000689"},
		{"via recognition", "1.001022", `{"proof":"medical","exempt":"no","birth":"no"}`, "1.000689"},
		{"plain birth", "1.001193", `{"age":"on-time","parents":"married","paper":"yes"}`, "1.001193"},
	} {
		var out content.ResultView
		callJSON(t, srv, "POST", "/api/procedures/"+tc.code+"/result", `{"answers":`+tc.answers+`}`, &out)
		title, _, _ := strings.Cut(out.Checklist, "\n")
		if out.Status != content.ResultOK || !strings.HasSuffix(title, " ("+tc.want+")") {
			t.Errorf("%s: status %q, list title %q, want code %s", tc.name, out.Status, title, tc.want)
		}
		if out.PortalURL != search+tc.want {
			t.Errorf("%s: portal %q, want keyword %s", tc.name, out.PortalURL, tc.want)
		}
		if want, _ := qr.DataURL(search+tc.want, qr.Size); out.PortalQR == "" || out.PortalQR != want {
			t.Errorf("%s: the portal QR does not encode %s", tc.name, search+tc.want)
		}
	}
}
