package hub

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"tramso/kiosk/hubproto"
)

// TestDevicePageSaysWhatTheKioskShows: a kiosk whose current generation
// does not verify under the keys it pins shows the previous one; its page
// names the generation residents see, says why in Vietnamese, and puts the
// error's kind in Vietnamese before the kiosk's English (outside QA, Q12:
// the page named a generation nobody saw, and "update failed" in English).
func TestDevicePageSaysWhatTheKioskShows(t *testing.T) {
	h, srv, a := loggedIn(t)
	publishEmpty(t, h, 3200, StageEveryone)
	publishEmpty(t, h, 3201, StageEveryone)
	id, token := newDevice(t, h)
	ws, resp, err := websocket.DefaultDialer.Dial(wsURLOf(srv), http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer ws.Close()
	if !hubproto.HasFeature(resp.Header.Get(hubproto.FeaturesHeader), hubproto.FeatureStatusShown) {
		t.Fatalf("the hub does not say it takes the shown generation: %v", resp.Header)
	}
	detail := "the current content (generation 3201) is not signed by any key this kiosk pins"
	sendStatus(t, ws, hubproto.Status{Generation: 3201, TargetGeneration: 3201, State: hubproto.StateFailed,
		LastError: detail, ShownGeneration: 3200, ErrorKind: "content_untrusted"})
	eventually(t, "the hub stores the shown generation", func() bool {
		d, _, _ := h.DeviceByID(context.Background(), id)
		return d.Shown == 3200 && d.ErrorKind == "content_untrusted"
	})
	_, page := a.get("/admin/devices/" + id)
	for _, want := range []string{
		"Kiosk đang cho người dân xem thế hệ 3200, không phải thế hệ 3201 đã nhận",
		"không khớp khóa tỉnh nào mà kiosk đang ghim",
		"<dt>Nội dung đã nhận</dt>",
		errorKinds["content_untrusted"] + " — " + detail,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the device page does not say %q:\n%.4000s", want, page)
		}
	}
	if _, fleet := a.get("/admin/"); !strings.Contains(fleet, "bản cũ hơn bản đã nhận (thế hệ 3201)") ||
		!strings.Contains(fleet, errorKinds["content_untrusted"]) {
		t.Errorf("the fleet page does not say it:\n%.4000s", fleet)
	}

	// Damaged content, with only the starter left to show.
	sendStatus(t, ws, hubproto.Status{Generation: 3201, TargetGeneration: 3201, State: hubproto.StateFailed,
		LastError: "fetching it again failed", ShownGeneration: hubproto.MinGeneration, ErrorKind: "content_broken"})
	eventually(t, "the hub stores the starter as shown", func() bool {
		d, _, _ := h.DeviceByID(context.Background(), id)
		return d.Shown == hubproto.MinGeneration
	})
	if _, page := a.get("/admin/devices/" + id); !strings.Contains(page, "Kiosk đang cho người dân xem nội dung có sẵn trong ứng dụng") ||
		!strings.Contains(page, "bị mất hoặc hỏng trên ổ đĩa kiosk") {
		t.Errorf("the device page does not say the kiosk shows the starter:\n%.4000s", page)
	}

	// Whole and signed, but the kiosk's release cannot read it (a pack built
	// before the kiosk was upgraded): not called damage (outside QA s23).
	sendStatus(t, ws, hubproto.Status{Generation: 3201, TargetGeneration: 3201, State: hubproto.StateFailed,
		LastError:       "the current content (generation 3201) is whole and signed, but this version of tramso (1.4.0) cannot read it",
		ShownGeneration: 3200, ErrorKind: "content_unreadable"})
	eventually(t, "the hub stores the kind", func() bool {
		d, _, _ := h.DeviceByID(context.Background(), id)
		return d.ErrorKind == "content_unreadable"
	})
	_, page = a.get("/admin/devices/" + id)
	for _, want := range []string{"không đọc được thế hệ 3201, gói dựng cho phiên bản khác", "tramso pack lint", errorKinds["content_unreadable"]} {
		if !strings.Contains(page, want) {
			t.Errorf("the device page does not say %q:\n%.4000s", want, page)
		}
	}
	if strings.Contains(page, "bị mất hoặc hỏng") {
		t.Errorf("the device page calls content it cannot read damaged:\n%.4000s", page)
	}

	// Whole again: nothing more is said.
	sendStatus(t, ws, hubproto.Status{Generation: 3201, TargetGeneration: 3201, State: hubproto.StateIdle})
	eventually(t, "the hub stores it", func() bool {
		d, _, _ := h.DeviceByID(context.Background(), id)
		return d.Shown == 0 && d.ErrorKind == ""
	})
	if _, page := a.get("/admin/devices/" + id); strings.Contains(page, "Nội dung đã nhận") || strings.Contains(page, "Kiosk đang cho người dân xem") {
		t.Errorf("the device page still speaks of older content:\n%.4000s", page)
	}
}
