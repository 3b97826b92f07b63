package cli

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"tramso/kiosk/config"
	"tramso/kiosk/store"
	"tramso/kiosk/update"
)

var cmdEnroll = &command{
	name:    "enroll",
	summary: "enroll this kiosk with the province hub, using the one-time code the hub shows",
	usage:   "--hub URL [--hub URL2] --code CODE --key-id ID [--key-id ID2] [--replace] [--name NAME] [--ca FILE] [--data DIR] [--create-data] [--config FILE] [--create-config]",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		var hubs listFlag
		fs.Var(&hubs, "hub", "the province hub's address, as the province gave it (https://… or wss://…/ws); "+
			"for a province with several hubs give each (--hub A --hub B, or --hub A,B): they go to hub.urls")
		code := fs.String("code", "", "the one-time enrollment code shown on the hub")
		var keyIDs listFlag
		fs.Var(&keyIDs, "key-id", "the `ID` of the province key, as the province gave it (tramso keygen prints it); "+
			"only keys with these ids are pinned. Without it enroll asks on a terminal and refuses elsewhere")
		replace := fs.Bool("replace", false, "allow this enrollment to move the kiosk to other hubs or to pin keys other than "+
			"the ones already pinned (the hub addresses then become exactly the --hub ones, the pinned keys exactly the confirmed ones)")
		name := fs.String("name", "", "a name for this kiosk on the hub (default: the hub chooses)")
		ca := fs.String("ca", "", "the province CA's certificate (PEM) when the hub's certificate is not from a public CA; "+
			"wins over the config's hub.ca_file and is written there")
		kf := addKioskFlags(fs)
		create := fs.Bool("create-config", false, "write a new config when --config names one that does not exist")
		createData := fs.Bool("create-data", false, "make --data when it names a folder that does not exist (a kiosk folder nothing has used yet)")
		return func(env *Env) error {
			addrs, err := enrollHubFlags(hubs)
			if err != nil {
				return err
			}
			if *code == "" {
				return usagef("enroll needs --hub URL and --code CODE (the code is shown on the province hub)")
			}
			keyIDs = normalKeyIDs(keyIDs)
			if err := checkKeyIDs(keyIDs); err != nil {
				return err
			}
			if len(keyIDs) == 0 && !isTerminal(env.Stdin) {
				return usagef("enroll needs --key-id ID: the id of the province key, given by the province out of band " +
					"(`tramso keygen` prints it, the hub console shows it), so that no other hub's key is pinned; " +
					"run enroll on a terminal to compare the ids by eye instead. Nothing was sent to the hub")
			}
			caFile := ""
			if *ca != "" {
				abs, err := filepath.Abs(*ca)
				if err == nil {
					_, err = config.HubTLS(abs)
				}
				if err != nil {
					return usagef("--ca: %v", err)
				}
				caFile = abs
			}
			if err := requireConfigFile(kf.configPath(), kf.config != "", *create); err != nil {
				return err
			}
			// A typo in --data would enroll a folder no kiosk runs on, and
			// spend the code on a kiosk the hub then waits for in vain
			// (outside QA R4); the default one is the package's.
			if err := requireDataDir(kf.data, config.InstalledDataDir, *createData || !flagGiven(fs, "data")); err != nil {
				return err
			}
			return enroll(env, enrollRequest{dataDir: kf.options().DataDir, configPath: kf.configPath(), hubs: addrs,
				code: *code, name: *name, caFlag: caFile, keyIDs: keyIDs, replace: *replace})
		}
	},
}

// enrollRequest is what `tramso enroll` was asked to do.
type enrollRequest struct {
	dataDir, configPath string
	hubs                []string // the addresses given, in order; enrollment asks them in turn
	code, name          string
	caFlag              string
	keyIDs              []string // key ids the province gave out of band; none: confirm on the terminal
	replace             bool     // may move hub.url and replace the pinned keys
}

// configPath is the config file enroll writes: the one named, else the default.
func (k *kioskFlags) configPath() string {
	if k.config != "" {
		return k.config
	}
	return config.DefaultPath()
}

