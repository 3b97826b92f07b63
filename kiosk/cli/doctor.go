package cli

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/store"
)

var cmdDoctor = &command{
	name:    "doctor",
	summary: "check this kiosk (display, WebKit, sound, data, disk, clock, config, speech, hub) and say how to fix each fault",
	usage:   "[--data DIR] [--config FILE] [--min-free-mb N] [--timeout DURATION] [--lang vi|en]",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		kf := addKioskFlags(fs)
		minFree := fs.Uint64("min-free-mb", 500, "warn when the data directory's disk has less free space (MB)")
		timeout := fs.Duration("timeout", 10*time.Second, "how long to wait for the hub")
		lang := fs.String("lang", langVi, "the report's language: vi (Vietnamese) or en (English)")
		return func(env *Env) error {
			l, err := parseLang(*lang)
			if err != nil {
				return err
			}
			d := newDoctor(kf, *minFree<<20, *timeout)
			d.assets = env.Assets
			d.lang = l
			if faults := d.report(env.Stdout, d.run()); faults > 0 {
				return errors.New(d.printer().say(msg("doctor found %d fault(s); the fixes are listed above", faults)))
			}
			return nil
		}
	},
}

// level is how bad a finding is: only faults make doctor fail.
type level int

const (
	levelOK level = iota
	levelWarn
	levelFault
)

func (l level) String() string { return [...]string{"ok", "warn", "FAULT"}[l] }

// finding is one line of the report, with the fix in plain words.
type finding struct {
	check string
	level level
	say   text
	fix   text
}

// account is a user whose access to the data directory matters.
type account struct {
	name string
	uid  int
	gids []int
}

// doctor holds everything the checks look at, so tests can seed each fault.
type doctor struct {
	dataDir        string
	configPath     string
	configExplicit bool
	getenv         func(string) string
	now            func() time.Time
	minFree        uint64   // bytes
	webkitGlobs    []string // where libwebkit2gtk-4.1 may be
	gstDirs        []string // where GStreamer's plugins may be
	ldconfig       bool     // also ask ldconfig -p
	unitPath       string   // the installed service: its presence means cage brings the display
	driGlob        string   // graphics devices cage needs
	kioskUser      *account // the user the service runs as; nil when not installed
	client         *http.Client
	assets         fs.FS           // the screens this binary embeds (Env.Assets)
	lang           string          // the report's language: langVi ("" too) or langEn
	missed         map[string]bool // when not nil, the report's formats with no Vietnamese (tests)

	hubDate  time.Time // the hub's clock, from its Date header, when it answered
	hubAsked bool      // a hub is configured and was asked (checkClock)
}

// ServiceUser is the unprivileged user the Debian package runs the kiosk as.
const ServiceUser = "tramso"

// ServiceUnit is the kiosk's systemd unit as the Debian package installs it.
const ServiceUnit = "/lib/systemd/system/tramso-kiosk.service"

func newDoctor(kf *kioskFlags, minFree uint64, timeout time.Duration) *doctor {
	opts := kf.options()
	return &doctor{
		dataDir:        opts.DataDir,
		configPath:     opts.ConfigPath,
		configExplicit: opts.ConfigExplicit,
		getenv:         os.Getenv,
		now:            time.Now,
		minFree:        minFree,
		webkitGlobs:    []string{"/usr/lib/*/libwebkit2gtk-4.1.so.0", "/usr/lib/libwebkit2gtk-4.1.so.0", "/usr/local/lib/libwebkit2gtk-4.1.so.0"},
		gstDirs:        []string{"/usr/lib/*/gstreamer-1.0", "/usr/lib/gstreamer-1.0"},
		ldconfig:       true,
		unitPath:       ServiceUnit,
		driGlob:        "/dev/dri/card*",
		kioskUser:      lookupServiceUser(),
		client:         &http.Client{Timeout: timeout},
	}
}

// lookupServiceUser returns the service user when doctor runs as someone else
// (root, usually): then "writable" must mean writable by the kiosk.
func lookupServiceUser() *account {
	u, err := user.Lookup(ServiceUser)
	if err != nil || strconv.Itoa(os.Geteuid()) == u.Uid {
		return nil
	}
	uid, _ := strconv.Atoi(u.Uid)
	acc := &account{name: u.Username, uid: uid}
	gids, _ := u.GroupIds()
	for _, g := range gids {
		if n, err := strconv.Atoi(g); err == nil {
			acc.gids = append(acc.gids, n)
		}
	}
	return acc
}

