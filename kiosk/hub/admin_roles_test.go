package hub

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

// roleRoute is one guarded route, with a request that is harmless when it
// is let through (a confirmation page, a form error, a new code).
type roleRoute struct {
	method, path string
	form         url.Values
	perm         perm
}

// roleRoutes is every guarded route of the console but logout (it ends the
// session the table is using). rolePerms says who may use which.
func roleRoutes(device string) []roleRoute {
	return []roleRoute{
		{"GET", "/admin/", nil, permRead},
		{"GET", "/admin/fleet.csv", nil, permRead},
		{"GET", "/admin/devices/" + device, nil, permRead},
		{"GET", "/admin/packs", nil, permRead},
		{"GET", "/admin/usage", nil, permRead},
		{"GET", "/admin/usage.csv", nil, permRead},
		{"GET", "/admin/password", nil, permRead},
		{"POST", "/admin/password", url.Values{"current": {"not the password"}}, permRead},
		{"GET", "/admin/codes", nil, permManage},
		{"POST", "/admin/codes", url.Values{"commune": {"Ea Kao"}}, permManage},
		{"POST", "/admin/codes/unblock", url.Values{"tally": {"0"}}, permManage},
		{"POST", "/admin/devices/" + device, url.Values{"action": {"revoke"}}, permManage},
		{"POST", "/admin/packs", url.Values{"stage": {"test"}}, permManage},
		{"POST", "/admin/packs/7", url.Values{"action": {"halt"}}, permManage},
		{"POST", "/admin/packs/unsigned", url.Values{}, permManage},
		{"GET", "/admin/packs/pending/7/manifest.json", nil, permManage},
		{"POST", "/admin/packs/pending/7", url.Values{"action": {"nothing"}}, permManage},
		{"GET", "/admin/audit", nil, permManage},
		{"GET", "/admin/users", nil, permManage},
		{"POST", "/admin/users", url.Values{"username": {""}}, permManage},
		{"POST", "/admin/users/tinh", url.Values{"action": {"nothing"}}, permManage},
		{"GET", "/admin/content/changes", nil, permRead},
		{"POST", "/admin/content/changes", url.Values{"title": {""}}, permEdit},
		{"GET", "/admin/content/changes/DEV", nil, permRead},
		{"POST", "/admin/content/changes/DEV", url.Values{"action": {"nothing"}}, permEdit},
		{"POST", "/admin/content/changes/DEV/review", url.Values{"action": {"nothing"}}, permReview},
		{"POST", "/admin/content/publish", nil, permManage},
		{"GET", "/admin/content/export.tar.gz", nil, permRead},
		{"POST", "/admin/content/import", url.Values{}, permEdit},
		{"GET", "/admin/content/record/rad", nil, permRead},
		{"POST", "/admin/content/record/rad", url.Values{"ctxt": {"shell:shell.lang.self"}}, permEdit},
		{"GET", "/admin/content/", nil, permRead},
		{"GET", "/admin/content/files/pack.yaml", nil, permRead},
		{"POST", "/admin/content/files/pack.yaml", url.Values{"change": {"0"}}, permEdit},
		{"GET", "/admin/content/history/pack.yaml", nil, permRead},
		{"POST", "/admin/content/history/pack.yaml", url.Values{"version": {"x"}}, permEdit},
		{"POST", "/admin/content/new", url.Values{"kind": {"nothing"}}, permEdit},
		{"POST", "/admin/content/media", url.Values{}, permEdit},
		{"GET", "/admin/content/translate/", nil, permRead},
		{"GET", "/admin/content/translate/rad", nil, permRead},
		{"POST", "/admin/content/translate/rad", url.Values{"change": {"0"}}, permEdit},
	}
}

// roleMay is rolePerms written out again, so that a change to it fails
// this table until the table is checked against it.
var roleMay = map[Role][]perm{
	RoleViewer:   {permRead},
	RoleEditor:   {permRead, permEdit},
	RoleReviewer: {permRead, permEdit, permReview},
	RoleAdmin:    {permRead, permManage, permEdit, permReview},
}

// loginAs makes an account with the role (the admin "tinh" makes itself)
// and logs a browser in with it.
func loginAs(t *testing.T, h *Hub, srv *httptest.Server, user string, role Role) *admin {
	t.Helper()
	if err := h.AddAdminUser(context.Background(), user, testPassword, role); err != nil {
		t.Fatal(err)
	}
	a := newAdmin(t, srv)
	if code := a.login(user, testPassword); code != http.StatusOK {
		t.Fatalf("login %s: %d", user, code)
	}
	return a
}

