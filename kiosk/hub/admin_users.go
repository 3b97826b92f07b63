package hub

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"tramso/kiosk/hubproto"
)

// usersData is what the accounts page shows.
type usersData struct {
	Users       []userRow
	MinPassword int
	New         string // the name typed in the create form, kept when it failed
	NewRole     Role
	PerAccount  int // wrong passwords that block an account's logins from one address
	Window      int // for this many minutes
}

type userRow struct {
	AdminUser
	When    timeView
	Block   LoginBlock // wrong passwords keep it from logging in, from Block.Addresses addresses
	Blocked timeView   // until when
}

const usersTitle = "Tài khoản"

// usersNotices are what the accounts page says after its own actions,
// besides the console's shared notices.
var usersNotices = map[string]string{
	"unblocked": "Đã mở chặn đăng nhập: các lần nhập sai mật khẩu của tài khoản này không còn tính nữa; người dùng đăng nhập lại được ngay.",
}

func (h *Hub) usersData(r *http.Request) (usersData, error) {
	users, err := h.AdminUsers(r.Context())
	if err != nil {
		return usersData{}, err
	}
	names := make([]string, len(users))
	for i, u := range users {
		names[i] = u.Username
	}
	blocks, err := h.LoginBlocks(r.Context(), names)
	d := usersData{MinPassword: minPassword, NewRole: RoleViewer, PerAccount: loginPerAccount, Window: int(guessWindow / time.Minute)}
	for _, u := range users {
		row := userRow{AdminUser: u, When: h.timeViewOf(u.Created), Block: blocks[u.Username]}
		if row.Block.Addresses > 0 {
			row.Blocked = h.timeView(row.Block.Until)
		}
		d.Users = append(d.Users, row)
	}
	return d, err
}

// DescribeLift is what the audit log says a lift did (LiftLoginBlock).
func (h *Hub) DescribeLift(name string, lift LoginLift) string {
	var b strings.Builder
	b.WriteString(name + ": ")
	switch {
	case lift.Lifted.Addresses > 0:
		fmt.Fprintf(&b, "bị chặn từ %d địa chỉ, lẽ ra đến %s", lift.Lifted.Addresses, h.formatExact(lift.Lifted.Until))
	case lift.Forgot > 0:
		b.WriteString("không bị chặn")
	default:
		b.WriteString("không bị chặn, không có lần nhập sai nào đang tính")
	}
	if lift.Forgot > 0 {
		fmt.Fprintf(&b, "; bỏ %d lần nhập sai", lift.Forgot)
	}
	return b.String()
}