// run performs every check in order; the hub check feeds the clock check.
func (d *doctor) run() []finding {
	var out []finding
	out = append(out, d.checkDisplay(), d.checkWebKit(), d.checkScreens(), d.checkSound())
	out = append(out, d.checkDataDir()...)
	out = append(out, d.checkDatabase()...)
	out = append(out, d.checkDisk())
	cfg, f := d.checkConfig()
	out = append(out, f)
	out = append(out, d.checkConfigLeftovers()...)
	if f.level == levelFault {
		return append(out, configSkipped(), d.checkClock())
	}
	out = append(out, d.checkSpeech(cfg)...)
	out = append(out, d.checkHub(cfg)...)
	out = append(out, d.checkContent(cfg)...)
	out = append(out, d.checkClock())
	return out
}

// printer says the report in the doctor's language.
func (d *doctor) printer() *printer {
	if d.lang == "" {
		return &printer{lang: langVi, missed: d.missed}
	}
	return &printer{lang: d.lang, missed: d.missed}
}

// report prints the findings and returns how many are faults.
func (d *doctor) report(w io.Writer, findings []finding) int {
	p := d.printer()
	fmt.Fprintln(w, p.say(msg("Trạm Số doctor — %s", versionLine())))
	width := p.checkWidth()
	indent := strings.Repeat(" ", 2+5+2+width)
	faults, warns := 0, 0
	for _, f := range findings {
		fmt.Fprintf(w, "  %-5s  %-*s %s\n", p.level(f.level), width, p.check(f.check), p.say(f.say))
		if !f.fix.isZero() && f.level != levelOK {
			fmt.Fprintln(w, indent+p.say(msg("fix: %s", f.fix)))
		}
		switch f.level {
		case levelFault:
			faults++
		case levelWarn:
			warns++
		}
	}
	switch {
	case faults > 0:
		fmt.Fprintln(w, p.say(msg("%d fault(s), %d warning(s): fix the faults, then run `tramso doctor` again.", faults, warns)))
	case warns > 0:
		fmt.Fprintln(w, p.say(msg("No faults, %d warning(s).", warns)))
	default:
		fmt.Fprintln(w, p.say(msg("All good.")))
	}
	return faults
}

func (d *doctor) checkDisplay() finding {
	f := finding{check: "display"}
	if v := d.getenv("WAYLAND_DISPLAY"); v != "" {
		f.say = msg("Wayland display %s", v)
		return f
	}
	if v := d.getenv("DISPLAY"); v != "" {
		f.say = msg("X display %s", v)
		return f
	}
	if _, err := os.Stat(d.unitPath); err == nil {
		if cards, _ := filepath.Glob(d.driGlob); len(cards) > 0 {
			f.say = msg("no display in this shell (normal over SSH); the kiosk service starts its own with cage on %s", cards[0])
			return f
		}
		f.level = levelFault
		f.say = msg("no graphics device (%s): cage cannot open the screen", d.driGlob)
		f.fix = msg("check the screen cable and that the graphics driver is loaded (`ls /dev/dri`); on a virtual machine, give it a virtual GPU")
		return f
	}
	f.level = levelFault
	f.say = msg("no display: neither WAYLAND_DISPLAY nor DISPLAY is set")
	f.fix = msg("run tramso from the desktop session, or install the tramso package so that its service runs the kiosk in cage; " +
		"to use a browser instead, run `sudo -u tramso tramso serve` (as the kiosk's user, never root)")
	return f
}

func (d *doctor) checkWebKit() finding {
	f := finding{check: "webkit"}
	for _, g := range d.webkitGlobs {
		if m, _ := filepath.Glob(g); len(m) > 0 {
			f.say = msg("WebKitGTK 4.1 found (%s)", m[0])
			return f
		}
	}
	if d.ldconfig {
		if out, err := exec.Command("ldconfig", "-p").Output(); err == nil && strings.Contains(string(out), "libwebkit2gtk-4.1.so.0") {
			f.say = msg("WebKitGTK 4.1 found (ldconfig)")
			return f
		}
	}
	f.level = levelFault
	f.say = msg("WebKitGTK 4.1 (libwebkit2gtk-4.1.so.0) is not installed: the kiosk window cannot open")
	f.fix = msg("apt-get install libwebkit2gtk-4.1-0 (installing the tramso package brings it)")
	return f
}

