package cli

import (
	"context"
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/flow"
	"tramso/kiosk/pack"
	"tramso/kiosk/store"
)

// cmdPack groups the content-pack commands the province team and USB updates use.
var cmdPack = &command{
	name:    "pack",
	summary: "author, check, sign and apply content packs (export-starter, lint, build, verify, apply, speech-path)",
	usage: "SUBCOMMAND [flags] [ARG]\n\nSubcommands:\n" +
		"  export-starter --out DIR                          write the embedded starter content as a folder\n" +
		"  lint --src DIR [--diagram FLOWID [--format F]]    check a source folder as a kiosk would\n" +
		"  build --src DIR --key KEY --out FILE [--generation N]\n" +
		"                                                    lint, then compile a signed pack\n" +
		"  verify --pub PUB FILE                             check a pack file: signature, files, content\n" +
		"  apply [--data DIR] [--config FILE] FILE           apply a pack file to a kiosk (USB update), checked with\n" +
		"                                                    the keys the kiosk's config pins (--pub only narrows them)\n" +
		"  speech-path [--lang L] [TEXT ...]                 where a recording of a screen line goes\n\n" +
		"Run `tramso pack SUBCOMMAND --help` for its flags.",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		return func(env *Env) error { return runPack(env, fs.Args()) }
	},
}

func packCommands() []*command {
	return []*command{cmdPackExport, cmdPackLint, cmdPackBuild, cmdPackVerify, cmdPackApply, cmdPackSpeechPath}
}

func runPack(env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("pack: name a subcommand (see `tramso pack --help`)")
	}
	for _, c := range packCommands() {
		if c.name == "pack "+args[0] {
			return runCommand(c, args[1:], env)
		}
	}
	return usagef("pack: unknown subcommand %q (see `tramso pack --help`)", args[0])
}

// listFlag is a flag that may be given several times (--key, --pub during a
// key rotation).
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

var cmdPackExport = &command{
	name:    "pack export-starter",
	summary: "write the embedded starter content as a source folder, to start the province's packs from",
	usage:   "--out DIR",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		out := fs.String("out", "", "folder to create (must not exist or be empty)")
		return func(env *Env) error {
			if *out == "" {
				return usagef("pack export-starter: --out DIR is required")
			}
			if err := exportStarter(*out); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "wrote the starter content to %s\n", *out)
			return nil
		}
	},
}

func exportStarter(dir string) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty; export into a new folder", dir)
	}
	src := content.Starter()
	return fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
}

var cmdPackLint = &command{
	name:    "pack lint",
	summary: "check a pack's source folder as a kiosk would; name file and field of every problem",
	usage:   "--src DIR [--diagram FLOWID [--format mermaid|dot]]",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		src := fs.String("src", "", "the pack's source folder")
		diagram := fs.String("diagram", "", "print the procedure flow with this id instead of only checking")
		format := fs.String("format", "mermaid", "diagram format: mermaid or dot")
		return func(env *Env) error {
			if *src == "" {
				return usagef("pack lint: --src DIR is required")
			}
			if *format != "mermaid" && *format != "dot" {
				return usagef("pack lint: --format must be mermaid or dot")
			}
			return lintSource(env, *src, *diagram, *format)
		}
	},
}

func lintSource(env *Env, dir, diagram, format string) error {
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return fmt.Errorf("pack lint: %s is not a folder", dir)
	}
	src := os.DirFS(dir)
	probs := pack.LintSource(src)
	for _, p := range probs {
		fmt.Fprintln(env.Stderr, p.String())
	}
	if diagram != "" {
		if err := printDiagram(env, src, diagram, format); err != nil {
			return err
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("%d problem(s) in %s", len(probs), dir)
	}
	if diagram == "" {
		fmt.Fprintf(env.Stdout, "%s: no problems\n", dir)
	}
	return nil
}

func printDiagram(env *Env, src fs.FS, id, format string) error {
	p, err := content.Load(src)
	if err != nil {
		return fmt.Errorf("pack lint --diagram: the pack must load to draw a flow; fix the problems above first")
	}
	f := p.Flow(id)
	if f == nil {
		var ids []string
		for _, r := range p.Flows() {
			ids = append(ids, r.Flow.ID)
		}
		return fmt.Errorf("pack lint --diagram: no flow %q (flows: %s)", id, strings.Join(ids, ", "))
	}
	out, err := flow.Diagram(f, format)
	if err != nil {
		return err
	}
	_, err = io.WriteString(env.Stdout, out)
	return err
}

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

