package studio

import (
	"strings"
	"testing"

	"tramso/kiosk/content"
	"tramso/kiosk/lang"
)

// TestRequireSources: on a real edit of khai-sinh (the late fee gets an
// amount, a case gains a document, the plain name is reworded), which fact
// changes a reviewer may not approve yet, for each set of sources.
func TestRequireSources(t *testing.T) {
	before, after := procedure(t, "khai-sinh"), procedure(t, "khai-sinh")
	late := lateFee(t, after)
	late.Kind, late.Amount = content.FeeAmount, 8000
	late.Note["vi"] = "Đăng ký quá hạn: 8.000 đ."
	after.Cases[0].Documents = append(after.Cases[0].Documents, content.Document{Name: lang.Text{"vi": "Căn cước của cha hoặc mẹ"}, Originals: 1, Action: content.Show})
	after.PlainName["vi"] = "Làm khai sinh cho bé"
	changes := DiffProcedure(before, after)
	const (
		fee  = "fees[late].value"
		note = "fees[late].note"
		doc  = "cases[giay-chung-sinh].documents[Căn cước của cha hoặc mẹ]"
	)
	if len(changes) != 7 || len(Facts(changes)) != 3 { // the new document's three fields are no facts of their own
		t.Fatalf("the edit gives:\n%s", Summary(changes))
	}
	web := func(key string) Source {
		return Source{Key: key, Ref: "https://thuvienphapluat.vn/van-ban/nghi-quyet-le-phi-ho-tich-dak-lak", ReadOn: "2026-12-04"}
	}
	cases := []struct {
		name    string
		sources []Source
		want    map[string]string // key → words of the reason
	}{
		{"no sources", nil, map[string]string{fee: "chưa có nguồn", note: "chưa có nguồn", doc: "chưa có nguồn"}},
		{"one for the fee value only", []Source{web(fee)}, map[string]string{note: "chưa có nguồn", doc: "chưa có nguồn"}},
		{"one for the whole fee rule, one for the case", []Source{web("fees[late]"), web("cases[giay-chung-sinh]")}, nil},
		{"a key prefix that is not an item's", []Source{web("fees[la"), web("cases[giay-chung-sinh]")},
			map[string]string{fee: "chưa có nguồn", note: "chưa có nguồn"}},
		{"a document number", []Source{{Key: "fees[late]", Ref: "Nghị quyết 12/2025/NQ-HĐND", ReadOn: "2026-12-01"}, web(doc)}, nil},
		{"words, not a reference", []Source{{Key: "fees[late]", Ref: "hỏi anh Ba ở huyện", ReadOn: "2026-12-01"}, web(doc)},
			map[string]string{fee: "số văn bản", note: "số văn bản"}},
		{"an address with no scheme", []Source{{Key: "fees[late]", Ref: "thuvienphapluat.vn/x", ReadOn: "2026-12-01"}, web(doc)},
			map[string]string{fee: "số văn bản", note: "số văn bản"}},
		{"no date", []Source{{Key: "fees[late]", Ref: "163/QĐ-BTP"}, web(doc)},
			map[string]string{fee: "ngày đọc", note: "ngày đọc"}},
		{"a date written day first", []Source{{Key: "fees[late]", Ref: "163/QĐ-BTP", ReadOn: "04/12/2026"}, web(doc)},
			map[string]string{fee: "năm-tháng-ngày", note: "năm-tháng-ngày"}},
		{"a bad source beside a good one", []Source{{Key: fee, Ref: "x"}, web("fees[late]"), web(doc)}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := RequireSources(changes, c.sources)
			if len(got) != len(c.want) {
				t.Fatalf("%d missing, want %d: %+v", len(got), len(c.want), got)
			}
			for _, m := range got {
				words, ok := c.want[m.Change.Key]
				if !ok || !strings.Contains(m.Reason, words) {
					t.Errorf("%s: %q, want %q", m.Change.Key, m.Reason, words)
				}
				if !m.Change.Fact {
					t.Errorf("%s is not a fact change", m.Change.Key)
				}
			}
		})
	}
}
