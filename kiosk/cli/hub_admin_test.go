//go:build !desktop

package cli

import (
	"context"
	"strings"
	"testing"

	"tramso/kiosk/hub"
	"tramso/kiosk/hub/hubtest"
)

// TestHubAdminUserRole: `hub admin-user` makes an admin by default, gives
// --role, keeps an account's role when only its password is set, never
// demotes the last admin, refuses an unknown role, and logs each change.
func TestHubAdminUserRole(t *testing.T) {
	data, db := t.TempDir(), hubtest.Database(t)
	t.Setenv(HubDBEnv, db)
	const password = "mật khẩu đủ dài\n"
	runTramso(t, password, "hub", "admin-user", "--data", data, "--user", "tinh")
	runTramso(t, password, "hub", "admin-user", "--data", data, "--user", "xem", "--role", "viewer")
	runTramso(t, password, "hub", "admin-user", "--data", data, "--user", "xem") // a new password only
	p := startTramso(t, "tramso hub admin-user", password, "hub", "admin-user", "--data", data, "--user", "tinh", "--role", "editor")
	<-p.exited
	if code := p.cmd.ProcessState.ExitCode(); code == 0 || !strings.Contains(p.out.String(), "last admin") {
		t.Fatalf("demoting the last admin: exit %d\n%s", code, p.out.String())
	}
	if code, _, errOut := tramso(t, "hub", "admin-user", "--data", data, "--user", "x", "--role", "boss"); code != 2 ||
		!strings.Contains(errOut, "viewer, editor, reviewer, admin") {
		t.Fatalf("unknown role: exit %d %s", code, errOut)
	}
	h, err := hub.Open(hub.Options{Dir: data, Database: db})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	users, err := h.AdminUsers(context.Background())
	if err != nil || len(users) != 2 || users[0].Username != "tinh" || users[0].Role != hub.RoleAdmin ||
		users[1].Username != "xem" || users[1].Role != hub.RoleViewer {
		t.Fatalf("accounts %+v, %v", users, err)
	}
	entries, err := h.Audit(context.Background(), 0, 10)
	var details []string
	for _, e := range entries {
		details = append(details, e.Action+" "+e.Detail)
	}
	if err != nil || strings.Join(details, "|") != "admin_user_set xem|admin_user_set xem: Người xem|admin_user_set tinh" {
		t.Fatalf("audit %q, %v", details, err)
	}
}
