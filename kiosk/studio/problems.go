package studio

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"tramso/kiosk/content"
)

// Lint problems come from kiosk/content, kiosk/flow and kiosk/pack (its
// catalogue check included) in English, for the command line (`tramso pack lint`). The studio shows them
// to province officers in Vietnamese: each message is read back against the
// format it was made from, and said again in Vietnamese with the same values.
// TestEveryLintMessageIsVietnamese fails when a new lint format has no line
// here. A YAML parser's error is said by YAMLError; any other message that
// matches nothing shows as it is.

// codeWords name the codes of the content's closed sets (a fee's kind, an
// element's kind…) in the studio's select lists and problems. The sets
// themselves come from content, where lint checks them.
var codeWords = map[string]string{
	"hand_in": "nộp", "show": "chỉ đưa xem",
	"free": "miễn phí", "amount": "một số tiền",
	"province": "tỉnh quy định (hỏi cán bộ)", "unknown": "chưa rõ (hỏi cán bộ)",
	"immediate": "ngay khi nộp đủ giấy tờ", "same_day": "trong ngày", "working_day": "ngày làm việc",
	"day": "ngày", "hour": "giờ",
	"in_person": "nộp trực tiếp", "post": "qua bưu điện", "online": "qua mạng", "vneid": "trên VNeID",
	"S": "S: nguồn chính thức", "S2": "S2: nguồn thứ cấp", "B": "B: chưa xác nhận",
	"identity": "Định danh và an toàn dữ liệu cá nhân", "public-services": "Dịch vụ công trực tuyến",
	"payment": "Thanh toán số", "phone-basics": "Dùng điện thoại hằng ngày",
	"work-business": "Kỹ năng số trong sản xuất, kinh doanh",
	"status":        "thanh trạng thái", "title": "tiêu đề", "text": "chữ", "input": "ô nhập", "button": "nút",
	"item": "mục trong danh sách", "bubble": "tin nhắn", "link": "đường link",
	"big": "chữ to", "warn": "cảnh báo", "muted": "chữ nhạt", "primary": "nút chính", "danger": "nút nguy hiểm",
	"in": "tin nhắn đến", "out": "tin nhắn đi", "back": "có nút quay lại",
}

// CodeWord names a code of a closed set in words ("amount" → "một số tiền").
func CodeWord(code string) (string, bool) {
	w, ok := codeWords[code]
	return w, ok
}

// termWords name the English nouns some lint messages put in as values.
var termWords = map[string]string{
	"procedure code": "mã thủ tục", "lesson id": "mã bài học", "life event id": "mã sự kiện cuộc sống",
	// the kinds of media file (kiosk/content/media.go)
	"SVG drawing": "hình vẽ SVG", "PNG picture": "ảnh PNG", "WebP picture": "ảnh WebP", "JPEG picture": "ảnh JPEG",
	"Ogg sound": "âm thanh Ogg", "MP3 sound": "âm thanh MP3",
}

// problemWhere are the places a message may start with, outermost first:
// `lesson qr-payment: step 3: practice: element 2 (button): …`.
var problemWhere = []struct {
	re *regexp.Regexp
	vi string
}{
	{regexp.MustCompile(`^lesson ([^:]*): `), "bài %s: "},
	{regexp.MustCompile(`^lesson: `), "bài học: "},
	{regexp.MustCompile(`^flow ("[^"]*"): `), "sơ đồ câu hỏi %s: "},
	{regexp.MustCompile(`^step (\d+): `), "bước %s: "},
	{regexp.MustCompile(`^check question (\d+): `), "câu hỏi kiểm tra %s: "},
	{regexp.MustCompile(`^practice: `), "màn hình thực hành: "},
	{regexp.MustCompile(`^element (\d+) \(([a-z]+)\): `), "thành phần %s (%s): "},
}

