package search

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"tramso/kiosk/content"
)

// starterPack is the starter pack's procedures and life events, with two
// lessons added by hand so the test does not depend on the lesson files.
func starterPack(t testing.TB) *content.Pack {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(content.Starter(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || len(p) > 10 && p[:10] == "tutorials/" {
			return err
		}
		b, err := fs.ReadFile(content.Starter(), p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := content.Load(m)
	if err != nil {
		t.Fatal(err)
	}
	p.Tutorials = append(p.Tutorials,
		content.Tutorial{ID: "vneid-activate", Title: content.Text{"vi": "Cài và kích hoạt VNeID", "en": "Install and activate VNeID"}},
		content.Tutorial{ID: "qr-payment", Title: content.Text{"vi": "Thanh toán bằng mã QR"}, Description: content.Text{"vi": "Quét mã VietQR bằng ứng dụng ngân hàng"}},
	)
	return p
}

func TestSearchFindsTheObviousAnswer(t *testing.T) {
	ix := New(Docs(starterPack(t)))
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
	ix := New(Docs(starterPack(t)))
	res := ix.Search("khai sinh", "en")
	if r := res[0]; r.Kind != KindProcedure || r.Code != "1.001193" || r.Title != "Register a baby's birth" {
		t.Errorf("first = %+v", r)
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
