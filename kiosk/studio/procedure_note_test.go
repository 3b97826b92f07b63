package studio

import (
	"strings"
	"testing"

	"tramso/kiosk/content"
	"tramso/kiosk/lang"
)

// Outside QA s29, finding 5: a fee corrected to 9.000 đ kept its note "Mức
// 8.000 đồng mỗi bản…", and nothing said so; residents saw both. Now the
// change line and the form say "xem lại" when the note names exactly one
// amount in đồng and it is not the fee's, and the fee or its note changed.
// A warning only: nothing is refused.
func TestNoteNamingAnotherAmountIsDoubted(t *testing.T) {
	const why = "ghi chú ghi "
	cases := []struct {
		name   string
		slug   string
		mutate func(p *content.Procedure)
		doubt  string // the doubt expected, "" for none
	}{
		{"amount corrected, note not", "ban-sao-trich-luc", func(p *content.Procedure) {
			p.Fees[0].Amount, p.Fees[0].Note = 9000, lang.Text{"vi": "Mức 8.000 đồng mỗi bản theo Thông tư 281/2016/TT-BTC."}
		}, "ghi chú ghi 8.000 đ nhưng mức lệ phí là 9.000 đ"},
		{"a quoted name before the amount", "chung-thuc-chu-ky", func(p *content.Procedure) {
			p.Fees[0].Amount, p.Fees[0].Note = 16000, lang.Text{"vi": "“Lệ phí chứng thực chữ ký” là 15.000 đồng/trường hợp."}
		}, "ghi chú ghi 15.000 đ nhưng mức lệ phí là 16.000 đ"},
		{"written tight, đ/bản", "ban-sao-trich-luc", func(p *content.Procedure) {
			p.Fees[0].Note = lang.Text{"vi": "Thu 15000đ/bản."}
		}, "ghi chú ghi 15.000 đ nhưng mức lệ phí là 8.000 đ"},
		{"only the note changed", "chung-thuc-chu-ky", func(p *content.Procedure) {
			p.Fees[0].Note = lang.Text{"vi": "Mức 12.000 VNĐ."}
		}, "ghi chú ghi 12.000 đ nhưng mức lệ phí là 10.000 đ"},
		{"the note agrees", "ban-sao-trich-luc", func(p *content.Procedure) {
			p.Fees[0].Amount, p.Fees[0].Note = 9000, lang.Text{"vi": "Mức 9.000 đồng mỗi bản."}
		}, ""},
		{"a late fee and a page fee beside it", "ban-sao-trich-luc", func(p *content.Procedure) {
			p.Fees[0].Amount, p.Fees[0].Note = 9000, lang.Text{"vi": "Từ trang thứ ba thêm 1.000 đ/trang; nộp muộn thêm 20.000 đồng."}
		}, ""},
		{"a word after đ is not a unit", "ban-sao-trich-luc", func(p *content.Procedure) {
			p.Fees[0].Amount, p.Fees[0].Note = 9000, lang.Text{"vi": "Năm 2024 đã tăng."}
		}, ""},
		{"a fee the province sets", "chung-thuc-chu-ky", func(p *content.Procedure) {
			p.Fees[0].Kind, p.Fees[0].Amount, p.Fees[0].Note = content.FeeProvince, 0, lang.Text{"vi": "Thường là 8.000 đồng."}
		}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := procedure(t, c.slug)
			after := procedure(t, c.slug)
			c.mutate(after)
			var doubts []string
			for _, ch := range DiffProcedure(before, after) {
				if strings.Contains(ch.Doubt, why) {
					doubts = append(doubts, ch.Key+": "+ch.Doubt)
				}
			}
			var warnings []string
			for _, p := range FeeDoubts(before, after) {
				if strings.Contains(p.Message, why) {
					warnings = append(warnings, p.Field+": "+p.Message)
				}
			}
			if c.doubt == "" {
				if len(doubts) > 0 || len(warnings) > 0 {
					t.Errorf("doubted: lines %q, form %q", doubts, warnings)
				}
				return
			}
			if len(doubts) != 1 || !strings.Contains(doubts[0], c.doubt) {
				t.Errorf("change lines' doubts %q, want one with %q", doubts, c.doubt)
			}
			if len(warnings) != 1 || !strings.HasPrefix(warnings[0], "fees[1].amount: ") || !strings.Contains(warnings[0], c.doubt) {
				t.Errorf("form warnings %q, want one beside fees[1].amount with %q", warnings, c.doubt)
			}
		})
	}
}

// A mismatch already approved (the fee and its note as kiosks have them) is
// not doubted again: only the change that made it is.
func TestNoteMismatchAsApprovedIsNotDoubtedAgain(t *testing.T) {
	approved := procedure(t, "ban-sao-trich-luc")
	approved.Fees[0].Amount, approved.Fees[0].Note = 9000, lang.Text{"vi": "Mức 8.000 đồng mỗi bản."}
	after := procedure(t, "ban-sao-trich-luc")
	after.Fees[0] = approved.Fees[0]
	after.Fees[0].Note = lang.Text{"vi": "Mức 8.000 đồng mỗi bản."}
	after.Summary = lang.Text{"vi": "Tóm tắt khác."}
	for _, ch := range DiffProcedure(approved, after) {
		if strings.Contains(ch.Doubt, "ghi chú ghi") {
			t.Errorf("an approved mismatch doubted again: %s", ch.String())
		}
	}
	for _, p := range FeeDoubts(approved, after) {
		if strings.Contains(p.Message, "ghi chú ghi") {
			t.Errorf("an approved mismatch doubted again in the form: %+v", p)
		}
	}
}
