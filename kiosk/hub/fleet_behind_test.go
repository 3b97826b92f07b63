package hub

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"tramso/kiosk/hubproto"
)

// TestFleetCountsBehindWhatTheKioskShows: a kiosk that applied the
// generation the hub wants but shows residents an older one (its newest
// does not verify under the keys it pins, after a key rotation) is counted
// "nội dung cũ" as well as "có lỗi"; the state filter, the counts, the CSV's
// behind column and its own page agree, and it is not said to have gone
// back at the kiosk (outside QA R7: it was counted only as failing).
func TestFleetCountsBehindWhatTheKioskShows(t *testing.T) {
	h, srv, a := loggedIn(t)
	publishEmpty(t, h, 3200, StageEveryone)
	publishEmpty(t, h, 3201, StageEveryone)
	fallback, fallbackToken := newDevice(t, h)
	current, currentToken := newDevice(t, h)
	statuses := map[string]hubproto.Status{
		fallbackToken: {Generation: 3201, TargetGeneration: 3201, State: hubproto.StateFailed, ShownGeneration: 3200,
			ErrorKind: hubproto.ErrorKindUntrusted, LastError: "the current content (generation 3201) is not signed by any key this kiosk pins"},
		currentToken: {Generation: 3201, TargetGeneration: 3201, State: hubproto.StateIdle},
	}
	for token, st := range statuses {
		ws := dial(t, srv, token)
		readWelcome(t, ws)
		sendStatus(t, ws, st)
	}
	eventually(t, "the hub stores both statuses", func() bool {
		f, _, _ := h.DeviceByID(context.Background(), fallback)
		c, _, _ := h.DeviceByID(context.Background(), current)
		return f.Shown == 3200 && c.Generation == 3201
	})

	_, fleet := a.get("/admin/")
	for _, want := range []string{"<strong>1</strong> <span>nội dung cũ</span>", "<strong>1</strong> <span>có lỗi</span>"} {
		if !strings.Contains(fleet, want) {
			t.Errorf("the fleet's counts do not say %q:\n%.3000s", want, fleet)
		}
	}
	for state, want := range map[string]map[string]bool{
		"behind": {fallback: true, current: false},
		"errors": {fallback: true, current: false},
	} {
		_, page := a.get("/admin/?state=" + state)
		for id, listed := range want {
			if got := strings.Contains(page, "/admin/devices/"+id+`"`); got != listed {
				t.Errorf("?state=%s lists %s: %v, want %v", state, id, got, listed)
			}
		}
	}
	if behind := csvBehind(t, a); behind[fallback] != "true" || behind[current] != "false" {
		t.Errorf("fleet.csv's behind column: %v", behind)
	}
	_, page := a.get("/admin/devices/" + fallback)
	if !strings.Contains(page, "cũ, cần:") || !strings.Contains(page, "(thế hệ 3201)") {
		t.Errorf("the device page does not say the kiosk is behind:\n%.4000s", page)
	}
	if strings.Contains(page, "đã quay lại bản trước tại kiosk") || strings.Contains(page, "giữ nội dung trước theo lựa chọn") {
		t.Errorf("the device page says the kiosk went back by choice:\n%.4000s", page)
	}
}

// csvBehind is fleet.csv's behind column, by device id.
func csvBehind(t *testing.T, a *admin) map[string]string {
	t.Helper()
	_, body := a.get("/admin/fleet.csv")
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("fleet.csv: %v\n%s", err, body)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		out[r[col["device_id"]]] = r[col["behind"]]
	}
	return out
}
