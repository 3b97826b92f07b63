//go:build !desktop

package cli

import (
	"context"
	"flag"
	"fmt"
)

var cmdHubWithdraw = &command{
	name:    "hub withdraw",
	summary: "remove a published pack whose generation is outside 1..2^53-1 (the hub ignores it and logs it at start)",
	usage:   "[--data DIR] --generation N",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		hf := addHubFlags(fs)
		gen := fs.Int64("generation", 0, "the out-of-range generation, as the hub's log names it")
		return func(env *Env) error {
			if *gen == 0 {
				return usagef("tramso hub withdraw: --generation is required")
			}
			h, err := hf.open()
			if err != nil {
				return err
			}
			defer h.Close()
			if err := h.Withdraw(context.Background(), *gen, "cli"); err != nil {
				return err
			}
			h.AuditCLI(osUser(), "pack_withdrawn", fmt.Sprintf("thế hệ %d", *gen))
			fmt.Fprintf(env.Stdout, "generation %d withdrawn\n", *gen)
			return nil
		}
	},
}
