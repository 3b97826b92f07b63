package studio

import (
	"slices"
	"strings"

	"tramso/kiosk/content"
)

// compiledFacts are the facts a resident reads on the result card and the
// take-home QR, by the catalogue key their changes start with, with the word
// the reminder names them by. The card ends "Thông tin tổng hợp ngày …"
// (verified_on): after such a change, an old day there says the new fee was
// known on a day it was not (outside QA s27, finding 5).
var compiledFacts = []struct{ field, word string }{
	{"fees", "lệ phí"}, {"exemptions", "lệ phí"},
	{"documents", "giấy tờ"},
	{"time", "thời hạn"}, {"cases.time", "thời hạn"}, {"deadline", "thời hạn"},
	{"legal_basis", "căn cứ pháp lý"},
}

// CompiledReminder says, when changes alter a fee, a document, a time or the
// legal basis of a procedure but leave its verified_on as it was (on), that
// the day may need to be today; "" otherwise. A reminder, never a refusal:
// a fix of a typo needs no new compilation.
func CompiledReminder(changes []Change, on content.Date) string {
	var what []string
	for _, c := range changes {
		if c.Field == "verified_on" {
			return ""
		}
		if strings.Contains(c.Key, "@") || !IsFact(c.Field) { // a translation, an evidence label
			continue
		}
		for _, f := range compiledFacts {
			if (c.Field == f.field || strings.HasPrefix(c.Field, f.field+".")) && !slices.Contains(what, f.word) {
				what = append(what, f.word)
			}
		}
	}
	if len(what) == 0 || on.Display() == "" {
		return ""
	}
	return "Ngày tổng hợp thông tin vẫn là " + on.Display() + " dù thay đổi này sửa " + strings.Join(what, ", ") +
		": nếu đã đối chiếu lại với nguồn, hãy sửa thành ngày hôm nay (kiosk ghi “Thông tin tổng hợp ngày " + on.Display() + "”)."
}

// compiledDoubt is CompiledReminder of a form: after against the approved
// procedure (nil: a new one, whose day is its own), beside verified_on.
func compiledDoubt(approved, after *content.Procedure) []content.Problem {
	if approved == nil || approved.VerifiedOn != after.VerifiedOn {
		return nil
	}
	if why := CompiledReminder(DiffProcedure(approved, after), after.VerifiedOn); why != "" {
		return []content.Problem{{Field: "verified_on", Message: why}}
	}
	return nil
}
