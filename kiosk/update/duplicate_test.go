package update_test

import (
	"context"
	"crypto/ed25519"
	"log/slog"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/hub"
	"tramso/kiosk/hub/hubtest"
	"tramso/kiosk/testlog"
	"tramso/kiosk/update"
)

// TestTwoMachinesOnOneEnrollment: two real kiosks with one enrollment (a
// cloned disk) against a real hub knock each other off. Each kiosk, replaced
// again and again, says "duplicate" to staff and logs once at ERROR what it
// means; the hub logs it and notes it once in the device's history, which
// its console page shows (outside QA Q10: nobody was told). A kiosk alone
// is never called a duplicate.
func TestTwoMachinesOnOneEnrollment(t *testing.T) {
	key := newKey(t)
	var hubLog testlog.Buffer
	h := &testHub{hubtest.Start(t, hubtest.Options{Hub: hub.Options{
		ProvinceKeys: []ed25519.PublicKey{key.Public().(ed25519.PublicKey)},
		Heartbeat:    5 * time.Second, Poll: 10 * time.Second, FlushEvery: 50 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(&hubLog, nil))}})}

	alone := startKiosk(t, h, nil)
	eventually(t, "the lone kiosk connects", func() bool { return alone.client.Status().Connected })

	creds := enroll(t, h, "")
	var logs [2]testlog.Buffer
	var clones [2]*kiosk
	for i := range clones {
		clones[i] = startKioskWith(t, creds, func(o *update.Options) { o.Log = slog.New(slog.NewTextHandler(&logs[i], nil)) })
	}
	const meaning = "another machine uses this kiosk's enrollment — a cloned disk or restored backup: enroll one of them with its own code"
	for i, k := range clones {
		eventually(t, "each clone says duplicate", func() bool {
			s := k.client.Status()
			return s.ConnectProblem == update.ConnectDuplicate && strings.Contains(s.ConnectError, meaning)
		})
		eventually(t, "each clone logs it", func() bool { return strings.Contains(logs[i].String(), "level=ERROR") })
	}
	eventually(t, "the hub notes it in the device's history", func() bool {
		hist, err := h.History(context.Background(), creds.DeviceID, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range hist {
			if e.What == "Hai máy dùng chung một đăng ký" && strings.Contains(e.Detail, "đăng ký lại một trong hai máy") {
				return true
			}
		}
		return false
	})
	time.Sleep(time.Second) // more replacements: still one line, one note
	for i := range clones {
		if n := strings.Count(logs[i].String(), "level=ERROR"); n != 1 || !strings.Contains(logs[i].String(), meaning) {
			t.Errorf("clone %d logged %d ERROR line(s):\n%s", i, n, logs[i].String())
		}
	}
	hist, _ := h.History(context.Background(), creds.DeviceID, 100)
	notes := 0
	for _, e := range hist {
		if e.What == "Hai máy dùng chung một đăng ký" {
			notes++
		}
	}
	if notes != 1 || strings.Count(hubLog.String(), "two machines use one kiosk's enrollment") != 1 ||
		!strings.Contains(hubLog.String(), "device="+creds.DeviceID) {
		t.Errorf("%d history note(s); hub log:\n%s", notes, hubLog.String())
	}
	if s := alone.client.Status(); s.ConnectProblem != "" || !s.Connected {
		t.Errorf("the lone kiosk: %+v", s)
	}
}
