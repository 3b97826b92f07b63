package hub

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"tramso/kiosk/content"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
)

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
	"check_viewed":       "Xem câu hỏi kiểm tra",
	"check_passed":       "Trả lời đúng câu kiểm tra",
	"check_wrong":        "Trả lời sai câu kiểm tra",
	"check_abandoned":    "Bỏ dở bài học ở câu kiểm tra",
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

// usageData is the usage page: a summary of the period for a province
// officer on top, the stored daily totals below it.
type usageData struct {
	From, To string
	Days     int // from..to, both included
	Summary  usageSummary
	Rows     []usageLine
	// Source says where the names of procedures and lessons come from.
	Source string
}

// usageLine is a stored total with its item named.
type usageLine struct {
	UsageRow
	Item string // the key as staff read it: a name, an hour, a word
	Code string // beside a content id's name, the id itself
}

// usageSummary adds the period's totals up per kiosk, per commune and for
// the province, and ranks the procedures and lessons.
type usageSummary struct {
	Visits   int64 // sessions
	Ended    int64 // sessions whose length is known (sessions_ended)
	Seconds  int64 // their total length
	Assisted int64
	Kiosks   []kioskUse
	Communes []communeUse
	// Procedures and Lessons are the most used first, at most topUsed.
	Procedures []itemUse
	Lessons    []itemUse
	// MoreProcedures and MoreLessons count the ones left out of the lists.
	MoreProcedures, MoreLessons int
}

// AvgTime is the average length of a visit, as staff read it.
func (s usageSummary) AvgTime() string { return visitLength(s.Seconds, s.Ended) }

// kioskUse is one kiosk's figures for the period, and when it last sent
// any.
type kioskUse struct {
	DeviceID, Name, Commune string
	Visits, Ended, Seconds  int64
	Assisted                int64
	Sent                    timeView // when the hub last stored its figures; zero: never
}

// AvgTime is the average length of the kiosk's visits.
func (k kioskUse) AvgTime() string { return visitLength(k.Seconds, k.Ended) }

// communeUse is one commune's figures for the period.
type communeUse struct {
	Commune                string
	Kiosks                 int
	Visits, Ended, Seconds int64
}

// AvgTime is the average length of the commune's visits.
func (c communeUse) AvgTime() string { return visitLength(c.Seconds, c.Ended) }

// itemUse is how many visits used one procedure or lesson.
type itemUse struct {
	ID, Name string
	Opened   int64 // procedure_viewed / tutorial_opened
	Finished int64 // flow_finished / tutorial_completed
	QR       int64 // qr_shown (procedures)
}

// topUsed is how many procedures and lessons the summary lists.
const topUsed = 10

// visitLength is seconds over visits as "3 phút 05 giây" ("" with no visit).
func visitLength(seconds, visits int64) string {
	if visits <= 0 {
		return ""
	}
	avg := (seconds + visits/2) / visits
	if avg < 60 {
		return fmt.Sprintf("%d giây", avg)
	}
	return fmt.Sprintf("%d phút %02d giây", avg/60, avg%60)
}

// summarise adds rows up. kiosks are every kiosk that should appear even
// with no figure (those in use), with their last upload; rows of a kiosk
// not among them (revoked since) add one. names titles the content ids.
func summarise(rows []UsageRow, kiosks []kioskUse, names usageNames) usageSummary {
	var s usageSummary
	byKiosk := map[string]*kioskUse{}
	for i := range kiosks {
		byKiosk[kiosks[i].DeviceID] = &kiosks[i]
	}
	var extra []*kioskUse // kiosks revoked since, that sent figures for the period
	procs, lessons := map[string]*itemUse{}, map[string]*itemUse{}
	qr := map[string]int64{} // QR codes shown, by key: attached once every row is read
	item := func(m map[string]*itemUse, id string) *itemUse {
		if m[id] == nil {
			m[id] = &itemUse{ID: id, Name: names.of(id)}
		}
		return m[id]
	}
	for _, u := range rows {
		k := byKiosk[u.DeviceID]
		if k == nil {
			k = &kioskUse{DeviceID: u.DeviceID, Name: u.Name, Commune: u.Commune}
			extra = append(extra, k)
			byKiosk[u.DeviceID] = k
		}
		switch u.Metric {
		case "sessions":
			k.Visits += u.Count
		case "sessions_ended":
			k.Ended += u.Count
			k.Seconds += u.Seconds
		case "sessions_assisted":
			k.Assisted += u.Count
		case "procedure_viewed":
			item(procs, u.Key).Opened += u.Count
		case "flow_finished":
			item(procs, u.Key).Finished += u.Count
		case "qr_shown":
			qr[u.Key] += u.Count
		case "tutorial_opened":
			item(lessons, u.Key).Opened += u.Count
		case "tutorial_completed":
			item(lessons, u.Key).Finished += u.Count
		}
	}
	// A QR count belongs to a procedure of the pack, or to one the rows
	// name otherwise (opened or finished, gone from the pack since),
	// whichever row came first.
	for key, n := range qr {
		if names.procedure[key] || procs[key] != nil {
			item(procs, key).QR += n
		}
	}
	all := slices.Clone(kiosks)
	for _, k := range extra {
		all = append(all, *k)
	}
	slices.SortFunc(all, func(a, b kioskUse) int {
		return cmp.Or(strings.Compare(a.Commune, b.Commune), strings.Compare(a.Name, b.Name), strings.Compare(a.DeviceID, b.DeviceID))
	})
	s.Kiosks = all
	communes := map[string]*communeUse{}
	for _, k := range all {
		s.Visits += k.Visits
		s.Ended += k.Ended
		s.Seconds += k.Seconds
		s.Assisted += k.Assisted
		c := communes[k.Commune]
		if c == nil {
			c = &communeUse{Commune: k.Commune}
			communes[k.Commune] = c
		}
		c.Kiosks++
		c.Visits += k.Visits
		c.Ended += k.Ended
		c.Seconds += k.Seconds
	}
	for _, c := range communes {
		s.Communes = append(s.Communes, *c)
	}
	slices.SortFunc(s.Communes, func(a, b communeUse) int {
		return cmp.Or(cmp.Compare(b.Visits, a.Visits), strings.Compare(a.Commune, b.Commune))
	})
	s.Procedures, s.MoreProcedures = mostUsed(procs)
	s.Lessons, s.MoreLessons = mostUsed(lessons)
	return s
}