// enroll exchanges the code for credentials, stores them in the database and
// pins the hub and the confirmed province keys in the config file. Everything
// that could fail locally is checked before the one-time code is spent; what
// the hub answers is trusted only as far as the province's key ids confirm it.
func enroll(env *Env, req enrollRequest) error {
	kept := " (its other settings and comments kept)"
	if _, err := os.Stat(req.configPath); errors.Is(err, fs.ErrNotExist) {
		kept = " (a new file)"
	}
	doc, err := readConfigDoc(req.configPath)
	if err != nil {
		return err
	}
	cfg, err := config.LoadOrDefault(req.configPath, false) // readConfigDoc has validated it
	if err != nil {
		return err
	}
	if err := probeWrite(filepath.Dir(req.configPath)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("cannot write the config next to %s: %w (run enroll as root: sudo tramso enroll …)", req.configPath, err)
	}
	caGiven := req.caFlag
	if caGiven != "" {
		if req.caFlag, err = kioskCA(caGiven, req.configPath); err != nil {
			return fmt.Errorf("copy the --ca file next to the config: %w; nothing was sent to the hub and the code is still good", err)
		}
	}
	caFile, tlsConf, err := enrollTLS(doc, req.configPath, req.caFlag)
	if err != nil {
		return err
	}
	db, running, err := openForEnroll(req.dataDir)
	if err != nil {
		return err
	}
	defer db.Close()

	// A minute for each hub: the ones that are down may each take their timeout.
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(len(req.hubs))*time.Minute)
	defer cancel()
	stored, enrolled, err := store.LoadCredentials(ctx, db.DB)
	if err != nil {
		return err
	}
	// The code is spent the moment the hub answers: first make sure the
	// credentials can be kept (outside QA: on a full disk the code was
	// spent, nothing saved, and the hub kept a kiosk that never came).
	if err := db.ProbeWrite(ctx); err != nil {
		if store.IsDiskFull(err) {
			return fmt.Errorf("the kiosk's disk is full (%d MB free in %s), so it could not keep its enrollment: free some space, then run the same command again (the code is still good): %w",
				store.FreeBytes(req.dataDir)>>20, req.dataDir, err)
		}
		return fmt.Errorf("the kiosk's database takes no writes, so it could not keep its enrollment; nothing was sent to the hub and the code is still good: %w", err)
	}
	now := pinned{hubs: cfg.Hub.Addresses(stored.HubURL), keys: cfg.Hub.ProvinceKeys,
		unwritten: len(cfg.Hub.Addresses("")) == 0}
	if !req.replace && movesHub(now.hubs, req.hubs) {
		return fmt.Errorf("this kiosk is enrolled with %s; enrolling with %s would move it to another hub. "+
			"If the province moved its hub, run the command again with --replace. Nothing was sent to the hub",
			strings.Join(now.hubs, ", "), strings.Join(req.hubs, ", "))
	}
	// The keys are compared with the province's ids (or confirmed on the
	// terminal) before the code is spent: a wrong id or a "no" leaves the
	// code good and no device on the hub (outside QA: both spent the code).
	var plan pinPlan
	offered, err := update.OfferedKeysFirst(ctx, req.hubs, tlsConf)
	switch {
	case errors.Is(err, update.ErrNoOfferedKeys):
		offered = nil // an older hub: its keys are compared once it has answered the enrollment
	case err != nil:
		return hubUnreached(err, caFile, req.configPath)
	default:
		if err := plan.planKeys(env, now, offered, req); err != nil {
			if enrolled {
				return keysChangedSince(err, stored, req)
			}
			return advise(err, "Nothing was sent to the hub and nothing was saved on this kiosk: the code is still good.")
		}
		if len(req.keyIDs) == 0 { // confirmed by eye: not asked again below
			for _, k := range plan.confirmed {
				req.keyIDs = append(req.keyIDs, keyID(k))
			}
		}
	}
	creds, err := update.EnrollFirst(ctx, req.hubs, req.code, req.name, tlsConf)
	if errors.Is(err, update.ErrBadCode) {
		return alreadyEnrolled(env, db.DB, doc, now, req, plan, offered, err)
	}
	if advice, ok := enrollThrottled(err, time.Now()); ok {
		return advise(err, advice)
	}
	if err != nil {
		return hubUnreached(err, caFile, req.configPath)
	}
	if offered == nil {
		plan, err = planPins(env, now, req.addresses(creds.HubURL), creds.ProvinceKeys, req)
	} else {
		err = errors.Join(plan.answersAsOffered(creds.ProvinceKeys), plan.planHubs(now, req.addresses(creds.HubURL), req))
	}
	if err != nil {
		return advise(err, "Nothing was saved on this kiosk. The code is spent: ask the province for a new one.")
	}
	creds.ProvinceKeys = plan.keys // only confirmed keys are ever stored
	if err := store.SaveCredentials(ctx, db.DB, creds.Store()); err != nil {
		return err
	}
	if err := pinHub(doc, req.configPath, plan.hubTo, plan.keys, req.replace); err != nil {
		return fmt.Errorf("enrolled as %s, but %w; fix that, then run enroll again with a new code", creds.DeviceID, err)
	}
	db.handOver()
	fmt.Fprintf(env.Stdout, "Enrolled this kiosk with the province hub.\n"+
		"  hub:           %s\n  this kiosk:    %s (device %s)\n  province keys: %d pinned — content packs must be signed with one of them\n"+
		"  saved:         the device's credentials in %s\n"+
		"                 the hub address(es) and hub.province_keys in %s%s\n",
		creds.HubURL, orDash(creds.Name), creds.DeviceID, len(plan.keys), filepath.Join(req.dataDir, store.FileName), req.configPath, kept)
	plan.describe(env.Stdout)
	if req.caFlag != "" {
		fmt.Fprintf(env.Stdout, "                 hub.ca_file: %s — the kiosk trusts the hub through it (a copy of %s that the kiosk's user can read)\n", req.caFlag, caGiven)
	}
	nextSteps(env.Stdout, running)
	return nil
}

