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
	usage:   "[--data DIR] [--config FILE] [--min-free-mb N] [--timeout DURATION]",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		kf := addKioskFlags(fs)
		minFree := fs.Uint64("min-free-mb", 500, "warn when the data directory's disk has less free space (MB)")
		timeout := fs.Duration("timeout", 10*time.Second, "how long to wait for the hub")
		return func(env *Env) error {
			d := newDoctor(kf, *minFree<<20, *timeout)
			d.assets = env.Assets
			if faults := d.report(env.Stdout, d.run()); faults > 0 {
				return fmt.Errorf("doctor found %d fault(s); the fixes are listed above", faults)
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
	say   string
	fix   string
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
	assets         fs.FS // the screens this binary embeds (Env.Assets)

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

// report prints the findings and returns how many are faults.
func (d *doctor) report(w io.Writer, findings []finding) int {
	fmt.Fprintf(w, "Trạm Số doctor — %s\n", versionLine())
	faults, warns := 0, 0
	for _, f := range findings {
		fmt.Fprintf(w, "  %-5s  %-8s %s\n", f.level, f.check, f.say)
		if f.fix != "" && f.level != levelOK {
			fmt.Fprintf(w, "                 fix: %s\n", f.fix)
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
		fmt.Fprintf(w, "%d fault(s), %d warning(s): fix the faults, then run `tramso doctor` again.\n", faults, warns)
	case warns > 0:
		fmt.Fprintf(w, "No faults, %d warning(s).\n", warns)
	default:
		fmt.Fprintln(w, "All good.")
	}
	return faults
}

func (d *doctor) checkDisplay() finding {
	f := finding{check: "display"}
	if v := d.getenv("WAYLAND_DISPLAY"); v != "" {
		f.say = "Wayland display " + v
		return f
	}
	if v := d.getenv("DISPLAY"); v != "" {
		f.say = "X display " + v
		return f
	}
	if _, err := os.Stat(d.unitPath); err == nil {
		if cards, _ := filepath.Glob(d.driGlob); len(cards) > 0 {
			f.say = "no display in this shell (normal over SSH); the kiosk service starts its own with cage on " + cards[0]
			return f
		}
		f.level = levelFault
		f.say = "no graphics device (" + d.driGlob + "): cage cannot open the screen"
		f.fix = "check the screen cable and that the graphics driver is loaded (`ls /dev/dri`); on a virtual machine, give it a virtual GPU"
		return f
	}
	f.level = levelFault
	f.say = "no display: neither WAYLAND_DISPLAY nor DISPLAY is set"
	f.fix = "run tramso from the desktop session, or install the tramso package so that its service runs the kiosk in cage; " +
		"to use a browser instead, run `sudo -u tramso tramso serve` (as the kiosk's user, never root)"
	return f
}

func (d *doctor) checkWebKit() finding {
	f := finding{check: "webkit"}
	for _, g := range d.webkitGlobs {
		if m, _ := filepath.Glob(g); len(m) > 0 {
			f.say = "WebKitGTK 4.1 found (" + m[0] + ")"
			return f
		}
	}
	if d.ldconfig {
		if out, err := exec.Command("ldconfig", "-p").Output(); err == nil && strings.Contains(string(out), "libwebkit2gtk-4.1.so.0") {
			f.say = "WebKitGTK 4.1 found (ldconfig)"
			return f
		}
	}
	f.level = levelFault
	f.say = "WebKitGTK 4.1 (libwebkit2gtk-4.1.so.0) is not installed: the kiosk window cannot open"
	f.fix = "apt-get install libwebkit2gtk-4.1-0 (installing the tramso package brings it)"
	return f
}

func (d *doctor) checkDataDir() []finding {
	f := finding{check: "data"}
	st, err := os.Stat(d.dataDir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		f.level = levelFault
		f.say = d.dataDir + " does not exist"
		f.fix = d.fixOwner("mkdir -p " + d.dataDir)
		return []finding{f}
	case err != nil:
		f.level = levelFault
		f.say = "cannot look at " + d.dataDir + ": " + err.Error()
		f.fix = d.sudoFix(err, "check the path given with --data")
		return []finding{f}
	case !st.IsDir():
		f.level = levelFault
		f.say = d.dataDir + " is not a directory"
		f.fix = "move that file away, or give another directory with --data"
		return []finding{f}
	}
	if who, ok := d.canWrite(st); !ok {
		f.level = levelFault
		f.say = d.dataDir + " is not writable by " + who
		f.fix = d.fixOwner("")
		return []finding{f}
	}
	if err := probeWrite(d.dataDir); err != nil {
		f.level = levelFault
		f.say = "cannot write in " + d.dataDir + ": " + err.Error()
		f.fix = d.sudoFix(err, "check that the disk is not full or mounted read-only (`mount | grep ' / '`), then "+d.fixOwner(""))
		if errors.Is(err, syscall.EROFS) {
			// The kernel turned the disk read-only after errors: no chown
			// helps, the disk needs checking. The kiosk meanwhile serves
			// read-only (store.OpenOrReadOnly).
			f.say += " (the kiosk still serves its content, but records no usage and takes no updates)"
			f.fix = store.ReadOnlyAdvice
		}
		return []finding{f}
	}
	f.say = d.dataDir + " exists and is writable"
	out := append([]finding{f}, d.checkStrangers(st)...)
	return append(out, d.checkLock())
}

// fixOwner is the plain fix for a data directory the kiosk cannot write.
func (d *doctor) fixOwner(first string) string {
	steps := []string{}
	if first != "" {
		steps = append(steps, first)
	}
	switch {
	case d.kioskUser != nil:
		steps = append(steps, "chown -R "+d.kioskUser.name+":"+d.kioskUser.name+" "+d.dataDir)
	case first == "":
		steps = append(steps, "chmod u+rwx "+d.dataDir+" as its owner, or pass another --data")
	}
	return strings.Join(steps, " && ")
}

// canWrite says whether the kiosk's user may write in the directory, from
// its permission bits: root passes any write probe, the kiosk does not.
func (d *doctor) canWrite(st os.FileInfo) (string, bool) {
	return d.kioskMay(st, 0o300) // probeWrite decides where there is no kiosk user
}

// kioskMay says whether the kiosk's user has the permission bits want
// (written for the owner, 0o300 write and enter, 0o400 read) on a file, from
// its mode: its owner's bits, else its group's, else everyone's. With no
// kiosk user to judge for it says yes, and who is "".
func (d *doctor) kioskMay(st os.FileInfo, want fs.FileMode) (who string, ok bool) {
	o, known := ownerOf(st)
	if d.kioskUser == nil || !known {
		return "", true
	}
	mode := st.Mode().Perm()
	who = "the kiosk's user " + d.kioskUser.name
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
		f.say = "no kiosk has run on this data directory yet"
		return f
	} else if err != nil {
		f.level = levelWarn
		f.say = "cannot open the lock file: " + err.Error()
		f.fix = d.sudoFix(err, d.fixOwner(""))
		return f
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.say = "a kiosk is running on this data directory (its lock is held)"
		return f
	}
	_ = syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	f.say = "no kiosk is running on this data directory (its lock is free)"
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
		f.say = "cannot read free space on " + dir + ": " + err.Error()
		return f
	}
	free := fs.Bavail * uint64(fs.Bsize)
	const floor = 50 << 20 // below this SQLite and pack updates fail outright
	f.say = fmt.Sprintf("%s free on the disk of %s", megabytes(free), dir)
	switch {
	case free < floor:
		f.level = levelFault
	case free < d.minFree:
		f.level = levelWarn
		f.say = fmt.Sprintf("only %s free on the disk of %s (less than %s)", megabytes(free), dir, megabytes(d.minFree))
	}
	f.fix = "free some space: `apt-get clean`, `journalctl --vacuum-size=100M`, and remove old files you put on this machine"
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
		f.say = err.Error()
		f.fix = d.configFix(err)
		return config.Default(), f
	case errors.Is(statErr, os.ErrNotExist):
		f.say = "no config file at " + d.configPath + "; using defaults (always open, no hub)"
	case !d.kioskCanRead(d.configPath):
		f.level = levelFault
		f.say = d.configPath + " is valid, but the kiosk's user " + d.kioskUser.name + " cannot read it: the kiosk runs on its last good copy, or does not start"
		f.fix = "sudo chgrp " + d.kioskUser.name + " " + d.configPath + " && sudo chmod 0640 " + d.configPath
	default:
		f.say = d.configPath + " is valid"
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
		return finding{check: "key", say: fmt.Sprintf("%d province key(s) pinned", n)}
	}
	pin := "pin it from the province's province.pub, with the key id the province gave: sudo tramso pin-key --key-id ID province.pub"
	if len(hubs) == 0 {
		return finding{check: "key", level: levelWarn,
			say: "no province key is pinned (hub.province_keys is empty): the kiosk refuses every pack, from USB too", fix: pin}
	}
	return finding{check: "key", level: levelFault,
		say: "no province key is pinned (hub.province_keys is empty): the kiosk will refuse every content pack",
		fix: "run `tramso enroll --hub " + strings.Join(hubs, " --hub ") + " --code CODE --key-id ID` again with the key id the province gave (it pins that key), or " + pin}
}

