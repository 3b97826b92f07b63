package cli

import (
	"crypto/ed25519"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"tramso/kiosk/pack"
)

var cmdPackSign = &command{
	name:    "pack sign",
	summary: "sign a pack's manifest.json (FILE) where the province key is kept (offline), writing manifest.sig",
	usage:   "--key KEY [--key KEY2] [--out SIG] FILE",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		var keys listFlag
		fs.Var(&keys, "key", "province.key to sign with (give two during a key rotation)")
		out := fs.String("out", "", "signature file to write (default: FILE with .sig for .json, so manifest.json gives manifest.sig)")
		return func(env *Env) error {
			if len(keys) == 0 || fs.NArg() != 1 {
				return usagef("pack sign: give --key KEY and one FILE (the manifest.json of `pack build` without --key)")
			}
			return signManifest(env, fs.Arg(0), keys, *out)
		}
	},
}

func signManifest(env *Env, path string, keyPaths []string, out string) error {
	if out == "" {
		out = strings.TrimSuffix(path, ".json") + ".sig"
	}
	if out == path {
		return usagef("pack sign: --out would overwrite the manifest %s", path)
	}
	keys, err := readKeys(env, keyPaths)
	if err != nil {
		return err
	}
	raw, err := readLimited(path, pack.MaxManifestSize)
	if err != nil {
		return fmt.Errorf("pack sign: %w", err)
	}
	sm, err := pack.SignManifest(raw, keys...)
	if err != nil {
		return fmt.Errorf("pack sign %s: %w", path, err)
	}
	// The signer sees what they sign before the signature leaves the machine:
	// compare the sha256 with the one the hub or `pack build` showed.
	fmt.Fprintf(env.Stdout, "%s: %s\n", path, describe(sm.Manifest, sm.Digest))
	if err := writeAtomic(out, func(w io.Writer) error { _, err := w.Write(sm.Sig); return err }); err != nil {
		return err
	}
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = pack.KeyID(k.Public().(ed25519.PublicKey))
	}
	fmt.Fprintf(env.Stdout, "wrote %s: signed by key %s\n", out, strings.Join(ids, ", "))
	return nil
}

// readLimited reads a small file whole, refusing one over limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, limit)
	}
	return b, nil
}
