package hub

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
)

// silentAfter is how long a kiosk may go unheard before the fleet page
// counts it as silent: a kiosk off for the night is not news, a day is.
const silentAfter = 24 * time.Hour

// fleetStates are the states staff can filter the fleet by, in menu order.
var fleetStates = []option{
	{"online", "Đang trực tuyến"},
	{"silent", "Im lặng quá 1 ngày"},
	{"behind", "Nội dung cũ"},
	{"errors", "Có lỗi"},
	{"muted", "Tắt âm thanh"},
	{"unwell", "Màn hình trục trặc (7 ngày)"},
	{"revoked", "Đã thu hồi"},
	{"other_version", "Chạy phiên bản ứng dụng khác máy chủ"},
}

type option struct{ Value, Label string }

// kioskStates name what a kiosk's updater is doing (hubproto.Status.State).
var kioskStates = map[string]string{
	"idle":        "đã cập nhật",
	"waiting":     "chờ khung giờ tải",
	"downloading": "đang tải nội dung",
	"applying":    "đang áp dụng nội dung",
	"failed":      "cập nhật lỗi",
}

// errorKinds say what a kiosk's last error is about (update.ErrorKind*),
// before its English detail: the words province staff act on.
var errorKinds = map[string]string{
	hubproto.ErrorKindUntrusted: "Nội dung hiện tại của kiosk không được khóa tỉnh mà kiosk ghim xác nhận chữ ký; kiosk không tải lại mà chờ gói mới ký bằng khóa đang ghim",
	hubproto.ErrorKindBroken:    "Nội dung hiện tại bị mất hoặc hỏng trên ổ đĩa kiosk; kiosk đang tự tải lại từ máy chủ",
	hubproto.ErrorKindUnreadable: "Nội dung hiện tại còn nguyên và đúng chữ ký, nhưng phiên bản ứng dụng của kiosk không đọc được (gói dựng cho phiên bản khác); " +
		"tải lại không giúp được: cần dựng gói mới bằng tramso của phiên bản này rồi phát hành",
	hubproto.ErrorKindDiskFull:  "Ổ đĩa kiosk đã đầy nên chưa tải được bản mới",
	hubproto.ErrorKindHubBehind: "Máy chủ đưa bản cũ hơn bản kiosk đã có; kiosk chỉ nhận gói có số thế hệ lớn hơn",
	hubproto.ErrorKindHubUnreachable: "Kiosk mất kết nối tới máy chủ khi đang tải (mạng chập chờn, hoặc máy chủ vừa khởi động lại); " +
		"kiosk tự tải tiếp phần còn lại, không cần làm gì. Nếu nội dung cũ mãi, kiểm tra mạng của kiosk",
	// Counted as a fault (unlike a cut link): a hub that answers but drips
	// its data is the province's to look at, or not the province's hub.
	hubproto.ErrorKindHubTooSlow: "Máy chủ trả lời nhưng gửi dữ liệu quá chậm nên kiosk bỏ lượt tải (kiosk có nhiều máy chủ thì chuyển sang máy chủ khác); " +
		"kiểm tra tải và ổ đĩa của máy chủ, thiết bị mạng ở giữa, hoặc đường mạng rất yếu của kiosk",
}

// fleetRow is a device with what the console says about it.
type fleetRow struct {
	Device
	Silent bool // unheard for over silentAfter
	Behind bool // what it shows residents is below what the hub wants it to have
	// WentBack: behind because it went back at the kiosk (staff's "Quay lại
	// bản trước") from the target or newer; it will not take the target
	// again, only a newer generation.
	WentBack bool
	Failing  bool // it reports an error, refused a generation newer than it runs, or is stuck above the hub (Unpublished)
	// Unpublished: it says it applied a generation this hub never published
	// (its database has no such pack): not up to date, whatever it says. A
	// fault too when that generation is above the target: the kiosk will
	// take none of the hub's packs (a made-up number, or another hub's).
	Unpublished bool
	Refusal     string    // that refusal, in Vietnamese ("" when none is pending)
	Content     packLabel // what it shows residents
	// Applied is the generation it applied when residents see another
	// (Content), and Fallback why, in Vietnamese ("" when it shows it).
	Applied  packLabel
	Fallback string
	Error    string    // its last error: what it is about in Vietnamese, then the kiosk's English
	Target   packLabel // what the hub wants it to show
	Keys     kioskKeys // the province keys it pins
	Seen     timeView  // last seen (or enrolled, if never seen)
	Status   string    // its updater's state, in Vietnamese
	// OtherVersion: it runs a release other than the hub's (an upgrade's
	// waves are not over, or it was left out of one).
	OtherVersion bool
	Muted        bool     // it runs silent (its page froze on the speaker, or staff turned sound off)
	Sound        string   // why, in Vietnamese ("" while it plays)
	MutedAt      timeView // since when
	// Window is its window's incidents over incidentWindow; Unwell when
	// there were any, Incident the last one in Vietnamese, at IncidentAt
	// (when the hub received it, if the kiosk's clock ran ahead).
	Window     incidentSummary
	Unwell     bool
	Incident   string
	IncidentAt timeView
}

