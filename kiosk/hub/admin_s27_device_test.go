package hub

import (
	"context"
	"fmt"
	"html"
	"strings"
	"testing"

	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
)

// publishTitled publishes a manifest with no files under a title (and a
// note, such as a rollback's).
func publishTitled(t *testing.T, h *Hub, gen int64, title, note string) {
	t.Helper()
	raw := []byte(fmt.Sprintf(`{"generation":%d,"title":%q}`, gen, title))
	if err := h.PublishManifest(context.Background(), raw, []byte("{}"), &pack.Manifest{Generation: gen, Title: title},
		PublishOptions{Stage: StageEveryone, By: "test", Note: note}); err != nil {
		t.Fatal(err)
	}
}

// The device page's history names content by its pack's title, not by
// generation numbers alone, and says when a new generation brought older
// content back (outside QA s27, finding 7).
func TestDeviceHistoryNamesPacksAndRollbacks(t *testing.T) {
	h, srv, a := loggedIn(t)
	ctx := context.Background()
	publishTitled(t, h, 600, "Phí tháng 11", "")
	publishTitled(t, h, 700, "Phí tháng 12 (gõ nhầm)", "")
	publishTitled(t, h, 800, "Phí tháng 11 (phát hành lại)", fmt.Sprintf(rollbackNote, 600))
	id, token := newDevice(t, h)
	ws := dial(t, srv, token)
	for _, gen := range []int64{600, 700, 800} {
		sendStatus(t, ws, hubproto.Status{Generation: gen, TargetGeneration: gen, AppVersion: "1.4.0", State: hubproto.StateIdle})
		eventually(t, fmt.Sprint("generation ", gen), func() bool {
			d, _, _ := h.DeviceByID(ctx, id)
			return d.Generation == gen
		})
	}
	_, page := a.get("/admin/devices/" + id)
	page = html.UnescapeString(page)
	for _, want := range []string{
		"“Phí tháng 11” (thế hệ 600) → “Phí tháng 12 (gõ nhầm)” (thế hệ 700)",
		"“Phí tháng 12 (gõ nhầm)” (thế hệ 700) → “Phí tháng 11 (phát hành lại)” (thế hệ 800): quay lại nội dung cũ của “Phí tháng 11” (thế hệ 600)",
		"chưa báo → “Phí tháng 11” (thế hệ 600)",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the device history lacks %q", want)
		}
	}
	if strings.Contains(page, "700 → 800") || strings.Contains(page, "600 → 700") {
		t.Errorf("the device history still shows bare numbers:\n%.4000s", page)
	}
	// A plain change is no rollback.
	if strings.Contains(page, "(thế hệ 700): quay lại") {
		t.Error("a forward change is called a rollback")
	}
}
