package studio

import (
	"strconv"
	"strings"
)

// entry is how a field is named to province staff and whether a change to it
// is a fact change.
type entry struct {
	label string
	fact  bool
}

// fact and wording say which kind a catalogue entry is.
const (
	fact    = true
	wording = false
)

// catalogue names every field the studio compares, by its path in the YAML
// (list items and cases share their entries: "documents.originals" is the
// same in a case). Fact entries are what issue 16 calls facts — fee, time,
// document, legal basis, office and deadline — plus what decides them: the
// conditions to file, the ways of filing, when a fee or document rule
// applies, and the procedure's questions and answers that choose it.
// Wording, life events, lessons, media and provenance are not: a reviewer
// reads them, but no source is demanded. A field missing here shows with
// no label, which the tests refuse.
var catalogue = map[string]entry{
	// Procedure.
	"code":                  {"Mã thủ tục", fact},
	"related_codes":         {"Mã thủ tục liên quan", wording},
	"name":                  {"Tên thủ tục", wording},
	"plain_name":            {"Tên dễ hiểu", wording},
	"summary":               {"Tóm tắt", wording},
	"field":                 {"Lĩnh vực", wording},
	"level":                 {"Cấp thực hiện", fact},
	"agency":                {"Cơ quan giải quyết", fact},
	"office":                {"Nơi nộp hồ sơ", fact},
	"aliases":               {"Từ người dân hay dùng", wording},
	"conditions":            {"Điều kiện", fact},
	"documents":             {"Giấy tờ", fact},
	"documents.name":        {"tên", fact},
	"documents.short":       {"tên ngắn", wording},
	"documents.originals":   {"số bản chính", fact},
	"documents.copies":      {"số bản sao", fact},
	"documents.form":        {"mẫu tờ khai", fact},
	"documents.action":      {"nộp hay chỉ đưa xem", fact},
	"documents.replaceable": {"thay được bằng dữ liệu nhà nước đã có", fact},
	"documents.if":          {"áp dụng khi", fact},
	"documents.note":        {"lưu ý", fact},
	"cases":                 {"Trường hợp", fact},
	"cases.name":            {"tên", wording},
	"cases.code":            {"mã thủ tục riêng", fact},
	"cases.time":            {"thời hạn giải quyết", fact},
	"cases.notes":           {"lưu ý", wording},
	"fees":                  {"Lệ phí", fact},
	"fees.if":               {"áp dụng khi", fact},
	"fees.value":            {"", fact},
	"fees.note":             {"ghi chú", fact},
	"fees.basis":            {"căn cứ thu", fact},
	"fees.evidence":         {"mức chứng cứ", wording},
	"exemptions":            {"Miễn, giảm lệ phí", fact},
	"time":                  {"Thời hạn giải quyết", fact},
	"time.note":             {"ghi chú về thời hạn", fact},
	"time.evidence":         {"mức chứng cứ của thời hạn", wording},
	"deadline":              {"Hạn nộp", fact},
	"deadline.if":           {"áp dụng khi", fact},
	"deadline.text":         {"", fact},
	"steps":                 {"Các bước", wording},
	"channels":              {"Cách nộp", fact},
	"channels.note":         {"ghi chú", wording},
	"result":                {"Kết quả nhận được", wording},
	"legal_basis":           {"Căn cứ pháp lý", fact},
	"legal_basis.document":  {"văn bản", fact},
	"legal_basis.articles":  {"điều, khoản", fact},
	"decision":              {"Quyết định công bố thủ tục", fact},
	"portal_keyword":        {"Từ khóa tìm trên Cổng Dịch vụ công", wording},
	"sources":               {"Nguồn", wording},
	"sources.url":           {"địa chỉ", wording},
	"sources.evidence":      {"mức chứng cứ", wording},
	"sources.note":          {"nội dung", wording},
	"sources.read_on":       {"ngày đọc", wording},
	"verified_on":           {"Ngày tổng hợp thông tin", wording},
	"live_check":            {"Đối chiếu với Cổng Dịch vụ công quốc gia", wording},
	"valid_until":           {"Dùng được đến ngày", wording},
	"evidence":              {"Mức chứng cứ chung", wording},
	"notes":                 {"Lưu ý", wording},

	// A procedure's question flow: an answer's tags and where it leads
	// choose the fee, document and deadline rules a resident is told.
	"flow.start":           {"Câu hỏi đầu tiên", wording},
	"flow.questions":       {"Câu hỏi", fact},
	"flow.questions.text":  {"lời hỏi", wording},
	"flow.questions.help":  {"giải thích", wording},
	"flow.questions.audio": {"lời đọc", wording},
	// A copy of a question on another branch takes the answer given there.
	"flow.questions.same_as": {"giống câu hỏi", fact},
	"flow.answers":           {"câu trả lời", fact},
	"flow.answers.text":      {"lời", wording},
	"flow.answers.tags":      {"đánh dấu", fact},
	"flow.answers.target":    {"dẫn tới", fact},

	// A life event's question flow only chooses the procedure shown.
	"life.flow.start":             {"Câu hỏi đầu tiên", wording},
	"life.flow.questions":         {"Câu hỏi", wording},
	"life.flow.questions.text":    {"lời hỏi", wording},
	"life.flow.questions.help":    {"giải thích", wording},
	"life.flow.questions.audio":   {"lời đọc", wording},
	"life.flow.questions.same_as": {"giống câu hỏi", wording},
	"life.flow.answers":           {"câu trả lời", wording},
	"life.flow.answers.text":      {"lời", wording},
	"life.flow.answers.tags":      {"đánh dấu", wording},
	"life.flow.answers.target":    {"dẫn tới", wording},

	// Life events.
	"life.id":         {"Mã", wording},
	"life.title":      {"Tên", wording},
	"life.summary":    {"Tóm tắt", wording},
	"life.icon":       {"Hình", wording},
	"life.words":      {"Từ người dân hay dùng", wording},
	"life.procedures": {"Thủ tục", wording},

	// Lessons.
	"lesson.module":             {"Nhóm bài", wording},
	"lesson.order":              {"Thứ tự trong nhóm", wording},
	"lesson.minutes":            {"Số phút", wording},
	"lesson.cover":              {"Ảnh bìa", wording},
	"lesson.title":              {"Tên bài", wording},
	"lesson.description":        {"Giới thiệu", wording},
	"lesson.learnt":             {"Học xong làm được", wording},
	"lesson.sources":            {"Nguồn", wording},
	"lesson.steps":              {"Bước", wording},
	"lesson.steps.title":        {"tiêu đề", wording},
	"lesson.steps.text":         {"lời", wording},
	"lesson.steps.hint":         {"gợi ý", wording},
	"lesson.steps.illustration": {"hình", wording},
	"lesson.steps.narration":    {"lời đọc", wording},
	"lesson.steps.practice":     {"màn hình tập", wording},
	"lesson.checks":             {"Câu hỏi kiểm tra", wording},
	"lesson.checks.question":    {"lời hỏi", wording},
	"lesson.checks.answers":     {"đáp án", wording},
	"lesson.checks.hint":        {"gợi ý khi sai", wording},
	"lesson.checks.explain":     {"giải thích khi đúng", wording},

	// Fields only the studio's forms show (kiosk/studio/form): the parts of
	// a value the diff lines above name together ("fees.value" is kind and
	// amount), ids, and the files no diff covers yet (fields of lĩnh vực,
	// checklist words, course). Facts as above.
	"cases.id":                               {"mã trường hợp", wording},
	"fees.kind":                              {"loại", fact},
	"fees.amount":                            {"số tiền (đồng)", fact},
	"fees.channel":                           {"áp dụng cho cách nộp", fact},
	"fees.per":                               {"tính cho", fact},
	"time.amount":                            {"số", fact},
	"time.unit":                              {"đơn vị", fact},
	"channels.kind":                          {"cách", fact},
	"live_check.on":                          {"ngày đối chiếu", wording},
	"live_check.by":                          {"người đối chiếu (tên, cơ quan)", wording},
	"live_check.against":                     {"đã đối chiếu với", wording},
	"flow":                                   {"Câu hỏi dẫn đường", fact},
	"flow.id":                                {"Mã bộ câu hỏi", wording},
	"flow.questions.id":                      {"mã câu hỏi", wording},
	"flow.answers.id":                        {"mã câu trả lời", wording},
	"flow.answers.next":                      {"sang câu hỏi", fact},
	"flow.answers.case":                      {"dẫn tới trường hợp", fact},
	"flow.answers.procedure":                 {"chuyển sang thủ tục", fact},
	"flow.answers.ask_staff":                 {"dẫn tới: hỏi cán bộ", fact},
	"flow.answers.channel":                   {"chọn cách nộp", fact},
	"life":                                   {"Việc trong đời", wording},
	"life.flow":                              {"Câu hỏi giúp chọn thủ tục", wording},
	"life.flow.id":                           {"Mã bộ câu hỏi", wording},
	"life.flow.questions.id":                 {"mã câu hỏi", wording},
	"life.flow.answers.id":                   {"mã câu trả lời", wording},
	"life.flow.answers.next":                 {"sang câu hỏi", wording},
	"life.flow.answers.case":                 {"dẫn tới trường hợp", wording},
	"life.flow.answers.procedure":            {"chuyển sang thủ tục", wording},
	"life.flow.answers.ask_staff":            {"dẫn tới: hỏi cán bộ", wording},
	"life.flow.answers.channel":              {"chọn cách nộp", wording},
	"fields":                                 {"Lĩnh vực", wording},
	"fields.id":                              {"mã lĩnh vực", wording},
	"fields.title":                           {"tên", wording},
	"fields.icon":                            {"hình", wording},
	"checklist":                              {"Chữ trên danh sách mang về (mã QR)", wording},
	"checklist.bring":                        {"tiêu đề giấy tờ cần mang", wording},
	"checklist.hand_in":                      {"chữ “nộp”", wording},
	"checklist.show":                         {"chữ “chỉ đưa xem”", wording},
	"checklist.original":                     {"chữ “bản chính”", wording},
	"checklist.copy":                         {"chữ “bản sao”", wording},
	"checklist.fee":                          {"tiêu đề lệ phí", wording},
	"checklist.free":                         {"chữ “miễn phí”", wording},
	"checklist.ask_office":                   {"lời khi tỉnh quy định mức phí", wording},
	"checklist.office_tells":                 {"lời khi mức phí có quy định đi kèm (cán bộ báo mức phí)", wording},
	"checklist.unknown":                      {"lời khi chưa có dữ liệu lệ phí", wording},
	"checklist.time":                         {"tiêu đề thời hạn giải quyết", wording},
	"checklist.immediate":                    {"chữ “ngay khi nộp đủ”", wording},
	"checklist.same_day":                     {"chữ “trong ngày”", wording},
	"checklist.working_day":                  {"chữ “ngày làm việc”", wording},
	"checklist.day":                          {"chữ “ngày”", wording},
	"checklist.hour":                         {"chữ “giờ”", wording},
	"checklist.deadline":                     {"tiêu đề hạn nộp", wording},
	"checklist.where":                        {"tiêu đề nơi nộp", wording},
	"checklist.hours":                        {"tiêu đề giờ làm việc", wording},
	"checklist.steps":                        {"tiêu đề các bước", wording},
	"checklist.result":                       {"tiêu đề giấy tờ sẽ nhận được", wording},
	"checklist.ask_staff":                    {"chữ “hỏi cán bộ”", wording},
	"checklist.online":                       {"chữ “nộp qua mạng”", wording},
	"checklist.verified":                     {"lời trước ngày tổng hợp", wording},
	"checklist.prepare":                      {"tiêu đề giấy tờ cần chuẩn bị (thủ tục chỉ nộp qua mạng)", wording},
	"checklist.vneid":                        {"chữ “nộp trên VNeID”", wording},
	"checklist.help":                         {"tiêu đề nơi hỏi thêm (thủ tục chỉ nộp qua mạng)", wording},
	"checklist.time_unknown":                 {"lời khi chưa có dữ liệu thời hạn giải quyết", wording},
	"checklist.form":                         {"chữ “mẫu” trước số hiệu mẫu tờ khai (CT01)", wording},
	"checklist.maybe_exempt":                 {"lời nhắc khi người dân chưa rõ mình có được miễn lệ phí", wording},
	"checklist.exempt_proof":                 {"lời nhắc mang giấy tờ cho thấy được miễn lệ phí", wording},
	"checklist.day_mon":                      {"tên ngày “Thứ Hai” trong giờ làm việc", wording},
	"checklist.day_tue":                      {"tên ngày “Thứ Ba” trong giờ làm việc", wording},
	"checklist.day_wed":                      {"tên ngày “Thứ Tư” trong giờ làm việc", wording},
	"checklist.day_thu":                      {"tên ngày “Thứ Năm” trong giờ làm việc", wording},
	"checklist.day_fri":                      {"tên ngày “Thứ Sáu” trong giờ làm việc", wording},
	"checklist.day_sat":                      {"tên ngày “Thứ Bảy” trong giờ làm việc", wording},
	"checklist.day_sun":                      {"tên ngày “Chủ nhật” trong giờ làm việc", wording},
	"checklist.day_off":                      {"chữ “nghỉ” cho ngày không làm việc (“Chủ nhật: nghỉ”)", wording},
	"checklist.originals":                    {"chữ “bản chính” khi nhiều hơn một (tiếng Anh: “originals”)", wording},
	"checklist.copies":                       {"chữ “bản sao” khi nhiều hơn một (tiếng Anh: “copies”)", wording},
	"checklist.case":                         {"tiêu đề trường hợp của người dân (“Trường hợp của bạn”)", wording},
	"checklist.notes":                        {"tiêu đề lưu ý", wording},
	"checklist.unchecked":                    {"lời sau ngày tổng hợp: chưa đối chiếu với Cổng DVC quốc gia", wording},
	"checklist.tag_late":                     {"trường hợp: đã quá hạn đăng ký", wording},
	"checklist.tag_exempt":                   {"trường hợp: thuộc diện được miễn lệ phí", wording},
	"checklist.tag_exempt_unsure":            {"trường hợp: chưa rõ có được miễn lệ phí", wording},
	"checklist.tag_pages_short":              {"trường hợp: giấy tờ 1 hoặc 2 trang", wording},
	"checklist.tag_pages_long":               {"trường hợp: giấy tờ từ 3 trang trở lên", wording},
	"lesson.id":                              {"Mã bài", wording},
	"lesson.steps.practice.hint":             {"gợi ý khi chạm sai", wording},
	"lesson.steps.practice.right":            {"lời khi chạm đúng", wording},
	"lesson.steps.practice.elements":         {"thành phần màn hình", wording},
	"lesson.steps.practice.elements.kind":    {"loại", wording},
	"lesson.steps.practice.elements.text":    {"chữ", wording},
	"lesson.steps.practice.elements.label":   {"nhãn", wording},
	"lesson.steps.practice.elements.value":   {"chữ điền sẵn", wording},
	"lesson.steps.practice.elements.style":   {"kiểu", wording},
	"lesson.steps.practice.elements.correct": {"là chỗ cần chạm", wording},
	"lesson.steps.practice.elements.hint":    {"gợi ý khi chạm vào", wording},
	"lesson.checks.answers.text":             {"lời", wording},
	"lesson.checks.answers.correct":          {"là đáp án đúng", wording},
	"course.platform_url":                    {"Địa chỉ nền tảng học chính thức", wording},
	"course.modules":                         {"Nhóm bài", wording},
	"course.modules.id":                      {"mã nhóm", wording},
	"course.modules.title":                   {"tên", wording},
	"course.modules.description":             {"giới thiệu", wording},
	"course.summary_title":                   {"Tiêu đề bản tóm tắt bài đã học ({date} là ngày)", wording},
	"course.summary_footer":                  {"Lời cuối bản tóm tắt", wording},
	"course.resume_text":                     {"Lời của mã học tiếp ({code}, {lesson}, {date})", wording},
}