// problemFormats pair each lint format (as kiosk/content, kiosk/flow and
// kiosk/pack write it, verbs and all) with its Vietnamese. The Vietnamese
// takes the values as strings, in order, or by index (%[2]s).
var problemFormats = [][2]string{
	// pack.yaml and files
	{"schema %d is not supported (this kiosk reads schema %d)", "kiosk chưa đọc được cấu trúc phiên bản %s (kiosk này đọc phiên bản %s)"},
	{"must be 1 or more", "phải từ 1 trở lên"},
	{"is not a regular file (a link or device); a pack holds only plain files", "không phải tệp thường (là liên kết hoặc thiết bị); gói nội dung chỉ chứa tệp thường"},
	{"is %d bytes; a file may be at most %d (50 MiB)", "nặng %s byte; mỗi tệp nặng tối đa %s byte (50 MiB)"},
	{"%d files; a pack may hold at most %d", "có %s tệp; một gói chứa tối đa %s tệp"},
	{"files add up to %d bytes; a pack may be at most %d (500 MiB)", "các tệp cộng lại nặng %s byte; một gói nặng tối đa %s byte (500 MiB)"},
	{"is required", "không được để trống"},
	{"Vietnamese text (vi) is required", "cần có lời tiếng Việt"},
	{"has translations but no Vietnamese text (vi), which every language falls back to", "có bản dịch nhưng chưa có lời tiếng Việt, lời mà mọi ngôn ngữ dùng khi thiếu"},
	{"language %q is not one of %v", "ngôn ngữ %s không thuộc các ngôn ngữ %s"},

	// i18n/ catalogues (kiosk/pack/catalogue.go)
	{"a shell catalogue goes in i18n/<language>/<namespace>.json", "tệp lời màn hình phải nằm ở i18n/<ngôn ngữ>/<tên>.json"},
	{"language %q: a pack carries catalogues of %s other than vi (the kiosk's own)",
		"ngôn ngữ %s: gói chỉ mang lời màn hình của các ngôn ngữ %s, trừ tiếng Việt (kiosk đã có sẵn)"},
	{"not a JSON object: %v", "không phải một đối tượng JSON: %s"},
	{"%s%s: a catalogue holds only texts and groups of texts", "%s%s: tệp lời màn hình chỉ chứa lời và nhóm lời"},

	// any YAML file (content.decodeYAML)
	{"file is missing", "thiếu tệp này"},
	{"not valid: %s", "viết chưa đúng cách (YAML): %s"},

	// life-events.yaml, course.yaml, search.yaml
	{"file is missing; it names the fields, life events and checklist words", "thiếu tệp này; tệp ghi các lĩnh vực, sự kiện cuộc sống và chữ của danh sách giấy tờ"},
	{"file is missing; it names the lesson modules", "thiếu tệp này; tệp ghi các chủ đề bài học"},
	{"missing or repeated id %q", "thiếu mã, hoặc mã %s bị trùng"},
	{"unknown checklist word (known: %v)", "chữ này không có trong danh sách giấy tờ (các chữ có: %s)"},
	{"%q is not a media path to an .svg or .png", "%s không phải đường dẫn tới hình .svg hoặc .png"},
	{"media/%s does not exist", "không có tệp media/%s"},
	{"a life event needs at least one procedure", "một sự kiện cuộc sống cần ít nhất một thủ tục"},
	{"procedure %q is not in the pack", "thủ tục %s không có trong nội dung"},
	{"module %q is named twice", "chủ đề %s được ghi hai lần"},
	{"must be an https:// address, not %q", "phải là địa chỉ https://, không phải %s"},
	{"must contain {code}", "phải có {code}"},
	{"no phrases: list what residents type, by language (vi: [...])", "chưa có cụm từ nào: ghi những chữ người dân gõ, theo từng ngôn ngữ"},
	{"points at nothing: add procedures, tutorials or life_events", "chưa dẫn tới đâu: thêm thủ tục, bài học hoặc sự kiện cuộc sống"},
	{"empty phrase: write the words residents type", "cụm từ trống: ghi những chữ người dân gõ"},
	{"%q is already listed at %s; list a phrase once", "%s đã có ở %s; mỗi cụm từ chỉ ghi một lần"},
	{"unknown %s %q", "không có %s %s"},

	// procedures
	{"%q is not one of %q", "%s không phải một trong các giá trị %s"},
	{"code %q is used by another procedure", "mã %s đã dùng cho một thủ tục khác"},
	{"flow id %q is already used in %s", "mã sơ đồ câu hỏi %s đã dùng trong %s"},
	{"%q is not a national procedure code like 1.001193 (or, for a linked service with no code, a slug like lien-thong-khai-sinh)",
		"%s không phải mã thủ tục quốc gia dạng 1.001193 (dịch vụ liên thông không có mã thì ghi chữ không dấu nối bằng gạch ngang, như lien-thong-khai-sinh)"},
	{"%q is not a procedure code", "%s không phải mã thủ tục"},
	{"field %q is not listed in %s", "lĩnh vực %s chưa có trong %s"},
	{"at least one step is required", "cần ít nhất một bước"},
	{"only pictures and sounds go in media/ (%s)", "thư mục media/ chỉ chứa hình và âm thanh (%s)"},
	// A refused upload says how to make a file that fits (outside QA s27).
	{"is %s, more than the %s allowed for one %s", "nặng %[1]s, quá lớn cho một %[3]s: tối đa %[2]s. Hãy làm tệp nhỏ lại rồi tải lên lại: " +
		"ảnh thì lưu lại ở cỡ nhỏ hơn (rộng khoảng 1200 điểm ảnh là đủ cho màn hình kiosk), âm thanh thì cắt bớt phần lặng hoặc xuất lại ở chất lượng thấp hơn"},
	{"holds no %s, whatever its name says", "không phải %[1]s như đuôi tệp nói: có thể tệp chỉ bị đổi tên. Hãy mở tệp gốc bằng chương trình xem ảnh " +
		"hoặc nghe nhạc, lưu (xuất) lại đúng dạng %[1]s, rồi tải lên lại"},
	{"is not an SVG drawing", "không phải hình vẽ SVG"},
	{"originals and copies must be 0..20", "số bản chính và bản sao phải từ 0 đến 20"},
	{"tag %q is never set by the flow, so this can never apply", "không câu trả lời nào trong sơ đồ câu hỏi đặt điều kiện %s, nên mục này không bao giờ được dùng"},
	{"tags %q and %q are set by different answers to one question, so this can never apply", "điều kiện %s và %s là hai câu trả lời khác nhau của cùng một câu hỏi, người dân chỉ chọn được một, nên mục này không bao giờ được dùng"},
	{"at least one case is required", "cần ít nhất một trường hợp"},
	{"no document is listed: residents would get an empty list of papers to bring; add at least one",
		"Thủ tục này chưa có giấy tờ nào: người dân sẽ thấy danh sách trống. Hãy thêm ít nhất một giấy tờ."},
	{"case %q: no document applies after the answers %q: residents would get an empty list of papers to bring; add at least one",
		"Trường hợp %s chưa có giấy tờ nào khi người dân trả lời %s: người dân sẽ thấy danh sách trống. Hãy thêm ít nhất một giấy tờ cho trường hợp này (hoặc cho cả thủ tục)."},
	{"missing or repeated case id %q", "thiếu mã trường hợp, hoặc mã %s bị trùng"},
	{"case %q is never reached by the flow", "không câu trả lời nào dẫn tới trường hợp %s"},
	{"at least one fee rule is required (kind: unknown says there is no data)", "cần ít nhất một mức lệ phí (chưa có dữ liệu thì chọn loại “chưa rõ (hỏi cán bộ)”)"},
	{"an amount in đồng is required for kind amount", "loại “một số tiền” cần ghi số tiền (đồng)"},
	{"only kind amount carries an amount (kind %q)", "chỉ loại “một số tiền” mới ghi số tiền (loại đang chọn: %s)"},
	{"an amount needs its evidence label (S, S2 or B)", "số tiền cần ghi mức tin cậy của nguồn (S, S2 hoặc B)"},
	{"unit %q needs an amount", "đơn vị %s cần ghi số"},
	{"a processing time needs its evidence label (S, S2 or B)", "thời gian giải quyết cần ghi mức tin cậy của nguồn (S, S2 hoặc B)"},
	{"unit %q takes no amount", "đơn vị %s không ghi số"},
	{"at least one channel is required", "cần ít nhất một cách nộp"},
	{"channel %q is listed twice", "cách nộp %s được ghi hai lần"},
	{"the note repeats the way of filing (%q), which the screen already names before it; say only what is added",
		"ghi chú lặp lại cách nộp (%s) mà màn hình đã ghi ngay trước; chỉ ghi điều nói thêm"},
	{"only an answer that hands over to a procedure chooses a way of filing", "chỉ câu trả lời chuyển sang một thủ tục mới chọn cách nộp"},
	{"procedure %s is not filed %q", "thủ tục %s không nộp theo cách %s"},
	{"at least one legal document is required", "cần ít nhất một văn bản pháp lý"},
	{"at least one source is required", "cần ít nhất một nguồn"},
	{"%q is not a web address", "%s không phải địa chỉ trang web"},
	{"%q is not a date like %s", "%s không phải ngày tháng dạng %s"},
	{"%s is not after verified_on %s", "%s phải sau ngày kiểm tra thông tin %s"},
	{"%s is before verified_on, the day the facts were compiled", "%s trước ngày kiểm tra thông tin (ngày tổng hợp các dữ kiện)"},
	{"say who checked (name and office)", "ghi người đã kiểm tra (họ tên và cơ quan)"},
	{"say what was compared (the portal record, the province's decision)", "ghi đã đối chiếu với gì (bản ghi trên Cổng Dịch vụ công, quyết định của tỉnh)"},

	// lessons
	{"id %q is already used by %s", "mã %s đã dùng cho %s"},
	{"%d lessons, more than the %d a resume code can address", "có %s bài học, nhiều hơn %s bài mà mã học tiếp ghi được"},
	{"id %q must be 2-40 lower-case letters, digits or dashes", "mã %s phải gồm 2–40 chữ thường không dấu, chữ số hoặc dấu gạch ngang"},
	{"module is required (one of %s)", "cần chọn chủ đề (một trong %s)"},
	{"unknown module %q (one of %s)", "không có chủ đề %s (một trong %s)"},
	{"module %q has no name in %s", "chủ đề %s chưa có tên trong %s"},
	{"estimated minutes must be 1 to %d, not %d", "số phút ước tính phải từ 1 đến %s, không phải %s"},
	{"has no steps; a lesson needs at least one", "chưa có bước nào; bài học cần ít nhất một bước"},
	{"has %d steps, more than %d", "có %s bước, nhiều hơn %s"},
	{"text is required", "cần có lời"},
	{"hint is required (shown when the learner asks for help)", "cần có gợi ý (hiện khi người học chạm “Gợi ý”)"},
	{"needs an illustration or a practice screen", "cần một hình minh hoạ hoặc một màn hình thực hành"},
	{"has both an illustration and a practice screen; keep one", "có cả hình minh hoạ lẫn màn hình thực hành; chỉ giữ một"},
	{"narration language %q is not one of %v", "ngôn ngữ đọc %s không thuộc các ngôn ngữ %s"},
	{"%s text is %d characters; keep it to at most %d (one action, short sentences)", "lời (%s) dài %s ký tự; hãy giữ tối đa %s (mỗi bước một việc, câu ngắn)"},
	{"%s sentence has %d words, more than %d: %q", "một câu (%s) có %s chữ, nhiều hơn %s: %s"},
	{"%s text is %d characters; keep it to at most %d", "lời (%s) dài %s ký tự; hãy giữ tối đa %s"},
	{"is %d characters; keep it to at most %d", "dài %s ký tự; hãy giữ tối đa %s"},
	{"question is required", "cần có câu hỏi"},
	{"needs at least 2 answers, has %d", "cần ít nhất 2 câu trả lời, mới có %s"},
	{"has no correct answer; mark one with correct: true", "chưa có câu trả lời đúng; đánh dấu một câu là đúng"},
	{"media file is required", "cần có tệp hình hoặc âm thanh"},
	{"media path %q must be relative to media/ (like tutorials/x/1.svg)", "đường dẫn %s phải tính từ thư mục media/ (như tutorials/x/1.svg)"},
	{"media file %q must be one of %s", "tệp %s phải là một trong các loại %s"},
	{"media file %s is missing", "không có tệp %s"},
	{"media file %s: %s", "tệp %s: %s"},
	{"contains %q; illustrations may not script or load anything", "có %s: hình minh hoạ không được có mã chạy hay tải gì từ nơi khác"},
	{"has no elements", "chưa có thành phần nào"},
	{"has %d elements; a phone screen shows at most %d", "có %s thành phần; màn hình điện thoại chỉ hiện tối đa %s"},
	{"unknown kind; use one of %s", "loại không hợp lệ; chọn một trong %s"},
	{"style %q is not one of %v", "kiểu %s không thuộc các kiểu %s"},
	{"an input needs a label", "ô nhập cần có nhãn"},
	{"a %s cannot be tapped, so it cannot be the correct target", "%s không chạm vào được, nên không thể là chỗ chạm đúng"},
	{"has no correct target; mark the control to tap with correct: true", "chưa có chỗ chạm đúng; đánh dấu thành phần cần chạm là đúng"},

	// flows
	{"flow has no id", "sơ đồ câu hỏi chưa có mã"},
	{"flow has no questions", "sơ đồ câu hỏi chưa có câu hỏi nào"},
	{"no start question", "chưa chọn câu hỏi bắt đầu"},
	{"start question %q does not exist", "không có câu hỏi bắt đầu %s"},
	{"question %d has no id", "câu hỏi %s chưa có mã"},
	{"question %q is defined twice", "câu hỏi %s được ghi hai lần"},
	{"question %q has no Vietnamese text", "câu hỏi %s chưa có lời tiếng Việt"},
	{"question %q is a dead end: it has no answers", "câu hỏi %s là ngõ cụt: chưa có câu trả lời nào"},
	{"answer %d of question %q has no id", "câu trả lời %s của câu hỏi %s chưa có mã"},
	{"question %q has answer %q twice", "câu hỏi %s có câu trả lời %s hai lần"},
	{"answer %q of question %q has no Vietnamese text", "câu trả lời %s của câu hỏi %s chưa có lời tiếng Việt"},
	{"answer %q of question %q leads nowhere: set next, case, procedure or ask_staff",
		"câu trả lời %s của câu hỏi %s chưa dẫn tới đâu: chọn câu hỏi tiếp theo, một trường hợp, một thủ tục hoặc “hỏi cán bộ”"},
	{"answer %q of question %q leads to %d places; set only one of next, case, procedure, ask_staff",
		"câu trả lời %s của câu hỏi %s dẫn tới %s nơi; chỉ chọn một: câu hỏi tiếp theo, một trường hợp, một thủ tục hoặc “hỏi cán bộ”"},
	{"answer %q of question %q leads nowhere: question %q does not exist", "câu trả lời %s của câu hỏi %s dẫn tới câu hỏi %s, nhưng không có câu hỏi này"},
	{"answer %q of question %q leads nowhere: case %q does not exist", "câu trả lời %s của câu hỏi %s dẫn tới trường hợp %s, nhưng không có trường hợp này"},
	{"answer %q of question %q leads nowhere: procedure %q does not exist", "câu trả lời %s của câu hỏi %s dẫn tới thủ tục %s, nhưng không có thủ tục này"},
	{"question %q is the same as itself", "câu hỏi %s ghi “giống câu hỏi” là chính nó"},
	{"question %q is the same as %q, which does not exist", "câu hỏi %s ghi giống câu hỏi %s, nhưng không có câu hỏi này"},
	{"question %q is the same as %q, but their answers differ (%v, %v)", "câu hỏi %s ghi giống câu hỏi %s, nhưng hai câu có câu trả lời khác nhau (%s; %s)"},
	{"question %q is unreachable: no answer leads to it from the start %q", "không đi tới được câu hỏi %s: từ câu hỏi bắt đầu %s, không câu trả lời nào dẫn tới nó"},
	{"answer %q of question %q makes a cycle: %s", "câu trả lời %s của câu hỏi %s tạo thành vòng lặp: %s"},
}

