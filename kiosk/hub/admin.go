package hub

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"tramso/kiosk/config"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/studio"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/admin.css
var adminCSS []byte

// cssVersion names the stylesheet's content in its URL, so browsers may keep
// it for good and still fetch a new one after an upgrade.
var cssVersion = func() string {
	sum := sha256.Sum256(adminCSS)
	return hex.EncodeToString(sum[:6])
}()

var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"bytes":       humanBytes,
	"freeDisk":    freeDiskText,
	"stage":       stageName,
	"stageValue":  stageValue,
	"metric":      metricName,
	"usageKey":    usageKey,
	"note":        noteText,
	"problemText": studio.ProblemText,
	"cssVersion":  func() string { return cssVersion },
	"day":         formatDay,
	"waveValue":   waveValue,
	"waveLabel":   waveLabel,
	"editForm": func(d Device, csrf, back string) deviceForm {
		return deviceForm{Device: d, CSRF: csrf, Back: back}
	},
	"waves":            func() []int { return []int{1, 2, 3, 4, 5, 6, 7, 8, 9} },
	"roles":            func() []Role { return Roles },
	"aheadBox":         func() string { return aheadBox },
	"replaceStudioBox": func() string { return replaceStudioBox },
}).ParseFS(templateFS, "templates/*.html"))

// deviceForm is what the "deviceForm" template needs.
type deviceForm struct {
	Device
	CSRF string
	Back string // "device": return to the device's page after saving
}

// page is what every admin template gets.
type page struct {
	Title       string
	User        string
	Role        Role // the user's: the menu and the forms show what it may use
	CSRF        string
	Error       string // what went wrong, in Vietnamese
	ErrorDetail string // the technical cause, for whoever fixes it
	Notice      string
	Data        any
	Signing     bool // the hub holds the signing key: a rollback is signed here, not left to sign offline
	Script      bool // the page runs static/record.js: scriptPolicy instead of contentPolicy

	path string // the request's, to mark the current page in the menu
}

// page starts a page for a logged-in admin.
func (s session) page(title string, data any) page {
	return page{Title: title, User: s.User, Role: s.Role, CSRF: s.CSRF, Data: data}
}

// Current says whether the menu entry for path is the page being shown.
func (p page) Current(path string) bool {
	if path == "/admin/" {
		return p.path == path || strings.HasPrefix(p.path, "/admin/devices/")
	}
	return p.path == path || strings.HasPrefix(p.path, path+"/")
}

func (h *Hub) adminRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/login", h.loginPage)
	mux.HandleFunc("POST /admin/login", h.loginPost)
	// Who may use each route: rolePerms in admin_roles.go.
	mux.HandleFunc("POST /admin/logout", h.allow(permRead, h.logout))
	mux.HandleFunc("GET /admin/password", h.allow(permRead, h.passwordPage))
	mux.HandleFunc("POST /admin/password", h.allow(permRead, h.changePassword))
	mux.HandleFunc("GET /admin/{$}", h.allow(permRead, h.fleetPage))
	mux.HandleFunc("GET /admin/fleet.csv", h.allow(permRead, h.fleetCSV))
	mux.HandleFunc("GET /admin/devices/{id}", h.allow(permRead, h.devicePage))
	mux.HandleFunc("POST /admin/devices/{id}", h.allow(permManage, h.deviceAction))
	mux.HandleFunc("GET /admin/codes", h.allow(permManage, h.codesPage))
	mux.HandleFunc("POST /admin/codes", h.allow(permManage, h.createCode))
	mux.HandleFunc("POST /admin/codes/unblock", h.allow(permManage, h.unblockEnroll))
	mux.HandleFunc("GET /admin/packs", h.allow(permRead, h.packsPage))
	mux.HandleFunc("POST /admin/packs", h.allow(permManage, h.uploadPack))
	mux.HandleFunc("POST /admin/packs/{generation}", h.allow(permManage, h.rolloutAction))
	mux.HandleFunc("POST /admin/packs/unsigned", h.allow(permManage, h.uploadUnsigned))
	mux.HandleFunc("GET /admin/packs/pending/{generation}/manifest.json", h.allow(permManage, h.pendingManifest))
	mux.HandleFunc("POST /admin/packs/pending/{generation}", h.allow(permManage, h.pendingAction))
	mux.HandleFunc("GET /admin/usage", h.allow(permRead, h.usagePage))
	mux.HandleFunc("GET /admin/usage.csv", h.allow(permRead, h.usageCSV))
	mux.HandleFunc("GET /admin/audit", h.allow(permManage, h.auditPage))
	mux.HandleFunc("GET /admin/users", h.allow(permManage, h.usersPage))
	mux.HandleFunc("POST /admin/users", h.allow(permManage, h.createUser))
	mux.HandleFunc("POST /admin/users/{name}", h.allow(permManage, h.userAction))
	h.previewRoutes(mux)
	h.studioReviewRoutes(mux)
	h.studioPageRoutes(mux)
	h.studioRecordRoutes(mux)
	h.studioTranslateRoutes(mux)
	mux.HandleFunc("GET /admin/static/admin.css", serveCSS)
	mux.HandleFunc("/admin/", h.notFound)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/admin/", http.StatusSeeOther)
	})
}