func (d *doctor) checkDataDir() []finding {
	f := finding{check: "data"}
	st, err := os.Stat(d.dataDir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		f.level = levelFault
		f.say = msg("%s does not exist", d.dataDir)
		f.fix = d.fixOwner(msg("mkdir -p %s", d.dataDir))
		return []finding{f}
	case err != nil:
		f.level = levelFault
		f.say = msg("cannot look at %s: %s", d.dataDir, osError(err))
		f.fix = d.sudoFix(err, msg("check the path given with --data"))
		return []finding{f}
	case !st.IsDir():
		f.level = levelFault
		f.say = msg("%s is not a directory", d.dataDir)
		f.fix = msg("move that file away, or give another directory with --data")
		return []finding{f}
	}
	if who, ok := d.canWrite(st); !ok {
		f.level = levelFault
		f.say = msg("%s is not writable by %s", d.dataDir, who)
		f.fix = d.fixOwner(text{})
		return []finding{f}
	}
	if err := probeWrite(d.dataDir); err != nil {
		f.level = levelFault
		f.say = msg("cannot write in %s: %s", d.dataDir, osError(err))
		f.fix = d.sudoFix(err, msg("check that the disk is not full or mounted read-only (`mount | grep ' / '`), then %s", d.fixOwner(text{})))
		if errors.Is(err, syscall.EROFS) {
			// The kernel turned the disk read-only after errors: no chown
			// helps, the disk needs checking. The kiosk meanwhile serves
			// read-only (store.OpenOrReadOnly).
			f.say = msg("%s (the kiosk still serves its content, but records no usage and takes no updates)", f.say)
			f.fix = msg(store.ReadOnlyAdvice)
		}
		return []finding{f}
	}
	f.say = msg("%s exists and is writable", d.dataDir)
	out := append([]finding{f}, d.checkStrangers(st)...)
	return append(out, d.checkLock())
}

// fixOwner is the plain fix for a data directory the kiosk cannot write.
func (d *doctor) fixOwner(first text) text {
	steps := []text{}
	if !first.isZero() {
		steps = append(steps, first)
	}
	switch {
	case d.kioskUser != nil:
		steps = append(steps, msg("chown -R %s:%s %s", d.kioskUser.name, d.kioskUser.name, d.dataDir))
	case first.isZero():
		steps = append(steps, msg("chmod u+rwx %s as its owner, or pass another --data", d.dataDir))
	}
	return msg("%s", joined{steps, " && "})
}

// canWrite says whether the kiosk's user may write in the directory, from
// its permission bits: root passes any write probe, the kiosk does not.
func (d *doctor) canWrite(st os.FileInfo) (text, bool) {
	return d.kioskMay(st, 0o300) // probeWrite decides where there is no kiosk user
}

// kioskMay says whether the kiosk's user has the permission bits want
// (written for the owner, 0o300 write and enter, 0o400 read) on a file, from
// its mode: its owner's bits, else its group's, else everyone's. With no
// kiosk user to judge for it says yes, and who is "".
func (d *doctor) kioskMay(st os.FileInfo, want fs.FileMode) (who text, ok bool) {
	o, known := ownerOf(st)
	if d.kioskUser == nil || !known {
		return text{}, true
	}
	mode := st.Mode().Perm()
	who = msg("the kiosk's user %s", d.kioskUser.name)
	switch {
	case o.uid == d.kioskUser.uid:
		return who, mode&want == want
	case containsInt(d.kioskUser.gids, o.gid):
		return who, mode&(want>>3) == want>>3
	}
	return who, mode&(want>>6) == want>>6
}