// problemUnset say a format again for when its first value is empty: a
// closed set with nothing chosen yet (a document just added, whose "nộp hay
// chỉ đưa xem" was never picked) is a choice to make, not a wrong value.
var problemUnset = map[string]string{
	"%q is not one of %q": "chưa chọn; hãy chọn một trong %[2]s",
}

// problemRepeats say a format many times over (Collapse), the count first:
// %[1]s is the count, the message's values follow from %[2]s.
var problemRepeats = map[string]string{
	"%s sentence has %d words, more than %d: %q": "%[1]s câu (%[2]s) dài hơn %[4]s chữ, ví dụ: %[5]s (%[3]s chữ)",
}

type problemRule struct {
	re   *regexp.Regexp
	en   string // the format
	vi   string
	many string // problemRepeats', or ""
	// unset is problemUnset's, or "": said when the first value is "".
	unset string
}

// problemRules are problemFormats as patterns, the longest format first so
// that "media file %s is missing" wins over "media file %s: %s".
var problemRules = compileProblemRules(problemFormats)

var verb = regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z]`)

func compileProblemRules(formats [][2]string) []problemRule {
	sorted := slices.Clone(formats)
	slices.SortStableFunc(sorted, func(a, b [2]string) int { return len(b[0]) - len(a[0]) })
	rules := make([]problemRule, len(sorted))
	for i, f := range sorted {
		parts := verb.Split(f[0], -1)
		verbs := verb.FindAllString(f[0], -1)
		var re strings.Builder
		re.WriteString("^")
		for j, p := range parts {
			re.WriteString(regexp.QuoteMeta(p))
			if j < len(verbs) {
				re.WriteString(valuePattern(verbs[j]))
			}
		}
		rules[i] = problemRule{re: regexp.MustCompile(re.String() + "$"), en: f[0], vi: f[1], many: problemRepeats[f[0]], unset: problemUnset[f[0]]}
	}
	return rules
}

// quoted is a string as %q prints it.
const quoted = `"(?:[^"\\]|\\.)*"`

