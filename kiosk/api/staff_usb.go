package api

// Staff mode's USB packs: content packs on a USB stick, found under the
// kiosk's media folders (config usb.media_dirs, kiosk/usbpacks), and
// installed by a tap instead of a technician's `tramso pack apply`.
//
//	GET  /api/staff/usb          (staff) {packs: [{id, name, stick, size, state, generation?, title?, made_at?, kind?, detail?, standing?}], more, in_use, highest, off?}
//	POST /api/staff/usb/install  (staff) {id} → {outcome, generation?, title?, kind?, detail?, free_mb?} | 409 read_only
//
// Installing hands the file to the kiosk's own inbox (pack.Enqueue) and waits
// for its answer (pack.WaitResult): the very path of `tramso pack apply` while
// the kiosk runs, so the same pinned keys, the same checks, the same records
// (source "usb", a refusal in staff mode's refused packs) and the screen
// switching at once.

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"tramso/kiosk/content"
	"tramso/kiosk/httpjson"
	"tramso/kiosk/pack"
	"tramso/kiosk/tsgen"
	"tramso/kiosk/usbpacks"
)

// usbInstallWait bounds how long an install waits for the kiosk's answer;
// past it the pack stays queued and the kiosk applies it when it looks.
var usbInstallWait = 2 * time.Minute

// usbStaff serves the USB endpoints.
type usbStaff struct {
	s      *Server
	finder *usbpacks.Finder
	one    sync.Mutex // one install at a time
}

func (s *Server) staffUSBRoutes() {
	u := &usbStaff{s: s, finder: usbpacks.New(s.Config.USB.MediaDirs, s.Config.Keys())}
	s.handle("GET /api/staff/usb", s.requireStaff(u.list))
	s.handle("POST /api/staff/usb/install", s.requireStaff(u.install))
}

// Standing is how a valid pack on a stick compares with this kiosk's content.
const (
	standingNewer     = "newer"     // newer than any the kiosk applied: it can be installed
	standingInstalled = "installed" // the generation in use
	standingOlder     = "older"     // not newer: staff's old stick, nothing to do
)

// Why the kiosk does not look for sticks.
const (
	usbOffNoKey    = "no_key"    // no province key pinned: every pack would be refused
	usbOffReadOnly = "read_only" // nothing can be installed on a read-only disk
	usbOffNoDirs   = "no_dirs"   // usb.media_dirs is []
)

// staffUSBPack is a pack on a stick, and how it compares with the content.
type staffUSBPack struct {
	usbpacks.Pack
	Standing string `json:"standing,omitempty"` // for a valid pack: newer, installed or older
}

// staffUSBAnswer lists the packs on the sticks plugged in.
type staffUSBAnswer struct {
	Packs []staffUSBPack `json:"packs"`
	More  bool           `json:"more"`   // the look stopped at its bounds (usbpacks.MaxEntries, MaxPacks)
	InUse int64          `json:"in_use"` // the generation shown now
	// InUseMadeAt is when the content shown was made (madeAt); InUseStarter:
	// it is the starter built into the app.
	InUseMadeAt  *time.Time `json:"in_use_made_at,omitempty"`
	InUseStarter bool       `json:"in_use_starter,omitempty"`
	High         int64      `json:"highest"` // the highest generation ever applied: a pack must be above it
	Off          string     `json:"off,omitempty"`
}

func (u *usbStaff) list(w http.ResponseWriter, r *http.Request) {
	a := staffUSBAnswer{Packs: []staffUSBPack{}}
	switch {
	case len(u.s.Config.Keys()) == 0:
		a.Off = usbOffNoKey
	case u.s.Store.ReadOnly:
		a.Off = usbOffReadOnly
	case len(u.s.Config.USB.MediaDirs) == 0:
		a.Off = usbOffNoDirs
	}
	if a.Off != "" {
		httpjson.Write(w, http.StatusOK, a)
		return
	}
	st, err := u.s.Store.ContentState(r.Context())
	if err != nil {
		httpjson.Error(w, http.StatusInternalServerError, codeInternal, err.Error())
		return
	}
	a.High = st.Highest
	if cur := u.s.Content.Get(); cur != nil {
		a.InUse, a.InUseStarter = cur.Pack.Meta.Generation, cur.Source == content.SourceEmbedded
		a.InUseMadeAt = madeAt(a.InUse)
	}
	l := u.finder.List()
	a.More = l.More
	for _, p := range l.Packs {
		a.Packs = append(a.Packs, staffUSBPack{Pack: p, Standing: standing(p, a.InUse, a.High)})
	}
	httpjson.Write(w, http.StatusOK, a)
}

func standing(p usbpacks.Pack, inUse, highest int64) string {
	switch {
	case p.State != usbpacks.Valid:
		return ""
	case p.Generation > highest:
		return standingNewer
	case p.Generation == inUse:
		return standingInstalled
	default:
		return standingOlder
	}
}

// staffUSBInstallRequest names the pack to install by its listed id.
type staffUSBInstallRequest struct {
	ID string `json:"id"`
}