// is says whether the row is in one of fleetStates ("" matches all).
func (f fleetRow) is(state string) bool {
	switch state {
	case "":
		return !f.Revoked
	case "online":
		return f.Online && !f.Revoked
	case "silent":
		return f.Silent
	case "behind":
		return f.Behind
	case "errors":
		return f.Failing
	case "muted":
		return f.Muted
	case "unwell":
		return f.Unwell
	case "revoked":
		return f.Revoked
	case "other_version":
		return f.OtherVersion && !f.Revoked
	}
	return false
}

// fleetCounts are the fleet at a glance: Total and the states count the
// kiosks in use (not revoked), Revoked the others, whatever the state filter.
type fleetCounts struct{ Total, Online, Silent, Behind, Failing, Muted, Unwell, Revoked int }

func (c *fleetCounts) add(f fleetRow) {
	if f.Revoked {
		c.Revoked++
		return
	}
	c.Total++
	c.Online += count(f.Online)
	c.Silent += count(f.Silent)
	c.Behind += count(f.Behind)
	c.Failing += count(f.Failing)
	c.Muted += count(f.Muted)
	c.Unwell += count(f.Unwell)
}

func count(b bool) int {
	if b {
		return 1
	}
	return 0
}

// communeGroup is the fleet of one commune.
type communeGroup struct {
	Commune string
	Rows    []fleetRow
}

type fleetData struct {
	Groups   []communeGroup
	Counts   fleetCounts // of the commune chosen, whatever the state filter
	Shown    int
	Communes []string // every commune, for the filter
	Commune  string   // the commune filter ("" = all)
	State    string   // the state filter ("" = all but revoked)
	States   []option
	Filter   string // the state filter as staff read it ("" = none)
	// Unpinned filters the kiosks that do not pin this key id, or have not
	// said ("" = none): those a key rotation still waits for.
	Unpinned string
	Keys     keyCounts   // of the kiosks in use in the commune chosen, for each key the hub pins
	Versions appVersions // of the kiosks in use in the commune chosen
	Current  int64       // the generation the hub gives every kiosk now, whose signers Keys marks (0: none)
	Reports  []reportRow
}

