package hub

import (
	"embed"
	"encoding/csv"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"bytes": humanBytes,
	"stage": stageName,
	"wave": func(d Device) string {
		if !d.Wave.Valid {
			return ""
		}
		return strconv.FormatInt(d.Wave.Int64, 10)
	},
	"waves": func() []int { return []int{1, 2, 3, 4, 5, 6, 7, 8, 9} },
}).ParseFS(templateFS, "templates/*.html"))

// page is what every admin template gets.
type page struct {
	Title   string
	User    string
	CSRF    string
	Error   string
	Notice  string
	Data    any
	Signing bool // the hub holds the signing key: rollback works in the admin
}

func (h *Hub) adminRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/login", h.loginPage)
	mux.HandleFunc("POST /admin/login", h.loginPost)
	mux.HandleFunc("POST /admin/logout", h.adminOnly(h.logout))
	mux.HandleFunc("GET /admin/{$}", h.adminOnly(h.fleetPage))
	mux.HandleFunc("GET /admin/fleet.csv", h.adminOnly(h.fleetCSV))
	mux.HandleFunc("POST /admin/devices/{id}", h.adminOnly(h.deviceAction))
	mux.HandleFunc("GET /admin/codes", h.adminOnly(h.codesPage))
	mux.HandleFunc("POST /admin/codes", h.adminOnly(h.createCode))
	mux.HandleFunc("GET /admin/packs", h.adminOnly(h.packsPage))
	mux.HandleFunc("POST /admin/packs", h.adminOnly(h.uploadPack))
	mux.HandleFunc("POST /admin/packs/{generation}", h.adminOnly(h.rolloutAction))
	mux.HandleFunc("GET /admin/usage", h.adminOnly(h.usagePage))
	mux.HandleFunc("GET /admin/usage.csv", h.adminOnly(h.usageCSV))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/admin/", http.StatusSeeOther)
	})
}

func (h *Hub) render(w http.ResponseWriter, status int, name string, p page) {
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	if err := templates.ExecuteTemplate(w, name, p); err != nil {
		h.log.Error("render admin page", "page", name, "err", err)
	}
}

// fleetRow is a device with its live online state.
type fleetRow struct {
	Device
	Online bool
}

type fleetData struct {
	Rows     []fleetRow
	Online   int
	Reports  []Report
	Communes []string // every commune, for the filter
	Commune  string   // the filter in force ("" = all)
}

// fleet lists the devices, of one commune when ?commune= is given.
func (h *Hub) fleet(r *http.Request) (fleetData, error) {
	devs, err := h.Devices(r.Context())
	if err != nil {
		return fleetData{}, err
	}
	fd := fleetData{Commune: r.URL.Query().Get("commune")}
	seen := map[string]bool{}
	for _, d := range devs {
		if !seen[d.Commune] {
			seen[d.Commune] = true
			fd.Communes = append(fd.Communes, d.Commune)
		}
		if fd.Commune != "" && d.Commune != fd.Commune {
			continue
		}
		row := fleetRow{Device: d, Online: h.Online(d.ID)}
		if row.Online {
			fd.Online++
		}
		fd.Rows = append(fd.Rows, row)
	}
	if fd.Reports, err = h.Reports(r.Context(), "", 30); err != nil {
		return fd, err
	}
	return fd, nil
}

func (h *Hub) fleetPage(w http.ResponseWriter, r *http.Request, s session) {
	fd, err := h.fleet(r)
	if err != nil {
		h.serverError(w, err)
		return
	}
	h.render(w, http.StatusOK, "fleet", page{Title: "Thiết bị", User: s.User, CSRF: s.CSRF, Data: fd, Notice: notice(r)})
}

func (h *Hub) serverError(w http.ResponseWriter, err error) {
	h.log.Error("admin", "err", err)
	http.Error(w, "the hub could not do this; see its log", http.StatusInternalServerError)
}

// notices are the fixed messages a redirect may ask for (?done=…), so a
// link cannot put words of its own on the page.
var notices = map[string]string{
	"saved":     "Đã lưu.",
	"revoked":   "Đã thu hồi thiết bị.",
	"published": "Đã phát hành gói nội dung.",
	"stage":     "Đã đổi phạm vi triển khai.",
	"halted":    "Đã tạm dừng triển khai.",
	"rollback":  "Đã phát hành lại nội dung cũ với thế hệ mới.",
}

func notice(r *http.Request) string { return notices[r.URL.Query().Get("done")] }

