package hub

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
)

// Role is what a console account may do. It is stored in admins.role
// (migration 0007, which made every account that existed an admin) and read
// with the session on every request, so a changed role applies at once.
type Role string

const (
	RoleViewer   Role = "viewer"
	RoleEditor   Role = "editor"
	RoleReviewer Role = "reviewer"
	RoleAdmin    Role = "admin"
)

// Roles lists every role, least power first (the order forms show them).
var Roles = []Role{RoleViewer, RoleEditor, RoleReviewer, RoleAdmin}

// ParseRole reads a role's name as the CLI and the forms give it.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("role %q: one of viewer, editor, reviewer, admin", s)
}

// roleLabels name the roles as staff read them.
var roleLabels = map[Role]string{
	RoleViewer:   "Người xem",
	RoleEditor:   "Biên tập viên",
	RoleReviewer: "Người duyệt",
	RoleAdmin:    "Quản trị",
}

// Label is the role in Vietnamese.
func (r Role) Label() string {
	if l, ok := roleLabels[r]; ok {
		return l
	}
	return string(r)
}

// perm is a kind of work in the console; each route asks for one.
type perm string

const (
	permRead   perm = "read"   // look at the fleet, a device, the packs, usage
	permManage perm = "manage" // change anything: devices, codes, publishing, accounts; read the audit log
	permEdit   perm = "edit"   // content studio: draft changes, save versions, propose them
	permReview perm = "review" // content studio: approve or send back another person's change
)

// rolePerms is who may do what. The routes (adminRoutes) and the menu
// (layout.html) both follow it; README's console section repeats it.
//
//	route                                   viewer editor reviewer admin
//	GET  /admin/ (fleet), fleet.csv           ✓      ✓      ✓       ✓
//	GET  /admin/devices/{id}                  ✓      ✓      ✓       ✓
//	GET  /admin/packs                         ✓      ✓      ✓       ✓
//	GET  /admin/usage, usage.csv              ✓      ✓      ✓       ✓
//	GET/POST /admin/password (own), logout    ✓      ✓      ✓       ✓
//	POST /admin/devices/{id} (rename, wave,
//	     revoke)                                                     ✓
//	GET/POST /admin/codes (enrollment), POST
//	     /admin/codes/unblock                                        ✓
//	POST /admin/packs (publish),
//	     /admin/packs/{gen} (stage, halt,
//	     rollback)                                                   ✓
//	POST /admin/packs/unsigned, GET/POST
//	     /admin/packs/pending/{gen}… (publish
//	     with the key kept offline)                                  ✓
//	GET  /admin/audit                                                ✓
//	GET/POST /admin/users (accounts, roles)                          ✓
//
//	GET  /admin/content/… (studio: read)      ✓      ✓      ✓       ✓
//	POST /admin/content/… (edit, propose)            ✓      ✓       ✓
//	POST /admin/content/changes/{id}/review                 ✓       ✓
//	POST /admin/content/publish (assemble)                           ✓
//
// The audit log is the administrators': it shows staff addresses and the
// names failed logins typed. A reviewer may edit too (a fix while
// reviewing is a change of their own, which someone else then approves);
// nobody approves their own change (studio rules, not roles).
var rolePerms = map[Role][]perm{
	RoleViewer:   {permRead},
	RoleEditor:   {permRead, permEdit},
	RoleReviewer: {permRead, permEdit, permReview},
	RoleAdmin:    {permRead, permManage, permEdit, permReview},
}

func (r Role) may(p perm) bool {
	for _, q := range rolePerms[r] {
		if q == p {
			return true
		}
	}
	return false
}

// Can says whether the page's user may do p: templates show only the
// controls and menu entries the role may use.
func (p page) Can(what perm) bool { return p.Role.may(what) }

// allow admits logged-in staff whose role may do p (adminOnly checks the
// session and the form's token first). A refusal is a 403 page and an
// audit entry.
func (h *Hub) allow(p perm, next func(http.ResponseWriter, *http.Request, session)) http.HandlerFunc {
	return h.adminOnly(func(w http.ResponseWriter, r *http.Request, s session) {
		if !s.Role.may(p) {
			h.refuse(w, r, s)
			return
		}
		next(w, r, s)
	})
}

func (h *Hub) refuse(w http.ResponseWriter, r *http.Request, s session) {
	h.audit(r, s.User, "role_refused", r.Method+" "+r.URL.Path)
	h.errorPage(w, r, http.StatusForbidden, "Không có quyền làm việc này",
		fmt.Sprintf("Tài khoản của bạn có vai trò %s, không được làm việc này. Việc vừa yêu cầu chưa được thực hiện. Nếu cần, hãy nhờ một người quản trị đổi vai trò cho bạn.", s.Role.Label()),
		link{"/admin/", "Về trang Thiết bị"})
}

// Errors of account changes.
var (
	errLastAdmin  = errors.New("the hub's last admin cannot lose the admin role")
	errNoSuchUser = errors.New("no such admin user")
	errUserExists = errors.New("admin user already exists")
)