// kioskCAName is the file name of the hub's CA certificate next to the
// config, where enroll copies the --ca file.
const kioskCAName = "hub-ca.pem"

// kioskCA copies the CA certificate given with --ca next to the config
// (hub-ca.pem, mode 0644: a certificate is public) and returns the copy's
// path, which hub.ca_file then names. The kiosk runs as its own user, and
// under systemd's ProtectHome: a file the technician names (under /root or a
// home, or left 0600 by root's umask) may be one only root can read, and
// enroll, running as root, would not notice; the kiosk then cannot load its
// config (outside QA Q9). Copying is simpler and surer than judging whether
// another user, in another sandbox, could read the original: the copy sits
// beside the config the kiosk reads anyway, and stays when the original
// goes.
func kioskCA(src, configPath string) (string, error) {
	dir, err := filepath.Abs(filepath.Dir(configPath))
	if err != nil {
		return "", err
	}
	dest := filepath.Join(dir, kioskCAName)
	raw, err := os.ReadFile(src)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(dir, ".hub-ca-*.pem")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(raw)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644) // CreateTemp makes it 0600
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dest)
	}
	if err != nil {
		return "", err
	}
	return dest, nil
}

// enrollTLS picks the CA certificates enrollment trusts besides the system's
// roots: --ca wins over the config's hub.ca_file, and goes into the config
// (written with hub.url) so that the kiosk goes on trusting its hub.
func enrollTLS(doc *yaml.Node, configPath, caFlag string) (string, *tls.Config, error) {
	caFile := caFlag
	if caFile != "" {
		setScalar(mappingField(doc.Content[0], "hub"), "ca_file", caFile)
	} else {
		cfg, err := config.LoadOrDefault(configPath, false) // readConfigDoc has validated it
		if err != nil {
			return "", nil, err
		}
		caFile = cfg.Hub.CAFile
	}
	tlsConf, err := config.HubTLS(caFile)
	return caFile, tlsConf, err
}

// hubUnreached is enroll's error for a hub that did not answer (or whose
// certificate is not trusted) before the code was spent.
func hubUnreached(err error, caFile, configPath string) error {
	if errors.As(err, new(x509.UnknownAuthorityError)) {
		hint := untrustedHub(caFile, configPath)
		if caFile == "" {
			hint += " (or give the file to this command with --ca FILE)"
		}
		return advise(err, strings.ToUpper(hint[:1])+hint[1:]+". Then run the command again: the code is still good.")
	}
	return advise(err, "Check the network and the --hub address, then run the same command again (the code is still good).")
}

// throttledWaitRe finds the wait in a hub's refusal of an enrollment from
// an address that typed too many wrong codes ("… (in 358 seconds) …").
var throttledWaitRe = regexp.MustCompile(`\(in (\d{1,7}) seconds\)`)

// hubThrottledRe is how a hub says it is that block: this release's words,
// and an older hub's ("too many failed attempts; wait a minute").
var hubThrottledRe = regexp.MustCompile(`too many wrong enrollment codes|too many failed attempts`)

