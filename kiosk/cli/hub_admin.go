//go:build !desktop

package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

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
			who := *user
			if role != "" {
				who += " (" + string(role) + ")"
			}
			fmt.Fprintf(env.Stdout, "account %s can now log in at /admin/\n", who)
			return nil
		}
	},
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
