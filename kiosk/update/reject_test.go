package update_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"tramso/kiosk/hub"
	"tramso/kiosk/hub/hubtest"
	"tramso/kiosk/pack"
)

// TestRejectedPacksReported: for each kind of bad pack the hub can be made
// to serve, the kiosk refuses it, keeps the content it had, shows why in
// staff mode, and the refusal reaches the hub's fleet view. (kiosk/pack
// tests every rejection itself; this tests that the client reports them.)
func TestRejectedPacksReported(t *testing.T) {
	key, stranger := newKey(t), newKey(t)
	h := startHub(t, key, nil)
	k := startKiosk(t, h, nil)
	ctx := context.Background()

	const good = 3000
	file := buildPack(t, key, good, nil)
	h.publish(t, file, hub.StageEveryone)
	eventually(t, "the good pack is applied", func() bool { return k.generation() == good })
	base := manifestOf(t, key, file)

	// remanifest signs a copy of the good manifest, changed by edit, as gen.
	remanifest := func(gen int64, edit func(*pack.Manifest)) []byte {
		m := *base
		m.Files = append([]pack.File(nil), base.Files...)
		m.Generation = gen
		if edit != nil {
			edit(&m)
		}
		raw, err := m.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	sign := func(raw []byte, k ed25519.PrivateKey) []byte {
		sig, err := pack.Sign(raw, k)
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
	// plant stores body on the hub under sha without the hub's own check.
	plant := func(sha string, body []byte) { hubtest.PlantBlob(t, h.Blobs(), sha, body) }
	replaceFile := func(m *pack.Manifest, path string, body []byte) {
		sum := sha256.Sum256(body)
		for i := range m.Files {
			if m.Files[i].Path == path {
				m.Files[i].SHA256, m.Files[i].Size = hex.EncodeToString(sum[:]), int64(len(body))
			}
		}
	}

	cases := []struct {
		kind string
		make func(gen int64) (raw, sig []byte)
	}{
		{"bad_signature", func(gen int64) ([]byte, []byte) {
			raw := remanifest(gen, nil)
			sig := sign(raw, key)
			return append(raw, ' '), sig // changed after signing
		}},
		{"unknown_key", func(gen int64) ([]byte, []byte) {
			raw := remanifest(gen, nil)
			return raw, sign(raw, stranger)
		}},
		{"missing_signature", func(gen int64) ([]byte, []byte) {
			return remanifest(gen, nil), []byte(`{"signatures":[]}`)
		}},
		{"bad_manifest", func(gen int64) ([]byte, []byte) {
			raw := []byte(`{"format":"tramso-pack", this is not JSON`)
			return raw, sign(raw, key)
		}},
		{"bad_path", func(gen int64) ([]byte, []byte) {
			raw := remanifest(gen, func(m *pack.Manifest) { m.Files[0].Path = "../../etc/escape.yaml" })
			return raw, sign(raw, key)
		}},
		{"hash_mismatch", func(gen int64) ([]byte, []byte) {
			claimed, served := randomBytes(10<<10), randomBytes(10<<10)
			raw := remanifest(gen, func(m *pack.Manifest) {
				m.Files = append(m.Files, pack.File{Path: "media/extra/x.ogg"})
				replaceFile(m, "media/extra/x.ogg", claimed)
			})
			sum := sha256.Sum256(claimed)
			plant(hex.EncodeToString(sum[:]), served)
			return raw, sign(raw, key)
		}},
		{"bad_content", func(gen int64) ([]byte, []byte) {
			broken := []byte("schema: 1\ngeneration: [not a number\n")
			raw := remanifest(gen, func(m *pack.Manifest) { replaceFile(m, "pack.yaml", broken) })
			sum := sha256.Sum256(broken)
			plant(hex.EncodeToString(sum[:]), broken)
			return raw, sign(raw, key)
		}},
	}
	gen := int64(good)
	for _, c := range cases {
		gen++
		raw, sig := c.make(gen)
		// The hub would refuse most of these itself on upload; PublishManifest
		// skips that check, as a compromised hub would.
		m := &pack.Manifest{Generation: gen}
		if parsed, err := pack.ParseManifest(raw); err == nil {
			m = parsed
		}
		if err := h.PublishManifest(ctx, raw, sig, m, hub.PublishOptions{Stage: hub.StageEveryone, By: "test"}); err != nil {
			t.Fatalf("%s: publish: %v", c.kind, err)
		}
		eventually(t, c.kind+" reported to the hub", func() bool {
			reports, err := h.Reports(ctx, k.id, 50)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range reports {
				if r.Outcome == "rejected" && strings.HasPrefix(r.Error, c.kind+":") {
					// Named by the generation the hub announced, even when
					// the kiosk refused it before reading its manifest, so
					// the console can say which pack is refused.
					if r.Generation != gen {
						t.Fatalf("%s: reported as generation %d, announced %d", c.kind, r.Generation, gen)
					}
					return true
				}
			}
			return false
		})
		if g := k.generation(); g != good {
			t.Fatalf("%s: the kiosk serves generation %d, want %d unchanged", c.kind, g, good)
		}
		if st := k.client.Status(); !strings.Contains(st.LastError, c.kind) || st.State != "failed" {
			t.Errorf("%s: staff mode shows %+v", c.kind, st)
		}
		eventually(t, c.kind+" in the fleet view", func() bool {
			devs, err := h.Devices(ctx)
			return err == nil && len(devs) == 1 && strings.Contains(devs[0].LastError, c.kind)
		})
	}
	// A good pack after all that still goes through.
	h.publish(t, buildPack(t, key, gen+1, nil), hub.StageEveryone)
	eventually(t, "a good pack after the bad ones", func() bool { return k.generation() == gen+1 })
}

// TestErrorClearedOnceSynced: a refusal shows as the last error while it
// matters; once the hub wants what the kiosk has again, "up to date" stands
// alone (outside QA: the refusal of a wrongly signed pack stayed under "Nội
// dung đã mới nhất" after the right hub came back).
func TestErrorClearedOnceSynced(t *testing.T) {
	key, stranger := newKey(t), newKey(t)
	good := takeApart(t, key, buildPack(t, key, 5000, nil))
	h := startFakeHub(t, good)
	k := kioskOn(t, h, key, nil)
	eventually(t, "the good pack is applied", func() bool { return k.generation() == 5000 })

	h.set(func(h *fakeHub) { h.pack = takeApart(t, stranger, buildPack(t, stranger, 5001, nil)) })
	h.dropSockets()
	eventually(t, "the stranger's pack is refused", func() bool {
		return strings.Contains(k.client.Status().LastError, "unknown_key")
	})

	h.set(func(h *fakeHub) { h.pack = good })
	h.dropSockets()
	k.client.UpdateNow()
	eventually(t, "the error is over once the hub wants what the kiosk has", func() bool {
		s := k.client.Status()
		return s.TargetGeneration == 5000 && s.LastError == "" && s.State == "idle"
	})
}

// TestHubBehindTheKioskIsNamed: a hub restored from an old backup offers a
// generation older than the kiosk's. The kiosk stays where it is (it never
// goes back) and says so to staff and the fleet view, once the hub is
// caught up the message goes (outside QA: nobody learnt that the province's
// new packs would never reach the kiosk).
func TestHubBehindTheKioskIsNamed(t *testing.T) {
	key := newKey(t)
	good := takeApart(t, key, buildPack(t, key, 5000, nil))
	h := startFakeHub(t, good)
	k := kioskOn(t, h, key, nil)
	eventually(t, "the pack is applied", func() bool { return k.generation() == 5000 })

	older := takeApart(t, key, buildPack(t, key, 4000, nil))
	h.set(func(h *fakeHub) { h.pack = older })
	h.dropSockets()
	eventually(t, "staff are told the hub is behind", func() bool {
		s := k.client.Status()
		return s.ErrorKind == "hub_behind" && strings.Contains(s.LastError, "generation 4000, older than generation 5000")
	})
	if g := k.generation(); g != 5000 {
		t.Fatalf("the kiosk went back to %d", g)
	}

	h.set(func(h *fakeHub) { h.pack = good })
	h.dropSockets()
	eventually(t, "the message goes once the hub wants what the kiosk has", func() bool {
		s := k.client.Status()
		return s.ErrorKind == "" && s.LastError == "" && s.State == "idle"
	})
}
