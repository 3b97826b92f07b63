package cli

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"tramso/kiosk/pack"
)

var cmdKeygen = &command{
	name:    "keygen",
	summary: "make the province's ed25519 signing key pair (province.key, province.pub)",
	usage:   "--out DIR",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		out := fs.String("out", "", "folder for province.key (secret, mode 0600) and province.pub")
		return func(env *Env) error {
			if *out == "" {
				return usagef("keygen: --out DIR is required")
			}
			return keygen(env, *out)
		}
	},
}

// keygen writes a new key pair, refusing to replace either file: overwriting
// the province key by mistake would lock every kiosk out of updates.
func keygen(env *Env, dir string) error {
	keyPath, pubPath := filepath.Join(dir, "province.key"), filepath.Join(dir, "province.pub")
	for _, p := range []string{keyPath, pubPath} {
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("%s already exists; refusing to overwrite a key (move it away first)", p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	if err := writeNew(keyPath, pack.EncodePrivateKey(priv), 0o600); err != nil {
		return err
	}
	if err := writeNew(pubPath, pack.EncodePublicKey(pub), 0o644); err != nil {
		os.Remove(keyPath)
		return err
	}
	id := pack.KeyID(pub)
	fmt.Fprintf(env.Stdout, "wrote %s (secret: keep it offline, mode 0600)\nwrote %s (key id %s)\n"+
		"pin it on kiosks in config hub.province_keys:\n  - %s"+
		"give communes its key id out of band (on paper, by phone), for enrollment:\n  tramso enroll --hub URL --code CODE --key-id %s\n"+
		"or, on a kiosk updated by USB, with province.pub on the stick:\n  tramso pin-key --key-id %s province.pub\n",
		keyPath, pubPath, id, pack.EncodePublicKey(pub), id, id)
	return nil
}

// writeNew creates path with exactly mode (no umask surprises), failing if it exists.
func writeNew(path, data string, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, mode)
	if err != nil {
		return err
	}
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return err
	}
	if _, err := f.WriteString(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
