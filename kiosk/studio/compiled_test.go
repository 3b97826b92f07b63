package studio

import (
	"strings"
	"testing"

	"tramso/kiosk/content"
)

// A procedure's verified_on is what the card's "Thông tin tổng hợp ngày …"
// says: a change of a fact residents read under the old day is reminded of
// it, naming what changed; wording, translations, evidence labels and a
// change that sets the day are not (outside QA s27, finding 5).
func TestCompiledReminder(t *testing.T) {
	cases := []struct {
		name string
		edit func(p *content.Procedure)
		want string // "" for no reminder
	}{
		{"a fee", func(p *content.Procedure) { p.Fees[0].Amount = 10000 }, "sửa lệ phí:"},
		{"a document removed", func(p *content.Procedure) { p.Documents = p.Documents[1:] }, "sửa giấy tờ:"},
		{"a case's document and the time", func(p *content.Procedure) {
			p.Cases[1].Documents[0].Copies = 2
			p.Time.Amount++
		}, "sửa giấy tờ, thời hạn:"},
		{"the legal basis", func(p *content.Procedure) { p.LegalBasis[0].Articles = "Điều 9" }, "sửa căn cứ pháp lý:"},
		{"a fee and the day", func(p *content.Procedure) { p.Fees[0].Amount, p.VerifiedOn = 10000, "2026-12-07" }, ""},
		{"the summary's wording", func(p *content.Procedure) { p.Summary["vi"] += "." }, ""},
		{"a document's English", func(p *content.Procedure) { p.Documents[0].Name["en"] += "." }, ""},
		{"a fee's evidence label", func(p *content.Procedure) { p.Fees[0].Evidence = "B" }, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before, after := procedure(t, "ban-sao-trich-luc"), procedure(t, "ban-sao-trich-luc")
			tc.edit(after)
			got := CompiledReminder(DiffProcedure(before, after), after.VerifiedOn)
			switch {
			case tc.want == "" && got != "":
				t.Fatalf("reminded: %s", got)
			case tc.want != "" && !strings.HasPrefix(got, "Ngày tổng hợp thông tin vẫn là 27/11/2026 dù thay đổi này "+tc.want):
				t.Fatalf("reminder %q, want it to say %q", got, tc.want)
			}
			doubts := FeeDoubts(before, after)
			if reminded := len(doubts) > 0 && doubts[len(doubts)-1].Field == "verified_on"; reminded != (tc.want != "") {
				t.Fatalf("the form's doubts %v", doubts)
			}
		})
	}
	// A new procedure's day is its own.
	if d := FeeDoubts(nil, procedure(t, "ban-sao-trich-luc")); len(d) != 0 {
		t.Fatalf("a new procedure is doubted: %v", d)
	}
}

// An item added or removed whole is named in Change.Item, as an item edited
// in place is, so that a source is asked for each by its name.
func TestWholeItemsAreNamed(t *testing.T) {
	before, after := procedure(t, "tam-tru"), procedure(t, "tam-tru")
	after.Documents = nil
	after.Fees[0].Kind, after.Fees[0].Amount = content.FeeAmount, 0
	var items []string
	for _, c := range DiffProcedure(before, after) {
		if c.Field == "documents" || strings.HasPrefix(c.Key, "fees[") {
			items = append(items, c.Item+" | "+c.String())
		}
	}
	got := strings.Join(items, "\n")
	for _, want := range []string{
		`Giấy tờ "Tờ khai thay đổi thông tin cư trú" | Giấy tờ: bỏ "Tờ khai thay đổi thông tin cư trú"`,
		`Giấy tờ "Giấy tờ chứng minh chỗ ở hợp pháp" | Giấy tờ: bỏ`,
		"→ (chưa ghi số tiền)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("changes lack %q:\n%s", want, got)
		}
	}
}
