package hub

// usageMetrics name the daily totals (usage.Metrics) as staff read them.
// The usage page shows these; usage.csv keeps the ids, which are for
// machines and stay the same whatever the wording here becomes.
var usageMetrics = map[string]string{
	"sessions":           "Lượt sử dụng",
	"sessions_by_hour":   "Lượt sử dụng theo giờ",
	"sessions_ended":     "Lượt đã kết thúc (giây: tổng thời gian)",
	"sessions_assisted":  "Lượt có cán bộ giúp",
	"sessions_audio":     "Lượt có nghe âm thanh",
	"events_dropped":     "Sự kiện bị bỏ do quá tải",
	"search":             "Tìm kiếm",
	"search_chosen":      "Chọn một kết quả tìm kiếm",
	"screen_viewed":      "Mở màn hình",
	"tutorial_opened":    "Mở bài học",
	"step_viewed":        "Xem một bước bài học",
	"practice_right":     "Thực hành đúng",
	"practice_wrong":     "Thực hành sai",
	"check_passed":       "Trả lời đúng câu kiểm tra",
	"tutorial_completed": "Học xong bài",
	"tutorial_abandoned": "Bỏ dở bài học",
	"procedure_viewed":   "Xem thủ tục",
	"flow_finished":      "Làm hết các bước thủ tục",
	"qr_shown":           "Hiện mã QR",
	"audio_used":         "Nghe âm thanh",
	"language_chosen":    "Chọn ngôn ngữ",
	"staff_called":       "Gọi cán bộ",
}

// usageKeys name the keys that are words rather than content ids: screens
// (usage.Screens), search outcomes and languages (lang.Known).
var usageKeys = map[string]string{
	"attract":        "màn hình chờ",
	"home":           "trang chính",
	"tutorials":      "danh sách bài học",
	"procedures":     "danh sách thủ tục",
	"search":         "tìm kiếm",
	"staff":          "chế độ cán bộ",
	"staff-insights": "số liệu cho cán bộ",
	"results":        "có kết quả",
	"none":           "không có kết quả",
	"vi":             "Tiếng Việt",
	"en":             "Tiếng Anh",
	"rad":            "Tiếng Ê Đê",
	"mng":            "Tiếng M'nông",
}

func metricName(metric string) string { return labelOr(usageMetrics, metric) }

// usageKey is a total's key as staff read it: an hour as a span of the
// day, a screen, outcome or language by name, a content id as it is.
func usageKey(metric, key string) string {
	switch metric {
	case "sessions_by_hour":
		return key + ":00–" + key + ":59"
	case "search", "screen_viewed", "audio_used", "staff_called", "language_chosen":
		return labelOr(usageKeys, key)
	}
	return key
}