func (h *Hub) deviceAction(w http.ResponseWriter, r *http.Request, s session) {
	id := r.PathValue("id")
	ctx := r.Context()
	var err error
	done := "saved"
	switch r.PostFormValue("action") {
	case "save":
		err = h.RenameDevice(ctx, id, strings.TrimSpace(r.PostFormValue("name")))
		if err == nil {
			err = h.SetCommune(ctx, id, strings.TrimSpace(r.PostFormValue("commune")))
		}
		if err == nil {
			wave := -1
			if v := r.PostFormValue("wave"); v != "" {
				if wave, err = strconv.Atoi(v); err != nil || wave < 0 {
					err = fmt.Errorf("wave %q is not a number", v)
				}
			}
			if err == nil {
				err = h.SetWave(ctx, id, wave)
			}
		}
	case "revoke":
		err, done = h.Revoke(ctx, id), "revoked"
	default:
		err = fmt.Errorf("unknown action")
	}
	if err != nil {
		h.formError(w, r, s, err)
		return
	}
	h.log.Info("admin changed device", "user", s.User, "device", id, "action", r.PostFormValue("action"))
	http.Redirect(w, r, "/admin/?done="+done, http.StatusSeeOther)
}

// formError shows the fleet page again with what went wrong.
func (h *Hub) formError(w http.ResponseWriter, r *http.Request, s session, err error) {
	fd, _ := h.fleet(r)
	h.render(w, http.StatusBadRequest, "fleet", page{Title: "Thiết bị", User: s.User, CSRF: s.CSRF, Data: fd, Error: err.Error()})
}

func (h *Hub) fleetCSV(w http.ResponseWriter, r *http.Request, s session) {
	fd, err := h.fleet(r)
	if err != nil {
		h.serverError(w, err)
		return
	}
	startCSV(w, "tramso-fleet.csv")
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"device_id", "name", "commune", "wave", "online", "last_seen", "generation", "target",
		"app_version", "state", "free_disk", "last_error", "revoked"})
	for _, d := range fd.Rows {
		wave := ""
		if d.Wave.Valid {
			wave = strconv.FormatInt(d.Wave.Int64, 10)
		}
		_ = cw.Write(csvSafe(d.ID, d.Name, d.Commune, wave, strconv.FormatBool(d.Online), d.LastSeen,
			strconv.FormatInt(d.Generation, 10), strconv.FormatInt(d.Target, 10), d.AppVersion, d.State,
			strconv.FormatInt(d.FreeDisk, 10), d.LastError, strconv.FormatBool(d.Revoked)))
	}
	cw.Flush()
}

func startCSV(w http.ResponseWriter, name string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
}

// csvSafe keeps a spreadsheet from running text a kiosk or staff typed as a
// formula (CSV injection).
func csvSafe(fields ...string) []string {
	for i, f := range fields {
		if f != "" && strings.ContainsRune("=+-@\t\r", rune(f[0])) {
			fields[i] = "'" + f
		}
	}
	return fields
}

func (h *Hub) codesPage(w http.ResponseWriter, r *http.Request, s session) {
	h.render(w, http.StatusOK, "codes", page{Title: "Mã đăng ký", User: s.User, CSRF: s.CSRF})
}

type codeData struct {
	Code    string
	Commune string
	Expires string
}

func (h *Hub) createCode(w http.ResponseWriter, r *http.Request, s session) {
	commune := strings.TrimSpace(r.PostFormValue("commune"))
	code, err := h.CreateCode(r.Context(), commune, s.User)
	if err != nil {
		h.render(w, http.StatusBadRequest, "codes", page{Title: "Mã đăng ký", User: s.User, CSRF: s.CSRF, Error: err.Error()})
		return
	}
	h.log.Info("admin created an enrolment code", "user", s.User, "commune", commune)
	h.render(w, http.StatusOK, "codes", page{Title: "Mã đăng ký", User: s.User, CSRF: s.CSRF,
		Data: codeData{Code: code, Commune: commune, Expires: h.now().Add(CodeLifetime).Format("2006-01-02 15:04 MST")}})
}

func (h *Hub) packsPage(w http.ResponseWriter, r *http.Request, s session) {
	h.renderPacks(w, r, s, http.StatusOK, "")
}

func (h *Hub) renderPacks(w http.ResponseWriter, r *http.Request, s session, status int, errMsg string) {
	rs, err := h.Rollouts(r.Context())
	if err != nil {
		h.serverError(w, err)
		return
	}
	h.render(w, status, "packs", page{Title: "Gói nội dung", User: s.User, CSRF: s.CSRF, Data: rs,
		Error: errMsg, Notice: notice(r), Signing: h.opts.SigningKey != nil})
}

