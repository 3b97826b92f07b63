package cli

import (
	"context"
	"crypto/ed25519"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
	"tramso/kiosk/store"
)

// checkStrangers names what inside the data directory its user does not own:
// what `tramso serve` or another command run as root left there, on which
// the kiosk stops as it starts. The kiosk's user is the service's on an
// installed kiosk, elsewhere the directory's owner.
func (d *doctor) checkStrangers(st os.FileInfo) []finding {
	o, ok := ownerOf(st)
	if !ok {
		return nil
	}
	fix := msg("%s", chownFix(d.dataDir, o))
	if d.kioskUser != nil {
		o.uid, fix = d.kioskUser.uid, d.fixOwner(text{})
	}
	wrong := strangers(d.dataDir, o.uid)
	if len(wrong) == 0 {
		return nil
	}
	return []finding{{check: "data", level: levelFault,
		say: msg("files the kiosk cannot use (owned by someone else): %s", strings.Join(wrong, ", ")),
		fix: fix}}
}

// outsider says doctor runs as neither root nor the data directory's owner:
// a permission error is then doctor's own, and sudo is the fix, not a chown.
func (d *doctor) outsider() bool {
	if os.Geteuid() == 0 {
		return false
	}
	st, err := os.Stat(d.dataDir)
	if err != nil {
		return errors.Is(err, fs.ErrPermission)
	}
	o, ok := ownerOf(st)
	return ok && o.uid != os.Geteuid()
}

// sudoFix is the fix for err: running doctor as root when doctor itself may
// not look (a technician who forgot sudo), otherwise the given one.
func (d *doctor) sudoFix(err error, otherwise text) text {
	if errors.Is(err, fs.ErrPermission) && d.outsider() {
		return msg("run doctor as root, with the same options: sudo tramso doctor …; as your own user it may not look at the kiosk's files")
	}
	return otherwise
}

// configFix is the fix for a config that does not load: a missing file is
// named with where the package puts it, not sent to "the field named above".
func (d *doctor) configFix(err error) text {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return msg("give the right file with --config, or copy the example to %s (cp /usr/share/doc/tramso/config.example.yaml %s); the tramso package installs the config at %s",
			d.configPath, d.configPath, config.InstalledPath)
	case errors.Is(err, fs.ErrPermission):
		return d.sudoFix(err, msg("the kiosk's user must read it: sudo chgrp %s %s && sudo chmod 0640 %s", ServiceUser, d.configPath, d.configPath))
	}
	if !errors.As(err, new(*config.FieldError)) {
		// A slip in the YAML itself names a line, not a field, and often
		// the line after the slip (outside QA s26).
		return msg("edit %s at the line named above, or a line before it: a quote or a colon missing, "+
			"or a tab instead of spaces (the example is /usr/share/doc/tramso/config.example.yaml)", d.configPath)
	}
	return msg("edit %s and correct the field named above (the example is /usr/share/doc/tramso/config.example.yaml)", d.configPath)
}

// configSkipped stands for the checks that need the config: judging the hub
// or the speech on defaults named faults the real config does not have.
func configSkipped() finding {
	return finding{check: "hub", level: levelWarn,
		say: msg("not checked: the config does not load, so the hub, province key and speech checks were skipped, and the clock was not compared with the hub's"),
		fix: msg("fix the config first, then run `tramso doctor` again")}
}

// canRead opens path for reading and closes it again.
func canRead(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return f.Close()
}

// kioskCanRead says whether the kiosk's user may read path, from its
// permission bits: doctor run as root reads any file, the kiosk does not
// (outside QA: a config staff-pin left root:root said "ok" here).
func (d *doctor) kioskCanRead(path string) bool {
	st, err := os.Stat(path)
	if err != nil {
		return true
	}
	_, ok := d.kioskMay(st, 0o400)
	return ok
}

// checkContent says what the kiosk shows, judged as the kiosk judges it at
// start: the current generation must verify under the keys the config pins
// now (outside QA, Q12: a key rotation left a kiosk pinning only the new
// key, it showed an older generation, and doctor said all was well).
func (d *doctor) checkContent(cfg config.Config) []finding {
	in, ok, err := inspectContent(d.dataDir, cfg.Keys())
	var out []finding
	switch {
	case err != nil:
		return append([]finding{{check: "content", level: levelWarn, say: msg("cannot read the content state: %s", osError(err))}},
			officeHoursFindings(cfg.Commune.Offices, d.configPath)...)
	case !ok: // no database, nothing applied (or checkDatabase said why not): the starter shows
		out = []finding{officeFinding(nil, cfg.Commune.Offices, d.configPath)}
	default:
		out = []finding{contentFinding(in, d.configPath), officeFinding(in.Pack, cfg.Commune.Offices, d.configPath)}
	}
	out = append(out, officeHoursFindings(cfg.Commune.Offices, d.configPath)...)
	if d.assets != nil && checkScreens(d.assets) == nil { // without screens the screens check has spoken
		out = append(out, languageFinding(cfg, d.assets, packFilesOf(in.Pack), d.configPath))
	}
	return out
}

