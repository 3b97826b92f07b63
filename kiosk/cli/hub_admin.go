//go:build !desktop

package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"tramso/kiosk/hub"
)

var cmdHubAdmin = &command{
	name:    "hub admin-user",
	summary: "create a province staff login for the hub's console (or set a new password, or a role); reads the password from standard input",
	usage:   "[--data DIR] [--create-data] --user NAME [--role viewer|editor|reviewer|admin]",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		hf := addHubFlags(fs)
		user := fs.String("user", "", "user name")
		create := fs.Bool("create-data", false, "make --data when it does not exist (a new hub on SQLite)")
		roleName := fs.String("role", "", "viewer, editor, reviewer or admin (default: admin for a new account; an existing one keeps its role)")
		return func(env *Env) error {
			if *user == "" {
				return usagef("tramso hub admin-user: --user is required")
			}
			var role hub.Role
			if *roleName != "" {
				r, err := hub.ParseRole(*roleName)
				if err != nil {
					return usagef("tramso hub admin-user: %v", err)
				}
				role = r
			}
			if err := hf.requireData(*create); err != nil {
				return err
			}
			fmt.Fprintf(env.Stderr, "password for %s (one line, at least 10 characters): ", *user)
			line, err := bufio.NewReader(os.Stdin).ReadString('\n')
			if err != nil && line == "" {
				return fmt.Errorf("read password: %w", err)
			}
			h, err := hf.openOrMake() // requireData above: --create-data, or it exists
			if err != nil {
				return err
			}
			defer h.Close()
			if err := h.SetAdminUser(context.Background(), *user, strings.TrimRight(line, "\r\n"), role); err != nil {
				return err
			}
			detail := *user
			if role != "" {
				detail += ": " + role.Label()
			}
			h.AuditCLI(osUser(), "admin_user_set", detail)
			// A new password is the technician's answer to "I cannot log in":
			// the wrong passwords typed before it no longer count.
			lift, err := h.LiftLoginBlock(context.Background(), *user)
			if err != nil {
				return fmt.Errorf("the password is set, but lifting the login block failed: %w", err)
			}
			if lift.Forgot > 0 {
				h.AuditCLI(osUser(), "user_login_unblocked", h.DescribeLift(*user, lift))
			}
			who := *user
			if role != "" {
				who += " (" + string(role) + ")"
			}
			locked, err := accountLocked(h, *user)
			if err != nil {
				return err
			}
			switch {
			case locked:
				fmt.Fprintf(env.Stdout, "account %s has a new password but is locked: an admin opens it on the console's Tài khoản page (Mở khoá)\n", who)
			default:
				fmt.Fprintf(env.Stdout, "account %s can now log in at /admin/\n", who)
			}
			switch {
			case lift.Lifted.Addresses > 0:
				fmt.Fprintf(env.Stdout, "lifted its login block: after too many wrong passwords, its logins from %d address(es) would have been refused for %s more\n",
					lift.Lifted.Addresses, minutesLeft(lift.Lifted.Until))
			case lift.Forgot > 0:
				fmt.Fprintf(env.Stdout, "it was not blocked; the %d wrong password(s) counted against it no longer count\n", lift.Forgot)
			}
			return nil
		}
	},
}

// accountLocked says whether an admin locked the account (it cannot log in
// with any password until one opens it).
func accountLocked(h *hub.Hub, name string) (bool, error) {
	users, err := h.AdminUsers(context.Background())
	for _, u := range users {
		if u.Username == name {
			return u.Disabled != "", err
		}
	}
	return false, err
}

// minutesLeft says how long until t, in whole minutes at least one.
func minutesLeft(t time.Time) string {
	return fmt.Sprintf("%d min", max(1, int(time.Until(t).Round(time.Minute)/time.Minute)))
}

// requireData refuses a SQLite hub's --data that does not exist: a typo must
// not make a new, empty hub whose account then logs in nowhere. A hub on
// PostgreSQL keeps its accounts in the database, not in --data.
func (h *hubFlags) requireData(create bool) error {
	if h.db != "" || os.Getenv(HubDBEnv) != "" {
		return nil
	}
	return requireDataDir(h.data, "/var/lib/tramso-hub", create)
}
