package update_test

import (
	"crypto/ed25519"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/hub"
	"tramso/kiosk/hub/hubtest"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
)

// TestPinnedKeysReachTheConsole: in the middle of a key rotation, a hub
// pinning the old and the new key; one kiosk pins both, one only the old.
// Each tells the hub which keys it pins, and the console says that 1 of
// the 2 kiosks pins the new key, lists the one that does not, names the
// keys on the device page and puts them in the fleet CSV (outside QA: step
// 4 of the rotation said "keep a list by hand").
func TestPinnedKeysReachTheConsole(t *testing.T) {
	oldKey, newKey := newKey(t), newKey(t)
	h := &testHub{hubtest.Start(t, hubtest.Options{Hub: hub.Options{
		ProvinceKeys: []ed25519.PublicKey{public(oldKey), public(newKey)}, FlushEvery: 50 * time.Millisecond}})}
	both, oldOnly := enroll(t, h, "kiosk-hai-khoa"), enroll(t, h, "kiosk-khoa-cu")
	startKioskPinning(t, t.TempDir(), both, []ed25519.PublicKey{public(newKey), public(oldKey)}, nil)
	startKioskPinning(t, t.TempDir(), oldOnly, []ed25519.PublicKey{public(oldKey)}, nil)
	oldID, newID := pack.KeyID(public(oldKey)), pack.KeyID(public(newKey))
	console := h.Console(t)

	counted := func(id, counts string) string {
		return "<code>" + id + "</code>: <strong>" + counts + "</strong> kiosk đang dùng ghim khóa này"
	}
	eventually(t, "the fleet page counts the kiosks pinning each key", func() bool {
		page := console.Get("/admin/")
		return strings.Contains(page, counted(newID, "1 trên 2")) && strings.Contains(page, counted(oldID, "2 trên 2"))
	})
	waiting := console.Get("/admin/?unpinned=" + newID)
	if !strings.Contains(waiting, "/admin/devices/"+oldOnly.DeviceID+`"`) || strings.Contains(waiting, "/admin/devices/"+both.DeviceID+`"`) {
		t.Errorf("the kiosks not pinning the new key are not just the one pinning the old key:\n%.6000s", waiting)
	}
	if page := console.Get("/admin/?unpinned=" + oldID); !strings.Contains(page, "đều đã báo ghim khóa tỉnh <code>"+oldID+"</code>") {
		t.Errorf("the console does not say every kiosk pins the old key:\n%.6000s", page)
	}

	page := console.Get("/admin/devices/" + both.DeviceID)
	for _, id := range []string{oldID, newID} {
		if !strings.Contains(page, "<code>"+id+"</code> <span class=\"badge ok\">máy chủ này cũng ghim</span>") {
			t.Errorf("the device page does not name pinned key %s:\n%.4000s", id, page)
		}
	}
	if strings.Contains(page, "chưa ghim khóa của máy chủ") {
		t.Errorf("the page of a kiosk pinning both keys says it lacks one")
	}
	// The kiosk forgotten in step 2: its own page says which key it lacks.
	if page := console.Get("/admin/devices/" + oldOnly.DeviceID); !strings.Contains(page, "chưa ghim khóa của máy chủ: <code>"+newID+"</code>") {
		t.Errorf("the page of the old-key-only kiosk does not name the key it lacks:\n%.4000s", page)
	}

	rows, err := csv.NewReader(strings.NewReader(console.Get("/admin/fleet.csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[0], "pinned_keys")
	if col < 0 {
		t.Fatalf("the fleet CSV has no pinned_keys column: %v", rows[0])
	}
	sorted := []string{oldID, newID}
	slices.Sort(sorted)
	want := map[string]string{both.DeviceID: strings.Join(sorted, " "), oldOnly.DeviceID: oldID}
	for _, row := range rows[1:] {
		if row[col] != want[row[0]] {
			t.Errorf("CSV: %s pins %q, want %q", row[0], row[col], want[row[0]])
		}
	}
}

// TestPinnedKeysNotSentToAnOlderHub: a hub that does not name
// hubproto.FeaturePinnedKeys (one from before it) decodes statuses strictly
// and would close on the field: it never gets it, and the session stays up.
func TestPinnedKeysNotSentToAnOlderHub(t *testing.T) {
	key := newKey(t)
	older := startFakeHub(t, takeApart(t, key, signedBy(t, 3200, key)))
	k := startKioskPinning(t, t.TempDir(), fakeCreds(older, key), []ed25519.PublicKey{public(key)}, nil)
	statuses := func() (n int) {
		for _, f := range older.received() {
			n += strings.Count(f, `"type":"status"`)
		}
		return n
	}
	eventually(t, "the kiosk takes the older hub's pack", func() bool { return k.generation() == 3200 })
	eventually(t, "the older hub hears statuses", func() bool { return statuses() >= 2 })
	for _, f := range older.received() {
		if strings.Contains(f, "pinned_keys") {
			t.Fatalf("the kiosk told an older hub its pinned keys: %s", f)
		}
		if _, err := hubproto.Decode([]byte(f)); err != nil {
			t.Fatalf("the kiosk sent a frame the protocol refuses: %v: %s", err, f)
		}
	}
	if n := older.dials.Load(); n != 1 || !k.client.Status().Connected {
		t.Fatalf("the session did not stay up: %d dials, connected %v", n, k.client.Status().Connected)
	}
}

// TestEveryPinnedKeyIsTold: the config refuses more keys than the hub is
// told of, so the list a kiosk sends is never cut (outside QA R1: with 20
// pinned, the hub's own key was cut off and the console said the kiosk
// would refuse every pack).
func TestEveryPinnedKeyIsTold(t *testing.T) {
	if config.MaxProvinceKeys > hubproto.MaxPinnedKeys {
		t.Fatalf("a config may pin %d keys, the hub is told %d", config.MaxProvinceKeys, hubproto.MaxPinnedKeys)
	}
}
