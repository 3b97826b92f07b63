package hub

// The kiosk's screens as staff call them, for the recording page: its
// catalogues are grouped by file and first key ("closed · closing"),
// which nobody at the commune reads (outside QA s27, finding 14). A key
// not in these tables is shown as it is.

// screenFiles names each shell catalogue (i18n/<lang>/<file>.json).
var screenFiles = map[string]string{
	"closed":     "Màn hình ngoài giờ",
	"procedures": "Hỏi thủ tục",
	"shell":      "Khung chung của kiosk",
	"tutorials":  "Học kỹ năng số",
	"usage":      "Số liệu sử dụng (bảng cán bộ)",
}

// screenParts names the parts of a catalogue, by file and first key.
var screenParts = map[string]map[string]string{
	"closed": {
		"closing": "báo sắp hết giờ",
		"days":    "tên các ngày trong tuần",
	},
	"procedures": {
		"basis":    "căn cứ pháp lý và ngày đối chiếu",
		"entry":    "chọn cách tìm thủ tục",
		"intro":    "giới thiệu một thủ tục",
		"list":     "danh sách thủ tục",
		"question": "câu hỏi của thủ tục",
		"result":   "kết quả: giấy tờ cần mang",
		"review":   "xem lại các câu trả lời",
		"search":   "tìm thủ tục",
		"staff":    "nhờ cán bộ giúp",
	},
	"shell": {
		"attract":     "màn hình chờ",
		"audio":       "nút nghe đọc",
		"bar":         "thanh nút cuối màn hình",
		"call":        "gọi cán bộ",
		"end":         "kết thúc lượt dùng",
		"home":        "trang chủ",
		"idle":        "hỏi còn dùng tiếp không",
		"keyboard":    "bàn phím",
		"lang":        "chọn ngôn ngữ",
		"load":        "đang tải",
		"placeholder": "mục sắp có",
		"qr":          "mã QR",
		"scroll":      "cuộn xem thêm",
		"search":      "tìm kiếm",
		"staff":       "bảng cán bộ",
	},
	"tutorials": {
		"check":    "câu hỏi kiểm tra",
		"complete": "học xong bài",
		"later":    "học tiếp lần sau",
		"player":   "các nút trong bài học",
		"practice": "tập luyện",
		"resume":   "nhập mã học tiếp",
	},
	"usage": {
		"funnel":     "các bước của thủ tục",
		"hours":      "theo giờ trong ngày",
		"languages":  "theo ngôn ngữ",
		"periods":    "theo thời gian",
		"procedures": "thủ tục",
		"search":     "tìm kiếm",
		"state":      "tình trạng ghi số liệu",
		"tutorials":  "bài học",
	},
}

// screenTitle names a shell catalogue's part (part "": the file's own
// lines) as staff read it: "Màn hình ngoài giờ — báo sắp hết giờ".
func screenTitle(file, part string) string {
	title, ok := screenFiles[file]
	if !ok {
		title = "Màn hình kiosk: " + file
	}
	if part == "" {
		return title
	}
	if p, ok := screenParts[file][part]; ok {
		return title + " — " + p
	}
	return title + " — " + part
}
