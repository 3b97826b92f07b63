package cli

import (
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"tramso/kiosk/content"
	"tramso/kiosk/pack"
)

var cmdPackBuild = &command{
	name:    "pack build",
	summary: "lint a source folder, then compile it into a signed pack file",
	usage:   "--src DIR --key KEY [--key KEY2] --out FILE [--generation N]",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		src := fs.String("src", "", "the pack's source folder")
		var keys listFlag
		fs.Var(&keys, "key", "province.key to sign with (give two during a key rotation)")
		out := fs.String("out", "", "pack file to write")
		gen := fs.Int64("generation", 0, "content generation, 2..9007199254740991 (default: the build time in unix seconds, so later builds are newer)")
		return func(env *Env) error {
			switch {
			case *src == "" || *out == "" || len(keys) == 0:
				return usagef("pack build: --src, --key and --out are required")
			case *gen != 0 && pack.CheckGeneration(*gen) != nil:
				return usagef("pack build: --generation: %v", pack.CheckGeneration(*gen))
			}
			return buildPack(env, *src, keys, *out, *gen)
		}
	},
}

func buildPack(env *Env, dir string, keyPaths []string, out string, gen int64) error {
	var keys []ed25519.PrivateKey
	for _, p := range keyPaths {
		k, err := pack.ReadPrivateKey(p)
		if err != nil {
			return err
		}
		keys = append(keys, k)
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return fmt.Errorf("pack build: %s is not a folder", dir)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".tramso-pack-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	sm, err := pack.Build(os.DirFS(dir), pack.BuildOptions{Generation: gen, Keys: keys}, tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	var probs content.Problems
	if errors.As(err, &probs) {
		for _, p := range probs {
			fmt.Fprintln(env.Stderr, p.String())
		}
		return fmt.Errorf("pack build: %d problem(s) in %s; nothing written", len(probs), dir)
	}
	if err != nil {
		return fmt.Errorf("pack build: %w", err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return err
	}
	m := sm.Manifest
	fmt.Fprintf(env.Stdout, "wrote %s: generation %d, %d files (%d distinct, %d bytes), manifest sha256 %s\n",
		out, m.Generation, len(m.Files), len(m.Blobs()), m.TotalSize(), sm.Digest)
	return nil
}

func readPubs(paths []string) ([]ed25519.PublicKey, error) {
	var keys []ed25519.PublicKey
	for _, p := range paths {
		k, err := pack.ReadPublicKey(p)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, nil
}
