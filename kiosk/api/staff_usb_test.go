package api

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/pack"
	"tramso/kiosk/staffpin"
	"tramso/kiosk/store"
	"tramso/kiosk/testdisk"
	"tramso/kiosk/usbpacks"
)

// usbKiosk is a kiosk as `tramso serve` runs it, with a real database and
// content store in its own data folder, the province key pinned, its inbox
// watched as kiosk/station does, and a folder standing for /media.
type usbKiosk struct {
	srv   *httptest.Server
	token string
	media string
	live  *content.Live
	st    *store.Store
	key   ed25519.PrivateKey
}

func newUSBKiosk(t *testing.T, data string) *usbKiosk {
	t.Helper()
	pub, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	keys := []ed25519.PublicKey{pub}
	packs, err := pack.OpenStore(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	live, err := packs.Serve(ctx, nil, keys)
	if err != nil {
		t.Fatal(err)
	}
	go packs.WatchInbox(ctx, keys, 20*time.Millisecond)
	cfg := config.Default()
	cfg.Hub.ProvinceKeys = []string{strings.TrimSpace(pack.EncodePublicKey(pub))}
	media := t.TempDir()
	cfg.USB.MediaDirs = []string{media}
	if cfg.Staff.PINHash, err = staffpin.HashWith("258025", staffpin.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&Server{Config: cfg, Store: st, Content: live}).Handler())
	t.Cleanup(srv.Close)
	return &usbKiosk{srv: srv, token: staffLogin(t, srv, "258025"), media: media, live: live, st: st, key: key}
}

