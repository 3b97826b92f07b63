package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
)

var cmdHubAdmin = &command{
	name:    "hub admin-user",
	summary: "create a province staff login for the hub's admin (or set a new password); reads the password from standard input",
	usage:   "[--data DIR] --user NAME",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		hf := addHubFlags(fs)
		user := fs.String("user", "", "user name")
		return func(env *Env) error {
			if *user == "" {
				return usagef("tramso hub admin-user: --user is required")
			}
			fmt.Fprintf(env.Stderr, "password for %s (one line, at least 10 characters): ", *user)
			line, err := bufio.NewReader(os.Stdin).ReadString('\n')
			if err != nil && line == "" {
				return fmt.Errorf("read password: %w", err)
			}
			h, err := hf.open()
			if err != nil {
				return err
			}
			defer h.Close()
			if err := h.CreateAdmin(context.Background(), *user, strings.TrimRight(line, "\r\n")); err != nil {
				return err
			}
			h.AuditCLI(osUser(), "admin_user_set", *user)
			fmt.Fprintf(env.Stdout, "admin user %s can now log in at /admin/\n", *user)
			return nil
		}
	},
}