// officeFinding checks that commune.offices gives an address for every
// office the procedures shown name: for one it lacks, residents read
// "Máy chưa có địa chỉ nơi nộp" in place of where to go and when it opens
// (outside QA: one mistyped office id in the content did so on every kiosk,
// and nothing said why). p nil is the starter.
func officeFinding(p *content.Pack, offices []config.Office, configPath string) finding {
	f := finding{check: "offices"}
	if p == nil {
		var err error
		if p, err = content.Load(content.Starter()); err != nil {
			f.level, f.say = levelWarn, msg("cannot read the starter content: %s", err.Error())
			return f
		}
	}
	var missing []string
	uses := map[string][]string{} // office id → the procedures naming it
	for _, pr := range p.Procedures {
		if !slices.ContainsFunc(offices, func(o config.Office) bool { return o.ID == pr.Office }) && len(uses[pr.Office]) == 0 {
			missing = append(missing, pr.Office)
		}
		uses[pr.Office] = append(uses[pr.Office], pr.PlainName.Vi())
	}
	if len(missing) == 0 {
		f.say = msg("commune.offices gives an address for each of the %d office(s) the procedures name", len(uses))
		return f
	}
	f.level = levelWarn
	var named []text
	for _, id := range missing {
		named = append(named, msg("%q (for %s)", id, strings.Join(uses[id], ", ")))
	}
	f.say = msg("commune.offices has no address for office %s: residents are told \"Máy chưa có địa chỉ nơi nộp\" instead of where to go and when it opens",
		joined{named, "; "})
	f.fix = msg("add each office to commune.offices in %s (id, name, address, phone, hours: see /usr/share/doc/tramso/config.example.yaml), "+
		"then restart the kiosk; if the id is a typo in the content, tell the province", configPath)
	return f
}

// inspectContent says what the kiosk of dataDir would show with keys
// pinned (pack.Inspect), reading only; ok is false when there is no
// database to read.
func inspectContent(dataDir string, keys []ed25519.PublicKey) (in pack.Inspection, ok bool, err error) {
	path := filepath.Join(dataDir, store.FileName)
	if _, err := os.Stat(path); err != nil || canRead(path) != nil {
		return in, false, nil
	}
	db, err := store.OpenDB(path)
	if err != nil {
		return in, false, err
	}
	in, err = pack.Inspect(context.Background(), &store.Store{DB: db, Dir: dataDir}, keys)
	db.Close()
	handOverDataDir(dataDir) // SQLite may have left a -wal or -shm file owned by root
	return in, err == nil, err
}

// contentFinding is what doctor says of in.
func contentFinding(in pack.Inspection, configPath string) finding {
	f := finding{check: "content"}
	switch {
	case in.Current == 0:
		f.say = msg("no content pack applied: the kiosk shows the built-in starter content")
	case in.Problem == nil:
		f.say = msg("the current content (generation %d) verifies under the pinned province keys", in.Current)
	case in.Untrusted:
		f.level = levelFault
		f.say = msg("the current content (generation %d) is signed by no key this kiosk pins (hub.province_keys), "+
			"so the kiosk shows %s instead; fetching it again cannot help, the kiosk waits for a newer generation a pinned key signed",
			in.Current, shownName(in.Shown))
		f.fix = msg("the province publishes a pack signed by a key this kiosk pins (or re-signs the content on the hub as a new "+
			"generation: tramso hub rollback --key NEW.key --to %d); the kiosk takes it by itself. If the key that signed generation %d "+
			"is still the province's, pin it again (sudo tramso pin-key --config %s --key-id ID province.pub) and restart the kiosk (sudo systemctl restart tramso-kiosk)",
			in.Current, in.Current, configPath)
	case in.Unreadable:
		f.level = levelFault
		f.say = msg("the current content (generation %d) is whole and signed, but this version of tramso cannot read it (%v), "+
			"so the kiosk shows %s instead: it was built for another version, usually before this kiosk was upgraded; fetching it again cannot help",
			in.Current, in.Problem, shownName(in.Shown))
		f.fix = msg("the province checks its content folder with this version's tramso pack lint, builds a new pack with it and publishes it " +
			"(or applies it here from USB: tramso pack apply); the kiosk takes it by itself")
	default:
		f.level = levelFault
		f.say = msg("the current content (generation %d) does not load (%v), so the kiosk shows %s instead",
			in.Current, in.Problem, shownName(in.Shown))
		f.fix = msg("an enrolled kiosk that reaches its hub fetches the lost or damaged files again by itself; " +
			"otherwise apply the pack again from USB (tramso pack apply)")
	}
	return f
}

// shownName names what Inspection.Shown says the kiosk shows.
func shownName(gen int64) text {
	if gen == hubproto.MinGeneration {
		return msg("the built-in starter content")
	}
	return msg("generation %d (the previous one)", gen)
}
