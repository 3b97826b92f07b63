package cli

import (
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tramso/kiosk/content"
	"tramso/kiosk/pack"
)

var cmdPackBuild = &command{
	name:    "pack build",
	summary: "lint a source folder, then compile it into a signed pack file (or, without --key, an unsigned pack and the manifest to sign offline)",
	usage:   "--src DIR --out FILE [--key KEY [--key KEY2]] [--manifest FILE] [--generation N [--generation-ahead]] [--title TEXT]",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		src := fs.String("src", "", "the pack's source folder")
		var keys listFlag
		fs.Var(&keys, "key", "province.key to sign with (give two during a key rotation); without it the pack is left unsigned")
		out := fs.String("out", "", "pack file to write")
		manifest := fs.String("manifest", "", "without --key: where to write the manifest to sign (default manifest.json beside --out)")
		gen := fs.Int64("generation", 0, "content generation, 2..9007199254740991 (default: the build time in unix seconds, so later builds are newer)")
		title := fs.String("title", "", "what this pack brings, as the fleet and the staff panel name it (default: pack.yaml's title)")
		ahead := fs.Bool(aheadFlag, false, aheadUsage)
		return func(env *Env) error {
			switch {
			case *src == "" || *out == "":
				return usagef("pack build: --src and --out are required")
			case len(keys) > 0 && *manifest != "":
				return usagef("pack build: --manifest is for a pack built without --key, to sign offline")
			case *gen != 0 && pack.CheckGeneration(*gen) != nil:
				return usagef("pack build: --generation: %v", pack.CheckGeneration(*gen))
			case *gen != 0 && !*ahead && pack.CheckAhead(*gen, 0, time.Now()) != nil:
				return aheadHint(fmt.Errorf("pack build: --generation: %w", pack.CheckAhead(*gen, 0, time.Now())))
			case len(strings.TrimSpace(*title)) > pack.MaxTitleLen:
				// Cut short it would name the content wrongly, and nobody would know.
				return usagef("pack build: --title is %d bytes; at most %d (about %d Vietnamese letters): it names the content on the fleet page and the staff panel",
					len(strings.TrimSpace(*title)), pack.MaxTitleLen, pack.MaxTitleLen*2/3)
			}
			if info, err := os.Stat(*src); err != nil || !info.IsDir() {
				return fmt.Errorf("pack build: %s is not a folder", *src)
			}
			opts := pack.BuildOptions{Generation: *gen, Title: *title}
			if len(keys) == 0 {
				return buildUnsigned(env, *src, *out, *manifest, opts)
			}
			return buildPack(env, *src, keys, *out, opts)
		}
	},
}

func buildPack(env *Env, dir string, keyPaths []string, out string, opts pack.BuildOptions) error {
	keys, err := readKeys(env, keyPaths)
	if err != nil {
		return err
	}
	opts.Keys = keys
	var sm *pack.Signed
	err = writeAtomic(out, func(w io.Writer) (err error) {
		sm, err = pack.Build(os.DirFS(dir), opts, w)
		return err
	})
	if err != nil {
		return buildError(env, dir, err)
	}
	fmt.Fprintf(env.Stdout, "wrote %s: %s\n", out, describe(sm.Manifest, sm.Digest))
	return nil
}