// prose are the texts written as sentences, by catalogue key: the studio's
// form gives them a box of several lines even while empty (a new step's
// "Lời" was a one-line box until its first save, and a pasted paragraph
// lost its line breaks: outside QA). Names, titles and headings
// ("checklist.help" is one) stay one line.
var prose = map[string]bool{
	"summary": true, "conditions": true, "exemptions": true, "notes": true,
	"documents.note": true, "cases.notes": true, "fees.note": true, "time.note": true,
	"deadline.text": true, "channels.note": true,
	"flow.questions.text": true, "flow.questions.help": true, "flow.answers.text": true,
	"life.summary": true, "life.flow.questions.text": true, "life.flow.questions.help": true, "life.flow.answers.text": true,
	"lesson.description": true, "lesson.learnt": true, "lesson.steps.text": true, "lesson.steps.hint": true,
	"lesson.steps.practice.hint": true, "lesson.steps.practice.elements.text": true, "lesson.steps.practice.elements.hint": true,
	"lesson.checks.hint": true, "lesson.checks.explain": true, "lesson.checks.answers.text": true,
	"course.modules.description": true,
}

// formLabels name, for the forms, the entries whose diff label is empty
// because the diff line names them through their parent.
var formLabels = map[string]string{
	"deadline.text": "lời báo hạn nộp",
	"fees.value":    "mức phí",
}