// noHub is the finding for a config that names no hub. An enrollment the
// database still holds is named: the kiosk no longer connects with it, which
// surprises a technician who only emptied hub.url, or restored a backup.
func (d *doctor) noHub() finding {
	if creds, ok := d.enrollment(); ok && creds.HubURL != "" {
		return finding{check: "hub", level: levelWarn,
			say: "the database holds an enrollment with " + creds.HubURL + " (device " + creds.DeviceID + "), but the config names no hub: the kiosk does not connect and gets no updates",
			fix: "to take updates from that hub again, set hub.url: " + creds.HubURL + " in " + d.configPath + "; to keep this kiosk off the hub, nothing to do"}
	}
	return finding{check: "hub", level: levelWarn,
		say: "no hub configured: the kiosk works offline with the content it has, and takes updates by USB only (tramso pack apply)",
		fix: "to take updates from the province hub, enroll it with the code the hub shows: tramso enroll --hub URL --code CODE --key-id ID; " +
			"a commune with no usable link has nothing to do here"}
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
			out[i].say += "; the kiosk uses the province's other hub(s) meanwhile"
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
		f := finding{check: "database", say: "the database reads whole (quick_check)"}
		if err := canRead(path); err != nil { // not readable is not damaged
			f.level, f.say, f.fix = levelFault, "cannot read the database: "+err.Error(), d.sudoFix(err, d.fixOwner(""))
		} else if problem := quickCheck(path); problem != "" {
			f.level = levelFault
			f.say = "the database is damaged: " + problem
			f.fix = "start the kiosk: it sets the damaged file aside (tramso.db.damaged-…) and starts a new one; then enroll it again (tramso enroll)"
		} else if newer := newerMigrations(path); len(newer) > 0 {
			f.level = levelWarn
			f.say = "a newer Trạm Số has used this database (migrations this release does not know: " + strings.Join(newer, ", ") + "); this release runs on it"
			f.fix = "if something fails, install that newer release again, or restore the backup taken before the upgrade (README, Upgrading a province)"
		}
		handOverDataDir(d.dataDir) // SQLite may have left a -wal or -shm file owned by root
		out = append(out, f)
	}
	if aside := store.SetAsideFiles(d.dataDir); len(aside) > 0 {
		out = append(out, finding{check: "database", level: levelWarn,
			say: fmt.Sprintf("%d damaged database(s) set aside by the kiosk, the last %s", len(aside), filepath.Base(aside[len(aside)-1])),
			fix: "keep them if the province asks for the lost usage figures, otherwise remove them"})
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
		f.say = "hub address " + err.Error()
		f.fix = "correct hub.url (or hub.urls) in " + d.configPath
		return f
	}
	client, err := d.hubClient(caFile)
	if err != nil {
		f.level = levelFault
		f.say = "hub.ca_file: " + err.Error()
		f.fix = "put the province CA's certificate (PEM) there, or correct hub.ca_file in " + d.configPath
		return f
	}
	ctx, cancel := context.WithTimeout(context.Background(), d.client.Timeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, health, nil)
	resp, err := client.Do(req)
	defer client.CloseIdleConnections()
	if errors.As(err, new(x509.UnknownAuthorityError)) {
		f.level = levelFault
		f.say = "the hub at " + health + " has a certificate that no CA this kiosk trusts has signed (x509: unknown authority)"
		f.fix = untrustedHub(caFile, d.configPath)
		return f
	}
	if say, ok := d.certificateOutOfDate(err); ok {
		f.level = levelFault
		f.say = "the hub at " + health + " " + say
		f.fix = "if this machine's date or time is wrong, set it (`timedatectl set-ntp true`, or `date -s '2026-11-27 08:00'`); if it is right, the hub's certificate is out of date: tell the province"
		return f
	}
	if err != nil {
		f.level = levelFault
		f.say = "cannot reach the hub at " + health + ": " + plainNetError(err)
		f.fix = "check the network (cable, Wi-Fi or 4G), then the hub address (hub.url or hub.urls) in " + d.configPath + "; if both are right, ask the province whether the hub is up"
		return f
	}
	resp.Body.Close()
	if t, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		d.hubDate = t
	}
	if resp.StatusCode != http.StatusOK {
		f.level = levelFault
		f.say = fmt.Sprintf("the hub at %s answered %s", health, resp.Status)
		f.fix = "check the hub address (hub.url or hub.urls) in " + d.configPath + " (it should be the address the province gave); ask the province whether the hub is up"
		return f
	}
	f.say = "the hub at " + health + " answers"
	if caFile != "" {
		f.say += " (its certificate checked against the CA in " + caFile + ")"
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
	enrollAgain := "enroll again with a new code from the province: tramso enroll --hub " + hubURL + " --code CODE --key-id ID"
	creds, ok := d.enrollment()
	if !ok {
		f.level = levelFault
		f.say = "this kiosk is not enrolled (its database holds no enrollment), so it does not connect to the hub at " + hubURL +
			" although hub.url names it, and gets no updates"
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
		f.say += ", but did not say whether it knows this kiosk (device " + creds.DeviceID + "): " + plainNetError(err)
		f.fix = "run doctor again in a minute"
		return f
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusOK:
		f.say += " and knows this kiosk (device " + creds.DeviceID + ")"
	case resp.StatusCode == http.StatusUnauthorized:
		var answer struct {
			Error string `json:"error"`
		}
		_ = json.NewDecoder(io.LimitReader(resp.Body, 4<<10)).Decode(&answer)
		f.level = levelFault
		f.say = "the hub at " + hubURL + " does not know this kiosk's enrollment (revoked, or enrolled elsewhere): device " + creds.DeviceID
		if answer.Error != "" {
			f.say += ", the hub says: " + hubproto.Clip(hubproto.CleanText(answer.Error), 200)
		}
		f.fix = enrollAgain
	default:
		f.level = levelWarn
		f.say += fmt.Sprintf(", but answered %s when asked whether it knows this kiosk (device %s)", resp.Status, creds.DeviceID)
		f.fix = "ask the province whether the hub runs the same version as this kiosk (" + versionLine() + ")"
	}
	return f
}

