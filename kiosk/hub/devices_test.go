package hub

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestEnrollmentCodes(t *testing.T) {
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	h, srv := startTestHub(t, Options{Now: func() time.Time { return now }})
	ctx := context.Background()
	code, err := h.CreateCode(ctx, "Ea Kao", "test")
	if err != nil {
		t.Fatal(err)
	}
	stale, err := h.CreateCode(ctx, "Ea Kao", "test")
	if err != nil {
		t.Fatal(err)
	}
	post := func(body string) (int, string) {
		resp, err := http.Post(srv.URL+"/api/enroll", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		buf := make([]byte, 4096)
		n, _ := resp.Body.Read(buf)
		b.Write(buf[:n])
		return resp.StatusCode, b.String()
	}
	status, body := post(`{"code":"` + strings.ToLower(strings.ReplaceAll(code, "-", " ")) + `","name":"Nhà văn hóa Ea Kao"}`)
	if status != http.StatusOK || !strings.Contains(body, `"token":"k`) || !strings.Contains(body, `"hub_url":"ws://127.0.0.1`) {
		t.Fatalf("enroll: %d %s", status, body)
	}
	for _, c := range []struct {
		body string
		want int
	}{
		{`{"code":"` + code + `"}`, http.StatusForbidden},                     // used
		{`{"code":"AAAA-BBBB-CCCC"}`, http.StatusForbidden},                   // unknown
		{`{"code":"` + stale + `","extra":1}`, http.StatusBadRequest},         // unknown field
		{`{"code":"` + stale + `","name":"a\u0000b"}`, http.StatusBadRequest}, // control character
	} {
		if status, body := post(c.body); status != c.want {
			t.Errorf("%s: %d %s, want %d", c.body, status, body, c.want)
		}
	}
	now = now.Add(CodeLifetime + time.Minute)
	if status, _ := post(`{"code":"` + stale + `"}`); status != http.StatusForbidden {
		t.Errorf("expired code: %d", status)
	}
	devs, _ := h.Devices(ctx)
	if len(devs) != 1 || devs[0].Name != "Nhà văn hóa Ea Kao" || devs[0].Commune != "Ea Kao" {
		t.Fatalf("devices: %+v", devs)
	}
}

// A device's name holds 120 letters, however many bytes Vietnamese takes;
// one more, or a control character, is refused.
func TestDeviceNameCountsLetters(t *testing.T) {
	h, _ := startTestHub(t, Options{})
	id, _ := newDevice(t, h)
	ctx := context.Background()
	long := strings.Repeat("ệ", 120) // 360 bytes
	if err := h.EditDevice(ctx, id, long, "Ea Kao", -1); err != nil {
		t.Fatalf("120 letters: %v", err)
	}
	for _, bad := range []string{long + "a", "Ea\x07Kao"} {
		if err := h.EditDevice(ctx, id, bad, "Ea Kao", -1); err == nil {
			t.Errorf("accepted %q", bad)
		}
		// Nor as a commune; and a refused edit writes none of its fields.
		if err := h.EditDevice(ctx, id, "Nhà văn hóa", bad, 3); err == nil {
			t.Errorf("accepted commune %q", bad)
		}
	}
	if d, _, _ := h.DeviceByID(ctx, id); d.Name != long || d.Wave.Valid {
		t.Errorf("after refused edits: name %q, wave %+v", d.Name, d.Wave)
	}
}
