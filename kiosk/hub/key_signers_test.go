package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/content"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
)

// TestKeyCountsSayWhichKeySignedTheCurrentContent: during a rotation's
// overlap the fleet's "Khóa tỉnh kiosk đang ghim" marks, beside each key the
// hub pins, whether it signed the generation every kiosk is given now, so
// a kiosk that dropped the old key is not taken for one that lacks the new
// (outside QA R14). A generation for the test group only does not count,
// and a signature that does not verify does not mark its key.
func TestKeyCountsSayWhichKeySignedTheCurrentContent(t *testing.T) {
	h, srv, oldKey, newKey, oldID, newID := rotatingHub(t)
	if err := h.CreateAdmin(context.Background(), "tinh", testPassword); err != nil {
		t.Fatal(err)
	}
	a := newAdmin(t, srv)
	if code := a.login("tinh", testPassword); code != http.StatusOK {
		t.Fatalf("login: %d", code)
	}
	if _, fleet := a.get("/admin/"); strings.Contains(fleet, "nội dung hiện hành") {
		t.Errorf("with nothing published the keys are marked:\n%.3000s", fleet)
	}

	var file bytes.Buffer
	if _, err := pack.Build(content.Starter(), pack.BuildOptions{Generation: 3300, Keys: []ed25519.PrivateKey{oldKey}}, &file); err != nil {
		t.Fatal(err)
	}
	first, err := h.Publish(context.Background(), &file, PublishOptions{Stage: StageEveryone, By: "test"})
	if err != nil {
		t.Fatal(err)
	}
	republish := func(gen int64, stage int, sign func(raw []byte) []byte) {
		t.Helper()
		raw, err := pack.Republish(first.Manifest, gen, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		m, err := pack.ParseManifest(raw)
		if err != nil {
			t.Fatal(err)
		}
		if err := h.PublishManifest(context.Background(), raw, sign(raw), m, PublishOptions{Stage: stage, By: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	signedBy := func(keys ...ed25519.PrivateKey) func([]byte) []byte {
		return func(raw []byte) []byte { return signManifest(t, raw, keys...) }
	}
	signs := func(step string, current string, oldSigns, newSigns bool) {
		t.Helper()
		_, fleet := a.get("/admin/")
		for id, want := range map[string]bool{oldID: oldSigns, newID: newSigns} {
			mark := `<span class="badge off">không ký nội dung hiện hành</span>`
			if want {
				mark = `<span class="badge ok">ký nội dung hiện hành</span>`
			}
			if !strings.Contains(fleet, "<code>"+id+"</code> "+mark+":") {
				t.Errorf("%s: key %s is not marked %s:\n%.3000s", step, id, mark, fleet)
			}
		}
		if !strings.Contains(fleet, "Nội dung hiện hành là thế hệ "+current+",") {
			t.Errorf("%s: the summary does not name generation %s as the current one:\n%.3000s", step, current, fleet)
		}
	}
	signs("the old key alone", "3300", true, false)

	republish(3301, StageEveryone, signedBy(oldKey, newKey))
	signs("the overlap", "3301", true, true)

	republish(3302, StageTest, signedBy(newKey))
	signs("the new key alone, for the test group", "3301", true, true)

	republish(3303, StageEveryone, signedBy(newKey))
	signs("the new key alone, for everyone", "3303", false, true)
	kioskPageSays(t, h, srv, a, []string{oldID}, "kiosk sẽ từ chối bản này", "vẫn nhận")
	kioskPageSays(t, h, srv, a, []string{newID}, "kiosk vẫn nhận bản đang giao (thế hệ 3303)", "từ chối bản này")

	republish(3304, StageEveryone, func(raw []byte) []byte { return forgeSignature(t, signManifest(t, raw, oldKey), newID) })
	signs("a forged signature naming the new key", "3304", true, false)
}

// kioskPageSays connects a kiosk pinning the keys pinned and reads its
// page on the console: it says says, and not never. A kiosk that pins only
// the old key once packs are signed by the new one alone refuses them; one
// that dropped the old key takes them, and is not told to worry.
func kioskPageSays(t *testing.T, h *Hub, srv *httptest.Server, a *admin, pinned []string, says, never string) {
	t.Helper()
	id, token := newDevice(t, h)
	ws := dial(t, srv, token)
	defer ws.Close()
	readWelcome(t, ws)
	sendStatus(t, ws, hubproto.Status{State: hubproto.StateIdle, PinnedKeys: pinned})
	var page string
	eventually(t, "the hub stores the pinned keys", func() bool {
		_, page = a.get("/admin/devices/" + id)
		return strings.Contains(page, "<code>"+pinned[0]+"</code> <span")
	})
	if !strings.Contains(page, says) || strings.Contains(page, never) {
		t.Errorf("a kiosk pinning %v: its page does not say %q, or says %q:\n%.4000s", pinned, says, never, page)
	}
}

func newPrivateKey(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

func signManifest(t *testing.T, raw []byte, keys ...ed25519.PrivateKey) []byte {
	t.Helper()
	sig, err := pack.Sign(raw, keys...)
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// forgeSignature adds to manifest.sig a signature that claims key id but
// does not verify: what anyone can write without the key.
func forgeSignature(t *testing.T, sig []byte, id string) []byte {
	t.Helper()
	var file struct {
		Signatures []pack.Signature `json:"signatures"`
	}
	if err := json.Unmarshal(sig, &file); err != nil {
		t.Fatal(err)
	}
	file.Signatures = append(file.Signatures, pack.Signature{KeyID: id, Sig: make([]byte, ed25519.SignatureSize)})
	out, err := json.Marshal(file)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPublishRefusesAPackNoKioskInScopePins (outside QA s24, finding 2): a
// pack signed only by a key that none of the kiosks in its scope that said
// their keys pins is refused, naming the keys and the way out (sign with
// both); signed by both it publishes; kiosks that have not said their keys
// do not make a scope refuse, and a scope none of them is in passes.
func TestPublishRefusesAPackNoKioskInScopePins(t *testing.T) {
	h, srv, oldKey, newKey, oldID, newID := rotatingHub(t)
	ctx := context.Background()
	_, token := newDevice(t, h)
	sendStatus(t, dial(t, srv, token), hubproto.Status{State: hubproto.StateIdle, AppVersion: "1.4.0", PinnedKeys: []string{oldID}})
	_, quiet := newDevice(t, h) // an older release: says no keys
	sendStatus(t, dial(t, srv, quiet), hubproto.Status{State: hubproto.StateIdle, AppVersion: "1.3.0"})
	eventually(t, "the kiosks' keys", func() bool {
		devs, _ := h.Devices(ctx)
		return len(devs) == 2 && (len(devs[0].PinnedKeys) == 1 || len(devs[1].PinnedKeys) == 1)
	})
	gen := int64(3400)
	publish := func(stage int, keys ...ed25519.PrivateKey) error {
		gen++
		var file bytes.Buffer
		if _, err := pack.Build(content.Starter(), pack.BuildOptions{Generation: gen, Keys: keys}, &file); err != nil {
			t.Fatal(err)
		}
		_, err := h.Publish(ctx, &file, PublishOptions{Stage: stage, By: "test"})
		return err
	}
	err := publish(StageEveryone, newKey)
	var e *UnpinnedSignersError
	if !errors.As(err, &e) || e.Kiosks != 1 || !slices.Equal(e.Signers, []string{newID}) || !slices.Equal(e.Pinned, []string{oldID}) ||
		!strings.Contains(err.Error(), "sign with both keys") {
		t.Fatalf("a pack signed by the new key alone: %v", err)
	}
	if rs, _ := h.Rollouts(ctx); len(rs) != 0 {
		t.Fatalf("a refused pack was published: %+v", rs)
	}
	if err := publish(StageTest, newKey); err != nil {
		t.Fatalf("to a test group with no kiosk in it: %v", err)
	}
	// Widened afterwards, it is refused as a publish would be.
	if err := h.SetStage(ctx, gen, StageEveryone); !errors.As(err, &e) {
		t.Fatalf("widening a pack no kiosk pins a signer of: %v", err)
	}
	if err := publish(StageEveryone, oldKey, newKey); err != nil {
		t.Fatalf("signed with both keys: %v", err)
	}
	// A key the hub does not pin, named beside one it does: the hub cannot
	// check it, so a kiosk pinning it is not held to refuse.
	otherKey := newPrivateKey(t)
	otherID := pack.KeyID(otherKey.Public().(ed25519.PublicKey))
	if _, err := h.DB.Exec(`UPDATE devices SET pinned_keys = $1 WHERE pinned_keys <> ''`, otherID); err != nil {
		t.Fatal(err)
	}
	if err := publish(StageEveryone, newKey, otherKey); err != nil {
		t.Fatalf("signed by a key the hub does not pin, which the kiosk pins: %v", err)
	}
	if err := publish(StageEveryone, newKey); !errors.As(err, &e) || !slices.Equal(e.Pinned, []string{otherID}) {
		t.Fatalf("signed by the new key alone, the kiosk pinning another: %v", err)
	}
}

// rotatingHub is a hub in a province key rotation's overlap: it pins an old
// key and a new one, given with their ids.
func rotatingHub(t *testing.T) (h *Hub, srv *httptest.Server, oldKey, newKey ed25519.PrivateKey, oldID, newID string) {
	t.Helper()
	oldKey, newKey = newPrivateKey(t), newPrivateKey(t)
	oldPub, newPub := oldKey.Public().(ed25519.PublicKey), newKey.Public().(ed25519.PublicKey)
	h, srv = startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{oldPub, newPub}})
	return h, srv, oldKey, newKey, pack.KeyID(oldPub), pack.KeyID(newPub)
}