// mostUsed is the most opened items first (then the most finished), at
// most topUsed, and how many were left out.
func mostUsed(m map[string]*itemUse) ([]itemUse, int) {
	out := make([]itemUse, 0, len(m))
	for _, u := range m {
		out = append(out, *u)
	}
	slices.SortFunc(out, func(a, b itemUse) int {
		return cmp.Or(cmp.Compare(b.Opened, a.Opened), cmp.Compare(b.Finished, a.Finished), strings.Compare(a.ID, b.ID))
	})
	if len(out) > topUsed {
		return out[:topUsed], len(out) - topUsed
	}
	return out, 0
}

// usageNames titles the procedures (by code) and lessons (by id) that
// kiosks count, in Vietnamese, and says where the titles come from.
type usageNames struct {
	title     map[string]string
	procedure map[string]bool // the codes that are procedures (qr_shown's key may be either)
	Source    string
}

// of is id's title ("" when the content has no such id).
func (n usageNames) of(id string) string { return n.title[id] }

// usageNamesOf reads the titles out of loaded content: a procedure's plain
// name (its official name when it has none), a lesson's title.
func usageNamesOf(p *content.Pack, source string) usageNames {
	n := usageNames{title: map[string]string{}, procedure: map[string]bool{}, Source: source}
	for _, pr := range p.Procedures {
		name, _ := pr.PlainName.In("vi")
		if name == "" {
			name = pr.Name
		}
		n.title[pr.Code], n.procedure[pr.Code] = name, true
	}
	for _, t := range p.Tutorials {
		n.title[t.ID], _ = t.Title.In("vi")
	}
	return n
}

// usageNames takes the titles from the content kiosks most likely show:
// the newest published generation that is not halted, else (nothing
// published, or a pack this release cannot read) the content built into
// the app. Ids the content no longer has keep their code alone.
func (h *Hub) usageNames(ctx context.Context) (usageNames, error) {
	var gen int64
	var title string
	err := h.DB.QueryRowContext(ctx, `SELECT p.generation, p.title FROM packs p JOIN rollouts r USING (generation)
		WHERE r.halted = 0 AND p.generation BETWEEN $1 AND $2 ORDER BY p.generation DESC LIMIT 1`,
		hubproto.MinGeneration, int64(hubproto.MaxGeneration)).Scan(&gen, &title)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return usageNames{}, err
	}
	if gen != 0 {
		p, err := h.loadGeneration(ctx, gen)
		if err == nil {
			if title == "" {
				title = "Gói không có tiêu đề"
			}
			return usageNamesOf(p, fmt.Sprintf("gói “%s” (thế hệ %d)", title, gen)), nil
		}
		if ctx.Err() != nil {
			return usageNames{}, ctx.Err()
		}
		h.log.Warn("usage page: names from the built-in content", "generation", gen, "err", err)
	}
	p, err := content.Load(content.Starter())
	if err != nil {
		return usageNames{}, fmt.Errorf("built-in content: %w", err)
	}
	return usageNamesOf(p, "nội dung có sẵn trong ứng dụng"), nil
}

// loadGeneration loads published generation gen's content as a kiosk does.
func (h *Hub) loadGeneration(ctx context.Context, gen int64) (*content.Pack, error) {
	raw, _, err := h.manifest(ctx, gen)
	if err != nil {
		return nil, err
	}
	m, err := pack.ParseManifest(raw)
	if err != nil {
		return nil, err
	}
	return content.Load(newManifestFS(ctx, h.blobs, m))
}