// Each role against each guarded route, through the real handler with real
// sessions: allowed requests get through (whatever the handler then says),
// refused ones get the console's 403 page in Vietnamese, an audit entry,
// and do nothing.
func TestRolesGuardEveryRoute(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	ctx := context.Background()
	device, _ := newDevice(t, h)
	publishEmpty(t, h, 7, StageTest)
	for _, role := range Roles {
		t.Run(string(role), func(t *testing.T) {
			user := "u-" + string(role)
			if role == RoleAdmin {
				user = "tinh"
			}
			a := loginAs(t, h, srv, user, role)
			for _, rt := range roleRoutes(device) {
				var code int
				var body string
				if rt.method == "GET" {
					code, body = a.get(rt.path)
				} else {
					form := url.Values{"csrf": {a.csrf("/admin/password")}}
					for k, v := range rt.form {
						form[k] = v
					}
					code, body = a.post(rt.path, form, srv.URL)
				}
				allowed := role.may(rt.perm)
				if allowed != slices.Contains(roleMay[role], rt.perm) {
					t.Fatalf("rolePerms changed: update this table")
				}
				refused := code == http.StatusForbidden
				if allowed == refused {
					t.Errorf("%s %s %s: %d, allowed %v: %.300s", role, rt.method, rt.path, code, allowed, body)
					continue
				}
				if !refused {
					continue
				}
				vietnamese(t, rt.method+" "+rt.path, code, http.StatusForbidden, body, "Không có quyền làm việc này", "/admin/")
				last, err := h.Audit(ctx, 0, 1)
				if err != nil || len(last) != 1 || last[0].Action != "role_refused" || last[0].User != user ||
					last[0].Detail != rt.method+" "+rt.path {
					t.Errorf("%s %s %s: last audit entry %+v, %v", role, rt.method, rt.path, last, err)
				}
			}
			// A refused revoke, confirmed as the confirmation page would, did nothing.
			if role != RoleAdmin {
				code, _ := a.post("/admin/devices/"+device, url.Values{"csrf": {a.csrf("/admin/")},
					"action": {"revoke"}, "confirm": {"yes"}}, srv.URL)
				if d, _, err := h.DeviceByID(ctx, device); code != http.StatusForbidden || err != nil || d.Revoked {
					t.Errorf("%s revoking: %d, revoked %v, %v", role, code, d.Revoked, err)
				}
			}
		})
	}
}

// The menu and the pages show a role only what it may use.
func TestMenuFollowsRole(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	// An empty fleet points at enrollment codes only those who may make them.
	for role, wants := range map[Role]bool{RoleAdmin: true, RoleEditor: false} {
		_, body := loginAs(t, h, srv, "empty-"+string(role), role).get("/admin/")
		if !strings.Contains(body, "Chưa có thiết bị nào") || strings.Contains(body, `<a href="/admin/codes">mã đăng ký</a>`) != wants {
			t.Errorf("%s, empty fleet: the codes link shown %v", role, !wants)
		}
	}
	device, _ := newDevice(t, h)
	publishEmpty(t, h, 7, StageTest)
	manageOnly := []string{`href="/admin/codes"`, `href="/admin/audit"`, `href="/admin/users"`,
		`action="/admin/devices/`, `action="/admin/packs"`, `action="/admin/packs/7"`}
	for _, role := range Roles {
		a := loginAs(t, h, srv, "m-"+string(role), role)
		var pages strings.Builder
		for _, path := range []string{"/admin/", "/admin/devices/" + device, "/admin/packs"} {
			code, body := a.get(path)
			if code != http.StatusOK {
				t.Fatalf("%s %s: %d", role, path, code)
			}
			pages.WriteString(body)
		}
		for _, s := range manageOnly {
			if strings.Contains(pages.String(), s) != (role == RoleAdmin) {
				t.Errorf("%s: %s shown %v", role, s, !(role == RoleAdmin))
			}
		}
		if !strings.Contains(pages.String(), `href="/admin/usage"`) || !strings.Contains(pages.String(), role.Label()) {
			t.Errorf("%s: the menu lacks usage or the role's name", role)
		}
	}
}

