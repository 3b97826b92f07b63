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
	usage:   "[--data DIR] [--pub FILE] [--key FILE] --to GENERATION [--stage everyone]",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		hf := addHubFlags(fs)
		keyPath := fs.String("key", "", "province private key (province.key); without it the rollback waits on the console for its offline signature")
		to := fs.Int64("to", 0, "the earlier generation whose content comes back")
		stage := fs.String("stage", "everyone", "who gets it: test, a wave 1..9, or everyone")
		return func(env *Env) error {
			if *to == 0 {
				return usagef("tramso hub rollback: --to is required")
			}
			st, err := hub.ParseStage(*stage)
			if err != nil {
				return usagef("--stage: %v", err)
			}
			if *keyPath == "" {
				fs.Visit(func(f *flag.Flag) {
					if f.Name == "stage" {
						fmt.Fprintln(env.Stderr, "no --key: --stage is not used; who gets the rollback is chosen when its signature is uploaded on the console")
					}
				})
				return rollbackPending(env, hf, *to)
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

// rollbackPending is `hub rollback` without --key, for a province whose
// key is kept offline: the rollback's manifest waits for its signature
// among the console's packs waiting to be signed, as one uploaded unsigned.
func rollbackPending(env *Env, hf *hubFlags, to int64) error {
	h, err := hf.open()
	if err != nil {
		return err
	}
	defer h.Close()
	p, err := h.RollbackPending(context.Background(), to, hub.PublishOptions{By: "cli"})
	if err != nil {
		return err
	}
	h.AuditCLI(osUser(), "rollout_rollback_pending", fmt.Sprintf("thế hệ %d thành thế hệ %d, chờ ký, manifest.json sha256 %s", to, p.Generation, p.Digest))
	fmt.Fprintf(env.Stdout, "no --key: the content of %d waits for its signature as generation %d (%q), manifest.json sha256 %s.\n"+
		"On the console's Gói nội dung, download its manifest.json, run `tramso pack sign --key province.key manifest.json` on the signing machine, "+
		"upload manifest.sig and choose who gets it; nothing reaches a kiosk before.\n", to, p.Generation, p.Title, p.Digest)
	return nil
}