// buildUnsigned is the first step of signing offline: the pack without its
// signature, and the manifest to carry to the machine that holds the key.
func buildUnsigned(env *Env, dir, out, manifest string, opts pack.BuildOptions) error {
	if manifest == "" {
		manifest = filepath.Join(filepath.Dir(out), "manifest.json")
	}
	if filepath.Clean(manifest) == filepath.Clean(out) {
		return usagef("pack build: --manifest and --out name the same file %s", out)
	}
	var raw []byte
	err := writeAtomic(out, func(w io.Writer) (err error) {
		raw, err = pack.BuildUnsigned(os.DirFS(dir), opts, w)
		return err
	})
	if err != nil {
		return buildError(env, dir, err)
	}
	if err := writeAtomic(manifest, func(w io.Writer) error { _, err := w.Write(raw); return err }); err != nil {
		return err
	}
	m, err := pack.ParseManifest(raw)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %s, NOT SIGNED: %s\n", out, describe(m, pack.Digest(raw)))
	fmt.Fprintf(env.Stdout, "wrote %s: sign it where the key is kept (tramso pack sign --key province.key %s),\n"+
		"then bring back manifest.sig and run: tramso pack attach --pub province.pub --sig manifest.sig --out PACK %s\n",
		manifest, filepath.Base(manifest), out)
	return nil
}

// aheadFlag says a generation far past the clock (pack.CheckAhead) is meant.
const (
	aheadFlag  = "generation-ahead"
	aheadUsage = "take a generation that, read as unix seconds, stands more than a day past this machine's clock: " +
		"kiosks that take it refuse every normally built pack until that date"
)

// aheadHint adds to a refused far-ahead generation how to say it is meant.
func aheadHint(err error) error {
	if errors.As(err, new(*pack.AheadError)) {
		return fmt.Errorf("%w. Nếu thế hệ này đúng là cố ý, chạy lại với --%s", err, aheadFlag)
	}
	return err
}

func buildError(env *Env, dir string, err error) error {
	var probs content.Problems
	if errors.As(err, &probs) {
		for _, p := range probs {
			fmt.Fprintln(env.Stderr, p.String())
		}
		return fmt.Errorf("pack build: %d problem(s) in %s; nothing written", len(probs), dir)
	}
	return fmt.Errorf("pack build: %w", err)
}

// describe is the one-line account of a manifest that build, sign and attach
// print, so the signer can compare what they sign with what was built.
func describe(m *pack.Manifest, digest string) string {
	return fmt.Sprintf("generation %d %q, %s, %d files (%d distinct, %d bytes), manifest sha256 %s",
		m.Generation, m.Title, builtText(m.Created), len(m.Files), len(m.Blobs()), m.TotalSize(), digest)
}

// builtText says when a pack was built. A generation numbered by hand
// stands for no time — its manifest's "created" reads as 1970 — so it gets
// no date rather than one that looks like a broken clock.
func builtText(created time.Time) string {
	if at, ok := pack.BuiltAt(created); ok {
		return "created " + at.UTC().Format("2006-01-02 15:04:05Z")
	}
	return "generation numbered by hand, so no build date"
}

// writeAtomic writes path through a temporary file beside it, so a failed or
// interrupted write leaves no half file under the real name.
func writeAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tramso-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = write(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func readKeys(env *Env, paths []string) ([]ed25519.PrivateKey, error) {
	var keys []ed25519.PrivateKey
	for _, p := range paths {
		k, err := readPrivateKey(env, p)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// readPrivateKey reads a province.key and warns when other users of this
// machine may read it: the key signs what every kiosk trusts. A warning,
// not a refusal: a FAT stick shows every file so, and the signing should
// not fail at the offline machine for it.
func readPrivateKey(env *Env, path string) (ed25519.PrivateKey, error) {
	k, err := pack.ReadPrivateKey(path)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
		fmt.Fprintf(env.Stderr, "warning: the private key %s may be read by other users of this machine (mode %04o): "+
			"whoever copies it can sign content every kiosk trusts. Run: chmod 600 %s "+
			"(a FAT-formatted stick cannot keep that: keep the key on an ext4 or encrypted one)\n", path, st.Mode().Perm(), path)
	}
	return k, nil
}

func readPubs(paths []string) ([]ed25519.PublicKey, error) {
	var keys []ed25519.PublicKey
	for _, p := range paths {
		ks, err := pack.ReadPublicKeys(p)
		if err != nil {
			return nil, err
		}
		keys = append(keys, ks...)
	}
	return keys, nil
}