// enrollThrottled is the advice for a hub that refused the enrollment
// because too many wrong codes came from this address (429): the network is
// fine and so is the code, so say when to try again (now is this computer's
// clock; the hub says how many seconds are left, which no clock skew
// changes) and who can lift the block sooner. ok is false for any other
// error.
func enrollThrottled(err error, now time.Time) (advice string, ok bool) {
	// The hub's own words, not only its status: a proxy in between may
	// answer 429 for reasons of its own (review s25).
	if err == nil || !strings.Contains(err.Error(), "429 Too Many Requests") || !hubThrottledRe.MatchString(err.Error()) {
		return "", false
	}
	lift := "or ask the province to lift the block now on the hub console (page Mã đăng ký, button Mở chặn). " +
		"The code is still good."
	m := throttledWaitRe.FindStringSubmatch(err.Error())
	if m == nil { // a hub that does not say how long
		return "The hub refuses enrollment from this address for now, because too many wrong codes were typed from it: " +
			"this is not a network problem. Wait up to 15 minutes, then run the same command again, " + lift, true
	}
	secs, _ := strconv.Atoi(m[1])
	at := now.Add(time.Duration(secs) * time.Second)
	if t := at.Truncate(time.Minute); !t.Equal(at) {
		at = t.Add(time.Minute) // "after 19:26" must not be before the block ends
	}
	when := at.Format("15:04")
	if at.YearDay() != now.YearDay() || at.Year() != now.Year() {
		when = at.Format("15:04 on 2 Jan 2006")
	}
	return fmt.Sprintf("Too many wrong enrollment codes were typed from this address, so the hub refuses enrollment from it, "+
		"even with a good code: this is not a network problem. Try again after %s (this computer's clock, in about %d minutes), "+
		lift, when, (secs+59)/60), true
}

// untrustedHub says what to do about a hub certificate that no CA the kiosk
// trusts has signed (enroll and doctor).
func untrustedHub(caFile, configPath string) string {
	if caFile != "" {
		return "the hub's certificate is signed neither by the CA in " + caFile + " (hub.ca_file) nor by a public one: " +
			"ask the province for its CA certificate (PEM) and put it there"
	}
	return "if the province runs its own CA, get its certificate (PEM) from the province, save it as /etc/tramso/hub-ca.pem " +
		"and set hub.ca_file: /etc/tramso/hub-ca.pem in " + configPath
}

// badCodeAdvice: a typo is likelier than a spent code, and retyping is
// cheaper than a call to the province (outside QA s26: one wrong character
// sent the technician to ask for a new code).
const badCodeAdvice = "Check the code as the console showed it: three groups of four letters and digits " +
	"(it never uses I, L, O, 0 or 1; case and dashes do not matter), and run the command again. " +
	"If it was typed right, it was used or is older than 3 days: ask the province for a new code."

// alreadyEnrolled makes running enroll twice harmless: a spent code with
// credentials already stored repairs the config from them and says so, under
// the same rules as an enrollment (confirmed keys, no move without --replace).
// The keys are those the hub offers now, as confirmed before the code was
// sent (pre); only a hub that offers none is compared with the keys it gave
// at enrollment, which a key rotation may since have changed (outside QA R5:
// the stored keys were reported as what "the hub offers").
func alreadyEnrolled(env *Env, db *sql.DB, doc *yaml.Node, now pinned, req enrollRequest, pre pinPlan, offered []string, refused error) error {
	creds, ok, err := store.LoadCredentials(context.Background(), db)
	if err != nil {
		return err
	}
	if !ok {
		return advise(refused, badCodeAdvice)
	}
	plan := pre
	if offered != nil {
		err = plan.planHubs(now, req.addresses(creds.HubURL), req)
	} else {
		plan, err = planPins(env, now, req.addresses(creds.HubURL), creds.ProvinceKeys, req)
		var unoffered unofferedKeyID
		if errors.As(err, &unoffered) {
			err = fmt.Errorf("when it enrolled, its hub offered key(s) %s, not the key id %s given now; "+
				"if the province has rotated its key since, pin the new key with `tramso pin-key` "+
				"(README, \"Rotating the province key\")", ids(unoffered.offered), unoffered.id)
		}
	}
	if err != nil {
		return fmt.Errorf("%s; the stored enrollment does not fit this kiosk's config: %w", enrolledAs(creds), err)
	}
	if plan.changes() {
		if err := pinHub(doc, req.configPath, plan.hubTo, plan.keys, req.replace); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.Stdout, "%s.\n"+
		"The hub did not accept the code again (a code works once), so nothing new was received.\n", enrolledAs(creds))
	plan.describe(env.Stdout)
	fmt.Fprintln(env.Stdout, "To enroll afresh, ask the province for a new code.")
	return nil
}

