package content

import (
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

// Outside QA s28, findings 4, 5 and 7: what the result calls its sources,
// what the take-home list leaves out, and how counts, amounts and dates read
// in each language.

func TestOfficialHost(t *testing.T) {
	for host, want := range map[string]bool{
		"dichvucong.gov.vn": true, "hue.gov.vn": true, "phucuong.daitu.thainguyen.gov.vn": true,
		"vbpl.vn": true, "congbao.chinhphu.vn": true, "datafiles.chinhphu.vn": true, "quochoi.vn": true,
		"DICHVUCONG.GOV.VN:443": true, "gov.vn": true,
		"thuvienphapluat.vn": false, "news.laodong.vn": false, "khdlaw.vn": false, "lawnet.vn": false,
		"congchung2tphcm.com.vn": false, "anninhthudo.vn": false, "hethongphapluat.com": false,
		"mygov.vn": false, "gov.vn.example.com": false, "luatvantin.com.vn": false, "": false,
	} {
		if got := OfficialHost(host); got != want {
			t.Errorf("OfficialHost(%q) = %v, want %v", host, got, want)
		}
	}
}

// "Xem căn cứ" calls a source official only when it is one: graded S and on
// a state site. Law firms, newspapers and a notary office quoting a text are
// sources read directly (they were all "Nguồn chính thức").
func TestSourcesLabelledByWhatTheyAre(t *testing.T) {
	p, here := starterProcedures(t), exampleHere(t)
	kinds := map[string]int{}
	for _, pr := range p.Procedures {
		v, ok := p.ProcedureView(pr.Code, "vi", here)
		if !ok {
			t.Fatal(pr.Code)
		}
		for _, s := range v.Sources {
			kinds[s.Kind]++
			u, err := url.Parse(s.URL)
			if err != nil {
				t.Fatal(err)
			}
			official := OfficialHost(u.Host)
			switch s.Kind {
			case SourceOfficial:
				if !official || s.Evidence != "S" {
					t.Errorf("%s: %s (%s) is labelled official", pr.Code, s.URL, s.Evidence)
				}
			case SourceDirect:
				if official || s.Evidence != "S" {
					t.Errorf("%s: %s (%s) is labelled read directly", pr.Code, s.URL, s.Evidence)
				}
			case SourceSecondary, SourceUnconfirmed:
				if s.Evidence == "S" {
					t.Errorf("%s: %s (S) is labelled %s", pr.Code, s.URL, s.Kind)
				}
			default:
				t.Errorf("%s: %s has kind %q", pr.Code, s.URL, s.Kind)
			}
		}
	}
	if kinds[SourceOfficial] == 0 || kinds[SourceDirect] == 0 || kinds[SourceSecondary] == 0 {
		t.Errorf("the starter's sources by kind: %v", kinds)
	}
	// Every kind has its label on the screen, in Vietnamese and English.
	for _, lang := range []string{"vi", "en"} {
		basis := screenCatalogue(t, lang)["basis"]
		for _, k := range []string{SourceOfficial, SourceDirect, SourceSecondary, SourceUnconfirmed} {
			if basis["source_"+k] == "" {
				t.Errorf("%s: no basis.source_%s on the screen", lang, k)
			}
		}
		if strings.Contains(strings.ToLower(basis["source_"+SourceDirect]), "chính thức") ||
			strings.Contains(strings.ToLower(basis["source_"+SourceDirect]), "official") {
			t.Errorf("%s: a page read directly is called %q", lang, basis["source_"+SourceDirect])
		}
	}
}

// No starter procedure cites a page PROCEDURES.md calls obsolete (khdlaw.vn's
// pre-2025 marriage page, §2.3), nor a bare home page in place of the page
// that says the fact (luatvantin.com.vn/); pack lint refuses the obsolete one.
func TestNoObsoleteOrHomePageSources(t *testing.T) {
	p := starterProcedures(t)
	for _, pr := range p.Procedures {
		for _, s := range pr.Sources {
			u, err := url.Parse(s.URL)
			if err != nil {
				t.Fatal(err)
			}
			if why := s.Obsolete(); why != "" {
				t.Errorf("%s: %s: %s", pr.Code, s.URL, why)
			}
			if (u.Path == "" || u.Path == "/") && u.RawQuery == "" {
				t.Errorf("%s: %s is a home page, not the page that says the fact", pr.Code, s.URL)
			}
		}
	}
	fsys := starterCopy(t)
	f := fsys["procedures/ket-hon.yaml"]
	data := strings.Replace(string(f.Data), "\nsources:\n", "\nsources:\n  - {url: \"https://www.khdlaw.vn/thu-tuc-dang-ky-ket-hon-tai-uy-ban-nhan-dan-xa-phuong/\", evidence: S}\n", 1)
	fsys["procedures/ket-hon.yaml"] = &fstest.MapFile{Data: []byte(data)}
	if !hasProblem(fsys, "procedures/ket-hon.yaml", "sources[1].url", "obsolete") {
		t.Error("lint takes khdlaw.vn's obsolete page as a source")
	}
}

// The take-home list carries what the card says beside the papers and under
// "Lưu ý", and the case as the answers made it.
func TestTakeHomeCarriesTheCardsNotes(t *testing.T) {
	p, here := starterProcedures(t), exampleHere(t)
	for _, c := range []struct {
		code    string
		answers map[string]string
		lang    string
		says    []string
	}{
		{"1.000894", map[string]string{"citizens": "yes", "conditions": "yes"}, "vi", []string{
			"- Tờ khai kết hôn: Nộp. Không cần giấy xác nhận độc thân (giấy xác nhận tình trạng hôn nhân). Cán bộ tự tra cứu.\n"}},
		{"1.000894", map[string]string{"citizens": "yes", "conditions": "yes"}, "en", []string{
			"- Marriage form: Hand in. No marital-status certificate is needed. The officer looks it up.\n"}},
		{"2.000815", map[string]string{"pages": "long"}, "vi", []string{
			"- Bản photo: Nộp. Không có bản photo thì cán bộ chụp giúp.\n",
			"Trường hợp của bạn: Giấy tờ từ 3 trang trở lên; Sao y bản chính\n"}},
		{"2.000815", map[string]string{"pages": "short"}, "en", []string{"- Photocopy: Hand in. No photocopy? The office makes one.\n"}},
		{"1.001193", map[string]string{"age": "late", "exempt": "no", "parents-late": "married", "paper": "yes"}, "vi", []string{
			"\nTrường hợp của bạn: Đã quá hạn đăng ký; Có Giấy chứng sinh\n",
			"\nThông tin tổng hợp ngày 04/12/2026. Chưa đối chiếu với Cổng DVC quốc gia và quyết định công bố của tỉnh."}},
		{"1.001193", map[string]string{"age": "late", "exempt": "no", "parents-late": "married", "paper": "yes"}, "en", []string{
			"\nYour situation: Past the deadline; With a birth notice from the health facility\n",
			"\nNote:\n- If the office cannot look up your residence, bring proof of residence.\n",
			"\nFacts compiled on 4 Dec 2026. Not yet compared with the national public-service portal"}},
		{"1.001193", map[string]string{"age": "late", "exempt": "yes", "parents-late": "married", "paper": "yes"}, "vi", []string{
			"\nTrường hợp của bạn: Đã quá hạn đăng ký; Thuộc diện được miễn lệ phí; Có Giấy chứng sinh\n"}},
	} {
		pr := p.Procedure(c.code)
		v, err := p.ResultView(pr, c.answers, "", c.lang, here)
		if err != nil || v.Status != ResultOK {
			t.Fatalf("%s %v: %v %s", c.code, c.answers, err, v.Status)
		}
		for _, want := range c.says {
			if !strings.Contains(v.Checklist, want) {
				t.Errorf("%s %v %s: the take-home list (%d bytes) lacks %q:\n%s", c.code, c.answers, c.lang, len(v.Checklist), want, v.Checklist)
			}
		}
		// The card's case line is the list's.
		if !strings.Contains(v.Checklist, ": "+v.Situation+"\n") || v.Situation == "" {
			t.Errorf("%s %s: the card's case line %q is not the list's", c.code, c.lang, v.Situation)
		}
	}
}

// Counts, amounts and dates read as each language writes them, on the card
// and in the list alike: "2 originals" (not "2 original(s)", "(2
// original)"), "2.000 đ/trang" in both, "4 Dec 2026" in English where
// 04/12/2026 reads as April.
func TestCountsAndDatesPerLanguage(t *testing.T) {
	p, here := starterProcedures(t), exampleHere(t)
	marriage := map[string]string{"citizens": "yes", "conditions": "yes"}
	for lang, c := range map[string]struct{ count, compiled, until, readOn, list string }{
		"vi": {"{n} bản chính", "04/12/2026", "01/03/2027", "04/12/2026", "- Căn cước 2 người (2 bản chính): Chỉ đưa xem\n"},
		"en": {"{n} originals", "4 Dec 2026", "1 Mar 2027", "4 Dec 2026", "- Both IDs (2 originals): Only show\n"},
	} {
		v, err := p.ResultView(p.Procedure("1.000894"), marriage, "", lang, here)
		if err != nil {
			t.Fatal(err)
		}
		if v.CompiledOn != c.compiled || v.ValidUntil != c.until {
			t.Errorf("%s: compiled %q, valid until %q; want %q, %q", lang, v.CompiledOn, v.ValidUntil, c.compiled, c.until)
		}
		read := false
		for _, s := range v.Sources {
			read = read || s.ReadOn == c.readOn
		}
		if !read {
			t.Errorf("%s: no source read on %q: %+v", lang, c.readOn, v.Sources)
		}
		if !strings.Contains(v.Checklist, c.list) {
			t.Errorf("%s: the list lacks %q:\n%s", lang, c.list, v.Checklist)
		}
		screen := screenWords(t, lang)
		if screen["originals"] != c.count {
			t.Errorf("%s: the screen writes originals as %q, want %q", lang, screen["originals"], c.count)
		}
		// A count of one copy and of several, as the screen writes them.
		if strings.Contains(screen["copies"]+screen["copies_one"], "(s)") {
			t.Errorf("%s: copies %q / %q", lang, screen["copies"], screen["copies_one"])
		}
		// The per-page fee in one form, the list's: "2.000 đ/trang".
		if screen["fee_per"] != "{amount}/{per}" {
			t.Errorf("%s: the screen writes a fee per unit as %q, the list as {amount}/{per}", lang, screen["fee_per"])
		}
		// The list's case line and notes say what the screen's do.
		w := p.Assistant.Checklist
		if w.In("case", lang)+": {name}" != screen["case"] || w.In("notes", lang) != screen["notes"] ||
			w.In("originals", lang) != strings.TrimPrefix(screen["originals"], "{n} ") {
			t.Errorf("%s: the list's case %q, notes %q, originals %q; the screen's %q, %q, %q", lang,
				w.In("case", lang), w.In("notes", lang), w.In("originals", lang), screen["case"], screen["notes"], screen["originals"])
		}
		basis := screenCatalogue(t, lang)["basis"]
		if !strings.Contains(basis["compiled"], "{date}") {
			t.Errorf("%s: basis.compiled %q has no date", lang, basis["compiled"])
		}
	}
	if got := Date("2026-12-04").In("en"); got != "4 Dec 2026" {
		t.Errorf("en: %q", got)
	}
	for _, lang := range []string{"vi", "rad", "mng", ""} {
		if got := Date("2026-12-04").In(lang); got != "04/12/2026" {
			t.Errorf("%s: %q", lang, got)
		}
	}
	if got := Date("").In("en"); got != "" {
		t.Errorf("empty date: %q", got)
	}
}

// screenCatalogue is the procedures screens' catalogue in lang, by section
// (result, basis…): the one place their words are written.
func screenCatalogue(t *testing.T, lang string) map[string]map[string]string {
	t.Helper()
	b, err := os.ReadFile("../../frontend/src/i18n/" + lang + "/procedures.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for k, v := range raw {
		var section map[string]string
		if json.Unmarshal(v, &section) == nil {
			out[k] = section
		}
	}
	return out
}