// words are the value words of the change lines.
var words = struct {
	add, remove, yes, no, always, when, and, sameAsProcedure, original, copy string
	askStaff, toCase, toQuestion, toProcedure, step, check, doubt, noAmount  string
	feeKinds, timeUnits, channels, actions, languages                        map[string]string
}{
	add: "thêm", remove: "bỏ", yes: "có", no: "không",
	always: "mọi trường hợp", when: "khi", and: "và",
	sameAsProcedure: "như của thủ tục", original: "bản chính", copy: "bản sao",
	askStaff: "hỏi cán bộ", toCase: "trường hợp", toQuestion: "câu hỏi", toProcedure: "thủ tục",
	step: "bước", check: "câu", doubt: "xem lại", noAmount: "(chưa ghi số tiền)",
	// The kiosk tells a resident to ask the office when the province sets
	// the fee or no one knows it: that is what a reviewer sees change.
	feeKinds:  map[string]string{"free": "miễn phí", "province": `"hỏi cán bộ" (HĐND tỉnh quy định)`, "unknown": `"hỏi cán bộ" (chưa có dữ liệu)`},
	timeUnits: map[string]string{"immediate": "ngay khi nộp đủ giấy tờ", "same_day": "trong ngày", "working_day": "ngày làm việc", "day": "ngày", "hour": "giờ", "unknown": "chưa rõ, hỏi cán bộ"},
	channels:  map[string]string{"in_person": "nộp trực tiếp", "post": "qua bưu điện", "online": "qua mạng", "vneid": "trên VNeID"},
	actions:   map[string]string{"hand_in": "nộp", "show": "chỉ đưa xem"},
	languages: map[string]string{"vi": "tiếng Việt", "en": "tiếng Anh", "rad": "tiếng Ê Đê", "mng": "tiếng M'nông"},
}

func languageName(code string) string {
	if n, ok := words.languages[code]; ok {
		return n
	}
	return code
}

// wordOr is the catalogue word for a code, or the code itself when the
// catalogue has none (lint refuses unknown codes; the diff still shows them).
func wordOr(table map[string]string, code string) string {
	if w, ok := table[code]; ok {
		return w
	}
	return code
}

// dong writes an amount of money as Vietnamese readers do: 8.000 đ.
func dong(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String() + " đ"
	}
	return b.String() + " đ"
}

func yesNo(b bool) string {
	if b {
		return words.yes
	}
	return words.no
}