// AdminUser is a console account.
type AdminUser struct {
	Username string
	Role     Role
	Created  string // RFC 3339 UTC
	Disabled string // when the account was locked (RFC 3339 UTC); "" while it is open
}

// AdminUsers lists the console's accounts by name.
func (h *Hub) AdminUsers(ctx context.Context) ([]AdminUser, error) {
	rows, err := h.DB.QueryContext(ctx, `SELECT username, role, created_at, COALESCE(disabled_at, '') FROM admins ORDER BY username`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AdminUser
	for rows.Next() {
		var u AdminUser
		if err := rows.Scan(&u.Username, &u.Role, &u.Created, &u.Disabled); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// AddAdminUser creates an account; unlike CreateAdmin it never touches an
// existing one (errUserExists).
func (h *Hub) AddAdminUser(ctx context.Context, username, password string, role Role) error {
	username, password = typed(username), typed(password)
	hash, err := checkedHash(username, password)
	if err != nil {
		return err
	}
	res, err := h.DB.ExecContext(ctx, `INSERT INTO admins(username, password_hash, created_at, role) VALUES ($1, $2, $3, $4)
		ON CONFLICT(username) DO NOTHING`, username, hash, h.stamp(), string(role))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errUserExists
	}
	return nil
}

// SetRole gives an account another role, unless that leaves the hub with
// no admin (errLastAdmin).
func (h *Hub) SetRole(ctx context.Context, username string, role Role) error {
	return h.changeAccount(ctx, username, role != RoleAdmin, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE admins SET role = $1 WHERE username = $2`, string(role), username)
		return err
	})
}

// RemoveAdminUser deletes an account and its sessions (ON DELETE CASCADE),
// unless it is the last admin. The audit log keeps its name.
func (h *Hub) RemoveAdminUser(ctx context.Context, username string) error {
	return h.changeAccount(ctx, username, true, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM admins WHERE username = $1`, username)
		return err
	})
}

// SetDisabled locks an account (its sessions end; it cannot log in) or
// opens it again. Locking the last open admin is refused (errLastAdmin).
func (h *Hub) SetDisabled(ctx context.Context, username string, disabled bool) error {
	return h.changeAccount(ctx, username, disabled, func(tx *sql.Tx) error {
		if !disabled {
			_, err := tx.ExecContext(ctx, `UPDATE admins SET disabled_at = NULL WHERE username = $1`, username)
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE admins SET disabled_at = $1 WHERE username = $2 AND disabled_at IS NULL`, h.stamp(), username); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM admin_sessions WHERE admin_id = (SELECT id FROM admins WHERE username = $1)`, username)
		return err
	})
}

// changeAccount runs change in a transaction that first makes sure the
// account exists and, when the change takes its admin role away
// (dropsAdmin), that another admin remains. Every admin row is locked
// first (a no-op update): two admins demoting each other at once on
// PostgreSQL would otherwise each count the other; SQLite's write
// transactions run one at a time anyway.
func (h *Hub) changeAccount(ctx context.Context, username string, dropsAdmin bool, change func(*sql.Tx) error) error {
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE admins SET role = role WHERE role = 'admin'`); err != nil {
		return err
	}
	var current Role
	err = tx.QueryRowContext(ctx, `SELECT role FROM admins WHERE username = $1`, username).Scan(&current)
	if errors.Is(err, sql.ErrNoRows) {
		return errNoSuchUser
	} else if err != nil {
		return err
	}
	if dropsAdmin && current == RoleAdmin {
		var others int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM admins WHERE role = 'admin' AND username <> $1 AND disabled_at IS NULL`,
			username).Scan(&others); err != nil {
			return err
		}
		if others == 0 {
			return errLastAdmin
		}
	}
	if err := change(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// LoginBlocks says which of the accounts are refused a login from some
// address now, because of wrong passwords typed for them there (the
// throttle in throttle.go). Accounts not blocked are absent.
func (h *Hub) LoginBlocks(ctx context.Context, usernames []string) (map[string]LoginBlock, error) {
	return h.logins.accountBlocks(ctx, h.now(), loginPerAccount, usernames)
}

// LiftLoginBlock forgets the wrong passwords typed for an account, from
// every address and on every hub sharing the database, so that it may log
// in again at once. Wrong passwords for other names still count against
// the addresses they came from.
func (h *Hub) LiftLoginBlock(ctx context.Context, username string) (LoginLift, error) {
	username = typed(username)
	var exists bool
	err := h.DB.QueryRowContext(ctx, `SELECT true FROM admins WHERE username = $1`, username).Scan(&exists)
	if errors.Is(err, sql.ErrNoRows) {
		return LoginLift{}, errNoSuchUser
	} else if err != nil {
		return LoginLift{}, err
	}
	return h.logins.liftAccount(ctx, h.now(), username, loginPerAccount)
}
