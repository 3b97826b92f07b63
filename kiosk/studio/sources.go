package studio

import (
	"net/url"
	"regexp"
	"strings"

	"tramso/kiosk/content"
)

// Source is what the editor gives for a fact change: where a reviewer can
// check it — a web address or a legal document's number — and the day it was
// read there.
type Source struct {
	// Key is the Change.Key it backs, or a prefix of keys at an item's
	// boundary: "fees[late]" backs every change of that fee rule.
	Key    string       `json:"key"`
	Ref    string       `json:"ref"` // https://… or "Thông tư 85/2019/TT-BTC", "163/QĐ-BTP"
	ReadOn content.Date `json:"read_on"`
}

// Missing is a fact change that may not be approved yet, and why, in words
// for the review screen.
type Missing struct {
	Change Change `json:"change"`
	Reason string `json:"reason"`
}

// documentNumber finds a Vietnamese legal document's number: 85/2019/TT-BTC,
// 60/2014/QH13, 163/QĐ-BTP.
var documentNumber = regexp.MustCompile(`\d{1,5}/(?:\d{4}/)?\p{Lu}[\p{Lu}\d]*(?:-[\p{Lu}\d]+)*`)

// RequireSources returns, in the order of changes, every fact change that no
// valid source backs: issue 16's rule that a change to a fee, time, document
// or legal basis is approved only with a source and the date it was read.
// Wording changes never need one.
func RequireSources(changes []Change, sources []Source) []Missing {
	var out []Missing
	for _, c := range changes {
		if !c.Fact {
			continue
		}
		reason := reasons.none
		for _, s := range sources {
			if !backs(s.Key, c.Key) {
				continue
			}
			if reason = CheckSource(s); reason == "" {
				break
			}
		}
		if reason != "" {
			out = append(out, Missing{Change: c, Reason: reason})
		}
	}
	return out
}

// backs says whether a source given for key covers the change at change:
// the same key, or an item or field inside it.
func backs(key, change string) bool {
	if key == "" || !strings.HasPrefix(change, key) {
		return false
	}
	rest := change[len(key):]
	return rest == "" || rest[0] == '.' || rest[0] == '[' || rest[0] == '@'
}

// CheckSource says what is wrong with a source, in Vietnamese, or "".
func CheckSource(s Source) string {
	ref := strings.TrimSpace(s.Ref)
	switch {
	case ref == "":
		return reasons.noRef
	case !isWebAddress(ref) && !documentNumber.MatchString(ref):
		return reasons.badRef
	case s.ReadOn == "":
		return reasons.noDate
	}
	if _, ok := s.ReadOn.Time(); !ok {
		return reasons.badDate
	}
	return ""
}

func isWebAddress(ref string) bool {
	u, err := url.Parse(ref)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// reasons are why a fact change cannot be approved yet.
var reasons = struct{ none, noRef, badRef, noDate, badDate string }{
	none:    "chưa có nguồn: ghi địa chỉ trang web hoặc số văn bản, và ngày đọc",
	noRef:   "nguồn chưa ghi địa chỉ trang web hay số văn bản",
	badRef:  "nguồn phải là địa chỉ trang web (https://…) hoặc số văn bản (ví dụ 85/2019/TT-BTC)",
	noDate:  "chưa ghi ngày đọc nguồn",
	badDate: "ngày đọc nguồn phải viết năm-tháng-ngày, ví dụ 2026-12-04",
}