// usersPage is GET /admin/users: every account, its role, and the forms to
// create one, change a role or remove an account.
func (h *Hub) usersPage(w http.ResponseWriter, r *http.Request, s session) {
	d, err := h.usersData(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p := s.page(usersTitle, d)
	p.Notice = cmp.Or(usersNotices[r.URL.Query().Get("done")], notice(r))
	h.render(w, r, http.StatusOK, "users", p)
}

// usersFailed shows the accounts page again with what went wrong.
func (h *Hub) usersFailed(w http.ResponseWriter, r *http.Request, s session, status int, err error, keep func(*usersData)) {
	d, lerr := h.usersData(r)
	if lerr != nil {
		h.serverError(w, r, lerr)
		return
	}
	if keep != nil {
		keep(&d)
	}
	h.render(w, r, status, "users", s.page(usersTitle, d).withError(err))
}

// createUser is POST /admin/users: a name, a password twice, a role.
func (h *Hub) createUser(w http.ResponseWriter, r *http.Request, s session) {
	name := typed(storable(strings.TrimSpace(r.PostFormValue("username"))))
	role, rerr := ParseRole(r.PostFormValue("role"))
	keep := func(d *usersData) {
		d.New = name
		if rerr == nil {
			d.NewRole = role
		}
	}
	password := typed(r.PostFormValue("password"))
	var err error
	switch {
	case rerr != nil:
		err = failf(rerr, "Hãy chọn một vai trò trong danh sách.")
	case !usernameFits(name):
		err = failf(nil, "Tên đăng nhập: 1 đến 64 ký tự, không có dấu cách.")
	case password != typed(r.PostFormValue("confirm")):
		err = failf(nil, "Hai lần nhập mật khẩu không giống nhau.")
	case passwordProblem(password) != "":
		err = failf(nil, passwordProblem(password))
	default:
		err = h.AddAdminUser(r.Context(), name, password, role)
		if errors.Is(err, errUserExists) {
			err = failf(nil, "Đã có tài khoản tên này. Hãy chọn tên khác.")
		}
	}
	if err != nil {
		var fe *formError
		if !errors.As(err, &fe) {
			h.serverError(w, r, err)
			return
		}
		h.usersFailed(w, r, s, http.StatusBadRequest, err, keep)
		return
	}
	h.audit(r, s.User, "user_created", name+": "+role.Label())
	http.Redirect(w, r, "/admin/users?done=user", http.StatusSeeOther)
}

// userAction is POST /admin/users/{name}: action=role (with role=…),
// disable, enable, unblock (lift a block wrong passwords put on its login)
// or remove. No one takes their own admin role away or locks themselves out
// here, and the hub never loses its last open admin.
func (h *Hub) userAction(w http.ResponseWriter, r *http.Request, s session) {
	name := hubproto.Clip(r.PathValue("name"), 64)
	var err error
	var done string
	switch r.PostFormValue("action") {
	case "role":
		role, perr := ParseRole(r.PostFormValue("role"))
		switch {
		case perr != nil:
			err = failf(perr, "Hãy chọn một vai trò trong danh sách.")
		case name == s.User && role != RoleAdmin:
			err = failf(nil, "Bạn không thể tự bỏ vai trò quản trị của mình. Nhờ một người quản trị khác làm việc này.")
		default:
			err = h.SetRole(r.Context(), name, role)
			done = "role"
			if err == nil {
				h.audit(r, s.User, "user_role_changed", name+": "+role.Label())
			}
		}
	case "remove":
		if name == s.User {
			err = failf(nil, "Bạn không thể tự xoá tài khoản của mình. Nhờ một người quản trị khác làm việc này.")
			break
		}
		if r.PostFormValue("confirm") != "yes" {
			h.render(w, r, http.StatusOK, "confirmRemoveUser", s.page("Xoá tài khoản “"+name+"”?", confirmData{
				Action: "/admin/users/" + url.PathEscape(name), Fields: []formField{{"action", "remove"}},
				Button: "Có, xoá tài khoản", Back: link{"/admin/users", "Không, quay lại"}, What: name}))
			return
		}
		err = h.RemoveAdminUser(r.Context(), name)
		done = "removed"
		if err == nil {
			h.audit(r, s.User, "user_removed", name)
		}
	case "disable", "enable":
		lock := r.PostFormValue("action") == "disable"
		if name == s.User {
			err = failf(nil, "Bạn không thể tự khoá tài khoản của mình. Nhờ một người quản trị khác làm việc này.")
			break
		}
		err = h.SetDisabled(r.Context(), name, lock)
		done = map[bool]string{true: "disabled", false: "enabled"}[lock]
		if err == nil {
			h.audit(r, s.User, "user_"+done, name)
		}
	case "unblock":
		var lift LoginLift
		lift, err = h.LiftLoginBlock(r.Context(), name)
		done = "unblocked"
		if err == nil {
			h.audit(r, s.User, "user_login_unblocked", h.DescribeLift(name, lift))
		}
	default:
		err = failf(nil, "Không rõ việc cần làm. Hãy mở lại trang và bấm lại nút.")
	}
	switch {
	case errors.Is(err, errLastAdmin):
		h.audit(r, s.User, "user_change_refused", name+": người quản trị cuối cùng")
		err = failf(nil, "Đây là tài khoản quản trị cuối cùng: máy chủ cần ít nhất một người quản trị. Hãy cho một tài khoản khác vai trò Quản trị trước.")
		h.usersFailed(w, r, s, http.StatusConflict, err, nil)
	case errors.Is(err, errNoSuchUser):
		h.usersFailed(w, r, s, http.StatusNotFound, failf(nil, "Không có tài khoản này (có thể vừa bị xoá)."), nil)
	case err != nil:
		var fe *formError
		if !errors.As(err, &fe) {
			h.serverError(w, r, err)
			return
		}
		h.usersFailed(w, r, s, http.StatusBadRequest, err, nil)
	default:
		http.Redirect(w, r, "/admin/users?done="+done, http.StatusSeeOther)
	}
}
