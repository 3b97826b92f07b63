package cli

import (
	"flag"
	"fmt"

	"tramso/kiosk/pack"
)

var cmdPackVerify = &command{
	name:    "pack verify",
	summary: "check a pack file as a kiosk would: signature, every size and hash, content",
	usage:   "--pub PUB [--pub PUB2] FILE",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		var pubs listFlag
		fs.Var(&pubs, "pub", "province.pub to trust (may be given more than once)")
		return func(env *Env) error {
			if len(pubs) == 0 || fs.NArg() != 1 {
				return usagef("pack verify: give --pub PUB and one pack FILE")
			}
			keys, err := readPubs(pubs)
			if err != nil {
				return err
			}
			sm, err := pack.VerifyFile(fs.Arg(0), keys)
			if err != nil {
				return err
			}
			m := sm.Manifest
			fmt.Fprintf(env.Stdout, "ok: %s: generation %d %q, created %s, %d files, signed by key %s\n",
				fs.Arg(0), m.Generation, m.Title, m.Created.UTC().Format("2006-01-02 15:04:05Z"), len(m.Files), sm.KeyID)
			return nil
		}
	},
}
