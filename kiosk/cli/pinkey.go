package cli

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"tramso/kiosk/config"
	"tramso/kiosk/pack"
)

// A commune with no usable link gets its content on a USB stick, and its
// trust the same way: pin-key pins the key of the province.pub on the stick.
// The stick is not trusted for that: as with enroll, the key's id must match
// one the province gave out of band (--key-id, or a person comparing on the
// terminal). The same command drops the old key at the end of a rotation.

var cmdPinKey = &command{
	name:    "pin-key",
	summary: "pin the province key of a province.pub (a kiosk updated by USB), or drop an old key after a rotation",
	usage:   "[--config FILE] [--create-config] [--data DIR] [--key-id ID] [--drop ID] [province.pub ...]",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		path := fs.String("config", "", "config file to write (default "+config.DefaultPath()+")")
		create := fs.Bool("create-config", false, "write a new config when --config names one that does not exist")
		var keyIDs, drops listFlag
		fs.Var(&keyIDs, "key-id", "the `ID` of the province key, as the province gave it (on paper, by phone); "+
			"without it pin-key asks on a terminal and refuses elsewhere")
		fs.Var(&drops, "drop", "stop trusting the key with this `ID` (the old key, once every pack is signed with the new one)")
		data := fs.String("data", config.DefaultDataDir(), "the kiosk's data directory: a --drop warns when the content it shows would then be trusted no more")
		return func(env *Env) error {
			req := pinKeyRequest{path: *path, files: fs.Args(), keyIDs: normalKeyIDs(keyIDs), drops: normalKeyIDs(drops), data: *data}
			if req.path == "" {
				req.path = config.DefaultPath()
			}
			if err := req.check(env); err != nil {
				return err
			}
			if err := requireConfigFile(req.path, *path != "", *create); err != nil {
				return err
			}
			return pinKeys(env, req)
		}
	},
}

// pinKeyRequest is what `tramso pin-key` was asked to do.
type pinKeyRequest struct {
	path          string
	files         []string // province.pub files whose keys to pin
	keyIDs, drops []string
	data          string // the kiosk's data directory, for what a drop does to the content it shows
}

// again is the command line to run again with sudo.
func (r pinKeyRequest) again() string {
	args := []string{"pin-key", "--config", r.path}
	for _, id := range r.keyIDs {
		args = append(args, "--key-id", id)
	}
	for _, id := range r.drops {
		args = append(args, "--drop", id)
	}
	if r.data != config.DefaultDataDir() {
		args = append(args, "--data", r.data)
	}
	return strings.Join(append(args, r.files...), " ")
}

func (r pinKeyRequest) check(env *Env) error {
	if len(r.files) == 0 && len(r.drops) == 0 {
		return usagef("pin-key needs a province.pub to pin, or --drop ID")
	}
	for _, f := range r.files {
		if strings.HasPrefix(f, "-") {
			return usagef("%q after a file: give the flags first, then the province.pub file(s)", f)
		}
	}
	if err := checkKeyIDs(r.keyIDs); err != nil {
		return err
	}
	if err := checkKeyIDs(r.drops); err != nil {
		return usagef("--drop: %v", strings.TrimPrefix(err.Error(), "--key-id "))
	}
	if len(r.files) > 0 && len(r.keyIDs) == 0 && !isTerminal(env.Stdin) {
		return usagef("pin-key needs --key-id ID: the id of the province key, given by the province out of band, " +
			"so that a key put on the stick by someone else is not pinned; run pin-key on a terminal to compare " +
			"the ids by eye instead. Nothing was changed")
	}
	return nil
}

// pinKeys changes hub.province_keys as asked and writes the config back,
// keeping its other settings, comments, owner and mode.
func pinKeys(env *Env, req pinKeyRequest) error {
	if err := checkCanWrite(req.path); err != nil {
		return adviseSudo(err, "pin-key", req.again())
	}
	doc, err := readConfigDoc(req.path)
	if err != nil {
		return err
	}
	cfg, err := config.LoadOrDefault(req.path, false) // readConfigDoc has validated it
	if err != nil {
		return err
	}
	offered, err := readKeyFiles(req.files)
	if err != nil {
		return err
	}
	plan, err := planKeyChange(env, cfg.Hub.ProvinceKeys, offered, req)
	if err != nil {
		return err
	}
	if plan.same {
		fmt.Fprintf(env.Stdout, "nothing to change: %s already pins key id(s) %s\n", req.path, ids(plan.keys))
		return nil
	}
	if err := setProvinceKeys(doc, req.path, plan.keys); err != nil {
		return adviseSudo(err, "pin-key", req.again())
	}
	plan.describe(env.Stdout, req.path)
	if len(plan.dropped) > 0 {
		warnUntrusted(env, req.data, plan.keys)
	}
	return nil
}

// warnUntrusted says when the content the kiosk shows would be signed by no
// key pinned after a drop: at its restart it shows older content until a
// pack a pinned key signed arrives (README: publish one first). Outside QA
// R6: nothing but README warned.
func warnUntrusted(env *Env, dataDir string, keys []string) {
	pub := make([]ed25519.PublicKey, 0, len(keys))
	for _, k := range keys {
		if pk, err := config.ParseKey(k); err == nil {
			pub = append(pub, pk)
		}
	}
	in, ok, err := inspectContent(dataDir, pub)
	if err != nil || !ok || !in.Untrusted {
		return
	}
	fmt.Fprintf(env.Stderr, "warning: the content this kiosk has (generation %d) is signed by no key it pins now: after the restart it shows %s "+
		"until a pack signed by a pinned key arrives. Publish one first (README, \"Rotating the province key\"), or pin the dropped key again.\n",
		in.Current, shownName(in.Shown))
}