// What came of an install, which staff read in their own words.
const (
	usbApplied          = "applied"           // the kiosk shows the new content
	usbAlreadyInstalled = "already_installed" // this very pack is in use
	usbNotNewer         = "not_newer"         // staff's old stick: nothing to do
	usbRefused          = "refused"           // the kiosk refused the pack (kind)
	usbDiskFull         = "disk_full"         // no room, no fault of the pack (free_mb)
	usbGone             = "gone"              // the stick was taken out, or the file changed
	usbWaiting          = "waiting"           // no answer in time: queued, applied when the kiosk looks
	usbFailed           = "failed"            // anything else: detail for a technician
)

// staffUSBInstallAnswer is what came of an install.
type staffUSBInstallAnswer struct {
	Outcome    string    `json:"outcome"`
	Generation int64     `json:"generation,omitempty"`
	Title      string    `json:"title,omitempty"`
	Kind       pack.Kind `json:"kind,omitempty"`
	Detail     string    `json:"detail,omitempty"` // English, for a technician
	FreeMB     int64     `json:"free_mb,omitempty"`
}

func (u *usbStaff) install(w http.ResponseWriter, r *http.Request) {
	var req staffUSBInstallRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	if u.s.Store.ReadOnly {
		httpjson.Error(w, http.StatusConflict, codeReadOnly, "the data disk is read-only: no pack can be installed")
		return
	}
	u.one.Lock()
	defer u.one.Unlock()
	_, path, ok := u.finder.Find(req.ID)
	if !ok {
		httpjson.Write(w, http.StatusOK, staffUSBInstallAnswer{Outcome: usbGone})
		return
	}
	u.s.staffLog(r, "installed a content pack from USB")
	a := u.handOver(r.Context(), path)
	if a.Outcome != usbApplied && a.Outcome != usbAlreadyInstalled {
		u.s.Log.Warn("a USB pack staff chose was not installed", "file", path, "outcome", a.Outcome, "detail", a.Detail)
	}
	httpjson.Write(w, http.StatusOK, a)
}

// handOver queues the pack in the kiosk's inbox and words its answer.
func (u *usbStaff) handOver(ctx context.Context, path string) staffUSBInstallAnswer {
	ticket, err := pack.Enqueue(u.s.Store.Dir, path)
	if err != nil {
		if noRoom := (*pack.NoRoomError)(nil); errors.As(err, &noRoom) {
			return staffUSBInstallAnswer{Outcome: usbDiskFull, FreeMB: noRoom.ToFree() >> 20, Detail: err.Error()}
		}
		if pack.DiskFull(err) {
			return staffUSBInstallAnswer{Outcome: usbDiskFull, Detail: err.Error()}
		}
		if rej, ok := pack.AsRejection(err); ok {
			return staffUSBInstallAnswer{Outcome: usbRefused, Kind: rej.Kind, Generation: rej.Generation, Detail: err.Error()}
		}
		return staffUSBInstallAnswer{Outcome: usbFailed, Detail: err.Error()}
	}
	ctx, cancel := context.WithTimeout(ctx, usbInstallWait)
	defer cancel()
	res, err := pack.WaitResult(ctx, u.s.Store.Dir, ticket)
	if err != nil {
		return staffUSBInstallAnswer{Outcome: usbWaiting, Detail: err.Error()}
	}
	a := staffUSBInstallAnswer{Generation: res.Generation, Title: res.Title, Kind: res.Kind, Detail: res.Error}
	switch {
	case res.AlreadyInstalled:
		a.Outcome = usbAlreadyInstalled
	case res.Kind == pack.KindNotNewer:
		a.Outcome = usbNotNewer
	case res.Kind != "":
		a.Outcome = usbRefused
	case res.DiskFull:
		a.Outcome, a.FreeMB = usbDiskFull, res.FreeMB
	case res.Error != "":
		a.Outcome = usbFailed
	default:
		a.Outcome = usbApplied
	}
	return a
}

// contractStaffUSB declares the USB endpoints' shapes (contract.go).
func contractStaffUSB(f *tsgen.File) {
	f.Union("UsbPackState", usbpacks.State(""), string(usbpacks.Checking), string(usbpacks.Valid), string(usbpacks.Refused))
	f.Union("UsbPackStanding", nil, standingNewer, standingInstalled, standingOlder)
	f.Union("UsbOff", nil, usbOffNoKey, usbOffReadOnly, usbOffNoDirs)
	f.Union("UsbOutcome", nil, usbApplied, usbAlreadyInstalled, usbNotNewer, usbRefused, usbDiskFull, usbGone, usbWaiting, usbFailed)
	f.Name(usbpacks.Pack{}, "UsbPackFile")
	f.Name(staffUSBPack{}, "UsbPack")
	f.Field(staffUSBPack{}, "Standing", "UsbPackStanding")
	f.Name(staffUSBAnswer{}, "StaffUsb")
	f.Field(staffUSBAnswer{}, "Off", "UsbOff")
	f.Interface(staffUSBAnswer{})
	f.Declare("StaffUsbInstallRequest", staffUSBInstallRequest{})
	f.Name(staffUSBInstallAnswer{}, "StaffUsbInstall")
	f.Field(staffUSBInstallAnswer{}, "Outcome", "UsbOutcome")
	f.Interface(staffUSBInstallAnswer{})
}