func probeWrite(dir string) error {
	f, err := os.CreateTemp(dir, ".doctor-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// checkLock says whether a kiosk is running on this data directory. Either
// way is fine; it tells the person whether the service is up.
func (d *doctor) checkLock() finding {
	f := finding{check: "data"}
	lock, err := os.OpenFile(filepath.Join(d.dataDir, "tramso.lock"), os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		f.say = msg("no kiosk has run on this data directory yet")
		return f
	} else if err != nil {
		f.level = levelWarn
		f.say = msg("cannot open the lock file: %s", osError(err))
		f.fix = d.sudoFix(err, d.fixOwner(text{}))
		return f
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.say = msg("a kiosk is running on this data directory (its lock is held)")
		return f
	}
	_ = syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	f.say = msg("no kiosk is running on this data directory (its lock is free)")
	return f
}

func (d *doctor) checkDisk() finding {
	f := finding{check: "disk"}
	dir := d.dataDir
	for {
		if _, err := os.Stat(dir); err == nil || dir == filepath.Dir(dir) {
			break
		}
		dir = filepath.Dir(dir)
	}
	var fs syscall.Statfs_t
	if err := syscall.Statfs(dir, &fs); err != nil {
		f.level = levelWarn
		f.say = msg("cannot read free space on %s: %s", dir, osError(err))
		return f
	}
	free := fs.Bavail * uint64(fs.Bsize)
	const floor = 50 << 20 // below this SQLite and pack updates fail outright
	f.say = msg("%s free on the disk of %s", megabytes(free), dir)
	switch {
	case free < floor:
		f.level = levelFault
	case free < d.minFree:
		f.level = levelWarn
		f.say = msg("only %s free on the disk of %s (less than %s)", megabytes(free), dir, megabytes(d.minFree))
	}
	f.fix = msg("free some space: `apt-get clean`, `journalctl --vacuum-size=100M`, and remove old files you put on this machine")
	return f
}

func megabytes(b uint64) string { return strconv.FormatUint(b>>20, 10) + " MB" }

func (d *doctor) checkConfig() (config.Config, finding) {
	f := finding{check: "config"}
	_, statErr := os.Stat(d.configPath)
	cfg, err := config.LoadOrDefault(d.configPath, d.configExplicit)
	switch {
	case err != nil:
		f.level = levelFault
		f.say = msg("%s", configError{err})
		f.fix = d.configFix(err)
		return config.Default(), f
	case errors.Is(statErr, os.ErrNotExist):
		f.say = msg("no config file at %s; using defaults (always open, no hub)", d.configPath)
	case !d.kioskCanRead(d.configPath):
		f.level = levelFault
		f.say = msg("%s is valid, but the kiosk's user %s cannot read it: the kiosk runs on its last good copy, or does not start", d.configPath, d.kioskUser.name)
		f.fix = msg("sudo chgrp %s %s && sudo chmod 0640 %s", d.kioskUser.name, d.configPath, d.configPath)
	default:
		f.say = msg("%s is valid", d.configPath)
	}
	return cfg, f
}

func (d *doctor) checkHub(cfg config.Config) []finding {
	// The update client uses the config's hub addresses only, never the one
	// an enrollment stored; it pins the config's keys only (a hub's answer
	// never adds one). Doctor judges the same way.
	hubs := cfg.Hub.Addresses("")
	if len(hubs) == 0 {
		return []finding{d.noHub(), keyFinding(cfg, nil)}
	}
	return append([]finding{keyFinding(cfg, hubs)}, d.pingHubs(hubs, cfg.Hub.CAFile)...)
}

// keyFinding says whether the config pins a province key. With no hub it is
// a warning, as the missing hub is (a kiosk being set up), but a USB pack is
// refused all the same; with a hub every pack is refused: a fault.
func keyFinding(cfg config.Config, hubs []string) finding {
	if n := len(cfg.Hub.ProvinceKeys); n > 0 {
		return finding{check: "key", say: msg("%d province key(s) pinned", n)}
	}
	pin := msg("pin it from the province's province.pub, with the key id the province gave: sudo tramso pin-key --key-id ID province.pub")
	if len(hubs) == 0 {
		return finding{check: "key", level: levelWarn,
			say: msg("no province key is pinned (hub.province_keys is empty): the kiosk refuses every pack, from USB too"), fix: pin}
	}
	return finding{check: "key", level: levelFault,
		say: msg("no province key is pinned (hub.province_keys is empty): the kiosk will refuse every content pack"),
		fix: msg("run `tramso enroll --hub %s --code CODE --key-id ID` again with the key id the province gave (it pins that key), or %s", strings.Join(hubs, " --hub "), pin)}
}

// noHub is the finding for a config that names no hub. An enrollment the
// database still holds is named: the kiosk no longer connects with it, which
// surprises a technician who only emptied hub.url, or restored a backup.
func (d *doctor) noHub() finding {
	if creds, ok := d.enrollment(); ok && creds.HubURL != "" {
		return finding{check: "hub", level: levelWarn,
			say: msg("the database holds an enrollment with %s (device %s), but the config names no hub: the kiosk does not connect and gets no updates", creds.HubURL, creds.DeviceID),
			fix: msg("to take updates from that hub again, set hub.url: %s in %s; to keep this kiosk off the hub, nothing to do", creds.HubURL, d.configPath)}
	}
	return finding{check: "hub", level: levelWarn,
		say: msg("no hub configured: the kiosk works offline with the content it has, and takes updates by USB only (tramso pack apply)"),
		fix: msg("to take updates from the province hub, enroll it with the code the hub shows: tramso enroll --hub URL --code CODE --key-id ID; " +
			"a commune with no usable link has nothing to do here")}
}

// pingHubs asks every hub the kiosk may use. With several, one that does not
// answer is a warning while another does: the kiosk moves to one that
// answers, but the province should hear that one of its hubs is down.
func (d *doctor) pingHubs(hubs []string, caFile string) []finding {
	out := make([]finding, len(hubs))
	up := 0
	for i, h := range hubs {
		out[i] = d.pingHub(h, caFile)
		if out[i].level == levelOK {
			up++
		}
	}
	for i := range out {
		if up > 0 && out[i].level == levelFault {
			out[i].level = levelWarn
			out[i].say = msg("%s; the kiosk uses the province's other hub(s) meanwhile", out[i].say)
		}
	}
	return out
}

// enrollment reads the stored device credentials, if the database exists;
// doctor never creates one.
// checkDatabase reads the whole database (SQLite's quick_check): a damaged
// one is set aside by the kiosk at its next start, and said here first. A
// database set aside before is mentioned, for the technician to keep or
// remove.
func (d *doctor) checkDatabase() []finding {
	path := filepath.Join(d.dataDir, store.FileName)
	var out []finding
	if _, err := os.Stat(path); err == nil {
		f := finding{check: "database", say: msg("the database reads whole (quick_check)")}
		if err := canRead(path); err != nil { // not readable is not damaged
			f.level, f.say, f.fix = levelFault, msg("cannot read the database: %s", osError(err)), d.sudoFix(err, d.fixOwner(text{}))
		} else if problem := quickCheck(path); problem != "" {
			f.level = levelFault
			f.say = msg("the database is damaged: %s", problem)
			f.fix = msg("start the kiosk: it sets the damaged file aside (tramso.db.damaged-…) and starts a new one; then enroll it again (tramso enroll)")
		} else if newer := newerMigrations(path); len(newer) > 0 {
			f.level = levelWarn
			f.say = msg("a newer Trạm Số has used this database (migrations this release does not know: %s); this release runs on it", strings.Join(newer, ", "))
			f.fix = msg("if something fails, install that newer release again, or restore the backup taken before the upgrade (README, Upgrading a province)")
		}
		handOverDataDir(d.dataDir) // SQLite may have left a -wal or -shm file owned by root
		out = append(out, f)
	}
	if aside := store.SetAsideFiles(d.dataDir); len(aside) > 0 {
		out = append(out, finding{check: "database", level: levelWarn,
			say: msg("%d damaged database(s) set aside by the kiosk, the last %s", len(aside), filepath.Base(aside[len(aside)-1])),
			fix: msg("keep them if the province asks for the lost usage figures, otherwise remove them")})
	}
	return out
}

// quickCheck runs PRAGMA quick_check on the database at path: "" when it is
// whole, else what SQLite found.
func quickCheck(path string) string {
	db, err := store.OpenDB(path)
	if err != nil {
		return err.Error()
	}
	defer db.Close()
	var result string
	if err := db.QueryRow(`PRAGMA quick_check`).Scan(&result); err != nil {
		return err.Error()
	}
	if result != "ok" {
		return result
	}
	return ""
}

// newerMigrations names the migrations a newer release recorded in the
// database at path (nothing when it cannot tell: quickCheck has spoken).
func newerMigrations(path string) []string {
	db, err := store.OpenDB(path)
	if err != nil {
		return nil
	}
	defer db.Close()
	newer, _ := store.NewerMigrations(context.Background(), db)
	return newer
}

func (d *doctor) enrollment() (store.DeviceCredentials, bool) {
	path := filepath.Join(d.dataDir, store.FileName)
	if _, err := os.Stat(path); err != nil {
		return store.DeviceCredentials{}, false
	}
	db, err := store.OpenDB(path)
	if err != nil {
		return store.DeviceCredentials{}, false
	}
	creds, ok, err := store.LoadCredentials(context.Background(), db)
	db.Close()
	handOverDataDir(d.dataDir) // SQLite may have left a -wal or -shm file owned by root
	return creds, ok && err == nil
}

// pingHub asks the hub's health endpoint, trusting the CA in caFile (the
// config's hub.ca_file) as the update client does, and keeps the hub's clock
// for checkClock; then whether the hub knows this kiosk (knowsKiosk).
func (d *doctor) pingHub(hubURL, caFile string) finding {
	f := finding{check: "hub"}
	d.hubAsked = true
	health, err := hubproto.Endpoint(hubURL, hubproto.Health)
	if err != nil {
		f.level = levelFault
		f.say = msg("hub address %s", err.Error())
		f.fix = msg("correct hub.url (or hub.urls) in %s", d.configPath)
		return f
	}
	client, err := d.hubClient(caFile)
	if err != nil {
		f.level = levelFault
		f.say = msg("hub.ca_file: %s", osError(err))
		f.fix = msg("put the province CA's certificate (PEM) there, or correct hub.ca_file in %s", d.configPath)
		return f
	}
	ctx, cancel := context.WithTimeout(context.Background(), d.client.Timeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, health, nil)
	resp, err := client.Do(req)
	defer client.CloseIdleConnections()
	if errors.As(err, new(x509.UnknownAuthorityError)) {
		f.level = levelFault
		f.say = msg("the hub at %s has a certificate that no CA this kiosk trusts has signed (x509: unknown authority)", health)
		f.fix = untrustedHubFix(caFile, d.configPath)
		return f
	}
	if say, ok := d.certificateOutOfDate(err); ok {
		f.level = levelFault
		f.say = msg("the hub at %s %s", health, say)
		f.fix = msg("if this machine's date or time is wrong, set it (`timedatectl set-ntp true`, or `date -s '2026-11-27 08:00'`); if it is right, the hub's certificate is out of date: tell the province")
		return f
	}
	if err != nil {
		f.level = levelFault
		f.say = msg("cannot reach the hub at %s: %s", health, plainNetError(err))
		f.fix = msg("check the network (cable, Wi-Fi or 4G), then the hub address (hub.url or hub.urls) in %s; if both are right, ask the province whether the hub is up", d.configPath)
		return f
	}
	resp.Body.Close()
	if t, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		d.hubDate = t
	}
	if resp.StatusCode != http.StatusOK {
		f.level = levelFault
		f.say = msg("the hub at %s answered %s", health, resp.Status)
		f.fix = msg("check the hub address (hub.url or hub.urls) in %s (it should be the address the province gave); ask the province whether the hub is up", d.configPath)
		return f
	}
	f.say = msg("the hub at %s answers", health)
	if caFile != "" {
		f.say = msg("%s (its certificate checked against the CA in %s)", f.say, caFile)
	}
	return d.knowsKiosk(client, hubURL, f)
}

// knowsKiosk asks the hub, with this kiosk's own token, what the update
// client asks when it polls (GET /api/device/target). A hub that answers its
// health check may still refuse this kiosk — revoked, enrolled again
// elsewhere, its database set aside — and then the kiosk gets no update
// (outside QA: doctor said "ok" for a revoked kiosk). f is the health
// check's finding, kept when the hub knows the kiosk.
func (d *doctor) knowsKiosk(client *http.Client, hubURL string, f finding) finding {
	enrollAgain := msg("enroll again with a new code from the province: tramso enroll --hub %s --code CODE --key-id ID", hubURL)
	creds, ok := d.enrollment()
	if !ok {
		f.level = levelFault
		f.say = msg("this kiosk is not enrolled (its database holds no enrollment), so it does not connect to the hub at %s although hub.url names it, and gets no updates", hubURL)
		f.fix = enrollAgain
		return f
	}
	target, _ := hubproto.Endpoint(hubURL, hubproto.DeviceTarget) // pingHub has checked the address
	ctx, cancel := context.WithTimeout(context.Background(), d.client.Timeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	req.Header.Set("Authorization", "Bearer "+creds.Token)
	resp, err := client.Do(req)
	if err != nil {
		f.level = levelWarn
		f.say = msg("%s, but did not say whether it knows this kiosk (device %s): %s", f.say, creds.DeviceID, plainNetError(err))
		f.fix = msg("run doctor again in a minute")
		return f
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusOK:
		f.say = msg("%s and knows this kiosk (device %s)", f.say, creds.DeviceID)
	case resp.StatusCode == http.StatusUnauthorized:
		var answer struct {
			Error string `json:"error"`
		}
		_ = json.NewDecoder(io.LimitReader(resp.Body, 4<<10)).Decode(&answer)
		f.level = levelFault
		f.say = msg("the hub at %s does not know this kiosk's enrollment (revoked, or enrolled elsewhere): device %s", hubURL, creds.DeviceID)
		if answer.Error != "" {
			f.say = msg("%s, the hub says: %s", f.say, hubproto.Clip(hubproto.CleanText(answer.Error), 200))
		}
		f.fix = enrollAgain
	default:
		f.level = levelWarn
		f.say = msg("%s, but answered %s when asked whether it knows this kiosk (device %s)", f.say, resp.Status, creds.DeviceID)
		f.fix = msg("ask the province whether the hub runs the same version as this kiosk (%s)", versionLine())
	}
	return f
}

// certificateOutOfDate says when err is a hub certificate expired or not yet
// valid by this machine's clock — most often the clock's fault, not the
// hub's, when one kiosk of many sees it (outside QA: the advice was the
// network's).
func (d *doctor) certificateOutOfDate(err error) (text, bool) {
	var invalid x509.CertificateInvalidError
	if !errors.As(err, &invalid) || invalid.Reason != x509.Expired || invalid.Cert == nil {
		return text{}, false
	}
	layout := "2006-01-02 15:04 MST"
	c := invalid.Cert
	return msg("has a certificate valid from %s to %s, and this machine's clock says %s",
		c.NotBefore.UTC().Format(layout), c.NotAfter.UTC().Format(layout), d.now().UTC().Format(layout)), true
}

// hubClient is doctor's client with the hub's CA added to the roots.
func (d *doctor) hubClient(caFile string) (*http.Client, error) {
	tlsConf, err := config.HubTLS(caFile)
	if err != nil || tlsConf == nil {
		return d.client, err
	}
	tlsConf.Time = d.now // certificates are judged by the clock doctor reports
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = tlsConf
	return &http.Client{Timeout: d.client.Timeout, Transport: transport}, nil
}

// plainNetError shortens Go's network errors to what a person can act on.
func plainNetError(err error) text {
	var sys syscall.Errno
	switch {
	case errors.As(err, &sys) && sys == syscall.ECONNREFUSED:
		return msg("connection refused (nothing listens there)")
	case errors.Is(err, context.DeadlineExceeded) || os.IsTimeout(err):
		return msg("no answer (timed out)")
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return msg("the name %s does not resolve (DNS)", dns.Name)
	}
	return msg("%s", osError(err))
}

// checkClock wants a plausible year and, when the hub answered, agreement
// with the hub's clock: TLS and pack checks fail on a kiosk whose clock is off.
func (d *doctor) checkClock() finding {
	f := finding{check: "clock"}
	now := d.now()
	fix := msg("turn on time sync (`timedatectl set-ntp true`), or set the clock by hand: `date -s '2026-11-27 08:00'`; replace the mainboard's battery if it forgets the time at power cuts")
	if now.Year() < 2025 || now.Year() > 2100 {
		f.level = levelFault
		f.say = msg("the clock says %s, which cannot be right", now.Format("2006-01-02 15:04"))
		f.fix = fix
		return f
	}
	if !d.hubDate.IsZero() {
		skew := now.Sub(d.hubDate)
		if skew < 0 {
			skew = -skew
		}
		if skew > 2*time.Minute {
			f.level = levelFault
			f.say = msg("the clock is %s off the hub's", skew.Round(time.Second))
			f.fix = fix
			return f
		}
		f.say = msg("the clock agrees with the hub's (%s)", now.Format("2006-01-02 15:04 MST"))
		return f
	}
	f.say = msg("the clock says %s", now.Format("2006-01-02 15:04 MST"))
	if d.hubAsked {
		// Not compared: "ok" would vouch for what nobody checked.
		f.level = levelWarn
		f.say = msg("%s (not compared with the hub's clock: the hub did not answer)", f.say)
		f.fix = msg("run doctor again once the hub answers")
	}
	return f
}

func containsInt(list []int, n int) bool {
	for _, v := range list {
		if v == n {
			return true
		}
	}
	return false
}