var cmdPackApply = &command{
	name:    "pack apply",
	summary: "apply a pack file to a kiosk's data folder (offline update from a USB stick); hands it to the kiosk if one runs there",
	usage:   "[--data DIR] [--config FILE] [--pub PUB ...] [--wait DURATION] FILE",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		var pubs listFlag
		fs.Var(&pubs, "pub", "only trust this province.pub (may be given more than once); it must be one the kiosk's config pins")
		wait := fs.Duration("wait", 2*time.Minute, "when a kiosk runs on --data: how long to wait for it to apply the pack")
		kf := addKioskFlags(fs)
		return func(env *Env) error {
			if fs.NArg() != 1 {
				return usagef("pack apply: give one pack FILE")
			}
			opts := kf.options()
			keys, err := applyKeys(opts.ConfigPath, opts.ConfigExplicit, pubs)
			if err != nil {
				return err
			}
			return applyPack(env, opts.DataDir, keys, fs.Arg(0), *wait)
		}
	},
}

// applyKeys are the keys a USB pack must be signed with: the ones the kiosk's
// config pins (hub.province_keys), the same the running kiosk uses. A key on
// the command line only narrows that set: a USB stick's own province.pub can
// never make the kiosk trust a key it does not pin.
func applyKeys(configPath string, explicit bool, pubs []string) ([]ed25519.PublicKey, error) {
	cfg, err := config.LoadOrDefault(configPath, explicit)
	if err != nil {
		return nil, fmt.Errorf("pack apply: %w", err)
	}
	pinned := cfg.Keys()
	if len(pinned) == 0 {
		return nil, fmt.Errorf("pack apply: the kiosk's config %s pins no province key (hub.province_keys), so no pack can be trusted; "+
			"pin the key from the province's province.pub there (or enrol with the hub) first", configPath)
	}
	if len(pubs) == 0 {
		return pinned, nil
	}
	keys, err := readPubs(pubs)
	if err != nil {
		return nil, err
	}
	for i, k := range keys {
		if !slices.ContainsFunc(pinned, func(p ed25519.PublicKey) bool { return p.Equal(k) }) {
			return nil, fmt.Errorf("pack apply: --pub %s (key id %s) is not pinned in %s (hub.province_keys); "+
				"--pub can only narrow the keys the kiosk trusts, never add one", pubs[i], pack.KeyID(k), configPath)
		}
	}
	return keys, nil
}

// applyPack takes the data folder's lock like the kiosk does. When a kiosk
// runs there, it does not switch content under it: it hands the pack to the
// kiosk's inbox and waits for the kiosk's answer.
func applyPack(env *Env, data string, keys []ed25519.PublicKey, file string, wait time.Duration) error {
	st, err := store.Open(data)
	if errors.Is(err, store.ErrLocked) {
		return handToKiosk(env, data, keys, file, wait)
	}
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	packs, err := pack.OpenStore(ctx, st)
	if err != nil {
		return err
	}
	sm, err := packs.ApplyFile(ctx, file, keys, "usb")
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "applied generation %d %q to %s\n", sm.Manifest.Generation, sm.Manifest.Title, data)
	return nil
}

// handToKiosk checks the pack with the pinned (or narrowed) keys first (a bad pack is refused at
// once), then queues it for the running kiosk, which checks it again with the
// keys it pins and applies it.
func handToKiosk(env *Env, data string, keys []ed25519.PublicKey, file string, wait time.Duration) error {
	sm, err := pack.VerifyFile(file, keys)
	if err != nil {
		return err
	}
	ticket, err := pack.Enqueue(data, file)
	if err != nil {
		return fmt.Errorf("a kiosk is running on %s and its inbox cannot take the pack: %w", data, err)
	}
	fmt.Fprintf(env.Stdout, "a kiosk is running on %s: handed generation %d to it, waiting for it to apply it…\n", data, sm.Manifest.Generation)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	res, err := pack.WaitResult(ctx, data, ticket)
	if err != nil {
		return fmt.Errorf("the running kiosk has not answered within %v; the pack waits in %s and is applied when the kiosk takes it (staff mode shows the result)",
			wait, pack.InboxDir(data))
	}
	if res.Error != "" {
		return fmt.Errorf("the running kiosk refused the pack: %s", res.Error)
	}
	fmt.Fprintf(env.Stdout, "the running kiosk applied generation %d %q\n", res.Generation, res.Title)
	return nil
}