// enrolledAs says which enrollment a kiosk holds.
func enrolledAs(c store.DeviceCredentials) string {
	return fmt.Sprintf("This kiosk is already enrolled as %s (device %s) with %s, since %s",
		orDash(c.Name), c.DeviceID, c.HubURL, c.EnrolledAt.Local().Format("2006-01-02 15:04"))
}

// keysChangedSince is enroll's refusal, before any code is sent, of keys
// that do not fit a kiosk enrolled before: most often the province rotated
// its key since, and the technician gives the old id, or a new one the
// config does not pin yet. "The code is still good" is not said: the code
// given may be the one this kiosk already spent (outside QA R5).
func keysChangedSince(err error, stored store.DeviceCredentials, req enrollRequest) error {
	advice := "If the province has rotated its key since, ask it which key id is current; " +
		"an enrolled kiosk pins a new key with `tramso pin-key` (README, \"Rotating the province key\"), " +
		"not by enrolling again. Nothing was sent to the hub and nothing was saved on this kiosk."
	var unoffered unofferedKeyID
	if errors.As(err, &unoffered) && slices.ContainsFunc(req.hubs, func(h string) bool { return update.SameHub(h, stored.HubURL) }) {
		// Its own hub: no cause to fear a stranger's, as an unenrolled kiosk should.
		err = fmt.Errorf("the hub it is enrolled with now offers key(s) %s, not the key id %s given; no key was pinned",
			ids(unoffered.offered), unoffered.id)
	}
	return advise(fmt.Errorf("%s; %w", enrolledAs(stored), err), advice)
}

func nextSteps(w io.Writer, running bool) {
	if running {
		fmt.Fprintln(w, "The kiosk is running: restart it so that it connects: systemctl restart tramso-kiosk")
		return
	}
	fmt.Fprintln(w, "Next: `tramso doctor` checks everything; then start the kiosk: systemctl start tramso-kiosk (or reboot).")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// enrollDB is the kiosk database as enroll holds it.
type enrollDB struct {
	*store.Store
	dir string
}

// openForEnroll opens the kiosk's database. A running kiosk holds the data
// directory's lock; enrollment still writes its credentials (SQLite allows a
// second writer) and asks for a restart.
func openForEnroll(dir string) (*enrollDB, bool, error) {
	st, err := store.Open(dir)
	if errors.Is(err, store.ErrLocked) {
		db, err := store.OpenDB(filepath.Join(dir, store.FileName))
		if err != nil {
			return nil, false, err
		}
		return &enrollDB{Store: &store.Store{DB: db, Dir: dir}, dir: dir}, true, nil
	}
	if err != nil {
		return nil, false, err
	}
	return &enrollDB{Store: st, dir: dir}, false, nil
}

// handOver gives what root just created in the data directory to the user
// the kiosk runs as, so that the service can open its own database.
func (d *enrollDB) handOver() { handOverDataDir(d.dir) }

// handOverDataDir chowns the data directory and its database files to the
// service's user when root has been at work in it (enroll, doctor).
func handOverDataDir(dir string) {
	handOver(dir, func(chown func(string)) {
		for _, name := range []string{"", store.FileName, store.FileName + "-wal", store.FileName + "-shm", "tramso.lock"} {
			chown(filepath.Join(dir, name))
		}
	})
}

// handOverDataTree is handOverDataDir for everything under dir: what a
// root command (`tramso pack apply`) made there goes to the kiosk's user.
func handOverDataTree(dir string) {
	handOver(dir, func(chown func(string)) {
		_ = filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
			if err == nil {
				chown(path)
			}
			return nil
		})
	})
}

// handOver runs each with a chown to the service's owner of dir, when root
// runs this and dir has such an owner; otherwise it does nothing.
func handOver(dir string, each func(chown func(string))) {
	if os.Geteuid() != 0 {
		return
	}
	uid, gid, ok := serviceOwner(dir)
	if !ok {
		return
	}
	each(func(path string) { _ = os.Lchown(path, uid, gid) })
}