// Query is the filter as a query string, for links that keep it.
func (f fleetData) Query() string {
	v := url.Values{}
	if f.Commune != "" {
		v.Set("commune", f.Commune)
	}
	if f.State != "" {
		v.Set("state", f.State)
	}
	if f.Unpinned != "" {
		v.Set("unpinned", f.Unpinned)
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// StateQuery is the commune filter with state, for the counts' links.
func (f fleetData) StateQuery(state string) string {
	f.State, f.Unpinned = state, ""
	return f.Query()
}

// UnpinnedQuery is the commune filter with the kiosks in use that do not
// pin key id.
func (f fleetData) UnpinnedQuery(id string) string {
	f.State, f.Unpinned = "", id
	return f.Query()
}

// reportRow is a kiosk's report with the kiosk's name.
type reportRow struct {
	Report
	Name    string
	At      timeView
	Outcome string
}

// fleet lists the devices by commune, filtered by ?commune= and ?state=.
func (h *Hub) fleet(r *http.Request) (fleetData, error) {
	ctx := r.Context()
	devs, err := h.Devices(ctx)
	if err != nil {
		return fleetData{}, err
	}
	packs, err := h.packLabels(ctx)
	if err != nil {
		return fleetData{}, err
	}
	incidents, err := h.recentIncidents(ctx, "")
	if err != nil {
		return fleetData{}, err
	}
	current, signers, err := h.currentSigners(ctx)
	if err != nil {
		return fleetData{}, err
	}
	q := r.URL.Query()
	fd := fleetData{Commune: q.Get("commune"), State: q.Get("state"), States: fleetStates,
		Unpinned: q.Get("unpinned"), Keys: newKeyCounts(h.hubKeyIDs(), signers), Current: current}
	if !hubproto.IsKeyID(fd.Unpinned) {
		fd.Unpinned = "" // not a key id (16 lowercase hex digits): no filter, rather than one naming garbage
	}
	for _, o := range fleetStates {
		if o.Value == fd.State {
			fd.Filter = o.Label
		}
	}
	if fd.Unpinned != "" {
		fd.Filter = strings.TrimPrefix(fd.Filter+"; không ghim khóa tỉnh "+fd.Unpinned+" hoặc chưa báo khóa đang ghim", "; ")
	}
	seen := map[string]bool{}
	names := map[string]string{}
	var inScope []Device // the commune chosen's
	for _, d := range devs {
		names[d.ID] = d.Name
		if !seen[d.Commune] {
			seen[d.Commune] = true
			fd.Communes = append(fd.Communes, d.Commune)
		}
		if fd.Commune != "" && d.Commune != fd.Commune {
			continue
		}
		inScope = append(inScope, d)
		row := h.fleetRow(d, packs, incidents[d.ID])
		fd.Counts.add(row)
		fd.Keys.add(row)
		if row.is(fd.State) && (fd.Unpinned == "" || !row.Keys.pins(fd.Unpinned)) {
			fd.add(row)
		}
	}
	fd.Versions = h.appVersionsOf(inScope)
	fd.Versions.Link = "/admin/" + fd.StateQuery("other_version")
	fd.Reports, err = h.recentReports(ctx, names)
	return fd, err
}

// add puts a row in its commune's group (devices come sorted by commune).
func (f *fleetData) add(row fleetRow) {
	if n := len(f.Groups); n == 0 || f.Groups[n-1].Commune != row.Commune {
		f.Groups = append(f.Groups, communeGroup{Commune: row.Commune})
	}
	g := &f.Groups[len(f.Groups)-1]
	g.Rows = append(g.Rows, row)
	f.Shown++
}

// fleetRow is what the console says about d: connected, silent, behind
// the generation the hub wants for its wave, failing, muted, its window
// unwell (inc: its recent incidents).
func (h *Hub) fleetRow(d Device, packs map[int64]packLabel, inc incidentSummary) fleetRow {
	row := fleetRow{Device: d, Content: labelFor(packs, d.Generation),
		Status: labelOr(kioskStates, d.State), Error: kioskError(d), Keys: kioskKeysOf(d, h.hubKeyIDs()), OtherVersion: h.otherVersion(d)}
	if d.Generation == 0 && d.AppVersion != "" {
		// It has reported: generation 0 is the starter built into the app.
		row.Content = packLabel{Title: "Nội dung khởi đầu có sẵn trong ứng dụng"}
	}
	if d.Shown != 0 && d.Shown != d.Generation {
		row.Applied, row.Content = row.Content, labelFor(packs, d.Shown)
		row.Fallback = fallbackText(d)
	}
	heard := d.LastSeen
	if heard == "" {
		heard = d.EnrolledAt
	}
	if t, ok := parseStamp(heard); ok {
		row.Silent = !row.Online && !d.Revoked && h.now().Sub(t) > silentAfter
	}
	row.Seen = h.timeViewOf(d.LastSeen)
	target := h.targetFor(d.Wave)
	row.Target = labelFor(packs, target)
	// Behind goes by what residents see: a kiosk showing older content
	// because its newest does not verify is behind too (outside QA R7).
	// Going back is about what it applied, which the fallback leaves as is.
	row.Behind = !d.Revoked && shownGeneration(d) < target
	row.WentBack = !d.Revoked && d.Generation < target && d.Highest >= target
	if row.WentBack {
		row.Status = "giữ nội dung trước theo lựa chọn tại kiosk; chờ thế hệ mới hơn " + strconv.FormatInt(d.Highest, 10)
	}
	if _, known := packs[d.Generation]; !known && d.Generation >= pack.MinGeneration && d.AppVersion != "" {
		row.Unpublished = true
		row.Status = "kiosk báo chạy thế hệ " + strconv.FormatInt(d.Generation, 10) +
			", không do máy chủ này phát hành: không phải bản máy chủ giao; xem kiosk đang chạy nội dung gì (tramso doctor trên kiosk)"
		if d.Generation > target {
			row.Status += ". Kiosk chỉ nhận thế hệ lớn hơn số này, nên sẽ không nhận bản nào máy chủ đang có"
		}
		if d.State != "" && d.State != hubproto.StateIdle { // "đã cập nhật" is what is not true
			row.Status += "; " + labelOr(kioskStates, d.State)
		}
	}
	if !d.Online && row.Status != "" {
		// What it said while connected: "đã cập nhật" under a kiosk that
		// has been offline since a newer pack was published is not true now.
		row.Status = "lúc còn kết nối: " + row.Status
	}
	if rf := d.LastRefusal; rf.Outcome != "" && rf.Generation > d.Generation {
		row.Refusal = joinDetail(labelOr(reportOutcomes, rf.Outcome)+" (thế hệ "+strconv.FormatInt(rf.Generation, 10)+")", kioskRefusal(rf.Error))
	}
	// A download the network cut is tried again by itself: not a fault to
	// count (a hub restarting mid-download made every kiosk "có lỗi").
	fault := (d.LastError != "" || d.State == "failed") && d.ErrorKind != hubproto.ErrorKindHubUnreachable
	row.Failing = !d.Revoked && (fault || row.Refusal != "" || row.Unpublished && d.Generation > target)
	if d.SoundOff != "" && !d.Revoked {
		row.Muted, row.Sound, row.MutedAt = true, labelOr(soundLabels, d.SoundOff), h.timeViewOf(d.SoundSince)
	}
	if inc.Count > 0 && !d.Revoked {
		row.Window, row.Unwell = inc, true
		row.Incident, row.IncidentAt = labelOr(incidentLabels, inc.LastKind), h.timeViewOf(inc.Last)
		if inc.LastAhead {
			row.Incident += " (" + incidentReceived + ")"
		}
	}
	return row
}

// shownGeneration is the generation residents see at d: the one it
// applied, unless it said it shows another.
func shownGeneration(d Device) int64 {
	if d.Shown != 0 {
		return d.Shown
	}
	return d.Generation
}

// kioskRefusal is why a kiosk refused a pack, its own English detail after
// what province staff do about it, for the refusal a key rotation causes:
// the kiosk does not pin the key that signed the pack (outside QA R15).
func kioskRefusal(detail string) string {
	if strings.HasPrefix(detail, string(pack.KindUnknownKey)+":") {
		return "kiosk không ghim khóa tỉnh đã ký gói này: ghim khóa đó trên kiosk (tramso pin-key) rồi khởi động lại kiosk — " + detail
	}
	return detail
}

// kioskError is d's last error as the console shows it: the kind in
// Vietnamese, when the kiosk named one, then its own English detail.
func kioskError(d Device) string {
	if d.LastError == "" {
		return ""
	}
	words, ok := errorKinds[d.ErrorKind]
	if !ok {
		return d.LastError
	}
	return words + " — " + d.LastError
}

// fallbackText says plainly why d shows residents generation d.Shown
// rather than d.Generation, the one it applied, and what to do.
func fallbackText(d Device) string {
	shown := "thế hệ " + strconv.FormatInt(d.Shown, 10)
	if d.Shown == hubproto.MinGeneration {
		shown = "nội dung có sẵn trong ứng dụng"
	}
	applied := "thế hệ " + strconv.FormatInt(d.Generation, 10)
	lead := "Kiosk đang cho người dân xem " + shown + ", không phải " + applied + " đã nhận, "
	switch d.ErrorKind {
	case hubproto.ErrorKindUntrusted:
		return lead + "vì chữ ký của " + applied + " không khớp khóa tỉnh nào mà kiosk đang ghim (thường sau khi đổi khóa tỉnh). " +
			"Tải lại không giúp được: cần phát hành gói mới ký bằng khóa kiosk đang ghim, hoặc ghim lại khóa đã ký " + applied + " trên kiosk."
	case hubproto.ErrorKindBroken:
		return lead + "vì nội dung " + applied + " bị mất hoặc hỏng trên ổ đĩa kiosk. Kiosk đang tự tải lại từ máy chủ; nếu lỗi còn mãi, báo cán bộ kỹ thuật."
	case hubproto.ErrorKindUnreadable:
		return lead + "vì phiên bản ứng dụng của kiosk (" + cmp.Or(d.AppVersion, "chưa báo") + ") không đọc được " + applied +
			", gói dựng cho phiên bản khác (thường sau khi nâng cấp kiosk). Tải lại không giúp được: kiểm tra nguồn nội dung bằng " +
			"tramso pack lint của phiên bản này, dựng và phát hành gói mới."
	}
	return lead + "vì " + applied + " không mở được trên kiosk. Xem lỗi gần nhất; chạy tramso doctor trên kiosk để biết thêm."
}

// recentReports are the fleet's latest reports, with the kiosks' names.
func (h *Hub) recentReports(ctx context.Context, names map[string]string) ([]reportRow, error) {
	reports, err := h.Reports(ctx, "", 30)
	out := make([]reportRow, len(reports))
	for i, rep := range reports {
		out[i] = reportRow{Report: rep, Name: names[rep.DeviceID], At: h.timeViewOf(rep.At),
			Outcome: labelOr(reportOutcomes, rep.Outcome)}
	}
	return out, err
}

func (h *Hub) fleetPage(w http.ResponseWriter, r *http.Request, s session) {
	fd, err := h.fleet(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p := s.page("Thiết bị", fd)
	p.Notice = notice(r)
	h.render(w, r, http.StatusOK, "fleet", p)
}

func (h *Hub) fleetCSV(w http.ResponseWriter, r *http.Request, s session) {
	fd, err := h.fleet(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	cw := startCSV(w, "tramso-fleet.csv")
	_ = cw.Write([]string{"device_id", "name", "commune", "wave", "online", "last_seen", "generation", "target",
		"app_version", "state", "free_disk", "last_error", "revoked", "content_title", "content_built", "silent", "behind",
		"sound_off", "sound_since", "window_incidents_7d", "window_last", "window_last_kind", "pinned_keys"})
	for _, g := range fd.Groups {
		for _, d := range g.Rows {
			_ = cw.Write(csvSafe(d.ID, d.Name, d.Commune, waveValue(d.Device), strconv.FormatBool(d.Online), d.Seen.Exact,
				strconv.FormatInt(d.Generation, 10), strconv.FormatInt(d.Target.Generation, 10), d.AppVersion, d.State,
				freeDiskCSV(d.FreeDisk), d.LastError, strconv.FormatBool(d.Revoked),
				d.Content.Title, d.Content.Built.Exact, strconv.FormatBool(d.Silent), strconv.FormatBool(d.Behind),
				d.SoundOff, d.SoundSince, strconv.Itoa(d.Window.Count), d.Window.Last, d.Window.LastKind,
				strings.Join(d.PinnedKeys, " ")))
		}
	}
	cw.Flush()
}

// waveValue is a device's wave as the edit form's select sends it.
func waveValue(d Device) string {
	if !d.Wave.Valid {
		return ""
	}
	return strconv.FormatInt(d.Wave.Int64, 10)
}

// DeviceByID finds one device. It goes through Devices so that the live
// state is flushed first and the columns are read in one place.
func (h *Hub) DeviceByID(ctx context.Context, id string) (Device, bool, error) {
	devs, err := h.Devices(ctx)
	if err != nil {
		return Device{}, false, err
	}
	for _, d := range devs {
		if d.ID == id {
			return d, true, nil
		}
	}
	return Device{}, false, nil
}

type deviceData struct {
	Row fleetRow
	// Form is what the edit form shows: the device, or what was typed when
	// saving it was refused, so nothing typed is lost.
	Form     Device
	Enrolled timeView
	History  []historyRow
}

type historyRow struct {
	HistoryEntry
	When timeView
}

// historyLimit is how many lines of a kiosk's history its page shows.
const historyLimit = 100

// devicePage is GET /admin/devices/{id}: one kiosk, its edit form and history.
func (h *Hub) devicePage(w http.ResponseWriter, r *http.Request, s session) {
	h.renderDevice(w, r, s, http.StatusOK, nil, nil)
}

// A refused edit (formErr) shows the device's page again with its form
// holding typed, the values posted.
func (h *Hub) renderDevice(w http.ResponseWriter, r *http.Request, s session, status int, formErr error, typed url.Values) {
	ctx := r.Context()
	d, ok, err := h.DeviceByID(ctx, r.PathValue("id"))
	if err == nil && !ok {
		h.errorPage(w, r, http.StatusNotFound, "Không có thiết bị này",
			"Không tìm thấy thiết bị với mã này. Có thể đường dẫn đã cũ.", link{"/admin/", "Về trang Thiết bị"})
		return
	}
	packs, perr := h.packLabels(ctx)
	hist, herr := h.History(ctx, d.ID, historyLimit)
	inc, ierr := h.recentIncidents(ctx, d.ID)
	target, signers, serr := h.signersFor(ctx, d.Wave)
	if err = errors.Join(err, perr, herr, ierr, serr); err != nil {
		h.serverError(w, r, err)
		return
	}
	dd := deviceData{Row: h.fleetRow(d, packs, inc[d.ID]), Form: d, Enrolled: h.timeViewOf(d.EnrolledAt)}
	dd.Row.Keys.judge(target, signers)
	if typed != nil {
		dd.Form.Name, dd.Form.Commune = typed.Get("name"), typed.Get("commune")
		if wave, err := formWave(typed); err == nil {
			dd.Form.Wave = storedWave(wave)
		}
	}
	for _, e := range hist {
		e.Detail = historyDetail(packs, e)
		dd.History = append(dd.History, historyRow{HistoryEntry: e, When: h.timeViewOf(e.At)})
	}
	p := s.page(d.Name, dd)
	p.Notice = notice(r)
	if formErr != nil {
		p = p.withError(formErr)
	}
	h.render(w, r, status, "device", p)
}

// deviceAction is POST /admin/devices/{id}: save (name, commune, wave) or
// revoke. The form sits on the fleet page and on the device's own page;
// back=device returns to the latter.
func (h *Hub) deviceAction(w http.ResponseWriter, r *http.Request, s session) {
	id := r.PathValue("id")
	ctx := r.Context()
	before, ok, err := h.DeviceByID(ctx, id)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if !ok {
		h.notFound(w, r)
		return
	}
	var done string
	detail := before.Name + " (" + id + ")"
	switch r.PostFormValue("action") {
	case "save":
		var after Device
		if after, err = h.saveDevice(ctx, before, r.PostForm, s.User); err != nil {
			var refused *formError
			if !errors.As(err, &refused) {
				h.serverError(w, r, err)
				return
			}
			// On the device's own page, wherever the form was: its form
			// shows what was typed beside what went wrong.
			h.renderDevice(w, r, s, http.StatusBadRequest, err, r.PostForm)
			return
		}
		done, detail = "saved", describeEdits(before, after)
	case "revoke":
		if r.PostFormValue("confirm") != "yes" {
			h.confirmRevoke(w, r, s, before)
			return
		}
		if err = h.Revoke(ctx, id); err != nil {
			err = failf(err, "Không thu hồi được thiết bị (có thể đã bị thu hồi trước đó).")
		} else {
			err = h.deviceEvent(ctx, h.DB, id, "revoked", "", s.User)
		}
		done = "revoked"
	default:
		err = failf(nil, "Thao tác không hợp lệ.")
	}
	back := r.PostFormValue("back") == "device"
	if err != nil {
		h.deviceFormError(w, r, s, back, err)
		return
	}
	h.audit(r, s.User, "device_"+done, detail)
	to := "/admin/"
	if back {
		to = "/admin/devices/" + url.PathEscape(id)
	}
	http.Redirect(w, r, to+"?done="+done, http.StatusSeeOther)
}

// saveDevice applies the edit form and records what changed. Every field
// is checked before any is written: a refused form changes nothing.
func (h *Hub) saveDevice(ctx context.Context, before Device, form url.Values, by string) (Device, error) {
	id := before.ID
	name := strings.TrimSpace(form.Get("name"))
	commune := strings.TrimSpace(form.Get("commune"))
	if name == "" {
		return Device{}, failf(nil, "Tên thiết bị không được để trống.")
	}
	if err := checkLabel("name", name); err != nil {
		return Device{}, failf(err, "Tên thiết bị không hợp lệ: tối đa 120 chữ, không có ký tự điều khiển.")
	}
	if err := checkLabel("commune", commune); err != nil {
		return Device{}, failf(err, "Tên xã không hợp lệ: tối đa 120 chữ, không có ký tự điều khiển.")
	}
	wave, err := formWave(form)
	if err != nil {
		return Device{}, failf(err, "Nhóm triển khai không hợp lệ.")
	}
	if err := h.EditDevice(ctx, id, name, commune, wave); errors.Is(err, errNoDevice) {
		return Device{}, failf(err, "Không lưu được: không còn thiết bị này.")
	} else if err != nil {
		return Device{}, err
	}
	// Saved: the history says so before the kiosks are told.
	after, _, err := h.DeviceByID(ctx, id)
	if err == nil {
		err = h.noteEdits(ctx, before, after, by)
	}
	return after, errors.Join(err, h.AnnounceWave(ctx, id, wave))
}

// formWave is the form's wave: -1 for everyone, 0 the test group, 1..9.
func formWave(form url.Values) (int, error) {
	v := form.Get("wave")
	if v == "" {
		return -1, nil
	}
	n, err := strconv.Atoi(v)
	if err == nil && (n < 0 || n > MaxWave) {
		err = fmt.Errorf("wave %d is outside 0..%d", n, MaxWave)
	}
	return n, err
}

// deviceFormError shows the page the form came from again, with what went wrong.
func (h *Hub) deviceFormError(w http.ResponseWriter, r *http.Request, s session, back bool, err error) {
	if back {
		h.renderDevice(w, r, s, http.StatusBadRequest, err, nil)
		return
	}
	fd, ferr := h.fleet(r)
	if ferr != nil {
		h.serverError(w, r, ferr)
		return
	}
	h.render(w, r, http.StatusBadRequest, "fleet", s.page("Thiết bị", fd).withError(err))
}

// confirmData is a confirmation page: the question is the page's title,
// the form posts Fields again with confirm=yes, Back changes nothing.
type confirmData struct {
	Action string // where the form posts
	Fields []formField
	Button string // "Có, …"
	Back   link
	What   any // for the page's explanation
}

// confirmRevoke asks before a kiosk is revoked: undoing it means enrolling
// the kiosk again on site.
func (h *Hub) confirmRevoke(w http.ResponseWriter, r *http.Request, s session, d Device) {
	path := "/admin/devices/" + url.PathEscape(d.ID)
	c := confirmData{Action: path, Fields: []formField{{"action", "revoke"}}, Button: "Có, thu hồi",
		Back: link{"/admin/", "Không, quay lại"}, What: d}
	if r.PostFormValue("back") == "device" {
		c.Fields = append(c.Fields, formField{"back", "device"})
		c.Back.Href = path
	}
	h.render(w, r, http.StatusOK, "confirmRevoke", s.page("Thu hồi kiosk “"+d.Name+"”?", c))
}

// formField is a hidden field of a form.
type formField struct{ Name, Value string }

// generationChange is a generation event's detail as stored: what the kiosk
// ran before (a generation, or words for none) → the generation it runs now.
var generationChange = regexp.MustCompile(`^(.+) → (\d+)$`)

// reportGeneration is a report's detail: the generation it is about, then
// maybe its error.
var reportGeneration = regexp.MustCompile(`^thế hệ (\d+)`)

// historyDetail names the generations of a history line by their packs'
// titles: history keeps the numbers ("1796667727 → 1796667787"), which staff
// cannot tell apart (outside QA s27). A rollback says which content it
// brought back.
func historyDetail(packs map[int64]packLabel, e HistoryEntry) string {
	switch e.What {
	case eventKinds["generation"], eventKinds["went_back"]:
		m := generationChange.FindStringSubmatch(e.Detail)
		if m == nil {
			return e.Detail
		}
		from := m[1]
		if gen, err := strconv.ParseInt(from, 10, 64); err == nil {
			from = packName(packs, gen)
		}
		to, _ := strconv.ParseInt(m[2], 10, 64)
		return from + " → " + packName(packs, to) + rollbackOf(packs, to)
	}
	if m := reportGeneration.FindStringSubmatch(e.Detail); m != nil {
		if gen, err := strconv.ParseInt(m[1], 10, 64); err == nil && gen > 0 {
			return packName(packs, gen) + e.Detail[len(m[0]):]
		}
	}
	return e.Detail
}

// packName is generation gen as a history line names it: its pack's title,
// then its number.
func packName(packs map[int64]packLabel, gen int64) string {
	l := labelFor(packs, gen)
	return "“" + l.Title + "” (thế hệ " + strconv.FormatInt(gen, 10) + ")"
}

// rollbackOf says, after a generation that is a rollback, whose content it
// brought back ("" for any other).
func rollbackOf(packs map[int64]packLabel, gen int64) string {
	back := packs[gen].Back
	if back == 0 {
		return ""
	}
	return ": quay lại nội dung cũ của " + packName(packs, back)
}