// valuePattern matches what a verb printed: for %q a quoted string (which
// may hold spaces and colons) or a list of them (%q of a []string prints
// ["hand_in" "show"]), digits for %d, anything for the rest.
func valuePattern(verb string) string {
	switch verb[len(verb)-1] {
	case 'q':
		return `(` + quoted + `|\[(?:` + quoted + `(?: ` + quoted + `)*)?\])`
	case 'd':
		return `(-?[0-9]+)`
	}
	return `(.+?)`
}

// ProblemText says a lint message in Vietnamese: its places, then the
// message. It returns msg as it is when no format matches.
func ProblemText(msg string) string {
	if m := repeated.FindStringSubmatch(msg); m != nil {
		return repeatedText(m[1], m[2])
	}
	where, rest := places(msg)
	if r, values := ruleFor(rest); r != nil {
		vi := r.vi
		if r.unset != "" && values[0] == `""` {
			vi = r.unset
		}
		return UpperFirst(where + fmt.Sprintf(vi, values...))
	}
	if strings.HasPrefix(rest, "yaml: ") {
		return ProblemText(msg[:len(msg)-len(rest)] + "not valid: " + rest)
	}
	return msg
}

// repeated is a problem Collapse stands for several with: "40 times: …".
var repeated = regexp.MustCompile(`^([0-9]+) times: (.*)$`)