// contentPolicy lets a console page load its own stylesheet and nothing
// else: no script, no inline style, no other site. The one frame it may show
// is the console's own kiosk preview (preview.go).
const contentPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; media-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// scriptPolicy is the recording studio's (studio_record.go), the one
// console page with script: its own script file, which uploads to the hub
// and plays back what it just recorded (blob:), still nothing inline.
const scriptPolicy = "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; media-src 'self' blob:; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func setPageHeaders(hdr http.Header) {
	hdr.Set("Content-Security-Policy", contentPolicy)
	hdr.Set("X-Content-Type-Options", "nosniff")
	// same-origin, not no-referrer: with no-referrer Chromium posts forms
	// with "Origin: null", which the console cannot tell from another site's.
	hdr.Set("Referrer-Policy", "same-origin")
}

// render writes a page. Text from kiosks reaches pages through many fields,
// so control and bidi characters are neutralised on the whole page at once
// rather than field by field (the templates themselves contain none).
func (h *Hub) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	p.path = r.URL.Path
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, name, p); err != nil {
		h.log.Error("render admin page", "page", name, "err", err)
		http.Error(w, "Máy chủ không hiển thị được trang này; lỗi đã được ghi vào nhật ký.", http.StatusInternalServerError)
		return
	}
	setPageHeaders(w.Header())
	if p.Script {
		w.Header().Set("Content-Security-Policy", scriptPolicy)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(neutralise(buf.String(), true)))
}

func serveCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(adminCSS)
}

// neutralise replaces control characters and invisible format characters
// (bidi overrides and isolates, zero-width marks) with U+FFFD, so that text a
// kiosk sends can neither reorder nor hide what staff read, on a page or in
// a spreadsheet. layout keeps newlines and tabs (page markup).
func neutralise(s string, layout bool) string {
	bad := func(r rune) bool {
		if layout && (r == '\n' || r == '\t' || r == '\r') {
			return false
		}
		return hubproto.Invisible(r)
	}
	if strings.IndexFunc(s, bad) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if bad(r) {
			return unicode.ReplacementChar
		}
		return r
	}, s)
}

// errorPage shows what went wrong in the console's layout, with a way back.
func (h *Hub) errorPage(w http.ResponseWriter, r *http.Request, status int, title, message string, back link) {
	p := page{Title: title, Data: errorData{Message: message, Back: back}}
	if s, ok := h.session(r); ok {
		p.User, p.Role, p.CSRF = s.User, s.Role, s.CSRF
	}
	h.render(w, r, status, "error", p)
}

type errorData struct {
	Message string
	Back    link
}

// link is a way back from an error page.
type link struct{ Href, Label string }

// backFrom is the page a form posted to path lives on.
func backFrom(path string) link {
	switch {
	case path == "/admin/login" || path == "/admin/logout":
		return link{"/admin/login", "Về trang đăng nhập"}
	case strings.HasPrefix(path, "/admin/packs"):
		return link{"/admin/packs", "Về trang Gói nội dung"}
	case path == "/admin/codes":
		return link{"/admin/codes", "Về trang Mã đăng ký"}
	case strings.HasPrefix(path, "/admin/users"):
		return link{"/admin/users", "Về trang Tài khoản"}
	case path == "/admin/password":
		return link{"/admin/password", "Về trang Đổi mật khẩu"}
	case strings.HasPrefix(path, "/admin/devices/"):
		return link{path, "Về trang thiết bị"}
	}
	return link{"/admin/", "Về trang Thiết bị"}
}

func (h *Hub) notFound(w http.ResponseWriter, r *http.Request) {
	h.errorPage(w, r, http.StatusNotFound, "Không có trang này",
		"Địa chỉ này không có trong trang quản trị. Có thể đường dẫn đã cũ hoặc gõ nhầm.", link{"/admin/", "Về trang Thiết bị"})
}

