package hub

import (
	"context"
	"net/http"
	"strconv"

	"tramso/kiosk/hubproto"
)

// auditActions name what the audit log records, as staff read it.
var auditActions = map[string]string{
	"login":                    "Đăng nhập",
	"login_failed":             "Đăng nhập sai",
	"login_refused":            "Không cho đăng nhập (tài khoản đã bị khoá)",
	"login_throttled":          "Chặn đăng nhập tạm thời (sai quá nhiều lần)",
	"logout":                   "Đăng xuất",
	"password_changed":         "Đổi mật khẩu",
	"password_failed":          "Đổi mật khẩu: sai mật khẩu hiện tại",
	"password_throttled":       "Chặn đổi mật khẩu tạm thời (sai quá nhiều lần)",
	"device_saved":             "Sửa thiết bị",
	"device_revoked":           "Thu hồi thiết bị",
	"code_created":             "Tạo mã đăng ký",
	"pack_published":           "Phát hành gói nội dung",
	"rollout_stage":            "Đổi phạm vi triển khai",
	"rollout_halted":           "Tạm dừng triển khai",
	"rollout_rollback":         "Quay lại nội dung cũ",
	"rollout_rollback_pending": "Quay lại nội dung cũ (gói chờ ký ngoài máy chủ)",
	"enroll_failed":            "Đăng ký kiosk: mã sai",
	"enroll_throttled":         "Chặn đăng ký kiosk tạm thời (sai mã quá nhiều lần)",
	"enroll_unblocked":         "Mở chặn đăng ký kiosk từ một địa chỉ (sai mã quá nhiều lần)",
	"admin_user_set":           "Đặt mật khẩu cho tài khoản",
	"pack_withdrawn":           "Gỡ gói có thế hệ ngoài phạm vi",
	"pack_unsigned_uploaded":   "Gửi gói chưa ký (chờ ký ngoài máy chủ)",
	"pack_unsigned_refused":    "Gói chưa ký bị từ chối",
	"pack_manifest_downloaded": "Tải manifest.json của gói chờ ký",
	"pack_signature_refused":   "Chữ ký gói bị từ chối (chưa phát hành)",
	"pack_pending_discarded":   "Bỏ gói chờ ký",
	"role_refused":             "Bị từ chối: vai trò không được làm việc này",
	"user_created":             "Tạo tài khoản",
	"user_role_changed":        "Đổi vai trò tài khoản",
	"user_removed":             "Xoá tài khoản",
	"user_disabled":            "Khoá tài khoản",
	"user_login_unblocked":     "Mở chặn đăng nhập (sai mật khẩu quá nhiều lần)",
	"user_enabled":             "Mở khoá tài khoản",
	"user_change_refused":      "Không đổi được tài khoản (người quản trị cuối cùng)",
}

// CLIAddress is where the audit log says a command on the hub's own
// machine came from.
const CLIAddress = "dòng lệnh trên máy chủ"

// auditPageSize is how many entries one page of the audit log shows.
const auditPageSize = 50

// audit records what someone did in the console, or failed to do, from
// which address. It never fails the action: a full disk is logged instead.
func (h *Hub) audit(r *http.Request, user, action, detail string) {
	h.auditFrom(context.WithoutCancel(r.Context()), h.clientAddr(r), user, action, detail)
}

// AuditCLI records an action done with `tramso hub …` on the hub's machine,
// so the console's log holds every change, not only the console's own. user
// is the operating-system account that ran it.
func (h *Hub) AuditCLI(user, action, detail string) {
	h.auditFrom(context.Background(), CLIAddress, "cli:"+user, action, detail)
}

func (h *Hub) auditFrom(ctx context.Context, remote, user, action, detail string) {
	_, err := h.DB.ExecContext(ctx, `INSERT INTO admin_audit(at, username, remote, action, detail) VALUES ($1, $2, $3, $4, $5)`,
		h.stamp(), hubproto.Clip(user, 64), remote, action, hubproto.Clip(detail, 500))
	if err != nil {
		h.log.Error("write audit log", "action", action, "user", user, "err", err)
	}
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID     int64
	At     string
	User   string
	Remote string
	Action string
	Detail string
	Label  string // the action as staff read it (the key itself when this hub does not know it)
}

// Audit lists audit entries older than before (all when before <= 0),
// newest first, at most limit.
func (h *Hub) Audit(ctx context.Context, before int64, limit int) ([]AuditEntry, error) {
	if before <= 0 {
		before = 1 << 62
	}
	rows, err := h.DB.QueryContext(ctx, `SELECT id, at, username, remote, action, detail FROM admin_audit
		WHERE id < $1 ORDER BY id DESC LIMIT $2`, before, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.User, &e.Remote, &e.Action, &e.Detail); err != nil {
			return nil, err
		}
		e.Label = labelOr(auditActions, e.Action)
		out = append(out, e)
	}
	return out, rows.Err()
}

type auditRow struct {
	AuditEntry
	When timeView
}

type auditData struct {
	Entries []auditRow
	Older   int64 // ?before= for the next (older) page, 0 when none
	Newest  bool  // this is the first page
}

// auditPage is GET /admin/audit?before=ID: the newest entries first.
func (h *Hub) auditPage(w http.ResponseWriter, r *http.Request, s session) {
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	entries, err := h.Audit(r.Context(), before, auditPageSize+1)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := auditData{Newest: before <= 0}
	if len(entries) > auditPageSize {
		entries = entries[:auditPageSize]
		d.Older = entries[auditPageSize-1].ID
	}
	for _, e := range entries {
		d.Entries = append(d.Entries, auditRow{AuditEntry: e, When: h.timeViewOf(e.At)})
	}
	h.render(w, r, http.StatusOK, "audit", s.page("Nhật ký thao tác", d))
}