// repeatedText says count problems like msg: in the rule's own words for
// many (problemRepeats), else as a count before msg said once.
func repeatedText(count, msg string) string {
	where, rest := places(msg)
	r, values := ruleFor(rest)
	switch {
	case r == nil:
		return count + " lần: " + msg
	case r.many != "":
		return UpperFirst(where + fmt.Sprintf(r.many, append([]any{count}, values...)...))
	}
	return UpperFirst(where + count + " lần: " + fmt.Sprintf(r.vi, values...))
}

// places says in Vietnamese the places msg starts with, and returns the
// rest of it.
func places(msg string) (string, string) {
	var where strings.Builder
	rest := msg
	for moved := true; moved; {
		moved = false
		for _, w := range problemWhere {
			if m := w.re.FindStringSubmatch(rest); m != nil {
				where.WriteString(fmt.Sprintf(w.vi, terms(m[1:])...))
				rest, moved = rest[len(m[0]):], true
				break
			}
		}
	}
	return where.String(), rest
}

// ruleFor finds the format msg (without its places) was made by, and the
// values it was given, said in words.
func ruleFor(msg string) (*problemRule, []any) {
	for i, r := range problemRules {
		if m := r.re.FindStringSubmatch(msg); m != nil {
			return &problemRules[i], terms(m[1:])
		}
	}
	return nil, nil
}