// expiredForm answers a form that lacks its token or came from elsewhere.
func (h *Hub) expiredForm(w http.ResponseWriter, r *http.Request) {
	h.log.Warn("admin form refused: bad CSRF token or origin", "path", r.URL.Path, "remote", h.clientAddr(r),
		"origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
	h.errorPage(w, r, http.StatusForbidden, "Biểu mẫu đã hết hạn",
		"Biểu mẫu này đã hết hạn hoặc không được gửi từ trang quản trị. Hãy mở lại trang, điền lại và gửi lần nữa.",
		backFrom(r.URL.Path))
}

// httpsNeeded answers a login the browser could not keep: the console's
// cookies are for HTTPS only, and this page came over http://.
func (h *Hub) httpsNeeded(w http.ResponseWriter, r *http.Request) {
	h.log.Warn("admin login over plain http: the browser keeps no console cookie; serve the hub with --tls-cert or behind an HTTPS proxy",
		"remote", h.clientAddr(r), "origin", r.Header.Get("Origin"))
	h.errorPage(w, r, http.StatusForbidden, "Cần mở trang quản trị bằng https://",
		"Trình duyệt không giữ phiên đăng nhập khi trang mở bằng http:// (không mã hoá), nên không đăng nhập được. "+
			"Mở trang quản trị bằng địa chỉ https:// của máy chủ tỉnh. Nếu máy chủ chưa có chứng chỉ, bộ phận kỹ thuật "+
			"chạy tramso hub với --tls-cert và --tls-key, hoặc đặt sau một máy chủ HTTPS; "+
			"trên chính máy chủ, http://127.0.0.1 vẫn đăng nhập được.",
		backFrom(r.URL.Path))
}

func (h *Hub) serverError(w http.ResponseWriter, r *http.Request, err error) {
	h.log.Error("admin", "path", r.URL.Path, "err", err)
	h.errorPage(w, r, http.StatusInternalServerError, "Máy chủ gặp lỗi",
		"Máy chủ chưa làm được việc này. Lỗi đã được ghi vào nhật ký của máy chủ; hãy thử lại, nếu vẫn lỗi thì báo cho bộ phận kỹ thuật.",
		backFrom(r.URL.Path))
}

// formError is a form that could not be done: what staff read, and why.
type formError struct {
	msg   string // Vietnamese, for staff
	cause error  // technical, shown small beneath
}

// Unwrap lets the page tell what was refused (a pack over studio edits offers a box).
func (e *formError) Unwrap() error { return e.cause }

func (e *formError) Error() string {
	if e.cause == nil {
		return e.msg
	}
	return e.msg + " " + e.cause.Error()
}

func failf(cause error, msg string) error { return &formError{msg: msg, cause: cause} }

// withError puts err on the page: a formError's message, else a generic one.
func (p page) withError(err error) page {
	var fe *formError
	if errors.As(err, &fe) {
		p.Error = fe.msg
		if fe.cause != nil {
			p.ErrorDetail = fe.cause.Error()
		}
		return p
	}
	p.Error, p.ErrorDetail = "Không làm được việc này.", err.Error()
	return p
}

// notices are the fixed messages a redirect may ask for (?done=…), so a
// link cannot put words of its own on the page.
var notices = map[string]string{
	"saved":      "Đã lưu.",
	"revoked":    "Đã thu hồi thiết bị.",
	"published":  "Đã phát hành gói nội dung.",
	"stage":      "Đã đổi phạm vi triển khai.",
	"stage_same": "Phạm vi triển khai không đổi: gói đã ở phạm vi này.",
	"halted":     "Đã tạm dừng triển khai.",
	"rollback":   "Đã phát hành lại nội dung cũ với thế hệ mới.",
	"password":   "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc.",
	"user":       "Đã tạo tài khoản.",
	"role":       "Đã đổi vai trò.",
	"removed":    "Đã xoá tài khoản. Các phiên đăng nhập của tài khoản đó đã kết thúc.",
	"disabled":   "Đã khoá tài khoản. Các phiên đăng nhập của tài khoản đó đã kết thúc.",
	"enabled":    "Đã mở khoá tài khoản: người dùng đăng nhập lại được bằng mật khẩu cũ.",
}

func notice(r *http.Request) string { return notices[r.URL.Query().Get("done")] }

func startCSV(w http.ResponseWriter, name string) *csv.Writer {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	// The byte-order mark tells Excel the file is UTF-8: without it, a
	// Vietnamese Windows reads it in its own code page ("NhÃ  vÄƒn hÃ³a").
	_, _ = io.WriteString(w, "\ufeff")
	return csv.NewWriter(w)
}

// csvSafe keeps a spreadsheet from running text a kiosk or staff typed as a
// formula (CSV injection), and from showing control or bidi characters.
func csvSafe(fields ...string) []string {
	for i, f := range fields {
		f = neutralise(f, false)
		if f != "" && strings.ContainsRune("=+-@\t\r", rune(f[0])) {
			f = "'" + f
		}
		fields[i] = f
	}
	return fields
}

func (h *Hub) codesPage(w http.ResponseWriter, r *http.Request, s session) {
	d, err := h.codesData(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p := s.page("Mã đăng ký", d)
	p.Notice = cmp.Or(codesNotices[r.URL.Query().Get("done")], notice(r))
	h.render(w, r, http.StatusOK, "codes", p)
}

// codesNotices are what the codes page says after its own actions.
var codesNotices = map[string]string{
	"unblocked": "Đã mở chặn đăng ký: các lần nhập sai mã từ địa chỉ đó không còn tính nữa; kỹ thuật viên chạy lại lệnh tramso enroll được ngay.",
	"gone":      "Địa chỉ đó không còn bị chặn (hết thời gian chặn, hoặc người khác vừa mở chặn).",
}

// codesData is what the codes page shows: a new code when there is one,
// and always what a technician needs besides it for `tramso enroll`.
type codesData struct {
	Code    string // "" until one is made
	Commune string
	Expires timeView
	HubURL  string   // the address for `tramso enroll --hub`, as the enrollment API gives it
	HubBad  string   // why `tramso enroll` would refuse HubURL ("" when it takes it)
	KeyIDs  []string // of the province keys this hub serves, for --key-id
	// Blocks are the addresses wrong codes keep from enrolling now.
	Blocks  []enrollBlockRow
	PerAddr int // wrong codes that block an address
	Window  int // for this many minutes at most
}

// enrollBlockRow is a blocked address as the codes page shows it.
type enrollBlockRow struct {
	EnrollBlock
	Ends timeView
}

func (h *Hub) codesData(r *http.Request) (codesData, error) {
	d := codesData{HubURL: h.wsURL(r), PerAddr: enrollPerAddress, Window: int(guessWindow / time.Minute)}
	if err := config.CheckHubURL(d.HubURL); err != nil {
		d.HubBad = err.Error()
	}
	d.KeyIDs = h.hubKeyIDs()
	blocks, err := h.EnrollBlocks(r.Context())
	for _, b := range blocks {
		d.Blocks = append(d.Blocks, enrollBlockRow{EnrollBlock: b, Ends: h.timeView(b.Until)})
	}
	return d, err
}

// EnrollBlocks are the addresses from which enrollment is refused now,
// because too many wrong codes came from them (on any hub of the database).
func (h *Hub) EnrollBlocks(ctx context.Context) ([]EnrollBlock, error) {
	return h.enrolls.enrollBlocks(ctx, h.now())
}

// LiftEnrollBlock forgets the wrong codes counted against one address (an
// EnrollBlock's Tally), so that a kiosk there may enroll again at once. It
// returns the address ("" when nothing was counted against it any more).
func (h *Hub) LiftEnrollBlock(ctx context.Context, tally string) (string, LoginLift, error) {
	return h.enrolls.liftAddress(ctx, h.now(), tally)
}

// unblockEnroll is POST /admin/codes/unblock (tally=…): an admin lifts an
// address's enrollment block, as Tài khoản lifts a login block.
func (h *Hub) unblockEnroll(w http.ResponseWriter, r *http.Request, s session) {
	addr, lift, err := h.LiftEnrollBlock(r.Context(), hubproto.Clip(r.PostFormValue("tally"), 64))
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if lift.Forgot > 0 {
		h.audit(r, s.User, "enroll_unblocked", h.DescribeLift("đăng ký từ "+addr, lift))
	}
	if lift.Lifted.Addresses == 0 {
		http.Redirect(w, r, "/admin/codes?done=gone", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/admin/codes?done=unblocked", http.StatusSeeOther)
}

func (h *Hub) createCode(w http.ResponseWriter, r *http.Request, s session) {
	commune := strings.TrimSpace(r.PostFormValue("commune"))
	d, err := h.codesData(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	code, err := h.CreateCode(r.Context(), commune, s.User)
	if err != nil {
		err = failf(err, "Tên xã không hợp lệ: tối đa 120 chữ, không có ký tự điều khiển.")
		h.render(w, r, http.StatusBadRequest, "codes", s.page("Mã đăng ký", d).withError(err))
		return
	}
	h.audit(r, s.User, "code_created", commune)
	d.Code, d.Commune, d.Expires = code, commune, h.timeView(h.now().Add(CodeLifetime))
	h.render(w, r, http.StatusOK, "codes", s.page("Mã đăng ký", d))
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

// stageValue is a stage as the forms' select sends it (see ParseStage).
func stageValue(stage int) string {
	switch {
	case stage == StageTest:
		return "test"
	case stage >= StageEveryone:
		return "everyone"
	}
	return strconv.Itoa(stage)
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
