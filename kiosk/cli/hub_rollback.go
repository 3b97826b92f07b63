//go:build !desktop

package cli

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"

	"tramso/kiosk/hub"
)

var cmdHubRollback = &command{
	name:    "hub rollback",
	summary: "roll the fleet back: publish an earlier generation's content again under a new generation",
	usage:   "[--data DIR] [--pub FILE] --key FILE --to GENERATION [--stage everyone]",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		hf := addHubFlags(fs)
		keyPath := fs.String("key", "", "province private key (province.key)")
		to := fs.Int64("to", 0, "the earlier generation whose content comes back")
		stage := fs.String("stage", "everyone", "who gets it: test, a wave 1..9, or everyone")
		return func(env *Env) error {
			if *keyPath == "" || *to == 0 {
				return usagef("tramso hub rollback: --key and --to are required")
			}
			st, err := hub.ParseStage(*stage)
			if err != nil {
				return usagef("--stage: %v", err)
			}
			key, err := readPrivateKey(env, *keyPath)
			if err != nil {
				return err
			}
			if err := hf.requireData(false); err != nil {
				return err
			}
			// The key must be one the kiosks trust, or every kiosk refuses
			// the rollback: the pinned keys are what to check it against.
			opts, err := hf.options()
			if err != nil {
				return err
			}
			if len(opts.ProvinceKeys) == 0 {
				return usagef("tramso hub rollback: needs the province public key to check --key against: --pub province.pub (or put it at %s)", filepath.Join(hf.data, "province.pub"))
			}
			h, err := hub.Open(opts)
			if err != nil {
				return err
			}
			defer h.Close()
			gen, err := h.Rollback(context.Background(), *to, key, hub.PublishOptions{Stage: st, By: "cli"})
			if err != nil {
				return err
			}
			h.AuditCLI(osUser(), "rollout_rollback", fmt.Sprintf("thế hệ %d thành thế hệ %d, %s", *to, gen, *stage))
			fmt.Fprintf(env.Stdout, "published the content of %d again as generation %d to %s\n", *to, gen, *stage)
			return nil
		}
	},
}
