//go:build !desktop

package cli

import (
	"context"
	"flag"
	"fmt"

	"tramso/kiosk/hub"
)

var cmdHubStage = &command{
	name:    "hub stage",
	summary: "widen a rollout (test → waves → everyone) or halt it",
	usage:   "[--data DIR] --generation N --stage test|1..9|everyone|halt",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		hf := addHubFlags(fs)
		gen := fs.Int64("generation", 0, "the published generation")
		stage := fs.String("stage", "", "test, a wave 1..9, everyone, or halt")
		return func(env *Env) error {
			h, err := hf.open()
			if err != nil {
				return err
			}
			defer h.Close()
			ctx := context.Background()
			if *stage == "halt" {
				err = h.Halt(ctx, *gen)
			} else {
				st, perr := hub.ParseStage(*stage)
				if perr != nil {
					return usagef("--stage: %v", perr)
				}
				err = h.SetStage(ctx, *gen, st)
			}
			if err != nil {
				return err
			}
			action := "rollout_stage"
			if *stage == "halt" {
				action = "rollout_halted"
			}
			h.AuditCLI(osUser(), action, fmt.Sprintf("thế hệ %d, %s", *gen, *stage))
			fmt.Fprintf(env.Stdout, "generation %d: %s\n", *gen, *stage)
			return nil
		}
	},
}
