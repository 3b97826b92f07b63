//go:build !desktop

package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"tramso/kiosk/hub"
)

var cmdHubPublish = &command{
	name:    "hub publish",
	summary: "publish a signed pack file to the hub's kiosks (a running hub picks it up within seconds)",
	usage:   "[--data DIR] [--pub FILE]... [--stage test|1..9|everyone] [--generation-ahead] [--replace-studio-edits] FILE",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		hf := addHubFlags(fs)
		stage := fs.String("stage", "test", "who gets it first: test (the test group), a wave 1..9, or everyone")
		ahead := fs.Bool(aheadFlag, false, aheadUsage)
		replace := fs.Bool("replace-studio-edits", false, "publish a pack that replaces edits approved in the hub's content studio (refused without it, naming them)")
		return func(env *Env) error {
			if fs.NArg() != 1 {
				return usagef("tramso hub publish: give one pack FILE")
			}
			st, err := hub.ParseStage(*stage)
			if err != nil {
				return usagef("--stage: %v", err)
			}
			h, err := hf.open()
			if err != nil {
				return err
			}
			defer h.Close()
			f, err := os.Open(fs.Arg(0))
			if err != nil {
				return err
			}
			defer f.Close()
			sm, err := h.Publish(context.Background(), f, hub.PublishOptions{Stage: st, By: "cli", GenerationAhead: *ahead,
				ReplaceStudioEdits: *replace})
			if errors.As(err, new(*hub.StudioEditsError)) {
				return fmt.Errorf("%w; if replacing them is meant, publish again with --replace-studio-edits", err)
			}
			if err != nil {
				return aheadHint(err)
			}
			h.AuditCLI(osUser(), "pack_published", fmt.Sprintf("thế hệ %d, %s", sm.Manifest.Generation, *stage))
			fmt.Fprintf(env.Stdout, "published generation %d (%q, %d files) to %s\n", sm.Manifest.Generation,
				sm.Manifest.Title, len(sm.Manifest.Files), *stage)
			// Published, though some kiosks in its scope will refuse it: said
			// now, not only on the fleet page once they have.
			if e, err := h.Refusers(context.Background(), sm.Raw, sm.Sig, st); err != nil {
				return err
			} else if e != nil {
				fmt.Fprintf(env.Stderr, "warning: %s\n", e.Warning())
			}
			return nil
		}
	},
}