// writePack builds the starter as generation gen, signed by key, into path.
func writePack(t *testing.T, path string, gen int64, title string, key ed25519.PrivateKey) {
	t.Helper()
	var buf bytes.Buffer
	if _, err := pack.Build(content.Starter(), pack.BuildOptions{Generation: gen, Keys: []ed25519.PrivateKey{key}, Title: title}, &buf); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// list asks for the packs on the sticks until none is still being checked.
func (k *usbKiosk) list(t *testing.T) staffUSBAnswer {
	t.Helper()
	for range 500 {
		var a staffUSBAnswer
		code, raw := call(t, k.srv, "GET", "/api/staff/usb", "", StaffTokenHeader, k.token)
		if code != http.StatusOK {
			t.Fatalf("GET /api/staff/usb: %d %s", code, raw)
		}
		if err := json.Unmarshal(raw, &a); err != nil {
			t.Fatal(err)
		}
		checking := false
		for _, p := range a.Packs {
			checking = checking || p.State == usbpacks.Checking
		}
		if !checking {
			return a
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the packs on the stick are still being checked")
	return staffUSBAnswer{}
}

func (k *usbKiosk) install(t *testing.T, id string) staffUSBInstallAnswer {
	t.Helper()
	var a staffUSBInstallAnswer
	code, raw := call(t, k.srv, "POST", "/api/staff/usb/install", `{"id":"`+id+`"}`, StaffTokenHeader, k.token)
	if code != http.StatusOK {
		t.Fatalf("install: %d %s", code, raw)
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// byName is the listed pack named name.
func byName(t *testing.T, a staffUSBAnswer, name string) staffUSBPack {
	t.Helper()
	for _, p := range a.Packs {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("%s is not listed: %+v", name, a.Packs)
	return staffUSBPack{}
}

func (k *usbKiosk) rejections(t *testing.T) []pack.StaffRejection {
	t.Helper()
	var c staffContentAnswer
	code, raw := call(t, k.srv, "GET", "/api/staff/content", "", StaffTokenHeader, k.token)
	if code != http.StatusOK {
		t.Fatalf("content: %d %s", code, raw)
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return c.Rejections
}

// A newer pack on a stick is listed with its title and date, installed by
// the API through the kiosk's inbox, and the kiosk serves it at once, via
// USB; the same pack again is already installed; an older one is staff's old
// stick: not newer, listed as such, and refused calmly.
func TestStaffUSBInstallsANewerPack(t *testing.T) {
	k := newUSBKiosk(t, t.TempDir())
	made := time.Date(2026, 12, 7, 8, 4, 0, 0, time.UTC)
	writePack(t, filepath.Join(k.media, "USB-TINH", "goi-moi.tspack"), made.Unix(), "Lệ phí 2027", k.key)

	a := k.list(t)
	p := byName(t, a, "goi-moi.tspack")
	if p.State != usbpacks.Valid || p.Standing != standingNewer || p.Title != "Lệ phí 2027" || p.Generation != made.Unix() ||
		p.MadeAt == nil || !p.MadeAt.Equal(made) || p.Stick != "USB-TINH" || a.More {
		t.Fatalf("listed %+v (answer %+v)", p, a)
	}
	if got := k.install(t, p.ID); got.Outcome != usbApplied || got.Generation != made.Unix() || got.Title != "Lệ phí 2027" {
		t.Fatalf("install: %+v", got)
	}
	if cur := k.live.Get(); cur.Source != content.SourcePack || cur.Pack.Meta.Generation != made.Unix() {
		t.Fatalf("the kiosk shows %s %d", cur.Source, cur.Pack.Meta.Generation)
	}
	if g, ok, err := k.st.ContentGeneration(context.Background(), made.Unix()); err != nil || !ok || g.AppliedVia != "usb" {
		t.Fatalf("generation applied via %+v %v %v", g, ok, err)
	}
	if p := byName(t, k.list(t), "goi-moi.tspack"); p.Standing != standingInstalled {
		t.Fatalf("after install: %+v", p)
	}
	if got := k.install(t, p.ID); got.Outcome != usbAlreadyInstalled {
		t.Fatalf("the same pack again: %+v", got)
	}
	if r := k.rejections(t); len(r) != 0 {
		t.Fatalf("refusals after installing: %+v", r)
	}

	writePack(t, filepath.Join(k.media, "USB-TINH", "goi-cu.tspack"), made.Unix()-86400, "Bản cũ", k.key)
	old := byName(t, k.list(t), "goi-cu.tspack")
	if old.State != usbpacks.Valid || old.Standing != standingOlder {
		t.Fatalf("old pack listed %+v", old)
	}
	if got := k.install(t, old.ID); got.Outcome != usbNotNewer {
		t.Fatalf("old pack: %+v", got)
	}
	if r := k.rejections(t); len(r) != 1 || r[0].Kind != string(pack.KindNotNewer) || r[0].Source != "usb" {
		t.Fatalf("refusals: %+v", r)
	}
	if cur := k.live.Get(); cur.Pack.Meta.Generation != made.Unix() {
		t.Fatalf("the old pack replaced the content: %d", cur.Pack.Meta.Generation)
	}
}

// A pack signed by a key the kiosk does not pin, and a truncated one, are
// listed as refused with their kinds; installed anyway, the kiosk refuses
// each, lists the refusal (from USB) and keeps its content. A file taken
// away after the look is gone, not installed.
func TestStaffUSBRefusesStrangersAndDamagedPacks(t *testing.T) {
	k := newUSBKiosk(t, t.TempDir())
	_, stranger, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	writePack(t, filepath.Join(k.media, "STICK", "la.tspack"), 200, "", stranger)
	good := filepath.Join(k.media, "STICK", "goi", "cut.TSPACK") // one folder in, upper case as FAT shows it
	writePack(t, good, 300, "", k.key)
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, raw[:len(raw)/2], 0o644); err != nil {
		t.Fatal(err)
	}

	a := k.list(t)
	if len(a.Packs) != 2 {
		t.Fatalf("listed %+v", a.Packs)
	}
	strange, cut := byName(t, a, "la.tspack"), byName(t, a, "cut.TSPACK")
	if strange.State != usbpacks.Refused || strange.Kind != pack.KindUnknownKey || strange.Standing != "" {
		t.Fatalf("stranger's pack listed %+v", strange)
	}
	if cut.State != usbpacks.Refused || cut.Kind == "" || cut.Stick != filepath.Join("STICK", "goi") {
		t.Fatalf("truncated pack listed %+v", cut)
	}
	if got := k.install(t, strange.ID); got.Outcome != usbRefused || got.Kind != pack.KindUnknownKey {
		t.Fatalf("stranger's pack: %+v", got)
	}
	if got := k.install(t, cut.ID); got.Outcome != usbRefused || got.Kind == "" {
		t.Fatalf("truncated pack: %+v", got)
	}
	r := k.rejections(t)
	if len(r) != 2 || r[1].Kind != string(pack.KindUnknownKey) || r[0].Source != "usb" || r[1].Source != "usb" {
		t.Fatalf("refusals: %+v", r)
	}
	if cur := k.live.Get(); cur.Source != content.SourceEmbedded {
		t.Fatalf("the kiosk shows %s", cur.Source)
	}
	if err := os.Remove(filepath.Join(k.media, "STICK", "la.tspack")); err != nil {
		t.Fatal(err)
	}
	if got := k.install(t, strange.ID); got.Outcome != usbGone {
		t.Fatalf("a pack taken away: %+v", got)
	}
	if got := k.install(t, "not-an-id"); got.Outcome != usbGone {
		t.Fatalf("an unknown id: %+v", got)
	}
}

// A symbolic link on a stick, to a pack file or to a folder outside the
// media folder, is never followed: what it points at is not listed.
func TestStaffUSBFollowsNoLinkOutOfTheStick(t *testing.T) {
	k := newUSBKiosk(t, t.TempDir())
	outside := t.TempDir()
	writePack(t, filepath.Join(outside, "kiosk", "secret.tspack"), 400, "", k.key)
	stick := filepath.Join(k.media, "STICK")
	if err := os.MkdirAll(stick, 0o755); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"link.tspack": filepath.Join(outside, "kiosk", "secret.tspack"),
		"folder":      filepath.Join(outside, "kiosk"),
	} {
		if err := os.Symlink(target, filepath.Join(stick, link)); err != nil {
			t.Fatal(err)
		}
	}
	// The media folder's own mount point is a link too (a stick mounted
	// as a link to elsewhere): not followed either.
	if err := os.Symlink(filepath.Join(outside, "kiosk"), filepath.Join(k.media, "OTHER")); err != nil {
		t.Fatal(err)
	}
	if a := k.list(t); len(a.Packs) != 0 {
		t.Fatalf("followed a link: %+v", a.Packs)
	}
}

// A stick of thousands of files, and one of many packs, are looked at only
// up to the bounds; the answer says there is more.
func TestStaffUSBBoundsTheLook(t *testing.T) {
	k := newUSBKiosk(t, t.TempDir())
	junk := filepath.Join(k.media, "ANH")
	if err := os.MkdirAll(junk, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range usbpacks.MaxEntries + 500 {
		if err := os.WriteFile(filepath.Join(junk, fmt.Sprintf("IMG_%05d.jpg", i)), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writePack(t, filepath.Join(k.media, "ZZ", "late.tspack"), 500, "", k.key)
	if a := k.list(t); !a.More || len(a.Packs) != 0 {
		t.Fatalf("thousands of files: more %v, %d packs", a.More, len(a.Packs))
	}
	if err := os.RemoveAll(junk); err != nil {
		t.Fatal(err)
	}

	// Many pack files (empty ones: listing does not read them whole to
	// count them, and each is refused).
	many := filepath.Join(k.media, "GOI")
	if err := os.MkdirAll(many, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range usbpacks.MaxPacks + 5 {
		if err := os.WriteFile(filepath.Join(many, fmt.Sprintf("p%02d.tspack", i)), []byte("not a pack"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	a := k.list(t)
	if !a.More || len(a.Packs) != usbpacks.MaxPacks {
		t.Fatalf("many packs: more %v, %d packs", a.More, len(a.Packs))
	}
	for _, p := range a.Packs {
		if p.State != usbpacks.Refused || p.Kind != pack.KindBadPackFile {
			t.Fatalf("a file that is no pack: %+v", p)
		}
	}
}

// A kiosk whose disk cannot take the pack says so, with the megabytes to
// free, and keeps its content.
func TestStaffUSBDiskFull(t *testing.T) {
	k := newUSBKiosk(t, testdisk.Mount(t, "36m"))
	writePack(t, filepath.Join(k.media, "STICK", "goi.tspack"), 600, "", k.key)
	p := byName(t, k.list(t), "goi.tspack")
	got := k.install(t, p.ID)
	if got.Outcome != usbDiskFull || got.FreeMB <= 0 {
		t.Fatalf("full disk: %+v", got)
	}
	if cur := k.live.Get(); cur.Source != content.SourceEmbedded {
		t.Fatalf("the kiosk shows %s", cur.Source)
	}
}

// With no province key pinned, the kiosk does not look for sticks: every
// pack would be refused, and the card says what to do instead.
func TestStaffUSBOffWithoutKey(t *testing.T) {
	srv, _ := staffServer(t, "258025", nil)
	token := staffLogin(t, srv, "258025")
	code, out := staffCall(t, srv, "GET", "/api/staff/usb", token, "")
	if code != http.StatusOK || out["off"] != usbOffNoKey {
		t.Fatalf("%d %v", code, out)
	}
	if code, _ := staffCall(t, srv, "GET", "/api/staff/usb", "", ""); code != http.StatusUnauthorized {
		t.Fatalf("without staff mode: %d", code)
	}
}