// usageKiosks are the kiosks in use, each with when the hub last stored
// its figures (devices.usage_stored_at, written with them: an upload
// refused or with nothing to keep does not count). Kiosks send every 6
// hours and on reconnecting, so this says how fresh a kiosk's figures are.
func (h *Hub) usageKiosks(ctx context.Context) ([]kioskUse, error) {
	rows, err := h.DB.QueryContext(ctx, `SELECT id, name, commune, usage_stored_at FROM devices WHERE revoked_at IS NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []kioskUse
	for rows.Next() {
		var k kioskUse
		var stored string
		if err := rows.Scan(&k.DeviceID, &k.Name, &k.Commune, &stored); err != nil {
			return nil, err
		}
		if t, ok := parseStamp(stored); ok {
			k.Sent = h.timeView(t)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// usageDefaultDays is how many days the usage page shows unless asked
// otherwise: today in the province's calendar and the days before it.
const usageDefaultDays = 30

// usageRange reads ?from=&to= (default: the last usageDefaultDays days,
// today included, in the province's calendar), and says why a day asked for
// was not used ("" when all were): a day that does not exist keeps the
// default; a range given backwards is turned round.
func (h *Hub) usageRange(r *http.Request) (from, to, problem string) {
	y, m, d := h.now().In(h.opts.Location).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC) // a calendar day: no zone's shifts
	to = today.Format(time.DateOnly)
	from = today.AddDate(0, 0, 1-usageDefaultDays).Format(time.DateOnly)
	var bad []string
	for _, f := range []struct {
		name string
		day  *string
	}{{"from", &from}, {"to", &to}} {
		v := r.URL.Query().Get(f.name)
		if v == "" {
			continue
		}
		if d, err := time.Parse(time.DateOnly, v); err != nil || d.Format(time.DateOnly) != v {
			bad = append(bad, v)
			continue
		}
		*f.day = v
	}
	if from > to {
		from, to = to, from
		problem = "Ngày bắt đầu sau ngày kết thúc: đã đổi chỗ hai ngày."
	}
	if len(bad) > 0 {
		problem = "Không có ngày " + strings.Join(bad, ", ") + " (năm-tháng-ngày): đang dùng ngày mặc định thay cho nó."
	}
	return from, to, problem
}

func (h *Hub) usagePage(w http.ResponseWriter, r *http.Request, s session) {
	from, to, problem := h.usageRange(r)
	ctx := r.Context()
	rows, err := h.Usage(ctx, from, to)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	names, nerr := h.usageNames(ctx)
	kiosks, kerr := h.usageKiosks(ctx)
	if err := errors.Join(nerr, kerr); err != nil {
		h.serverError(w, r, err)
		return
	}
	d := usageData{From: from, To: to, Days: daysBetween(from, to) + 1, Summary: summarise(rows, kiosks, names), Source: names.Source}
	for _, u := range rows {
		line := usageLine{UsageRow: u, Item: usageKey(u.Metric, u.Key)}
		if title := names.of(u.Key); title != "" && line.Item == u.Key {
			line.Item, line.Code = title, u.Key
		}
		d.Rows = append(d.Rows, line)
	}
	p := s.page("Số liệu sử dụng", d)
	if problem != "" {
		p = p.withError(failf(nil, problem))
	}
	h.render(w, r, http.StatusOK, "usage", p)
}

// daysBetween is how many calendar days from (YYYY-MM-DD) is before to.
func daysBetween(from, to string) int {
	f, err1 := time.Parse(time.DateOnly, from)
	t, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(t.Sub(f).Hours() / 24)
}

func (h *Hub) usageCSV(w http.ResponseWriter, r *http.Request, s session) {
	from, to, _ := h.usageRange(r)
	rows, err := h.Usage(r.Context(), from, to)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	names, err := h.usageNames(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	cw := startCSV(w, "tramso-usage-"+from+"-"+to+".csv")
	_ = cw.Write([]string{"device_id", "name", "commune", "day", "metric", "key", "step", "count", "seconds", "item_name"})
	for _, u := range rows {
		_ = cw.Write(csvSafe(u.DeviceID, u.Name, u.Commune, u.Day, u.Metric, u.Key, strconv.Itoa(u.Step),
			strconv.FormatInt(u.Count, 10), strconv.FormatInt(u.Seconds, 10), usageItemName(names, u.Metric, u.Key)))
	}
	cw.Flush()
}

// usageItemName is the CSV's name of a total's key: a content id's title,
// an hour, a screen, an outcome or a language in words ("" for no key).
func usageItemName(names usageNames, metric, key string) string {
	if key == "" {
		return ""
	}
	if item := usageKey(metric, key); item != key {
		return item
	}
	return names.of(key)
}
