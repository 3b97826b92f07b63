package update_test

// The refusal kept across restarts (store migration 0012) must end when
// what made it no longer stands (review s29: each of these failed on the
// first version of it).

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"tramso/kiosk/hub"
	"tramso/kiosk/hub/hubtest"
	"tramso/kiosk/pack"
	"tramso/kiosk/store"
	"tramso/kiosk/update"
)

// gatedHub is a real hub whose blob downloads can be held back.
type gatedHub struct {
	*testHub
	key ed25519.PrivateKey

	mu    sync.Mutex
	gate  chan struct{} // nil: blobs flow
	asked int           // blob requests so far
}

func startGatedHub(t *testing.T, keys ...ed25519.PrivateKey) *gatedHub {
	h := &gatedHub{key: keys[0]}
	var pubs []ed25519.PublicKey
	for _, k := range keys {
		pubs = append(pubs, k.Public().(ed25519.PublicKey))
	}
	h.testHub = &testHub{hubtest.Start(t, hubtest.Options{Wrap: h.wrap, Hub: hub.Options{
		ProvinceKeys: pubs, Heartbeat: 5 * time.Second, Poll: 10 * time.Second, FlushEvery: 50 * time.Millisecond}})}
	return h
}

func (h *gatedHub) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/blobs/") {
			h.mu.Lock()
			h.asked++
			gate := h.gate
			h.mu.Unlock()
			if gate != nil {
				select {
				case <-gate:
				case <-r.Context().Done():
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (h *gatedHub) blobAsks() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.asked
}

// offerBadBlob publishes generation gen as the starter plus one file whose
// blob on the hub is not the manifest's (a hash mismatch on the kiosk). It
// returns the signed pack as built (good bytes), for a USB stick.
func offerBadBlob(t *testing.T, h *testHub, key ed25519.PrivateKey, gen int64) []byte {
	t.Helper()
	claimed := randomBytes(10 << 10)
	var buf bytes.Buffer
	sm, err := pack.Build(source(t, map[string][]byte{"media/extra/x.ogg": claimed}), pack.BuildOptions{Generation: gen, Keys: []ed25519.PrivateKey{key}}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range sm.Manifest.Files {
		if f.Path == "media/extra/x.ogg" {
			hubtest.PlantBlob(t, h.Blobs(), f.SHA256, randomBytes(int(f.Size)))
		}
	}
	if err := h.PublishManifest(context.Background(), sm.Raw, sm.Sig, sm.Manifest, hub.PublishOptions{Stage: hub.StageEveryone, By: "test"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestRefusalOfASupersededGenerationIsNotKept: the hub announces a newer
// generation while the kiosk is still downloading the one it will refuse.
// fail() records the refusal of the old one after the target moved, so it
// stays in tramso.db after the newer one applied; after a restart with the
// hub out of reach the kiosk calls itself failed, and the restored target
// (older than the content it serves) reads as "the hub is behind".
func TestRefusalOfASupersededGenerationIsNotKept(t *testing.T) {
	h := startGatedHub(t, newKey(t))
	dir := t.TempDir()
	creds := enroll(t, h.testHub, "")
	k := startKioskIn(t, dir, creds, nil)
	h.publish(t, buildPack(t, h.key, 9300, nil), hub.StageEveryone)
	eventually(t, "9300 applied", func() bool { return k.generation() == 9300 })

	h.mu.Lock()
	h.gate = make(chan struct{})
	gate := h.gate
	h.mu.Unlock()
	asked := h.blobAsks()
	offerBadBlob(t, h.testHub, h.key, 9301)
	eventually(t, "the kiosk downloads 9301's blob", func() bool { return h.blobAsks() > asked })
	h.publish(t, buildPack(t, h.key, 9302, nil), hub.StageEveryone) // the province's fix
	eventually(t, "the kiosk hears of 9302", func() bool { return k.client.Status().TargetGeneration == 9302 })
	close(gate)

	eventually(t, "9302 applied, no error", func() bool {
		s := k.client.Status()
		return k.generation() == 9302 && s.LastError == "" && s.State == "idle"
	})
	time.Sleep(300 * time.Millisecond)
	if r, err := store.LoadUpdateRefusal(context.Background(), k.st.DB); err != nil || r != (store.UpdateRefusal{}) {
		t.Errorf("on 9302, up to date, tramso.db still keeps a refusal: %+v %v", r, err)
	}
	k.stop()

	// The kiosk restarts while the hub cannot be reached (a rural link).
	gone := creds
	gone.HubURL = "http://127.0.0.1:1"
	k = startKioskIn(t, dir, gone, nil)
	time.Sleep(time.Second)
	if s := k.client.Status(); s.State == "failed" || s.LastError != "" || s.TargetGeneration == 9301 {
		t.Errorf("restarted on 9302 (up to date before), offline: status %+v", s)
	}
}

// TestRefusedGenerationAppliedFromUSBIsNoLongerFailed: the hub's copy of a
// generation fails its hash, staff bring the same generation on a USB
// stick and it applies. The refusal is never ended (maybeSync: target ==
// rejected comes before "up to date"), and now it outlives a restart: the
// kiosk serves the generation and still tells staff and the hub that it
// refused it, until the province publishes again or staff press "update now".
func TestRefusedGenerationAppliedFromUSBIsNoLongerFailed(t *testing.T) {
	h := startGatedHub(t, newKey(t))
	dir := t.TempDir()
	creds := enroll(t, h.testHub, "")
	k := startKioskIn(t, dir, creds, nil)
	h.publish(t, buildPack(t, h.key, 9400, nil), hub.StageEveryone)
	eventually(t, "9400 applied", func() bool { return k.generation() == 9400 })

	stick := offerBadBlob(t, h.testHub, h.key, 9401)
	eventually(t, "9401 refused", func() bool {
		s := k.client.Status()
		return s.State == "failed" && strings.Contains(s.LastError, "hash_mismatch")
	})
	path := filepath.Join(t.TempDir(), "9401.tramso")
	if err := os.WriteFile(path, stick, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := k.packs.ApplyFile(context.Background(), path, pinnedKeys(t, creds), "usb"); err != nil {
		t.Fatalf("USB apply of 9401: %v", err)
	}
	eventually(t, "9401 served", func() bool { return k.generation() == 9401 })
	k.stop()

	k = startKioskIn(t, dir, creds, nil)
	eventually(t, "connected", func() bool { return k.client.Status().Connected })
	holds(t, 2*time.Second, "restarted on 9401 from USB, the hub's target 9401", func() string {
		if s := k.client.Status(); s.State == "failed" || s.LastError != "" {
			return "serving 9401, the kiosk says it failed: " + s.State + ": " + s.LastError
		}
		return ""
	})
}

// TestRefusalEndsWhenTheKioskPinsAnotherKey: a key rotation. The province signs a
// generation with its new key, which the kiosk does not pin yet: refused
// (unknown_key). The technician pins the new key (hub.province_keys) and
// restarts the kiosk, as the unmendable message tells them to. Before the
// refusal was kept in tramso.db the restart fetched it; now the kiosk waits
// for the next generation or for staff to press "Cập nhật ngay".
func TestRefusalEndsWhenTheKioskPinsAnotherKey(t *testing.T) {
	oldKey, newK := newKey(t), newKey(t)
	h := startGatedHub(t, oldKey, newK)
	dir := t.TempDir()
	creds := enroll(t, h.testHub, "")
	oldOnly := []ed25519.PublicKey{oldKey.Public().(ed25519.PublicKey)}
	k := startKioskPinning(t, dir, creds, oldOnly, nil)
	h.publish(t, buildPack(t, oldKey, 9500, nil), hub.StageEveryone)
	eventually(t, "9500 applied", func() bool { return k.generation() == 9500 })

	// Signed with the new key alone. (The hub's own publish refuses a pack
	// no reporting kiosk pins; a hub without that check, or kiosks that had
	// not reported their keys yet, let it through: PublishManifest.)
	var buf bytes.Buffer
	sm, err := pack.Build(source(t, nil), pack.BuildOptions{Generation: 9501, Keys: []ed25519.PrivateKey{newK}}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.PublishManifest(context.Background(), sm.Raw, sm.Sig, sm.Manifest, hub.PublishOptions{Stage: hub.StageEveryone, By: "test"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "9501 refused", func() bool {
		s := k.client.Status()
		return s.State == "failed" && strings.Contains(s.LastError, "unknown_key")
	})
	k.stop()

	both := []ed25519.PublicKey{oldKey.Public().(ed25519.PublicKey), newK.Public().(ed25519.PublicKey)}
	k = startKioskPinning(t, dir, creds, both, nil)
	deadline := time.Now().Add(5 * time.Second)
	for k.generation() != 9501 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if g := k.generation(); g != 9501 {
		t.Errorf("the new key pinned and the kiosk restarted, it serves %d, not the hub's 9501: %+v", g, k.client.Status())
	}
}

var _ = sha256.Sum256
var _ = hex.EncodeToString
var _ update.Status

// TestRepairKeepsTheStandingRefusal: the refusal restored at start is
// shown until something newer comes — unless the current content needs a
// repair: repair's synced() clears the error and calls the kiosk up to
// date, while the refusal stays in memory and in tramso.db (so the next
// restart shows it again). Staff read "up to date" on a kiosk that refuses
// the hub's target.
func TestRepairKeepsTheStandingRefusal(t *testing.T) {
	h := startGatedHub(t, newKey(t))
	dir := t.TempDir()
	creds := enroll(t, h.testHub, "")
	k := startKioskIn(t, dir, creds, nil)
	h.publish(t, buildPack(t, h.key, 9600, map[string][]byte{"media/extra/v.ogg": []byte("generation 9600")}), hub.StageEveryone)
	eventually(t, "9600 applied", func() bool { return k.generation() == 9600 })
	offerBadBlob(t, h.testHub, h.key, 9601)
	eventually(t, "9601 refused", func() bool {
		s := k.client.Status()
		return s.State == "failed" && strings.Contains(s.LastError, "hash_mismatch")
	})
	k.stop()
	if err := os.RemoveAll(genDir(dir, 9600)); err != nil { // a technician "cleaning" the disk
		t.Fatal(err)
	}
	k = startKioskIn(t, dir, creds, nil)
	eventually(t, "9600 repaired", func() bool { return k.generation() == 9600 && k.packs.Broken() == 0 })
	holds(t, 2*time.Second, "after the repair, the hub's target still the refused 9601", func() string {
		if s := k.client.Status(); s.State != "failed" || !strings.Contains(s.LastError, "hash_mismatch") {
			return "the refusal of 9601 is no longer shown: " + s.State + " " + s.LastError
		}
		return ""
	})
	if r, err := store.LoadUpdateRefusal(context.Background(), k.st.DB); err != nil || r.Generation != 9601 {
		t.Fatalf("refusal in tramso.db: %+v %v", r, err)
	}
}