// certificateOutOfDate says when err is a hub certificate expired or not yet
// valid by this machine's clock — most often the clock's fault, not the
// hub's, when one kiosk of many sees it (outside QA: the advice was the
// network's).
func (d *doctor) certificateOutOfDate(err error) (string, bool) {
	var invalid x509.CertificateInvalidError
	if !errors.As(err, &invalid) || invalid.Reason != x509.Expired || invalid.Cert == nil {
		return "", false
	}
	layout := "2006-01-02 15:04 MST"
	c := invalid.Cert
	return fmt.Sprintf("has a certificate valid from %s to %s, and this machine's clock says %s",
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
func plainNetError(err error) string {
	var sys syscall.Errno
	switch {
	case errors.As(err, &sys) && sys == syscall.ECONNREFUSED:
		return "connection refused (nothing listens there)"
	case errors.Is(err, context.DeadlineExceeded) || os.IsTimeout(err):
		return "no answer (timed out)"
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return "the name " + dns.Name + " does not resolve (DNS)"
	}
	return err.Error()
}

// checkClock wants a plausible year and, when the hub answered, agreement
// with the hub's clock: TLS and pack checks fail on a kiosk whose clock is off.
func (d *doctor) checkClock() finding {
	f := finding{check: "clock"}
	now := d.now()
	fix := "turn on time sync (`timedatectl set-ntp true`), or set the clock by hand: `date -s '2026-11-27 08:00'`; replace the mainboard's battery if it forgets the time at power cuts"
	if now.Year() < 2025 || now.Year() > 2100 {
		f.level = levelFault
		f.say = "the clock says " + now.Format("2006-01-02 15:04") + ", which cannot be right"
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
			f.say = fmt.Sprintf("the clock is %s off the hub's", skew.Round(time.Second))
			f.fix = fix
			return f
		}
		f.say = "the clock agrees with the hub's (" + now.Format("2006-01-02 15:04 MST") + ")"
		return f
	}
	f.say = "the clock says " + now.Format("2006-01-02 15:04 MST")
	if d.hubAsked {
		// Not compared: "ok" would vouch for what nobody checked.
		f.level = levelWarn
		f.say += " (not compared with the hub's clock: the hub did not answer)"
		f.fix = "run doctor again once the hub answers"
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
