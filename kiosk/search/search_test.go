package search

import (
	"slices"
	"strings"
	"testing"

	"tramso/kiosk/content"
)

// starterPack is the whole starter pack: procedures, lessons, life events
// and search.yaml.
func starterPack(t testing.TB) *content.Pack {
	t.Helper()
	p, err := content.Load(content.Starter())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// starterIndex is the index of the starter pack.
func starterIndex(t testing.TB) *Index {
	p := starterPack(t)
	return New(Docs(p), Qualifiers(p))
}

func TestSearchFindsTheObviousAnswer(t *testing.T) {
	ix := starterIndex(t)
	tests := []struct {
		kind, query, want string
	}{
		{"exact", "đăng ký khai sinh", "1.001193"},
		{"without diacritics", "dang ky khai sinh", "1.001193"},
		{"without diacritics", "ket hon", "1.000894"},
		{"without diacritics", "tam tru", "1.004194"},
		{"short", "khai sinh", "1.001193"},
		{"short", "khai tu", "1.000656"},
		{"upper case", "KHAI TỬ", "1.000656"},
		{"i/y variant", "đăng kí kết hôn", "1.000894"},
		{"i/y variant", "chứng thực chữ kí", "2.000884"},
		{"i/y variant", "chung thuc chu ki", "2.000884"},
		{"i/y variant", "dang ki thuong tru", "1.004222"},
		{"typo", "khai snh", "1.001193"},
		{"typo", "ket hno", "1.000894"},
		{"typo left unmended", "ket hun", "1.000894"},
		{"typo making another word", "ket hong", "1.000894"},
		{"typo", "thuong truu", "1.004222"},
		{"typo", "chung thuc ban sa0", "2.000815"},
		{"no spaces", "khaisinh", "1.001193"},
		{"alias", "nhập hộ khẩu", "1.004222"},
		{"alias", "sao y", "2.000815"},
		{"alias", "cong chung giay to", "2.000815"},
		{"alias", "giấy độc thân", "1.004873"},
		{"alias", "hôn thú", "1.000894"},
		{"alias", "giấy chứng tử", "1.000656"},
		{"alias", "xin lai giay khai sinh", "2.000635"},
		{"alias", "o tro", "1.004194"},
		{"life event", "người thân qua đời", "1.000656"},
		{"life event", "bố tôi mất", "1.000656"},
		{"life event", "đám cưới", "1.000894"},
		{"life event", "sinh con", "1.001193"},
		{"life event", "em bé", "1.001193"},
		{"code", "1.001193", "1.001193"},
		{"code", "2.000884", "2.000884"},
		{"prefix while typing", "sao y ban ch", "2.000815"},
		{"prefix while typing", "tam t", "1.004194"},
		{"tutorial", "vneid", "vneid-activate"},
		{"tutorial", "thanh toan qr", "qr-payment"},
		{"english", "marriage", "1.000894"},
		{"telex leftovers", "ddawng kys khai sinhf", "1.001193"},
		{"vni leftovers", "khai tu73", "1.000656"},
		{"joined", "dangkykhaisinh", "1.001193"},
		{"doubled letters", "thuongg truu", "1.004222"},
		{"synonym", "đám ma", "1.000656"},
		{"synonym", "kt3", "1.004194"},
		{"synonym", "bắt chồng", "1.000894"},
		{"qualifier", "khai tử quá hạn", "1.000656"},
		{"lesson name", "đăng ký vneid", "vneid-register"},
		{"lesson name", "zalo bị hack", "zalo-safe"},
	}
	for _, tc := range tests {
		t.Run(tc.kind+"/"+tc.query, func(t *testing.T) {
			res := ix.Search(tc.query, "vi")
			if len(res) == 0 {
				t.Fatalf("no results")
			}
			if res[0].ID != tc.want {
				t.Errorf("first = %s %q, want %s; all: %v", res[0].ID, res[0].Title, tc.want, res)
			}
		})
	}
}

func TestSearchResultShape(t *testing.T) {
	ix := starterIndex(t)
	res := ix.Search("khai sinh", "en")
	if r := res[0]; r.Kind != KindProcedure || r.Code != "1.001193" || r.Title != "Register a baby's birth" || r.Fallback != nil {
		t.Errorf("first = %+v", r)
	}
	// Ê Đê has no titles yet: the Vietnamese one, said to be so.
	if r := ix.Search("khai sinh", "rad")[0]; r.Title != "Làm giấy khai sinh cho bé" || !slices.Equal(r.Fallback, []string{"title"}) {
		t.Errorf("first in Ê Đê = %+v", r)
	}
	for _, r := range ix.Search("lien thong", "vi") {
		if r.ID == "lien-thong-khai-sinh" && r.Code != "" {
			t.Errorf("a linked service with no national code got code %q", r.Code)
		}
	}
	if r := ix.Search("vneid", "vi")[0]; r.Kind != KindTutorial || r.Code != "" {
		t.Errorf("tutorial result = %+v", r)
	}
	for _, q := range []string{"", "   ", "xyzzy qwv", "!!!"} {
		if res := ix.Search(q, "vi"); len(res) != 0 {
			t.Errorf("%q found %v", q, res)
		}
	}
}

func TestFold(t *testing.T) {
	tests := map[string]string{
		"Đăng ký khai sinh":   "dang ki khai sinh",
		"ĐẮK LẮK":             "dak lak",
		"Ƀuôn Ma Thuột":       "buon ma thuot",
		"Čư M'gar":            "cu m gar",
		"kí / ký":             "ki   ki",
		"Ê̆ ơ̆ (NFD breve)":   "e o  nfd breve ",
		"thường trú, tạm trú": "thuong tru  tam tru",
	}
	for in, want := range tests {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestForPackCachesPerPack(t *testing.T) {
	p1 := starterPack(t)
	p2 := starterPack(t)
	a, b := ForPack(p1), ForPack(p1)
	if a != b {
		t.Error("same pack built twice")
	}
	if ForPack(p2) == a {
		t.Error("a new pack reused the old index")
	}
	if ForPack(p1) != a {
		t.Error("the previous pack's index was dropped at once")
	}
}

func TestQueryMending(t *testing.T) {
	ix := starterIndex(t)
	tests := map[string]string{
		"ddawng kys khai sinhf": "dang ki khai sinh",
		"khai sinh2":            "khai sinh",
		"tu73":                  "tu",
		"dangkykhaisinh":        "dang ki khai sinh",
		"saoybanchinh":          "sao i ban chinh",
		"khaii sinhh":           "khai sinh",
		"khai s":                "khai s",   // still typing
		"1.001193":              "1 001193", // a code is not a slip
		"hoon":                  "hon",
		"xyzzy":                 "xizzi", // nothing to mend it into
		"vn eid":                "vneid", // a space typed inside a word
		"cai vn eid":            "cai vneid",
		"za lo an toan":         "zalo an toan",
		"ket hong":              "ket hon",           // hỏng is a word, but never beside kết in a name
		"khai sinh":             "khai sinh",         // neighbours of a name stay as typed
		"gia danh bao hiem":     "gia danh bao hiem", // beside in no name, but no name is a slip away
		"phong to chu":          "phong to chu",      // chu is three letters: one wrong makes another word
	}
	for in, want := range tests {
		words, _, _ := ix.prepare(in)
		if got := strings.Join(words, " "); got != want {
			t.Errorf("prepare(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestShortWordsStayPrecise(t *testing.T) {
	ix := starterIndex(t)
	if res := ix.Search("xyz", "vi"); len(res) != 0 {
		t.Errorf("xyz found %v: a wrong letter in three makes another word", res)
	}
	// "ông", "tôi" are no words of the pack; one letter from "công" and
	// "tuổi" they must not outweigh "qua đời".
	if res := ix.Search("ông tôi qua đời", "vi"); res[0].ID != "1.000656" {
		t.Errorf("first = %v", res[0])
	}
}

func TestQualifiersRefine(t *testing.T) {
	ix := starterIndex(t)
	rank := func(res []Result, id string) int {
		for i, r := range res {
			if r.ID == id {
				return i
			}
		}
		return maxResults // not listed
	}
	plain := rank(ix.Search("khai sinh", "vi"), "1.000656")
	for _, q := range []string{"khai sinh muộn", "khai sinh quá hạn", "khai sinh cho con", "khai sinh ở nhà"} {
		res := ix.Search(q, "vi")
		if res[0].ID != "1.001193" && res[0].ID != "lien-thong-khai-sinh" {
			t.Errorf("%q: first = %v", q, res[0])
		}
		// Death registration also has a late case; the qualifier must not
		// lift it above where "khai sinh" alone puts it.
		if r := rank(res, "1.000656"); r < plain {
			t.Errorf("%q lifted death registration to %d (khai sinh: %d): %v", q, r, plain, ids(res, 8))
		}
	}
	if res := ix.Search("muộn", "vi"); len(res) == 0 {
		t.Error("a qualifier alone found nothing; alone it is the search")
	}
}

func TestLifeEventOffered(t *testing.T) {
	ix := starterIndex(t)
	res := ix.Search("bố tôi mất", "vi")
	if len(res) < 2 || res[0].ID != "1.000656" || res[1].ID != "qua-doi" || res[1].Kind != KindLifeEvent {
		t.Errorf("want the procedure, then its life event; got %v", res)
	}
	if res[1].Title != "Người thân qua đời" || res[1].Code != "" {
		t.Errorf("life event result = %+v", res[1])
	}
	// A life event none of whose procedures is found stays where it ranks.
	res = ix.Search("chuyển nhà", "vi")
	if ids(res, 3)[1] != "chuyen-noi-o" {
		t.Errorf("chuyển nhà: %v", ids(res, 3))
	}
}

// A word only lessons are named with wins for lessons, even without
// search.yaml: the linked birth service mentions VNeID in its alias and
// summary, the VNeID lessons carry it in their names.
func TestLessonNamesWin(t *testing.T) {
	p := starterPack(t)
	p.Search = nil
	ix := New(Docs(p), nil)
	for _, id := range ids(ix.Search("vneid", "vi"), 3) {
		if !strings.HasPrefix(id, "vneid-") {
			t.Errorf("vneid: %s among the first three", id)
		}
	}
	// A query naming the procedure still finds the procedure.
	if res := ix.Search("khai sinh vneid", "vi"); res[0].ID != "lien-thong-khai-sinh" {
		t.Errorf("khai sinh vneid: first = %v", res[0])
	}
}

// A lesson is named only by a word typed as its title spells it: "ông",
// which the index knows only as a slip for "công" (Cổng Dịch vụ công), does
// not put the portal lesson before the death of "ông tôi qua đời".
func TestSlipsNameNoLesson(t *testing.T) {
	ix := starterIndex(t)
	for _, q := range []string{"ông tôi qua đời", "bà tôi mất"} {
		res := ix.Search(q, "vi")
		if len(res) == 0 || res[0].Kind == KindTutorial {
			t.Errorf("%s: first = %v", q, ids(res, 3))
		}
	}
}

// A weak hit above a strong one does not take it away: "bố tôi mất" lists
// the death registration and the life event, whatever matches the common
// words faintly in between.
func TestRelevantFiltersNotCuts(t *testing.T) {
	ix := starterIndex(t)
	if got := ids(ix.Search("bố tôi mất", "vi"), 2); !slices.Equal(got, []string{"1.000656", "qua-doi"}) {
		t.Errorf("bố tôi mất: %v", got)
	}
	type hit struct {
		m int
		s float32
	}
	got := relevant([]hit{{4, 40}, {4, 3}, {2, 20}, {1, 30}}, func(h hit) (int, float32) { return h.m, h.s })
	if !slices.Equal(got, []hit{{4, 40}, {2, 20}}) {
		t.Errorf("relevant = %v", got)
	}
}

// FuzzSearch: whatever is typed, mending it never makes an empty word and
// searching never panics.
func FuzzSearch(f *testing.F) {
	ix := starterIndex(f)
	for _, q := range []string{"ddawng kys khai sinhf", "khai sinh2", "dangkykhaisinh", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "ƀuôn ƀuôn", "一一丁", "cho con", "1.001193 x"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		words, _, _ := ix.prepare(q)
		for _, w := range words {
			if w == "" {
				t.Fatalf("prepare(%q) made an empty word: %q", q, words)
			}
		}
		ix.Search(q, "vi")
	})
}

// Tones typed are words typed: "mật khẩu" (a password) does not lead with
// "mất" (a death), which "mất" and "mat" still find; a slip of one mark
// still finds its word; "otp" finds the lesson on scams.
func TestTonesTypedCount(t *testing.T) {
	ix := starterIndex(t)
	top := func(q string, n int) []string { return ids(ix.Search(q, "vi"), n) }
	if got := top("mật khẩu", 3); slices.Contains(got, "1.000656") || slices.Contains(got, "qua-doi") {
		t.Errorf("mật khẩu → %v: a death before a password", got)
	}
	for _, q := range []string{"mất", "mat", "người thân mất"} {
		if got := top(q, 2); !slices.Contains(got, "1.000656") && !slices.Contains(got, "qua-doi") {
			t.Errorf("%s → %v: the death is not found", q, got)
		}
	}
	// Typed without marks, "mat khau" is most likely a password (the VNeID
	// lessons' steps "Đặt mật khẩu"), and the death is still offered.
	if got := top("mat khau", 4); !strings.HasPrefix(got[0], "vneid-") || !slices.Contains(got, "1.000656") {
		t.Errorf("mat khau → %v", got)
	}
	if got := top("khài sinh", 1); !slices.Equal(got, []string{"1.001193"}) {
		t.Errorf("khài sinh → %v", got)
	}
	if got := top("otp", 3); !slices.Contains(got, "scam-spotting") {
		t.Errorf("otp → %v", got)
	}
}

// What search.yaml lists as not covered (elsewhere) is answered as such,
// with no result that merely shares words with the query ("hộ" of hộ khẩu,
// "hạn" of quá hạn); what the query also names by a name the pack covers
// ("sao y", a lesson's app), or a part of such a phrase, is still found, and
// found first: the elsewhere words only order it (the QA of 2026-12-06).
func TestElsewhere(t *testing.T) {
	ix := starterIndex(t)
	for _, q := range []string{"hộ chiếu", "làm hộ chiếu ở đâu", "ho chieu", "hochieu", "banglai", "giấy phép lái xe", "bang lai xe",
		"lý lịch tư pháp", "bảo hiểm xã hội", "gia hạn hộ chiếu", "hộ chiếu bị mất", "mất giấy đăng ký xe",
		// Everyday words beside the phrase do not name a lesson: "hạng" folds
		// like "hằng" of "Dùng VNeID hằng ngày" (outside QA, 2026-12-06).
		"thi bằng lái xe hạng A1", "lương hưu hằng tháng", "làm sổ đỏ để vay ngân hàng", "tranh chấp đất đai với hàng xóm",
		"nhận con nuôi", "ly hôn", "khai báo tạm vắng", "xóa thường trú", "đăng ký nghĩa vụ quân sự"} {
		if a := ix.Find(q, "vi"); !a.Elsewhere || len(a.Results) != 0 {
			t.Errorf("%q: %+v, want elsewhere and no results", q, a)
		}
	}
	if a := ix.Find("passport", "en"); !a.Elsewhere {
		t.Errorf("passport: %+v, want elsewhere", a)
	}
	// "Chứng thực" of a land certificate: a copy or a signature, both first.
	if got := ids(ix.Search("chứng thực giấy chứng nhận quyền sử dụng đất", "vi"), 2); !slices.Contains(got, "2.000815") || !slices.Contains(got, "2.000884") {
		t.Errorf("chứng thực of a land certificate: first two %v, want 2.000815 and 2.000884", got)
	}
	found := []struct{ query, want string }{
		{"bằng lái trên vneid", "vneid-everyday"}, // a synonym of the lesson, holding "bằng lái"
		{"bảo hiểm", "lien-thong-khai-sinh"},      // part of "bảo hiểm xã hội": the under-6 health card
		{"hộ khẩu", "1.004222"},
		{"giấy tờ", "2.000815"},
		{"cccd", "2.000815"},
		{"sao y giấy phép lái xe", "2.000815"},
		{"công chứng hộ chiếu", "2.000815"},
		{"giấy phép lái xe trên vneid", "vneid-everyday"},
		{"tích hợp giấy phép lái xe vào vneid", "vneid-everyday"},
		{"lừa đảo bảo hiểm xã hội", "scam-spotting"},
		{"giả danh bảo hiểm xã hội", "scam-spotting"},
		{"trích lục khai sinh để làm hộ chiếu", "2.000635"},
	}
	for _, c := range found {
		a := ix.Find(c.query, "vi")
		if a.Elsewhere || len(a.Results) == 0 || a.Results[0].ID != c.want {
			t.Errorf("%q: %+v, want %s first", c.query, a, c.want)
		}
		for _, r := range a.Results {
			if r.Kind == KindElsewhere {
				t.Errorf("%q: an elsewhere phrase among the results: %+v", c.query, r)
			}
		}
	}
}

// A qualifier mutes no synonym: one spelt like a phrase of search.yaml's
// synonyms, marks and all, would make it count for nothing.
func TestQualifiersMuteNoSynonym(t *testing.T) {
	p := starterPack(t)
	phrases := map[string]string{}
	for _, syn := range p.Search.Synonyms {
		for _, byLang := range syn.Phrases {
			for _, ph := range byLang {
				phrases[strings.Join(toneWords(ph), " ")] = ph
			}
		}
	}
	for _, q := range Qualifiers(p) {
		if ph, ok := phrases[strings.Join(toneWords(q), " ")]; ok {
			t.Errorf("qualifier %q is the synonym %q", q, ph)
		}
	}
}

// Qualifiers are words as typed, marks and all: "để" (so that) only narrows,
// "đẻ" (give birth) is a request. Typed without marks, "de" could be either,
// since the pack says "đẻ": it is not taken as the qualifier. And a
// qualifier is never mended into another word ("xong" is not "công"). The
// pack says "bạ" only in "học bạ", so "ba" (father, in the South) is a
// qualifier unless "hoc" is beside it.
func TestQualifiersTypedWithMarks(t *testing.T) {
	ix := starterIndex(t)
	for _, c := range []struct{ query, want string }{
		{"vừa đẻ xong", "1.001193"},
		{"vua de xong", "1.001193"},
		{"khai tử để nhận lương hưu", "1.000656"},
		{"ba tôi mất", "1.000656"},
		{"ba toi mat", "1.000656"},
		{"ma tui mat", "1.000656"},
		{"cong chung hoc ba", "2.000815"},
	} {
		if got := ids(ix.Search(c.query, "vi"), 3); len(got) == 0 || got[0] != c.want {
			t.Errorf("%q: %v, want %s first", c.query, got, c.want)
		}
	}
	for q, want := range map[string]uint32{"vừa đẻ xong": 0b101, "giấy tờ để đi làm": 0b100, "khai sinh de lam gi": 0, "ba toi mat": 0b011, "cong chung hoc ba": 0} {
		if words, _, soft := ix.prepare(q); soft != want || len(words) != len(strings.Fields(q)) {
			t.Errorf("%s: %v, qualifiers %b, want %b", q, words, soft, want)
		}
	}
}

// A name typed whole outweighs words matched here and there: the recognition
// of a parent matches more of "khai tử để nhận lương hưu" word for word
// ("khai", "để", "nhận"), and the resident asked for a death registration.
// Two names typed whole find both; a slip spells no name.
func TestNamesTypedWhole(t *testing.T) {
	ix := starterIndex(t)
	first := []struct{ query, want string }{
		{"khai tử để nhận lương hưu", "1.000656"},
		{"khai tu de nhan luong huu", "1.000656"},
		{"đăng ký xe vào ví giấy tờ", "vneid-everyday"},
		{"ket hno", "1.000894"},
		{"kết hộn", "1.000894"},
		{"khai sinh thường trú bảo hiểm y tế", "lien-thong-khai-sinh"}, // its own name, word for word
		{"khai sinh và nhập khẩu cho con", "lien-thong-khai-sinh"},     // both in one
		{"khai tử và xóa thường trú", "1.000656"},                      // removal goes with the death registration
	}
	for _, c := range first {
		if got := ids(ix.Search(c.query, "vi"), 3); len(got) == 0 || got[0] != c.want {
			t.Errorf("%q: %v, want %s first", c.query, got, c.want)
		}
	}
	both := []struct {
		query string
		want  []string
	}{
		{"đăng ký kết hôn và nhập khẩu cho vợ", []string{"1.000894", "1.004222"}},
	}
	for _, c := range both {
		got := ids(ix.Search(c.query, "vi"), 3)
		for _, id := range c.want {
			if !slices.Contains(got, id) {
				t.Errorf("%q: first three %v, want %v among them", c.query, got, c.want)
			}
		}
	}
}

// A qualifier phrase names nothing, even when the pack calls an item by it:
// "gia hạn hộ chiếu ở đâu" asks where to renew a passport, not for the item
// a province gave the alias "ở đâu" (found by "gia hạn" of its summary).
func TestQualifierNamesNothing(t *testing.T) {
	docs := []Doc{
		{Kind: KindProcedure, ID: "p", Titles: map[string]string{"vi": "Hỏi đường"}, Fields: []Field{
			{Text: "Hỏi đường", Weight: WeightTitle}, {Text: "ở đâu", Weight: WeightAlias}, {Text: "hộ khẩu", Weight: WeightAlias},
			{Text: "Gia hạn giấy tờ", Weight: WeightSummary}}},
		{Kind: KindElsewhere, ID: "hộ chiếu", Fields: []Field{{Text: "hộ chiếu", Weight: WeightAlias, Aside: true}}},
	}
	ix := New(docs, []string{"ở đâu"})
	if a := ix.Find("gia hạn hộ chiếu ở đâu", "vi"); !a.Elsewhere {
		t.Errorf("gia hạn hộ chiếu ở đâu: %+v, want elsewhere", a)
	}
	if a := ix.Find("hộ khẩu ở đâu", "vi"); a.Elsewhere || len(a.Results) != 1 {
		t.Errorf("hộ khẩu ở đâu: %+v, want the item", a)
	}
}
