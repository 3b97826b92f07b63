package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"tramso/kiosk/station"
)

// A data directory belongs to one user: on an installed kiosk the service's
// (tramso). Whatever root leaves inside it, the kiosk run as that user cannot
// open, and it stops on start (outside QA, s20).

// requireDataDir refuses a --data directory that does not exist unless
// create asks for a new one: a typo (/var/lib/trams0) must not become a new,
// empty kiosk or hub that the command then reports success on.
func requireDataDir(dir, usual string, create bool) error {
	if create {
		return nil
	}
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return advise(fmt.Errorf("the data directory %s does not exist", dir),
			"Check the path given with --data (usually "+usual+"); to start a new, empty one there, add --create-data.")
	case err != nil:
		return fmt.Errorf("data directory %s: %w", dir, err)
	case !st.IsDir():
		return fmt.Errorf("--data %s is not a directory", dir)
	}
	return nil
}

// fileOwner is the user and group a file belongs to.
type fileOwner struct{ uid, gid int }

func ownerOf(info fs.FileInfo) (fileOwner, bool) {
	sys, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return fileOwner{}, false
	}
	return fileOwner{int(sys.Uid), int(sys.Gid)}, true
}

// String is owner:group by name, as chown takes it.
func (o fileOwner) String() string { return userName(o.uid) + ":" + groupName(o.gid) }

func userName(uid int) string {
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil {
		return u.Username
	}
	return strconv.Itoa(uid)
}

func groupName(gid int) string {
	if g, err := user.LookupGroupId(strconv.Itoa(gid)); err == nil {
		return g.Name
	}
	return strconv.Itoa(gid)
}

// chownFix gives the whole data directory back to its user.
func chownFix(dir string, o fileOwner) string {
	return "sudo chown -R " + o.String() + " " + dir
}

// strangers names what in the data directory uid does not own, with its
// owner: the directory itself, its top level, and one level inside content/,
// where the kiosk creates folders as it starts. The blobs are not walked:
// there may be thousands, and a foreign content/blobs already names the fault.
func strangers(dir string, uid int) []string {
	var out []string
	check := func(path, name string) {
		st, err := os.Lstat(path)
		if err != nil {
			return
		}
		if o, ok := ownerOf(st); ok && o.uid != uid {
			out = append(out, name+" ("+userName(o.uid)+")")
		}
	}
	check(dir, dir)
	for _, sub := range []string{"", "content"} {
		entries, _ := os.ReadDir(filepath.Join(dir, sub))
		for _, e := range entries {
			check(filepath.Join(dir, sub, e.Name()), filepath.Join(sub, e.Name()))
		}
	}
	return out
}

// refuseRootOnKioskData stops root from running the kiosk on a data
// directory another user owns: everything the kiosk made would be root's,
// and the service, run as that user, would then fail on it.
func refuseRootOnKioskData(dir string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil // missing: the kiosk makes it, root's like anything root runs
	}
	o, ok := ownerOf(st)
	if !ok || o.uid == 0 {
		return nil
	}
	name := userName(o.uid)
	return advise(fmt.Errorf("the data directory %s belongs to user %s: run as root, the kiosk would leave files there that %s cannot open", dir, name, name),
		"Run the kiosk as that user: systemctl start tramso-kiosk, or sudo -u "+name+" tramso serve --data "+dir+" …")
}

// explainDataPermission adds the fix to a permission error met while the
// kiosk starts: what in its data directory belongs to someone else, and the
// chown that gives it back to the user the kiosk runs as.
func explainDataPermission(err error, dir string) error {
	if !errors.Is(err, fs.ErrPermission) {
		return err
	}
	me := fileOwner{os.Geteuid(), os.Getegid()}
	wrong := strangers(dir, me.uid)
	if len(wrong) == 0 {
		return err
	}
	return advise(err, fmt.Sprintf("In %s, not owned by %s (who runs the kiosk): %s. A command run as root leaves such files.\nFix: %s",
		dir, userName(me.uid), strings.Join(wrong, ", "), chownFix(dir, me)))
}

// openStation opens the kiosk for serve and the window, refusing root on
// another user's data directory and explaining permission errors.
func openStation(opts station.Options) (*station.Station, error) {
	if err := refuseRootOnKioskData(opts.DataDir); err != nil {
		return nil, err
	}
	st, err := station.Open(opts)
	if err != nil {
		return nil, explainDataPermission(err, opts.DataDir)
	}
	return st, nil
}
