// Package usbpacks finds content pack files on USB sticks mounted under the
// kiosk's media folders (config usb.media_dirs), so that staff can install
// one from the staff panel without a terminal. It only reads: each file is
// checked with pack.VerifyFile, as the kiosk would check it, to say what it
// holds; installing goes through the kiosk's inbox (pack.Enqueue), the same
// path `tramso pack apply` takes while the kiosk runs.
//
// Where it looks: a stick is mounted one or two folders below a media folder
// (/media/STICK as the Debian package's udev rule mounts it, /media/USER/STICK
// or /run/media/USER/STICK as a desktop does), and its packs lie at its top
// or one folder inside it. So pack files (*.tspack, any case) are taken from
// folders one to three levels below a media folder. Symbolic links are never
// followed, hidden entries (".Trash-1000") are skipped, and one look reads at
// most MaxEntries folder entries and lists at most MaxPacks packs, so a stick
// holding thousands of files cannot hold up the panel.
package usbpacks

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"tramso/kiosk/pack"
)

// Bounds of one look (see the package comment).
const (
	MaxDepth   = 3    // folder levels below a media folder
	MaxEntries = 2000 // folder entries read in all
	MaxPacks   = 16   // pack files listed
)

// Ext is a pack file's extension (README, "Pack file").
const Ext = ".tspack"

// State is what the kiosk knows of a pack on a stick.
type State string

const (
	Checking State = "checking" // being read and verified
	Valid    State = "valid"    // signed by a pinned key, whole, content loads
	Refused  State = "refused"  // the kiosk would refuse it (Kind says why)
)

// Pack is one pack file found on a stick.
type Pack struct {
	// ID names this file at this size and modification time: installing
	// asks for an ID, never a path, and a file changed since it was listed
	// is not the one staff chose.
	ID    string `json:"id"`
	Name  string `json:"name"`  // the file's name
	Stick string `json:"stick"` // the file's folder below the media folder: the stick's name, and where on it
	Size  int64  `json:"size"`
	State State  `json:"state"`
	// From the signed manifest, once State is Valid.
	Generation int64      `json:"generation,omitempty"`
	Title      string     `json:"title,omitempty"`
	MadeAt     *time.Time `json:"made_at,omitempty"` // absent for a generation numbered by hand
	// Why it is Refused: a pack.Kind ("" when the file could not be read)
	// and the English detail for a technician.
	Kind   pack.Kind `json:"kind,omitempty"`
	Detail string    `json:"detail,omitempty"`

	path string
}

// Listing is one look at the media folders.
type Listing struct {
	Packs []Pack `json:"packs"`
	// More: the look stopped at MaxEntries or MaxPacks, so some files were
	// not looked at.
	More bool `json:"more"`
}

// Finder looks for packs under its media folders and verifies each new
// file once, in the background, with the keys the kiosk pins.
type Finder struct {
	roots []string
	keys  []ed25519.PublicKey

	mu      sync.Mutex
	known   map[string]Pack // by ID: verified, or being verified
	queue   []Pack
	working bool
}

// New returns a Finder over roots (config usb.media_dirs) trusting keys.
func New(roots []string, keys []ed25519.PublicKey) *Finder {
	f := &Finder{keys: keys, known: map[string]Pack{}}
	for _, r := range roots {
		// A media folder that is itself a link (set up by the system, not
		// a stick) is looked at where it leads: below it, no link counts.
		if real, err := filepath.EvalSymlinks(r); err == nil {
			r = real
		}
		f.roots = append(f.roots, r)
	}
	return f
}

// List looks at the media folders now. A file not seen before is listed as
// Checking and verified in the background; the next List says the outcome.
func (f *Finder) List() Listing {
	found, more := f.walk()
	f.mu.Lock()
	defer f.mu.Unlock()
	seen := make(map[string]bool, len(found))
	out := Listing{Packs: make([]Pack, 0, len(found)), More: more}
	for _, p := range found {
		seen[p.ID] = true
		k, ok := f.known[p.ID]
		if !ok {
			k = p
			f.known[p.ID] = k
			f.queue = append(f.queue, p)
		}
		out.Packs = append(out.Packs, k)
	}
	// A stick taken out: forget its files, so the map cannot grow.
	for id := range f.known {
		if !seen[id] {
			delete(f.known, id)
		}
	}
	f.queue = slices.DeleteFunc(f.queue, func(p Pack) bool { return !seen[p.ID] })
	if len(f.queue) > 0 && !f.working {
		f.working = true
		go f.verifyQueued()
	}
	return out
}

