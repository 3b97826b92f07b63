//go:build !desktop

package cli

import (
	"context"
	"flag"
	"fmt"
)

var cmdHubCode = &command{
	name:    "hub code",
	summary: "create a one-time enrollment code for a kiosk",
	usage:   "[--data DIR] [--commune NAME]",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		hf := addHubFlags(fs)
		commune := fs.String("commune", "", "the commune the kiosk belongs to")
		return func(env *Env) error {
			h, err := hf.open()
			if err != nil {
				return err
			}
			defer h.Close()
			code, err := h.CreateCode(context.Background(), *commune, "cli")
			if err != nil {
				return err
			}
			h.AuditCLI(osUser(), "code_created", *commune)
			fmt.Fprintln(env.Stdout, code)
			return nil
		}
	},
}