// readKeyFiles reads the public keys of province.pub files, as the config
// holds them. A private key given by mistake is named as one: it must never
// be copied to a kiosk.
func readKeyFiles(paths []string) ([]string, error) {
	var keys []string
	for _, p := range paths {
		ks, err := pack.ReadPublicKeys(p)
		if err != nil {
			if _, perr := pack.ReadPrivateKey(p); perr == nil {
				return nil, fmt.Errorf("%s is the province's private key (province.key), not its public key: "+
					"give province.pub, and never copy province.key to a kiosk", p)
			}
			return nil, err
		}
		for _, k := range ks {
			if s := encodeKey(k); !slices.Contains(keys, s) {
				keys = append(keys, s)
			}
		}
	}
	return keys, nil
}

func encodeKey(k ed25519.PublicKey) string { return base64.StdEncoding.EncodeToString(k) }

// keyChange is what pin-key will write: the keys pinned afterwards, the
// ids it adds, keeps and drops.
type keyChange struct {
	keys                 []string
	added, kept, dropped []string // key ids
	same                 bool
}

// planKeyChange confirms the offered keys not yet pinned and applies the
// drops, refusing a config that would pin no key at all (the kiosk would
// then refuse every pack, even from the stick it came with).
func planKeyChange(env *Env, now, offered []string, req pinKeyRequest) (keyChange, error) {
	var c keyChange
	for _, id := range req.drops {
		if !slices.ContainsFunc(now, func(k string) bool { return keyID(k) == id }) {
			return c, fmt.Errorf("--drop %s: %s pins no key with that id (it pins %s); nothing was changed", id, req.path, pinnedIDs(now))
		}
		c.dropped = append(c.dropped, id)
	}
	var fresh []string
	for _, k := range offered {
		if slices.Contains(now, k) {
			c.kept = append(c.kept, keyID(k))
		} else {
			fresh = append(fresh, k)
		}
	}
	if err := confirmFileKeys(env, offered, fresh, req.keyIDs); err != nil {
		return c, err
	}
	for _, k := range now {
		if !slices.Contains(c.dropped, keyID(k)) {
			c.keys = append(c.keys, k)
		}
	}
	for _, k := range fresh {
		c.keys = append(c.keys, k)
		c.added = append(c.added, keyID(k))
	}
	if len(c.keys) == 0 {
		return c, fmt.Errorf("%s would pin no province key, and the kiosk would refuse every pack; "+
			"pin the new key before dropping the last one. Nothing was changed", req.path)
	}
	c.same = len(c.added) == 0 && len(c.dropped) == 0
	return c, nil
}

// confirmFileKeys checks the keys a stick brings against the province's
// ids: every id given must be one of the files' keys, and every key to be
// added must have its id given. Without ids a person compares on the
// terminal, as enroll asks.
func confirmFileKeys(env *Env, offered, fresh, wantIDs []string) error {
	if len(wantIDs) > 0 {
		for _, id := range wantIDs {
			if !slices.ContainsFunc(offered, func(k string) bool { return keyID(k) == id }) {
				return fmt.Errorf("the file(s) hold key id(s) %s, not the key id %s the province gave: "+
					"this may not be the province's key, and nothing was changed", ids(offered), id)
			}
		}
		for _, k := range fresh {
			if !slices.Contains(wantIDs, keyID(k)) {
				return fmt.Errorf("key id %s is not among the ids given with --key-id (%s); nothing was changed",
					keyID(k), strings.Join(wantIDs, ", "))
			}
		}
		return nil
	}
	if len(fresh) == 0 {
		return nil
	}
	if !askToPin(env, "The file(s) hold %d province key(s) not yet pinned:\n", "the stick", fresh) {
		return errors.New("the keys were not confirmed, so nothing was changed")
	}
	return nil
}

func pinnedIDs(keys []string) string {
	if len(keys) == 0 {
		return "none"
	}
	return ids(keys)
}

// setProvinceKeys sets hub.province_keys to exactly keys, checks the
// result and writes the file back in place.
func setProvinceKeys(doc *yaml.Node, path string, keys []string) error {
	list := mappingField(mappingField(doc.Content[0], "hub"), "province_keys")
	if list.Kind != yaml.SequenceNode {
		*list = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
	}
	// The keys kept keep their own lines and comments ("# old key, until
	// March"); the list keeps its style (outside QA R9).
	had := map[string]*yaml.Node{}
	for _, n := range list.Content {
		had[strings.TrimSpace(n.Value)] = n
	}
	list.Content = nil
	for _, k := range keys {
		n := had[k]
		if n == nil {
			n = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k, Style: yaml.DoubleQuotedStyle}
		}
		list.Content = append(list.Content, n)
	}
	return writeConfigDoc(doc, path, "the config with these keys")
}

// describe says what changed and what to do next.
func (c keyChange) describe(w io.Writer, path string) {
	for _, id := range c.added {
		fmt.Fprintf(w, "pinned key id %s\n", id)
	}
	for _, id := range c.kept {
		fmt.Fprintf(w, "key id %s was already pinned\n", id)
	}
	for _, id := range c.dropped {
		fmt.Fprintf(w, "dropped key id %s: packs signed only by it are refused from now on\n", id)
	}
	fmt.Fprintf(w, "%s pins key id(s) %s; restart the kiosk to use them (sudo systemctl restart tramso-kiosk), "+
		"then `tramso doctor` checks its content against them\n", path, ids(c.keys))
}
