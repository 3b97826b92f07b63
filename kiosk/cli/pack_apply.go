package cli

import (
	"context"
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/pack"
	"tramso/kiosk/store"
)

var cmdPackApply = &command{
	name:    "pack apply",
	summary: "apply a pack file to a kiosk's data folder (offline update from a USB stick); hands it to the kiosk if one runs there",
	usage:   "[--data DIR] [--create-data] [--config FILE] [--pub PUB ...] [--wait DURATION] FILE",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		var pubs listFlag
		fs.Var(&pubs, "pub", "only trust this province.pub (may be given more than once); it must be one the kiosk's config pins")
		wait := fs.Duration("wait", 2*time.Minute, "when a kiosk runs on --data: how long to wait for it to apply the pack")
		kf := addKioskFlags(fs)
		create := fs.Bool("create-data", false, "make --data when it does not exist (a kiosk folder nothing has used yet)")
		return func(env *Env) error {
			if fs.NArg() != 1 {
				return usagef("pack apply: give one pack FILE")
			}
			opts := kf.options()
			if err := requireDataDir(opts.DataDir, config.InstalledDataDir, *create); err != nil {
				return err
			}
			again := "pack apply --data " + opts.DataDir + " " + fs.Arg(0)
			if opts.ConfigExplicit {
				again = "pack apply --config " + opts.ConfigPath + " --data " + opts.DataDir + " " + fs.Arg(0)
			}
			keys, err := applyKeys(opts.ConfigPath, opts.ConfigExplicit, pubs)
			if err != nil {
				return adviseSudo(err, "pack apply", again)
			}
			return adviseSudo(applyPack(env, opts.DataDir, keys, fs.Arg(0), *wait), "pack apply", again)
		}
	},
}

// applyKeys are the keys a USB pack must be signed with: the ones the kiosk's
// config pins (hub.province_keys), the same the running kiosk uses. A key on
// the command line only narrows that set: a USB stick's own province.pub can
// never make the kiosk trust a key it does not pin.
func applyKeys(configPath string, explicit bool, pubs []string) ([]ed25519.PublicKey, error) {
	cfg, err := config.LoadOrDefault(configPath, explicit)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, advise(fmt.Errorf("pack apply: %w", err),
			"Check the path given with --config: the kiosk's own config pins the keys a pack must be signed with "+
				"(an installed kiosk's is "+config.InstalledPath+").")
	}
	if err != nil {
		return nil, fmt.Errorf("pack apply: %w", err)
	}
	pinned := cfg.Keys()
	if len(pinned) == 0 {
		return nil, fmt.Errorf("pack apply: the kiosk's config %s pins no province key (hub.province_keys), so no pack can be trusted; "+
			"pin the province's key first: sudo tramso pin-key --key-id ID province.pub (ID as the province gave it), or enroll with the hub", configPath)
	}
	if len(pubs) == 0 {
		return pinned, nil
	}
	keys, err := readPubs(pubs)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		if !slices.ContainsFunc(pinned, func(p ed25519.PublicKey) bool { return p.Equal(k) }) {
			return nil, fmt.Errorf("pack apply: --pub %s: key id %s is not pinned in %s (hub.province_keys); "+
				"--pub can only narrow the keys the kiosk trusts, never add one", strings.Join(pubs, ", "), pack.KeyID(k), configPath)
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
	// Run as root on a kiosk's folder (the README's USB steps), everything
	// made here is handed to the kiosk's user after the store closes: a
	// root-owned generation was unreadable to the kiosk, which then showed
	// the starter (outside QA).
	defer handOverDataTree(data)
	defer st.Close()
	ctx := context.Background()
	packs, err := pack.OpenStore(ctx, st)
	if err != nil {
		return err
	}
	sm, err := packs.ApplyFile(ctx, file, keys, "usb")
	if installed := (*pack.AlreadyInstalledError)(nil); errors.As(err, &installed) {
		fmt.Fprintf(env.Stdout, "generation %d %q is already installed in %s, nothing to do\n", installed.Generation, installed.Title, data)
		return nil
	}
	if err != nil {
		return notNewerCalmly(err)
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
	if res.Kind == pack.KindUnknownKey {
		// The config's keys took it, the kiosk's did not: it still pins the
		// keys it started with (outside QA R8: after pin-key, no restart).
		return advise(fmt.Errorf("the running kiosk refused the pack: %s", res.Error),
			"The config pins the key that signed it, but the kiosk still runs with the keys it started with: restart it "+
				"(sudo systemctl restart tramso-kiosk), then run the same command again.")
	}
	if res.AlreadyInstalled {
		fmt.Fprintf(env.Stdout, "the running kiosk already has generation %d %q installed, nothing to do\n", res.Generation, res.Title)
		return nil
	}
	if res.Kind == pack.KindNotNewer {
		return errors.New("the running kiosk refused the pack: " + notNewerWords + " (not_newer)")
	}
	if res.Error != "" {
		return fmt.Errorf("the running kiosk refused the pack: %s", res.Error)
	}
	fmt.Fprintf(env.Stdout, "the running kiosk applied generation %d %q\n", res.Generation, res.Title)
	return nil
}

// notNewerWords say what a not-newer pack on a USB stick is: staff's own old
// stick, not an attack (outside QA s26b: it read as "rollback or replay").
// The exit status stays 1: the pack was not applied.
const notNewerWords = "the pack is not newer than the content this kiosk has applied; " +
	"the kiosk keeps its current content, nothing to do"

// notNewerCalmly words a not-newer refusal as notNewerWords.
func notNewerCalmly(err error) error {
	if r, ok := pack.AsRejection(err); ok && r.Kind == pack.KindNotNewer {
		return fmt.Errorf("pack generation %d: %s (not_newer)", r.Generation, notNewerWords)
	}
	return err
}