// An admin manages accounts in the console: create with a role, change a
// role, remove; never the last admin, never themselves; every change audited.
func TestUsersPage(t *testing.T) {
	h, srv, a := loggedIn(t)
	ctx := context.Background()
	post := usersForm(a, srv)
	create := url.Values{"username": {"lan"}, "password": {testPassword}, "confirm": {testPassword}, "role": {"reviewer"}}
	if code, body := post("/admin/users", create); code != http.StatusOK || !strings.Contains(body, "Đã tạo tài khoản.") ||
		!strings.Contains(body, "Người duyệt") {
		t.Fatalf("create: %d %.500s", code, body)
	}
	if code, body := post("/admin/users", create); code != http.StatusBadRequest || !strings.Contains(body, "Đã có tài khoản tên này") {
		t.Fatalf("create twice: %d %.500s", code, body)
	}
	short := url.Values{"username": {"nam"}, "password": {"ngắn"}, "confirm": {"ngắn"}, "role": {"viewer"}}
	if code, body := post("/admin/users", short); code != http.StatusBadRequest || !strings.Contains(body, "ít nhất 10 ký tự") ||
		!strings.Contains(body, `value="nam"`) {
		t.Fatalf("short password: %d %.500s", code, body)
	}
	lan := newAdmin(t, srv)
	if lan.login("lan", testPassword) != http.StatusOK {
		t.Fatal("the new account cannot log in")
	}
	// The hub's only admin cannot take their own role away, nor be removed.
	for _, form := range []url.Values{{"action": {"role"}, "role": {"viewer"}}, {"action": {"remove"}}} {
		if code, body := post("/admin/users/tinh", form); code != http.StatusBadRequest || !strings.Contains(body, "Bạn không thể tự") {
			t.Fatalf("%v on oneself: %d %.500s", form, code, body)
		}
	}
	if err := h.SetRole(ctx, "tinh", RoleViewer); !errors.Is(err, errLastAdmin) {
		t.Fatalf("demoting the last admin: %v", err)
	}
	if err := h.RemoveAdminUser(ctx, "tinh"); !errors.Is(err, errLastAdmin) {
		t.Fatalf("removing the last admin: %v", err)
	}
	if err := h.SetAdminUser(ctx, "tinh", testPassword, RoleEditor); !errors.Is(err, errLastAdmin) {
		t.Fatalf("admin-user --role editor on the last admin: %v", err)
	}
	// lan becomes an admin: her session gets the power at once, and loses it at once.
	if code, body := post("/admin/users/lan", url.Values{"action": {"role"}, "role": {"admin"}}); code != http.StatusOK ||
		!strings.Contains(body, "Đã đổi vai trò.") {
		t.Fatalf("promote: %d %.500s", code, body)
	}
	if code, _ := lan.get("/admin/users"); code != http.StatusOK {
		t.Fatalf("promoted lan reads the users page: %d", code)
	}
	if err := h.SetRole(ctx, "tinh", RoleViewer); err != nil {
		t.Fatalf("demoting one of two admins: %v", err)
	}
	if err := h.SetRole(ctx, "tinh", RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if code, _ := post("/admin/users/lan", url.Values{"action": {"role"}, "role": {"viewer"}}); code != http.StatusOK {
		t.Fatalf("demote: %d", code)
	}
	if code, _ := lan.get("/admin/users"); code != http.StatusForbidden {
		t.Fatalf("demoted lan reads the users page: %d", code)
	}
	// Removing asks first, then ends her sessions.
	if code, body := post("/admin/users/lan", url.Values{"action": {"remove"}}); code != http.StatusOK ||
		!strings.Contains(body, "Có, xoá tài khoản") || !strings.Contains(body, `name="confirm" value="yes"`) {
		t.Fatalf("remove without confirming: %d %.500s", code, body)
	}
	if code, body := lan.get("/admin/"); code != http.StatusOK || strings.Contains(body, `action="/admin/login"`) {
		t.Fatalf("an unconfirmed removal ended the session: %d", code)
	}
	if code, body := post("/admin/users/lan", url.Values{"action": {"remove"}, "confirm": {"yes"}}); code != http.StatusOK ||
		!strings.Contains(body, "Đã xoá tài khoản.") || strings.Contains(body, `data-testid="user-lan"`) {
		t.Fatalf("remove: %d %.500s", code, body)
	}
	if code, body := lan.get("/admin/"); code != http.StatusOK || !strings.Contains(body, `action="/admin/login"`) {
		t.Fatalf("a removed account's session still works: %d", code)
	}
	if code, _ := post("/admin/users/lan", url.Values{"action": {"remove"}, "confirm": {"yes"}}); code != http.StatusNotFound {
		t.Fatalf("remove twice: %d", code)
	}
	var actions []string
	entries, _ := h.Audit(ctx, 0, 100)
	for _, e := range entries {
		if strings.HasPrefix(e.Action, "user_") {
			actions = append(actions, e.Action+" "+e.Detail)
		}
	}
	want := []string{"user_removed lan", "user_role_changed lan: Người xem", "user_role_changed lan: Quản trị",
		"user_created lan: Người duyệt"}
	if strings.Join(actions, "|") != strings.Join(want, "|") {
		t.Fatalf("audit %q, want %q", actions, want)
	}
}

// usersForm posts a form of the accounts page as a, with its CSRF token.
func usersForm(a *admin, srv *httptest.Server) func(string, url.Values) (int, string) {
	return func(path string, form url.Values) (int, string) {
		form.Set("csrf", a.csrf("/admin/users"))
		return a.post(path, form, srv.URL)
	}
}

// TestLockAccount: an admin locks an account instead of removing it. Its
// sessions end at once and it cannot log in (told so only with the right
// password), its name stays; opening it again restores the login. No one
// locks themselves, and the last open admin is never locked.
func TestLockAccount(t *testing.T) {
	h, srv, a := loggedIn(t)
	ctx := context.Background()
	post := usersForm(a, srv)
	if err := h.AddAdminUser(ctx, "lan", testPassword, RoleEditor); err != nil {
		t.Fatal(err)
	}
	lan := newAdmin(t, srv)
	if lan.login("lan", testPassword) != http.StatusOK {
		t.Fatal("lan cannot log in")
	}
	if code, body := post("/admin/users/lan", url.Values{"action": {"disable"}}); code != http.StatusOK ||
		!strings.Contains(body, "Đã khoá tài khoản.") || !strings.Contains(body, `<span class="badge bad">đã khoá</span>`) ||
		!strings.Contains(body, `value="enable"`) {
		t.Fatalf("lock: %d %.1500s", code, body)
	}
	if code, body := lan.get("/admin/"); code != http.StatusOK || !strings.Contains(body, `action="/admin/login"`) {
		t.Fatalf("a locked account's session still works: %d", code)
	}
	again := newAdmin(t, srv)
	if code := again.login("lan", "sai mật khẩu rồi nhé"); code != http.StatusUnauthorized {
		t.Fatalf("a wrong password for a locked account: %d, want the usual 401", code)
	}
	token := again.csrf("/admin/login")
	code, body := again.post("/admin/login", url.Values{"csrf": {token}, "username": {"lan"}, "password": {testPassword}}, srv.URL)
	if code != http.StatusForbidden || !strings.Contains(body, "Tài khoản này đã bị khoá") {
		t.Fatalf("the right password for a locked account: %d %.500s", code, body)
	}
	if users, _ := h.AdminUsers(ctx); len(users) != 2 || users[0].Username != "lan" || users[0].Disabled == "" {
		t.Fatalf("accounts: %+v", users)
	}
	if code, body := post("/admin/users/lan", url.Values{"action": {"enable"}}); code != http.StatusOK || !strings.Contains(body, "Đã mở khoá tài khoản") {
		t.Fatalf("open: %d %.500s", code, body)
	}
	if again.login("lan", testPassword) != http.StatusOK {
		t.Fatal("lan cannot log in once opened again")
	}

	// Never oneself; never the last open admin.
	if code, body := post("/admin/users/tinh", url.Values{"action": {"disable"}}); code != http.StatusBadRequest || !strings.Contains(body, "tự khoá") {
		t.Fatalf("locking oneself: %d %.500s", code, body)
	}
	if err := h.SetDisabled(ctx, "tinh", true); !errors.Is(err, errLastAdmin) {
		t.Fatalf("locking the last admin: %v", err)
	}
	if err := h.SetRole(ctx, "lan", RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if err := h.SetDisabled(ctx, "lan", true); err != nil {
		t.Fatalf("locking one of two admins: %v", err)
	}
	// lan is locked: tinh is the last open admin again.
	if err := h.SetRole(ctx, "tinh", RoleViewer); !errors.Is(err, errLastAdmin) {
		t.Fatalf("demoting the last open admin: %v", err)
	}
	if err := h.SetDisabled(ctx, "nobody", true); !errors.Is(err, errNoSuchUser) {
		t.Fatalf("locking no one: %v", err)
	}

	var actions []string
	entries, _ := h.Audit(ctx, 0, 100)
	for _, e := range entries {
		if strings.HasPrefix(e.Action, "user_") || e.Action == "login_refused" {
			actions = append(actions, e.Action+" "+e.Detail)
		}
	}
	want := []string{"user_enabled lan", "login_refused tài khoản đã bị khoá", "user_disabled lan"}
	if strings.Join(actions, "|") != strings.Join(want, "|") {
		t.Fatalf("audit %q, want %q", actions, want)
	}
}

// Two admins taking each other's admin role at the same moment: one wins,
// the hub keeps an admin (on PostgreSQL the rows are locked first).
func TestLastAdminUnderRace(t *testing.T) {
	h := runTestHub(t, Options{})
	ctx := context.Background()
	for i := range 5 {
		a, b := "a"+string(rune('0'+i)), "b"+string(rune('0'+i))
		for _, u := range []string{a, b} {
			if err := h.AddAdminUser(ctx, u, testPassword, RoleAdmin); err != nil {
				t.Fatal(err)
			}
		}
		// Only a and b are admins in this round.
		if _, err := h.DB.Exec(`UPDATE admins SET role = 'viewer' WHERE username <> $1 AND username <> $2`, a, b); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for j, u := range []string{a, b} {
			wg.Add(1)
			go func() { defer wg.Done(); errs[j] = h.SetRole(ctx, u, RoleViewer) }()
		}
		wg.Wait()
		var admins int
		h.DB.QueryRow(`SELECT count(*) FROM admins WHERE role = 'admin'`).Scan(&admins)
		if admins != 1 || (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("round %d: %d admins left, errors %v", i, admins, errs)
		}
		for _, err := range errs {
			if err != nil && !errors.Is(err, errLastAdmin) {
				t.Fatalf("round %d: %v", i, err)
			}
		}
	}
}

// A database made before roles (migrations up to 0006) opens with every
// existing account an admin; an account inserted later without a role is a
// viewer; the column takes only the four roles. On both databases.
func TestMigrationMakesAccountsAdmins(t *testing.T) {
	for _, dialect := range []Dialect{SQLite, Postgres} {
		t.Run(dialect.String(), func(t *testing.T) {
			ctx := context.Background()
			db, opts := hubBefore(t, dialect, "0007_roles.sql")
			for _, u := range []string{"tinh", "huyen"} {
				if _, err := db.Exec(`INSERT INTO admins(username, password_hash, created_at) VALUES ($1, 'x', '2026-12-01T00:00:00Z')`, u); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()
			h, err := Open(opts)
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close()
			if _, err := h.DB.Exec(`INSERT INTO admins(username, password_hash, created_at) VALUES ('moi', 'x', '2026-12-02T00:00:00Z')`); err != nil {
				t.Fatal(err)
			}
			users, err := h.AdminUsers(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]Role{}
			for _, u := range users {
				got[u.Username] = u.Role
			}
			if got["tinh"] != RoleAdmin || got["huyen"] != RoleAdmin || got["moi"] != RoleViewer || len(got) != 3 {
				t.Fatalf("roles after the migration: %v", got)
			}
			if _, err := h.DB.Exec(`UPDATE admins SET role = 'boss' WHERE username = 'moi'`); err == nil {
				t.Fatal("the role column took a fifth role")
			}
		})
	}
}

// Every route adminRoutes guards with a role is in roleRoutes (but logout),
// with the same permission: a new route cannot miss the table.
func TestRoleTableCoversRoutes(t *testing.T) {
	// Every source file of the package: routes are registered beside their pages.
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var src []byte
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		src = append(src, b...)
	}
	re := regexp.MustCompile(`mux\.HandleFunc\("(GET|POST) (/admin/[^"]*)", h\.allow\((perm\w+),`)
	fill := strings.NewReplacer("{$}", "", "{id}", "DEV", "{generation}", "7", "{name}", "tinh",
		"{lang}", "rad", "{path...}", "pack.yaml")
	table := map[string]perm{}
	for _, rt := range roleRoutes("DEV") {
		table[rt.method+" "+rt.path] = rt.perm
	}
	names := map[string]perm{"permRead": permRead, "permManage": permManage, "permEdit": permEdit, "permReview": permReview}
	found := 0
	for _, m := range re.FindAllStringSubmatch(string(src), -1) {
		key := m[1] + " " + fill.Replace(m[2])
		if key == "POST /admin/logout" {
			continue
		}
		found++
		if p, ok := table[key]; !ok || p != names[m[3]] {
			t.Errorf("%s (%s) is not in roleRoutes with that permission", key, m[3])
		}
	}
	if found != len(table) {
		t.Errorf("the package guards %d routes, roleRoutes has %d", found, len(table))
	}
}