// Find looks at the media folders now and returns the pack with id, and
// the path of its file, checked again not to be a symbolic link.
func (f *Finder) Find(id string) (Pack, string, bool) {
	found, _ := f.walk()
	for _, p := range found {
		if p.ID != id {
			continue
		}
		if _, err := regularFile(p.path); err != nil {
			return Pack{}, "", false
		}
		f.mu.Lock()
		if k, ok := f.known[id]; ok {
			p = k
		}
		f.mu.Unlock()
		return p, p.path, true
	}
	return Pack{}, "", false
}

func (f *Finder) verifyQueued() {
	for {
		f.mu.Lock()
		if len(f.queue) == 0 {
			f.working = false
			f.mu.Unlock()
			return
		}
		p := f.queue[0]
		f.queue = f.queue[1:]
		f.mu.Unlock()

		p = verify(p, f.keys)

		f.mu.Lock()
		if _, ok := f.known[p.ID]; ok { // not taken out meanwhile
			f.known[p.ID] = p
		}
		f.mu.Unlock()
	}
}

// verify reads p's file as the kiosk would, without applying it.
func verify(p Pack, keys []ed25519.PublicKey) Pack {
	if _, err := regularFile(p.path); err != nil {
		p.State, p.Detail = Refused, err.Error()
		return p
	}
	sm, err := pack.VerifyFile(p.path, keys)
	if err != nil {
		p.State, p.Detail = Refused, err.Error()
		if r, ok := pack.AsRejection(err); ok {
			p.Kind, p.Generation = r.Kind, r.Generation
		}
		return p
	}
	m := sm.Manifest
	p.State, p.Generation, p.Title = Valid, m.Generation, m.Title
	if at, ok := pack.BuiltAt(m.Created); ok {
		at = at.UTC()
		p.MadeAt = &at
	}
	return p
}

// walk lists the pack files under the media folders, within the bounds.
func (f *Finder) walk() (found []Pack, more bool) {
	budget := MaxEntries
	for _, root := range f.roots {
		var stop bool
		found, stop = walkDir(root, root, 0, &budget, found)
		if stop {
			return found, true
		}
	}
	return found, false
}

// walkDir adds the pack files of dir (depth levels below root) and of its
// folders to found; stop: a bound was met.
func walkDir(root, dir string, depth int, budget *int, found []Pack) (_ []Pack, stop bool) {
	d, err := os.Open(dir)
	if err != nil {
		return found, false // no such folder, or not ours to read
	}
	// Read no more entries than the budget allows: a folder of 100,000
	// files costs no more than one of MaxEntries.
	entries, err := d.ReadDir(*budget + 1)
	d.Close()
	if err != nil && !errors.Is(err, io.EOF) {
		return found, false
	}
	if len(entries) > *budget {
		entries, stop = entries[:*budget], true
	}
	*budget -= len(entries)
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	var dirs []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || e.Type()&fs.ModeSymlink != 0 {
			continue
		}
		path := filepath.Join(dir, name)
		switch {
		case e.IsDir():
			if depth < MaxDepth {
				dirs = append(dirs, path)
			}
		case e.Type().IsRegular() && depth >= 1 && strings.EqualFold(filepath.Ext(name), Ext):
			if len(found) == MaxPacks {
				return found, true
			}
			info, err := e.Info()
			if err != nil {
				continue
			}
			found = append(found, Pack{ID: fileID(path, info), Name: name, Stick: stickOf(root, path),
				Size: info.Size(), State: Checking, path: path})
		}
	}
	if stop {
		return found, true
	}
	for _, sub := range dirs {
		if *budget <= 0 {
			return found, true
		}
		if found, stop = walkDir(root, sub, depth+1, budget, found); stop {
			return found, true
		}
	}
	return found, false
}

// regularFile checks that path is a regular file reached through no
// symbolic link: a link on a stick could point anywhere on the kiosk.
func regularFile(path string) (fs.FileInfo, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a plain file", path)
	}
	if real, err := filepath.EvalSymlinks(path); err != nil || real != path {
		return nil, fmt.Errorf("%s is reached through a symbolic link", path)
	}
	return info, nil
}

// fileID names path at its size and modification time.
func fileID(path string, info fs.FileInfo) string {
	h := sha256.Sum256([]byte(path + "\x00" + strconv.FormatInt(info.Size(), 10) + "\x00" + strconv.FormatInt(info.ModTime().UnixNano(), 10)))
	return hex.EncodeToString(h[:8])
}

// stickOf is the first folder of path below root: the stick's mount point
// (or, for /media/USER/STICK, the user's folder; its name still tells).
func stickOf(root, path string) string {
	rel, err := filepath.Rel(root, filepath.Dir(path))
	if err != nil {
		return ""
	}
	return rel
}