// serviceOwner is who should own the data directory: its owner, or the
// service user when root owns the installed kiosk's directory.
func serviceOwner(dir string) (int, int, bool) {
	st, err := os.Stat(dir)
	if err != nil {
		return 0, 0, false
	}
	o, ok := ownerOf(st)
	if !ok {
		return 0, 0, false
	}
	if o.uid != 0 {
		return o.uid, o.gid, true
	}
	if filepath.Clean(dir) != config.InstalledDataDir {
		return 0, 0, false // a root-owned directory of someone's own choosing stays root's
	}
	u, err := user.Lookup(ServiceUser)
	if err != nil {
		return 0, 0, false
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return uid, gid, true
}

// readConfigDoc reads the config file as a YAML node tree, so that writing it
// back keeps the person's comments and order. A missing file is an empty
// document; a file that does not validate is refused before the code is spent.
func readConfigDoc(path string) (*yaml.Node, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map"}}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	if _, err := config.Parse(bytes.NewReader(raw)); err != nil {
		return nil, advise(fmt.Errorf("config %s: %w", path, err), "Fix the config first (`tramso doctor` shows the problem); nothing was changed.")
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if doc.Kind == 0 { // an empty file, or only comments: keep them on top
		top := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", HeadComment: strings.TrimSpace(string(raw))}
		return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{top}}, nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("config %s: the top level is not a mapping of fields", path)
	}
	return &doc, nil
}

// pinHub sets the hub's addresses (one as hub.url, several as hub.urls, the
// other key removed: the config refuses both) and adds the province keys to
// hub.province_keys (keys already there stay: a province rotating its key
// lists both for a while; with replace the list becomes exactly keys), checks
// the result, and writes the file back in place.
func pinHub(doc *yaml.Node, path string, hubs []string, keys []string, replace bool) error {
	hub := mappingField(doc.Content[0], "hub")
	setAddresses(hub, hubs)
	list := mappingField(hub, "province_keys")
	if list.Kind != yaml.SequenceNode || replace {
		*list = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
	}
	have := map[string]bool{}
	for _, n := range list.Content {
		have[n.Value] = true
	}
	for _, k := range keys {
		if !have[k] {
			list.Content = append(list.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k, Style: yaml.DoubleQuotedStyle})
			have[k] = true
		}
	}
	return writeConfigDoc(doc, path, "the config with the hub's answer")
}

// writeConfigDoc renders doc, checks that it is still a valid config (what
// names the change, for the error) and replaces the file at path with it.
func writeConfigDoc(doc *yaml.Node, path, what string) error {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	if _, err := config.Parse(bytes.NewReader(buf.Bytes())); err != nil {
		return fmt.Errorf("%s would not be valid: %w", what, err)
	}
	return writeFileLike(path, buf.Bytes())
}

// mappingField returns the value node of key in m, adding an empty mapping
// under that key when it is missing or null.
func mappingField(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v := m.Content[i+1]
			if v.Kind == yaml.ScalarNode && (v.Tag == "!!null" || v.Value == "") {
				*v = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			}
			return v
		}
	}
	k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}
	v := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	m.Content = append(m.Content, k, v)
	return v
}

func setScalar(m *yaml.Node, key, value string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v := m.Content[i+1]
			v.Kind, v.Tag, v.Value, v.Style, v.Content = yaml.ScalarNode, "!!str", value, yaml.DoubleQuotedStyle, nil
			return
		}
	}
	m.Content = append(m.Content,
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key},
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value, Style: yaml.DoubleQuotedStyle})
}

// writeFileLike replaces path atomically, keeping its owner and its mode
// (narrowed to 0640 at most); a new file is root:tramso 0640 like the one the
// package installs.
func writeFileLike(path string, body []byte) error {
	// A config that is a link (to a shared or managed file) is written
	// where it points, and stays a link (outside QA R10).
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	mode, uid, gid := os.FileMode(0o640), -1, -1
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm() & 0o640 // it names the hub and the keys the kiosk trusts: never world-readable
		if o, ok := ownerOf(st); ok {
			uid, gid = o.uid, o.gid
		}
	} else if g, err := user.LookupGroup(ServiceUser); err == nil && os.Geteuid() == 0 {
		uid, gid = 0, atoi(g.Gid)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".config-*.yaml")
	if err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(body); err != nil {
		tmp.Close()
		return fmt.Errorf("write config: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write config: %w", err)
	}
	tmp.Close()
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	if uid >= 0 && os.Geteuid() == 0 {
		_ = os.Chown(tmp.Name(), uid, gid)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	return nil
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