// maxUpload bounds an uploaded pack file (the pack format's own limit plus room for the tar headers).
const maxUpload = 520 << 20

func (h *Hub) uploadPack(w http.ResponseWriter, r *http.Request, s session) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	file, _, err := r.FormFile("pack")
	if err != nil {
		h.renderPacks(w, r, s, http.StatusBadRequest, "Chưa chọn tệp gói (.tspack) hoặc tệp quá lớn: "+err.Error())
		return
	}
	defer file.Close()
	stage, err := ParseStage(r.PostFormValue("stage"))
	if err != nil {
		h.renderPacks(w, r, s, http.StatusBadRequest, err.Error())
		return
	}
	sm, err := h.Publish(r.Context(), file, PublishOptions{Stage: stage, By: s.User})
	if err != nil {
		h.renderPacks(w, r, s, http.StatusBadRequest, "Không phát hành được: "+err.Error())
		return
	}
	h.log.Info("admin published a pack", "user", s.User, "generation", sm.Manifest.Generation)
	http.Redirect(w, r, "/admin/packs?done=published", http.StatusSeeOther)
}

func (h *Hub) rolloutAction(w http.ResponseWriter, r *http.Request, s session) {
	gen, err := strconv.ParseInt(r.PathValue("generation"), 10, 64)
	if err != nil {
		h.renderPacks(w, r, s, http.StatusBadRequest, "bad generation")
		return
	}
	ctx := r.Context()
	done := ""
	switch r.PostFormValue("action") {
	case "stage":
		var stage int
		if stage, err = ParseStage(r.PostFormValue("stage")); err == nil {
			err, done = h.SetStage(ctx, gen, stage), "stage"
		}
	case "halt":
		err, done = h.Halt(ctx, gen), "halted"
	case "rollback":
		_, err = h.Rollback(ctx, gen, h.opts.SigningKey, PublishOptions{Stage: StageEveryone, By: s.User})
		done = "rollback"
	default:
		err = fmt.Errorf("unknown action")
	}
	if err != nil {
		h.renderPacks(w, r, s, http.StatusBadRequest, err.Error())
		return
	}
	h.log.Info("admin changed a rollout", "user", s.User, "generation", gen, "action", r.PostFormValue("action"))
	http.Redirect(w, r, "/admin/packs?done="+done, http.StatusSeeOther)
}

type usageData struct {
	From, To string
	Rows     []UsageRow
}

// usageRange reads ?from=&to= (default: the last 30 days).
func (h *Hub) usageRange(r *http.Request) (string, string) {
	to := h.now().Format(time.DateOnly)
	from := h.now().AddDate(0, 0, -30).Format(time.DateOnly)
	if v := r.URL.Query().Get("from"); dayRe.MatchString(v) {
		from = v
	}
	if v := r.URL.Query().Get("to"); dayRe.MatchString(v) {
		to = v
	}
	return from, to
}

func (h *Hub) usagePage(w http.ResponseWriter, r *http.Request, s session) {
	from, to := h.usageRange(r)
	rows, err := h.Usage(r.Context(), from, to)
	if err != nil {
		h.serverError(w, err)
		return
	}
	h.render(w, http.StatusOK, "usage", page{Title: "Số liệu sử dụng", User: s.User, CSRF: s.CSRF,
		Data: usageData{From: from, To: to, Rows: rows}})
}

func (h *Hub) usageCSV(w http.ResponseWriter, r *http.Request, s session) {
	from, to := h.usageRange(r)
	rows, err := h.Usage(r.Context(), from, to)
	if err != nil {
		h.serverError(w, err)
		return
	}
	startCSV(w, "tramso-usage-"+from+"-"+to+".csv")
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"device_id", "name", "commune", "day", "metric", "key", "step", "count", "seconds"})
	for _, u := range rows {
		_ = cw.Write(csvSafe(u.DeviceID, u.Name, u.Commune, u.Day, u.Metric, u.Key, strconv.Itoa(u.Step),
			strconv.FormatInt(u.Count, 10), strconv.FormatInt(u.Seconds, 10)))
	}
	cw.Flush()
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func stageName(stage int) string {
	switch {
	case stage == StageTest:
		return "nhóm thử nghiệm"
	case stage >= StageEveryone:
		return "tất cả"
	}
	return fmt.Sprintf("đến đợt %d", stage)
}
