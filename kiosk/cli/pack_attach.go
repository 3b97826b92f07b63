package cli

import (
	"flag"
	"fmt"
	"io"
	"os"

	"tramso/kiosk/pack"
)

var cmdPackAttach = &command{
	name:    "pack attach",
	summary: "put a manifest.sig made offline into the unsigned pack, checked against the province's public keys",
	usage:   "--pub PUB [--pub PUB2] --sig SIG --out FILE UNSIGNED",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		var pubs listFlag
		fs.Var(&pubs, "pub", "province.pub the signature must verify under (may be given more than once)")
		sig := fs.String("sig", "", "the manifest.sig `pack sign` wrote")
		out := fs.String("out", "", "signed pack file to write")
		return func(env *Env) error {
			if len(pubs) == 0 || *sig == "" || *out == "" || fs.NArg() != 1 {
				return usagef("pack attach: give --pub PUB, --sig SIG, --out FILE and the UNSIGNED pack of `pack build` without --key")
			}
			return attachSignature(env, fs.Arg(0), *sig, pubs, *out)
		}
	},
}

func attachSignature(env *Env, unsigned, sigPath string, pubPaths []string, out string) error {
	if out == unsigned {
		return usagef("pack attach: --out must not be the unsigned pack itself")
	}
	keys, err := readPubs(pubPaths)
	if err != nil {
		return err
	}
	sig, err := readLimited(sigPath, pack.MaxSignaturesSize)
	if err != nil {
		return fmt.Errorf("pack attach: %w", err)
	}
	f, err := os.Open(unsigned)
	if err != nil {
		return fmt.Errorf("pack attach: %w", err)
	}
	defer f.Close()
	var sm *pack.Signed
	err = writeAtomic(out, func(w io.Writer) (err error) {
		sm, err = pack.Attach(f, sig, keys, w)
		return err
	})
	if err != nil {
		return fmt.Errorf("pack attach: %w", err)
	}
	fmt.Fprintf(env.Stdout, "wrote %s: %s, signed by key %s\n", out, describe(sm.Manifest, sm.Digest), sm.KeyID)
	return nil
}
