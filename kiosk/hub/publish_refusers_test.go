package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"strconv"
	"strings"
	"testing"

	"tramso/kiosk/content"
	"tramso/kiosk/pack"
)

// TestPublishSaysWhichKiosksWillRefuse is review risk 6: a pack signed by
// a key some kiosks in its scope do not pin (others do) was published
// silently, and only the fleet page named those kiosks once they had
// refused it. It is still published, but the console's notice says how
// many kiosks in scope will refuse it, which, and why; a pack every kiosk
// takes says nothing of the kind.
func TestPublishSaysWhichKiosksWillRefuse(t *testing.T) {
	h, srv, oldKey, newKey, oldID, newID := rotatingHub(t)
	a, token := signerSession(t, h, srv)
	ctx := context.Background()
	for name, pinned := range map[string]string{"Ea Kao cũ": oldID, "Ea Tu mới": newID} {
		id, _ := newDevice(t, h)
		if _, err := h.DB.Exec(`UPDATE devices SET name = $1, pinned_keys = $2 WHERE id = $3`, name, pinned, id); err != nil {
			t.Fatal(err)
		}
	}
	gen := int64(3400)
	build := func(keys ...ed25519.PrivateKey) []byte {
		gen++
		var file bytes.Buffer
		if _, err := pack.Build(content.Starter(), pack.BuildOptions{Generation: gen, Keys: keys}, &file); err != nil {
			t.Fatal(err)
		}
		return file.Bytes()
	}

	file := build(newKey)
	sm, err := pack.NewReader(bytes.NewReader(file), []ed25519.PublicKey{newKey.Public().(ed25519.PublicKey)})
	if err != nil {
		t.Fatal(err)
	}
	e, err := h.Refusers(ctx, sm.Signed().Raw, sm.Signed().Sig, StageEveryone)
	if err != nil || e == nil || e.Kiosks != 1 || e.Accepting != 1 || len(e.Names) != 1 || e.Names[0] != "Ea Kao cũ" ||
		!strings.Contains(e.Warning(), "1 of the 2 kiosk(s) in this scope") || !strings.Contains(e.Warning(), "they pin only "+oldID) {
		t.Fatalf("the kiosks that will refuse a pack signed by the new key alone: %+v %v", e, err)
	}
	code, page := a.postFile("/admin/packs", map[string]string{"csrf": token, "stage": "everyone"}, "pack", "new.tspack", file)
	if code != 200 || !strings.Contains(page, "Đã phát hành gói nội dung.") || !strings.Contains(page, `data-testid="publish-refusers"`) ||
		!strings.Contains(page, "1 trong 2 kiosk trong phạm vi sẽ từ chối gói thế hệ "+strconv.FormatInt(gen, 10)) ||
		!strings.Contains(page, "chỉ ghim khoá "+oldID) || !strings.Contains(page, "Kiosk sẽ từ chối: Ea Kao cũ") {
		t.Fatalf("a publish some kiosks will refuse passed silently: %d %.4000s", code, page)
	}
	if _, page := a.get("/admin/packs"); strings.Contains(page, "publish-refusers") {
		t.Fatal("the warning stays on the packs page after the publish")
	}
	// Signed by both keys, every kiosk takes it: no warning.
	code, page = a.postFile("/admin/packs", map[string]string{"csrf": token, "stage": "everyone"}, "pack", "both.tspack", build(oldKey, newKey))
	if code != 200 || !strings.Contains(page, "Đã phát hành gói nội dung.") || strings.Contains(page, "publish-refusers") {
		t.Fatalf("a pack every kiosk takes: %d %.3000s", code, page)
	}
	// To the test group, where neither kiosk is: none in scope refuses.
	code, page = a.postFile("/admin/packs", map[string]string{"csrf": token, "stage": "test"}, "pack", "new.tspack", build(newKey))
	if code != 200 || strings.Contains(page, "publish-refusers") {
		t.Fatalf("a pack to an empty test group: %d %.3000s", code, page)
	}
	// Widened to everyone, the change of scope says it as a publish does.
	code, page = a.post("/admin/packs/"+strconv.FormatInt(gen, 10), map[string][]string{"csrf": {token}, "action": {"stage"}, "stage": {"everyone"}}, srv.URL)
	if code != 200 || !strings.Contains(page, "Đã đổi phạm vi triển khai.") || !strings.Contains(page, "1 trong 2 kiosk trong phạm vi sẽ từ chối") {
		t.Fatalf("widening a pack some kiosks will refuse: %d %.3000s", code, page)
	}
}