// Collapse folds the problems that repeat one lint rule in one field into
// the first of them, with their count ("40 times: …", which ProblemText
// says): a long paste gave one "sentence has 23 words" line per sentence,
// forty lines that say one thing.
func Collapse(probs content.Problems) content.Problems {
	type key struct{ file, field, rule string }
	var out content.Problems
	first := map[key]int{}
	count := map[int]int{}
	for _, p := range probs {
		rule := p.Message
		_, rest := places(p.Message)
		if r, _ := ruleFor(rest); r != nil {
			rule = p.Message[:len(p.Message)-len(rest)] + r.en // the same places, the same rule
		}
		k := key{p.File, p.Field, rule}
		if i, seen := first[k]; seen {
			count[i]++
			continue
		}
		first[k] = len(out)
		count[len(out)] = 1
		out = append(out, p)
	}
	for i, n := range count {
		if n > 1 {
			out[i].Message = fmt.Sprintf("%d times: %s", n, out[i].Message)
		}
	}
	return out
}

// terms are a message's values, an English noun or code said in words.
func terms(values []string) []any {
	out := make([]any, len(values))
	for i, v := range values {
		if w, ok := termWords[v]; ok {
			v = w
		} else if w, ok := words.languages[v]; ok { // "vi text is…": lời (tiếng Việt)
			v = w
		} else if w, ok := codeWords[v]; ok {
			v = w
		} else if u, err := strconv.Unquote(v); err == nil && codeWords[u] != "" {
			v = "“" + codeWords[u] + "”" // a %q code: unit "working_day" → đơn vị “ngày làm việc”
		} else if strings.HasPrefix(v, "yaml: ") {
			v = YAMLError(v) // not valid: yaml: line 1: … → dòng 2 (…): …
		} else if list, ok := quotedList(v); ok {
			v = strings.Join(list, ", ") // ["hand_in" "show"] → “nộp”, “chỉ đưa xem”
		}
		out[i] = v
	}
	return out
}

var quotedValue = regexp.MustCompile(quoted)

// quotedList reads a list as %q prints a []string, each code said in words
// between quotes.
func quotedList(v string) ([]string, bool) {
	inner, open := strings.CutPrefix(v, "[")
	inner, closed := strings.CutSuffix(inner, "]")
	quoted := quotedValue.FindAllString(inner, -1)
	// Only a list of quoted values, as %q prints it: %v's "[vi en]" is
	// said as it is, not emptied.
	if !open || !closed || strings.Join(quoted, " ") != inner {
		return nil, false
	}
	var out []string
	for _, q := range quoted {
		u, err := strconv.Unquote(q)
		if err != nil {
			return nil, false
		}
		if w, ok := codeWords[u]; ok {
			u = w
		}
		out = append(out, "“"+u+"”")
	}
	return out, true
}

// UpperFirst capitalises the first letter of s.
func UpperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
